/**
 * IAM policy of the AWS Load Balancer Controller, exactly as AWS publishes it, kept as data.
 *
 * Source (read from the public repository, not retyped from memory):
 *   repository: kubernetes-sigs/aws-load-balancer-controller
 *   ref:        tag v3.5.0 (commit 11eb202c97e4ae2ee45e0658c4cde9a4b59f33d4; chart 3.5.0, appVersion v3.5.0)
 *   path:       docs/install/iam_policy.json
 *
 * Faithful translation: the same 16 statements, in the same order, with the same actions, resources
 * and conditions (including the `elbv2.k8s.aws/cluster` request/resource tag conditions). The only
 * changes are that `Resource` is always a list and `arn:aws:` is replaced by
 * `arn:${scope.partition}:`, so one builder also covers the partitions AWS ships separate files for
 * (`iam_policy_cn.json`, `iam_policy_us-gov.json`, ...). `Resource: "*"` stays where AWS publishes it:
 * the controller discovers VPC, subnet and listener resources it does not own and creates load
 * balancers, target groups and security groups whose ARNs are unknown beforehand; the mutating calls
 * on those are limited by the `elbv2.k8s.aws/cluster` tag conditions.
 *
 * When upgrading the controller, re-read the file at the new tag and update this module, the source
 * constant and the statement count asserted in `__tests__/addon-iam-policies.test.ts`.
 */
import type { AwsScope, PolicyStatement } from "../../modules/irsa/policy-document";

/** Where {@link awsLoadBalancerControllerPolicy} comes from, and the controller release it matches. */
export const AWS_LOAD_BALANCER_CONTROLLER_POLICY_SOURCE = {
  repository: "kubernetes-sigs/aws-load-balancer-controller",
  ref: "v3.5.0",
  commit: "11eb202c97e4ae2ee45e0658c4cde9a4b59f33d4",
  path: "docs/install/iam_policy.json",
  chartVersion: "3.5.0",
  appVersion: "v3.5.0",
} as const;

/** The tag the controller puts on everything it creates (`elbv2.k8s.aws/cluster`). */
const CLUSTER_REQUEST_TAG = "aws:RequestTag/elbv2.k8s.aws/cluster";
const CLUSTER_RESOURCE_TAG = "aws:ResourceTag/elbv2.k8s.aws/cluster";

/**
 * The controller's IAM policy (`docs/install/iam_policy.json` at v3.5.0) for the given partition.
 *
 * @param scope only `scope.partition` is used: AWS publishes the policy region- and account-wide
 *   (`arn:aws:ec2:*:*:...`), and it is kept as published.
 */
export function awsLoadBalancerControllerPolicy(scope: AwsScope): PolicyStatement[] {
  const arn = `arn:${scope.partition}:`;
  const securityGroups = `${arn}ec2:*:*:security-group/*`;
  const targetGroupsAndLoadBalancers = [
    `${arn}elasticloadbalancing:*:*:targetgroup/*/*`,
    `${arn}elasticloadbalancing:*:*:loadbalancer/net/*/*`,
    `${arn}elasticloadbalancing:*:*:loadbalancer/app/*/*`,
  ];
  return [
    {
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: ["*"],
      Condition: {
        StringEquals: {
          "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com",
        },
      },
    },
    {
      Effect: "Allow",
      Action: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs",
        "ec2:DescribeVpcPeeringConnections",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeTags",
        "ec2:GetCoipPoolUsage",
        "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc",
        "ec2:DescribeIpamPools",
        "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeSSLPolicies",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTrustStores",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      Resource: ["*"],
    },
    {
      Effect: "Allow",
      Action: [
        "cognito-idp:DescribeUserPoolClient",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
        "iam:ListServerCertificates",
        "iam:GetServerCertificate",
        "waf-regional:GetWebACL",
        "waf-regional:GetWebACLForResource",
        "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL",
        "wafv2:GetWebACL",
        "wafv2:GetWebACLForResource",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "shield:GetSubscriptionState",
        "shield:DescribeProtection",
        "shield:CreateProtection",
        "shield:DeleteProtection",
      ],
      Resource: ["*"],
    },
    {
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: ["*"],
    },
    {
      Effect: "Allow",
      Action: ["ec2:CreateSecurityGroup"],
      Resource: ["*"],
    },
    {
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: [securityGroups],
      Condition: {
        StringEquals: {
          "ec2:CreateAction": "CreateSecurityGroup",
        },
        Null: {
          [CLUSTER_REQUEST_TAG]: "false",
        },
      },
    },
    {
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: [securityGroups],
      Condition: {
        Null: {
          [CLUSTER_REQUEST_TAG]: "true",
          [CLUSTER_RESOURCE_TAG]: "false",
        },
      },
    },
    {
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      Resource: ["*"],
      Condition: {
        Null: {
          [CLUSTER_RESOURCE_TAG]: "false",
        },
      },
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: ["*"],
      Condition: {
        Null: {
          [CLUSTER_REQUEST_TAG]: "false",
        },
      },
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule",
      ],
      Resource: ["*"],
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: targetGroupsAndLoadBalancers,
      Condition: {
        Null: {
          [CLUSTER_REQUEST_TAG]: "true",
          [CLUSTER_RESOURCE_TAG]: "false",
        },
      },
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: [
        `${arn}elasticloadbalancing:*:*:listener/net/*/*/*`,
        `${arn}elasticloadbalancing:*:*:listener/app/*/*/*`,
        `${arn}elasticloadbalancing:*:*:listener-rule/net/*/*/*`,
        `${arn}elasticloadbalancing:*:*:listener-rule/app/*/*/*`,
      ],
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:ModifyCapacityReservation",
        "elasticloadbalancing:ModifyIpPools",
      ],
      Resource: ["*"],
      Condition: {
        Null: {
          [CLUSTER_RESOURCE_TAG]: "false",
        },
      },
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags"],
      Resource: targetGroupsAndLoadBalancers,
      Condition: {
        StringEquals: {
          "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"],
        },
        Null: {
          [CLUSTER_REQUEST_TAG]: "false",
        },
      },
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: [`${arn}elasticloadbalancing:*:*:targetgroup/*/*`],
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:SetRulePriorities",
      ],
      Resource: ["*"],
    },
  ];
}
