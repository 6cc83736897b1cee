import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * codecentric's `keycloakx` chart (Keycloak on Quarkus, upstream image), pinned; not Bitnami's
 * `keycloak` chart. Its values (keys used in `values.ts`) were read from the chart's values.yaml,
 * values.schema.json, README and templates (statefulset, ingress, service-http, _helpers) at the
 * commit in `source`.
 */
export const KEYCLOAKX_CHART: ChartPin = {
  repository: "https://codecentric.github.io/helm-charts",
  chart: "keycloakx",
  version: "7.1.11",
  source: "https://github.com/codecentric/helm-charts charts/keycloakx@57c2f8e06c91fc85d9a661468e0587bf8abdb94f (app 26.5.6)",
};

/** The upstream Keycloak image of chart 7.1.11 (its appVersion), set explicitly. */
export const KEYCLOAK_IMAGE = { repository: "quay.io/keycloak/keycloak", tag: "26.5.6" } as const;
