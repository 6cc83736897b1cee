/**
 * The instance types Karpenter's default NodePool may launch, as data and as a pure filter over the
 * VPC CNI instance table, so that the NodePool's requirements and the IP planner's worst case are
 * the same thing (no cdktf).
 */
import { AmiType, amiArchitecture } from "../../modules/eks/node-user-data";
import { instanceLimits, knownInstanceTypes } from "../../modules/network/max-pods";

/** The instance requirements of the default NodePool (well-known Karpenter labels). */
export interface NodePoolInstanceRequirements {
  /** `karpenter.k8s.aws/instance-category` values, e.g. `["c", "m", "r"]`. */
  readonly categories: readonly string[];
  /** Smallest `karpenter.k8s.aws/instance-generation`. */
  readonly minGeneration: number;
  /** `karpenter.k8s.aws/instance-hypervisor`. */
  readonly hypervisor: "nitro";
  /** Smallest `karpenter.k8s.aws/instance-cpu`. */
  readonly minVcpus: number;
}

/**
 * Current-generation (6+) Nitro instances of the c, m and r families with at least 4 vCPUs. Not the
 * 2-vCPU sizes: they carry the most addresses per vCPU (a c8in.large holds 60 pod addresses for
 * 2 vCPUs under custom networking, an xlarge 60 for 4), so allowing them would double the
 * addresses a NodePool's CPU limit can take out of its AZ, and the per-node DaemonSet overhead.
 */
export const DEFAULT_NODE_POOL_REQUIREMENTS: NodePoolInstanceRequirements = {
  categories: ["c", "m", "r"],
  minGeneration: 6,
  hypervisor: "nitro",
  minVcpus: 4,
};

/**
 * Category and generation of an instance type as Karpenter labels them: the letters before the
 * first digit of the family, and that number (`m6i.large` → `m`, 6; `x2idn.16xlarge` → `x`, 2).
 * @returns undefined for names without that shape (e.g. `u-6tb1.metal`)
 */
export function categoryAndGeneration(instanceType: string): { category: string; generation: number } | undefined {
  const match = /^([a-z]+)(\d+)[a-z-]*\./.exec(instanceType);
  if (match === null) return undefined;
  return { category: match[1]!, generation: Number(match[2]) };
}

/**
 * vCPU ceiling of Karpenter's default NodePool: what the `workloads` managed node group could reach
 * at its maximum size (max nodes per AZ × AZs × the vCPUs of its largest instance type), so that
 * choosing Karpenter never allows more compute than the node group's sizing did.
 * @throws Error when no vCPU count is known for the group's instance types
 */
export function karpenterCpuLimit(workloads: { readonly instanceTypes: readonly string[]; readonly maxNodesPerAz: number }, azCount: number): number {
  const vcpus = Math.max(...workloads.instanceTypes.map((type) => instanceLimits(type).vcpus));
  if (!(vcpus > 0)) throw new Error(`karpenter: no vCPU count known for ${workloads.instanceTypes.join(", ")}`);
  return workloads.maxNodesPerAz * azCount * vcpus;
}

/**
 * Every instance type of the VPC CNI table that the requirements allow, sorted.
 * @param amiType the NodePool's AMI type; ARM AMIs allow only arm64 types, the others only x86_64
 *   ones (types of unknown architecture are left out). @default - any architecture
 */
export function allowedInstanceTypes(requirements: NodePoolInstanceRequirements, amiType?: AmiType): string[] {
  const architecture = amiType === undefined ? undefined : amiArchitecture(amiType);
  return knownInstanceTypes().filter((type) => {
    const parsed = categoryAndGeneration(type);
    if (parsed === undefined) return false;
    const limits = instanceLimits(type);
    return (
      requirements.categories.includes(parsed.category) &&
      parsed.generation >= requirements.minGeneration &&
      limits.hypervisor === requirements.hypervisor &&
      limits.vcpus >= requirements.minVcpus &&
      (architecture === undefined || limits.architecture === architecture)
    );
  });
}

