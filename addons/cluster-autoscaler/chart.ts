import type { ChartPin } from "../../modules/helm/helm-addon";

/** The Cluster Autoscaler chart. The typed values in `values.ts` follow this version's `values.yaml`. */
export const CLUSTER_AUTOSCALER_CHART: ChartPin = {
  repository: "https://kubernetes.github.io/autoscaler",
  chart: "cluster-autoscaler",
  version: "9.59.0",
  source: "kubernetes/autoscaler@55c37cd5eb550756c5ccc5a89e9068d77797e575:cluster-autoscaler/charts/cluster-autoscaler (chart 9.59.0, appVersion 1.35.0)",
};

/**
 * The Cluster Autoscaler release to run per Kubernetes minor version. The project recommends the
 * release "meant for" the control plane's minor version (`cluster-autoscaler/README.md`, section
 * Releases, at the chart's commit), while chart 9.59.0 defaults to v1.35.0. Each entry is the latest
 * patch tag of that minor line in kubernetes/autoscaler (tag `cluster-autoscaler-<version>`):
 *   1.33 -> v1.33.6 (be4b5a18814a53539d0fe6299c92839152cae54c, 2026-07-22)
 *   1.34 -> v1.34.5 (cb2123ed13148c38fbdb1ede42d8e99761ee2909, 2026-07-22)
 *   1.35 -> v1.35.0 (25fc5c74f6b0f2382b65f76edc08e15ac9f41da7, the chart's appVersion)
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = Object.freeze({
  "1.33": "v1.33.6",
  "1.34": "v1.34.5",
  "1.35": "v1.35.0",
});

/**
 * The image tag of the Cluster Autoscaler for a Kubernetes minor version.
 * @throws Error naming the supported versions when there is no entry for `kubernetesVersion`
 */
export function clusterAutoscalerImageTag(kubernetesVersion: string): string {
  const tag = Object.hasOwn(CLUSTER_AUTOSCALER_IMAGE_TAGS, kubernetesVersion) ? CLUSTER_AUTOSCALER_IMAGE_TAGS[kubernetesVersion] : undefined;
  if (tag === undefined) {
    throw new Error(
      `cluster-autoscaler: no release pinned for Kubernetes ${JSON.stringify(kubernetesVersion)}; pinned: ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")}`,
    );
  }
  return tag;
}
