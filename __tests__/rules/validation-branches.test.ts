/**
 * Every branch of the environment validation, at its boundary, one violation per case: a compliant
 * environment of each stage (a copy of a real one, chosen by stage) passes, and each case changes one
 * field just past the limit and expects exactly the one issue that names it. Pure (no cdktf).
 */
import { describe, expect, it } from "vitest";
import { environments } from "../../environments";
import { EnvironmentConfig, environmentSchema } from "../../environments/schema";
import {
  ConfigValidationError,
  validatePlatform,
  checkAcrossEnvironments,
  ciDeployRoleProblems,
  checkEnvironment,
  checkPromotionOrder,
  checkVersionOrder,
  durationDays,
  LOG_RETENTION_DAYS,
  CI_ROLE_NAME_SEGMENT,
  checkArchitectures,
  formatIssues,
} from "../../environments/validate";
import { KUBERNETES_VERSIONS, KUBERNETES_VERSIONS_FILE } from "../../modules/eks/data/kubernetes-versions";
import { instanceLimits } from "../../modules/network/max-pods";
import { ciRoleNames } from "../../modules/github/ci-policies";
import { PLATFORM } from "../../stacks/naming";
import { environmentInputs, freeVpcCidr, issuesAfter } from "../support/environments";

type Stage = "prod" | "nonprod";
type Env = EnvironmentConfig & Record<string, any>;

/** A parsed copy of the first real environment of `stage`. */
function base(stage: Stage): Env {
  const input = environments.find((e) => e.stage === stage);
  if (!input) throw new Error(`no ${stage} environment`);
  return structuredClone(environmentSchema.parse(input)) as Env;
}

/** `base(stage)` changed by `change`. */
function changed(stage: Stage, change: (env: Env) => void): Env {
  const env = base(stage);
  change(env);
  return env;
}

const issues = (env: EnvironmentConfig) => checkEnvironment(env).map((i) => ({ path: i.path, message: i.message }));
const one = (path: string, fragment: string) => [{ path, message: expect.stringContaining(fragment) }];

interface Case {
  readonly name: string;
  readonly stage: Stage;
  readonly change: (env: Env) => void;
  /** The one issue expected; none when absent (the accepted side of the boundary). */
  readonly issue?: { readonly path: string; readonly fragment: string };
}

const ZONE = (env: Env, letter: string) => `${env.region}${letter}`;
const HA_REPLICAS: readonly (readonly [string, (env: Env, n: number) => void])[] = [
  ["addons.observability.prometheusReplicas", (env, n) => (env.addons.observability.prometheusReplicas = n)],
  ["addons.observability.alertmanagerReplicas", (env, n) => (env.addons.observability.alertmanagerReplicas = n)],
  ["addons.observability.grafanaReplicas", (env, n) => (env.addons.observability.grafanaReplicas = n)],
  ["addons.auth.replicas", (env, n) => (env.addons.auth.replicas = n)],
];
const OPENSEARCH = { instanceType: "r6g.large.search", instanceCount: 2, volumeGiB: 100, dedicatedMasters: false };

const CASES: readonly Case[] = [
  // Availability zones
  { name: "prod with 3 AZs", stage: "prod", change: (e) => (e.availabilityZones = ["a", "b", "c"].map((l) => ZONE(e, l))) },
  { name: "prod with 2 AZs", stage: "prod", change: (e) => (e.availabilityZones = ["a", "b"].map((l) => ZONE(e, l))), issue: { path: "availabilityZones", fragment: "at least 3 availability zones" } },
  { name: "nonprod with 2 AZs", stage: "nonprod", change: (e) => (e.availabilityZones = ["a", "b"].map((l) => ZONE(e, l))) },
  { name: "nonprod with 1 AZ", stage: "nonprod", change: (e) => (e.availabilityZones = [ZONE(e, "a")]), issue: { path: "availabilityZones", fragment: "at least 2 availability zones" } },
  { name: "an AZ of another region", stage: "nonprod", change: (e) => (e.availabilityZones = [ZONE(e, "a"), "us-east-1b"]), issue: { path: "availabilityZones.1", fragment: "is not in region" } },
  { name: "an AZ twice", stage: "nonprod", change: (e) => (e.availabilityZones = [ZONE(e, "a"), ZONE(e, "b"), ZONE(e, "a")]), issue: { path: "availabilityZones", fragment: "must not repeat" } },
  // NAT gateways
  { name: "nonprod with one NAT gateway", stage: "nonprod", change: (e) => (e.network.natGateways = "single") },
  { name: "prod with one NAT gateway", stage: "prod", change: (e) => (e.network.natGateways = "single"), issue: { path: "network.natGateways", fragment: "one-per-az" } },
  // CIDRs
  { name: "a /24 VPC", stage: "nonprod", change: (e) => (e.network.vpcCidr = "10.99.0.0/24") },
  { name: "a /25 VPC", stage: "nonprod", change: (e) => (e.network.vpcCidr = "10.99.0.0/25"), issue: { path: "network.vpcCidr", fragment: "between /16 and /24" } },
  { name: "a /15 VPC", stage: "nonprod", change: (e) => (e.network.vpcCidr = "10.98.0.0/15"), issue: { path: "network.vpcCidr", fragment: "between /16 and /24" } },
  { name: "a public VPC CIDR", stage: "nonprod", change: (e) => (e.network.vpcCidr = "8.8.0.0/16"), issue: { path: "network.vpcCidr", fragment: "private space" } },
  { name: "a VPC CIDR with host bits", stage: "nonprod", change: (e) => (e.network.vpcCidr = "10.99.0.1/16"), issue: { path: "network.vpcCidr", fragment: "not a valid IPv4 CIDR" } },
  { name: "a pod CIDR in 100.64.0.0/10", stage: "nonprod", change: (e) => (e.network.podCidr = "100.127.0.0/16") },
  { name: "a public pod CIDR", stage: "nonprod", change: (e) => (e.network.podCidr = "100.128.0.0/16"), issue: { path: "network.podCidr", fragment: "private space" } },
  { name: "a pod CIDR with host bits", stage: "nonprod", change: (e) => (e.network.podCidr = "100.64.0.1/16"), issue: { path: "network.podCidr", fragment: "not a valid IPv4 CIDR" } },
  { name: "a pod CIDR inside the VPC", stage: "nonprod", change: (e) => (e.network.podCidr = e.network.vpcCidr), issue: { path: "network.podCidr", fragment: "overlaps the VPC CIDR" } },
  {
    name: "custom networking without a pod CIDR",
    stage: "nonprod",
    change: (e) => {
      e.cluster.podNetworking = "custom-networking";
      delete e.network.podCidr;
    },
    issue: { path: "network.podCidr", fragment: "custom-networking needs a secondary pod CIDR" },
  },
  // Log retention
  ...LOG_RETENTION_DAYS.slice(0, 2).map((days): Case => ({ name: `flow logs kept ${days} day(s)`, stage: "nonprod", change: (e) => (e.network.flowLogRetentionDays = days) })),
  { name: "flow logs kept 2 days", stage: "nonprod", change: (e) => (e.network.flowLogRetentionDays = 2), issue: { path: "network.flowLogRetentionDays", fragment: "must be one of" } },
  { name: "control-plane logs kept 3653 days", stage: "nonprod", change: (e) => (e.cluster.controlPlaneLogRetentionDays = 3653) },
  { name: "control-plane logs kept 3654 days", stage: "nonprod", change: (e) => (e.cluster.controlPlaneLogRetentionDays = 3654), issue: { path: "cluster.controlPlaneLogRetentionDays", fragment: "must be one of" } },
  { name: "add-on logs kept 4 days", stage: "nonprod", change: (e) => (e.addons.logging.retentionDays = 4), issue: { path: "addons.logging.retentionDays", fragment: "must be one of" } },
  // Public endpoint
  { name: "nonprod public endpoint with a narrow CIDR", stage: "nonprod", change: (e) => (e.cluster.endpointPublicAccessCidrs = ["203.0.113.0/24"]) },
  { name: "nonprod public endpoint with /1", stage: "nonprod", change: (e) => (e.cluster.endpointPublicAccessCidrs = ["0.0.0.0/1"]) },
  { name: "nonprod public endpoint open to 0.0.0.0/0", stage: "nonprod", change: (e) => (e.cluster.endpointPublicAccessCidrs = ["203.0.113.0/24", "0.0.0.0/0"]), issue: { path: "cluster.endpointPublicAccessCidrs.1", fragment: "whole internet" } },
  { name: "nonprod public endpoint with an invalid CIDR", stage: "nonprod", change: (e) => (e.cluster.endpointPublicAccessCidrs = ["203.0.113.1/24"]), issue: { path: "cluster.endpointPublicAccessCidrs.0", fragment: "not a valid IPv4 CIDR" } },
  { name: "prod public endpoint with a narrow CIDR", stage: "prod", change: (e) => (e.cluster.endpointPublicAccessCidrs = ["203.0.113.7/32"]), issue: { path: "cluster.endpointPublicAccessCidrs", fragment: "prod clusters have no public endpoint" } },
  // Node groups
  { name: "min nodes equal to max", stage: "nonprod", change: (e) => (e.cluster.nodeGroups.workloads.minNodesPerAz = e.cluster.nodeGroups.workloads.maxNodesPerAz) },
  {
    name: "min nodes above max",
    stage: "nonprod",
    change: (e) => (e.cluster.nodeGroups.workloads.minNodesPerAz = e.cluster.nodeGroups.workloads.maxNodesPerAz + 1),
    issue: { path: "cluster.nodeGroups.workloads.minNodesPerAz", fragment: "must not exceed maxNodesPerAz" },
  },
  {
    name: "an unknown instance type",
    stage: "nonprod",
    change: (e) => e.cluster.nodeGroups.workloads.instanceTypes.push("m6i.huge"),
    issue: { path: `cluster.nodeGroups.workloads.instanceTypes.${base("nonprod").cluster.nodeGroups.workloads.instanceTypes.length}`, fragment: "not an instance type the VPC CNI knows" },
  },
  {
    name: "an instance type twice",
    stage: "nonprod",
    change: (e) => e.cluster.nodeGroups.workloads.instanceTypes.push(e.cluster.nodeGroups.workloads.instanceTypes[0]!),
    issue: { path: "cluster.nodeGroups.workloads.instanceTypes", fragment: "must not repeat an instance type" },
  },
  { name: "nonprod workloads on SPOT", stage: "nonprod", change: (e) => (e.cluster.nodeGroups.workloads.capacityType = "SPOT") },
  { name: "nonprod system group on SPOT", stage: "nonprod", change: (e) => (e.cluster.nodeGroups.system.capacityType = "SPOT"), issue: { path: "cluster.nodeGroups.system.capacityType", fragment: "must be ON_DEMAND" } },
  { name: "prod workloads on SPOT", stage: "prod", change: (e) => (e.cluster.nodeGroups.workloads.capacityType = "SPOT"), issue: { path: "cluster.nodeGroups.workloads.capacityType", fragment: "prod node groups must be ON_DEMAND" } },
  // Add-ons: high availability in prod
  ...HA_REPLICAS.flatMap(([path, set]): Case[] => [
    { name: `prod ${path} = 2`, stage: "prod", change: (e) => set(e, 2) },
    { name: `prod ${path} = 1`, stage: "prod", change: (e) => set(e, 1), issue: { path, fragment: "at least 2 replicas" } },
    { name: `nonprod ${path} = 1`, stage: "nonprod", change: (e) => set(e, 1) },
  ]),
  { name: "prod database not Multi-AZ", stage: "prod", change: (e) => (e.addons.auth.database.multiAz = false), issue: { path: "addons.auth.database.multiAz", fragment: "Multi-AZ" } },
  { name: "nonprod database not Multi-AZ", stage: "nonprod", change: (e) => (e.addons.auth.database.multiAz = false) },
  { name: "prod OpenSearch with 2 data nodes", stage: "prod", change: (e) => (e.addons.logging.opensearch = { ...(e.addons.logging.opensearch ?? OPENSEARCH), instanceCount: 2 }) },
  {
    name: "prod OpenSearch with 1 data node",
    stage: "prod",
    change: (e) => (e.addons.logging.opensearch = { ...(e.addons.logging.opensearch ?? OPENSEARCH), instanceCount: 1 }),
    issue: { path: "addons.logging.opensearch.instanceCount", fragment: "at least 2 data nodes" },
  },
  {
    name: "nonprod OpenSearch with 1 data node",
    stage: "nonprod",
    change: (e) => (e.addons.logging.opensearch = { ...(e.addons.logging.opensearch ?? OPENSEARCH), instanceCount: 1 }),
  },
  { name: "prod traces kept in memory", stage: "prod", change: (e) => (e.addons.tracing.storage = "memory"), issue: { path: "addons.tracing.storage", fragment: "durable storage" } },
  {
    name: "traces in OpenSearch without a logging domain",
    stage: "nonprod",
    change: (e) => {
      e.addons.tracing.storage = "opensearch";
      delete e.addons.logging.opensearch;
    },
    issue: { path: "addons.tracing.storage", fragment: "needs addons.logging.opensearch" },
  },
  {
    name: "traces in OpenSearch with a logging domain",
    stage: "nonprod",
    change: (e) => {
      e.addons.tracing.storage = "opensearch";
      e.addons.logging.opensearch = OPENSEARCH;
    },
  },
  // Backups
  {
    name: "backups expire on the day of the longest TTL",
    stage: "nonprod",
    change: (e) => {
      e.addons.backup.schedules = { a: { ...Object.values(e.addons.backup.schedules)[0]!, ttl: "48h" }, b: { ...Object.values(e.addons.backup.schedules)[0]!, ttl: "72h" } };
      delete e.addons.backup.transitionToColdDays;
      e.addons.backup.expireDays = 3;
    },
  },
  {
    name: "backups expire a day before the longest TTL",
    stage: "nonprod",
    change: (e) => {
      e.addons.backup.schedules = { a: { ...Object.values(e.addons.backup.schedules)[0]!, ttl: "48h" }, b: { ...Object.values(e.addons.backup.schedules)[0]!, ttl: "72h" } };
      delete e.addons.backup.transitionToColdDays;
      e.addons.backup.expireDays = 2;
    },
    issue: { path: "addons.backup.expireDays", fragment: "longest schedule TTL (3 days)" },
  },
  {
    name: "cold storage a day before expiry",
    stage: "nonprod",
    change: (e) => (e.addons.backup.transitionToColdDays = e.addons.backup.expireDays - 1),
  },
  {
    name: "cold storage on the day of expiry",
    stage: "nonprod",
    change: (e) => (e.addons.backup.transitionToColdDays = e.addons.backup.expireDays),
    issue: { path: "addons.backup.transitionToColdDays", fragment: "must come before expireDays" },
  },
  // Node group keys (a parsed config may carry keys the schema's record allows)
  { name: "a node group key of 31 characters", stage: "nonprod", change: (e) => (e.cluster.nodeGroups["a".repeat(31)] = structuredClone(e.cluster.nodeGroups.workloads)) },
  { name: "a node group key of 32 characters", stage: "nonprod", change: (e) => (e.cluster.nodeGroups["a".repeat(32)] = structuredClone(e.cluster.nodeGroups.workloads)), issue: { path: `cluster.nodeGroups.${"a".repeat(32)}`, fragment: "lower-case names" } },
  { name: "a node group key starting with a digit", stage: "nonprod", change: (e) => (e.cluster.nodeGroups["9gpu"] = structuredClone(e.cluster.nodeGroups.workloads)), issue: { path: "cluster.nodeGroups.9gpu", fragment: "lower-case names" } },
  { name: "a node group key ending in an underscore", stage: "nonprod", change: (e) => (e.cluster.nodeGroups["gpu_"] = structuredClone(e.cluster.nodeGroups.workloads)), issue: { path: "cluster.nodeGroups.gpu_", fragment: "lower-case names" } },
  // Prefix delegation needs Nitro
  {
    name: "prefix delegation with a Xen instance type",
    stage: "nonprod",
    change: (e) => {
      e.cluster.podNetworking = "prefix-delegation";
      e.cluster.nodeGroups.system.instanceTypes = ["m4.large"];
    },
    issue: { path: "cluster.nodeGroups.system.instanceTypes.0", fragment: "prefix delegation needs a Nitro instance type" },
  },
  {
    name: "a Xen instance type without prefix delegation",
    stage: "nonprod",
    change: (e) => {
      e.cluster.podNetworking = "secondary-ip";
      delete e.network.podCidr;
      e.cluster.nodeGroups.system.instanceTypes = ["m4.large"];
    },
  },
  // Architecture of instance types vs. the AMI type
  {
    name: "an arm64 type in an x86_64 system group",
    stage: "nonprod",
    change: (e) => {
      e.cluster.nodeGroups.system.amiType = "AL2023_x86_64_STANDARD";
      e.cluster.nodeGroups.system.instanceTypes = ["m6g.large"];
    },
    issue: { path: "cluster.nodeGroups.system.instanceTypes.0", fragment: "is an arm64 instance type" },
  },
  // Kubernetes version pins
  { name: "a Kubernetes version without a row of pins", stage: "nonprod", change: (e) => (e.cluster.kubernetesVersion = "1.99"), issue: { path: "cluster.kubernetesVersion", fragment: "add or complete the row of 1.99" } },
];

/** A workloads group of another architecture than its AMI type: the group's issue, and Karpenter's when it sizes from it. */
describe("Karpenter's NodePool architecture", () => {
  const mismatched = (autoscaler: Env["addons"]["autoscaler"]) =>
    changed("nonprod", (e) => {
      e.addons.autoscaler = autoscaler;
      e.cluster.nodeGroups.workloads.amiType = "AL2023_x86_64_STANDARD";
      e.cluster.nodeGroups.workloads.instanceTypes = ["m6g.large"];
    });
  it("is reported with Karpenter", () => {
    expect(issues(mismatched("karpenter")).map((i) => i.path).sort()).toEqual(["addons.autoscaler", "cluster.nodeGroups.workloads.instanceTypes.0"]);
  });
  it("is not reported for the Cluster Autoscaler", () => {
    expect(issues(mismatched("cluster-autoscaler")).map((i) => i.path)).toEqual(["cluster.nodeGroups.workloads.instanceTypes.0"]);
  });
});

describe("log retention messages", () => {
  it("list the periods CloudWatch accepts", () => {
    const [issue] = issues(changed("nonprod", (e) => (e.network.flowLogRetentionDays = 2)));
    expect(issue?.message).toBe(`must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
    expect(issue?.message).toContain("1, 3, 5, 7");
    const [addon] = issues(changed("nonprod", (e) => (e.addons.logging.retentionDays = 2)));
    expect(addon?.message).toContain("1, 3, 5, 7");
  });
});

describe("environment validation, branch by branch", () => {
  it.each(["prod", "nonprod"] as const)("accepts the %s baseline as it is", (stage) => {
    expect(issues(base(stage))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const env = changed(c.stage, c.change);
    expect(issues(env)).toEqual(c.issue ? one(c.issue.path, c.issue.fragment) : []);
  });
});

describe("durationDays", () => {
  it.each([
    ["3600s", 1],
    ["1440m", 1],
    ["1441m", 2],
    ["24h", 1],
    ["25h", 2],
    ["30d", 30],
    ["2w", 14],
    ["1y", 365],
  ] as const)("%s is %i day(s), rounded up", (duration, days) => {
    expect(durationDays(duration)).toBe(days);
  });
  it("is NaN for an unknown unit, which no schedule can satisfy", () => {
    expect(durationDays("3x")).toBeNaN();
  });
});

describe("rules across environments, branch by branch", () => {
  const pair = () => {
    const a = changed("nonprod", (e) => Object.assign(e, { name: "aa", promotionOrder: 1 }));
    const b = changed("nonprod", (e) => Object.assign(e, { name: "bb", promotionOrder: 2, network: { ...e.network, vpcCidr: "10.201.0.0/16", podCidr: "100.64.0.0/16" } }));
    a.network.vpcCidr = "10.200.0.0/16";
    a.network.podCidr = "100.64.0.0/16";
    return [a, b] as const;
  };
  const across = (envs: readonly Env[]) => checkAcrossEnvironments(envs).map((i) => ({ path: i.path, message: i.message }));

  it("accepts two environments of one account with their own VPCs and a shared 100.64.0.0/10 pod range", () => {
    expect(across(pair())).toEqual([]);
  });
  const deployRoleIssues = (envs: readonly Env[]) => ciDeployRoleProblems(envs).map((i) => ({ path: i.path, message: i.message }));
  it("refuses another environment's CI deploy role among an environment's admins or viewers, with or without a role path", () => {
    const role = (env: string, path = "") => `arn:aws:iam::999999999999:role/${path}${ciRoleNames(PLATFORM).deploy(env)}`;
    for (const kind of ["admins", "viewers"] as const) {
      const [a, b] = pair();
      (b.cluster.access[kind] as Record<string, string>)["copied"] = role(a.name);
      expect(deployRoleIssues([a, b]), kind).toEqual(one(`${b.name}.cluster.access.${kind}.copied`, `is the CI deploy role of environment ${a.name}; ${b.name}'s own is role/${ciRoleNames(PLATFORM).deploy(b.name)}`));
    }
    const [a, b] = pair();
    b.cluster.access.admins["copied"] = role(a.name, "ci/");
    expect(deployRoleIssues([a, b])).toEqual(one(`${b.name}.cluster.access.admins.copied`, `deploy role of environment ${a.name}`));
  });
  it("is one of validatePlatform's rules, also for an environment with schema errors elsewhere", () => {
    const issues = issuesAfter((envs) => {
      const [a, b] = Object.values(envs) as Record<string, any>[];
      b!.cluster.access.admins["copied"] = `arn:aws:iam::${b!.account.id}:role/${ciRoleNames(PLATFORM).deploy(a!.name)}`;
      b!.cluster.controlPlaneLogRetentionDays = "ninety";
    });
    const [, b] = environments;
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining([`${b!.name}.cluster.access.admins.copied`, `${b!.name}.cluster.controlPlaneLogRetentionDays`]));
  });
  it("accepts an environment's own CI deploy role, a user of that name and a role of no environment in the list", () => {
    const [a, b] = pair();
    b.cluster.access.admins["own"] = `arn:aws:iam::999999999999:role/${ciRoleNames(PLATFORM).deploy(b.name)}`;
    b.cluster.access.admins["user"] = `arn:aws:iam::999999999999:user/${ciRoleNames(PLATFORM).deploy(a.name)}`;
    b.cluster.access.admins["longer"] = `arn:aws:iam::999999999999:role/${ciRoleNames(PLATFORM).deploy(`${a.name}2`)}`;
    expect(deployRoleIssues([a, b])).toEqual([]);
  });
  it("refuses two environments of one name", () => {
    const [a, b] = pair();
    b.name = a.name;
    expect(across([a, b])).toEqual(one(`${a.name}.name`, "must be unique (found 2 times)"));
  });
  it("refuses one alias for two account ids", () => {
    const [a, b] = pair();
    b.account = { ...a.account, id: a.account.id === "999999999999" ? "999999999998" : "999999999999" };
    expect(across([a, b])).toEqual(one("bb.account.id", `account alias ${a.account.alias} is ${a.account.id} in aa`));
  });
  it("refuses two aliases for one account id", () => {
    const [a, b] = pair();
    b.account = { ...a.account, alias: `${a.account.alias}-other` };
    expect(across([a, b])).toEqual(one("bb.account.alias", `is called ${a.account.alias} in aa`));
  });
  it("refuses prod and nonprod in one account", () => {
    const [a, b] = pair();
    b.stage = "prod";
    expect(across([a, b])).toEqual(one("bb.account.id", "prod and nonprod environments must live in different AWS accounts"));
  });
  it("refuses two regions in one account", () => {
    const [a, b] = pair();
    b.region = "eu-west-1";
    expect(across([a, b])).toEqual(one("bb.region", `share its state bucket region (aa uses ${a.region})`));
  });
  it("refuses overlapping VPCs, even by one address block at the edge", () => {
    const [a, b] = pair();
    b.network.vpcCidr = "10.200.255.0/24";
    expect(across([a, b])).toEqual(one("bb.network.vpcCidr", "overlaps aa.network.vpcCidr (10.200.0.0/16)"));
  });
  it("accepts environments in two accounts with their own aliases, stages and regions", () => {
    const [a, b] = pair();
    b.account = { id: a.account.id === "999999999999" ? "999999999998" : "999999999999", alias: `${a.account.alias}-other` };
    b.stage = "prod";
    b.region = "eu-west-1";
    expect(across([a, b])).toEqual([]);
  });
  it("refuses, in one account, a name that starts with another's name and a dash", () => {
    const [a, b] = pair();
    b.name = `${a.name}-eu`;
    expect(across([a, b])).toEqual(one(`${a.name}-eu.name`, `starts with ${a.name}- in the same account`));
    expect(across([b, a])).toEqual(one(`${a.name}-eu.name`, `starts with ${a.name}- in the same account`));
  });
  it("accepts such names in two accounts, and a shared prefix without the dash", () => {
    const [a, b] = pair();
    b.name = `${a.name}eu`;
    expect(across([a, b])).toEqual([]);
    b.name = `${a.name}-eu`;
    b.account = { id: a.account.id === "999999999999" ? "999999999998" : "999999999999", alias: `${a.account.alias}-other` };
    expect(across([a, b])).toEqual([]);
  });
  it("leaves an environment's own VPC and pod CIDR to its own rules", () => {
    const [a] = pair();
    a.network.podCidr = "10.200.128.0/17";
    expect(across([a])).toEqual([]);
  });
  it("leaves an invalid VPC CIDR to the environment's own rules", () => {
    const [a, b] = pair();
    a.network.vpcCidr = "10.200.0.1/16";
    expect(across([a, b])).toEqual([]);
  });
  it("reads environments without a pod CIDR", () => {
    const [a, b] = pair();
    delete a.network.podCidr;
    delete b.network.podCidr;
    expect(across([a, b])).toEqual([]);
  });
  it("accepts adjacent VPCs", () => {
    const [a, b] = pair();
    b.network.vpcCidr = "10.199.0.0/16";
    expect(across([a, b])).toEqual([]);
  });
  it("refuses a pod CIDR outside 100.64.0.0/10 that overlaps another environment's", () => {
    const [a, b] = pair();
    a.network.podCidr = "172.16.0.0/16";
    b.network.podCidr = "172.16.0.0/16";
    expect(across([a, b])).toEqual(one("bb.network.podCidr", "overlaps aa.network.podCidr (172.16.0.0/16)"));
  });
  it("refuses a VPC inside another environment's 100.64.0.0/10 pod range", () => {
    const [a, b] = pair();
    b.network.vpcCidr = "100.64.0.0/20";
    delete b.network.podCidr;
    expect(across([a, b])).toEqual(one("bb.network.vpcCidr", "overlaps aa.network.podCidr (100.64.0.0/16)"));
  });
});

describe("promotion and version order", () => {
  const env = (name: string, stage: Stage, promotionOrder: number, kubernetesVersion = "1.33") => ({ name, stage, promotionOrder, cluster: { kubernetesVersion } }) as any;

  it("accepts nonprod before prod, each in its own place", () => {
    expect(checkPromotionOrder([env("p", "prod", 3), env("a", "nonprod", 1), env("b", "nonprod", 2)])).toEqual([]);
  });
  it("refuses two environments in one place", () => {
    expect(checkPromotionOrder([env("a", "nonprod", 1), env("b", "nonprod", 1)])).toEqual([
      expect.objectContaining({ path: "b.promotionOrder", message: expect.stringContaining("is also the promotion order of a") }),
    ]);
  });
  it("refuses a nonprod environment in the place of a prod one", () => {
    const found = checkPromotionOrder([env("p", "prod", 2), env("a", "nonprod", 2)]);
    expect(found.map((i) => i.path).sort()).toEqual(["p.promotionOrder", "p.promotionOrder"]);
    expect(found.map((i) => i.message).join("\n")).toContain("prod environments come after every nonprod one, but a is at 2");
  });
  it("refuses a nonprod environment after a prod one", () => {
    const found = checkPromotionOrder([env("p", "prod", 2), env("a", "nonprod", 3)]);
    expect(found).toEqual([expect.objectContaining({ path: "p.promotionOrder", message: expect.stringContaining("but a is at 3") })]);
  });
  it("accepts the same version, or one minor behind, along the promotion order", () => {
    expect(checkVersionOrder([env("a", "nonprod", 1, "1.33"), env("b", "nonprod", 2, "1.33"), env("c", "prod", 3, "1.32")])).toEqual([]);
  });
  it("refuses a later environment on a newer version", () => {
    expect(checkVersionOrder([env("a", "nonprod", 1, "1.32"), env("b", "prod", 2, "1.33")])).toEqual([
      expect.objectContaining({ path: "b.cluster.kubernetesVersion", message: expect.stringContaining("upgrade a first") }),
    ]);
  });
  it("refuses a later environment two minors behind", () => {
    expect(checkVersionOrder([env("a", "nonprod", 1, "1.33"), env("b", "prod", 2, "1.31")])).toEqual([
      expect.objectContaining({ path: "b.cluster.kubernetesVersion", message: expect.stringContaining("more than one minor version behind a") }),
    ]);
  });
});

describe("cluster access", () => {
  const team = (namespaces: unknown, policy?: string) => ({ roleArn: "arn:aws:iam::111122223333:role/team-x", namespaces, ...(policy ? { policy } : {}) });
  const withTeam = (t: any) => changed("nonprod", (e) => (e.cluster.access.teams = { ...e.cluster.access.teams, extra: t }));

  it("refuses a principal twice, also when the ARNs differ only in case", () => {
    const env = changed("nonprod", (e) => {
      const [, arn] = Object.entries(e.cluster.access.admins)[0]!;
      e.cluster.access.viewers = { ...e.cluster.access.viewers, again: String(arn).toUpperCase().replace("ARN:AWS:IAM", "arn:aws:iam") };
    });
    expect(issues(env)).toEqual(one("cluster.access.viewers.again", "is also the principal of cluster.access.admins."));
  });
  it("accepts a team with a list of namespaces, and refuses a namespace twice in it", () => {
    expect(issues(withTeam(team(["a", "b"], "view")))).toEqual([]);
    expect(issues(withTeam(team(["a", "a"], "view")))).toEqual(one("cluster.access.teams.extra.namespaces", "must not repeat a namespace"));
  });
  it("accepts a team with a right per namespace, refuses an empty map and a team-wide policy next to it", () => {
    expect(issues(withTeam(team({ a: "view" })))).toEqual([]);
    expect(issues(withTeam(team({})))).toEqual(one("cluster.access.teams.extra.namespaces", "at least one namespace"));
    expect(issues(withTeam(team({ a: "view" }, "edit")))).toEqual(one("cluster.access.teams.extra.policy", "applies to a list of namespaces only"));
  });
});

describe("validatePlatform", () => {
  it("returns every valid environment, in promotion order, with its IP plan", () => {
    const valid = validatePlatform(environments);
    expect(valid.map((e) => e.name).sort()).toEqual(environments.map((e) => e.name).sort());
    expect(valid.map((e) => e.promotionOrder)).toEqual([...valid.map((e) => e.promotionOrder)].sort((a, b) => a - b));
    for (const env of valid) expect(env.ipPlan, env.name).toBeDefined();
  });
  it("throws one error listing every problem with its path and the value received", () => {
    const inputs = structuredClone(environments) as any[];
    inputs[0].availabilityZones = [`${inputs[0].region}a`];
    inputs[1].network.flowLogRetentionDays = 2;
    inputs.push({ name: "Bad Name!" });
    let error: unknown;
    try {
      validatePlatform(inputs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { issues: found, message } = error as ConfigValidationError;
    expect(found.map((i) => i.path)).toEqual(
      expect.arrayContaining([`${inputs[0].name}.availabilityZones`, `${inputs[1].name}.network.flowLogRetentionDays`, `environments[${inputs.length - 1}].name`]),
    );
    expect(message).toMatch(/^Invalid platform configuration \(\d+ problems\); nothing was synthesized:\n  - /);
    expect(message).toContain(`  - ${inputs[1].name}.network.flowLogRetentionDays: must be one of`);
    expect(message).toContain("(received 2)");
    expect(message).toContain('(received "Bad Name!")');
  });
  it("says 1 problem in the singular, and shortens a long received value", () => {
    const inputs = structuredClone(environments) as any[];
    inputs[0].cluster.endpointPublicAccessCidrs = Array.from({ length: 20 }, (_, i) => `203.0.113.${i * 8}/29`);
    inputs[0].stage = "prod";
    let message = "";
    try {
      validatePlatform([inputs[0]]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("prod clusters have no public endpoint");
    expect(message).toMatch(/\.\.\.\)/);
    expect(message.split("\n").every((line) => line.length < 400)).toBe(true);
  });
});

/** The issues `validatePlatform` throws for `inputs` (path and message), or [] when it returns. */
function platformIssues(inputs: unknown, options?: Parameters<typeof validatePlatform>[1]): { path: string; message: string; received: unknown }[] {
  try {
    validatePlatform(inputs as unknown[], options);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigValidationError)) throw e;
    expect(e.name).toBe("ConfigValidationError");
    return e.issues.map((i) => ({ path: i.path, message: i.message, received: i.received }));
  }
}

/** The first real nonprod environment as an input a test may change. */
function nonprodInput(): Record<string, any> {
  return structuredClone(environments.find((e) => e.stage === "nonprod")!) as Record<string, any>;
}

describe("validatePlatform, branch by branch", () => {
  it("refuses a value that is not a list of environments", () => {
    expect(platformIssues({ 0: nonprodInput(), length: 1 })).toEqual([{ path: "environments", message: "must be a list of environments", received: { 0: expect.anything(), length: 1 } }]);
  });
  it("names an environment with schema errors by its name when the name is valid, else by its index", () => {
    const named = { ...nonprodInput(), name: "ab", bogus: 1 };
    for (const [name, prefix] of [
      ["ab", "ab"],
      ["Xab", "environments[1]"],
      ["ab!", "environments[1]"],
      ["a".repeat(33), "environments[1]"],
      [5, "environments[1]"],
    ] as const) {
      const found = platformIssues([nonprodInput(), { ...named, name }]).filter((i) => i.message.includes("bogus"));
      expect(found.map((i) => i.path), String(name)).toEqual([prefix]);
    }
  });
  it("names an environment that is not an object by its index", () => {
    expect(platformIssues([null]).map((i) => i.path)).toEqual(["environments[0]"]);
    expect(platformIssues([{}]).every((i) => i.path.startsWith("environments[0]."))).toBe(true);
  });
  it("still runs the rules whose fields parsed in an environment with schema errors, under its name", () => {
    const env: Record<string, any> = { ...nonprodInput(), bogus: 1 };
    env.availabilityZones = [`${env.region}a`];
    expect(platformIssues([env]).map((i) => ({ path: i.path, message: i.message }))).toEqual([
      { path: env.name, message: expect.stringContaining("bogus") },
      ...one(`${env.name}.availabilityZones`, "at least 2 availability zones"),
    ]);
  });
  it("checks the names of an environment with schema errors against the others", () => {
    const envs = environmentInputs();
    const [name, twin] = Object.entries(envs)[0]!;
    const found = platformIssues([...Object.values(envs), { ...structuredClone(twin), bogus: 1 }]);
    expect(found).toContainEqual(expect.objectContaining({ path: `${name}.name`, message: "environment names must be unique (found 2 times)" }));
  });
  it("plans no network for an environment with issues of its own", () => {
    const found = issuesAfter((envs) => {
      const env = Object.values(envs).find((e) => e.stage === "nonprod")!;
      env.network.vpcCidr = freeVpcCidr().replace("/16", "/25");
    });
    expect(found.map((i) => i.path)).toEqual([`${environments.find((e) => e.stage === "nonprod")!.name}.network.vpcCidr`]);
  });
  it("reports an IP plan that does not fit under the environment's name", () => {
    const env = nonprodInput();
    env.network = { ...env.network, vpcCidr: "10.99.0.0/24", growthFactor: 4, addressesPerLoadBalancer: 1000 };
    const found = platformIssues([env]);
    expect(found).toHaveLength(1);
    expect(found[0]!.path.startsWith(`${env.name}.`)).toBe(true);
    expect(found[0]!.message).toContain("the IP plan does not fit");
  });
  it("says what is wrong with a bad record key", () => {
    const env = nonprodInput();
    env.cluster.access.admins = { ...env.cluster.access.admins, "Bad Key!": Object.values(env.cluster.access.admins)[0] };
    const [issue, ...rest] = platformIssues([env]);
    expect(rest).toEqual([]);
    expect(issue?.path.startsWith(`${env.name}.cluster.access.admins`)).toBe(true);
    expect(issue?.message).toBe("is not a valid key: access keys must be lower-case names");
  });
});

describe("formatIssues", () => {
  const message = (received: unknown, count = 1) => formatIssues(Array.from({ length: count }, () => ({ path: "p", message: "m", received })));
  it("counts 1 problem in the singular and 2 in the plural", () => {
    expect(message(1)).toBe("Invalid platform configuration (1 problem); nothing was synthesized:\n  - p: m (received 1)");
    expect(message(1, 2)).toMatch(/^Invalid platform configuration \(2 problems\)/);
  });
  it("prints nothing, a bigint, and what JSON cannot print", () => {
    expect(message(undefined)).toContain("(received nothing)");
    expect(message(10n)).toContain('(received "10n")');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(message(cycle)).toContain("(received a value JSON cannot print (object))");
    expect(message(() => 1)).toContain("(received a value JSON cannot print (function))");
  });
  it("shortens a received value past 120 characters, and not at 120", () => {
    expect(message("x".repeat(118))).toContain(`(received "${"x".repeat(118)}")`);
    expect(message("x".repeat(119))).toContain(`(received "${"x".repeat(116)}...)`);
  });
});

describe("CI role names", () => {
  it("refuses an environment named like the CI roles", () => {
    const env = changed("nonprod", (e) => (e.name = CI_ROLE_NAME_SEGMENT.replace(/-$/, "")));
    expect(checkAcrossEnvironments([env]).map((i) => ({ path: i.path, message: i.message }))).toEqual(
      one(`${env.name}.name`, `its roles would be named like the CI roles (<prefix>-${CI_ROLE_NAME_SEGMENT}*), which its deploy role may not write`),
    );
  });
});

describe("node architecture and AMI overrides", () => {
  it("refuses an instance type of unknown CPU architecture", () => {
    const type = "bmn-sf1.metal";
    expect(instanceLimits(type).architecture).toBe("unknown");
    const env = changed("nonprod", (e) => (e.cluster.nodeGroups.system.instanceTypes = [type]));
    expect(checkArchitectures(env).map((i) => ({ path: i.path, message: i.message }))).toEqual(
      one("cluster.nodeGroups.system.instanceTypes.0", `has no known CPU architecture, so it cannot be checked against amiType ${env.cluster.nodeGroups.system.amiType}`),
    );
  });
  it("names Karpenter's architecture and every workloads type of another one", () => {
    const env = changed("nonprod", (e) => {
      e.addons.autoscaler = "karpenter";
      e.cluster.nodeGroups.workloads.amiType = "AL2023_x86_64_STANDARD";
      e.cluster.nodeGroups.workloads.instanceTypes = ["m6g.large", "m7g.large"];
    });
    expect(checkArchitectures(env).find((i) => i.path === "addons.autoscaler")?.message).toBe(
      "Karpenter's NodePool launches x86_64 nodes (cluster.nodeGroups.workloads.amiType AL2023_x86_64_STANDARD) but is sized from workloads instance types of another or unknown architecture: m6g.large, m7g.large",
    );
  });
  it("accepts a node AMI override newer than the row's release, refuses the row's own and a malformed one", () => {
    const amiType = "AL2023_x86_64_STANDARD";
    const withOverride = (release: string) =>
      changed("nonprod", (e) => (e.cluster.nodeAmiReleaseVersions = { [amiType]: release })).cluster;
    const version = base("nonprod").cluster.kubernetesVersion;
    const pinned = KUBERNETES_VERSIONS[version]!.nodeAmiReleaseVersions[amiType].value;
    const newer = pinned.replace(/^(1\.\d+\.)(\d+)/, (_m, head: string, patch: string) => `${head}${Number(patch) + 1}`);
    const path = `cluster.nodeAmiReleaseVersions.${amiType}`;
    expect(issues({ ...base("nonprod"), cluster: withOverride(newer) })).toEqual([]);
    expect(issues({ ...base("nonprod"), cluster: withOverride(pinned) })).toEqual(one(path, `is not newer than the release of the row (${pinned}); delete the override to run the release of the row in ${KUBERNETES_VERSIONS_FILE}`));
    expect(issues({ ...base("nonprod"), cluster: withOverride("latest") })).toEqual(one(path, "is not an AL2023 release"));
  });
});
