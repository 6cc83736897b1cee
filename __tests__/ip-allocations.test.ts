/**
 * The recorded IP allocations of the environments: up to date, kept by synthesis, and never moved
 * by the everyday changes (grow a node group, size it up, add one, add load balancers).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { environments } from "../environments";
import { formatAllocation, loadAllocations, writeAllocation } from "../environments/ip-allocations";
import type { EnvironmentInput } from "../environments/schema";
import { ConfigValidationError, PlatformEnvironment, validatePlatform } from "../environments/validate";
import { NetworkStack } from "../stacks/network-stack";
import { buildPlatform } from "../stacks/platform";
import { ipPlanInput } from "../environments/network-plan";
import { allowedInstanceTypes, DEFAULT_NODE_POOL_REQUIREMENTS } from "../addons/karpenter/instance-types";

const allocations = loadAllocations();

function subnetCidrs(env: PlatformEnvironment): Record<string, string> {
  const stack = new NetworkStack(new App(), env);
  const json = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, { cidr_block?: string }>> };
  return Object.fromEntries(Object.entries(json.resource.aws_subnet ?? {}).map(([name, s]) => [name, s.cidr_block!]));
}

function validateWith(mutate: (envs: EnvironmentInput[]) => void): PlatformEnvironment[] {
  const copy = structuredClone(environments) as EnvironmentInput[];
  mutate(copy);
  return validatePlatform(copy, { allocations });
}

describe("recorded IP allocations", () => {
  it.each(environments.map((e) => e.name))("%s has its allocation recorded and up to date (else run: npm run ipplan -- <env> --write)", (name) => {
    expect(allocations[name], `run: npm run ipplan -- ${name} --write`).toBeDefined();
    const env = validatePlatform(environments, { allocations }).find((e) => e.name === name)!;
    expect(env.ipPlan.additions, `run: npm run ipplan -- ${name} --write`).toEqual([]);
    expect(formatAllocation(env.ipPlan.allocation)).toBe(fs.readFileSync(path.join("environments", "ip-allocations", `${name}.json`), "utf8"));
  });

  it("round-trips through the file format", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipalloc-"));
    for (const [name, allocation] of Object.entries(allocations)) writeAllocation(name, allocation, dir);
    expect(loadAllocations(dir)).toEqual(allocations);
  });

  const everydayChanges: [string, (env: EnvironmentInput) => void][] = [
    ["two more nodes per AZ in every group", (env) => Object.values(env.cluster.nodeGroups).forEach((g) => (g.maxNodesPerAz += 2))],
    ["one instance size up in the workloads group", (env) => {
      env.cluster.nodeGroups.workloads.instanceTypes = env.cluster.nodeGroups.workloads.instanceTypes.map((t) =>
        t.replace(/\.(\d*)xlarge$/, (_m, n: string) => `.${2 * Number(n || 1)}xlarge`).replace(/\.large$/, ".xlarge"),
      );
    }],
    ["a small new node group", (env) => {
      (env.cluster.nodeGroups as Record<string, unknown>).batch = { instanceTypes: [...env.cluster.nodeGroups.workloads.instanceTypes], minNodesPerAz: 0, maxNodesPerAz: 2 };
    }],
    ["two more load balancers per AZ", (env) => {
      env.network.publicLoadBalancersPerAz = (env.network.publicLoadBalancersPerAz ?? 2) + 2;
      env.network.internalLoadBalancersPerAz = (env.network.internalLoadBalancersPerAz ?? 2) + 2;
    }],
  ];

  for (const [change, mutate] of everydayChanges) {
    it.each(environments.map((e) => e.name))(`keeps every subnet CIDR of %s after ${change}`, (name) => {
      const before = subnetCidrs(validatePlatform(environments, { allocations }).find((e) => e.name === name)!);
      const after = subnetCidrs(validateWith((envs) => mutate(envs.find((e) => e.name === name)!)).find((e) => e.name === name)!);
      for (const [resource, cidr] of Object.entries(before)) expect(after[resource], resource).toBe(cidr);
    });
  }

  it("refuses growth no reserved space can hold, in the one list of problems, without re-planning", () => {
    const name = environments.find((e) => e.stage === "nonprod")!.name;
    let error: unknown;
    try {
      validateWith((envs) => {
        const env = envs.find((e) => e.name === name)!;
        env.cluster.nodeGroups.workloads.maxNodesPerAz = 100;
        env.cluster.nodeGroups.workloads.instanceTypes = ["m6i.16xlarge"];
        env.owner = ""; // a second, unrelated problem: both are listed
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const issues = (error as ConfigValidationError).issues;
    expect(issues.some((i) => i.path === `${name}.owner`)).toBe(true);
  });

  it("refuses growth of a recorded tier beyond its reserve, naming the tier, the AZ, the demand and the pinned subnets", () => {
    const name = environments.find((e) => e.stage === "nonprod")!.name;
    const allocation = allocations[name]!;
    let error: unknown;
    try {
      validateWith((envs) => {
        const env = envs.find((e) => e.name === name)!;
        env.network.databaseAddressesPerAz = 4000;
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const issues = (error as ConfigValidationError).issues;
    const az = environments.find((e) => e.name === name)!.availabilityZones[0]!;
    const issue = issues.find((i) => i.path === `${name}.network.ipAllocation.database.${az}`)!;
    expect(issue.received).toEqual(allocation.tiers.database![az]!.subnets.map((s) => s.cidr));
    expect(issue.message).toContain(`database tier in ${az} needs 4,000 addresses`);
    expect(issue.message).toContain(`npm run ipplan -- ${name} --relayout`);
  });
});

describe("the IP plan and the Karpenter NodePools are the same thing", () => {
  it.each(environments.map((e) => e.name))("%s: each AZ's NodePool limit and instance types are what the plan sized the AZ for", (name) => {
    const env = validatePlatform(environments, { allocations }).find((e) => e.name === name)!;
    const planned = ipPlanInput(env).karpenter;
    if (env.addons.autoscaler !== "karpenter") {
      expect(planned).toBeUndefined();
      return;
    }
    const app = new App();
    const stacks = buildPlatform(app, validatePlatform(environments, { allocations }), [name]);
    const addons = JSON.parse(Testing.synth(stacks.environments[name]!.addons)) as { resource: Record<string, Record<string, any>> };
    // The NodePools as the karpenter-default-nodes release (platform-resources chart) renders them.
    const nodes = Object.values(addons.resource["helm_release"]!).find((r) => r.name === "karpenter-default-nodes");
    const pools = (parse(nodes.values[0]).resources as any[]).filter((o) => o.kind === "NodePool");
    expect(pools.map((p) => p.metadata.name)).toEqual(env.availabilityZones.map((az) => `default-${az}`));
    for (const pool of pools) expect(pool.spec.limits).toEqual({ cpu: String(planned!.cpuLimitPerAz) });
    expect(planned!.instanceTypes).toEqual(allowedInstanceTypes(DEFAULT_NODE_POOL_REQUIREMENTS, env.cluster.nodeGroups.workloads.amiType));
    expect(planned!.instanceTypes.length).toBeGreaterThan(0);
  });
});
