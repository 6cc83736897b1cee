/**
 * The address demand model of the IP planner: how many addresses each subnet tier needs per AZ at
 * max scale and at the replacement peak. Pure: no cdktf, no I/O.
 *
 * ## Nodes
 *
 * Nodes of a managed node group in one AZ:
 * - at max scale: `maxNodesPerAz`;
 * - at the replacement peak: `2 × maxNodesPerAz`. Every node group is replaced create-before-destroy
 *   (a new group under a new name prefix runs at full size beside the old one before the old one is
 *   deleted), whatever the upgrade strategy; a rolling in-place update adds `maxUnavailable` nodes,
 *   which is never more unless `maxUnavailable > maxNodesPerAz`.
 *
 * Karpenter (when given): Karpenter does not balance zones and a NodePool's CPU limit is its only
 * bound, so the platform runs one NodePool per AZ with its share of the limit, and the planner takes
 * that pool's worst case: the whole per-AZ limit on the allowed instance type that needs the most
 * addresses, `ceil(cpuLimitPerAz / vCPUs)` nodes (Karpenter launches while usage is below the limit,
 * so the last node may pass it).
 *
 * Addresses per node, per pod networking mode:
 * - `secondary-ip`: the VPC CNI warm pool fills whole ENIs: `ENIs × IPv4 per ENI` (private tier).
 * - `prefix-delegation`: `ceil((pods − 2) / 16) + 1` whole /28 prefixes (+1: WARM_PREFIX_TARGET=1;
 *   aws-node and kube-proxy use the host network), where `pods` is the node's max pods, plus one
 *   address per ENI (each ENI's primary address). Prefixes are /28 blocks that must be free and
 *   aligned, so they are planned apart, in whole blocks, in a subnet CIDR reservation.
 * - `custom-networking`: 1 address per node in the private tier (the primary ENI); `(ENIs − 1) ×
 *   IPv4 per ENI` in the pods tier (the primary ENI carries no pods).
 *
 * ## Other consumers per AZ
 * - load balancers: an ALB scales up to 100 addresses across its subnets (AWS: "your load balancer
 *   can scale up to 100 IP addresses distributed across all enabled subnets"), so each needs
 *   `max(8, ceil(addressesPerLoadBalancer / AZs))` in every AZ (8 is AWS's per-subnet minimum);
 * - private: internal load balancers + one ENI per interface endpoint;
 * - public: internet-facing load balancers + 1 (the NAT gateway);
 * - intra: 16 (EKS needs at least 6 and recommends 16 free addresses for its control-plane ENIs);
 * - database: `databaseAddressesPerAz` (no database subnets when it is 0).
 */
import { instanceLimits, maxPods, PodNetworkingMode } from "./max-pods";

/** What a subnet is for. */
export type SubnetTier = "public" | "private" | "pods" | "intra" | "database";

/** Every tier, in the order plans and reports list them. */
export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "private", "pods", "intra", "database"];

/** The minimum free addresses AWS requires per load balancer subnet. */
export const MIN_ADDRESSES_PER_LOAD_BALANCER_SUBNET = 8;

/** Addresses an ALB may use across all its subnets as it scales (AWS's published maximum). */
export const DEFAULT_ADDRESSES_PER_LOAD_BALANCER = 100;

/** Addresses the EKS control plane's cross-account ENIs need per subnet (EKS recommends 16, needs 6). */
export const EKS_CONTROL_PLANE_ADDRESSES = 16;

/** Addresses in one prefix-delegation prefix (an IPv4 /28). */
export const ADDRESSES_PER_PREFIX = 16;

/** WARM_PREFIX_TARGET of the VPC CNI assumed by the prefix-delegation model. */
export const WARM_PREFIX_TARGET = 1;

/** Host-network pods per node (aws-node, kube-proxy) that count against max pods but need no pod address. */
export const HOST_NETWORK_PODS = 2;

/** One managed node group, as the planner sees it. */
export interface NodeGroupDemand {
  /** Node group name, unique in the input. */
  readonly name: string;
  /** Instance types the group may launch; the one needing most addresses sizes the subnets. */
  readonly instanceTypes: readonly string[];
  /** Nodes per AZ at max scale, a non-negative integer. */
  readonly maxNodesPerAz: number;
}

/** Karpenter's node capacity in one AZ, as the planner sees it (one NodePool per AZ). */
export interface KarpenterDemand {
  /** The `spec.limits.cpu` of the AZ's NodePool, in vCPUs. */
  readonly cpuLimitPerAz: number;
  /** Every instance type the NodePool's requirements allow (at least one). */
  readonly instanceTypes: readonly string[];
  /**
   * The kubelet max pods of Karpenter's nodes under prefix delegation.
   * @default - the node's own max pods (EKS's 110/250 cap)
   */
  readonly maxPods?: number;
}

/** How node groups are replaced during upgrades. */
export type UpgradeStrategy =
  | { readonly strategy: "rolling"; readonly maxUnavailable: number }
  | { readonly strategy: "blue-green" };

/** Addresses one node needs. */
export interface NodeAddressDemand {
  /** Single addresses in the private tier (ENI primaries; every pod address in secondary-ip mode). */
  readonly private: number;
  /** Whole /28 prefixes in the private tier (prefix delegation only, else 0). */
  readonly prefixes: number;
  /** Addresses in the pods tier (custom networking only, else 0). */
  readonly pods: number;
}

/**
 * Addresses one node of `instanceType` holds at max pods (see the module header).
 * `nodeAddressDemand("m6i.large", "secondary-ip")` → `{ private: 30, prefixes: 0, pods: 0 }`.
 * @param instanceType an EC2 instance type the VPC CNI knows, e.g. `m6i.large`
 * @param mode how pods get their addresses
 * @param podsOverride the node's kubelet max pods under prefix delegation. @default - EKS's cap
 * @throws UnknownInstanceTypeError for an instance type the VPC CNI limits table lacks
 */
export function nodeAddressDemand(instanceType: string, mode: PodNetworkingMode, podsOverride?: number): NodeAddressDemand {
  const limits = instanceLimits(instanceType);
  switch (mode) {
    case "secondary-ip":
      return { private: limits.enis * limits.ipv4PerEni, prefixes: 0, pods: 0 };
    case "prefix-delegation": {
      const pods = podsOverride ?? maxPods(instanceType, { mode, cap: true });
      const prefixes = Math.ceil(Math.max(0, pods - HOST_NETWORK_PODS) / ADDRESSES_PER_PREFIX) + WARM_PREFIX_TARGET;
      return { private: limits.enis, prefixes, pods: 0 };
    }
    case "custom-networking":
      return { private: 1, prefixes: 0, pods: Math.max(0, limits.enis - 1) * limits.ipv4PerEni };
    default:
      throw new Error(`unknown pod networking mode ${JSON.stringify(mode as string)}`);
  }
}

/** Addresses at max scale and at the replacement peak. */
export interface Peak {
  readonly demand: number;
  readonly peak: number;
}

/** The demand of one tier, per AZ. */
export interface TierDemand {
  readonly tier: SubnetTier;
  /** Single addresses (whole tier; in prefix mode, the private tier's non-prefix addresses). */
  readonly addresses: Peak;
  /** /28 prefixes (prefix delegation, private tier only). */
  readonly prefixes: Peak;
}

/** The inputs of {@link tierDemands}. */
export interface DemandInput {
  readonly azCount: number;
  readonly nodeGroups: readonly NodeGroupDemand[];
  readonly karpenter?: KarpenterDemand;
  readonly podNetworking: PodNetworkingMode;
  readonly upgrade: UpgradeStrategy;
  readonly publicLoadBalancersPerAz: number;
  readonly internalLoadBalancersPerAz: number;
  readonly addressesPerLoadBalancer: number;
  readonly interfaceEndpoints: number;
  readonly databaseAddressesPerAz: number;
}

/**
 * Addresses each load balancer needs in each of its subnets: `max(8, ceil(total / azCount))`.
 * @param totalPerLoadBalancer addresses one load balancer may use across all its subnets
 * @param azCount the AZs (subnets) it spreads over
 */
export function loadBalancerAddressesPerAz(totalPerLoadBalancer: number, azCount: number): number {
  return Math.max(MIN_ADDRESSES_PER_LOAD_BALANCER_SUBNET, Math.ceil(totalPerLoadBalancer / azCount));
}

/** Nodes of a managed group at the replacement peak (see the module header). */
export function peakNodes(maxNodesPerAz: number, upgrade: UpgradeStrategy): number {
  if (maxNodesPerAz === 0) return 0;
  const inPlace = upgrade.strategy === "rolling" ? maxNodesPerAz + upgrade.maxUnavailable : 2 * maxNodesPerAz;
  return Math.max(2 * maxNodesPerAz, inPlace);
}

/**
 * Karpenter's worst case in one AZ, per tier: for each allowed type, `ceil(cpuLimitPerAz / vCPUs)` nodes;
 * the largest total per tier over the types (each tier maximised on its own: an upper bound).
 * @throws Error for a type without a known vCPU count, or no types
 */
export function karpenterWorstCase(karpenter: KarpenterDemand, mode: PodNetworkingMode): NodeAddressDemand {
  if (karpenter.instanceTypes.length === 0) throw new Error("karpenter: the NodePool allows no instance type the planner knows");
  let worst: NodeAddressDemand = { private: 0, prefixes: 0, pods: 0 };
  for (const type of karpenter.instanceTypes) {
    const vcpus = instanceLimits(type).vcpus;
    if (!(vcpus > 0)) throw new Error(`karpenter: no vCPU count known for ${type}`);
    const nodes = Math.ceil(karpenter.cpuLimitPerAz / vcpus);
    const perNode = nodeAddressDemand(type, mode, karpenter.maxPods);
    worst = {
      private: Math.max(worst.private, nodes * perNode.private),
      prefixes: Math.max(worst.prefixes, nodes * perNode.prefixes),
      pods: Math.max(worst.pods, nodes * perNode.pods),
    };
  }
  return worst;
}

/**
 * The demand of every tier the input needs, per AZ, in {@link SUBNET_TIERS} order (no pods tier
 * outside custom networking, no database tier when it asks for 0 addresses).
 */
export function tierDemands(input: DemandInput): TierDemand[] {
  const mode = input.podNetworking;
  const lb = loadBalancerAddressesPerAz(input.addressesPerLoadBalancer, input.azCount);
  const nodes = { private: { demand: 0, peak: 0 }, prefixes: { demand: 0, peak: 0 }, pods: { demand: 0, peak: 0 } };
  const add = (perNode: NodeAddressDemand, demandNodes: number, peakNodeCount: number) => {
    for (const key of ["private", "prefixes", "pods"] as const) {
      nodes[key].demand += demandNodes * perNode[key];
      nodes[key].peak += peakNodeCount * perNode[key];
    }
  };
  for (const group of input.nodeGroups) {
    const perNode = group.instanceTypes
      .map((type) => nodeAddressDemand(type, mode))
      .reduce((a, b) => ({ private: Math.max(a.private, b.private), prefixes: Math.max(a.prefixes, b.prefixes), pods: Math.max(a.pods, b.pods) }));
    add(perNode, group.maxNodesPerAz, peakNodes(group.maxNodesPerAz, input.upgrade));
  }
  if (input.karpenter !== undefined) add(karpenterWorstCase(input.karpenter, mode), 1, 1);

  const fixed = (n: number): Peak => ({ demand: n, peak: n });
  const none: Peak = { demand: 0, peak: 0 };
  const privateBase = input.internalLoadBalancersPerAz * lb + input.interfaceEndpoints;
  const tiers: TierDemand[] = [
    { tier: "public", addresses: fixed(input.publicLoadBalancersPerAz * lb + 1), prefixes: none },
    {
      tier: "private",
      addresses: { demand: privateBase + nodes.private.demand, peak: privateBase + nodes.private.peak },
      prefixes: nodes.prefixes,
    },
  ];
  if (mode === "custom-networking") tiers.push({ tier: "pods", addresses: nodes.pods, prefixes: none });
  tiers.push({ tier: "intra", addresses: fixed(EKS_CONTROL_PLANE_ADDRESSES), prefixes: none });
  if (input.databaseAddressesPerAz > 0) tiers.push({ tier: "database", addresses: fixed(input.databaseAddressesPerAz), prefixes: none });
  return tiers;
}

/** Total addresses of a tier's demand (prefixes counted as 16 addresses each). */
export function totalAddresses(d: TierDemand, which: keyof Peak): number {
  return d.addresses[which] + d.prefixes[which] * ADDRESSES_PER_PREFIX;
}
