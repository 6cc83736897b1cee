import type { ChartPin } from "../../modules/helm/helm-addon";

/** Karpenter's controller chart. The typed values in `values.ts` follow this version's `values.yaml`. */
export const KARPENTER_CHART: ChartPin = {
  repository: "oci://public.ecr.aws/karpenter",
  chart: "karpenter",
  version: "1.14.1",
  source: "aws/karpenter-provider-aws@1d927085dd81a9df9301e613f371dac5b4d16bfe:charts/karpenter (chart 1.14.1, appVersion 1.14.1)",
};

/**
 * Karpenter's CRD chart, same release as {@link KARPENTER_CHART}. Helm installs the CRDs of a chart's
 * `crds/` directory once and never upgrades them; this chart ships the same CRDs as templates so that
 * a Karpenter upgrade also upgrades its CRDs (the install procedure Karpenter documents). Its only
 * value, `additionalAnnotations`, is not set.
 */
export const KARPENTER_CRD_CHART: ChartPin = {
  repository: "oci://public.ecr.aws/karpenter",
  chart: "karpenter-crd",
  version: "1.14.1",
  source: "aws/karpenter-provider-aws@1d927085dd81a9df9301e613f371dac5b4d16bfe:charts/karpenter-crd (chart 1.14.1, appVersion 1.14.1)",
};
