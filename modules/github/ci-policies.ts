/**
 * What the CI roles may do, as plain policy data (testable without cdktf, checked by the
 * guardrails once synthesized).
 *
 * - The **plan** role of an account reads (AWS's `ReadOnlyAccess`, attached by the construct) and
 *   writes nothing: plans run with `-lock=false`, so it needs no `*.tflock` object.
 * - One **deploy** role per environment (`<prefix>-github-deploy-<env>`) reads the same way and may
 *   write only what that environment's stacks create: every write action is listed explicitly (no
 *   `service:*`), and scoped to the environment's names (`<prefix>-<env>`, `<prefix>-<env>-*`), to
 *   the `ManagedBy` and `Environment` tags where AWS puts no name in the ARN (KMS keys), or to the
 *   region where the service has no resource-level permissions (EC2). Every role it writes must
 *   carry the account's permissions boundary (`iam:PermissionsBoundary`, see
 *   modules/iam/permissions-boundary.ts). Explicit denies keep it off the CI roles, the boundary,
 *   the state bucket and the state key. `PowerUserAccess` or `AdministratorAccess` are refused by
 *   the `IAM-NO-ADMIN` guardrail.
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

/** What one deploy role may write: one environment of the platform. */
export interface DeployScope extends CiPolicyScope {
  /** The environment's name: its resources are `<prefix>-<env>` and `<prefix>-<env>-*`, its state `<env>/…`. */
  readonly environment: string;
  /** The tag key whose value is the environment's name on every resource of it (provider default tags), e.g. `Environment`. */
  readonly environmentTagKey: string;
  /** ARN of the account's permissions boundary (modules/iam/permissions-boundary.ts). */
  readonly permissionsBoundaryArn: string;
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

/** Names of the CI roles: the plan role of an account, the deploy role of each environment, and a pattern for all of them. */
export function ciRoleNames(namePrefix: string): { readonly plan: string; readonly deploy: (environment: string) => string; readonly all: string } {
  return {
    plan: `${namePrefix}-github-plan`,
    deploy: (environment) => `${namePrefix}-github-deploy-${environment}`,
    all: `${namePrefix}-github-*`,
  };
}

/** Names of an environment's resources: `<prefix>-<env>` (the cluster) and `<prefix>-<env>-*` (everything else). */
export function environmentNames(s: DeployScope): { readonly exact: string; readonly prefixed: string } {
  return { exact: `${s.namePrefix}-${s.environment}`, prefixed: `${s.namePrefix}-${s.environment}-*` };
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

/** Services the deploy role may pass platform roles to (cluster, node and add-on roles; Pod Identity roles; flow logs). */
export const PASS_ROLE_SERVICES = ["codebuild.amazonaws.com", "eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"] as const;

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
  "aws_eks_pod_identity_association",
  "aws_eks_identity_provider_config",
  "aws_iam_openid_connect_provider",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_kms_key",
  "aws_kms_alias",
  "aws_codebuild_project",
  "aws_codebuild_webhook",
  // add-ons
  "aws_cloudwatch_log_group",
  "aws_cloudwatch_log_resource_policy",
  "aws_s3_bucket",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_logging",
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
  "s3:PutBucketLogging",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketPolicy",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketTagging",
  "s3:PutBucketVersioning",
  "s3:PutEncryptionConfiguration",
  "s3:PutLifecycleConfiguration",
];

/**
 * Role writes that IAM evaluates with the `iam:PermissionsBoundary` condition key (the boundary the
 * role has or gets). Source: Service Authorization Reference, "Actions, resources, and condition keys
 * for AWS Identity and Access Management" (as generated into frami-xyz/well-know-stacks
 * src/aws/iam/policy/iam.ts @14d63aa): CreateRole, AttachRolePolicy, DetachRolePolicy, PutRolePolicy,
 * DeleteRolePolicy, PutRolePermissionsBoundary and DeleteRolePermissionsBoundary list the key.
 * `AttachRolePolicy` has its own statement (it is also limited by `iam:PolicyARN`).
 */
export const BOUNDED_ROLE_WRITES = [
  "iam:CreateRole",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
] as const;

/**
 * Role writes whose IAM action has no `iam:PermissionsBoundary` key (same source): a condition on it
 * would never match, so these are scoped by role name only (a residual risk, docs/ci.md).
 */
export const UNBOUNDED_ROLE_WRITES = [
  "iam:DeleteRole",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
] as const;

/** Changes of a managed policy; denied on the permissions boundary. */
const POLICY_WRITES = [
  "iam:CreatePolicyVersion",
  "iam:DeletePolicy",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:TagPolicy",
  "iam:UntagPolicy",
];

/** ARN of a regional resource of the scope's account. */
const arn = (s: AwsScope, service: string, resource: string) => `arn:${s.partition}:${service}:${s.region}:${s.accountId}:${resource}`;
/** ARN of an IAM resource of the scope's account (IAM is global: no region). */
const iamArn = (s: AwsScope, resource: string) => `arn:${s.partition}:iam::${s.accountId}:${resource}`;
const inRegion = (s: AwsScope) => ({ StringEquals: { "aws:RequestedRegion": s.region } });
const bucketArn = (s: AwsScope, bucket: string) => `arn:${s.partition}:s3:::${bucket}`;

/**
 * The plan role's access to the state: read every state object of the account, nothing else. Plans
 * run with `-lock=false` (the workflows), so the role writes no lock object.
 */
export function planStateStatements(s: AwsScope, state: StateLocation): PolicyStatement[] {
  const bucket = bucketArn(s, state.bucketName);
  return [
    { Sid: "ListState", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucket] },
    { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${bucket}/*`] },
    { Sid: "UseStateKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: [state.keyArn] },
  ];
}

/** The deploy role's access to the state of its environment only (`<env>/…` keys, lock files included). */
export function deployStateStatements(s: DeployScope, state: StateLocation): PolicyStatement[] {
  const bucket = bucketArn(s, state.bucketName);
  return [
    { Sid: "ListState", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucket] },
    {
      Sid: "ReadWriteEnvironmentState",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      Resource: [`${bucket}/${s.environment}/*`],
    },
    { Sid: "UseStateKey", Effect: "Allow", Action: [...KMS_USE_ACTIONS], Resource: [state.keyArn] },
  ];
}

/**
 * What a deploy role must never do: change the CI roles (its own rights), remove a permissions
 * boundary or change the boundary policy, re-tag another environment's KMS keys, or weaken or
 * delete the state bucket and its key. Denies win over any allow.
 */
export function deployGuardStatements(s: DeployScope, state: StateLocation): PolicyStatement[] {
  return [
    {
      Sid: "DenyChangingCiRoles",
      Effect: "Deny",
      Action: [...BOUNDED_ROLE_WRITES, ...UNBOUNDED_ROLE_WRITES, "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:PassRole"].sort(),
      Resource: [iamArn(s, `role/${ciRoleNames(s.namePrefix).all}`)],
    },
    { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary"], Resource: ["*"] },
    { Sid: "DenyChangingBoundaryPolicy", Effect: "Deny", Action: POLICY_WRITES, Resource: [s.permissionsBoundaryArn] },
    {
      // kms:TagResource on `*` (tag-on-create, below) would otherwise let it re-tag another
      // environment's key into its own and then manage it.
      Sid: "DenyRetaggingOtherEnvironmentsKeys",
      Effect: "Deny",
      Action: ["kms:TagResource", "kms:UntagResource"],
      Resource: [arn(s, "kms", "key/*")],
      Condition: {
        StringNotEquals: { [`aws:ResourceTag/${s.environmentTagKey}`]: s.environment },
        Null: { [`aws:ResourceTag/${s.environmentTagKey}`]: "false" },
      },
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
export function deployPolicyStatements(s: DeployScope): Readonly<Record<"network" | "cluster" | "addons", PolicyStatement[]>> {
  const { exact, prefixed } = environmentNames(s);
  // KMS key ARNs hold no name: the provider's default tags say whose a key is.
  const keyTags = {
    [`aws:ResourceTag/${s.managedByTag.key}`]: s.managedByTag.value,
    [`aws:ResourceTag/${s.environmentTagKey}`]: s.environment,
  };
  const withBoundary = { StringEquals: { "iam:PermissionsBoundary": s.permissionsBoundaryArn } };
  const roles = [iamArn(s, `role/${prefixed}`)];
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
          arn(s, "eks", `cluster/${exact}`),
          arn(s, "eks", `nodegroup/${exact}/*/*`),
          arn(s, "eks", `addon/${exact}/*/*`),
          arn(s, "eks", `access-entry/${exact}/*`),
          arn(s, "eks", `identityproviderconfig/${exact}/*`),
        ],
      },
      {
        // The environment's in-VPC GitHub Actions runners (modules/ci-runner): project and webhook.
        Sid: "PlatformRunnerProjects",
        Effect: "Allow",
        Action: [
          "codebuild:CreateProject",
          "codebuild:CreateWebhook",
          "codebuild:DeleteProject",
          "codebuild:DeleteWebhook",
          "codebuild:UpdateProject",
          "codebuild:UpdateWebhook",
        ],
        Resource: [arn(s, "codebuild", `project/${prefixed}`)],
      },
      // Every role it creates or whose policies it changes carries the account's boundary.
      { Sid: "WriteRolesWithBoundary", Effect: "Allow", Action: [...BOUNDED_ROLE_WRITES], Resource: roles, Condition: withBoundary },
      { Sid: "WriteRolesNoBoundaryKey", Effect: "Allow", Action: [...UNBOUNDED_ROLE_WRITES], Resource: roles },
      {
        Sid: "AttachOnlyPlatformManagedPolicies",
        Effect: "Allow",
        Action: ["iam:AttachRolePolicy"],
        Resource: roles,
        Condition: {
          ArnEquals: { "iam:PolicyARN": ATTACHABLE_AWS_MANAGED_POLICIES.map((name) => `arn:${s.partition}:iam::aws:policy/${name}`) },
          ...withBoundary,
        },
      },
      {
        Sid: "PassPlatformRoles",
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: roles,
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
        // CreateKey has no resource-level permission: require the platform's tags on the new key. The
        // AWS provider sends its default tags inside CreateKey (internal/service/kms/key.go,
        // `Tags: getTagsIn(ctx)`), and tagging on create needs kms:TagResource "in an IAM policy that
        // isn't restricted to particular KMS keys" (KMS Developer Guide, "Controlling access to
        // tags"): hence TagResource on `*`, under the same request-tag and region conditions.
        Sid: "CreatePlatformKeys",
        Effect: "Allow",
        Action: ["kms:CreateKey", "kms:TagResource"],
        Resource: ["*"],
        Condition: {
          StringEquals: {
            [`aws:RequestTag/${s.managedByTag.key}`]: s.managedByTag.value,
            [`aws:RequestTag/${s.environmentTagKey}`]: s.environment,
            "aws:RequestedRegion": s.region,
          },
        },
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
        Condition: { StringEquals: keyTags },
      },
      {
        // EKS, RDS, OpenSearch and AMP take grants on the keys of the resources they encrypt.
        Sid: "GrantPlatformKeysToServices",
        Effect: "Allow",
        Action: ["kms:CreateGrant"],
        Resource: [arn(s, "kms", "key/*")],
        Condition: { StringEquals: keyTags, Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      {
        Sid: "PlatformKeyAliases",
        Effect: "Allow",
        Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
        Resource: [arn(s, "kms", `alias/${prefixed}`)],
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
        // `/aws/eks/<prefix>-<env>/…`, `/aws/rds/instance/<prefix>-<env>-…`, `/aws/vendedlogs/prometheus/<prefix>-<env>`.
        Resource: [`*${exact}`, `*${exact}:*`, `*${exact}/*`, `*${prefixed}`].map((name) => arn(s, "logs", `log-group:${name}`)),
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
      { Sid: "PlatformBuckets", Effect: "Allow", Action: BUCKET_WRITES, Resource: [bucketArn(s, prefixed)] },
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
          arn(s, "rds", `db:${prefixed}`),
          arn(s, "rds", `pg:${prefixed}`),
          arn(s, "rds", `subgrp:${prefixed}`),
          arn(s, "rds", `snapshot:${prefixed}`),
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
        Resource: [arn(s, "es", `domain/${prefixed}`)],
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
        Resource: [arn(s, "sqs", prefixed)],
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
        Resource: [arn(s, "events", `rule/${prefixed}`)],
      },
      {
        // EKS Pod Identity (cluster.workloadIdentity "pod-identity"): Create is authorized on the
        // cluster, Update/Delete on the association (Service Authorization Reference, Amazon EKS:
        // podidentityassociation/<cluster>/<id>); the role itself is passed to pods.eks.amazonaws.com.
        Sid: "EksPodIdentityAssociations",
        Effect: "Allow",
        Action: ["eks:CreatePodIdentityAssociation", "eks:DeletePodIdentityAssociation", "eks:TagResource", "eks:UntagResource", "eks:UpdatePodIdentityAssociation"],
        Resource: [arn(s, "eks", `cluster/${exact}`), arn(s, "eks", `podidentityassociation/${exact}/*`)],
      },
    ],
  };
}
