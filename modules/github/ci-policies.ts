/**
 * What the CI roles may do, as plain policy data (testable without cdktf, checked by the
 * guardrails once synthesized).
 *
 * - The **plan** role reads (AWS's `ReadOnlyAccess`, attached by the construct) and may only write
 *   Terraform's `*.tflock` lock objects in the state bucket.
 * - The **deploy** role reads the same way and may write only what the platform's stacks create:
 *   every write action is listed explicitly (no `service:*`), and scoped to the platform's names
 *   (`<prefix>-*`), to the platform's `ManagedBy` tag where AWS puts no name in the ARN (KMS keys),
 *   or to the region where the service has no resource-level permissions (EC2). Explicit denies
 *   keep it off its own roles, the state bucket and the state key. `PowerUserAccess` or
 *   `AdministratorAccess` are refused by the `IAM-NO-ADMIN` guardrail.
 *
 * `DEPLOY_RESOURCE_TYPES` lists the Terraform resource types the deploy policies cover; a test
 * fails when a stack starts using another one, so the policy grows with the platform.
 */
import { KMS_USE_ACTIONS } from "../kms/platform-key";
import type { AwsScope, PolicyStatement } from "../irsa/policy-document";

/** Where the platform is and what its resources are called. */
export interface CiPolicyScope extends AwsScope {
  /** Prefix of every platform resource name (roles, buckets, clusters, log groups…), e.g. `eks-idp`. */
  readonly namePrefix: string;
  /** The tag every platform resource carries (provider default tags), e.g. `ManagedBy = cdktf/eks-idp`. */
  readonly managedByTag: { readonly key: string; readonly value: string };
}

/** The Terraform state of the account. */
export interface StateLocation {
  /** Name of the state bucket. */
  readonly bucketName: string;
  /** ARN of the KMS key that encrypts the state. */
  readonly keyArn: string;
  /** ARN of the state key's alias (`arn:…:alias/<prefix>-tfstate`). */
  readonly keyAliasArn: string;
}

/** Names of the CI roles of an account. */
export function ciRoleNames(namePrefix: string): { readonly plan: string; readonly deploy: string } {
  return { plan: `${namePrefix}-github-plan`, deploy: `${namePrefix}-github-deploy` };
}

/** AWS managed policies the platform attaches to its own roles: the only ones the deploy role may attach. */
export const ATTACHABLE_AWS_MANAGED_POLICIES = [
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonEKSClusterPolicy",
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "service-role/AmazonEBSCSIDriverPolicy",
] as const;

/** Services whose service-linked role the first apply in an account may have to create. */
export const SERVICE_LINKED_ROLE_SERVICES = [
  "autoscaling.amazonaws.com",
  "eks-nodegroup.amazonaws.com",
  "eks.amazonaws.com",
  "opensearchservice.amazonaws.com",
  "rds.amazonaws.com",
  "spot.amazonaws.com",
] as const;

/** Services the deploy role may pass platform roles to (cluster, node and add-on roles; flow logs). */
export const PASS_ROLE_SERVICES = ["eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"] as const;

/** Terraform resource types whose create/update/delete the deploy policies allow. */
export const DEPLOY_RESOURCE_TYPES = [
  // network
  "aws_vpc",
  "aws_vpc_ipv4_cidr_block_association",
  "aws_subnet",
  "aws_ec2_subnet_cidr_reservation",
  "aws_internet_gateway",
  "aws_eip",
  "aws_nat_gateway",
  "aws_route_table",
  "aws_route",
  "aws_route_table_association",
  "aws_vpc_endpoint",
  "aws_security_group",
  "aws_default_security_group",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_flow_log",
  "aws_launch_template",
  // cluster
  "aws_eks_cluster",
  "aws_eks_node_group",
  "aws_eks_addon",
  "aws_eks_access_entry",
  "aws_eks_access_policy_association",
  "aws_eks_identity_provider_config",
  "aws_iam_openid_connect_provider",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_kms_key",
  "aws_kms_alias",
  // add-ons
  "aws_cloudwatch_log_group",
  "aws_cloudwatch_log_resource_policy",
  "aws_s3_bucket",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_versioning",
  "aws_db_instance",
  "aws_db_parameter_group",
  "aws_db_subnet_group",
  "aws_opensearch_domain",
  "aws_opensearch_domain_policy",
  "aws_prometheus_workspace",
  "aws_prometheus_workspace_configuration",
  "aws_sqs_queue",
  "aws_sqs_queue_policy",
  "aws_cloudwatch_event_rule",
  "aws_cloudwatch_event_target",
] as const;

/** Bucket-level writes (the platform's buckets); denied on the state bucket. */
const BUCKET_WRITES = [
  "s3:CreateBucket",
  "s3:DeleteBucket",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketPolicy",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketTagging",
  "s3:PutBucketVersioning",
  "s3:PutEncryptionConfiguration",
  "s3:PutLifecycleConfiguration",
];

/** Role writes (the platform's roles); denied on the CI roles themselves. */
const ROLE_WRITES = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
];

/** ARN of a regional resource of the scope's account. */
const arn = (s: AwsScope, service: string, resource: string) => `arn:${s.partition}:${service}:${s.region}:${s.accountId}:${resource}`;
/** ARN of an IAM resource of the scope's account (IAM is global: no region). */
const iamArn = (s: AwsScope, resource: string) => `arn:${s.partition}:iam::${s.accountId}:${resource}`;
const inRegion = (s: AwsScope) => ({ StringEquals: { "aws:RequestedRegion": s.region } });
const bucketArn = (s: AwsScope, bucket: string) => `arn:${s.partition}:s3:::${bucket}`;

/**
 * The plan role's access to the state: read every state object of the account and write only
 * Terraform's lock objects (`*.tflock`), encrypted with the state key.
 */
export function planStateStatements(s: AwsScope, state: StateLocation): PolicyStatement[] {
  const bucket = bucketArn(s, state.bucketName);
  return [
    { Sid: "ListState", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucket] },
    { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${bucket}/*`] },
    { Sid: "WriteLocksOnly", Effect: "Allow", Action: ["s3:DeleteObject", "s3:PutObject"], Resource: [`${bucket}/*.tflock`] },
    { Sid: "UseStateKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"], Resource: [state.keyArn] },
  ];
}

/** The deploy role's access to the state of its environments only (`<env>/…` keys). */
export function deployStateStatements(s: AwsScope, state: StateLocation, environments: readonly string[]): PolicyStatement[] {
  if (environments.length === 0) throw new Error("the deploy role needs at least one environment");
  const bucket = bucketArn(s, state.bucketName);
  return [
    { Sid: "ListState", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucket] },
    {
      Sid: "ReadWriteEnvironmentState",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      Resource: [...environments].sort().map((env) => `${bucket}/${env}/*`),
    },
    { Sid: "UseStateKey", Effect: "Allow", Action: [...KMS_USE_ACTIONS], Resource: [state.keyArn] },
  ];
}

/**
 * What the deploy role must never do: change the CI roles (its own rights), or weaken or delete
 * the state bucket and its key. Denies win over any allow.
 */
export function deployGuardStatements(s: CiPolicyScope, state: StateLocation): PolicyStatement[] {
  const roles = ciRoleNames(s.namePrefix);
  return [
    {
      Sid: "DenyChangingCiRoles",
      Effect: "Deny",
      Action: [...ROLE_WRITES, "iam:AttachRolePolicy", "iam:PassRole"].sort(),
      Resource: [iamArn(s, `role/${roles.plan}`), iamArn(s, `role/${roles.deploy}`)],
    },
    { Sid: "DenyChangingStateBucket", Effect: "Deny", Action: BUCKET_WRITES, Resource: [bucketArn(s, state.bucketName)] },
    {
      Sid: "DenyChangingStateKey",
      Effect: "Deny",
      Action: [
        "kms:CreateAlias",
        "kms:DeleteAlias",
        "kms:DisableKey",
        "kms:DisableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:UpdateAlias",
        "kms:UpdateKeyDescription",
      ],
      Resource: [state.keyArn, state.keyAliasArn],
    },
  ];
}

/**
 * The deploy role's write rights, split by layer into documents that each fit a customer managed
 * policy (6,144 characters).
 */
export function deployPolicyStatements(s: CiPolicyScope): Readonly<Record<"network" | "cluster" | "addons", PolicyStatement[]>> {
  const p = s.namePrefix;
  const tag = `aws:ResourceTag/${s.managedByTag.key}`;
  return {
    network: [
      {
        // EC2 has almost no resource-level permissions on create; scope to the environment's region.
        Sid: "Ec2NetworkAndNodes",
        Effect: "Allow",
        Action: [
          "ec2:AllocateAddress",
          "ec2:AssociateRouteTable",
          "ec2:AssociateVpcCidrBlock",
          "ec2:AttachInternetGateway",
          "ec2:AuthorizeSecurityGroupEgress",
          "ec2:AuthorizeSecurityGroupIngress",
          "ec2:CreateFlowLogs",
          "ec2:CreateInternetGateway",
          "ec2:CreateLaunchTemplate",
          "ec2:CreateLaunchTemplateVersion",
          "ec2:CreateNatGateway",
          "ec2:CreateRoute",
          "ec2:CreateRouteTable",
          "ec2:CreateSecurityGroup",
          "ec2:CreateSubnet",
          "ec2:CreateSubnetCidrReservation",
          "ec2:CreateTags",
          "ec2:CreateVpc",
          "ec2:CreateVpcEndpoint",
          "ec2:DeleteFlowLogs",
          "ec2:DeleteInternetGateway",
          "ec2:DeleteLaunchTemplate",
          "ec2:DeleteLaunchTemplateVersions",
          "ec2:DeleteNatGateway",
          "ec2:DeleteRoute",
          "ec2:DeleteRouteTable",
          "ec2:DeleteSecurityGroup",
          "ec2:DeleteSubnet",
          "ec2:DeleteSubnetCidrReservation",
          "ec2:DeleteTags",
          "ec2:DeleteVpc",
          "ec2:DeleteVpcEndpoints",
          "ec2:DetachInternetGateway",
          "ec2:DisassociateAddress",
          "ec2:DisassociateRouteTable",
          "ec2:DisassociateVpcCidrBlock",
          "ec2:ModifyLaunchTemplate",
          "ec2:ModifySecurityGroupRules",
          "ec2:ModifySubnetAttribute",
          "ec2:ModifyVpcAttribute",
          "ec2:ModifyVpcEndpoint",
          "ec2:ReleaseAddress",
          "ec2:ReplaceRoute",
          "ec2:ReplaceRouteTableAssociation",
          "ec2:RevokeSecurityGroupEgress",
          "ec2:RevokeSecurityGroupIngress",
          // EKS checks the caller may launch from a launch template with tag specifications.
          "ec2:RunInstances",
          "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
          "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        ],
        Resource: ["*"],
        Condition: inRegion(s),
      },
      {
        // Interface endpoints with private DNS associate the VPC with AWS's private hosted zone.
        Sid: "EndpointPrivateDns",
        Effect: "Allow",
        Action: ["route53:AssociateVPCWithHostedZone"],
        Resource: [`arn:${s.partition}:route53:::hostedzone/*`],
      },
    ],
    cluster: [
      {
        Sid: "EksPlatformClusters",
        Effect: "Allow",
        Action: [
          "eks:AssociateAccessPolicy",
          "eks:AssociateEncryptionConfig",
          "eks:AssociateIdentityProviderConfig",
          "eks:CreateAccessEntry",
          "eks:CreateAddon",
          "eks:CreateCluster",
          "eks:CreateNodegroup",
          "eks:DeleteAccessEntry",
          "eks:DeleteAddon",
          "eks:DeleteCluster",
          "eks:DeleteNodegroup",
          "eks:DisassociateAccessPolicy",
          "eks:DisassociateIdentityProviderConfig",
          "eks:TagResource",
          "eks:UntagResource",
          "eks:UpdateAccessEntry",
          "eks:UpdateAddon",
          "eks:UpdateClusterConfig",
          "eks:UpdateClusterVersion",
          "eks:UpdateNodegroupConfig",
          "eks:UpdateNodegroupVersion",
        ],
        Resource: [
          arn(s, "eks", `cluster/${p}-*`),
          arn(s, "eks", `nodegroup/${p}-*/*/*`),
          arn(s, "eks", `addon/${p}-*/*/*`),
          arn(s, "eks", `access-entry/${p}-*/*`),
          arn(s, "eks", `identityproviderconfig/${p}-*/*`),
        ],
      },
      { Sid: "PlatformRoles", Effect: "Allow", Action: ROLE_WRITES, Resource: [iamArn(s, `role/${p}-*`)] },
      {
        Sid: "AttachOnlyPlatformManagedPolicies",
        Effect: "Allow",
        Action: ["iam:AttachRolePolicy"],
        Resource: [iamArn(s, `role/${p}-*`)],
        Condition: {
          ArnEquals: { "iam:PolicyARN": ATTACHABLE_AWS_MANAGED_POLICIES.map((name) => `arn:${s.partition}:iam::aws:policy/${name}`) },
        },
      },
      {
        Sid: "PassPlatformRoles",
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: [iamArn(s, `role/${p}-*`)],
        Condition: { StringEquals: { "iam:PassedToService": [...PASS_ROLE_SERVICES] } },
      },
      {
        Sid: "ServiceLinkedRoles",
        Effect: "Allow",
        Action: ["iam:CreateServiceLinkedRole"],
        Resource: [iamArn(s, "role/aws-service-role/*")],
        Condition: { StringEquals: { "iam:AWSServiceName": [...SERVICE_LINKED_ROLE_SERVICES] } },
      },
      {
        Sid: "ClusterOidcProviders",
        Effect: "Allow",
        Action: [
          "iam:AddClientIDToOpenIDConnectProvider",
          "iam:CreateOpenIDConnectProvider",
          "iam:DeleteOpenIDConnectProvider",
          "iam:RemoveClientIDFromOpenIDConnectProvider",
          "iam:TagOpenIDConnectProvider",
          "iam:UntagOpenIDConnectProvider",
          "iam:UpdateOpenIDConnectProviderThumbprint",
        ],
        Resource: [iamArn(s, `oidc-provider/oidc.eks.${s.region}.amazonaws.com/id/*`)],
      },
      {
        // CreateKey has no resource-level permission: require the platform tag on the new key.
        Sid: "CreatePlatformKeys",
        Effect: "Allow",
        Action: ["kms:CreateKey"],
        Resource: ["*"],
        Condition: { StringEquals: { [`aws:RequestTag/${s.managedByTag.key}`]: s.managedByTag.value, "aws:RequestedRegion": s.region } },
      },
      {
        Sid: "ManagePlatformKeys",
        Effect: "Allow",
        Action: [
          "kms:CancelKeyDeletion",
          "kms:CreateAlias",
          "kms:Decrypt",
          "kms:DeleteAlias",
          "kms:DescribeKey",
          "kms:EnableKeyRotation",
          "kms:GenerateDataKey",
          "kms:PutKeyPolicy",
          "kms:ScheduleKeyDeletion",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:UpdateAlias",
          "kms:UpdateKeyDescription",
        ],
        Resource: [arn(s, "kms", "key/*")],
        Condition: { StringEquals: { [tag]: s.managedByTag.value } },
      },
      {
        // EKS, RDS, OpenSearch and AMP take grants on the keys of the resources they encrypt.
        Sid: "GrantPlatformKeysToServices",
        Effect: "Allow",
        Action: ["kms:CreateGrant"],
        Resource: [arn(s, "kms", "key/*")],
        Condition: { StringEquals: { [tag]: s.managedByTag.value }, Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      {
        Sid: "PlatformKeyAliases",
        Effect: "Allow",
        Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
        Resource: [arn(s, "kms", `alias/${p}-*`)],
      },
    ],
    addons: [
      {
        Sid: "PlatformLogGroups",
        Effect: "Allow",
        Action: [
          "logs:AssociateKmsKey",
          "logs:CreateLogGroup",
          "logs:DeleteLogGroup",
          "logs:DeleteRetentionPolicy",
          "logs:DisassociateKmsKey",
          "logs:PutRetentionPolicy",
          "logs:TagLogGroup",
          "logs:TagResource",
          "logs:UntagLogGroup",
          "logs:UntagResource",
        ],
        Resource: [arn(s, "logs", `log-group:*${p}-*`)],
      },
      {
        // Log resource policies and vended-log deliveries (OpenSearch, AMP) have no resource-level permissions.
        Sid: "LogDeliveries",
        Effect: "Allow",
        Action: [
          "logs:CreateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:DeleteResourcePolicy",
          "logs:GetLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:UpdateLogDelivery",
        ],
        Resource: ["*"],
        Condition: inRegion(s),
      },
      { Sid: "PlatformBuckets", Effect: "Allow", Action: BUCKET_WRITES, Resource: [`arn:${s.partition}:s3:::${p}-*`] },
      {
        Sid: "PlatformDatabases",
        Effect: "Allow",
        Action: [
          "rds:AddTagsToResource",
          "rds:CreateDBInstance",
          "rds:CreateDBParameterGroup",
          "rds:CreateDBSnapshot",
          "rds:CreateDBSubnetGroup",
          "rds:DeleteDBInstance",
          "rds:DeleteDBParameterGroup",
          "rds:DeleteDBSubnetGroup",
          "rds:ModifyDBInstance",
          "rds:ModifyDBParameterGroup",
          "rds:ModifyDBSubnetGroup",
          "rds:RebootDBInstance",
          "rds:RemoveTagsFromResource",
          "rds:ResetDBParameterGroup",
        ],
        Resource: [
          arn(s, "rds", `db:${p}-*`),
          arn(s, "rds", `pg:${p}-*`),
          arn(s, "rds", `subgrp:${p}-*`),
          arn(s, "rds", `snapshot:${p}-*`),
          arn(s, "rds", "og:default:*"),
        ],
      },
      {
        // RDS creates, rotates and deletes the master-password secret with the caller's rights.
        Sid: "RdsManagedSecrets",
        Effect: "Allow",
        Action: [
          "secretsmanager:CreateSecret",
          "secretsmanager:DeleteSecret",
          "secretsmanager:RotateSecret",
          "secretsmanager:TagResource",
          "secretsmanager:UpdateSecret",
        ],
        Resource: [arn(s, "secretsmanager", "secret:rds!*")],
      },
      {
        Sid: "PlatformSearchDomains",
        Effect: "Allow",
        Action: ["es:AddTags", "es:CreateDomain", "es:DeleteDomain", "es:RemoveTags", "es:UpdateDomainConfig", "es:UpgradeDomain"],
        Resource: [arn(s, "es", `domain/${p}-*`)],
      },
      {
        // AMP workspace ids are generated: no name to scope by.
        Sid: "PrometheusWorkspaces",
        Effect: "Allow",
        Action: [
          "aps:CreateLoggingConfiguration",
          "aps:CreateWorkspace",
          "aps:DeleteLoggingConfiguration",
          "aps:DeleteWorkspace",
          "aps:TagResource",
          "aps:UntagResource",
          "aps:UpdateLoggingConfiguration",
          "aps:UpdateWorkspaceAlias",
          "aps:UpdateWorkspaceConfiguration",
        ],
        Resource: [arn(s, "aps", "workspace/*")],
      },
      {
        Sid: "PlatformQueues",
        Effect: "Allow",
        Action: ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue"],
        Resource: [arn(s, "sqs", `${p}-*`)],
      },
      {
        Sid: "PlatformEventRules",
        Effect: "Allow",
        Action: [
          "events:DeleteRule",
          "events:DisableRule",
          "events:EnableRule",
          "events:PutRule",
          "events:PutTargets",
          "events:RemoveTargets",
          "events:TagResource",
          "events:UntagResource",
        ],
        Resource: [arn(s, "events", `rule/${p}-*`)],
      },
    ],
  };
}
