import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UnknownInstanceTypeError, instanceLimits, isKnownInstanceType, maxPods, type PodNetworkingMode } from "../modules/network/max-pods";

/** AWS's published eni-max-pods table (VPC CNI misc/eni-max-pods.txt), as [instance type, max pods]. */
function publishedTable(): [string, number][] {
  const text = readFileSync(join(__dirname, "fixtures", "eni-max-pods.tsv"), "utf8");
  const rows: [string, number][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const [type, pods] = line.split("\t");
    if (type === "instance_type") continue; // header row
    rows.push([type!, Number(pods)]);
  }
  return rows;
}

describe("maxPods against AWS's published eni-max-pods table", () => {
  const rows = publishedTable();

  it("reads the whole fixture", () => {
    expect(rows).toHaveLength(1391);
    expect(rows.every(([t, n]) => /^[a-z0-9-]+\.[a-z0-9-]+$/.test(t) && Number.isInteger(n) && n > 0)).toBe(true);
  });

  it("knows every published instance type", () => {
    expect(rows.filter(([t]) => !isKnownInstanceType(t)).map(([t]) => t)).toEqual([]);
  });

  it("equals the published value for every instance type when uncapped", () => {
    const mismatches = rows.filter(([t, n]) => maxPods(t, { cap: false }) !== n).map(([t, n]) => `${t}: published ${n}, computed ${maxPods(t, { cap: false })}`);
    expect(mismatches).toEqual([]);
  });

  it("never exceeds EKS's 110/250 recommendation when capped", () => {
    for (const [t, n] of rows) {
      const capped = maxPods(t);
      const limit = instanceLimits(t).vcpus > 30 ? 250 : 110;
      expect(capped).toBe(Math.min(n, limit));
    }
  });

  it("has a vCPU count for every type but the one no source lists", () => {
    const unknown = rows.map(([t]) => instanceLimits(t)).filter((l) => l.vcpuSource === "unknown");
    expect(unknown.map((l) => l.instanceType)).toEqual(["bmn-sf1.metal"]);
    expect(unknown[0]!.vcpus).toBe(0);
    for (const [t] of rows) {
      const l = instanceLimits(t);
      if (l.vcpuSource !== "unknown") expect(l.vcpus, t).toBeGreaterThan(0);
    }
    const derived = rows.map(([t]) => instanceLimits(t)).filter((l) => l.vcpuSource === "derived");
    expect(derived.map((l) => [l.instanceType, l.vcpus])).toEqual([
      ["c5a.metal", 96],
      ["c5ad.metal", 96],
      ["c7i.32xlarge", 128],
      ["trn2.3xlarge", 12],
    ]);
  });
});

describe("maxPods spot checks (README of the ENI reference data)", () => {
  // type, secondary-ip, custom-networking, prefix-delegation (all uncapped); all have <= 30 vCPUs
  const cases: [string, number, number, number][] = [
    ["m5.large", 29, 20, 434],
    ["m5.xlarge", 58, 44, 898],
    ["c5.large", 29, 20, 434],
    ["t3.medium", 17, 12, 242],
    ["m6i.2xlarge", 58, 44, 898],
  ];

  it.each(cases)("%s: %i secondary-ip, %i custom networking, %i prefix delegation", (type, secondary, custom, prefix) => {
    expect(maxPods(type, { cap: false })).toBe(secondary);
    expect(maxPods(type, { mode: "secondary-ip", cap: false })).toBe(secondary);
    expect(maxPods(type, { mode: "custom-networking", cap: false })).toBe(custom);
    expect(maxPods(type, { mode: "prefix-delegation", cap: false })).toBe(prefix);
    // capped at 110 (<= 30 vCPUs): only prefix delegation is above it here
    expect(instanceLimits(type).vcpus).toBeLessThanOrEqual(30);
    expect(maxPods(type)).toBe(Math.min(secondary, 110));
    expect(maxPods(type, { mode: "custom-networking" })).toBe(Math.min(custom, 110));
    expect(maxPods(type, { mode: "prefix-delegation" })).toBe(110);
  });

  it("m5.large: 29 by default, 20 with custom networking, 434 → 110 with prefix delegation", () => {
    expect(maxPods("m5.large")).toBe(29);
    expect(maxPods("m5.large", { mode: "custom-networking" })).toBe(20);
    expect(maxPods("m5.large", { mode: "prefix-delegation", cap: false })).toBe(434);
    expect(maxPods("m5.large", { mode: "prefix-delegation" })).toBe(110);
  });

  it("p5.48xlarge counts the default network card's 2 ENIs only: 100", () => {
    expect(instanceLimits("p5.48xlarge")).toMatchObject({ enis: 2, ipv4PerEni: 50, hypervisor: "nitro", bareMetal: false, vcpus: 192 });
    expect(maxPods("p5.48xlarge", { cap: false })).toBe(100);
    expect(maxPods("p5.48xlarge")).toBe(100);
    expect(maxPods("p5.48xlarge", { mode: "custom-networking" })).toBe(51);
    expect(maxPods("p5.48xlarge", { mode: "prefix-delegation", cap: false })).toBe(1570);
    expect(maxPods("p5.48xlarge", { mode: "prefix-delegation" })).toBe(250);
  });

  it("c8a.48xlarge, the largest: 1514 uncapped, 250 capped (192 vCPUs)", () => {
    expect(instanceLimits("c8a.48xlarge")).toMatchObject({ enis: 24, ipv4PerEni: 64, vcpus: 192 });
    expect(maxPods("c8a.48xlarge", { cap: false })).toBe(1514);
    expect(maxPods("c8a.48xlarge")).toBe(250);
  });

  it("m5.24xlarge and m5.metal: 737 uncapped, 250 capped", () => {
    for (const t of ["m5.24xlarge", "m5.metal"]) {
      expect(maxPods(t, { cap: false })).toBe(737);
      expect(maxPods(t)).toBe(250);
    }
  });

  it("the cap applies in every mode, by vCPUs: m5.4xlarge (16 vCPUs) 234 → 110", () => {
    expect(instanceLimits("m5.4xlarge").vcpus).toBe(16);
    expect(maxPods("m5.4xlarge", { cap: false })).toBe(234);
    expect(maxPods("m5.4xlarge")).toBe(110);
    expect(maxPods("m5.4xlarge", { mode: "custom-networking", cap: false })).toBe(205);
    expect(maxPods("m5.4xlarge", { mode: "custom-networking" })).toBe(110);
  });

  it("edge cases: hpc6id.32xlarge has 1 ENI (51, 2 with custom networking); t1.micro/t2.micro/t3.nano 4", () => {
    expect(maxPods("hpc6id.32xlarge")).toBe(51);
    expect(maxPods("hpc6id.32xlarge", { mode: "custom-networking" })).toBe(2);
    for (const t of ["t1.micro", "t2.micro", "t3.nano"]) expect(maxPods(t)).toBe(4);
  });

  it("a type without a vCPU figure gets the lower cap", () => {
    expect(instanceLimits("bmn-sf1.metal")).toMatchObject({ vcpus: 0, vcpuSource: "unknown" });
    expect(maxPods("bmn-sf1.metal", { cap: false })).toBe(737);
    expect(maxPods("bmn-sf1.metal")).toBe(110);
  });
});

describe("instanceLimits", () => {
  it("returns the table row, frozen", () => {
    const l = instanceLimits("m5.large");
    expect(l).toEqual({
      instanceType: "m5.large",
      enis: 3,
      ipv4PerEni: 10,
      hypervisor: "nitro",
      bareMetal: false,
      vcpus: 2,
      vcpuSource: "published",
      architecture: "x86_64",
      architectureSource: "published",
    });
    expect(Object.isFrozen(l)).toBe(true);
  });

  it("reports hypervisor and bare metal", () => {
    expect(instanceLimits("c3.large")).toMatchObject({ hypervisor: "xen", bareMetal: false });
    expect(instanceLimits("m5.metal")).toMatchObject({ hypervisor: "unknown", bareMetal: true });
    expect(instanceLimits("c7g.metal")).toMatchObject({ hypervisor: "nitro", bareMetal: true });
  });

  it("ignores case and surrounding spaces", () => {
    expect(isKnownInstanceType(" M5.Large ")).toBe(true);
    expect(instanceLimits("M5.LARGE").instanceType).toBe("m5.large");
  });

  it("throws UnknownInstanceTypeError naming the type, with close suggestions", () => {
    expect(isKnownInstanceType("m5.lage")).toBe(false);
    let error: unknown;
    try {
      instanceLimits("m5.lage");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownInstanceTypeError);
    const u = error as UnknownInstanceTypeError;
    expect(u.instanceType).toBe("m5.lage");
    expect(u.message).toContain('"m5.lage"');
    expect(u.suggestions.length).toBeGreaterThan(0);
    expect(u.suggestions.length).toBeLessThanOrEqual(3);
    expect(u.suggestions[0]).toBe("m5.large");
    expect(u.message).toContain("m5.large");
  });

  it("throws for nonsense without suggestions", () => {
    expect(() => maxPods("not-an-instance")).toThrow(UnknownInstanceTypeError);
    expect(() => maxPods("not-an-instance")).toThrow(/not-an-instance/);
    expect(() => instanceLimits("")).toThrow(UnknownInstanceTypeError);
  });
});

describe("architecture", () => {
  const rows = publishedTable();

  it("is published for every type but those the family rule derives and the one no source lists", () => {
    const bySource = (source: string) => rows.map(([t]) => instanceLimits(t)).filter((l) => l.architectureSource === source);
    expect(bySource("unknown").map((l) => [l.instanceType, l.architecture])).toEqual([["bmn-sf1.metal", "unknown"]]);
    expect(bySource("derived").map((l) => [l.instanceType, l.architecture])).toEqual([
      ["c5a.metal", "x86_64"],
      ["c5ad.metal", "x86_64"],
      ["c7i.32xlarge", "x86_64"],
      ["trn2.3xlarge", "x86_64"],
    ]);
    for (const l of bySource("published")) expect(["x86_64", "arm64"], l.instanceType).toContain(l.architecture);
  });

  it("gives one architecture per family, so the family rule has nothing to choose between", () => {
    const byFamily = new Map<string, Set<string>>();
    for (const [t] of rows) {
      const l = instanceLimits(t);
      if (l.architecture === "unknown") continue;
      const family = t.slice(0, t.indexOf("."));
      byFamily.set(family, (byFamily.get(family) ?? new Set()).add(l.architecture));
    }
    expect([...byFamily].filter(([, archs]) => archs.size > 1)).toEqual([]);
  });

  it("spot checks against AWS's documentation: Graviton (a1, *g families) is arm64, Intel and AMD are x86_64", () => {
    for (const t of ["a1.medium", "m6g.large", "c7g.metal", "r8g.xlarge", "t4g.nano", "m6gd.xlarge", "c7gn.large", "x2gd.medium"]) {
      expect(instanceLimits(t).architecture, t).toBe("arm64");
    }
    for (const t of ["m5.large", "m6i.2xlarge", "m6a.2xlarge", "c7i.large", "t3.micro", "c3.large", "p5.48xlarge"]) {
      expect(instanceLimits(t).architecture, t).toBe("x86_64");
    }
  });
});

describe("prefix delegation", () => {
  it("refuses a Xen type, naming it", () => {
    expect(() => maxPods("c3.large", { mode: "prefix-delegation" })).toThrow(/prefix delegation needs a Nitro instance.*c3\.large/);
    expect(() => maxPods("m4.xlarge", { mode: "prefix-delegation", cap: false })).toThrow(/Nitro.*m4\.xlarge/);
  });

  it("refuses a type with no reported hypervisor (bare metal), like max-pods-calculator.sh", () => {
    expect(() => maxPods("m5.metal", { mode: "prefix-delegation" })).toThrow(/Nitro.*m5\.metal/);
  });

  it("allows Nitro bare metal (c7g.metal)", () => {
    expect(maxPods("c7g.metal", { mode: "prefix-delegation", cap: false })).toBe(15 * 49 * 16 + 2);
    expect(maxPods("c7g.metal", { mode: "prefix-delegation" })).toBe(250);
  });

  it("rejects an unknown mode", () => {
    expect(() => maxPods("m5.large", { mode: "ipv6" as PodNetworkingMode })).toThrow(/unknown pod networking mode/);
  });
});
