import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCidr, resizeCidr } from "../modules/network/cidr";
import {
  karpenterWorstCase,
  loadBalancerAddressesPerAz,
  peakNodes,
  tierDemands,
} from "../modules/network/address-demand";
import {
  formatCapacityReport,
  IpAllocation,
  IpAllocationError,
  IpPlan,
  IpPlanError,
  IpPlanInput,
  nodeAddressDemand,
  planSubnets,
  prefixReservationOf,
  requiredAddresses,
  subnetCapacity,
  subnetsOf,
  TierTooLargeError,
  unitPrefixLength,
} from "../modules/network/ip-plan";
import { instanceLimits, PodNetworkingMode } from "../modules/network/max-pods";

const AZS = ["ap-northeast-2a", "ap-northeast-2b"] as const;

const base: IpPlanInput = {
  vpcCidr: "10.10.0.0/16",
  azs: AZS,
  nodeGroups: [
    { name: "system", instanceTypes: ["m6i.large"], maxNodesPerAz: 3 },
    { name: "workloads", instanceTypes: ["m6i.xlarge"], maxNodesPerAz: 10 },
  ],
  podNetworking: "secondary-ip",
  upgrade: { strategy: "rolling", maxUnavailable: 1 },
};

describe("address demand", () => {
  it("counts addresses per node per mode from the VPC CNI limits", () => {
    // m6i.large: 3 ENIs × 10 IPv4; m6i.xlarge: 4 × 15.
    expect(nodeAddressDemand("m6i.large", "secondary-ip")).toEqual({ private: 30, prefixes: 0, pods: 0 });
    expect(nodeAddressDemand("m6i.xlarge", "custom-networking")).toEqual({ private: 1, prefixes: 0, pods: 45 });
    // prefix delegation, capped at 110 pods: ceil(108 / 16) + 1 warm = 8 prefixes, 3 ENI primaries.
    expect(nodeAddressDemand("m6i.large", "prefix-delegation")).toEqual({ private: 3, prefixes: 8, pods: 0 });
    // 110 → 108 pod addresses = 6.75 prefixes; 98 pods → 96 addresses = exactly 6 (+1 warm).
    expect(nodeAddressDemand("m6i.large", "prefix-delegation", 98).prefixes).toBe(7);
    expect(nodeAddressDemand("m6i.large", "prefix-delegation", 99).prefixes).toBe(8);
  });

  it("peaks at twice the group (create-before-destroy replacement), or more when maxUnavailable exceeds it", () => {
    expect(peakNodes(0, { strategy: "blue-green" })).toBe(0);
    expect(peakNodes(5, { strategy: "blue-green" })).toBe(10);
    expect(peakNodes(5, { strategy: "rolling", maxUnavailable: 1 })).toBe(10);
    expect(peakNodes(5, { strategy: "rolling", maxUnavailable: 5 })).toBe(10);
    expect(peakNodes(5, { strategy: "rolling", maxUnavailable: 6 })).toBe(11);
  });

  it("budgets each load balancer its share of 100 addresses per AZ, never under AWS's 8", () => {
    expect(loadBalancerAddressesPerAz(100, 2)).toBe(50);
    expect(loadBalancerAddressesPerAz(100, 3)).toBe(34);
    expect(loadBalancerAddressesPerAz(16, 2)).toBe(8);
    expect(loadBalancerAddressesPerAz(15, 2)).toBe(8);
    expect(loadBalancerAddressesPerAz(18, 2)).toBe(9);
  });

  it("takes Karpenter's worst case in one AZ: the whole per-AZ limit on the densest allowed type", () => {
    // 16 vCPUs: 4 × m6i.xlarge (4 vCPU, 60 addresses) = 240, or 2 × m6i.2xlarge (8 vCPU, 4 × 15 = 60) = 120.
    expect(karpenterWorstCase({ cpuLimitPerAz: 16, instanceTypes: ["m6i.2xlarge", "m6i.xlarge"] }, "secondary-ip").private).toBe(240);
    // 17 vCPUs: the node that passes the limit counts (ceil(17 / 4) = 5 nodes).
    expect(karpenterWorstCase({ cpuLimitPerAz: 17, instanceTypes: ["m6i.xlarge"] }, "secondary-ip").private).toBe(300);
    expect(() => karpenterWorstCase({ cpuLimitPerAz: 16, instanceTypes: [] }, "secondary-ip")).toThrow(/allows no instance type/);
  });

  it("adds the Karpenter worst case to the private and pods tiers", () => {
    const input = { ...base, podNetworking: "custom-networking" as const, podCidr: "100.64.0.0/16" };
    const demand = (karpenter?: IpPlanInput["karpenter"]) =>
      tierDemands({
        azCount: 2,
        nodeGroups: input.nodeGroups,
        ...(karpenter ? { karpenter } : {}),
        podNetworking: "custom-networking",
        upgrade: input.upgrade,
        publicLoadBalancersPerAz: 2,
        internalLoadBalancersPerAz: 2,
        addressesPerLoadBalancer: 100,
        interfaceEndpoints: 0,
        databaseAddressesPerAz: 16,
      });
    const without = demand();
    const withK = demand({ cpuLimitPerAz: 8, instanceTypes: ["m6i.xlarge"] });
    const pods = (d: typeof without) => d.find((t) => t.tier === "pods")!.addresses;
    expect(pods(withK).peak - pods(without).peak).toBe(2 * 45);
    expect(pods(withK).demand - pods(without).demand).toBe(2 * 45);
    // Public: 2 LBs × 50 + NAT; intra: 16.
    expect(without.find((t) => t.tier === "public")!.addresses.peak).toBe(101);
    expect(without.find((t) => t.tier === "intra")!.addresses.peak).toBe(16);
  });
});

describe("sizing", () => {
  it("gives prefix delegation an upper-half reservation that holds the prefixes plus the unusable last /28", () => {
    // 10 prefixes × 1.0 + 1 = 11 blocks = 176 addresses → half /24 (256); singles 100 + 4 → 128: half 256 → /23.
    expect(unitPrefixLength({ tier: "private", addresses: { demand: 100, peak: 100 }, prefixes: { demand: 10, peak: 10 } }, 0)).toBe(23);
    // 15 blocks + 1 = 16 → 256 = exactly the half of a /23... 16 × 16 = 256 → half /24.
    expect(unitPrefixLength({ tier: "private", addresses: { demand: 1, peak: 1 }, prefixes: { demand: 15, peak: 15 } }, 0)).toBe(23);
    expect(unitPrefixLength({ tier: "private", addresses: { demand: 1, peak: 1 }, prefixes: { demand: 16, peak: 16 } }, 0)).toBe(22);
    expect(() => unitPrefixLength({ tier: "private", addresses: { demand: 70000, peak: 70000 }, prefixes: { demand: 0, peak: 0 } }, 0)).toThrow(TierTooLargeError);
  });

  it("counts a reservation's capacity without the AWS-reserved addresses", () => {
    expect(prefixReservationOf("10.0.0.0/24")).toBe("10.0.0.128/25");
    // 256 − 5 reserved − (128 − 1 last address inside the reservation) = 124 single addresses; 8 − 1 prefixes.
    expect(subnetCapacity({ cidr: "10.0.0.0/24", prefixReservation: "10.0.0.128/25" })).toEqual({ addresses: 124, prefixes: 7 });
    expect(subnetCapacity({ cidr: "10.0.0.0/24", prefixReservation: "10.0.0.64/26" })).toEqual({ addresses: 187, prefixes: 4 });
    expect(subnetCapacity({ cidr: "10.0.0.0/24" })).toEqual({ addresses: 251, prefixes: 0 });
  });
});

describe("planSubnets: a new layout", () => {
  it("reserves 4 units per tier and AZ, the private subnet one unit at the block's start", () => {
    const plan = planSubnets(base);
    for (const c of plan.capacity) {
      const reserved = parseCidr(c.reserved);
      const first = parseCidr(c.subnets[0]!);
      expect(first.network).toBe(reserved.network);
      if (c.tier === "private") expect(reserved.size).toBe(4 * first.size);
      else expect(first.cidr).toBe(reserved.cidr);
      expect(c.usable).toBeGreaterThanOrEqual(c.peakDuringUpgrade);
    }
    expect(plan.additions.length).toBeGreaterThan(0);
    expect(plan.subnets.every((s) => !s.recorded)).toBe(true);
  });

  it("gives fewer reserve bits to the largest tier when the VPC is too small, and fails only at one unit each", () => {
    const unit = parseCidr(subnetsOf(planSubnets(base), "private")[0]!.cidr).prefixLength;
    // 2 AZs × (4 units) of private alone need /(unit − 3); one bit less must still plan.
    const tight = planSubnets({ ...base, vpcCidr: resizeCidr("10.10.0.0/16", unit - 2) });
    const reserved = parseCidr(tight.capacity.find((c) => c.tier === "private")!.reserved);
    expect(reserved.prefixLength).toBeGreaterThan(unit - 2);
    expect(() => planSubnets({ ...base, vpcCidr: resizeCidr("10.10.0.0/16", unit) })).toThrow(IpPlanError);
  });

  it("says which source CIDR is too small and the smallest prefix that fits", () => {
    let error: unknown;
    try {
      planSubnets({ ...base, vpcCidr: "10.10.0.0/24" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IpPlanError);
    const e = error as IpPlanError;
    expect(e.cidr).toBe("10.10.0.0/24");
    expect(e.message).toContain(`the plan needs a /${e.smallestFittingPrefix} or larger`);
    expect(() => planSubnets({ ...base, vpcCidr: resizeCidr("10.10.0.0/16", e.smallestFittingPrefix) })).not.toThrow();
  });

  it("reserves the upper half of every private subnet for prefixes under prefix delegation", () => {
    const plan = planSubnets({ ...base, podNetworking: "prefix-delegation" });
    for (const s of subnetsOf(plan, "private")) expect(s.prefixReservation).toBe(prefixReservationOf(s.cidr));
    for (const s of plan.subnets.filter((x) => x.tier !== "private")) expect(s.prefixReservation).toBeUndefined();
    expect(formatCapacityReport(plan)).toContain("Prefix reservations:");
  });

  it("prints every assumption of the demand model", () => {
    const report = formatCapacityReport(planSubnets({ ...base, karpenter: { cpuLimitPerAz: 8, instanceTypes: ["m6i.xlarge"] } }));
    expect(report).toContain("Assumption: load balancers: 50 addresses per load balancer per AZ");
    expect(report).toContain("Assumption: node groups: replaced create-before-destroy");
    expect(report).toContain("Assumption: karpenter: one NodePool per AZ");
  });
});

describe("planSubnets: recorded allocations", () => {
  const recordedOf = (input: IpPlanInput): IpAllocation => planSubnets(input).allocation;

  it("keeps every recorded subnet and adds nothing when the demand still fits", () => {
    const recorded = recordedOf(base);
    const plan = planSubnets({ ...base, nodeGroups: [{ ...base.nodeGroups[0]!, maxNodesPerAz: 4 }, base.nodeGroups[1]!] }, recorded);
    expect(plan.additions).toEqual([]);
    expect(plan.allocation).toEqual(recorded);
    expect(plan.subnets.every((s) => s.recorded)).toBe(true);
  });

  it("serves private growth with extra subnets in the reserved block, at slots that depend only on what is recorded", () => {
    const recorded = recordedOf(base);
    const block = recorded.tiers.private![AZS[0]]!;
    const grow = (n: number) => planSubnets({ ...base, nodeGroups: [base.nodeGroups[0]!, { ...base.nodeGroups[1]!, maxNodesPerAz: n }] }, recorded);
    const first = subnetsOf(grow(16), "private").filter((s) => s.az === AZS[0]);
    const more = subnetsOf(grow(22), "private").filter((s) => s.az === AZS[0]);
    expect(first[0]!.cidr).toBe(block.subnets[0]!.cidr);
    expect(first.length).toBeGreaterThan(1);
    expect(more.slice(0, first.length).map((s) => s.cidr)).toEqual(first.map((s) => s.cidr));
    expect(more.map((s) => s.ordinal)).toEqual(more.map((_, i) => i + 1));
    for (const s of more) expect(parseCidr(block.reserved).range.contains(parseCidr(s.cidr).range)).toBe(true);
    expect(grow(16).additions.some((a) => a.startsWith(`private/${AZS[0]}: extra subnet`))).toBe(true);
  });

  it("refuses growth no reserved space can hold, naming the tier, the AZ, the demand, what is pinned and the ways out", () => {
    const input = { ...base, podNetworking: "custom-networking" as const, podCidr: "100.64.0.0/20" };
    const recorded = recordedOf(input);
    let error: unknown;
    try {
      planSubnets({ ...input, nodeGroups: [base.nodeGroups[0]!, { ...base.nodeGroups[1]!, maxNodesPerAz: 60 }] }, recorded);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IpAllocationError);
    const problems = (error as IpAllocationError).problems;
    expect(problems.map((p) => `${p.tier}/${p.az}`)).toEqual(AZS.map((az) => `pods/${az}`));
    const pinned = recorded.tiers.pods![AZS[0]]!.subnets[0]!.cidr;
    expect(problems[0]!.pinned).toEqual([pinned]);
    expect(problems[0]!.message).toMatch(new RegExp(`^pods tier in ${AZS[0]} needs [\\d,]+ addresses at the peak but the pinned subnets hold [\\d,]+ \\(${pinned.replace(/[./]/g, "\\$&")}\\)`));
    expect(problems[0]!.message).toContain("ENIConfig names one pod subnet per AZ");
    expect(problems[0]!.message).toContain("Ways out:");
    expect(problems[0]!.message).toContain("--relayout");
  });

  it("refuses a recorded allocation for another VPC CIDR instead of re-planning", () => {
    const recorded = recordedOf(base);
    expect(() => planSubnets({ ...base, vpcCidr: "10.11.0.0/16" }, recorded)).toThrow(/a VPC CIDR cannot change under live subnets/);
  });

  it("places a new AZ's blocks in free space and keeps a removed AZ's blocks reserved", () => {
    const recorded = recordedOf(base);
    const withC = planSubnets({ ...base, azs: [...AZS, "ap-northeast-2c"] }, recorded);
    for (const s of planSubnets(base, recorded).subnets) expect(withC.subnets.some((x) => x.cidr === s.cidr && x.az === s.az)).toBe(true);
    expect(withC.additions.some((a) => a.includes("ap-northeast-2c"))).toBe(true);
    const without = planSubnets({ ...base, azs: [AZS[0]] }, withC.allocation);
    expect(without.allocation.tiers.private![AZS[1]]).toEqual(recorded.tiers.private![AZS[1]]);
    expect(without.notes.join("\n")).toContain(`private/${AZS[1]}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const TYPES = ["m6i.large", "m6i.xlarge", "m5.large", "c5.4xlarge", "r6i.2xlarge", "c6g.2xlarge"];
const MODES: readonly PodNetworkingMode[] = ["secondary-ip", "prefix-delegation", "custom-networking"];

const demandArb: fc.Arbitrary<Demand> = fc.record({
  nodeGroups: fc.array(
    fc.record({ instanceTypes: fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 2 }), maxNodesPerAz: fc.integer({ min: 0, max: 30 }) }),
    { minLength: 1, maxLength: 3 },
  ),
  publicLoadBalancersPerAz: fc.integer({ min: 0, max: 6 }),
  internalLoadBalancersPerAz: fc.integer({ min: 0, max: 6 }),
  interfaceEndpoints: fc.integer({ min: 0, max: 12 }),
  azCount: fc.integer({ min: 1, max: 3 }),
});

const ALL_AZS = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];

type Demand = {
  nodeGroups: { instanceTypes: string[]; maxNodesPerAz: number }[];
  publicLoadBalancersPerAz: number;
  internalLoadBalancersPerAz: number;
  interfaceEndpoints: number;
  azCount: number;
};

function inputOf(mode: PodNetworkingMode, vpcPrefix: number, d: Demand): IpPlanInput {
  return {
    vpcCidr: resizeCidr("10.20.0.0/16", vpcPrefix),
    ...(mode === "custom-networking" ? { podCidr: "100.64.0.0/16" } : {}),
    azs: ALL_AZS.slice(0, d.azCount),
    nodeGroups: d.nodeGroups.map((g, i) => ({ name: `group-${i}`, ...g })),
    podNetworking: mode,
    upgrade: { strategy: "rolling", maxUnavailable: 1 },
    publicLoadBalancersPerAz: d.publicLoadBalancersPerAz,
    internalLoadBalancersPerAz: d.internalLoadBalancersPerAz,
    interfaceEndpoints: d.interfaceEndpoints,
  };
}

type Attempt = { plan: IpPlan } | { refused: Error };

function attempt(input: IpPlanInput, recorded?: IpAllocation): Attempt {
  try {
    return { plan: planSubnets(input, recorded) };
  } catch (e) {
    if (e instanceof IpPlanError || e instanceof IpAllocationError || e instanceof TierTooLargeError) return { refused: e };
    throw e;
  }
}

function allocatedCidrs(a: IpAllocation): { reserved: string[]; subnets: { key: string; cidr: string }[] } {
  const reserved: string[] = [];
  const subnets: { key: string; cidr: string }[] = [];
  for (const [tier, byAz] of Object.entries(a.tiers)) {
    for (const [az, block] of Object.entries(byAz ?? {})) {
      reserved.push(block.reserved);
      block.subnets.forEach((s, i) => subnets.push({ key: `${tier}/${az}/${i}`, cidr: s.cidr }));
    }
  }
  return { reserved, subnets };
}

function checkAllocation(a: IpAllocation, input: IpPlanInput): void {
  const { reserved } = allocatedCidrs(a);
  const vpc = parseCidr(input.vpcCidr);
  const pod = input.podCidr !== undefined ? parseCidr(input.podCidr) : undefined;
  const blocks = reserved.map((c) => parseCidr(c)).sort((x, y) => x.network - y.network);
  for (let i = 1; i < blocks.length; i++) expect(blocks[i - 1]!.network + blocks[i - 1]!.size).toBeLessThanOrEqual(blocks[i]!.network);
  for (const b of blocks) expect(vpc.range.contains(b.range) || (pod !== undefined && pod.range.contains(b.range))).toBe(true);
  for (const [, byAz] of Object.entries(a.tiers)) {
    for (const block of Object.values(byAz ?? {})) {
      const r = parseCidr(block.reserved);
      const subs = block.subnets.map((s) => parseCidr(s.cidr)).sort((x, y) => x.network - y.network);
      for (const s of subs) expect(r.range.contains(s.range)).toBe(true);
      for (let i = 1; i < subs.length; i++) expect(subs[i - 1]!.network + subs[i - 1]!.size).toBeLessThanOrEqual(subs[i]!.network);
      for (const s of block.subnets) {
        const p = parseCidr(s.cidr).prefixLength;
        expect(p).toBeGreaterThanOrEqual(16);
        expect(p).toBeLessThanOrEqual(28);
      }
    }
  }
}

describe("planSubnets: properties", () => {
  it("never changes an allocated CIDR over any sequence of demand changes, and stays disjoint and inside the VPC", () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODES), fc.integer({ min: 16, max: 18 }), fc.array(demandArb, { minLength: 2, maxLength: 6 }), (mode, vpcPrefix, steps) => {
        let recorded: IpAllocation | undefined;
        for (const step of steps) {
          const input = inputOf(mode, vpcPrefix, step);
          const result = attempt(input, recorded);
          if ("refused" in result) continue; // refused: nothing moves, the recorded allocation stays
          const plan = result.plan;
          checkAllocation(plan.allocation, input);
          if (recorded !== undefined) {
            const now = allocatedCidrs(plan.allocation);
            const before = allocatedCidrs(recorded);
            for (const r of before.reserved) expect(now.reserved).toContain(r);
            for (const s of before.subnets) expect(now.subnets).toContainEqual(s);
          }
          // Every tier and AZ holds its peak.
          for (const c of plan.capacity) {
            expect(c.usable).toBeGreaterThanOrEqual(c.peakDuringUpgrade);
            if (c.prefixes) expect(c.prefixes.capacity).toBeGreaterThanOrEqual(c.prefixes.peak);
          }
          recorded = plan.allocation; // as `ipplan --write` would record it
        }
      }),
      { numRuns: 150 },
    );
  });

  it("plans a new layout whose subnets hold the peak with the growth factor", () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODES), demandArb, (mode, d) => {
        const input = inputOf(mode, 16, d);
        const result = attempt(input);
        if ("refused" in result) return;
        checkAllocation(result.plan.allocation, input);
        for (const c of result.plan.capacity) {
          if (c.prefixes === undefined) expect(c.usable).toBeGreaterThanOrEqual(requiredAddresses(c.peakDuringUpgrade, 0.2));
          else expect(c.prefixes.capacity).toBeGreaterThanOrEqual(requiredAddresses(c.prefixes.peak, 0.2));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODES), demandArb, (mode, d) => {
        const input = inputOf(mode, 16, d);
        const a = attempt(input);
        const b = attempt(structuredClone(input));
        if ("plan" in a && "plan" in b) expect(formatCapacityReport(b.plan)).toBe(formatCapacityReport(a.plan));
        else expect(Object.keys(b)).toEqual(Object.keys(a));
      }),
      { numRuns: 60 },
    );
  });
});

it("knows the vCPUs of every type the property tests use (the Karpenter worst case divides by them)", () => {
  for (const t of TYPES) expect(instanceLimits(t).vcpus).toBeGreaterThan(0);
});
