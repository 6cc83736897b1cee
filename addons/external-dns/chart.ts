import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The ExternalDNS chart. The typed values in `values.ts` follow this version's `values.yaml` and
 * `values.schema.json` (e.g. `policy` is required, `replicaCount` is at most 1).
 */
export const EXTERNAL_DNS_CHART: ChartPin = {
  repository: "https://kubernetes-sigs.github.io/external-dns/",
  chart: "external-dns",
  version: "1.21.1",
  source: "kubernetes-sigs/external-dns@2bf1bf8af2b70f23579f9147c1f7e9394f7f83d5:charts/external-dns (chart 1.21.1, appVersion 0.21.0)",
};
