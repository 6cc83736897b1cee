import type { ChartPin } from "../../modules/helm/helm-addon";

/** The Cluster Autoscaler chart. The typed values in `values.ts` follow this version's `values.yaml`. */
export const CLUSTER_AUTOSCALER_CHART: ChartPin = {
  repository: "https://kubernetes.github.io/autoscaler",
  chart: "cluster-autoscaler",
  version: "9.59.0",
  source: "kubernetes/autoscaler@55c37cd5eb550756c5ccc5a89e9068d77797e575:cluster-autoscaler/charts/cluster-autoscaler (chart 9.59.0, appVersion 1.35.0)",
};
