import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCidr, resizeCidr } from "../modules/network/cidr";
import {
  capacityReport,
  formatCapacityReport,
  IpPlan,
  IpPlanError,
  IpPlanInput,
  nodeAddressDemand,
  planSubnets,
  requiredAddresses,
  SUBNET_TIERS,
  subnetsOf,
} from "../modules/network/ip-plan";
import { instanceLimits, maxPods, PodNetworkingMode } from "../modules/network/max-pods";

const AZS = ["ap-northeast-2a", "ap-northeast-2b"] as const;

/** The dev-like input of the brief: m6i.large ×3 and m6i.xlarge ×10 per AZ, secondary IPs, rolling by 1. */
const devLike: IpPlanInput = {
  vpcCidr: "10.10.0.0/16",
  azs: AZS,
  nodeGroups: [
    { name: "system", instanceTypes: ["m6i.large"], maxNodesPerAz: 3 },
    { name: "workloads", instanceTypes: ["m6i.xlarge"], maxNodesPerAz: 10 },
  ],
  podNetworking: "secondary-ip",
  upgrade: { strategy: "rolling", maxUnavailable: 1 },
};

function planError(input: IpPlanInput): IpPlanError {
  try {
    planSubnets(input);
  } catch (e) {
    if (e instanceof IpPlanError) return e;
    throw e;
  }
  throw new Error("expected an IpPlanError");
}

describe("planSubnets: examples", () => {
  it("sizes a dev-like cluster with secondary IPs (every number explained)", () => {
    // Per node (secondary-ip = whole ENIs): m6i.large 3 ENIs × 10 = 30, m6i.xlarge 4 × 15 = 60.
    expect(nodeAddressDemand("m6i.large", "secondary-ip")).toEqual({ private: 30, pods: 0 });
    expect(nodeAddressDemand("m6i.xlarge", "secondary-ip")).toEqual({ private: 60, pods: 0 });
    // private: max scale 3×30 + 10×60 + 2 ILB × 8 = 706; rolling +1 node per group: 4×30 + 11×60 + 16 = 796;
    //   ×1.2 → 956 → /22 (1,019 usable).
    // public: 2 ALB × 8 + 1 NAT = 17 → 21 → /27. intra: 16 → 20 → /27. database: 16 → 20 → /27.
    const plan = planSubnets(devLike);
    const row = (tier: string, az: string, cidr: string, prefixLength: number, usable: number, demand: number, peakDuringUpgrade: number, headroomPercent: number) =>
      ({ tier, az, cidr, prefixLength, usable, demand, peakDuringUpgrade, headroomPercent });
    expect(plan.subnets).toEqual([
      row("public", AZS[0], "10.10.8.0/27", 27, 27, 17, 17, 37),
      row("public", AZS[1], "10.10.8.32/27", 27, 27, 17, 17, 37),
      row("private", AZS[0], "10.10.0.0/22", 22, 1019, 706, 796, 21.9),
      row("private", AZS[1], "10.10.4.0/22", 22, 1019, 706, 796, 21.9),
      row("intra", AZS[0], "10.10.8.64/27", 27, 27, 16, 16, 40.7),
      row("intra", AZS[1], "10.10.8.96/27", 27, 27, 16, 16, 40.7),
      row("database", AZS[0], "10.10.8.128/27", 27, 27, 16, 16, 40.7),
      row("database", AZS[1], "10.10.8.160/27", 27, 27, 16, 16, 40.7),
    ]);
    expect(plan.unallocated).toEqual([
      "10.10.8.192/26",
      "10.10.9.0/24",
      "10.10.10.0/23",
      "10.10.12.0/22",
      "10.10.16.0/20",
      "10.10.32.0/19",
      "10.10.64.0/18",
      "10.10.128.0/17",
    ]);
    expect(plan.unallocatedAddresses).toBe(65536 - 2 * 1024 - 6 * 32);
    expect(plan.vpcCidr).toBe("10.10.0.0/16");
    expect(plan.podCidr).toBeUndefined();
    expect(plan.notes).toEqual([]);
    expect(subnetsOf(plan, "private").map((s) => s.az)).toEqual([...AZS]);
    expect(subnetsOf(plan, "pods")).toEqual([]);
  });

  it("renders the capacity report as Markdown", () => {
    const plan = planSubnets(devLike);
    expect(capacityReport(plan)[2]).toEqual({
      subnet: "private/ap-northeast-2a",
      tier: "private",
      az: "ap-northeast-2a",
      cidr: "10.10.0.0/22",
      usable: 1019,
      peakAtMaxScale: 706,
      peakDuringUpgrade: 796,
      headroomPercent: 21.9,
    });
    expect(formatCapacityReport(plan)).toMatchInlineSnapshot(`
      "| Subnet | CIDR | Usable | Peak at max scale | Peak during upgrade | Headroom |
      | --- | --- | ---: | ---: | ---: | ---: |
      | public/ap-northeast-2a | 10.10.8.0/27 | 27 | 17 | 17 | 37.0% |
      | public/ap-northeast-2b | 10.10.8.32/27 | 27 | 17 | 17 | 37.0% |
      | private/ap-northeast-2a | 10.10.0.0/22 | 1,019 | 706 | 796 | 21.9% |
      | private/ap-northeast-2b | 10.10.4.0/22 | 1,019 | 706 | 796 | 21.9% |
      | intra/ap-northeast-2a | 10.10.8.64/27 | 27 | 16 | 16 | 40.7% |
      | intra/ap-northeast-2b | 10.10.8.96/27 | 27 | 16 | 16 | 40.7% |
      | database/ap-northeast-2a | 10.10.8.128/27 | 27 | 16 | 16 | 40.7% |
      | database/ap-northeast-2b | 10.10.8.160/27 | 27 | 16 | 16 | 40.7% |

      Unallocated: 10.10.8.192/26, 10.10.9.0/24, 10.10.10.0/23, 10.10.12.0/22, 10.10.16.0/20, 10.10.32.0/19, 10.10.64.0/18, 10.10.128.0/17 (63,296 addresses)"
    `);
  });

  it("puts the pods tier in the pod CIDR with custom networking", () => {
    // Per node: private 1 (primary ENI); pods m6i.large (3−1)×10 = 20, m6i.xlarge (4−1)×15 = 45.
    // private: 3 + 10 + 16 = 29, peak 4 + 11 + 16 = 31 → 38 → /26.
    // pods: 3×20 + 10×45 = 510, peak 4×20 + 11×45 = 575 → 690 → /22.
    const plan = planSubnets({ ...devLike, podNetworking: "custom-networking", podCidr: "100.64.0.0/16" });
    expect(plan.podCidr).toBe("100.64.0.0/16");
    expect(subnetsOf(plan, "pods")).toEqual([
      { tier: "pods", az: AZS[0], cidr: "100.64.0.0/22", prefixLength: 22, usable: 1019, demand: 510, peakDuringUpgrade: 575, headroomPercent: 43.6 },
      { tier: "pods", az: AZS[1], cidr: "100.64.4.0/22", prefixLength: 22, usable: 1019, demand: 510, peakDuringUpgrade: 575, headroomPercent: 43.6 },
    ]);
    expect(subnetsOf(plan, "private").map((s) => [s.cidr, s.demand, s.peakDuringUpgrade])).toEqual([
      ["10.10.0.0/26", 29, 31],
      ["10.10.0.64/26", 29, 31],
    ]);
    expect(plan.subnets.map((s) => `${s.tier} ${s.cidr}`)).toEqual([
      "public 10.10.0.128/27",
      "public 10.10.0.160/27",
      "private 10.10.0.0/26",
      "private 10.10.0.64/26",
      "pods 100.64.0.0/22",
      "pods 100.64.4.0/22",
      "intra 10.10.0.192/27",
      "intra 10.10.0.224/27",
      "database 10.10.1.0/27",
      "database 10.10.1.32/27",
    ]);
    expect(plan.unallocated.filter((c) => c.startsWith("100.64."))).toEqual([
      "100.64.8.0/21",
      "100.64.16.0/20",
      "100.64.32.0/19",
      "100.64.64.0/18",
      "100.64.128.0/17",
    ]);
  });

  it("sizes prefix delegation in whole /28 prefixes plus ENI primaries", () => {
    // m6i.large: max pods capped at 110 → ceil(108 / 16) + 1 warm = 8 prefixes → 128 + 3 ENIs = 131.
    expect(maxPods("m6i.large", { mode: "prefix-delegation", cap: true })).toBe(110);
    expect(nodeAddressDemand("m6i.large", "prefix-delegation")).toEqual({ private: 131, pods: 0 });
    // m6i.xlarge: 110 pods too → 8 prefixes → 128 + 4 ENIs = 132.
    expect(nodeAddressDemand("m6i.xlarge", "prefix-delegation")).toEqual({ private: 132, pods: 0 });
    const plan = planSubnets({ ...devLike, podNetworking: "prefix-delegation" });
    // private: 3×131 + 10×132 + 16 = 1,729; peak 4×131 + 11×132 + 16 = 1,992 → 2,391 → /20.
    expect(subnetsOf(plan, "private").map((s) => [s.cidr, s.demand, s.peakDuringUpgrade])).toEqual([
      ["10.10.0.0/20", 1729, 1992],
      ["10.10.16.0/20", 1729, 1992],
    ]);
  });

  it("blue/green doubles the nodes and the biggest instance type of a group sizes it", () => {
    const plan = planSubnets({
      ...devLike,
      nodeGroups: [{ name: "mixed", instanceTypes: ["m6i.large", "m6i.xlarge"], maxNodesPerAz: 5 }],
      upgrade: { strategy: "blue-green" },
      internalLoadBalancersPerAz: 1,
      interfaceEndpoints: 8,
      growthFactor: 0,
    });
    // 5 × 60 + 1 × 8 + 8 endpoints = 316; blue/green 10 × 60 + 16 = 616 → /22 (1,019 usable).
    expect(subnetsOf(plan, "private")[0]).toMatchObject({ demand: 316, peakDuringUpgrade: 616, prefixLength: 22 });
  });

  it("leaves out database subnets when no database addresses are wanted, and notes an unused pod CIDR", () => {
    const plan = planSubnets({ ...devLike, databaseAddressesPerAz: 0, podCidr: "100.64.0.0/16" });
    expect(subnetsOf(plan, "database")).toEqual([]);
    expect(plan.unallocated.at(-1)).toBe("100.64.0.0/16");
    expect(plan.notes).toEqual([
      "podCidr 100.64.0.0/16 is not used: with secondary-ip pods take addresses from the private subnets; it is reported as unallocated",
    ]);
    expect(formatCapacityReport(plan)).toContain("Note: podCidr 100.64.0.0/16 is not used");
  });

  it("throws IpPlanError naming the tier, the demand and the smallest prefix that fits", () => {
    const input: IpPlanInput = {
      ...devLike,
      vpcCidr: "10.0.0.0/20",
      azs: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"],
      nodeGroups: [
        { name: "system", instanceTypes: ["m6i.large"], maxNodesPerAz: 3 },
        { name: "workloads", instanceTypes: ["m6i.xlarge"], maxNodesPerAz: 30 },
      ],
    };
    // private peak: 4×30 + 31×60 + 16 = 1,996 → ×1.2 = 2,396 → /20 per AZ; 3 × /20 + 9 × /27 = 12,576 → /18.
    const error = planError(input);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("IpPlanError");
    expect(error.tier).toBe("private");
    expect(error.demand).toBe(2396);
    expect(error.cidr).toBe("10.0.0.0/20");
    expect(error.smallestFittingPrefix).toBe(18);
    expect(error.message).toBe(
      "private tier needs 3 × /20 (peak 2,396 addresses per AZ incl. 20% growth) but 10.0.0.0/20 is too small: " +
        "the plan needs a /18 or larger (12,576 addresses for all subnets in it)",
    );
    expect(() => planSubnets({ ...input, vpcCidr: "10.0.0.0/18" })).not.toThrow();
    expect(() => planSubnets({ ...input, vpcCidr: "10.0.0.0/19" })).toThrow(IpPlanError);
  });

  it("reports a pod CIDR that is too small against the pods tier", () => {
    const error = planError({ ...devLike, podNetworking: "custom-networking", podCidr: "100.64.0.0/23" });
    expect(error.tier).toBe("pods");
    expect(error.cidr).toBe("100.64.0.0/23");
    expect(error.smallestFittingPrefix).toBe(21);
    expect(error.message).toContain("pods tier needs 2 × /22 (peak 690 addresses per AZ incl. 20% growth)");
  });

  it("rejects invalid input with plain errors", () => {
    const bad = (patch: Partial<IpPlanInput>) => () => planSubnets({ ...devLike, ...patch });
    expect(bad({ vpcCidr: "10.10.0.1/16" })).toThrow('vpcCidr "10.10.0.1/16" has host bits set; the network is 10.10.0.0/16');
    expect(bad({ vpcCidr: "10.10.0.0" })).toThrow("not in IPv4 CIDR notation");
    expect(bad({ podCidr: "100.64.0.0/33" })).toThrow("podCidr");
    expect(bad({ podNetworking: "custom-networking" })).toThrow("custom-networking needs a podCidr");
    expect(bad({ podCidr: "10.10.128.0/17" })).toThrow("overlaps vpcCidr");
    expect(bad({ azs: [] })).toThrow("at least one availability zone");
    expect(bad({ azs: ["ap-northeast-2a", "ap-northeast-2a"] })).toThrow("must not repeat");
    expect(bad({ nodeGroups: [] })).toThrow("at least one node group");
    expect(bad({ nodeGroups: [{ name: "x", instanceTypes: ["m6i.large"], maxNodesPerAz: -1 }] })).toThrow("maxNodesPerAz");
    expect(bad({ nodeGroups: [{ name: "x", instanceTypes: [], maxNodesPerAz: 1 }] })).toThrow("no instance types");
    expect(bad({ growthFactor: -0.1 })).toThrow("growthFactor");
    expect(bad({ interfaceEndpoints: 1.5 })).toThrow("interfaceEndpoints");
    expect(bad({ nodeGroups: [{ name: "x", instanceTypes: ["nope.large"], maxNodesPerAz: 1 }] })).toThrow();
    for (const fn of [bad({ azs: [] }), bad({ nodeGroups: [] }), bad({ podNetworking: "custom-networking" })]) {
      expect(fn).toThrow(Error);
      expect(() => {
        try {
          fn();
        } catch (e) {
          if (e instanceof IpPlanError) throw new Error("should be a plain Error");
        }
      }).not.toThrow();
    }
  });

  it("rejects a tier that needs more than a /16 per AZ, which no VPC size fixes", () => {
    expect(() =>
      planSubnets({
        ...devLike,
        nodeGroups: [{ name: "huge", instanceTypes: ["m5.24xlarge"], maxNodesPerAz: 100 }],
        upgrade: { strategy: "blue-green" },
      }),
    ).toThrow("more than a /16, the largest subnet AWS allows");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const NITRO_TYPES = ["m6i.large", "m6i.xlarge", "m5.large", "t3.medium", "c5.4xlarge", "r6i.2xlarge", "c6g.2xlarge"];
const MODES: readonly PodNetworkingMode[] = ["secondary-ip", "prefix-delegation", "custom-networking"];

const inputArb: fc.Arbitrary<IpPlanInput> = fc
  .record({
    vpcBase: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
    vpcPrefix: fc.integer({ min: 16, max: 24 }),
    podBase: fc.integer({ min: 0, max: 2 ** 22 - 1 }),
    podPrefix: fc.integer({ min: 16, max: 24 }),
    givePodCidr: fc.boolean(),
    azCount: fc.integer({ min: 1, max: 3 }),
    nodeGroups: fc.array(
      fc.record({
        instanceTypes: fc.uniqueArray(fc.constantFrom(...NITRO_TYPES), { minLength: 1, maxLength: 3 }),
        maxNodesPerAz: fc.integer({ min: 0, max: 40 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    mode: fc.constantFrom(...MODES),
    upgrade: fc.oneof(
      fc.record({ strategy: fc.constant("rolling" as const), maxUnavailable: fc.integer({ min: 1, max: 3 }) }),
      fc.constant({ strategy: "blue-green" as const }),
    ),
    publicLoadBalancersPerAz: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    internalLoadBalancersPerAz: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    interfaceEndpoints: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    databaseAddressesPerAz: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
    growthFactor: fc.option(fc.constantFrom(0, 0.1, 0.2, 0.25, 0.3, 0.5, 1), { nil: undefined }),
  })
  .map((r) => {
    const vpcCidr = resizeCidr(`10.${(r.vpcBase >> 16) & 255}.${(r.vpcBase >> 8) & 255}.${r.vpcBase & 255}/32`, r.vpcPrefix);
    const podCidr = resizeCidr(`100.${64 + ((r.podBase >> 16) & 63)}.${(r.podBase >> 8) & 255}.${r.podBase & 255}/32`, r.podPrefix);
    const input: IpPlanInput = {
      vpcCidr,
      ...(r.mode === "custom-networking" || r.givePodCidr ? { podCidr } : {}),
      azs: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"].slice(0, r.azCount),
      nodeGroups: r.nodeGroups.map((g, i) => ({ name: `group-${i}`, ...g })),
      podNetworking: r.mode,
      upgrade: r.upgrade,
      ...(r.publicLoadBalancersPerAz !== undefined ? { publicLoadBalancersPerAz: r.publicLoadBalancersPerAz } : {}),
      ...(r.internalLoadBalancersPerAz !== undefined ? { internalLoadBalancersPerAz: r.internalLoadBalancersPerAz } : {}),
      ...(r.interfaceEndpoints !== undefined ? { interfaceEndpoints: r.interfaceEndpoints } : {}),
      ...(r.databaseAddressesPerAz !== undefined ? { databaseAddressesPerAz: r.databaseAddressesPerAz } : {}),
      ...(r.growthFactor !== undefined ? { growthFactor: r.growthFactor } : {}),
    };
    return input;
  });

type Outcome = { plan: IpPlan } | { planError: IpPlanError } | { tooLargeForAws: Error };

function attempt(input: IpPlanInput): Outcome {
  try {
    return { plan: planSubnets(input) };
  } catch (e) {
    if (e instanceof IpPlanError) return { planError: e };
    if (e instanceof Error && e.message.includes("the largest subnet AWS allows")) return { tooLargeForAws: e };
    throw e;
  }
}

/** Independent re-statement of the demand model, per AZ, for the private and pods tiers. */
function expectedNodeDemand(input: IpPlanInput): { private: [number, number]; pods: [number, number] } {
  const mode = input.podNetworking;
  const perNode = (type: string) => {
    const l = instanceLimits(type);
    if (mode === "secondary-ip") return { priv: l.enis * l.ipv4PerEni, pods: 0 };
    if (mode === "custom-networking") return { priv: 1, pods: (l.enis - 1) * l.ipv4PerEni };
    const pods = maxPods(type, { mode, cap: true });
    return { priv: (Math.ceil(Math.max(0, pods - 2) / 16) + 1) * 16 + l.enis, pods: 0 };
  };
  const base = (input.internalLoadBalancersPerAz ?? 2) * 8 + (input.interfaceEndpoints ?? 0);
  const result = { private: [base, base] as [number, number], pods: [0, 0] as [number, number] };
  for (const g of input.nodeGroups) {
    const priv = Math.max(...g.instanceTypes.map((t) => perNode(t).priv));
    const pods = Math.max(...g.instanceTypes.map((t) => perNode(t).pods));
    const n = g.maxNodesPerAz;
    const peakNodes = n === 0 ? 0 : input.upgrade.strategy === "rolling" ? n + input.upgrade.maxUnavailable : 2 * n;
    result.private[0] += n * priv;
    result.private[1] += peakNodes * priv;
    result.pods[0] += n * pods;
    result.pods[1] += peakNodes * pods;
  }
  return result;
}

function checkPlan(input: IpPlanInput, plan: IpPlan): void {
  const growth = input.growthFactor ?? 0.2;
  const vpc = parseCidr(input.vpcCidr);
  const pod = input.podCidr !== undefined ? parseCidr(input.podCidr) : undefined;
  const expected = expectedNodeDemand(input);

  const tiers = SUBNET_TIERS.filter(
    (t) => (t !== "pods" || input.podNetworking === "custom-networking") && (t !== "database" || (input.databaseAddressesPerAz ?? 16) > 0),
  );
  // Ordered by tier, then AZ as given.
  expect(plan.subnets.map((s) => `${s.tier}/${s.az}`)).toEqual(tiers.flatMap((t) => input.azs.map((az) => `${t}/${az}`)));

  const blocks = [...plan.subnets.map((s) => ({ cidr: s.cidr, subnet: s })), ...plan.unallocated.map((cidr) => ({ cidr, subnet: undefined }))].map(
    (b) => ({ ...b, parsed: parseCidr(b.cidr) }),
  );
  for (const { subnet, parsed } of blocks) {
    // Aligned (parseCidr rejects host bits, and checks again here) and inside a source CIDR.
    expect(parsed.network % parsed.size).toBe(0);
    const source = subnet === undefined ? (vpc.range.contains(parsed.range) ? vpc : pod) : subnet.tier === "pods" ? pod : vpc;
    expect(source).toBeDefined();
    expect(source!.range.contains(parsed.range)).toBe(true);
    if (subnet === undefined) continue;

    expect(subnet.prefixLength).toBe(parsed.prefixLength);
    expect(subnet.prefixLength).toBeGreaterThanOrEqual(16);
    expect(subnet.prefixLength).toBeLessThanOrEqual(28);
    expect(subnet.usable).toBe(parsed.size - 5);
    expect(subnet.peakDuringUpgrade).toBeGreaterThanOrEqual(subnet.demand);
    // usable ≥ ceil(peak × (1 + growth)), and the prefix is the smallest that does it.
    expect(subnet.usable).toBeGreaterThanOrEqual(subnet.peakDuringUpgrade * (1 + growth) - 1e-9);
    if (subnet.prefixLength < 28) expect(parsed.size / 2 - 5).toBeLessThan(requiredAddresses(subnet.peakDuringUpgrade, growth));

    const expectedDemand: Record<string, [number, number]> = {
      public: [(input.publicLoadBalancersPerAz ?? 2) * 8 + 1, (input.publicLoadBalancersPerAz ?? 2) * 8 + 1],
      private: expected.private,
      pods: expected.pods,
      intra: [16, 16],
      database: [input.databaseAddressesPerAz ?? 16, input.databaseAddressesPerAz ?? 16],
    };
    expect([subnet.demand, subnet.peakDuringUpgrade]).toEqual(expectedDemand[subnet.tier]);
  }

  // Pairwise disjoint: subnets among themselves and with the unallocated blocks.
  const sorted = blocks.map((b) => b.parsed).sort((a, b) => a.network - b.network);
  for (let i = 1; i < sorted.length; i++) {
    expect(sorted[i - 1]!.network + sorted[i - 1]!.size).toBeLessThanOrEqual(sorted[i]!.network);
  }
  // Disjoint and inside, so equal total size means the sources are covered exactly: nothing lost.
  const total = sorted.reduce((sum, b) => sum + b.size, 0);
  expect(total).toBe(vpc.size + (pod?.size ?? 0));
  expect(plan.unallocatedAddresses).toBe(plan.unallocated.reduce((sum, c) => sum + parseCidr(c).size, 0));
  // Packed from the start: every free block lies after every subnet of the same source.
  for (const source of [vpc, pod]) {
    if (source === undefined) continue;
    const inSource = (c: string) => source.range.contains(parseCidr(c).range);
    const lastSubnetEnd = Math.max(source.network, ...plan.subnets.filter((s) => inSource(s.cidr)).map((s) => parseCidr(s.cidr).network + parseCidr(s.cidr).size));
    const firstFree = Math.min(...plan.unallocated.filter(inSource).map((c) => parseCidr(c).network));
    if (Number.isFinite(firstFree)) expect(firstFree).toBe(lastSubnetEnd);
  }
}

describe("planSubnets: properties", () => {
  it("returns an aligned, disjoint, sufficient plan, or an IpPlanError whose smallest prefix does fit", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        let current = input;
        const fixed = new Set<string>();
        // At most one error per source CIDR (VPC, then pod CIDR): each resize must fix its CIDR.
        for (let round = 0; round < 3; round++) {
          const outcome = attempt(current);
          if ("tooLargeForAws" in outcome) {
            // Only when some tier really needs more than a /16 per AZ; no VPC size would help.
            expect(outcome.tooLargeForAws.message).toMatch(/^(private|pods) tier needs /);
            const demand = expectedNodeDemand(current);
            const growth = current.growthFactor ?? 0.2;
            expect(Math.max(requiredAddresses(demand.private[1], growth), requiredAddresses(demand.pods[1], growth))).toBeGreaterThan(65531);
            return;
          }
          if ("plan" in outcome) {
            checkPlan(current, outcome.plan);
            return;
          }
          const error = outcome.planError;
          const field = error.tier === "pods" ? "podCidr" : "vpcCidr";
          expect(error.cidr).toBe(current[field]);
          expect(fixed.has(field)).toBe(false);
          expect(error.smallestFittingPrefix).toBeLessThan(parseCidr(error.cidr).prefixLength);
          expect(error.message).toContain(`${error.tier} tier needs ${current.azs.length} × /`);
          expect(error.message).toContain(`the plan needs a /${error.smallestFittingPrefix} or larger`);
          // Minimal: one bit longer than the reported prefix still does not fit.
          const oneBitShort = attempt({ ...current, [field]: resizeCidr(error.cidr, error.smallestFittingPrefix + 1) });
          expect("planError" in oneBitShort && oneBitShort.planError.cidr).toBe(resizeCidr(error.cidr, error.smallestFittingPrefix + 1));
          fixed.add(field);
          current = { ...current, [field]: resizeCidr(error.cidr, error.smallestFittingPrefix) };
        }
        throw new Error("resizing to the reported smallest prefixes did not produce a plan");
      }),
      { numRuns: 200 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const a = attempt(input);
        const b = attempt(structuredClone(input));
        if ("plan" in a && "plan" in b) expect(b.plan).toEqual(a.plan);
        else if ("planError" in a && "planError" in b) {
          expect(b.planError.message).toBe(a.planError.message);
          expect({ ...b.planError }).toEqual({ ...a.planError });
        } else expect(Object.keys(b)).toEqual(Object.keys(a));
        if ("plan" in a) expect(formatCapacityReport(a.plan)).toBe(formatCapacityReport(planSubnets(input)));
      }),
      { numRuns: 100 },
    );
  });
});
