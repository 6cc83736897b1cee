import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The `velero` chart, pinned. Its values (keys used in `values.ts`) were read from the chart's
 * values.yaml and templates at the commit in `source`.
 */
export const VELERO_CHART: ChartPin = {
  repository: "https://vmware-tanzu.github.io/helm-charts",
  chart: "velero",
  version: "12.1.0",
  source: "https://github.com/vmware-tanzu/helm-charts charts/velero @ 73466ca986bbfe34dbd5c30bbf7d62d545d634a2",
};

/** The Velero image of chart 12.1.0 (its `appVersion` 1.18.1), set explicitly so the pair below stays visible. */
export const VELERO_IMAGE = { repository: "docker.io/velero/velero", tag: "v1.18.1" } as const;

/**
 * The AWS plugin (object store on S3, volume snapshotter on EBS), run as an init container that
 * copies the plugin binary into the `plugins` volume.
 *
 * The version follows the plugin's compatibility table (README.md, "Compatibility"): plugin v1.14.x
 * pairs with Velero v1.18.x. v1.14.2 is the newest v1.14 release; its go.mod builds against
 * github.com/vmware-tanzu/velero v1.18.0.
 * Source: github.com/velero-io/velero-plugin-for-aws (formerly vmware-tanzu), tag v1.14.2,
 * commit 5463822fd77bc1c2a1151ee76c830ad979ff2781.
 */
export const VELERO_AWS_PLUGIN_IMAGE = { repository: "docker.io/velero/velero-plugin-for-aws", tag: "v1.14.2" } as const;
