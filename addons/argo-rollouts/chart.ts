import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The Argo project's `argo-rollouts` chart, pinned (Argo Rollouts v1.9.0). Values (keys used in
 * `values.ts`) read from charts/argo-rollouts/values.yaml and templates/{controller,dashboard}/ at
 * the commit in `source`.
 */
export const ARGO_ROLLOUTS_CHART: ChartPin = {
  repository: "https://argoproj.github.io/argo-helm",
  chart: "argo-rollouts",
  version: "2.41.0",
  source: "https://github.com/argoproj/argo-helm charts/argo-rollouts@af0a9310bacbaa4636018dfe22c801a6d33a5c43 (chart 2.41.0, app v1.9.0)",
};
