import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The cert-manager chart. The typed values in `values.ts` follow this version's `values.yaml` and
 * `values.schema.json` (the schema forbids unknown keys: `additionalProperties: false`).
 */
export const CERT_MANAGER_CHART: ChartPin = {
  repository: "https://charts.jetstack.io",
  chart: "cert-manager",
  version: "v1.21.1",
  source: "cert-manager/cert-manager@24e33194fb39488eff2bbf10c6dc640f407cad44:deploy/charts/cert-manager (chart v1.21.1, appVersion v1.21.1)",
};
