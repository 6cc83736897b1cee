/**
 * IAM policy of the Kubernetes Cluster Autoscaler (AWS cloud provider), kept as data.
 *
 * Source (read from the public repository, not retyped from memory):
 *   repository: kubernetes/autoscaler
 *   ref:        tag cluster-autoscaler-chart-9.59.0 (commit 5a0b98e45f896e98132737240ac131a519d3b33d;
 *               chart 9.59.0, appVersion 1.35.0). The section is unchanged from cluster-autoscaler-1.35.0
 *               through cluster-autoscaler-1.36.1 and master at 55c37cd5eb550756c5ccc5a89e9068d77797e575.
 *   path:       cluster-autoscaler/cloudprovider/aws/README.md,
 *               section "Full Cluster Autoscaler Features Policy (Recommended)"
 *
 * The README's recommended policy has two statements, both on `Resource: ["*"]`, and says that "only
 * the second block of actions should be updated to restrict the resources/add conditionals", pointing
 * to tag-based conditions. Applied here:
 *   - the read-only calls stay on `*` (the Auto Scaling `Describe*` calls and these EC2 calls do not
 *     support resource-level permissions), except `eks:DescribeNodegroup`, which does: it is moved to
 *     its own statement on this cluster's node groups
 *     (`arn:<partition>:eks:<region>:<account>:nodegroup/<cluster>/*` + `/*`);
 *   - `autoscaling:SetDesiredCapacity` and `autoscaling:TerminateInstanceInAutoScalingGroup` are
 *     limited to Auto Scaling groups of this region and account that carry the auto-discovery tag
 *     `k8s.io/cluster-autoscaler/<cluster>` = `owned` (`aws:ResourceTag/...`), the value EKS managed
 *     node groups set on their groups. Self-managed groups must carry the same tag and value.
 * The action list is the README's, unchanged.
 */
import type { AwsScope, PolicyStatement } from "../../modules/irsa/policy-document";

/** Where {@link clusterAutoscalerPolicy} comes from, and the release it matches. */
export const CLUSTER_AUTOSCALER_POLICY_SOURCE = {
  repository: "kubernetes/autoscaler",
  ref: "cluster-autoscaler-chart-9.59.0",
  commit: "5a0b98e45f896e98132737240ac131a519d3b33d",
  path: "cluster-autoscaler/cloudprovider/aws/README.md",
  section: "Full Cluster Autoscaler Features Policy (Recommended)",
  chartVersion: "9.59.0",
  appVersion: "1.35.0",
} as const;

export interface ClusterAutoscalerPolicyArgs {
  readonly scope: AwsScope;
  /** Name of the EKS cluster; its ASGs carry `k8s.io/cluster-autoscaler/<clusterName>` = `owned`. */
  readonly clusterName: string;
}

/** The Cluster Autoscaler's statements, with the mutating calls limited to this cluster's ASGs. */
export function clusterAutoscalerPolicy(args: ClusterAutoscalerPolicyArgs): PolicyStatement[] {
  const { scope, clusterName } = args;
  const { partition, region, accountId } = scope;
  return [
    {
      Sid: "DiscoverAutoScalingGroupsAndInstanceTypes",
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
      ],
      Resource: ["*"],
    },
    {
      Sid: "DescribeOwnNodeGroups",
      Effect: "Allow",
      Action: ["eks:DescribeNodegroup"],
      Resource: [`arn:${partition}:eks:${region}:${accountId}:nodegroup/${clusterName}/*/*`],
    },
    {
      Sid: "ScaleOwnAutoScalingGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: [`arn:${partition}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/*`],
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
        },
      },
    },
  ];
}
