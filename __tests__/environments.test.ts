import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import type { EnvironmentInput } from "../environments/schema";
import { ConfigValidationError, checkVersionOrder, nodeDemand, validatePlatform } from "../environments/validate";

/** A deep copy of the real environments that a test may break. */
function inputs(): any[] {
  return structuredClone(environments) as any[];
}

function problems(mutate: (envs: any[]) => void): ConfigValidationError {
  const envs = inputs();
  mutate(envs);
  try {
    validatePlatform(envs);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("the environments", () => {
  it("validate and come back in promotion order with defaults filled in", () => {
    const envs = validatePlatform(environments);
    expect(envs.map((e) => e.name)).toEqual(["dev", "stg", "prd"]);
    expect(envs.every((e) => e.region === "ap-northeast-2")).toBe(true);
    expect(envs.map((e) => e.availabilityZones.length)).toEqual([2, 3, 3]);
    expect(envs.find((e) => e.name === "prd")!.network.natGateways).toBe("one-per-az");
    expect(envs.find((e) => e.name === "dev")!.network.natGateways).toBe("single");
    expect(new Set(envs.map((e) => e.account.id)).size).toBe(2);
    for (const env of envs) expect(env.ipPlan.subnets.length).toBeGreaterThan(0);
  });
});

describe("bad input", () => {
  const cases: { name: string; mutate: (envs: any[]) => void; path: string; text: RegExp }[] = [
    { name: "malformed VPC CIDR", mutate: (e) => (e[0].network.vpcCidr = "10.10.0.0/33"), path: "dev.network.vpcCidr", text: /valid IPv4 CIDR/ },
    { name: "host bits set", mutate: (e) => (e[0].network.vpcCidr = "10.10.1.0/16"), path: "dev.network.vpcCidr", text: /host bits/ },
    { name: "overlapping VPCs", mutate: (e) => (e[1].network.vpcCidr = "10.10.128.0/17"), path: "stg.network.vpcCidr", text: /overlaps dev\.network\.vpcCidr/ },
    { name: "prd with one AZ", mutate: (e) => (e[2].availabilityZones = ["ap-northeast-2a"]), path: "prd.availabilityZones", text: /at least 3/ },
    { name: "AZ outside the region", mutate: (e) => (e[0].availabilityZones[1] = "us-east-1a"), path: "dev.availabilityZones.1", text: /not in region ap-northeast-2/ },
    { name: "min > max", mutate: (e) => (e[0].cluster.nodeGroups.workloads.minNodesPerAz = 9), path: "dev.cluster.nodeGroups.workloads.minNodesPerAz", text: /must not exceed maxNodesPerAz/ },
    { name: "unknown instance type", mutate: (e) => (e[1].cluster.nodeGroups.system.instanceTypes = ["m6i.huge"]), path: "stg.cluster.nodeGroups.system.instanceTypes.0", text: /not an instance type/ },
    { name: "plan that does not fit", mutate: (e) => (e[2].network.vpcCidr = "10.30.0.0/24"), path: "prd.network.vpcCidr", text: /does not fit.*\/\d+ or larger/s },
    { name: "custom networking without a pod CIDR", mutate: (e) => delete e[1].network.podCidr, path: "stg.network.podCidr", text: /secondary pod CIDR/ },
    { name: "missing owner", mutate: (e) => delete e[0].owner, path: "dev.owner", text: /./ },
    { name: "wrong type", mutate: (e) => (e[0].cluster.nodeGroups.system.maxNodesPerAz = "three"), path: "dev.cluster.nodeGroups.system.maxNodesPerAz", text: /number/ },
    { name: "missing system node group", mutate: (e) => delete e[0].cluster.nodeGroups.system, path: "dev.cluster.nodeGroups.system", text: /./ },
    { name: "prod sharing the nonprod account", mutate: (e) => (e[2].account = { alias: "nonprod", id: "111122223333" }), path: "prd.account.id", text: /different AWS accounts/ },
    { name: "prd on a single NAT gateway", mutate: (e) => (e[2].network.natGateways = "single"), path: "prd.network.natGateways", text: /one-per-az/ },
    { name: "prd newer than stg", mutate: (e) => (e[2].cluster.kubernetesVersion = "1.35"), path: "prd.cluster.kubernetesVersion", text: /newer than stg/ },
    { name: "injection-looking tag", mutate: (e) => (e[0].tags = { Team: '"}; rm -rf /' }), path: "dev.tags.Team", text: /tag values/ },
    { name: "unknown field", mutate: (e) => (e[0].network.vpcCidrr = "10.0.0.0/16"), path: "dev.network", text: /vpcCidrr/ },
    { name: "invalid retention", mutate: (e) => (e[0].network.flowLogRetentionDays = 10), path: "dev.network.flowLogRetentionDays", text: /one of 1, 3, 5/ },
  ];

  it.each(cases)("rejects $name naming the field", ({ mutate, path, text }) => {
    const error = problems(mutate);
    const issue = error.issues.find((i) => i.path === path);
    expect(issue, `issues were: ${error.message}`).toBeDefined();
    expect(`${issue!.message} ${error.message}`).toMatch(text);
    expect(error.message).toContain(path);
  });

  it("reports every problem at once, each with the value received", () => {
    const error = problems((e) => {
      e[0].network.vpcCidr = "not-a-cidr";
      e[2].availabilityZones = ["ap-northeast-2a"];
      e[1].cluster.nodeGroups.workloads.instanceTypes = ["x9.nope"];
    });
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["dev.network.vpcCidr", "prd.availabilityZones", "stg.cluster.nodeGroups.workloads.instanceTypes.0"]),
    );
    expect(error.message).toMatch(/^Invalid platform configuration \(\d+ problems\)/);
    expect(error.message).toContain('(received "not-a-cidr")');
    expect(error.message).toContain('(received "x9.nope")');
  });

  it("lets CGNAT pod ranges repeat across environments but not other overlaps", () => {
    expect(() => validatePlatform(inputs())).not.toThrow();
    const error = problems((e) => (e[1].network.podCidr = "10.30.0.0/16"));
    const issue = error.issues.find((i) => i.path === "prd.network.vpcCidr");
    expect(issue?.message).toMatch(/overlaps stg\.network\.podCidr \(10\.30\.0\.0\/16\)/);
  });
});

describe("node demand of the IP plan", () => {
  it("counts the capacity Karpenter may add on top of the managed node groups", () => {
    const [dev] = validatePlatform(environments);
    expect(nodeDemand(dev!).map((g) => g.name)).toEqual(["system", "workloads", "karpenter"]);
    const withoutKarpenter = { ...dev!, addons: { ...dev!.addons, autoscaler: "cluster-autoscaler" as const } };
    expect(nodeDemand(withoutKarpenter).map((g) => g.name)).toEqual(["system", "workloads"]);
  });
});

describe("version order", () => {
  const env = (name: string, kubernetesVersion: string) =>
    ({ name, cluster: { kubernetesVersion } }) as unknown as Parameters<typeof checkVersionOrder>[0][number];

  it("accepts dev >= stg >= prd within one minor", () => {
    expect(checkVersionOrder([env("dev", "1.34"), env("stg", "1.34"), env("prd", "1.33")])).toEqual([]);
  });

  it("rejects a gap of two minor versions", () => {
    const [issue] = checkVersionOrder([env("dev", "1.35"), env("stg", "1.33")]);
    expect(issue).toMatchObject({ path: "stg.cluster.kubernetesVersion", received: "1.33" });
    expect(issue!.message).toMatch(/more than one minor version behind dev/);
  });

  it("rejects a later environment ahead of an earlier one", () => {
    const [issue] = checkVersionOrder([env("dev", "1.33"), env("stg", "1.34")]);
    expect(issue!.message).toMatch(/newer than dev.*upgrade dev first/);
  });
});

// The input type is what people write: keep it assignable from a literal.
const _typed: EnvironmentInput = environments[0]!;
void _typed;
