import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The Kiali project's `kiali-server` chart, pinned (Kiali v2.29.0). Chart keys read from
 * kiali-server/values.yaml and templates/ at the commit in `source`; the chart renders (almost) all
 * of its values into Kiali's config.yaml (templates/configmap.yaml: `omit .Values "kiali_route_url"`),
 * so keys of Kiali's own configuration that values.yaml leaves out (e.g. `external_services.tracing`,
 * `server.web_fqdn`) come from the config struct of kiali/kiali config/config.go at tag v2.29.0.
 */
export const KIALI_CHART: ChartPin = {
  repository: "https://kiali.org/helm-charts",
  chart: "kiali-server",
  version: "2.29.0",
  source: "https://github.com/kiali/helm-charts kiali-server@03256abf169b29bacfd4faeb71a2dd3a06ce13c2 (chart 2.29.0, app v2.29.0)",
};

/** Name of the Deployment, Service, ConfigMap and ServiceAccount (`deployment.instance_name`). */
export const KIALI_INSTANCE_NAME = "kiali";
