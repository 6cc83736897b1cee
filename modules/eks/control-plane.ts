import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { AwsScope, policyDocument, PolicyStatement, trustPolicy } from "../irsa/policy-document";
import { OidcIdentity, STS_AUDIENCE } from "../irsa/irsa-role";
import { PlatformKey } from "../kms/platform-key";

/** Every control-plane log type EKS can send to CloudWatch Logs. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** EKS access policies by the short names used in config. */
export const ACCESS_POLICIES = {
  "cluster-admin": "AmazonEKSClusterAdminPolicy",
  admin: "AmazonEKSAdminPolicy",
  edit: "AmazonEKSEditPolicy",
  view: "AmazonEKSViewPolicy",
  /** Read everything, Secrets included (what `terraform plan` of Helm releases needs). */
  "admin-view": "AmazonEKSAdminViewPolicy",
} as const;
export type AccessPolicyName = keyof typeof ACCESS_POLICIES;

/**
 * What the cluster role may do with the key that envelope-encrypts its secrets: EKS health checks
 * and `UpdateClusterVersion` call these as the cluster role. The statement of terraform-aws-eks
 * v21 (main.tf, `aws_iam_policy.cluster_encryption`, release v21.19.0, commit
 * bef29c4d9523523e57fe898643fde2895106b339): these four actions on the one key, no condition.
 */
export const CLUSTER_KEY_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"] as const;

/** The cluster role's statement on its secrets key. */
export function clusterKeyStatement(keyArn: string): PolicyStatement {
  return { Sid: "ClusterEncryption", Effect: "Allow", Action: [...CLUSTER_KEY_ACTIONS], Resource: [keyArn] };
}

/** A principal's access to the cluster through an EKS access entry. */
export interface ClusterAccess {
  /** IAM role ARN. */
  readonly principalArn: string;
  readonly policy: AccessPolicyName;
  /**
   * Namespaces the policy applies to.
   * @default - the whole cluster
   */
  readonly namespaces?: readonly string[];
  /**
   * Further access policies of the same principal, each on its namespaces (an empty list: the whole
   * cluster), e.g. `{ view: ["search-jobs"] }` next to `policy: "edit"` (EKS allows one association
   * per principal and policy, so `policy` itself cannot appear here). Each becomes the association
   * `access-<key>-policy-<policy>`; `policy` keeps `access-<key>-policy`.
   * @default - `policy` only
   */
  readonly additionalPolicies?: Readonly<Partial<Record<AccessPolicyName, readonly string[]>>>;
}

export interface EksControlPlaneProps {
  /** Cluster name. */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. "1.34". */
  readonly kubernetesVersion: string;
  /** Account, region and partition of the cluster. */
  readonly scope: AwsScope;
  /** Subnets for the control-plane ENIs (the intra tier: no internet route). */
  readonly controlPlaneSubnetIds: readonly string[];
  /**
   * CIDRs that may reach the public endpoint. Empty turns the public endpoint off; the private
   * endpoint is always on.
   * @default [] (private endpoint only)
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Who may use the cluster, by access entry key (stable: the key is part of resource addresses).
   * @default {} (nobody; the creator gets no implicit admin rights)
   */
  readonly access?: Readonly<Record<string, ClusterAccess>>;
  /**
   * Retention of the control-plane log group, in days.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Protect the cluster, its key and its log group from deletion (`prevent_destroy`, and EKS's own
   * deletion protection).
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Register the cluster with Amazon Application Recovery Controller zonal shift
   * (`zonal_shift_config.enabled`), so that traffic to pods can be moved out of an impaired AZ.
   * @default false
   */
  readonly zonalShift?: boolean;
}

/**
 * An EKS control plane as a production platform needs it: secrets envelope encryption with its own
 * rotating KMS key, every control-plane log type in a log group created here (encrypted, with
 * retention, before EKS would create one without), API-only authentication through access
 * entries with no implicit creator admin, the private endpoint on, and an IAM OIDC provider for
 * IRSA.
 */
export class EksControlPlane extends Construct {
  readonly cluster: EksCluster;
  readonly key: PlatformKey;
  readonly logGroup: CloudwatchLogGroup;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** The OIDC identity IRSA roles trust. */
  readonly oidc: OidcIdentity;
  /** Cluster name (a token, so that users depend on the cluster). */
  readonly clusterName: string;

  constructor(scope: Construct, id: string, props: EksControlPlaneProps) {
    super(scope, id);
    const { partition, region, accountId } = props.scope;
    const name = props.clusterName;
    const protect = props.deletionProtection ?? false;
    const logGroupName = `/aws/eks/${name}/cluster`;

    this.key = new PlatformKey(this, "key", {
      alias: `${name}-eks`,
      description: `Encrypts Kubernetes secrets and control-plane logs of ${name}`,
      scope: props.scope,
      cloudWatchLogGroupArns: [`arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName}`],
      preventDestroy: protect,
    });
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyId: this.key.arn,
    });

    const role = new IamRole(this, "role", {
      name: `${name}-cluster`,
      description: `EKS control plane of ${name}`,
      assumeRolePolicy: trustPolicy([
        {
          Effect: "Allow",
          Principal: { Service: "eks.amazonaws.com" },
          Action: ["sts:AssumeRole"],
        },
      ]),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "role-cluster-policy", {
      role: role.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });

    // The key policy lets the account's IAM policies grant use of the key (PlatformKey), so an
    // identity policy on the role is enough.
    const keyPolicy = new IamRolePolicy(this, "role-encryption-policy", {
      name: "secrets-encryption-key",
      role: role.name,
      policy: JSON.stringify(policyDocument([clusterKeyStatement(this.key.arn)])),
    });

    const publicCidrs = props.publicAccessCidrs ?? [];
    this.cluster = new EksCluster(this, "cluster", {
      name,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: [...props.controlPlaneSubnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? [...publicCidrs] : undefined,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.key.arn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      bootstrapSelfManagedAddons: false,
      deletionProtection: protect,
      upgradePolicy: { supportType: "STANDARD" },
      zonalShiftConfig: { enabled: props.zonalShift ?? false },
      dependsOn: [this.logGroup, clusterPolicy, keyPolicy],
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    this.clusterName = this.cluster.name;

    this.oidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: [STS_AUDIENCE],
    });
    this.oidc = {
      providerArn: this.oidcProvider.arn,
      issuer: Fn.replace(this.cluster.identity.get(0).oidc.get(0).issuer, "https://", ""),
    };

    for (const key of Object.keys(props.access ?? {}).sort()) {
      this.grant(key, props.access![key]!, partition);
    }
  }

  private grant(key: string, access: ClusterAccess, partition: string): void {
    const entry = new EksAccessEntry(this, `access-${key}`, {
      clusterName: this.cluster.name,
      principalArn: access.principalArn,
      type: "STANDARD",
    });
    const associate = (id: string, policy: AccessPolicyName, namespaces: readonly string[]) =>
      new EksAccessPolicyAssociation(this, id, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[policy]}`,
        accessScope: namespaces.length > 0 ? { type: "namespace", namespaces: [...namespaces] } : { type: "cluster" },
      });
    associate(`access-${key}-policy`, access.policy, access.namespaces ?? []);
    const additional = access.additionalPolicies ?? {};
    for (const policy of (Object.keys(additional) as AccessPolicyName[]).sort()) {
      if (policy === access.policy) throw new Error(`access ${key}: additionalPolicies repeats its policy "${policy}"; list those namespaces in namespaces`);
      associate(`access-${key}-policy-${policy}`, policy, additional[policy] ?? []);
    }
  }
}
