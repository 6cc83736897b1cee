import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The External Secrets Operator chart, pinned. Its values (keys used in `values.ts`) were read from
 * the chart's values.yaml, values.schema.json and templates at the commit in `source`; the custom
 * resources in `manifests.ts` follow the `external-secrets.io/v1` and
 * `generators.external-secrets.io/v1alpha1` APIs of the same release (apis/ at tag v2.9.0).
 * Image: ghcr.io/external-secrets/external-secrets (upstream), tag = appVersion v2.9.0.
 */
export const EXTERNAL_SECRETS_CHART: ChartPin = {
  repository: "https://charts.external-secrets.io",
  chart: "external-secrets",
  version: "2.9.0",
  source:
    "https://github.com/external-secrets/external-secrets deploy/charts/external-secrets@cc5bfbc2234ace9cb0caff4ea89c435cf517b27b (app v2.9.0)",
};
