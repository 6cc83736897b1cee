import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * Stakater Reloader's upstream chart, pinned. Values (keys used in `values.ts`) read from the
 * chart's values.yaml and templates/deployment.yaml at the commit in `source`.
 */
export const RELOADER_CHART: ChartPin = {
  repository: "https://stakater.github.io/stakater-charts",
  chart: "reloader",
  version: "2.2.16",
  source: "https://github.com/stakater/Reloader deployments/kubernetes/chart/reloader@655a2b3814baadb69d3d1e105242d6cc8875d7cb (tag chart-v2.2.16, app v1.4.21)",
};

/** The annotation on a workload that makes Reloader roll it when one of the named Secrets changes (comma-separated names). */
export const RELOADER_SECRET_ANNOTATION = "secret.reloader.stakater.com/reload";
