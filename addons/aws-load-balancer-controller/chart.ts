import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The AWS Load Balancer Controller chart. The typed values in `values.ts` follow this chart
 * version's `values.yaml`.
 */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART: ChartPin = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-load-balancer-controller",
  version: "3.5.0",
  source: "aws/eks-charts@5239609242f3430be50fb0b714a24d3ef2b47983:stable/aws-load-balancer-controller (chart 3.5.0, appVersion v3.5.0)",
};
