import type { ChartPin } from "../../modules/helm/helm-addon";

/** metrics-server (resource metrics API for `kubectl top`, HPA and VPA); image from registry.k8s.io. */
export const METRICS_SERVER_CHART: ChartPin = {
  repository: "https://kubernetes-sigs.github.io/metrics-server/",
  chart: "metrics-server",
  version: "3.13.1",
  source:
    "https://github.com/kubernetes-sigs/metrics-server charts/metrics-server@5ed5d3a2cf940a8c7541cfbac19af822f4c97844 (app 0.8.1)",
};
