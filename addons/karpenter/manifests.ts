/**
 * The default `EC2NodeClass` and `NodePool` of Karpenter v1 (API groups `karpenter.k8s.aws/v1` and
 * `karpenter.sh/v1`), built from plain inputs (no cdktf). Field names follow the v1.14 docs
 * (`website/content/en/v1.14/concepts/nodeclasses.md` and `nodepools.md` of
 * aws/karpenter-provider-aws@1d927085dd81a9df9301e613f371dac5b4d16bfe).
 */
import type { KubernetesObject } from "../../modules/helm/custom-resources";
import { DEFAULT_NODE_POOL_REQUIREMENTS } from "./instance-types";
import { karpenterPodDensity } from "./values";
import type { PodNetworkingMode } from "../../modules/network/max-pods";

/** Tag on the private subnets that Karpenter's subnet selector looks for (set by the network layer). */
export const DISCOVERY_TAG = "karpenter.sh/discovery";

/** Karpenter's capacity types. */
export type CapacityType = "on-demand" | "spot";

export interface Ec2NodeClassInput {
  readonly name: string;
  readonly clusterName: string;
  /** Name (not ARN) of the IAM role of the nodes; Karpenter creates the instance profile. */
  readonly nodeRoleName: string;
  /** The cluster security group (EKS attaches it to the control plane and managed nodes). */
  readonly securityGroupId: string;
  /** AMI alias such as `al2023@latest` or a pinned `al2023@v20250715`. */
  readonly amiAlias: string;
  readonly rootVolumeSizeGiB: number;
  readonly podNetworking: PodNetworkingMode;
  /** Tags on the instances, volumes and network interfaces Karpenter launches. */
  readonly tags: Readonly<Record<string, string>>;
}

const AMI_ALIAS = /^al2023@(latest|v\d{8})$/;

/**
 * The node class: Amazon Linux 2023, the private subnets tagged for discovery, the cluster security
 * group, IMDSv2 only with a hop limit of 1 (pods cannot reach the node's credentials), an encrypted
 * gp3 root volume, and the kubelet max pods the VPC CNI mode needs.
 *
 * @throws Error when the AMI alias is not an AL2023 alias or the root volume is smaller than 20 GiB
 */
export function ec2NodeClassManifest(input: Ec2NodeClassInput): KubernetesObject {
  if (!AMI_ALIAS.test(input.amiAlias)) {
    throw new Error(`karpenter: amiAlias must be "al2023@latest" or "al2023@vYYYYMMDD", got "${input.amiAlias}"`);
  }
  if (!Number.isInteger(input.rootVolumeSizeGiB) || input.rootVolumeSizeGiB < 20) {
    throw new Error(`karpenter: rootVolumeSizeGiB must be an integer of at least 20, got ${input.rootVolumeSizeGiB}`);
  }
  const { maxPods } = karpenterPodDensity(input.podNetworking);
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: input.name },
    spec: {
      role: input.nodeRoleName,
      amiSelectorTerms: [{ alias: input.amiAlias }],
      subnetSelectorTerms: [{ tags: { [DISCOVERY_TAG]: input.clusterName } }],
      securityGroupSelectorTerms: [{ id: input.securityGroupId }],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpProtocolIPv6: "disabled",
        httpPutResponseHopLimit: 1,
        httpTokens: "required",
      },
      blockDeviceMappings: [
        {
          // The root device of the AL2023 EKS AMIs.
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: `${input.rootVolumeSizeGiB}Gi`,
            volumeType: "gp3",
            encrypted: true,
            deleteOnTermination: true,
          },
        },
      ],
      ...(maxPods !== undefined ? { kubelet: { maxPods } } : {}),
      tags: { ...input.tags },
    },
  };
}

export interface NodePoolInput {
  readonly name: string;
  /** The `EC2NodeClass` the pool launches from. */
  readonly nodeClassName: string;
  readonly capacityTypes: readonly CapacityType[];
  /** `kubernetes.io/arch` of the nodes. */
  readonly architecture: "amd64" | "arm64";
  /** Ceiling of the pool's total vCPUs (`spec.limits.cpu`). */
  readonly cpuLimit: number;
  /**
   * The one availability zone of the pool (`topology.kubernetes.io/zone`).
   * @default - every zone of the subnets
   */
  readonly zone?: string;
  /** Labels on every node of the pool. */
  readonly labels: Readonly<Record<string, string>>;
  /** Share of the pool's nodes Karpenter may disrupt at once, e.g. `10%`. */
  readonly disruptionBudget: string;
  /** Lifetime of a node before Karpenter replaces it, e.g. `720h`. */
  readonly expireAfter: string;
}

/**
 * The node pool: the instance types of {@link DEFAULT_NODE_POOL_REQUIREMENTS} (current-generation
 * Nitro c, m and r instances with at least 4 vCPUs; the IP planner sizes subnets for the same set), on the given capacity types, consolidated when empty or under-utilized, within a vCPU
 * limit and a disruption budget.
 *
 * @throws Error when no capacity type is given, a capacity type repeats or the CPU limit is not positive
 */
export function nodePoolManifest(input: NodePoolInput): KubernetesObject {
  if (input.capacityTypes.length === 0 || new Set(input.capacityTypes).size !== input.capacityTypes.length) {
    throw new Error(`karpenter: capacityTypes must list each capacity type once, got ${JSON.stringify(input.capacityTypes)}`);
  }
  if (!Number.isInteger(input.cpuLimit) || input.cpuLimit < 1) {
    throw new Error(`karpenter: cpuLimit must be a positive integer, got ${input.cpuLimit}`);
  }
  if (!/^(100|[1-9]?\d)%$|^\d+$/.test(input.disruptionBudget)) {
    throw new Error(`karpenter: disruptionBudget must be a node count or a percentage, got "${input.disruptionBudget}"`);
  }
  const req = DEFAULT_NODE_POOL_REQUIREMENTS;
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: input.name },
    spec: {
      template: {
        metadata: { labels: { ...input.labels } },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: input.nodeClassName },
          requirements: [
            { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
            { key: "kubernetes.io/arch", operator: "In", values: [input.architecture] },
            { key: "karpenter.sh/capacity-type", operator: "In", values: [...input.capacityTypes] },
            ...(input.zone !== undefined ? [{ key: "topology.kubernetes.io/zone", operator: "In", values: [input.zone] }] : []),
            { key: "karpenter.k8s.aws/instance-category", operator: "In", values: [...req.categories] },
            { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: [String(req.minGeneration - 1)] },
            { key: "karpenter.k8s.aws/instance-hypervisor", operator: "In", values: [req.hypervisor] },
            { key: "karpenter.k8s.aws/instance-cpu", operator: "Gt", values: [String(req.minVcpus - 1)] },
          ],
          expireAfter: input.expireAfter,
        },
      },
      limits: { cpu: String(input.cpuLimit) },
      disruption: {
        consolidationPolicy: "WhenEmptyOrUnderutilized",
        consolidateAfter: "1m",
        budgets: [{ nodes: input.disruptionBudget }],
      },
    },
  };
}
