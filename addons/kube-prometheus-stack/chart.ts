import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * kube-prometheus-stack: Prometheus Operator, Prometheus, Alertmanager, Grafana, kube-state-metrics,
 * node-exporter, default dashboards and alerting rules. Upstream images only (quay.io/prometheus,
 * docker.io/grafana, registry.k8s.io); no Bitnami image is involved.
 */
export const KUBE_PROMETHEUS_STACK_CHART: ChartPin = {
  repository: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "88.5.3",
  source:
    "https://github.com/prometheus-community/helm-charts charts/kube-prometheus-stack@cf408a290aec489277a94450bb3511432477a53a (app v0.93.1)",
};

/**
 * The Grafana subchart kube-prometheus-stack 88.5.3 depends on (its Chart.yaml), whose values the
 * `grafana:` section follows. Not installed on its own; recorded so a chart bump re-checks it.
 */
export const GRAFANA_SUBCHART = {
  repository: "https://grafana-community.github.io/helm-charts",
  chart: "grafana",
  version: "12.11.1",
  appVersion: "13.2.0",
  source: "https://github.com/grafana-community/helm-charts charts/grafana@3386a1156177c6bcd7fdb1ad4c6b1dda094296e0",
} as const;

/**
 * Grafana plugin that queries Amazon Managed Service for Prometheus with SigV4. Grafana 13 deprecates
 * SigV4 on the core `prometheus` data source in favour of this plugin, so the AMP data source is of
 * its type. Installed by the Grafana chart's `plugins` list (`GF_PLUGINS_PREINSTALL_SYNC`, downloaded
 * from grafana.com when the pod starts); pinned to a release whose `grafanaDependency` includes 13.x.
 * Source: https://github.com/grafana/grafana-amazonprometheus-datasource tag v3.2.0 (src/plugin.json,
 * docs/sources/configure.md for the provisioning keys).
 */
export const AMP_DATASOURCE_PLUGIN = { id: "grafana-amazonprometheus-datasource", version: "3.2.0" } as const;
