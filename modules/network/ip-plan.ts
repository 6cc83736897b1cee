/**
 * The IP planner: sizes every subnet from the cluster it must hold, then packs the subnets into the
 * VPC CIDR (and the secondary pod CIDR) deterministically. Pure: no cdktf, no I/O, no clock.
 *
 * ## Demand model (per AZ; every AZ gets the same subnets)
 *
 * Nodes of a node group in one AZ:
 * - at max scale: `maxNodesPerAz`;
 * - during an upgrade: rolling → `maxNodesPerAz + maxUnavailable` (replacement nodes join before
 *   old ones leave); blue/green → `2 × maxNodesPerAz` (the whole new group runs beside the old).
 *   A group with `maxNodesPerAz = 0` has nothing to replace and stays at 0.
 *
 * Addresses per node, taking the group's instance type that needs the most (per tier):
 * - `secondary-ip`: the VPC CNI warm pool fills whole ENIs, so a node at max pods holds
 *   `ENIs × IPv4 per ENI` addresses, all in the private tier (m6i.large: 3 × 10 = 30).
 * - `prefix-delegation`: `pods = maxPods(type, { mode, cap: true })`, the node needs
 *   `prefixes = ceil((pods − 2) / 16) + 1` /28 prefixes (the 2 host-network pods, aws-node and
 *   kube-proxy, need no pod address; +1 is the warm prefix of WARM_PREFIX_TARGET=1) and
 *   `prefixes × 16 + ENIs` addresses (each ENI's primary address). Private tier.
 * - `custom-networking`: 1 address per node in the private tier (the primary ENI's address);
 *   `(ENIs − 1) × IPv4 per ENI` per node in the pods tier, inside `podCidr` (the primary ENI
 *   carries no pods).
 *
 * Other consumers per AZ:
 * - private: `internalLoadBalancersPerAz × 8` (an ALB may use up to 8 addresses per subnet as it
 *   scales) + `interfaceEndpoints` (one ENI per endpoint per AZ), plus the nodes above;
 * - public: `publicLoadBalancersPerAz × 8 + 1` (the NAT gateway);
 * - intra: 16, regardless of scale (EKS needs at least 6 and recommends 16 free addresses for its
 *   cross-account control-plane ENIs);
 * - database: `databaseAddressesPerAz` (no database subnets when it is 0);
 * - pods: only with `custom-networking`, see above.
 *
 * `demand` is the total at max scale, `peakDuringUpgrade` the total with the upgrade's extra
 * nodes (equal to `demand` for tiers without nodes).
 *
 * ## Sizing
 *
 * A subnet must hand out `required = ceil(peakDuringUpgrade × (1 + growthFactor))` addresses
 * (floating-point noise below 1e-9 is ignored when rounding up). Its prefix is the longest one
 * whose usable addresses (size − 5, AWS reserves 5 per subnet) reach `required`, never longer than
 * /28 (the AWS minimum) and never shorter than /16 (the AWS maximum: a tier that needs more per AZ
 * is rejected with a plain Error, since no VPC size fixes it).
 *
 * With prefix delegation, prefixes are /28 blocks: the address count above is whole prefixes plus
 * the ENI primaries, and the growth factor absorbs the /28 blocks lost to the reserved addresses.
 *
 * ## Allocation
 *
 * Tiers live in a source CIDR: pods in `podCidr`, all others in `vpcCidr`. Within each source
 * CIDR the blocks are allocated largest first (ties: tier order public, private, pods, intra,
 * database, then AZ order as given), packed from the start of the CIDR. Every block size is a power
 * of two and no block follows a smaller one, so each block is aligned to its own size, blocks are
 * disjoint and there are no gaps. The plan fits when the sum of the block sizes is at most the
 * source CIDR's size; otherwise an {@link IpPlanError} reports the smallest prefix length that would
 * fit. The free remainder of each source CIDR is reported as literal aligned CIDR blocks
 * (`unallocated`): headroom for growth is reported, never silently used up. A `podCidr` given in a
 * mode other than custom-networking is not used and is reported whole as unallocated.
 */
import {
  addressAt,
  blockSize,
  cidrsOverlap,
  parseCidr,
  ParsedCidr,
  prefixLengthForAddresses,
  prefixLengthForUsableAddresses,
  rangeToCidrs,
  AWS_MAX_SUBNET_PREFIX_LENGTH,
  usableAddresses,
} from "./cidr";
import { instanceLimits, maxPods, PodNetworkingMode } from "./max-pods";

export type { PodNetworkingMode } from "./max-pods";

/** What a subnet is for. */
export type SubnetTier = "public" | "private" | "pods" | "intra" | "database";

/** Every tier, in the order plans and reports list them. */
export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "private", "pods", "intra", "database"];

/** Addresses an ALB/NLB may use in one subnet as it scales. */
export const ADDRESSES_PER_LOAD_BALANCER = 8;

/** Addresses the EKS control plane's cross-account ENIs need per subnet (EKS recommends 16, needs 6). */
export const EKS_CONTROL_PLANE_ADDRESSES = 16;

/** Addresses in one prefix-delegation prefix (an IPv4 /28). */
export const ADDRESSES_PER_PREFIX = 16;

/** WARM_PREFIX_TARGET of the VPC CNI assumed by the prefix-delegation model. */
export const WARM_PREFIX_TARGET = 1;

/** Host-network pods per node (aws-node, kube-proxy) that count against max pods but need no pod address. */
export const HOST_NETWORK_PODS = 2;

/** Default growth fraction on top of the peak. */
export const DEFAULT_GROWTH_FACTOR = 0.2;

/** One managed node group, as the planner sees it. */
export interface NodeGroupDemand {
  /** Node group name, unique in the input. */
  readonly name: string;
  /** Instance types the group may launch; the one needing most addresses sizes the subnets. */
  readonly instanceTypes: readonly string[];
  /** Nodes per AZ at max scale, a non-negative integer. */
  readonly maxNodesPerAz: number;
}

/** How node groups are replaced during upgrades, which sets the peak node count. */
export type UpgradeStrategy =
  | { readonly strategy: "rolling"; readonly maxUnavailable: number }
  | { readonly strategy: "blue-green" };

/** What the planner sizes the subnets for. */
export interface IpPlanInput {
  /** Primary VPC CIDR: public, private, intra and database tiers. */
  readonly vpcCidr: string;
  /**
   * Secondary CIDR for the pods tier. Required for `custom-networking`; in other modes it is not
   * used and is reported whole as unallocated (plus a note).
   * @default - none
   */
  readonly podCidr?: string;
  /** Availability zones, e.g. `["ap-northeast-2a", "ap-northeast-2b"]`; subnets follow this order. */
  readonly azs: readonly string[];
  /** Node groups; at least one. */
  readonly nodeGroups: readonly NodeGroupDemand[];
  /** How pods get their addresses. */
  readonly podNetworking: PodNetworkingMode;
  /** How nodes are replaced during upgrades. */
  readonly upgrade: UpgradeStrategy;
  /**
   * Internet-facing load balancers per AZ (public tier).
   * @default 2
   */
  readonly publicLoadBalancersPerAz?: number;
  /**
   * Internal load balancers per AZ (private tier).
   * @default 2
   */
  readonly internalLoadBalancersPerAz?: number;
  /**
   * Interface VPC endpoints, one ENI each per AZ in the private tier.
   * @default 0
   */
  readonly interfaceEndpoints?: number;
  /**
   * Addresses per AZ for databases; 0 means no database subnets.
   * @default 16
   */
  readonly databaseAddressesPerAz?: number;
  /**
   * Extra fraction of the peak each subnet must hold for growth, e.g. 0.25.
   * @default 0.2
   */
  readonly growthFactor?: number;
}

/** One subnet of the plan. */
export interface PlannedSubnet {
  /** What the subnet is for. */
  readonly tier: SubnetTier;
  /** Availability zone, as given in the input. */
  readonly az: string;
  /** Literal CIDR, e.g. `10.10.0.0/22`. */
  readonly cidr: string;
  /** Prefix length of `cidr`, 16-28. */
  readonly prefixLength: number;
  /** Addresses AWS lets the subnet hand out (size − 5). */
  readonly usable: number;
  /** Addresses at max scale. */
  readonly demand: number;
  /** Addresses at max scale during an upgrade. */
  readonly peakDuringUpgrade: number;
  /** Share of the usable addresses still free at the upgrade peak, in percent, one decimal. */
  readonly headroomPercent: number;
}

/** The result of {@link planSubnets}. */
export interface IpPlan {
  /** The primary VPC CIDR, canonical. */
  readonly vpcCidr: string;
  /**
   * The secondary pod CIDR, when one was given.
   * @default - none
   */
  readonly podCidr?: string;
  /** Subnets ordered by tier (public, private, pods, intra, database), then by AZ as given. */
  readonly subnets: readonly PlannedSubnet[];
  /** Unallocated blocks left for growth, literal CIDRs: the VPC CIDR's first, then the pod CIDR's. */
  readonly unallocated: readonly string[];
  /** Total addresses in `unallocated`. */
  readonly unallocatedAddresses: number;
  /** Remarks about the input, e.g. a pod CIDR that the chosen mode does not use. */
  readonly notes: readonly string[];
}

/** Thrown by {@link planSubnets} when the subnets do not fit in their source CIDR. */
export class IpPlanError extends Error {
  /** The first tier (in allocation order) that found no room. */
  readonly tier: SubnetTier;
  /** Addresses that tier needs per AZ, growth included (`ceil(peak × (1 + growthFactor))`). */
  readonly demand: number;
  /** The source CIDR that is too small (the VPC CIDR, or the pod CIDR for the pods tier). */
  readonly cidr: string;
  /** The longest prefix length of that source CIDR that fits every subnet planned in it. */
  readonly smallestFittingPrefix: number;

  constructor(message: string, details: { tier: SubnetTier; demand: number; cidr: string; smallestFittingPrefix: number }) {
    super(message);
    this.name = "IpPlanError";
    this.tier = details.tier;
    this.demand = details.demand;
    this.cidr = details.cidr;
    this.smallestFittingPrefix = details.smallestFittingPrefix;
  }
}

/** Addresses one node needs, per tier, under a pod networking mode. */
export interface NodeAddressDemand {
  /** Addresses in the private tier. */
  readonly private: number;
  /** Addresses in the pods tier (custom networking only, else 0). */
  readonly pods: number;
}

/**
 * Addresses one node of `instanceType` holds at max pods, per tier (see the module header).
 * `nodeAddressDemand("m6i.large", "secondary-ip")` → `{ private: 30, pods: 0 }`.
 * @param instanceType an EC2 instance type the VPC CNI knows, e.g. `m6i.large`
 * @param mode how pods get their addresses
 * @throws UnknownInstanceTypeError for an instance type the VPC CNI limits table lacks
 */
export function nodeAddressDemand(instanceType: string, mode: PodNetworkingMode): NodeAddressDemand {
  const limits = instanceLimits(instanceType);
  switch (mode) {
    case "secondary-ip":
      return { private: limits.enis * limits.ipv4PerEni, pods: 0 };
    case "prefix-delegation": {
      const pods = maxPods(instanceType, { mode, cap: true });
      const prefixes = Math.ceil(Math.max(0, pods - HOST_NETWORK_PODS) / ADDRESSES_PER_PREFIX) + WARM_PREFIX_TARGET;
      return { private: prefixes * ADDRESSES_PER_PREFIX + limits.enis, pods: 0 };
    }
    case "custom-networking":
      return { private: 1, pods: Math.max(0, limits.enis - 1) * limits.ipv4PerEni };
    default:
      throw new Error(`unknown pod networking mode ${JSON.stringify(mode as string)}`);
  }
}

/**
 * Addresses a subnet must hand out for a peak and growth factor:
 * `ceil(peak × (1 + growthFactor))`, ignoring floating-point noise below 1e-9
 * (`requiredAddresses(796, 0.2)` → 956).
 * @param peak addresses in use at the upgrade peak
 * @param growthFactor extra fraction on top, e.g. 0.2
 */
export function requiredAddresses(peak: number, growthFactor: number): number {
  return Math.max(0, Math.ceil(peak * (1 + growthFactor) - 1e-9));
}

interface TierSizing {
  readonly tier: SubnetTier;
  readonly source: ParsedCidr;
  readonly demand: number;
  readonly peak: number;
  readonly required: number;
  readonly prefixLength: number;
}

interface Block {
  readonly sizing: TierSizing;
  readonly az: string;
  readonly azIndex: number;
  readonly size: number;
}

/**
 * Sizes and places every subnet (see the module header for the model).
 * @throws IpPlanError when the subnets do not fit in the VPC CIDR or the pod CIDR
 * @throws Error for invalid input: malformed or overlapping CIDRs, custom-networking without
 *   `podCidr`, no or repeated AZs, no node groups, negative counts, a tier needing more than a /16
 * @throws UnknownInstanceTypeError for an instance type the VPC CNI limits table lacks
 */
export function planSubnets(input: IpPlanInput): IpPlan {
  const vpc = parseCidr(input.vpcCidr, "vpcCidr");
  const pod = input.podCidr !== undefined ? parseCidr(input.podCidr, "podCidr") : undefined;
  validate(input, vpc, pod);

  const growth = input.growthFactor ?? DEFAULT_GROWTH_FACTOR;
  const sizings = tierSizings(input, vpc, pod, growth);

  const placed = new Map<string, string>();
  const unallocated: string[] = [];
  let unallocatedAddresses = 0;
  const notes: string[] = [];

  for (const source of pod === undefined ? [vpc] : [vpc, pod]) {
    const blocks: Block[] = sizings
      .filter((s) => s.source === source)
      .flatMap((sizing) => input.azs.map((az, azIndex) => ({ sizing, az, azIndex, size: blockSize(sizing.prefixLength) })))
      .sort(
        (a, b) =>
          b.size - a.size ||
          SUBNET_TIERS.indexOf(a.sizing.tier) - SUBNET_TIERS.indexOf(b.sizing.tier) ||
          a.azIndex - b.azIndex,
      );
    if (source === pod && blocks.length === 0) {
      notes.push(
        `podCidr ${pod.cidr} is not used: with ${input.podNetworking} pods take addresses from the private subnets; it is reported as unallocated`,
      );
    }

    let offset = 0;
    for (const block of blocks) {
      if (offset + block.size > source.size) throw notFitting(block, blocks, source, growth, input.azs.length);
      placed.set(key(block.sizing.tier, block.az), addressAt(source, offset) + `/${block.sizing.prefixLength}`);
      offset += block.size;
    }
    if (offset < source.size) {
      unallocated.push(...rangeToCidrs(addressAt(source, offset), source.size - offset));
      unallocatedAddresses += source.size - offset;
    }
  }

  const subnets: PlannedSubnet[] = [];
  for (const tier of SUBNET_TIERS) {
    const sizing = sizings.find((s) => s.tier === tier);
    if (sizing === undefined) continue;
    const usable = usableAddresses(sizing.prefixLength);
    for (const az of input.azs) {
      subnets.push({
        tier,
        az,
        cidr: placed.get(key(tier, az))!,
        prefixLength: sizing.prefixLength,
        usable,
        demand: sizing.demand,
        peakDuringUpgrade: sizing.peak,
        headroomPercent: Math.round(((usable - sizing.peak) / usable) * 1000) / 10,
      });
    }
  }

  return {
    vpcCidr: vpc.cidr,
    ...(pod !== undefined ? { podCidr: pod.cidr } : {}),
    subnets,
    unallocated,
    unallocatedAddresses,
    notes,
  };
}

/**
 * The subnets of one tier, ordered by AZ as given in the input.
 * @param plan a plan from {@link planSubnets}
 * @param tier the tier to select
 */
export function subnetsOf(plan: IpPlan, tier: SubnetTier): PlannedSubnet[] {
  return plan.subnets.filter((s) => s.tier === tier);
}

/** One line of the capacity report. */
export interface CapacityRow {
  /** `tier/az`, e.g. `private/ap-northeast-2a`. */
  readonly subnet: string;
  /** What the subnet is for. */
  readonly tier: SubnetTier;
  /** Availability zone. */
  readonly az: string;
  /** Literal CIDR. */
  readonly cidr: string;
  /** Addresses AWS lets the subnet hand out (size − 5). */
  readonly usable: number;
  /** Projected addresses in use at max scale. */
  readonly peakAtMaxScale: number;
  /** Projected addresses in use at max scale during an upgrade. */
  readonly peakDuringUpgrade: number;
  /** Share of usable addresses still free at the upgrade peak, percent. */
  readonly headroomPercent: number;
}

/**
 * The plan as report rows, in the plan's subnet order (tier, then AZ).
 * @param plan a plan from {@link planSubnets}
 */
export function capacityReport(plan: IpPlan): CapacityRow[] {
  return plan.subnets.map((s) => ({
    subnet: `${s.tier}/${s.az}`,
    tier: s.tier,
    az: s.az,
    cidr: s.cidr,
    usable: s.usable,
    peakAtMaxScale: s.demand,
    peakDuringUpgrade: s.peakDuringUpgrade,
    headroomPercent: s.headroomPercent,
  }));
}

/**
 * The capacity report as a Markdown table, then a line with the unallocated space and one line per
 * note. Deterministic (no locale-dependent formatting); ends without a newline.
 * @param plan a plan from {@link planSubnets}
 */
export function formatCapacityReport(plan: IpPlan): string {
  const header = ["Subnet", "CIDR", "Usable", "Peak at max scale", "Peak during upgrade", "Headroom"];
  const rows = capacityReport(plan).map((r) => [
    r.subnet,
    r.cidr,
    formatCount(r.usable),
    formatCount(r.peakAtMaxScale),
    formatCount(r.peakDuringUpgrade),
    `${r.headroomPercent.toFixed(1)}%`,
  ]);
  const lines = [
    `| ${header.join(" | ")} |`,
    `| --- | --- | ---: | ---: | ---: | ---: |`,
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
    "",
    plan.unallocated.length === 0
      ? "Unallocated: none (0 addresses)"
      : `Unallocated: ${plan.unallocated.join(", ")} (${formatCount(plan.unallocatedAddresses)} addresses)`,
    ...plan.notes.map((n) => `Note: ${n}`),
  ];
  return lines.join("\n");
}

function tierSizings(input: IpPlanInput, vpc: ParsedCidr, pod: ParsedCidr | undefined, growth: number): TierSizing[] {
  const mode = input.podNetworking;
  let privateDemand = (input.internalLoadBalancersPerAz ?? 2) * ADDRESSES_PER_LOAD_BALANCER + (input.interfaceEndpoints ?? 0);
  let privatePeak = privateDemand;
  let podsDemand = 0;
  let podsPeak = 0;
  for (const group of input.nodeGroups) {
    const perNode = group.instanceTypes
      .map((type) => nodeAddressDemand(type, mode))
      .reduce((a, b) => ({ private: Math.max(a.private, b.private), pods: Math.max(a.pods, b.pods) }));
    const nodes = group.maxNodesPerAz;
    const upgradeNodes =
      nodes === 0 ? 0 : input.upgrade.strategy === "rolling" ? nodes + input.upgrade.maxUnavailable : 2 * nodes;
    privateDemand += nodes * perNode.private;
    privatePeak += upgradeNodes * perNode.private;
    podsDemand += nodes * perNode.pods;
    podsPeak += upgradeNodes * perNode.pods;
  }
  const publicDemand = (input.publicLoadBalancersPerAz ?? 2) * ADDRESSES_PER_LOAD_BALANCER + 1;
  const databaseDemand = input.databaseAddressesPerAz ?? 16;

  const tiers: { tier: SubnetTier; source: ParsedCidr; demand: number; peak: number }[] = [
    { tier: "public", source: vpc, demand: publicDemand, peak: publicDemand },
    { tier: "private", source: vpc, demand: privateDemand, peak: privatePeak },
    ...(mode === "custom-networking" ? [{ tier: "pods" as const, source: pod!, demand: podsDemand, peak: podsPeak }] : []),
    { tier: "intra", source: vpc, demand: EKS_CONTROL_PLANE_ADDRESSES, peak: EKS_CONTROL_PLANE_ADDRESSES },
    ...(databaseDemand > 0 ? [{ tier: "database" as const, source: vpc, demand: databaseDemand, peak: databaseDemand }] : []),
  ];
  return tiers.map((t) => {
    const required = requiredAddresses(t.peak, growth);
    const prefixLength = prefixLengthForUsableAddresses(required);
    if (prefixLength < AWS_MAX_SUBNET_PREFIX_LENGTH) {
      throw new Error(
        `${t.tier} tier needs ${formatCount(required)} addresses per AZ (peak ${formatCount(t.peak)} incl. ${formatPercent(growth)} growth), ` +
          `more than a /${AWS_MAX_SUBNET_PREFIX_LENGTH}, the largest subnet AWS allows (${formatCount(usableAddresses(AWS_MAX_SUBNET_PREFIX_LENGTH))} usable): ` +
          `spread the nodes over more AZs, lower maxNodesPerAz or change the pod networking mode`,
      );
    }
    return { ...t, required, prefixLength };
  });
}

function notFitting(block: Block, blocks: readonly Block[], source: ParsedCidr, growth: number, azCount: number): IpPlanError {
  const total = blocks.reduce((sum, b) => sum + b.size, 0);
  const smallestFittingPrefix = prefixLengthForAddresses(total);
  const { tier, required, prefixLength } = block.sizing;
  const awsLimit =
    smallestFittingPrefix < AWS_MAX_SUBNET_PREFIX_LENGTH
      ? `; AWS allows at most a /${AWS_MAX_SUBNET_PREFIX_LENGTH} per VPC CIDR block, so lower the demand or spread it over more AZs`
      : "";
  return new IpPlanError(
    `${tier} tier needs ${azCount} × /${prefixLength} (peak ${formatCount(required)} addresses per AZ incl. ${formatPercent(growth)} growth) ` +
      `but ${source.cidr} is too small: the plan needs a /${smallestFittingPrefix} or larger ` +
      `(${formatCount(total)} addresses for all subnets in it)${awsLimit}`,
    { tier, demand: required, cidr: source.cidr, smallestFittingPrefix },
  );
}

function validate(input: IpPlanInput, vpc: ParsedCidr, pod: ParsedCidr | undefined): void {
  const modes: readonly string[] = ["secondary-ip", "prefix-delegation", "custom-networking"];
  if (!modes.includes(input.podNetworking)) {
    throw new Error(`podNetworking must be one of ${modes.join(", ")}, got ${JSON.stringify(input.podNetworking)}`);
  }
  if (pod !== undefined && cidrsOverlap(vpc, pod)) {
    throw new Error(`podCidr ${pod.cidr} overlaps vpcCidr ${vpc.cidr}; the pod CIDR must be a separate block`);
  }
  if (input.podNetworking === "custom-networking" && pod === undefined) {
    throw new Error("custom-networking needs a podCidr (a secondary CIDR such as 100.64.0.0/16) for the pods tier");
  }
  if (input.azs.length === 0) throw new Error("azs must name at least one availability zone");
  input.azs.forEach((az) => {
    if (typeof az !== "string" || az.length === 0) throw new Error(`azs must be non-empty names, got ${JSON.stringify(az)}`);
  });
  const repeatedAz = input.azs.find((az, i) => input.azs.indexOf(az) !== i);
  if (repeatedAz !== undefined) throw new Error(`azs must not repeat an availability zone: ${repeatedAz} appears more than once`);

  if (input.nodeGroups.length === 0) throw new Error("nodeGroups must contain at least one node group");
  const names = new Set<string>();
  for (const group of input.nodeGroups) {
    if (names.has(group.name)) throw new Error(`node group names must be unique: ${group.name} appears more than once`);
    names.add(group.name);
    if (group.instanceTypes.length === 0) throw new Error(`node group ${group.name} has no instance types`);
    if (!Number.isInteger(group.maxNodesPerAz) || group.maxNodesPerAz < 0) {
      throw new Error(`node group ${group.name}: maxNodesPerAz must be an integer >= 0, got ${group.maxNodesPerAz}`);
    }
  }

  if (input.upgrade.strategy === "rolling") {
    nonNegativeInteger("upgrade.maxUnavailable", input.upgrade.maxUnavailable);
  } else if (input.upgrade.strategy !== "blue-green") {
    throw new Error(`upgrade.strategy must be "rolling" or "blue-green", got ${JSON.stringify((input.upgrade as { strategy: unknown }).strategy)}`);
  }
  nonNegativeInteger("publicLoadBalancersPerAz", input.publicLoadBalancersPerAz ?? 2);
  nonNegativeInteger("internalLoadBalancersPerAz", input.internalLoadBalancersPerAz ?? 2);
  nonNegativeInteger("interfaceEndpoints", input.interfaceEndpoints ?? 0);
  nonNegativeInteger("databaseAddressesPerAz", input.databaseAddressesPerAz ?? 16);
  const growth = input.growthFactor ?? DEFAULT_GROWTH_FACTOR;
  if (!Number.isFinite(growth) || growth < 0) throw new Error(`growthFactor must be a finite number >= 0, got ${growth}`);
}

function nonNegativeInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${field} must be an integer >= 0, got ${value}`);
}

function key(tier: SubnetTier, az: string): string {
  return `${tier}\u0000${az}`;
}

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}
