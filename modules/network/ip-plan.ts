/**
 * The IP planner: sizes every subnet from the cluster it must hold (see `address-demand.ts` for the
 * demand model) and places it in the VPC CIDR (or the secondary pod CIDR) so that what is allocated
 * stays allocated. Pure: no cdktf, no I/O, no clock.
 *
 * ## Allocations are state
 *
 * A plan starts from the environment's recorded allocation ({@link IpAllocation}, committed as
 * `environments/ip-allocations/<env>.json` and written only by `npm run ipplan -- <env> --write`).
 * Nothing recorded ever moves: a change of demand is served
 * - inside the recorded subnets when they hold the new peak (their sizing leaves headroom),
 * - else, in the private tier, by extra subnets of the first subnet's size carved from the tier's
 *   reserved block in that AZ (first free aligned slot; recorded slots never move, so an extra
 *   subnet's CIDR depends only on what is recorded, not on the demand);
 * - else it is an {@link IpAllocationProblem} naming the tier, the AZ, the demand, what is pinned and
 *   the ways out. It never re-plans: a re-layout is the explicit `relayout` of `ipplan`.
 * A new AZ or a new tier gets new reserved blocks from the free space of its source CIDR.
 *
 * ## Layout of new blocks
 *
 * Each tier needs a unit subnet per AZ, the smallest whose addresses hold
 * `required = ceil(peak × (1 + growthFactor))` (at most a /16, at least a /28). Each (tier, AZ) gets a
 * reserved block of `2^reserveBits` units (4 by default; when the source CIDR is too small, the tier
 * with the largest blocks gets one bit less, until the blocks fit or every tier is at one unit):
 * - private: the first subnet is one unit at the start of the block; the rest of the block is room
 *   for extra subnets (Karpenter and load balancers find them by tag);
 * - public, pods, intra, database: one subnet per AZ is all their consumers can use (the NAT gateway
 *   and the load balancer controller pick one subnet per AZ, custom networking's ENIConfig names one
 *   pod subnet per AZ, the EKS control plane's subnets are fixed at creation, the database subnet
 *   groups are built from one subnet per AZ), so the subnet is the whole block: room to grow in place.
 * New blocks are placed largest first (ties: tier order public, private, pods, intra, database, then
 * AZ order), each at the lowest free address aligned to its size.
 *
 * ## Prefix delegation
 *
 * Prefixes are /28 blocks that must be free and aligned; ENI primaries, load balancers and endpoint
 * ENIs scatter single addresses through a subnet, which is how `InsufficientCidrBlocks` happens. So
 * each private subnet reserves its upper half for prefixes (`aws_ec2_subnet_cidr_reservation`, type
 * `prefix`); the lower half serves single addresses. The reservation's last /28 holds the subnet's
 * last, AWS-reserved address, so it is not counted.
 */
import {
  AWS_MAX_SUBNET_PREFIX_LENGTH,
  blockSize,
  cidrsOverlap,
  cidrContains,
  formatCidr,
  isValidCidr,
  parseCidr,
  ParsedCidr,
  prefixLengthForAddresses,
  prefixLengthForUsableAddresses,
  rangeToCidrs,
  usableAddresses,
  AWS_RESERVED_ADDRESSES_PER_SUBNET,
  addressAt,
} from "./cidr";
import {
  ADDRESSES_PER_PREFIX,
  DEFAULT_ADDRESSES_PER_LOAD_BALANCER,
  KarpenterDemand,
  loadBalancerAddressesPerAz,
  NodeGroupDemand,
  SUBNET_TIERS,
  SubnetTier,
  TierDemand,
  tierDemands,
  UpgradeStrategy,
} from "./address-demand";
import type { PodNetworkingMode } from "./max-pods";

export {
  ADDRESSES_PER_PREFIX,
  DEFAULT_ADDRESSES_PER_LOAD_BALANCER,
  EKS_CONTROL_PLANE_ADDRESSES,
  HOST_NETWORK_PODS,
  nodeAddressDemand,
  SUBNET_TIERS,
  WARM_PREFIX_TARGET,
} from "./address-demand";
export type { KarpenterDemand, NodeAddressDemand, NodeGroupDemand, SubnetTier, UpgradeStrategy } from "./address-demand";
export type { PodNetworkingMode } from "./max-pods";

/** Default growth fraction on top of the peak for new subnets. */
export const DEFAULT_GROWTH_FACTOR = 0.2;

/** A new (tier, AZ) block reserves `2^DEFAULT_RESERVE_BITS` unit subnets. */
export const DEFAULT_RESERVE_BITS = 2;

/** Tiers that may hold more than one subnet per AZ. */
export const EXTENDABLE_TIERS: readonly SubnetTier[] = ["private"];

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
  /** Managed node groups; at least one. */
  readonly nodeGroups: readonly NodeGroupDemand[];
  /**
   * Karpenter's NodePool of each AZ, planned at its worst case (its whole CPU limit on the densest type).
   * @default - no Karpenter capacity
   */
  readonly karpenter?: KarpenterDemand;
  /** How pods get their addresses. */
  readonly podNetworking: PodNetworkingMode;
  /** How nodes are replaced during upgrades. */
  readonly upgrade: UpgradeStrategy;
  /**
   * Internet-facing load balancers (public tier).
   * @default 2
   */
  readonly publicLoadBalancersPerAz?: number;
  /**
   * Internal load balancers (private tier).
   * @default 2
   */
  readonly internalLoadBalancersPerAz?: number;
  /**
   * Addresses one load balancer may use across all its subnets (an ALB scales up to 100).
   * @default 100
   */
  readonly addressesPerLoadBalancer?: number;
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
   * Extra fraction of the peak new subnets must hold, e.g. 0.25.
   * @default 0.2
   */
  readonly growthFactor?: number;
  /**
   * Reserved blocks hold `2^reserveBits` unit subnets (fewer when the source CIDR has no room).
   * @default 2
   */
  readonly reserveBits?: number;
}

/** One subnet of a recorded allocation. */
export interface AllocatedSubnet {
  /** Literal CIDR. */
  readonly cidr: string;
  /**
   * Prefix delegation: the part of the subnet reserved for /28 prefixes.
   * @default - no reservation
   */
  readonly prefixReservation?: string;
}

/** The reserved block of one tier in one AZ and the subnets carved from it. */
export interface ReservedBlock {
  /** Literal CIDR of the block. */
  readonly reserved: string;
  /** Subnets in the block, first one first (never reordered). */
  readonly subnets: readonly AllocatedSubnet[];
}

/** What an environment has allocated: the content of `environments/ip-allocations/<env>.json`. */
export interface IpAllocation {
  /** The primary VPC CIDR the blocks are in. */
  readonly vpcCidr: string;
  /**
   * The secondary pod CIDR the pods tier is in.
   * @default - none
   */
  readonly podCidr?: string;
  /** Reserved blocks by tier, then AZ name. */
  readonly tiers: Readonly<Partial<Record<SubnetTier, Readonly<Record<string, ReservedBlock>>>>>;
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
  /** 1 for the first subnet of its tier in its AZ, then 2, 3, ... (extra private subnets). */
  readonly ordinal: number;
  /** Whether the allocation records it; false for a subnet this plan adds (`ipplan --write` records it). */
  readonly recorded: boolean;
  /**
   * Prefix delegation: the CIDR reserved for /28 prefixes inside the subnet.
   * @default - none
   */
  readonly prefixReservation?: string;
}

/** Capacity against demand of one tier in one AZ. */
export interface TierCapacity {
  readonly tier: SubnetTier;
  readonly az: string;
  /** The tier's reserved block in this AZ. */
  readonly reserved: string;
  /** The subnets serving the demand, first one first. */
  readonly subnets: readonly string[];
  /** Single addresses the subnets can hand out (outside prefix reservations). */
  readonly usable: number;
  /** Single addresses at max scale. */
  readonly demand: number;
  /** Single addresses at the replacement peak. */
  readonly peakDuringUpgrade: number;
  /** Free share at the peak, percent, one decimal; the smaller of addresses and prefixes. */
  readonly headroomPercent: number;
  /**
   * Prefix delegation: /28 prefixes the reservations hold, and the demand and peak in prefixes.
   * @default - none
   */
  readonly prefixes?: { readonly capacity: number; readonly demand: number; readonly peak: number };
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
  /** Subnets ordered by tier (public, private, pods, intra, database), then AZ as given, then ordinal. */
  readonly subnets: readonly PlannedSubnet[];
  /** Capacity per tier and AZ, in the same order. */
  readonly capacity: readonly TierCapacity[];
  /** The allocation after this plan: the recorded one plus what the plan adds. */
  readonly allocation: IpAllocation;
  /** What the plan adds to the recorded allocation, one line each; empty when it is up to date. */
  readonly additions: readonly string[];
  /** Unallocated blocks (outside every reserved block): the VPC CIDR's first, then the pod CIDR's. */
  readonly unallocated: readonly string[];
  /** Total addresses in `unallocated`. */
  readonly unallocatedAddresses: number;
  /** The assumptions of the demand model, one line each. */
  readonly assumptions: readonly string[];
  /** Remarks about the input, e.g. a pod CIDR that the chosen mode does not use. */
  readonly notes: readonly string[];
}

/** Thrown by {@link planSubnets} when new blocks do not fit in their source CIDR (a new layout). */
export class IpPlanError extends Error {
  /** The first tier (in placement order) that found no room. */
  readonly tier: SubnetTier;
  /** Addresses that tier needs per AZ, growth included. */
  readonly demand: number;
  /** The source CIDR that is too small (the VPC CIDR, or the pod CIDR for the pods tier). */
  readonly cidr: string;
  /** The longest prefix length of that source CIDR that fits every block planned in it (one unit each). */
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

/** Thrown by {@link planSubnets} when a tier needs more than a /16 (AWS's largest subnet) per AZ. */
export class TierTooLargeError extends Error {
  constructor(
    readonly tier: SubnetTier,
    message: string,
  ) {
    super(message);
    this.name = "TierTooLargeError";
  }
}

/** A demand that the recorded allocation cannot serve without moving something. */
export interface IpAllocationProblem {
  readonly tier: SubnetTier;
  /** The AZ, or `*` for a problem of the whole allocation. */
  readonly az: string;
  /** Single addresses (or prefixes, see the message) needed at the peak. */
  readonly peak: number;
  /** The CIDRs pinned for this tier and AZ. */
  readonly pinned: readonly string[];
  /** The whole message, ways out included. */
  readonly message: string;
}

/** Thrown by {@link planSubnets} when the recorded allocation cannot serve the demand. */
export class IpAllocationError extends Error {
  readonly problems: readonly IpAllocationProblem[];

  constructor(problems: readonly IpAllocationProblem[]) {
    super(problems.map((p) => p.message).join("\n"));
    this.name = "IpAllocationError";
    this.problems = problems;
  }
}

/**
 * Addresses a new subnet must hand out for a peak and growth factor: `ceil(peak × (1 + growthFactor))`,
 * ignoring floating-point noise below 1e-9 (`requiredAddresses(796, 0.2)` → 956).
 */
export function requiredAddresses(peak: number, growthFactor: number): number {
  return Math.max(0, Math.ceil(peak * (1 + growthFactor) - 1e-9));
}

/**
 * Prefix length of the unit subnet of a tier (see the module header). With prefixes, the subnet's
 * upper half is the prefix reservation: it must hold the prefixes plus the unusable last /28, the
 * lower half the single addresses plus the 4 reserved first addresses.
 * @throws TierTooLargeError when a tier needs more than a /16 per AZ (AWS's largest subnet)
 */
export function unitPrefixLength(d: TierDemand, growth: number): number {
  const singles = requiredAddresses(d.addresses.peak, growth);
  let prefixLength: number;
  if (d.prefixes.peak > 0) {
    const blocks = requiredAddresses(d.prefixes.peak, growth) + 1;
    const half = Math.max(blockSize(prefixLengthForAddresses(blocks * ADDRESSES_PER_PREFIX)), blockSize(prefixLengthForAddresses(singles + 4)));
    prefixLength = Math.min(27, prefixLengthForAddresses(2 * half));
  } else {
    prefixLength = prefixLengthForUsableAddresses(singles);
  }
  if (prefixLength < AWS_MAX_SUBNET_PREFIX_LENGTH) {
    const what = d.prefixes.peak > 0 ? `${formatCount(d.prefixes.peak)} /28 prefixes and ${formatCount(d.addresses.peak)} addresses` : `${formatCount(singles)} addresses`;
    throw new TierTooLargeError(
      d.tier,
      `${d.tier} tier needs ${what} per AZ (incl. ${formatPercent(growth)} growth), more than a /${AWS_MAX_SUBNET_PREFIX_LENGTH}, ` +
        `the largest subnet AWS allows (${formatCount(usableAddresses(AWS_MAX_SUBNET_PREFIX_LENGTH))} usable): ` +
        `spread the nodes over more AZs, lower maxNodesPerAz or the Karpenter CPU limit, or change the pod networking mode`,
    );
  }
  return prefixLength;
}

/** The prefix reservation of a private subnet under prefix delegation: its upper half. */
export function prefixReservationOf(subnetCidr: string): string {
  const s = parseCidr(subnetCidr);
  return formatCidr(s.network + s.size / 2, s.prefixLength + 1);
}

/** Single addresses and /28 prefixes a subnet offers, given its prefix reservation (if any). */
export function subnetCapacity(subnet: AllocatedSubnet): { addresses: number; prefixes: number } {
  const s = parseCidr(subnet.cidr);
  if (subnet.prefixReservation === undefined) return { addresses: usableAddresses(s.prefixLength), prefixes: 0 };
  const r = parseCidr(subnet.prefixReservation);
  const last = s.network + s.size - 1;
  const holdsLast = r.network <= last && last < r.network + r.size;
  const holdsFirst = r.network <= s.network + 3 && s.network < r.network + r.size;
  const reservedInside = (holdsLast ? 1 : 0) + (holdsFirst ? 4 : 0);
  return {
    addresses: s.size - AWS_RESERVED_ADDRESSES_PER_SUBNET - (r.size - reservedInside),
    prefixes: r.size / ADDRESSES_PER_PREFIX - (holdsLast ? 1 : 0) - (holdsFirst ? 1 : 0),
  };
}

interface Source {
  readonly name: "vpcCidr" | "podCidr";
  readonly cidr: ParsedCidr;
}

interface NewBlock {
  readonly tier: SubnetTier;
  readonly az: string;
  readonly azIndex: number;
  readonly source: Source;
  readonly unitPrefix: number;
  readonly required: number;
}

/**
 * Plans the subnets of an environment from its demand and its recorded allocation (see the module
 * header). Without `recorded`, the whole layout is new.
 * @param input what the subnets must hold
 * @param recorded the environment's recorded allocation. @default - none: a new layout
 * @throws IpPlanError when new blocks do not fit in a source CIDR of a new layout
 * @throws IpAllocationError when the recorded allocation cannot serve the demand without moving
 * @throws TierTooLargeError when a new block's tier needs more than a /16 per AZ
 * @throws Error for invalid input: malformed or overlapping CIDRs, custom-networking without
 *   `podCidr`, no or repeated AZs, no node groups, negative counts
 * @throws UnknownInstanceTypeError for an instance type the VPC CNI limits table lacks
 */
export function planSubnets(input: IpPlanInput, recorded?: IpAllocation): IpPlan {
  const vpc = parseCidr(input.vpcCidr, "vpcCidr");
  const pod = input.podCidr !== undefined ? parseCidr(input.podCidr, "podCidr") : undefined;
  validate(input, vpc, pod);
  const growth = input.growthFactor ?? DEFAULT_GROWTH_FACTOR;
  const reserveBits = input.reserveBits ?? DEFAULT_RESERVE_BITS;
  const addressesPerLoadBalancer = input.addressesPerLoadBalancer ?? DEFAULT_ADDRESSES_PER_LOAD_BALANCER;
  const demands = tierDemands({
    azCount: input.azs.length,
    nodeGroups: input.nodeGroups,
    ...(input.karpenter !== undefined ? { karpenter: input.karpenter } : {}),
    podNetworking: input.podNetworking,
    upgrade: input.upgrade,
    publicLoadBalancersPerAz: input.publicLoadBalancersPerAz ?? 2,
    internalLoadBalancersPerAz: input.internalLoadBalancersPerAz ?? 2,
    addressesPerLoadBalancer,
    interfaceEndpoints: input.interfaceEndpoints ?? 0,
    databaseAddressesPerAz: input.databaseAddressesPerAz ?? 16,
  });
  const vpcSource: Source = { name: "vpcCidr", cidr: vpc };
  const podSource: Source | undefined = pod !== undefined ? { name: "podCidr", cidr: pod } : undefined;
  const sourceOf = (tier: SubnetTier): Source => (tier === "pods" ? podSource! : vpcSource);
  const prefixMode = input.podNetworking === "prefix-delegation";

  const problems: IpAllocationProblem[] = [];
  const tiers: Partial<Record<SubnetTier, Record<string, ReservedBlock>>> = {};
  const recordedKeys = new Set<string>();
  if (recorded !== undefined) {
    problems.push(...checkRecorded(recorded, vpc, pod));
    if (problems.length > 0) throw new IpAllocationError(problems);
    for (const tier of SUBNET_TIERS) {
      const byAz = recorded.tiers[tier];
      if (byAz === undefined) continue;
      tiers[tier] = {};
      for (const [az, block] of Object.entries(byAz)) {
        tiers[tier]![az] = { reserved: block.reserved, subnets: block.subnets.map((s) => ({ ...s })) };
        for (const s of block.subnets) recordedKeys.add(s.cidr);
      }
    }
  }

  // New blocks for (tier, AZ) pairs the allocation does not have yet.
  const newBlocks: NewBlock[] = demands.flatMap((d) => {
    const azs = input.azs.map((az, azIndex) => ({ az, azIndex })).filter(({ az }) => tiers[d.tier]?.[az] === undefined);
    if (azs.length === 0) return [];
    const unitPrefix = unitPrefixLength(d, growth);
    return azs.map(({ az, azIndex }) => ({ tier: d.tier, az, azIndex, source: sourceOf(d.tier), unitPrefix, required: requiredAddresses(d.addresses.peak, growth) }));
  });
  const additions: string[] = [];
  for (const source of [vpcSource, podSource]) {
    if (source === undefined) continue;
    const wanted = newBlocks.filter((b) => b.source === source);
    if (wanted.length === 0) continue;
    const taken = allBlocks(tiers).filter((cidr) => cidrContains(source.cidr, cidr)).map((c) => parseCidr(c));
    const placed = placeBlocks(wanted, source, taken, reserveBits);
    if (placed === undefined) {
      if (recorded === undefined) throw notFitting(wanted, source, growth, input.azs.length);
      for (const b of wanted) {
        problems.push({
          tier: b.tier,
          az: b.az,
          peak: b.required,
          pinned: [],
          message:
            `${b.tier} tier in ${b.az} needs a new /${b.unitPrefix} (${formatCount(b.required)} addresses incl. growth) ` +
            `but ${source.name} ${source.cidr.cidr} has no free aligned block of that size left outside the recorded blocks; ` +
            `ways out: lower the demand, or re-lay the environment out explicitly (npm run ipplan -- <env> --relayout; replaces subnets)`,
        });
      }
      continue;
    }
    for (const { block, reserved } of placed) {
      const first = EXTENDABLE_TIERS.includes(block.tier) ? formatCidr(parseCidr(reserved).network, block.unitPrefix) : reserved;
      (tiers[block.tier] ??= {})[block.az] = { reserved, subnets: [{ cidr: first }] };
      additions.push(`${block.tier}/${block.az}: reserved ${reserved}, subnet ${first}`);
    }
  }

  // Prefix reservations for private subnets under prefix delegation.
  if (prefixMode && tiers.private !== undefined) {
    for (const az of input.azs) {
      const block = tiers.private[az];
      if (block === undefined) continue;
      tiers.private[az] = {
        ...block,
        subnets: block.subnets.map((s) => {
          if (s.prefixReservation !== undefined) return s;
          const prefixReservation = prefixReservationOf(s.cidr);
          additions.push(`private/${az}: prefix reservation ${prefixReservation} in ${s.cidr}`);
          return { ...s, prefixReservation };
        }),
      };
    }
  }

  // Serve the demand from what is allocated; extend the private tier inside its reserved blocks.
  const capacity: TierCapacity[] = [];
  for (const d of demands) {
    for (const az of input.azs) {
      const block = tiers[d.tier]?.[az];
      if (block === undefined) continue; // reported above
      let subnets = [...block.subnets];
      const total = () => subnets.map(subnetCapacity).reduce((a, b) => ({ addresses: a.addresses + b.addresses, prefixes: a.prefixes + b.prefixes }), { addresses: 0, prefixes: 0 });
      const short = (c: { addresses: number; prefixes: number }, addresses: number, prefixes: number) => c.addresses < addresses || c.prefixes < prefixes;
      if (short(total(), d.addresses.peak, d.prefixes.peak) && EXTENDABLE_TIERS.includes(d.tier)) {
        const unit = parseCidr(subnets[0]!.cidr).prefixLength;
        const goal = { addresses: requiredAddresses(d.addresses.peak, growth), prefixes: requiredAddresses(d.prefixes.peak, growth) };
        while (short(total(), goal.addresses, goal.prefixes)) {
          const slot = freeSlot(block.reserved, subnets.map((s) => s.cidr), unit);
          if (slot === undefined) break;
          const extra: AllocatedSubnet = prefixMode ? { cidr: slot, prefixReservation: prefixReservationOf(slot) } : { cidr: slot };
          subnets.push(extra);
          additions.push(`${d.tier}/${az}: extra subnet ${slot}${extra.prefixReservation ? ` (prefix reservation ${extra.prefixReservation})` : ""} in ${block.reserved}`);
        }
        tiers[d.tier]![az] = { ...block, subnets };
      }
      const c = total();
      if (short(c, d.addresses.peak, d.prefixes.peak)) {
        problems.push(shortfall(d, az, block.reserved, subnets, c, input.podNetworking));
        continue;
      }
      const headroom = (cap: number, peak: number) => (cap === 0 ? 0 : Math.round(((cap - peak) / cap) * 1000) / 10);
      capacity.push({
        tier: d.tier,
        az,
        reserved: block.reserved,
        subnets: subnets.map((s) => s.cidr),
        usable: c.addresses,
        demand: d.addresses.demand,
        peakDuringUpgrade: d.addresses.peak,
        headroomPercent: d.prefixes.peak > 0 ? Math.min(headroom(c.addresses, d.addresses.peak), headroom(c.prefixes, d.prefixes.peak)) : headroom(c.addresses, d.addresses.peak),
        ...(prefixMode && d.tier === "private" ? { prefixes: { capacity: c.prefixes, demand: d.prefixes.demand, peak: d.prefixes.peak } } : {}),
      });
    }
  }
  if (problems.length > 0) throw new IpAllocationError(problems);

  const subnets: PlannedSubnet[] = [];
  for (const d of demands) {
    for (const az of input.azs) {
      tiers[d.tier]![az]!.subnets.forEach((s, i) => {
        const parsed = parseCidr(s.cidr);
        subnets.push({
          tier: d.tier,
          az,
          cidr: s.cidr,
          prefixLength: parsed.prefixLength,
          usable: usableAddresses(parsed.prefixLength),
          ordinal: i + 1,
          recorded: recordedKeys.has(s.cidr),
          ...(s.prefixReservation !== undefined ? { prefixReservation: s.prefixReservation } : {}),
        });
      });
    }
  }

  const notes: string[] = [];
  if (pod !== undefined && input.podNetworking !== "custom-networking" && tiers.pods === undefined) {
    notes.push(`podCidr ${pod.cidr} is not used: with ${input.podNetworking} pods take addresses from the private subnets; it is reported as unallocated`);
  }
  const kept = SUBNET_TIERS.flatMap((tier) =>
    Object.keys(tiers[tier] ?? {})
      .filter((az) => !input.azs.includes(az) || !demands.some((d) => d.tier === tier))
      .map((az) => `${tier}/${az}`),
  );
  if (kept.length > 0) notes.push(`recorded blocks no longer in use stay reserved (never reused): ${kept.join(", ")}`);

  const allocation = orderedAllocation(vpc.cidr, pod?.cidr, tiers, input.azs);
  const free = freeSpace([vpcSource, podSource], allocation);
  return {
    vpcCidr: vpc.cidr,
    ...(pod !== undefined ? { podCidr: pod.cidr } : {}),
    subnets,
    capacity,
    allocation,
    additions,
    unallocated: free.blocks,
    unallocatedAddresses: free.addresses,
    assumptions: assumptions(input, addressesPerLoadBalancer, prefixMode),
    notes,
  };
}

/**
 * The subnets of one tier, ordered by AZ as given in the input, then ordinal.
 * @param plan a plan from {@link planSubnets}
 * @param tier the tier to select
 */
export function subnetsOf(plan: IpPlan, tier: SubnetTier): PlannedSubnet[] {
  return plan.subnets.filter((s) => s.tier === tier);
}

/** One line of the capacity report. */
export interface CapacityRow extends TierCapacity {
  /** `tier/az`, e.g. `private/ap-northeast-2a`. */
  readonly subnet: string;
  /** Projected single addresses in use at max scale. */
  readonly peakAtMaxScale: number;
}

/**
 * The plan as report rows (tier, then AZ).
 * @param plan a plan from {@link planSubnets}
 */
export function capacityReport(plan: IpPlan): CapacityRow[] {
  return plan.capacity.map((c) => ({ ...c, subnet: `${c.tier}/${c.az}`, peakAtMaxScale: c.demand }));
}

/**
 * The capacity report as a Markdown table (one row per tier and AZ: its subnets, its reserved block,
 * usable addresses against the demand), then the unallocated space, the prefix column when prefix
 * delegation is on, the assumptions, what the plan adds to the recorded allocation and the notes.
 * Deterministic; ends without a newline.
 * @param plan a plan from {@link planSubnets}
 */
export function formatCapacityReport(plan: IpPlan): string {
  const withPrefixes = plan.capacity.some((c) => c.prefixes !== undefined);
  const header = ["Subnet", "CIDR", "Reserved block", "Usable", "Peak at max scale", "Peak during upgrade", ...(withPrefixes ? ["/28 prefixes (capacity / peak)"] : []), "Headroom"];
  const rows = capacityReport(plan).map((r) => [
    r.subnet,
    r.subnets.join(", "),
    r.reserved,
    formatCount(r.usable),
    formatCount(r.peakAtMaxScale),
    formatCount(r.peakDuringUpgrade),
    ...(withPrefixes ? [r.prefixes ? `${formatCount(r.prefixes.capacity)} / ${formatCount(r.prefixes.peak)}` : "-"] : []),
    `${r.headroomPercent.toFixed(1)}%`,
  ]);
  const reservations = plan.subnets.filter((s) => s.prefixReservation !== undefined);
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i < 3 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
    "",
    plan.unallocated.length === 0
      ? "Unallocated: none (0 addresses)"
      : `Unallocated: ${plan.unallocated.join(", ")} (${formatCount(plan.unallocatedAddresses)} addresses)`,
    ...(reservations.length > 0 ? [`Prefix reservations: ${reservations.map((s) => `${s.prefixReservation} in ${s.cidr}`).join(", ")}`] : []),
    ...plan.assumptions.map((a) => `Assumption: ${a}`),
    ...plan.additions.map((a) => `Not recorded yet: ${a}`),
    ...plan.notes.map((n) => `Note: ${n}`),
  ];
  return lines.join("\n");
}

function assumptions(input: IpPlanInput, addressesPerLoadBalancer: number, prefixMode: boolean): string[] {
  const lb = loadBalancerAddressesPerAz(addressesPerLoadBalancer, input.azs.length);
  const lines = [
    `load balancers: ${formatCount(lb)} addresses per load balancer per AZ (up to ${formatCount(addressesPerLoadBalancer)} across ${input.azs.length} AZs, at least 8 per subnet)`,
    "node groups: replaced create-before-destroy, so each group's peak is twice its max nodes per AZ",
  ];
  if (input.karpenter !== undefined) {
    lines.push(
      `karpenter: one NodePool per AZ, each at its whole CPU limit (${formatCount(input.karpenter.cpuLimitPerAz)} vCPUs) on the allowed type needing the most addresses ` +
        `(${input.karpenter.instanceTypes.length} types allowed), plus the node that passes the limit`,
    );
  }
  if (prefixMode) lines.push("prefix delegation: each private subnet's upper half is a prefix reservation; prefixes are counted in whole /28 blocks, the last one excluded");
  return lines;
}

function shortfall(d: TierDemand, az: string, reserved: string, subnets: readonly AllocatedSubnet[], c: { addresses: number; prefixes: number }, mode: PodNetworkingMode): IpAllocationProblem {
  const pinned = subnets.map((s) => s.cidr);
  const needs =
    c.prefixes < d.prefixes.peak
      ? `${formatCount(d.prefixes.peak)} /28 prefixes at the peak but the pinned subnets' prefix reservations hold ${formatCount(c.prefixes)}`
      : `${formatCount(d.addresses.peak)} addresses at the peak but the pinned subnets hold ${formatCount(c.addresses)}`;
  const why = EXTENDABLE_TIERS.includes(d.tier)
    ? `its reserved block ${reserved} has no free slot left`
    : d.tier === "pods"
      ? `custom networking's ENIConfig names one pod subnet per AZ, so the pods tier cannot add subnets`
      : `the ${d.tier} tier has one subnet per AZ`;
  return {
    tier: d.tier,
    az,
    peak: c.prefixes < d.prefixes.peak ? d.prefixes.peak : d.addresses.peak,
    pinned,
    message:
      `${d.tier} tier in ${az} needs ${needs} (${pinned.join(", ")}); ${why}. Ways out: lower the demand (maxNodesPerAz, ` +
      `instance sizes, load balancers${mode === "custom-networking" || d.tier === "private" ? ", Karpenter's CPU limit" : ""}), add an AZ, ` +
      `or re-lay the environment out explicitly (npm run ipplan -- <env> --relayout, which replaces subnets: only for an environment you can rebuild)`,
  };
}

/**
 * Places new blocks largest first at the lowest free aligned address. Every tier starts with
 * `reserveBits`; while the blocks do not fit, the tier with the largest blocks gives up one bit.
 */
function placeBlocks(wanted: readonly NewBlock[], source: Source, taken: readonly ParsedCidr[], reserveBits: number): { block: NewBlock; reserved: string }[] | undefined {
  const bits = new Map<SubnetTier, number>(wanted.map((b) => [b.tier, reserveBits]));
  const prefixOf = (b: NewBlock) => Math.max(source.cidr.prefixLength, AWS_MAX_SUBNET_PREFIX_LENGTH, b.unitPrefix - bits.get(b.tier)!);
  for (;;) {
    // A reserved block never shrinks below the unit subnet.
    if (wanted.some((b) => prefixOf(b) > b.unitPrefix)) return undefined;
    const placed = tryPlace(wanted, source, taken, prefixOf);
    if (placed !== undefined) return placed;
    const shrinkable = wanted.filter((b) => bits.get(b.tier)! > 0).sort((a, b) => prefixOf(a) - prefixOf(b) || SUBNET_TIERS.indexOf(a.tier) - SUBNET_TIERS.indexOf(b.tier));
    if (shrinkable.length === 0) return undefined;
    const tier = shrinkable[0]!.tier;
    bits.set(tier, bits.get(tier)! - 1);
  }
}

function tryPlace(wanted: readonly NewBlock[], source: Source, taken: readonly ParsedCidr[], prefixOf: (b: NewBlock) => number): { block: NewBlock; reserved: string }[] | undefined {
  const sized = wanted
    .map((block) => ({ block, prefix: prefixOf(block) }))
    .sort((a, b) => a.prefix - b.prefix || SUBNET_TIERS.indexOf(a.block.tier) - SUBNET_TIERS.indexOf(b.block.tier) || a.block.azIndex - b.block.azIndex);
  const used = [...taken];
  const result: { block: NewBlock; reserved: string }[] = [];
  for (const { block, prefix } of sized) {
    const at = firstFree(source.cidr, used, prefix);
    if (at === undefined) return undefined;
    used.push(parseCidr(at));
    result.push({ block, reserved: at });
  }
  return result;
}

/** The lowest aligned block of `prefix` inside `source` that overlaps none of `used`. */
function firstFree(source: ParsedCidr, used: readonly ParsedCidr[], prefix: number): string | undefined {
  const size = blockSize(prefix);
  const sorted = [...used].sort((a, b) => a.network - b.network);
  let at = source.network;
  const end = source.network + source.size;
  while (at + size <= end) {
    const clash = sorted.find((u) => u.network < at + size && at < u.network + u.size);
    if (clash === undefined) return formatCidr(at, prefix);
    at = Math.ceil((clash.network + clash.size) / size) * size;
  }
  return undefined;
}

function freeSlot(reserved: string, taken: readonly string[], prefix: number): string | undefined {
  return firstFree(parseCidr(reserved), taken.map((c) => parseCidr(c)), prefix);
}

function allBlocks(tiers: Partial<Record<SubnetTier, Record<string, ReservedBlock>>>): string[] {
  return SUBNET_TIERS.flatMap((t) => Object.values(tiers[t] ?? {}).map((b) => b.reserved));
}

function freeSpace(sources: readonly (Source | undefined)[], allocation: IpAllocation): { blocks: string[]; addresses: number } {
  const blocks: string[] = [];
  let addresses = 0;
  const reserved = allBlocks(allocation.tiers as Partial<Record<SubnetTier, Record<string, ReservedBlock>>>).map((c) => parseCidr(c));
  for (const source of sources) {
    if (source === undefined) continue;
    const inside = reserved.filter((r) => cidrContains(source.cidr, r)).sort((a, b) => a.network - b.network);
    let at = source.cidr.network;
    for (const r of [...inside, { network: source.cidr.network + source.cidr.size, size: 0 }]) {
      if (r.network > at) {
        blocks.push(...rangeToCidrs(addressAt(source.cidr, at - source.cidr.network), r.network - at));
        addresses += r.network - at;
      }
      at = Math.max(at, r.network + r.size);
    }
  }
  return { blocks, addresses };
}

function orderedAllocation(vpcCidr: string, podCidr: string | undefined, tiers: Partial<Record<SubnetTier, Record<string, ReservedBlock>>>, azs: readonly string[]): IpAllocation {
  const ordered: Partial<Record<SubnetTier, Record<string, ReservedBlock>>> = {};
  for (const tier of SUBNET_TIERS) {
    const byAz = tiers[tier];
    if (byAz === undefined || Object.keys(byAz).length === 0) continue;
    const names = [...azs.filter((az) => az in byAz), ...Object.keys(byAz).filter((az) => !azs.includes(az)).sort()];
    ordered[tier] = Object.fromEntries(names.map((az) => [az, byAz[az]!]));
  }
  const usesPods = ordered.pods !== undefined;
  return { vpcCidr, ...(usesPods && podCidr !== undefined ? { podCidr } : {}), tiers: ordered };
}

/** Problems of a recorded allocation itself: other CIDRs than the input, blocks outside or overlapping. */
function checkRecorded(recorded: IpAllocation, vpc: ParsedCidr, pod: ParsedCidr | undefined): IpAllocationProblem[] {
  const problems: IpAllocationProblem[] = [];
  const whole = (tier: SubnetTier, pinned: string[], message: string) => problems.push({ tier, az: "*", peak: 0, pinned, message });
  if (recorded.vpcCidr !== vpc.cidr) {
    whole("private", [recorded.vpcCidr], `the recorded allocation is for vpcCidr ${recorded.vpcCidr}, the environment says ${vpc.cidr}: a VPC CIDR cannot change under live subnets; restore it, or re-lay out explicitly (npm run ipplan -- <env> --relayout)`);
    return problems;
  }
  if (recorded.tiers.pods !== undefined && recorded.podCidr !== pod?.cidr) {
    whole("pods", [recorded.podCidr ?? "none"], `the recorded pod subnets are in podCidr ${recorded.podCidr ?? "(none)"}, the environment says ${pod?.cidr ?? "none"}: restore it, or re-lay out explicitly (npm run ipplan -- <env> --relayout)`);
    return problems;
  }
  const seen: { tier: SubnetTier; az: string; cidr: ParsedCidr }[] = [];
  for (const tier of SUBNET_TIERS) {
    for (const [az, block] of Object.entries(recorded.tiers[tier] ?? {})) {
      let reserved: ParsedCidr;
      try {
        reserved = parseCidr(block.reserved, `${tier}/${az} reserved block`);
      } catch (e) {
        whole(tier, [String(block.reserved)], (e as Error).message);
        continue;
      }
      const source = tier === "pods" ? pod! : vpc;
      if (!cidrContains(source, reserved)) whole(tier, [reserved.cidr], `recorded ${tier}/${az} block ${reserved.cidr} is outside ${source.cidr}`);
      const clash = seen.find((s) => cidrsOverlap(s.cidr, reserved));
      if (clash) whole(tier, [reserved.cidr], `recorded ${tier}/${az} block ${reserved.cidr} overlaps ${clash.tier}/${clash.az} ${clash.cidr.cidr}`);
      seen.push({ tier, az, cidr: reserved });
      if (block.subnets.length === 0) whole(tier, [reserved.cidr], `recorded ${tier}/${az} block ${reserved.cidr} has no subnet`);
      block.subnets.forEach((s, i) => {
        try {
          const sub = parseCidr(s.cidr, `${tier}/${az} subnet`);
          if (!cidrContains(reserved, sub)) whole(tier, [sub.cidr], `recorded ${tier}/${az} subnet ${sub.cidr} is outside its block ${reserved.cidr}`);
          if (block.subnets.slice(0, i).some((o) => isValidCidr(o.cidr) && cidrsOverlap(o.cidr, sub))) whole(tier, [sub.cidr], `recorded ${tier}/${az} subnet ${sub.cidr} overlaps another subnet of the block`);
          if (s.prefixReservation !== undefined && !cidrContains(sub, parseCidr(s.prefixReservation, `${tier}/${az} prefix reservation`))) {
            whole(tier, [s.prefixReservation], `recorded prefix reservation ${s.prefixReservation} is outside its subnet ${sub.cidr}`);
          }
        } catch (e) {
          whole(tier, [String(s.cidr)], (e as Error).message);
        }
      });
    }
  }
  return problems;
}

function notFitting(wanted: readonly NewBlock[], source: Source, growth: number, azCount: number): IpPlanError {
  const total = wanted.reduce((sum, b) => sum + blockSize(b.unitPrefix), 0);
  const smallestFittingPrefix = prefixLengthForAddresses(total);
  const largest = [...wanted].sort((a, b) => a.unitPrefix - b.unitPrefix || SUBNET_TIERS.indexOf(a.tier) - SUBNET_TIERS.indexOf(b.tier))[0]!;
  const awsLimit =
    smallestFittingPrefix < AWS_MAX_SUBNET_PREFIX_LENGTH
      ? `; AWS allows at most a /${AWS_MAX_SUBNET_PREFIX_LENGTH} per VPC CIDR block, so lower the demand or spread it over more AZs`
      : "";
  return new IpPlanError(
    `${largest.tier} tier needs ${azCount} × /${largest.unitPrefix} (peak ${formatCount(largest.required)} addresses per AZ incl. ${formatPercent(growth)} growth) ` +
      `but ${source.cidr.cidr} is too small: the plan needs a /${smallestFittingPrefix} or larger ` +
      `(${formatCount(total)} addresses for all subnets in it, without reserved growth space)${awsLimit}`,
    { tier: largest.tier, demand: largest.required, cidr: source.cidr.cidr, smallestFittingPrefix },
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
  if (input.karpenter !== undefined) positiveInteger("karpenter.cpuLimitPerAz", input.karpenter.cpuLimitPerAz);

  if (input.upgrade.strategy === "rolling") {
    nonNegativeInteger("upgrade.maxUnavailable", input.upgrade.maxUnavailable);
  } else if (input.upgrade.strategy !== "blue-green") {
    throw new Error(`upgrade.strategy must be "rolling" or "blue-green", got ${JSON.stringify((input.upgrade as { strategy: unknown }).strategy)}`);
  }
  nonNegativeInteger("publicLoadBalancersPerAz", input.publicLoadBalancersPerAz ?? 2);
  nonNegativeInteger("internalLoadBalancersPerAz", input.internalLoadBalancersPerAz ?? 2);
  positiveInteger("addressesPerLoadBalancer", input.addressesPerLoadBalancer ?? DEFAULT_ADDRESSES_PER_LOAD_BALANCER);
  nonNegativeInteger("interfaceEndpoints", input.interfaceEndpoints ?? 0);
  nonNegativeInteger("databaseAddressesPerAz", input.databaseAddressesPerAz ?? 16);
  nonNegativeInteger("reserveBits", input.reserveBits ?? DEFAULT_RESERVE_BITS);
  const growth = input.growthFactor ?? DEFAULT_GROWTH_FACTOR;
  if (!Number.isFinite(growth) || growth < 0) throw new Error(`growthFactor must be a finite number >= 0, got ${growth}`);
}

function nonNegativeInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${field} must be an integer >= 0, got ${value}`);
}

function positiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${field} must be an integer >= 1, got ${value}`);
}

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}
