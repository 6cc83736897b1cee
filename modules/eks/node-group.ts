import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Fn, ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { serviceTrustPolicy } from "../irsa/policy-document";
import { AmiType, nodeUserData, nodeVolumes } from "./node-user-data";
import { nodeAmiReleaseVersion } from "./data/kubernetes-versions";

/**
 * Managed policies a node needs when the VPC CNI has its own IRSA role: join the cluster and pull
 * images (pull-only ECR access). `AmazonEKS_CNI_Policy` is deliberately not here.
 */
export const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"] as const;

export interface NodeRoleProps {
  readonly roleName: string;
  readonly partition: string;
}

/** The IAM role of worker nodes, with only the managed policies in `NODE_MANAGED_POLICIES`. */
export class NodeRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  /** The policy attachments, for resources that must wait until the role is usable. */
  readonly attachments: readonly IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: "EKS worker nodes",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    this.attachments = NODE_MANAGED_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(this, policy, {
          role: this.role.name,
          policyArn: `arn:${props.partition}:iam::aws:policy/${policy}`,
        }),
    );
    this.arn = this.role.arn;
  }
}

/** The longest `node_group_name_prefix` the AWS provider accepts: 63 characters less its 26-character unique suffix. */
export const MAX_NODE_GROUP_NAME_PREFIX = 63 - 26;

/**
 * The name prefix of a managed node group: `<group>-<major>-<minor>-` with blue/green upgrades (a new
 * Kubernetes version is a new group), `<group>-` with rolling upgrades (a new version updates the
 * group in place). The AWS provider appends a unique suffix (`id.UniqueId`, 26 characters) and
 * refuses prefixes longer than {@link MAX_NODE_GROUP_NAME_PREFIX} (internal/service/eks/node_group.go).
 *
 * @throws Error naming the prefix when it is longer than {@link MAX_NODE_GROUP_NAME_PREFIX}
 */
export function nodeGroupNamePrefix(groupName: string, kubernetesVersion: string, upgrade: NodeUpgrade): string {
  const prefix = upgrade.strategy === "blue-green" ? `${groupName}-${kubernetesVersion.replace(".", "-")}-` : `${groupName}-`;
  if (prefix.length > MAX_NODE_GROUP_NAME_PREFIX) {
    throw new Error(`node group name prefix "${prefix}" has ${prefix.length} characters; EKS names allow ${MAX_NODE_GROUP_NAME_PREFIX} before the unique suffix`);
  }
  return prefix;
}

/** How a node group is replaced when its Kubernetes version or launch template changes. */
export type NodeUpgrade = { readonly strategy: "rolling"; readonly maxUnavailable: number } | { readonly strategy: "blue-green" };

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

export interface ManagedNodeGroupProps {
  /** Cluster name (a token from the cluster, so that the group waits for it). */
  readonly clusterName: string;
  /** Group name, e.g. `system`. */
  readonly groupName: string;
  /** Kubernetes version of the nodes; follows the control plane. */
  readonly kubernetesVersion: string;
  readonly nodeRoleArn: string;
  /** Private subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  /** Max pods per node, consistent with the VPC CNI mode (see `maxPods`). */
  readonly maxPods: number;
  readonly upgrade: NodeUpgrade;
  /**
   * @default "ON_DEMAND"
   */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  /**
   * @default "AL2023_x86_64_STANDARD"
   */
  readonly amiType?: AmiType;
  /**
   * AMI release of the nodes (`release_version`), of `amiType` on `kubernetesVersion`, e.g.
   * `1.34.9-20260714` for AL2023 or `1.54.0-5043decc` for Bottlerocket.
   * @default - the release pinned for `kubernetesVersion` and `amiType` in modules/eks/data/kubernetes-versions.ts
   */
  readonly releaseVersion?: string;
  /**
   * Root volume size in GiB (gp3, encrypted).
   * @default 50
   */
  readonly diskSizeGiB?: number;
  /**
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * @default []
   */
  readonly taints?: readonly Taint[];
  /**
   * Resources the group must wait for (the VPC CNI add-on, the node role's policies).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * An EKS managed node group on its own launch template: IMDSv2 required with a hop limit of 1 (pods
 * cannot reach the node's credentials; they use IRSA), an encrypted gp3 root volume, no SSH key,
 * and the kubelet's max pods set explicitly. The desired size is left to the autoscaler after
 * creation.
 *
 * The group is named by a prefix (`nodeGroupNamePrefix`; EKS gets the prefix plus a unique suffix)
 * and created before it is destroyed, whatever the upgrade strategy, as terraform-aws-eks v21 does
 * (modules/eks-managed-node-group/main.tf at bef29c4d: `node_group_name_prefix`,
 * `create_before_destroy = true`). A change the provider cannot apply in place (instance types,
 * capacity type, AMI type, subnets, node role, launch template id) therefore brings up a complete
 * new group under a new name before the old one is drained and removed: never two groups with one
 * name (`ResourceInUseException`), never a cluster without its system nodes. With `blue-green`
 * upgrades the prefix carries the Kubernetes version, so a version change is such a replacement
 * too; with `rolling` upgrades a version change updates the group in place, `maxUnavailable` nodes
 * at a time.
 */
export class ManagedNodeGroup extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const amiType = props.amiType ?? "AL2023_x86_64_STANDARD";
    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${props.groupName}-`,
      description: `Nodes of the ${props.groupName} group`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: nodeVolumes(amiType, props.diskSizeGiB ?? 50).map((volume) => ({
        deviceName: volume.deviceName,
        ebs: {
          ...(volume.sizeGiB !== undefined ? { volumeSize: volume.sizeGiB } : {}),
          volumeType: "gp3",
          encrypted: "true",
          deleteOnTermination: "true",
        },
      })),
      userData: Buffer.from(nodeUserData(amiType, { maxPods: props.maxPods }), "utf8").toString("base64"),
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${props.groupName}-node`, "eks-node-group": props.groupName } },
        { resourceType: "volume", tags: { "eks-node-group": props.groupName } },
      ],
      lifecycle: { createBeforeDestroy: true },
    });

    this.nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName: props.clusterName,
      nodeGroupNamePrefix: nodeGroupNamePrefix(props.groupName, props.kubernetesVersion, props.upgrade),
      version: props.kubernetesVersion,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      instanceTypes: [...props.instanceTypes],
      capacityType: props.capacityType ?? "ON_DEMAND",
      amiType,
      releaseVersion: props.releaseVersion ?? nodeAmiReleaseVersion(props.kubernetesVersion, amiType),
      scalingConfig: { minSize: props.minSize, maxSize: props.maxSize, desiredSize: props.minSize },
      updateConfig:
        props.upgrade.strategy === "rolling" ? { maxUnavailable: props.upgrade.maxUnavailable } : { maxUnavailablePercentage: 33 },
      launchTemplate: { id: this.launchTemplate.id, version: Fn.tostring(this.launchTemplate.latestVersion) },
      labels: { ...(props.labels ?? {}) },
      taint: (props.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      dependsOn: [...(props.dependsOn ?? [])],
      lifecycle: {
        ignoreChanges: ["scaling_config[0].desired_size"],
        createBeforeDestroy: true,
      },
    });
  }
}
