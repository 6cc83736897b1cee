/**
 * IAM policy of the Karpenter controller, from the CloudFormation template AWS publishes in the
 * Karpenter getting-started guide, kept as data.
 *
 * Source (read from the public repository, not retyped from memory):
 *   repository: aws/karpenter-provider-aws
 *   ref:        tag v1.14.1 (commit bde00654cd316fddb3dccfba3f5ac07039865429; chart 1.14.1, appVersion 1.14.1)
 *   path:       website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 *               (byte-identical to website/content/en/v1.14/... and .../preview/... on main at
 *               commit 1d927085dd81a9df9301e613f371dac5b4d16bfe)
 *
 * The template splits the controller's permissions over six managed policies
 * (`KarpenterControllerNodeLifecyclePolicy`, `...IAMIntegrationPolicy`, `...EKSIntegrationPolicy`,
 * `...InterruptionPolicy`, `...ZonalShiftPolicy`, `...ResourceDiscoveryPolicy`); this module returns
 * all their statements, in that order, with the published Sids, actions and conditions. The
 * CloudFormation substitutions are replaced by the function's arguments:
 *   `${AWS::Partition}` / `${AWS::Region}` / `${AWS::AccountId}` -> `scope.partition` / `scope.region` / `scope.accountId`
 *   `${ClusterName}`                    -> `clusterName`
 *   `${KarpenterNodeRole.Arn}`          -> `nodeRoleArn`
 *   `${KarpenterInterruptionQueue.Arn}` -> `interruptionQueueArn`
 *   `arn:...:eks:...:cluster/${ClusterName}` -> `clusterArn`
 *
 * One deliberate tightening: the template uses `*` as the account of every regional EC2 ARN. For the
 * resources Karpenter itself creates (fleet, instance, volume, network interface, launch template,
 * spot instance request) the account is always the caller's, so those ARNs name `scope.accountId`.
 * Subnets, security groups, capacity reservations and placement groups keep `*` because they can be
 * shared into the account from another one (AWS RAM); AMIs and snapshots have no account in their
 * ARN. Everything else, including `Resource: "*"` for the read-only calls (limited to the region by
 * `aws:RequestedRegion`), `pricing:GetProducts` and `iam:ListInstanceProfiles`, is as published.
 *
 * When upgrading Karpenter, re-read the template at the new tag and update this module and the
 * source constant.
 */
import type { AwsScope, PolicyStatement } from "../../modules/irsa/policy-document";

/** Where {@link karpenterControllerPolicy} comes from, and the Karpenter release it matches. */
export const KARPENTER_CONTROLLER_POLICY_SOURCE = {
  repository: "aws/karpenter-provider-aws",
  ref: "v1.14.1",
  commit: "bde00654cd316fddb3dccfba3f5ac07039865429",
  path: "website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml",
  chartVersion: "1.14.1",
  appVersion: "1.14.1",
} as const;

export interface KarpenterControllerPolicyArgs {
  readonly scope: AwsScope;
  /** Name of the EKS cluster (used in the `kubernetes.io/cluster/<name>` and `eks:eks-cluster-name` tags). */
  readonly clusterName: string;
  /** ARN of the EKS cluster (`eks:DescribeCluster`, zonal-shift status). */
  readonly clusterArn: string;
  /** ARN of the IAM role of the nodes Karpenter launches: the only role it may pass. */
  readonly nodeRoleArn: string;
  /** ARN of the SQS interruption queue: the only queue it may read. */
  readonly interruptionQueueArn: string;
}

/** The Karpenter controller's statements (the six policies of the v1.14.1 template, in order). */
export function karpenterControllerPolicy(args: KarpenterControllerPolicyArgs): PolicyStatement[] {
  const { scope, clusterName, clusterArn, nodeRoleArn, interruptionQueueArn } = args;
  const { partition, region, accountId } = scope;
  /** A regional EC2 ARN; `account` is `""` (AMIs, snapshots), `"*"` (shareable) or the account id. */
  const ec2 = (account: string, resource: string) => `arn:${partition}:ec2:${region}:${account}:${resource}`;
  const instanceProfiles = `arn:${partition}:iam::${accountId}:instance-profile/*`;
  const clusterOwnedRequestTag = `aws:RequestTag/kubernetes.io/cluster/${clusterName}`;
  const clusterOwnedResourceTag = `aws:ResourceTag/kubernetes.io/cluster/${clusterName}`;
  /** What Karpenter creates when it launches a node, always in the caller's account. */
  const launchedResources = [
    ec2(accountId, "fleet/*"),
    ec2(accountId, "instance/*"),
    ec2(accountId, "volume/*"),
    ec2(accountId, "network-interface/*"),
    ec2(accountId, "launch-template/*"),
    ec2(accountId, "spot-instances-request/*"),
  ];

  return [
    // --- KarpenterControllerNodeLifecyclePolicy ---
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Resource: [
        ec2("", "image/*"),
        ec2("", "snapshot/*"),
        ec2("*", "security-group/*"),
        ec2("*", "subnet/*"),
        ec2("*", "capacity-reservation/*"),
        ec2("*", "placement-group/*"),
      ],
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
    },
    {
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Effect: "Allow",
      Resource: [ec2(accountId, "launch-template/*")],
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Condition: {
        StringEquals: {
          [clusterOwnedResourceTag]: "owned",
        },
        StringLike: {
          "aws:ResourceTag/karpenter.sh/nodepool": "*",
        },
      },
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Resource: launchedResources,
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Condition: {
        StringEquals: {
          [clusterOwnedRequestTag]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": clusterName,
        },
        StringLike: {
          "aws:RequestTag/karpenter.sh/nodepool": "*",
        },
      },
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Resource: launchedResources,
      Action: ["ec2:CreateTags"],
      Condition: {
        StringEquals: {
          [clusterOwnedRequestTag]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": clusterName,
          "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
        },
        StringLike: {
          "aws:RequestTag/karpenter.sh/nodepool": "*",
        },
      },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Resource: [ec2(accountId, "instance/*")],
      Action: ["ec2:CreateTags"],
      Condition: {
        StringEquals: {
          [clusterOwnedResourceTag]: "owned",
        },
        StringLike: {
          "aws:ResourceTag/karpenter.sh/nodepool": "*",
        },
        StringEqualsIfExists: {
          "aws:RequestTag/eks:eks-cluster-name": clusterName,
        },
        "ForAllValues:StringEquals": {
          "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
        },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Resource: [ec2(accountId, "instance/*"), ec2(accountId, "launch-template/*")],
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Condition: {
        StringEquals: {
          [clusterOwnedResourceTag]: "owned",
        },
        StringLike: {
          "aws:ResourceTag/karpenter.sh/nodepool": "*",
        },
      },
    },

    // --- KarpenterControllerIAMIntegrationPolicy ---
    {
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Resource: [nodeRoleArn],
      Action: ["iam:PassRole"],
      Condition: {
        StringEquals: {
          "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"],
        },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Resource: [instanceProfiles],
      Action: ["iam:CreateInstanceProfile"],
      Condition: {
        StringEquals: {
          [clusterOwnedRequestTag]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": clusterName,
          "aws:RequestTag/topology.kubernetes.io/region": region,
        },
        StringLike: {
          "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
        },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileTagActions",
      Effect: "Allow",
      Resource: [instanceProfiles],
      Action: ["iam:TagInstanceProfile"],
      Condition: {
        StringEquals: {
          [clusterOwnedResourceTag]: "owned",
          "aws:ResourceTag/topology.kubernetes.io/region": region,
          [clusterOwnedRequestTag]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": clusterName,
          "aws:RequestTag/topology.kubernetes.io/region": region,
        },
        StringLike: {
          "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
          "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
        },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Resource: [instanceProfiles],
      Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      Condition: {
        StringEquals: {
          [clusterOwnedResourceTag]: "owned",
          "aws:ResourceTag/topology.kubernetes.io/region": region,
        },
        StringLike: {
          "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
        },
      },
    },

    // --- KarpenterControllerEKSIntegrationPolicy ---
    {
      Sid: "AllowAPIServerEndpointDiscovery",
      Effect: "Allow",
      Resource: [clusterArn],
      Action: ["eks:DescribeCluster"],
    },

    // --- KarpenterControllerInterruptionPolicy ---
    {
      Sid: "AllowInterruptionQueueActions",
      Effect: "Allow",
      Resource: [interruptionQueueArn],
      Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
    },

    // --- KarpenterControllerZonalShiftPolicy ---
    {
      Sid: "AllowZonalShiftStatusReadOnly",
      Effect: "Allow",
      Resource: ["*"],
      Action: ["arc-zonal-shift:GetManagedResource"],
      Condition: {
        StringEquals: {
          "arc-zonal-shift:ResourceIdentifier": clusterArn,
        },
      },
    },

    // --- KarpenterControllerResourceDiscoveryPolicy ---
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Resource: ["*"],
      Action: [
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      Condition: {
        StringEquals: {
          "aws:RequestedRegion": region,
        },
      },
    },
    {
      Sid: "AllowSSMReadActions",
      Effect: "Allow",
      Resource: [`arn:${partition}:ssm:${region}::parameter/aws/service/*`],
      Action: ["ssm:GetParameter"],
    },
    {
      Sid: "AllowPricingReadActions",
      Effect: "Allow",
      Resource: ["*"],
      Action: ["pricing:GetProducts"],
    },
    {
      Sid: "AllowUnscopedInstanceProfileListAction",
      Effect: "Allow",
      Resource: ["*"],
      Action: ["iam:ListInstanceProfiles"],
    },
    {
      Sid: "AllowInstanceProfileReadActions",
      Effect: "Allow",
      Resource: [instanceProfiles],
      Action: ["iam:GetInstanceProfile"],
    },
  ];
}
