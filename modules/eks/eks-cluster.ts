import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { AwsScope } from "../irsa/policy-document";
import { IrsaRole, OidcIdentity } from "../irsa/irsa-role";
import { maxPods, PodNetworkingMode } from "../network/max-pods";
import { resourcesOf } from "../terraform/resources";
import { ClusterAccess, EksControlPlane } from "./control-plane";
import { nodeAmiReleaseVersion, NodeAmiReleaseOverrides } from "./data/kubernetes-versions";
import { vpcCniConfigurationValues } from "./data/vpc-cni-config";
import { addonIrsaRole, ManagedAddon } from "./managed-addons";
import { ManagedNodeGroup, NodeRole, NodeUpgrade, Taint } from "./node-group";
import { AmiType } from "./node-user-data";

/** A managed node group of the cluster, sized for the whole cluster (all AZs). */
export interface NodeGroupSpec {
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  /** @default "ON_DEMAND" */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  /** @default "AL2023_x86_64_STANDARD" */
  readonly amiType?: AmiType;
  /** @default 50 */
  readonly diskSizeGiB?: number;
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly taints?: readonly Taint[];
}

export interface EksClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. "1.34". */
  readonly kubernetesVersion: string;
  readonly scope: AwsScope;
  /** Subnets of the control-plane ENIs (intra tier). */
  readonly controlPlaneSubnetIds: readonly string[];
  /** Private subnets of the nodes, one per AZ. */
  readonly nodeSubnetIds: readonly string[];
  /** How the VPC CNI gives pods addresses; sets the CNI configuration and every group's max pods. */
  readonly podNetworking: PodNetworkingMode;
  /**
   * Pod subnets by AZ name, for `custom-networking` (the VPC CNI creates one ENIConfig per AZ).
   * @default - none; required with custom networking
   */
  readonly podSubnetIds?: Readonly<Record<string, string>>;
  /** Managed node groups by fixed key (the key is part of resource addresses). */
  readonly nodeGroups: Readonly<Record<string, NodeGroupSpec>>;
  readonly upgrade: NodeUpgrade;
  /**
   * Node AMI release per AMI family, replacing the release pinned for `kubernetesVersion`.
   * @default {} - every family runs the release pinned in modules/eks/data/kubernetes-versions.ts
   */
  readonly nodeAmiReleaseVersions?: NodeAmiReleaseOverrides;
  /** @default [] (private endpoint only) */
  readonly publicAccessCidrs?: readonly string[];
  /** @default {} */
  readonly access?: Readonly<Record<string, ClusterAccess>>;
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** Zonal shift of the control plane (`EksControlPlaneProps.zonalShift`). @default false */
  readonly zonalShift?: boolean;
}

/** The max pods of a node group: the lowest of its instance types, so every node honours it. */
export function nodeGroupMaxPods(instanceTypes: readonly string[], mode: PodNetworkingMode): number {
  if (instanceTypes.length === 0) throw new Error("a node group needs at least one instance type");
  return Math.min(...instanceTypes.map((type) => maxPods(type, { mode, cap: true })));
}

/**
 * A complete EKS cluster: control plane, OIDC provider, the managed add-ons and managed node groups,
 * in the order that keeps upgrades safe:
 *
 * 1. control plane (every add-on and node group refers to it, so a version bump applies there first);
 * 2. `vpc-cni` (with its own IRSA role and the pod networking configuration), `kube-proxy` and
 *    `eks-pod-identity-agent`, before any node exists, so no node ever joins with the wrong CNI
 *    configuration or max pods;
 * 3. node groups, which depend on those add-ons and on the `vpc-cni` role's policy attachment;
 * 4. `coredns`, `aws-ebs-csi-driver` and `snapshot-controller`, whose Deployments need nodes to run on.
 */
export class EksCluster extends Construct {
  readonly controlPlane: EksControlPlane;
  readonly nodeRole: NodeRole;
  readonly nodeGroups: Readonly<Record<string, ManagedNodeGroup>>;
  readonly addons: Readonly<Record<string, ManagedAddon>>;
  readonly vpcCniRole: IrsaRole;
  readonly ebsCsiRole: IrsaRole;
  /** The OIDC identity IRSA roles trust. */
  readonly oidc: OidcIdentity;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const name = props.clusterName;
    const { partition } = props.scope;
    if (props.podNetworking === "custom-networking" && Object.keys(props.podSubnetIds ?? {}).length === 0) {
      throw new Error(`${name}: custom-networking needs podSubnetIds (one pod subnet per AZ)`);
    }

    this.controlPlane = new EksControlPlane(this, "control-plane", {
      clusterName: name,
      kubernetesVersion: props.kubernetesVersion,
      scope: props.scope,
      controlPlaneSubnetIds: props.controlPlaneSubnetIds,
      publicAccessCidrs: props.publicAccessCidrs ?? [],
      access: props.access ?? {},
      logRetentionDays: props.logRetentionDays ?? 90,
      deletionProtection: props.deletionProtection ?? false,
      zonalShift: props.zonalShift ?? false,
    });
    this.oidc = this.controlPlane.oidc;
    const cluster = this.controlPlane.cluster;
    const version = props.kubernetesVersion;

    this.vpcCniRole = addonIrsaRole(this, "vpc-cni", { oidc: this.oidc, roleName: `${name}-vpc-cni`, partition });
    this.ebsCsiRole = addonIrsaRole(this, "aws-ebs-csi-driver", { oidc: this.oidc, roleName: `${name}-ebs-csi`, partition });

    const vpcCni = new ManagedAddon(this, "addon-vpc-cni", {
      clusterName: cluster.name,
      addonName: "vpc-cni",
      kubernetesVersion: version,
      serviceAccountRoleArn: this.vpcCniRole.roleArn,
      configuration: vpcCniConfigurationValues({
        mode: props.podNetworking,
        region: props.scope.region,
        ...(props.podNetworking === "custom-networking"
          ? { podSubnets: props.podSubnetIds!, podSecurityGroupIds: [cluster.vpcConfig.clusterSecurityGroupId] }
          : {}),
      }),
    });
    const kubeProxy = new ManagedAddon(this, "addon-kube-proxy", {
      clusterName: cluster.name,
      addonName: "kube-proxy",
      kubernetesVersion: version,
    });
    const podIdentity = new ManagedAddon(this, "addon-eks-pod-identity-agent", {
      clusterName: cluster.name,
      addonName: "eks-pod-identity-agent",
      kubernetesVersion: version,
    });

    this.nodeRole = new NodeRole(this, "node-role", { roleName: `${name}-node`, partition });
    // The add-on only refers to the role, not to its policy: without this, nodes could join while
    // aws-node still has no right to attach ENIs and addresses, and stay NotReady.
    const vpcCniPolicies = resourcesOf(this.vpcCniRole).filter((r) => r instanceof IamRolePolicyAttachment);
    const groups: Record<string, ManagedNodeGroup> = {};
    for (const key of Object.keys(props.nodeGroups).sort()) {
      const spec = props.nodeGroups[key]!;
      const amiType = spec.amiType ?? "AL2023_x86_64_STANDARD";
      groups[key] = new ManagedNodeGroup(this, `node-group-${key}`, {
        clusterName: cluster.name,
        groupName: key,
        kubernetesVersion: version,
        nodeRoleArn: this.nodeRole.arn,
        subnetIds: props.nodeSubnetIds,
        instanceTypes: spec.instanceTypes,
        minSize: spec.minSize,
        maxSize: spec.maxSize,
        maxPods: nodeGroupMaxPods(spec.instanceTypes, props.podNetworking),
        upgrade: props.upgrade,
        capacityType: spec.capacityType ?? "ON_DEMAND",
        amiType,
        releaseVersion: nodeAmiReleaseVersion(version, amiType, props.nodeAmiReleaseVersions),
        diskSizeGiB: spec.diskSizeGiB ?? 50,
        labels: spec.labels ?? {},
        taints: spec.taints ?? [],
        dependsOn: [vpcCni.addon, kubeProxy.addon, podIdentity.addon, ...vpcCniPolicies, ...this.nodeRole.attachments],
      });
    }
    this.nodeGroups = groups;
    const nodes = Object.values(groups).map((g) => g.nodeGroup);

    const coredns = new ManagedAddon(this, "addon-coredns", {
      clusterName: cluster.name,
      addonName: "coredns",
      kubernetesVersion: version,
      dependsOn: nodes,
    });
    const ebsCsi = new ManagedAddon(this, "addon-aws-ebs-csi-driver", {
      clusterName: cluster.name,
      addonName: "aws-ebs-csi-driver",
      kubernetesVersion: version,
      serviceAccountRoleArn: this.ebsCsiRole.roleArn,
      dependsOn: nodes,
    });
    // The VolumeSnapshot CRDs and controller (EBS CSI snapshots, Velero's CSI backups).
    const snapshotController = new ManagedAddon(this, "addon-snapshot-controller", {
      clusterName: cluster.name,
      addonName: "snapshot-controller",
      kubernetesVersion: version,
      dependsOn: nodes,
    });
    this.addons = {
      "vpc-cni": vpcCni,
      "kube-proxy": kubeProxy,
      "eks-pod-identity-agent": podIdentity,
      coredns,
      "aws-ebs-csi-driver": ebsCsi,
      "snapshot-controller": snapshotController,
    };
  }
}
