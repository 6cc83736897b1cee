import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import { teamGrants } from "../environments/access";
import type { EnvironmentInput } from "../environments/schema";
import {
  ConfigValidationError,
  checkPromotionOrder,
  checkVersionOrder,
  inPromotionOrder,
  validatePlatform,
} from "../environments/validate";
import { Testing, TerraformStack } from "cdktf";
import { EksControlPlane } from "../modules/eks/control-plane";
import { clusterAccess } from "../stacks/cluster-stack";
import { buildPlatform } from "../stacks/platform";
import { environmentSchema } from "../environments/schema";
import { environmentInputs, extraEnvironment, unusedName } from "./support/environments";
import { platform, resources, synth } from "./support/platform";

/** Validates the real environments after `mutate` changed a deep copy of them (by name). */
function validate(mutate: (envs: Record<string, any>) => void, extra: EnvironmentInput[] = []) {
  const envs = environmentInputs();
  mutate(envs);
  return validatePlatform([...Object.values(envs), ...extra]);
}

function problems(mutate: (envs: Record<string, any>) => void, extra: EnvironmentInput[] = []): ConfigValidationError {
  try {
    validate(mutate, extra);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

const accepted = (mutate: (envs: Record<string, any>) => void, extra: EnvironmentInput[] = []) => expect(() => validate(mutate, extra)).not.toThrow();

// Roles, not names: which environment plays each part is derived from the config.
const valid = validatePlatform(environments);
const ordered = valid.map((e) => e.name);
const first = ordered[0]!;
const last = ordered.at(-1)!;
const beforeLast = ordered.at(-2)!;
const prod = valid.find((e) => e.stage === "prod")!;
const nonprods = valid.filter((e) => e.stage === "nonprod");
const lastNonprod = nonprods.at(-1)!;
const customNetworking = valid.find((e) => e.cluster.podNetworking === "custom-networking")!;
const minor = (v: string) => Number(v.split(".")[1]);

describe("the environments", () => {
  it("validate and come back in promotion order with defaults filled in, whatever the order of the list", () => {
    expect(valid.map((e) => e.promotionOrder)).toEqual([...valid.map((e) => e.promotionOrder)].sort((a, b) => a - b));
    expect(validatePlatform([...environments].reverse()).map((e) => e.name)).toEqual(ordered);
    expect(new Set(valid.map((e) => e.name)).size).toBe(environments.length);
    for (const env of valid) {
      expect(env.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
      expect(env.ipPlan.subnets.length).toBeGreaterThan(0);
    }
  });
});

describe("bad input", () => {
  const cases: { name: string; mutate: (envs: Record<string, any>) => void; path: string; text: RegExp }[] = [
    { name: "malformed VPC CIDR", mutate: (e) => (e[first].network.vpcCidr = "10.10.0.0/33"), path: `${first}.network.vpcCidr`, text: /valid IPv4 CIDR/ },
    { name: "host bits set", mutate: (e) => (e[first].network.vpcCidr = "10.10.1.0/16"), path: `${first}.network.vpcCidr`, text: /host bits/ },
    { name: "prod with two AZs", mutate: (e) => (e[prod.name].availabilityZones = prod.availabilityZones.slice(0, 2)), path: `${prod.name}.availabilityZones`, text: /at least 3/ },
    { name: "AZ outside the region", mutate: (e) => (e[first].availabilityZones[1] = "us-east-1a"), path: `${first}.availabilityZones.1`, text: /not in region/ },
    {
      name: "min > max by one",
      mutate: (e) => (e[first].cluster.nodeGroups.workloads.minNodesPerAz = e[first].cluster.nodeGroups.workloads.maxNodesPerAz + 1),
      path: `${first}.cluster.nodeGroups.workloads.minNodesPerAz`,
      text: /must not exceed maxNodesPerAz/,
    },
    { name: "unknown instance type", mutate: (e) => (e[last].cluster.nodeGroups.system.instanceTypes = ["m6i.huge"]), path: `${last}.cluster.nodeGroups.system.instanceTypes.0`, text: /not an instance type/ },
    { name: "plan that does not fit", mutate: (e) => (e[prod.name].network.vpcCidr = prod.network.vpcCidr.replace(/\/\d+$/, "/24")), path: `${prod.name}.network.vpcCidr`, text: /does not fit/ },
    { name: "custom networking without a pod CIDR", mutate: (e) => delete e[customNetworking.name].network.podCidr, path: `${customNetworking.name}.network.podCidr`, text: /secondary pod CIDR/ },
    { name: "missing owner", mutate: (e) => delete e[first].owner, path: `${first}.owner`, text: /./ },
    { name: "wrong type", mutate: (e) => (e[first].cluster.nodeGroups.system.maxNodesPerAz = "three"), path: `${first}.cluster.nodeGroups.system.maxNodesPerAz`, text: /number/ },
    { name: "missing system node group", mutate: (e) => delete e[first].cluster.nodeGroups.system, path: `${first}.cluster.nodeGroups.system`, text: /./ },
    { name: "prod sharing a nonprod account", mutate: (e) => (e[prod.name].account = { ...lastNonprod.account }), path: `${prod.name}.account.id`, text: /different AWS accounts/ },
    { name: "prod on a single NAT gateway", mutate: (e) => (e[prod.name].network.natGateways = "single"), path: `${prod.name}.network.natGateways`, text: /one-per-az/ },
    {
      name: "the last environment newer than the one before it",
      mutate: (e) => (e[last].cluster.kubernetesVersion = `1.${minor(e[beforeLast].cluster.kubernetesVersion) + 1}`),
      path: `${last}.cluster.kubernetesVersion`,
      text: new RegExp(`newer than ${beforeLast}`),
    },
    { name: "injection-looking tag", mutate: (e) => (e[first].tags = { Team: '"}; rm -rf /' }), path: `${first}.tags.Team`, text: /tag values/ },
    { name: "unknown field", mutate: (e) => (e[first].network.vpcCidrr = "10.0.0.0/16"), path: `${first}.network`, text: /vpcCidrr/ },
    { name: "invalid retention", mutate: (e) => (e[first].network.flowLogRetentionDays = 10), path: `${first}.network.flowLogRetentionDays`, text: /one of 1, 3, 5/ },
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
      e[first].network.vpcCidr = "not-a-cidr";
      e[prod.name].availabilityZones = prod.availabilityZones.slice(0, 1);
      e[last].cluster.nodeGroups.workloads.instanceTypes = ["x9.nope"];
    });
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([`${first}.network.vpcCidr`, `${prod.name}.availabilityZones`, `${last}.cluster.nodeGroups.workloads.instanceTypes.0`]),
    );
    expect(error.message).toMatch(/^Invalid platform configuration \(\d+ problems\)/);
    expect(error.message).toContain('(received "not-a-cidr")');
    expect(error.message).toContain('(received "x9.nope")');
  });

  it("refuses overlapping VPCs between environments, naming the other one", () => {
    const [a, b] = ordered;
    const error = problems((e) => (e[b!].network.vpcCidr = e[a!].network.vpcCidr));
    const issue = error.issues.find((i) => /\.network\.vpcCidr$/.test(i.path) && /overlaps .*\.network\.vpcCidr/.test(i.message));
    expect(issue, error.message).toBeDefined();
    expect([`${a}.network.vpcCidr`, `${b}.network.vpcCidr`]).toContain(issue!.path);
  });

  it("lets CGNAT pod ranges repeat across environments but not other overlaps", () => {
    const withPods = valid.filter((e) => e.network.podCidr !== undefined);
    expect(withPods.length).toBeGreaterThan(0);
    const other = valid.find((e) => e.name !== customNetworking.name)!;
    const error = problems((e) => (e[customNetworking.name].network.podCidr = other.network.vpcCidr));
    const messages = error.issues.map((i) => `${i.path}: ${i.message}`).join("\n");
    expect(messages).toMatch(new RegExp(`overlaps ${customNetworking.name}\\.network\\.podCidr|${customNetworking.name}\\.network\\.podCidr: overlaps ${other.name}`));
  });
});

describe("environment names", () => {
  const nameRule = environmentSchema.shape.name;

  it.each(["qa", "dr", "uat", "perf", "load-test", "a234567890123456"])("accepts %s (2-16 characters)", (name) => {
    expect(nameRule.safeParse(name).success).toBe(true);
  });

  it.each(["q", "a2345678901234567", "Qa", "2qa", "qa-", "q_a"])("refuses %s naming the rule", (name) => {
    const result = nameRule.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/2-16 lower-case letters/);
  });

  it("a two-letter environment validates with the others, and a one-letter one is refused at its name", () => {
    accepted(() => undefined, [extraEnvironment({ name: unusedName("qa") })]);
    const error = problems(() => undefined, [extraEnvironment({ name: "q" })]);
    expect(error.issues.find((i) => /\.name$/.test(i.path))?.message).toMatch(/2-16 lower-case letters/);
  });
});

describe("promotion order", () => {
  it("is required, a whole number", () => {
    expect(problems((e) => delete e[first].promotionOrder).issues.map((i) => i.path)).toContain(`${first}.promotionOrder`);
    expect(problems((e) => (e[first].promotionOrder = 1.5)).issues.map((i) => i.path)).toContain(`${first}.promotionOrder`);
  });

  it("is a number from 0 to 1000", () => {
    accepted((e) => (e[first].promotionOrder = 0));
    for (const out of [-1, 1001]) expect(problems((e) => (e[last].promotionOrder = out)).issues.map((i) => i.path)).toContain(`${last}.promotionOrder`);
  });

  it("refuses two environments at one place, naming both", () => {
    const [a, b] = ordered;
    const error = problems((e) => (e[b!].promotionOrder = e[a!].promotionOrder));
    const issue = error.issues.find((i) => i.path.endsWith(".promotionOrder") && /is also the promotion order/.test(i.message));
    expect(issue, error.message).toBeDefined();
    expect([a, b].map((n) => `${n}.promotionOrder`)).toContain(issue!.path);
    expect(issue!.message).toMatch(new RegExp(`of (${a}|${b});`));
  });

  it("puts prod after every nonprod environment: one after the last nonprod is fine, at or before it is refused", () => {
    accepted((e) => (e[prod.name].promotionOrder = lastNonprod.promotionOrder + 1));
    for (const at of [lastNonprod.promotionOrder, lastNonprod.promotionOrder - 1]) {
      const error = problems((e) => (e[prod.name].promotionOrder = at));
      const issue = error.issues.find((i) => i.path === `${prod.name}.promotionOrder` && /prod environments come after every nonprod/.test(i.message));
      expect(issue, error.message).toBeDefined();
      expect(issue!.message).toContain(lastNonprod.name);
    }
  });

  it("checkPromotionOrder is the same in any input order", () => {
    const envs = [
      { name: "b", stage: "nonprod" as const, promotionOrder: 2 },
      { name: "p", stage: "prod" as const, promotionOrder: 1 },
      { name: "a", stage: "nonprod" as const, promotionOrder: 2 },
    ];
    const issues = checkPromotionOrder(envs);
    expect(checkPromotionOrder([...envs].reverse())).toEqual(issues);
    expect(issues.map((i) => i.path).sort()).toEqual(["b.promotionOrder", "p.promotionOrder", "p.promotionOrder"]);
    expect(inPromotionOrder(envs).map((e) => e.name)).toEqual(["p", "a", "b"]);
  });
});

describe("an added environment (qa-like, between the first two in promotion order)", () => {
  const name = unusedName("qa");
  const qa = extraEnvironment({ name, azCount: 2 });

  it("validates with one new input and takes its place in the promotion order", () => {
    const envs = validatePlatform([...environments, qa]);
    expect(envs.map((e) => e.name)).toEqual([ordered[0], name, ...ordered.slice(1)]);
    expect(envs.find((e) => e.name === name)!.availabilityZones).toHaveLength(2);
  });

  it("is held to the version order of its place: not newer than the one before, not two behind", () => {
    const before = valid[0]!;
    const at = (offset: number) => ({ ...qa, cluster: { ...qa.cluster, kubernetesVersion: `1.${minor(before.cluster.kubernetesVersion) + offset}` } });
    const issues = (offset: number) => {
      try {
        validatePlatform([...environments, at(offset)]);
        return [];
      } catch (e) {
        return (e as ConfigValidationError).issues.filter((i) => i.path === `${name}.cluster.kubernetesVersion`).map((i) => i.message);
      }
    };
    expect(issues(1).join()).toMatch(new RegExp(`newer than ${before.name}`));
    expect(issues(-2).join()).toMatch(new RegExp(`more than one minor version behind ${before.name}`));
  });
});

describe("cluster access", () => {
  const envWithTeams = valid.find((e) => Object.keys(e.cluster.access.teams).length > 0)!;
  const [teamKey, team] = Object.entries(envWithTeams.cluster.access.teams)[0]!;
  const [adminKey, adminArn] = Object.entries(envWithTeams.cluster.access.admins)[0]!;
  const name = envWithTeams.name;

  it.each([
    ["a team role that is an admin", (e: any) => (e.cluster.access.teams[teamKey].roleArn = adminArn), `${name}.cluster.access.teams.${teamKey}.roleArn`],
    ["a viewer that is an admin", (e: any) => (e.cluster.access.viewers = { ...e.cluster.access.viewers, again: adminArn }), `${name}.cluster.access.viewers.again`],
    ["an admin listed twice under two keys", (e: any) => (e.cluster.access.admins.again = adminArn), `${name}.cluster.access.admins.again`],
    ["the same role in other letter case", (e: any) => (e.cluster.access.admins.again = adminArn.replace(/role\/(.*)$/, (_m, role: string) => `role/${role.toUpperCase()}`)), `${name}.cluster.access.admins.again`],
  ])("refuses %s, naming both places", (_case, mutate, path) => {
    const error = problems((e) => mutate(e[name]));
    const issue = error.issues.find((i) => i.path === path);
    expect(issue, error.message).toBeDefined();
    expect(issue!.message).toContain(`is also the principal of cluster.access.admins.${adminKey}`);
  });

  it("accepts a different role that differs in one character", () => {
    accepted((e) => (e[name].cluster.access.admins.again = `${adminArn}2`));
  });

  it("gives a team a right per namespace, or one right for a list", () => {
    accepted((e) => (e[name].cluster.access.teams[teamKey] = { roleArn: team.roleArn, namespaces: { a: "edit", b: "view" } }));
    const cases: [any, string, RegExp][] = [
      [{ roleArn: team.roleArn, namespaces: { a: "edit" }, policy: "view" }, "policy", /list of namespaces only/],
      [{ roleArn: team.roleArn, namespaces: {} }, "namespaces", /at least one namespace/],
      [{ roleArn: team.roleArn, namespaces: ["a", "a"] }, "namespaces", /must not repeat/],
      [{ roleArn: team.roleArn, namespaces: { a: "owner" } }, "namespaces", /./],
    ];
    for (const [value, field, text] of cases) {
      const error = problems((e) => (e[name].cluster.access.teams[teamKey] = value));
      const issue = error.issues.find((i) => i.path.startsWith(`${name}.cluster.access.teams.${teamKey}.${field}`));
      expect(issue, error.message).toBeDefined();
      expect(issue!.message).toMatch(text);
    }
  });

  it("groups a team's rights strongest first, namespaces in the order written", () => {
    expect(teamGrants({ roleArn: "r", namespaces: ["a", "b"] })).toEqual([{ right: "edit", namespaces: ["a", "b"] }]);
    expect(teamGrants({ roleArn: "r", namespaces: ["a"], policy: "view" })).toEqual([{ right: "view", namespaces: ["a"] }]);
    expect(teamGrants({ roleArn: "r", namespaces: { c: "view", a: "edit", b: "view", d: "admin" } })).toEqual([
      { right: "admin", namespaces: ["d"] },
      { right: "edit", namespaces: ["a"] },
      { right: "view", namespaces: ["c", "b"] },
    ]);
  });

  it("keeps a list-form team as one association, and adds one association per further right", () => {
    const access = clusterAccess(envWithTeams);
    expect(access[`team-${teamKey}`]).toEqual({ principalArn: team.roleArn, policy: team.policy ?? "edit", namespaces: team.namespaces });
    const teams = { x: { roleArn: "arn:aws:iam::111122223333:role/x", namespaces: { a: "view" as const, b: "edit" as const } } };
    const mixed = { ...envWithTeams, cluster: { ...envWithTeams.cluster, access: { ...envWithTeams.cluster.access, teams } } };
    expect(clusterAccess(mixed)["team-x"]).toEqual({
      principalArn: "arn:aws:iam::111122223333:role/x",
      policy: "edit",
      namespaces: ["b"],
      additionalPolicies: { view: ["a"] },
    });
  });
});

describe("access entries of a team with a right per namespace", () => {
  const env = valid.find((e) => Object.keys(e.cluster.access.teams).length > 0)!;
  const [teamKey, team] = Object.entries(env.cluster.access.teams)[0]!;
  const associations = (json: any) =>
    Object.entries(resources(json, "aws_eks_access_policy_association")).filter(([id]) => id.includes(`_access-team-${teamKey}-policy`));

  it("is one access entry and one association per right; the strongest keeps the team's address", () => {
    const inputs = environmentInputs();
    inputs[env.name].cluster.access.teams[teamKey] = { roleArn: team.roleArn, namespaces: { "ns-a": "view", "ns-b": "edit", "ns-c": "view" } };
    const stacks = buildPlatform(Testing.app(), validatePlatform(Object.values(inputs)), [env.name]);
    const json = synth(stacks.environments[env.name]!.cluster);
    const entries = Object.keys(resources(json, "aws_eks_access_entry")).filter((id) => id.includes(`_access-team-${teamKey}_`));
    expect(entries).toHaveLength(1);
    const byId = Object.fromEntries(associations(json).map(([id, a]) => [id.replace(/_[0-9A-F]{8}$/, ""), [a.policy_arn.split("/").pop(), a.access_scope]]));
    expect(byId).toEqual({
      [`eks_control-plane_access-team-${teamKey}-policy`]: ["AmazonEKSEditPolicy", { type: "namespace", namespaces: ["ns-b"] }],
      [`eks_control-plane_access-team-${teamKey}-policy-view`]: ["AmazonEKSViewPolicy", { type: "namespace", namespaces: ["ns-a", "ns-c"] }],
    });
    const [original] = associations(synth(platform().stacks.environments[env.name]!.cluster));
    expect(associations(json).map(([id]) => id)).toContain(original![0]);
  });
});

describe("EksControlPlane access with further policies", () => {
  const build = (additionalPolicies: Record<string, string[]>) => {
    const stack = new TerraformStack(Testing.app(), "t");
    return new EksControlPlane(stack, "cp", {
      clusterName: "c",
      kubernetesVersion: "1.34",
      scope: { partition: "aws", region: "ap-northeast-2", accountId: "111122223333" },
      controlPlaneSubnetIds: ["subnet-a", "subnet-b"],
      access: { team: { principalArn: "arn:aws:iam::111122223333:role/t", policy: "edit", namespaces: ["a"], additionalPolicies } },
    });
  };

  it("adds one association per further policy (an empty list: the whole cluster)", () => {
    const json = JSON.parse(Testing.synth(build({ view: ["b"], "admin-view": [] }).node.scope as TerraformStack));
    const scopes = Object.fromEntries(
      Object.entries(resources(json, "aws_eks_access_policy_association")).map(([id, a]) => [id.replace(/_[0-9A-F]{8}$/, ""), a.access_scope]),
    );
    expect(scopes).toEqual({
      "cp_access-team-policy": { type: "namespace", namespaces: ["a"] },
      "cp_access-team-policy-view": { type: "namespace", namespaces: ["b"] },
      "cp_access-team-policy-admin-view": { type: "cluster" },
    });
  });

  it("refuses its own policy again (EKS has one association per principal and policy)", () => {
    expect(() => build({ edit: ["b"] })).toThrow(/repeats its policy "edit"/);
  });
});

describe("version order", () => {
  const env = (name: string, promotionOrder: number, kubernetesVersion: string) => ({ name, promotionOrder, cluster: { kubernetesVersion } }) as Parameters<typeof checkVersionOrder>[0][number];

  it("accepts each environment equal to or one minor behind the one before it", () => {
    expect(checkVersionOrder([env("a", 1, "1.34"), env("b", 2, "1.34"), env("c", 3, "1.33")])).toEqual([]);
  });

  it("rejects a gap of two minor versions", () => {
    const [issue] = checkVersionOrder([env("a", 1, "1.35"), env("b", 2, "1.33")]);
    expect(issue).toMatchObject({ path: "b.cluster.kubernetesVersion", received: "1.33" });
    expect(issue!.message).toMatch(/more than one minor version behind a/);
  });

  it("rejects a later environment ahead of an earlier one", () => {
    const [issue] = checkVersionOrder([env("a", 1, "1.33"), env("b", 2, "1.34")]);
    expect(issue!.message).toMatch(/newer than a.*upgrade a first/);
  });

  it("follows promotionOrder, not the order of the list", () => {
    expect(checkVersionOrder([env("late", 2, "1.33"), env("early", 1, "1.34")])).toEqual([]);
    const [issue] = checkVersionOrder([env("late", 2, "1.34"), env("early", 1, "1.33")]);
    expect(issue).toMatchObject({ path: "late.cluster.kubernetesVersion" });
  });
});

// The input type is what people write: keep the registered list assignable to it.
const _typed: readonly EnvironmentInput[] = environments;
void _typed;
