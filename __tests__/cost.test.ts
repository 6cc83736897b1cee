/**
 * `npm run cost`: the pricing rules on small fixture stacks (no cdktf), the price table's sources,
 * the "never zero" rule at each of its branches, the CLI in-process, and one synthesis of every
 * environment to check that each synthesized resource type is priced or declared non-billable.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { environments } from "../environments";
import { validatePlatform } from "../environments/validate";
import { instanceLimits } from "../modules/network/max-pods";
import { costDelta, parseCostArgs, renderCost, renderDelta, runCostCli } from "../scripts/cost/cli";
import { HOURS_PER_MONTH, type Price, PRICES, type RegionPrices } from "../scripts/cost/data/prices";
import { claimedVolumes, DEFAULT_ASSUMPTIONS, describeAssumptions, estimateCost, gibOf, MissingPriceError, NON_BILLABLE, PRICING_RULES } from "../scripts/cost/estimate";
import { synthesizeStacks } from "../scripts/cost/stacks";
import type { Runner } from "../scripts/diff/synth";
import type { StackSet, TfJson } from "../scripts/diff/types";

const source = { url: "https://example.com/test-price", seen: "2026-11-26" };
const p = (usd: number): Price => ({ usd, source });

/** A complete price table for one test region (test numbers, not AWS's). */
const TEST_REGION = "xx-test-1";
const TEST_PRICES: Record<string, RegionPrices> = {
  [TEST_REGION]: {
    eksClusterHour: p(0.1),
    ec2Hour: { "m6i.large": p(0.1), "m6i.xlarge": p(0.2), "c6i.xlarge": p(0.3) },
    ebsGp3GbMonth: p(0.1),
    natGatewayHour: p(0.05),
    natGatewayGb: p(0.05),
    interfaceEndpointAzHour: p(0.01),
    publicIpv4Hour: p(0.005),
    rdsPostgresHour: { "db.t4g.medium": p(0.1) },
    rdsPostgresMultiAzHour: { "db.t4g.medium": p(0.25) },
    rdsGp3GbMonth: p(0.2),
    rdsGp3MultiAzGbMonth: p(0.5),
    openSearchHour: { "r6g.large.search": p(0.2), "m6g.large.search": p(0.1) },
    openSearchGp3GbMonth: p(0.1),
    ampPer10MSamples: p(1),
    logsIngestGb: p(0.5),
    logsStorageGbMonth: p(0.03),
    kmsKeyMonth: p(1),
    s3StandardGbMonth: p(0.02),
  },
};

function stack(resource: Record<string, Record<string, unknown>>, region = TEST_REGION): TfJson {
  return { provider: { aws: [{ region }] }, resource };
}

const nodeGroup = (over: Record<string, unknown> = {}) => ({
  node_group_name_prefix: "system-",
  scaling_config: { min_size: 2, max_size: 4, desired_size: 2 },
  instance_types: ["m6i.large"],
  capacity_type: "ON_DEMAND",
  launch_template: { id: "${aws_launch_template.lt.id}", version: "1" },
  ...over,
});

const cluster = (extra: Record<string, Record<string, unknown>> = {}) =>
  stack({ aws_eks_cluster: { c: { name: "eks-x" } }, aws_launch_template: { lt: { block_device_mappings: [{ ebs: { volume_size: 50, volume_type: "gp3" } }] } }, aws_eks_node_group: { ng: nodeGroup() }, ...extra });

describe("the price table", () => {
  it("gives every price an https source, an ISO date and a positive amount, and every family marked not offered a source too", () => {
    const all = Object.values(PRICES).flatMap(({ ec2FamiliesNotOffered: _sources, ...r }) =>
      Object.values(r).flatMap((v: Price | Record<string, Price> | undefined) => (v === undefined ? [] : "usd" in v ? [v as Price] : Object.values(v as Record<string, Price>))),
    );
    expect(all.length).toBeGreaterThan(0);
    const sources = [...all.map((price) => price.source), ...Object.values(PRICES).flatMap((r) => Object.values(r.ec2FamiliesNotOffered ?? {}))];
    for (const price of all) expect(price.usd).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source.url).toMatch(/^https:\/\//);
      expect(source.seen).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("never prices an instance type of a family it records as not offered in the region", () => {
    for (const region of Object.values(PRICES)) {
      const families = Object.keys(region.ec2FamiliesNotOffered ?? {});
      expect(Object.keys(region.ec2Hour).filter((type) => families.includes(type.split(".")[0]!))).toEqual([]);
    }
  });

  it("covers ap-northeast-2 and us-east-1, and the EKS control plane is the published $0.10 per hour wherever it is priced", () => {
    expect(Object.keys(PRICES)).toEqual(expect.arrayContaining(["ap-northeast-2", "us-east-1"]));
    for (const region of Object.values(PRICES)) if (region.eksClusterHour) expect(region.eksClusterHour.usd).toBe(0.1);
  });
});

describe("pricing rules", () => {
  it("prices the EKS control plane line of one cluster at the published hourly rate × 730 hours", () => {
    const report = estimateCost({ "e-cluster": stack({ aws_eks_cluster: { c: { name: "eks-x" } } }, "us-east-1") }, "e");
    expect(report.items).toHaveLength(1);
    expect(report.items[0]!.monthly).toEqual({ min: PRICES["us-east-1"]!.eksClusterHour!.usd * HOURS_PER_MONTH, max: 0.1 * 730 });
  });

  it("prices node groups at min and max size with their root volumes, spot at the stated fraction", () => {
    const onDemand = estimateCost({ "e-cluster": cluster() }, "e", { prices: TEST_PRICES });
    const line = (r: typeof onDemand, text: string) => r.items.find((i) => i.description.includes(text))!.monthly;
    expect(line(onDemand, "× m6i.large on-demand")).toEqual({ min: 2 * 0.1 * 730, max: 4 * 0.1 * 730 });
    expect(line(onDemand, "root volumes")).toEqual({ min: 2 * 50 * 0.1, max: 4 * 50 * 0.1 });
    const spot = estimateCost({ "e-cluster": cluster({ aws_eks_node_group: { ng: nodeGroup({ capacity_type: "SPOT", instance_types: ["m6i.large", "m6i.xlarge"] }) } }) }, "e", { prices: TEST_PRICES });
    // The most expensive type of the group, at the spot fraction.
    expect(line(spot, "spot").max).toBeCloseTo(4 * 0.2 * DEFAULT_ASSUMPTIONS.spotPriceFraction * 730, 2);
  });

  it("prices a Karpenter NodePool from 0 to its CPU limit at the highest $/vCPU of the node groups' types", () => {
    const nodePool = (capacity: string[]) => ({
      manifest: { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "default" }, spec: { limits: { cpu: "16" }, template: { spec: { requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: capacity }] } } } },
    });
    const perVcpu = Math.max(0.1 / instanceLimits("m6i.large").vcpus, 0.3 / instanceLimits("c6i.xlarge").vcpus);
    const stacks = (capacity: string[]): StackSet => ({
      "e-addons": stack({ kubernetes_manifest: { np: nodePool(capacity) } }),
      "e-cluster": cluster({ aws_eks_node_group: { a: nodeGroup(), b: nodeGroup({ instance_types: ["c6i.xlarge"] }) } }),
    });
    const line = (capacity: string[]) => estimateCost(stacks(capacity), "e", { prices: TEST_PRICES }).items.find((i) => i.description.startsWith("Karpenter"))!.monthly;
    expect(line(["spot", "on-demand"]).min).toBe(0);
    expect(line(["spot", "on-demand"]).max).toBeCloseTo(16 * perVcpu * 730, 2);
    expect(line(["spot"]).max).toBeCloseTo(16 * perVcpu * DEFAULT_ASSUMPTIONS.spotPriceFraction * 730, 2);
    // The same NodePool rendered through a Helm release of the repository chart (objects in its values).
    const released: StackSet = { ...stacks(["on-demand"]), "e-addons": stack({ helm_release: { nodes: { chart: "./platform-resources", values: [JSON.stringify({ resources: [nodePool(["on-demand"]).manifest] })] } } }) };
    const item = estimateCost(released, "e", { prices: TEST_PRICES }).items.find((i) => i.description.startsWith("Karpenter"))!;
    expect(item.resource).toBe("helm_release.nodes");
    expect(item.monthly.max).toBeCloseTo(16 * perVcpu * 730, 2);
  });

  it("prices RDS Multi-AZ from its own instance and storage prices (never twice Single-AZ), and counts interface endpoints per AZ but not gateway endpoints", () => {
    const db = (multiAz: boolean) => ({ instance_class: "db.t4g.medium", multi_az: multiAz, storage_type: "gp3", allocated_storage: 20 });
    const report = estimateCost(
      {
        "e-addons": stack({ aws_db_instance: { single: db(false), multi: db(true) } }),
        "e-network": stack({ aws_vpc_endpoint: { i: { vpc_endpoint_type: "Interface", service_name: "com.amazonaws.xx-test-1.sts", subnet_ids: ["a", "b", "c"] }, g: { vpc_endpoint_type: "Gateway", service_name: "com.amazonaws.xx-test-1.s3" } } }),
      },
      "e",
      { prices: TEST_PRICES },
    );
    const line = (name: string) => report.items.find((i) => i.resource === `aws_db_instance.${name}`)!;
    expect(line("single").monthly.min).toBeCloseTo(0.1 * 730 + 20 * 0.2, 2);
    expect(line("single").description).toBe("RDS db.t4g.medium + 20 GiB gp3");
    expect(line("multi").monthly.min).toBeCloseTo(0.25 * 730 + 20 * 0.5, 2);
    expect(line("multi").description).toBe("RDS db.t4g.medium Multi-AZ + 20 GiB gp3");
    expect(report.items.filter((i) => i.resource.startsWith("aws_vpc_endpoint"))).toEqual([expect.objectContaining({ resource: "aws_vpc_endpoint.i", monthly: { min: 3 * 0.01 * 730, max: 3 * 0.01 * 730 } })]);
  });

  it("reads the volumes chart values claim (volumeClaimTemplate × replicas, enabled persistence)", () => {
    expect(gibOf("1Ti")).toBe(1024);
    expect(gibOf("512Mi")).toBe(0.5);
    expect(
      claimedVolumes({
        prometheus: { prometheusSpec: { replicas: 2, storageSpec: { volumeClaimTemplate: { spec: { resources: { requests: { storage: "50Gi" } } } } } } },
        grafana: { persistence: { enabled: true, size: "10Gi" } },
        loki: { persistence: { enabled: false, size: "99Gi" } },
      }),
    ).toEqual([
      { path: "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate", gib: 50, replicas: 2 },
      { path: "grafana.persistence", gib: 10, replicas: 1 },
    ]);
  });
});

/** One resource of every billable type (test bodies), for the itemization test below. */
const EVERY_BILLABLE: Record<string, Record<string, unknown>> = {
  aws_eks_cluster: { name: "eks-x" },
  aws_eks_node_group: nodeGroup(),
  aws_nat_gateway: {},
  aws_eip: {},
  aws_vpc_endpoint: { vpc_endpoint_type: "Interface", service_name: "com.amazonaws.xx-test-1.sts", subnet_ids: ["a", "b"] },
  aws_db_instance: { instance_class: "db.t4g.medium", multi_az: false, storage_type: "gp3", allocated_storage: 20 },
  aws_opensearch_domain: {
    cluster_config: { instance_type: "r6g.large.search", instance_count: 3, dedicated_master_enabled: true, dedicated_master_count: 3, dedicated_master_type: "m6g.large.search" },
    ebs_options: { ebs_enabled: true, volume_size: 100, volume_type: "gp3" },
  },
  aws_prometheus_workspace: {},
  aws_cloudwatch_log_group: { name: "/x", retention_in_days: 30 },
  aws_kms_key: {},
  aws_s3_bucket: { bucket: "b" },
  helm_release: { chart: "grafana", values: [JSON.stringify({ persistence: { enabled: true, size: "10Gi" } })] },
  kubernetes_manifest: { manifest: { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "default" }, spec: { limits: { cpu: "8" } } } },
};

describe("itemization", () => {
  it("has a test resource for every pricing rule, and each gives at least one item with a positive cost", () => {
    expect(Object.keys(EVERY_BILLABLE).sort()).toEqual(Object.keys(PRICING_RULES).sort());
    const resources = Object.fromEntries(Object.entries(EVERY_BILLABLE).map(([type, body]) => [type, { r: body }]));
    const report = estimateCost({ "e-all": stack({ ...resources, aws_launch_template: { lt: { block_device_mappings: [{ ebs: { volume_size: 50 } }] } } }) }, "e", { prices: TEST_PRICES });
    for (const type of Object.keys(PRICING_RULES)) {
      const items = report.items.filter((i) => i.resource === `${type}.r`);
      expect(items.length, type).toBeGreaterThan(0);
      for (const i of items) {
        expect(i.monthly.max, i.description).toBeGreaterThan(0);
        expect(i.monthly.min, i.description).toBeLessThanOrEqual(i.monthly.max);
      }
    }
    expect(report.monthly.max).toBeCloseTo(report.items.reduce((sum, i) => sum + i.monthly.max, 0), 1);
  });
});

describe("never a zero", () => {
  it("names an RDS class, an OpenSearch type or a storage price the table does not have", () => {
    const run = () =>
      estimateCost(
        {
          "e-addons": stack({
            aws_db_instance: { d: { instance_class: "db.x9.large", storage_type: "io2", allocated_storage: 10 } },
            aws_opensearch_domain: { o: { cluster_config: { instance_type: "x9.large.search", instance_count: 1 }, ebs_options: { ebs_enabled: false } } },
          }),
        },
        "e",
        { prices: TEST_PRICES },
      );
    expect(run).toThrow(/RDS PostgreSQL db\.x9\.large per hour in xx-test-1/);
    expect(run).toThrow(/RDS io2 storage per GB-month in xx-test-1/);
    expect(run).toThrow(/OpenSearch x9\.large\.search per hour in xx-test-1/);
  });

  it("names the Multi-AZ instance and storage prices a Multi-AZ database lacks, even when its Single-AZ prices exist", () => {
    const { rdsPostgresMultiAzHour: _hour, rdsGp3MultiAzGbMonth: _gp3, ...rest } = TEST_PRICES[TEST_REGION]!;
    const singleOnly = { [TEST_REGION]: { ...rest, rdsPostgresMultiAzHour: {} } };
    const missing = (multiAz: boolean) => {
      try {
        estimateCost({ "e-addons": stack({ aws_db_instance: { d: { instance_class: "db.t4g.medium", multi_az: multiAz, storage_type: "gp3", allocated_storage: 20 } } }) }, "e", { prices: singleOnly });
      } catch (e) {
        return (e as MissingPriceError).missing;
      }
      return [];
    };
    expect(missing(false)).toEqual([]);
    expect(missing(true)).toEqual(["RDS PostgreSQL db.t4g.medium Multi-AZ per hour in xx-test-1", "RDS gp3 Multi-AZ storage per GB-month in xx-test-1"]);
  });

  it("says why when the instance type's family is recorded as not offered in the region, and only then", () => {
    const notOffered = { [TEST_REGION]: { ...TEST_PRICES[TEST_REGION]!, ec2FamiliesNotOffered: { x9: source } } };
    const missing = (type: string) => {
      try {
        estimateCost({ "e-cluster": cluster({ aws_eks_node_group: { ng: nodeGroup({ instance_types: ["m6i.large", type] }) } }) }, "e", { prices: notOffered });
      } catch (e) {
        return (e as MissingPriceError).missing;
      }
      return [];
    };
    expect(missing("x9.large")).toEqual([`EC2 x9.large on-demand per hour in xx-test-1: the x9 family is not offered there (${source.url}); use another instance type`]);
    expect(missing("x8.large")).toEqual(["EC2 x8.large on-demand per hour in xx-test-1"]);
  });

  it("fails with every missing price named when an instance type has no price", () => {
    const run = () => estimateCost({ "e-cluster": cluster({ aws_eks_node_group: { ng: nodeGroup({ instance_types: ["x9.large"] }) } }) }, "e", { prices: TEST_PRICES });
    expect(run).toThrow(MissingPriceError);
    expect(run).toThrow(/EC2 x9\.large on-demand per hour in xx-test-1/);
  });

  it("fails for a region without prices, naming the regions that have them", () => {
    expect(() => estimateCost({ "e-cluster": cluster() }, "e", { prices: { ...TEST_PRICES } as Record<string, RegionPrices> })).not.toThrow();
    expect(() => estimateCost({ "e-cluster": stack({ aws_eks_cluster: { c: {} } }, "zz-nowhere-9") }, "e", { prices: TEST_PRICES })).toThrow(/region "zz-nowhere-9" has no prices \(regions: xx-test-1\)/);
  });

  it("fails for a resource type that has neither a pricing rule nor a non-billable reason", () => {
    expect(() => estimateCost({ "e-network": stack({ aws_ec2_transit_gateway: { t: {} } }) }, "e", { prices: TEST_PRICES })).toThrow(/aws_ec2_transit_gateway \(e-network\) has no pricing rule/);
  });

  it("keeps pricing rules and non-billable types apart, each non-billable type with its reason", () => {
    for (const [type, reason] of Object.entries(NON_BILLABLE)) {
      expect(PRICING_RULES[type], type).toBeUndefined();
      expect(reason.length).toBeGreaterThan(5);
    }
  });
});

describe("every synthesized billable resource type has a price rule", () => {
  const names = validatePlatform(environments).map((e) => e.name);
  let synthesized: StackSet | undefined;
  const allStacks = () => (synthesized ??= synthesizeStacks(environments, names));

  it("covers each resource type of every environment's stacks", () => {
    const stacks = allStacks();
    const uncovered = names.flatMap((env) =>
      Object.keys(stacks)
        .filter((s) => s.startsWith(`${env}-`))
        .flatMap((s) => Object.keys((stacks[s]!.resource ?? {}) as object).filter((type) => PRICING_RULES[type] === undefined && !Object.hasOwn(NON_BILLABLE, type)).map((type) => `${s}: ${type}`)),
    );
    expect(uncovered).toEqual([]);
  });

  it("estimates every environment with the repository's prices, or names only missing prices of its region (never a rule, never a zero)", () => {
    const stacks = allStacks();
    for (const env of names) {
      let report;
      try {
        report = estimateCost(stacks, env);
      } catch (e) {
        expect(e, env).toBeInstanceOf(MissingPriceError);
        const region = estimateCostRegion(stacks, env);
        for (const line of (e as MissingPriceError).missing) expect(line, `${env}: ${line}`).toMatch(new RegExp(` in ${region}(: |$)`));
        continue;
      }
      for (const i of report.items) expect(i.monthly.max, `${env}: ${i.description}`).toBeGreaterThan(0);
      const controlPlane = report.items.filter((i) => i.resource.startsWith("aws_eks_cluster."));
      expect(controlPlane.map((i) => i.monthly.max)).toEqual([PRICES[report.region]!.eksClusterHour!.usd * HOURS_PER_MONTH]);
    }
  });
});

/** The region an environment's stacks name (the first `aws` provider with a region). */
function estimateCostRegion(stacks: StackSet, env: string): string {
  const regions = Object.keys(stacks)
    .filter((s) => s.startsWith(`${env}-`))
    .flatMap((s) => ((stacks[s]!.provider as { aws?: { region?: string }[] } | undefined)?.aws ?? []).map((p) => p.region ?? ""));
  return regions.find((r) => r !== "")!;
}

describe("npm run cost", () => {
  const stacks: StackSet = { "e-cluster": cluster(), "e-network": stack({ aws_eip: { ip: {} }, aws_kms_key: { k: {} } }) };

  it("parses its arguments and refuses bad ones", () => {
    expect(parseCostArgs(["dev", "--json", "--base", "origin/main"])).toEqual({ env: "dev", json: true, base: "origin/main" });
    expect(parseCostArgs(["dev", "--base=HEAD~1"])).toEqual({ env: "dev", json: false, base: "HEAD~1" });
    expect(() => parseCostArgs([])).toThrow(/name the environment/);
    expect(() => parseCostArgs(["dev", "--base"])).toThrow(/--base needs/);
    expect(() => parseCostArgs(["dev", "--bogus"])).toThrow(/unknown option/);
  });

  it("prints the JSON shape of the issue (env, currency, monthly min/max, items, assumptions)", async () => {
    let out = "";
    const code = await runCostCli(["e", "--json"], { stdout: (t) => (out += t), stderr: () => {}, synth: () => ({ ...stacks, "e-cluster": { ...cluster(), provider: { aws: [{ region: "us-east-1" }] } }, "e-network": { ...stacks["e-network"]!, provider: { aws: [{ region: "us-east-1" }] } } }) });
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(["env", "currency", "monthly", "items", "assumptions"]);
    expect(json.currency).toBe("USD");
    expect(json.items[0]).toEqual({ stack: expect.any(String), resource: expect.any(String), description: expect.any(String), monthly: { min: expect.any(Number), max: expect.any(Number) } });
    expect(json.monthly.max).toBeGreaterThanOrEqual(json.monthly.min);
    expect(json.assumptions).toEqual(describeAssumptions(DEFAULT_ASSUMPTIONS));
  });

  it("exits 1 with the missing prices, 2 on a usage error", async () => {
    let err = "";
    expect(await runCostCli(["e"], { stdout: () => {}, stderr: (t) => (err += t), synth: () => stacks })).toBe(1);
    expect(err).toMatch(/region "xx-test-1" has no prices/);
    expect(await runCostCli(["--nope"], { stdout: () => {}, stderr: () => {} })).toBe(2);
  });

  describe("--base", () => {
    const roots: string[] = [];
    afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
    const usEast = (resource: Record<string, Record<string, unknown>>): TfJson => stack(resource, "us-east-1");
    const head: StackSet = { "e-network": usEast({ aws_eip: { ip: {} }, aws_kms_key: { k: {} } }) };
    const base: StackSet = { "e-network": usEast({ aws_kms_key: { k: {}, k2: {} } }) };

    /** git and the base revision's synth, faked: the worktree is a folder, the synth writes `base`. */
    const fakeRunner = (project: string): Runner => async (command, args, options) => {
      if (command === "git" && args[0] === "rev-parse") return { code: 0, stdout: args[1] === "--show-toplevel" ? project : "0123456789abcdef0123\n", stderr: "" };
      if (command === "git" && args[0] === "worktree") {
        mkdirSync(args[3]!, { recursive: true });
        return { code: 0, stdout: "", stderr: "" };
      }
      if (command === "npx") {
        for (const [name, tf] of Object.entries(base)) {
          mkdirSync(join(options.env!.CDKTF_OUTDIR!, "stacks", name), { recursive: true });
          writeFileSync(join(options.env!.CDKTF_OUTDIR!, "stacks", name, "cdk.tf.json"), JSON.stringify(tf));
        }
        return { code: 0, stdout: "", stderr: "" };
      }
      return { code: 1, stdout: "", stderr: `unexpected ${command} ${args.join(" ")}` };
    };
    const run = async (argv: string[]) => {
      const project = mkdtempSync(join(tmpdir(), "cost-base-"));
      roots.push(project);
      let out = "";
      let err = "";
      const code = await runCostCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: project, runner: fakeRunner(project), synth: () => head });
      return { code, out, err };
    };

    it("prints the delta between the base revision and the working tree as markdown", async () => {
      const { code, out, err } = await run(["e", "--base", "main"]);
      expect(err).toBe("");
      expect(code).toBe(0);
      expect(out).toContain("| base (main (01234567)) | $2.00 | $2.00 |");
      expect(out).toContain("| this change | $4.65 | $4.65 |");
      expect(out).toContain("| delta | +$2.65 | +$2.65 |");
      expect(out).toContain("| + | e-network | public IPv4 address | +$3.65 | +$3.65 |");
      expect(out).toContain("| - | e-network | KMS key | -$1.00 | -$1.00 |");
      expect(out).toContain(`Assumptions: ${describeAssumptions(DEFAULT_ASSUMPTIONS).join("; ")}`);
    });

    it("prints the delta as JSON with --json", async () => {
      const { code, out } = await run(["e", "--json", "--base", "main"]);
      expect(code).toBe(0);
      const json = JSON.parse(out);
      expect(json.base).toEqual({ ref: "main (01234567)", monthly: { min: 2, max: 2 } });
      expect(json.head).toEqual({ monthly: { min: 4.65, max: 4.65 } });
      expect(json.monthly).toEqual({ min: 2.65, max: 2.65 });
      expect(json.changes.map((c: { change: string; item: { resource: string } }) => `${c.change} ${c.item.resource}`)).toEqual(["+ aws_eip.ip", "- aws_kms_key.k2"]);
    });

    it("says no priced resource changed when the estimates are equal", () => {
      const report = estimateCost(head, "e");
      expect(renderDelta(report, report, "main")).toContain("No priced resource changed.");
    });
  });

  it("renders each item and every assumption, and computes the delta item by item", () => {
    const head = estimateCost(stacks, "e", { prices: TEST_PRICES });
    const text = renderCost(head);
    for (const item of head.items) expect(text).toContain(item.description);
    for (const assumption of head.assumptions) expect(text).toContain(assumption);
    const dearerKms = { [TEST_REGION]: { ...TEST_PRICES[TEST_REGION]!, kmsKeyMonth: p(2) } };
    // The base has no public IP (added), a dearer KMS key (changed) and a second key (removed).
    const base = estimateCost({ "e-cluster": cluster(), "e-network": stack({ aws_kms_key: { k: {}, k2: {} } }) }, "e", { prices: dearerKms });
    const delta = costDelta(base, head);
    expect(delta.changes.map((c) => `${c.change} ${c.item.resource} ${c.delta.min}`)).toEqual(["+ aws_eip.ip 3.65", "~ aws_kms_key.k -1", "- aws_kms_key.k2 -2"]);
    expect(delta.monthly.min).toBeCloseTo(head.monthly.min - base.monthly.min, 2);
  });
});
