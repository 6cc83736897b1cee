import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The Argo project's `argo-cd` chart, pinned (Argo CD v3.4.4, redis-ha 4.38.0 as its optional
 * dependency). Values (keys used in `values.ts`) read from charts/argo-cd/values.yaml and the
 * templates at the commit in `source`; redis-ha keys from DandyDeveloper/charts
 * charts/redis-ha/values.yaml@2e2539a8960ead2c268f48bdde3b2cdf2b2f1ac8 (chart 4.38.0).
 */
export const ARGO_CD_CHART: ChartPin = {
  repository: "https://argoproj.github.io/argo-helm",
  chart: "argo-cd",
  version: "10.1.1",
  source: "https://github.com/argoproj/argo-helm charts/argo-cd@af0a9310bacbaa4636018dfe22c801a6d33a5c43 (chart 10.1.1, app v3.4.4)",
};

/** Namespace of Argo CD (and of its AppProjects, ApplicationSets and cluster Secret). */
export const ARGO_CD_NAMESPACE = "argocd";
