/**
 * Validation of the whole platform in one pass: the schema of each environment, the rules that
 * span fields (AZs in the region, min <= max, known instance types, the IP plan fits) and the rules
 * that span environments (no overlapping VPCs, separate prod account, version order).
 *
 * Every problem is collected; `validatePlatform` throws one `ConfigValidationError` listing all of
 * them with their path and the value received, or returns the environments with their IP plans.
 */
import { cidrContains, cidrsOverlap, isValidCidr, ParsedCidr, parseCidr } from "../modules/network/cidr";
import type { IpAllocation, IpPlan } from "../modules/network/ip-plan";
import { planNetwork } from "./network-plan";
import { instanceLimits, isKnownInstanceType } from "../modules/network/max-pods";
import { amiArchitecture } from "../modules/eks/node-user-data";
import { accessPrincipals } from "./access";
import { ciRoleNames } from "../modules/github/ci-policies";
import { PLATFORM } from "../stacks/naming";
import { EnvironmentConfig, environmentSchema } from "./schema";
import { EnvironmentRule, FieldPath, parseFields, runRules } from "./checks/partial";
import { policyEnforcementProblems, teamNamespaceProblems, teamWorkloadRoleProblems } from "./checks/teams";
import { meshRevisionProblems } from "./checks/mesh";
import { teamMeshLabelProblems } from "./checks/team-mesh";
import { arnProblems, availabilityZoneProblems, hostnameProblems, overrideProblems } from "./checks/values";
import type { z } from "zod";
import { KUBERNETES_VERSIONS, KUBERNETES_VERSIONS_FILE, KubernetesVersionRow, overrideProblem, rowProblems } from "../modules/eks/data/kubernetes-versions";

/** One problem found in the configuration. */
export interface ConfigIssue {
  /** Dotted path from the platform root, starting with the environment name, e.g. `prd.network.vpcCidr`. */
  readonly path: string;
  readonly message: string;
  /** The value found at `path` (undefined when missing). */
  readonly received: unknown;
}

/** Thrown when any environment is invalid. Its message lists every issue. */
export class ConfigValidationError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(formatIssues(issues));
    this.name = "ConfigValidationError";
  }
}

/** An environment that passed every check, with the subnet plan computed from it. */
export interface PlatformEnvironment extends EnvironmentConfig {
  readonly ipPlan: IpPlan;
}

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Shared address space (RFC 6598): pod CIDRs from here may repeat across environments. */
const CGNAT = "100.64.0.0/10";
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", CGNAT];

/** Options of {@link validatePlatform}. */
export interface ValidateOptions {
  /**
   * Recorded IP allocations by environment name (`environments/ip-allocations/<env>.json`); an
   * environment without one gets a new layout.
   * @default - none: every environment gets a new layout
   */
  readonly allocations?: Readonly<Record<string, IpAllocation>>;
}

/**
 * Validates every environment (in any order) and returns them in promotion order.
 * @throws ConfigValidationError listing every problem
 */
export function validatePlatform(inputs: readonly unknown[], options: ValidateOptions = {}): PlatformEnvironment[] {
  if (!Array.isArray(inputs)) throw new ConfigValidationError([{ path: "environments", message: "must be a list of environments", received: inputs }]);
  const issues: ConfigIssue[] = [];
  const parsed: EnvironmentConfig[] = [];
  // What parsed of environments with schema errors, when it is enough for the cross-environment rules.
  const partlyParsed: EnvironmentConfig[] = [];

  // Array.from visits holes too (`[dev, , prd]` in a file): a hole is an environment that is missing.
  Array.from(inputs).forEach((input, index) => {
    const prefix = envPrefix(input, index);
    const result = environmentSchema.safeParse(input);
    if (result.success) {
      parsed.push(result.data);
      return;
    }
    for (const issue of result.error.issues) {
      issues.push({ path: joinPath(prefix, issue.path), message: schemaMessage(issue), received: valueAt(input, issue.path) });
    }
    // Schema errors do not hide the other problems: every rule whose fields parsed still runs.
    const fields = parseFields(environmentSchema, input);
    issues.push(...runRules(ENVIRONMENT_RULES, fields).map((i) => ({ ...i, path: `${prefix}.${i.path}` })));
    if (ACROSS_ENVIRONMENTS_READS.every((path) => fields.parsed.has(path))) partlyParsed.push(fields.value as EnvironmentConfig);
  });

  const planned: PlatformEnvironment[] = [];
  // A parsed environment's name is valid, so it is its own path prefix.
  for (const config of inPromotionOrder(parsed)) {
    const prefix = config.name;
    const envIssues = checkEnvironment(config).map((i) => ({ ...i, path: `${prefix}.${i.path}` }));
    issues.push(...envIssues);
    if (envIssues.length === 0) {
      const allocations = options.allocations ?? {};
      const plan = planNetwork(config, Object.hasOwn(allocations, config.name) ? allocations[config.name] : undefined);
      if ("issues" in plan) issues.push(...plan.issues.map((i) => ({ ...i, path: `${prefix}.${i.path}` })));
      else planned.push({ ...config, ipPlan: plan.plan });
    }
  }
  issues.push(...checkAcrossEnvironments([...parsed, ...partlyParsed]));
  issues.push(...ciDeployRoleProblems([...parsed, ...partlyParsed]));

  if (issues.length > 0 || planned.length !== inputs.length) throw new ConfigValidationError(issues);
  return planned;
}

/**
 * The rules within one environment that the schema alone cannot express, each with the fields it
 * reads (top-level fields, or fields of a section such as `network.vpcCidr`): an environment with
 * schema errors still gets every rule whose fields parsed (checks/partial.ts), so one run lists every
 * problem. A rule reads only the fields it declares (tested).
 */
export const ENVIRONMENT_RULES: readonly EnvironmentRule<EnvironmentConfig, ConfigIssue>[] = [
  { reads: ["availabilityZones", "region", "stage"], check: checkZones },
  { reads: ["region", "availabilityZones"], check: availabilityZoneProblems },
  { reads: ["stage", "network.natGateways"], check: checkNatGateways },
  { reads: ["network.vpcCidr", "network.podCidr", "cluster.podNetworking"], check: checkCidrs },
  { reads: ["network.flowLogRetentionDays", "cluster.controlPlaneLogRetentionDays"], check: checkLogRetention },
  { reads: ["stage", "cluster.endpointPublicAccessCidrs"], check: checkEndpoint },
  { reads: ["stage", "cluster.nodeGroups", "cluster.podNetworking"], check: checkNodeGroups },
  { reads: ["stage", "addons.observability", "addons.logging", "addons.tracing", "addons.backup", "addons.auth"], check: checkAddons },
  { reads: ["cluster.access"], check: checkAccess },
  { reads: ["cluster.access"], check: teamNamespaceProblems },
  { reads: ["cluster.access"], check: teamMeshLabelProblems },
  { reads: ["name", "region", "account", "cluster.access"], check: teamWorkloadRoleProblems },
  { reads: ["stage", "addons.policy"], check: policyEnforcementProblems },
  { reads: ["cluster.nodeGroups", "addons.autoscaler"], check: checkArchitectures },
  { reads: ["cluster.kubernetesVersion", "cluster.nodeAmiReleaseVersions"], check: (env) => checkKubernetesVersionPins(env) },
  { reads: ["region", "account", "cluster.access", "addons.auth"], check: arnProblems },
  { reads: ["addons.overrides"], check: overrideProblems },
  { reads: ["addons.auth", "addons.dns"], check: hostnameProblems },
  { reads: ["stage", "cluster.kubernetesVersion", "cluster.access", "addons.mesh"], check: (env) => meshRevisionProblems(env) },
];

/** Every rule of {@link ENVIRONMENT_RULES} on a parsed environment. */
export function checkEnvironment(env: EnvironmentConfig): ConfigIssue[] {
  return ENVIRONMENT_RULES.flatMap((rule) => rule.check(env));
}

/** Zones in the region, not repeated; at least 2 (EKS), 3 in prod. */
function checkZones(env: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string, received: unknown) => issues.push({ path, message, received });
  const azs = env.availabilityZones;
  azs.forEach((az, i) => {
    if (!az.startsWith(env.region)) add(`availabilityZones.${i}`, `is not in region ${env.region}`, az);
  });
  if (new Set(azs).size !== azs.length) add("availabilityZones", "must not repeat an availability zone", azs);
  if (env.stage === "prod" && azs.length < 3) {
    add("availabilityZones", "prod environments need at least 3 availability zones", azs);
  }
  if (azs.length < 2) add("availabilityZones", "EKS needs subnets in at least 2 availability zones", azs);
  return issues;
}

function checkNatGateways(env: EnvironmentConfig): ConfigIssue[] {
  if (env.stage === "prod" && env.network.natGateways !== "one-per-az") {
    return [{ path: "network.natGateways", message: 'prod environments need "one-per-az" so that one AZ cannot cut egress of the others', received: env.network.natGateways }];
  }
  return [];
}

/** VPC and pod CIDRs: valid, private, sized, apart; custom networking has a pod CIDR. */
function checkCidrs(env: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string, received: unknown) => issues.push({ path, message, received });
  const { vpcCidr, podCidr } = env.network;
  const vpcOk = isValidCidr(vpcCidr);
  if (!vpcOk) add("network.vpcCidr", "is not a valid IPv4 CIDR with its host bits zero", vpcCidr);
  else {
    const prefix = Number(vpcCidr.split("/")[1]);
    if (prefix < 16 || prefix > 24) add("network.vpcCidr", "a VPC CIDR must be between /16 and /24", vpcCidr);
    if (!PRIVATE_RANGES.some((r) => cidrContains(r, vpcCidr))) {
      add("network.vpcCidr", "must be inside RFC 1918 private space or 100.64.0.0/10", vpcCidr);
    }
  }
  if (podCidr !== undefined) {
    if (!isValidCidr(podCidr)) add("network.podCidr", "is not a valid IPv4 CIDR with its host bits zero", podCidr);
    else {
      if (!PRIVATE_RANGES.some((r) => cidrContains(r, podCidr))) {
        add("network.podCidr", "must be inside RFC 1918 private space or 100.64.0.0/10", podCidr);
      }
      if (vpcOk && cidrsOverlap(vpcCidr, podCidr)) add("network.podCidr", `overlaps the VPC CIDR ${vpcCidr}`, podCidr);
    }
  }
  if (env.cluster.podNetworking === "custom-networking" && podCidr === undefined) {
    add("network.podCidr", "custom-networking needs a secondary pod CIDR (e.g. 100.64.0.0/16)", podCidr);
  }
  return issues;
}

/** Log groups take only CloudWatch's retention periods. */
function checkLogRetention(env: EnvironmentConfig): ConfigIssue[] {
  const fields: [string, number][] = [
    ["network.flowLogRetentionDays", env.network.flowLogRetentionDays],
    ["cluster.controlPlaneLogRetentionDays", env.cluster.controlPlaneLogRetentionDays],
  ];
  return fields
    .filter(([, days]) => !(LOG_RETENTION_DAYS as readonly number[]).includes(days))
    .map(([path, days]) => ({ path, message: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`, received: days }));
}

/** The public API endpoint: valid CIDRs, never the whole internet, none in prod. */
function checkEndpoint(env: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string, received: unknown) => issues.push({ path, message, received });
  env.cluster.endpointPublicAccessCidrs.forEach((cidr, i) => {
    const path = `cluster.endpointPublicAccessCidrs.${i}`;
    if (!isValidCidr(cidr)) add(path, "is not a valid IPv4 CIDR with its host bits zero", cidr);
    else if (cidr.endsWith("/0")) add(path, "the API endpoint must not be open to the whole internet", cidr);
  });
  if (env.stage === "prod" && env.cluster.endpointPublicAccessCidrs.length > 0) {
    add("cluster.endpointPublicAccessCidrs", "prod clusters have no public endpoint", env.cluster.endpointPublicAccessCidrs);
  }
  return issues;
}

/** Node group keys, sizes, instance types and capacity types. */
function checkNodeGroups(env: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string, received: unknown) => issues.push({ path, message, received });
  for (const [groupName, group] of Object.entries(env.cluster.nodeGroups)) {
    const path = `cluster.nodeGroups.${groupName}`;
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(groupName)) add(path, "node group keys must be lower-case names", groupName);
    if (group.minNodesPerAz > group.maxNodesPerAz) {
      add(`${path}.minNodesPerAz`, `must not exceed maxNodesPerAz (${group.maxNodesPerAz})`, group.minNodesPerAz);
    }
    group.instanceTypes.forEach((type, i) => {
      if (!isKnownInstanceType(type)) {
        add(`${path}.instanceTypes.${i}`, "is not an instance type the VPC CNI knows", type);
      } else if (env.cluster.podNetworking === "prefix-delegation" && instanceLimits(type).hypervisor !== "nitro") {
        add(`${path}.instanceTypes.${i}`, "prefix delegation needs a Nitro instance type", type);
      }
    });
    if (new Set(group.instanceTypes).size !== group.instanceTypes.length) {
      add(`${path}.instanceTypes`, "must not repeat an instance type", group.instanceTypes);
    }
  }
  if (env.cluster.nodeGroups.system.capacityType !== "ON_DEMAND") {
    add("cluster.nodeGroups.system.capacityType", "the system group runs critical add-ons and must be ON_DEMAND", env.cluster.nodeGroups.system.capacityType);
  }
  if (env.stage === "prod") {
    for (const [groupName, group] of Object.entries(env.cluster.nodeGroups)) {
      if (group.capacityType === "SPOT") {
        add(`cluster.nodeGroups.${groupName}.capacityType`, "prod node groups must be ON_DEMAND", group.capacityType);
      }
    }
  }
  return issues;
}

/**
 * Every instance type of a node group runs the CPU architecture of the group's AMI type (EKS accepts
 * `AL2023_ARM_64_STANDARD` with `m6i.2xlarge` and fails only when it creates the group), and an
 * instance type whose architecture the instance table does not know is refused rather than guessed.
 * With Karpenter, its NodePool runs the architecture of the `workloads` group's AMI type while being
 * sized (CPU limit, addresses) from that group's instance types, so a mismatch there is reported for
 * Karpenter too. Unknown instance types are reported elsewhere.
 */
export function checkArchitectures(env: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [groupName, group] of Object.entries(env.cluster.nodeGroups)) {
    const arch = amiArchitecture(group.amiType);
    group.instanceTypes.forEach((type, i) => {
      if (!isKnownInstanceType(type)) return;
      const path = `cluster.nodeGroups.${groupName}.instanceTypes.${i}`;
      const actual = instanceLimits(type).architecture;
      if (actual === "unknown") {
        issues.push({ path, message: `has no known CPU architecture, so it cannot be checked against amiType ${group.amiType} (${arch})`, received: type });
      } else if (actual !== arch) {
        issues.push({ path, message: `is an ${actual} instance type; amiType ${group.amiType} runs on ${arch}`, received: type });
      }
    });
  }
  const workloads = env.cluster.nodeGroups.workloads;
  const nodePoolArch = amiArchitecture(workloads.amiType);
  const others = workloads.instanceTypes.filter((type) => isKnownInstanceType(type) && instanceLimits(type).architecture !== nodePoolArch);
  if (env.addons.autoscaler === "karpenter" && others.length > 0) {
    issues.push({
      path: "addons.autoscaler",
      message: `Karpenter's NodePool launches ${nodePoolArch} nodes (cluster.nodeGroups.workloads.amiType ${workloads.amiType}) but is sized from workloads instance types of another or unknown architecture: ${others.join(", ")}`,
      received: env.addons.autoscaler,
    });
  }
  return issues;
}

/** Rules of the add-ons: durable, highly available telemetry, auth and backups in prod. */
export function checkAddons(env: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string, received: unknown) => issues.push({ path, message, received });
  const { observability, logging, tracing, backup, auth } = env.addons;
  const prod = env.stage === "prod";

  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logging.retentionDays)) {
    add("addons.logging.retentionDays", `must be one of ${LOG_RETENTION_DAYS.join(", ")}`, logging.retentionDays);
  }
  if (tracing.storage === "opensearch" && logging.opensearch === undefined) {
    add("addons.tracing.storage", "opensearch trace storage needs addons.logging.opensearch", tracing.storage);
  }
  if (prod && tracing.storage !== "opensearch") {
    add("addons.tracing.storage", "prod keeps traces in durable storage (opensearch)", tracing.storage);
  }
  if (prod) {
    const ha: [string, number][] = [
      ["addons.observability.prometheusReplicas", observability.prometheusReplicas],
      ["addons.observability.alertmanagerReplicas", observability.alertmanagerReplicas],
      ["addons.observability.grafanaReplicas", observability.grafanaReplicas],
      ["addons.auth.replicas", auth.replicas],
    ];
    for (const [path, replicas] of ha) if (replicas < 2) add(path, "prod runs at least 2 replicas across AZs", replicas);
    if (!auth.database.multiAz) add("addons.auth.database.multiAz", "prod databases are Multi-AZ", auth.database.multiAz);
    if (logging.opensearch && logging.opensearch.instanceCount < 2) {
      add("addons.logging.opensearch.instanceCount", "prod OpenSearch needs at least 2 data nodes across AZs", logging.opensearch.instanceCount);
    }
  }
  const longestTtlDays = Math.max(...Object.values(backup.schedules).map((s) => durationDays(s.ttl)));
  if (backup.expireDays < longestTtlDays) {
    add("addons.backup.expireDays", `must be at least the longest schedule TTL (${longestTtlDays} days)`, backup.expireDays);
  }
  if (backup.transitionToColdDays !== undefined && backup.transitionToColdDays >= backup.expireDays) {
    add("addons.backup.transitionToColdDays", "must come before expireDays", backup.transitionToColdDays);
  }
  return issues;
}

/**
 * Rules of the cluster access: one principal, one access entry (EKS refuses a second entry for the
 * same principal ARN at apply time), and team namespaces written one way.
 */
export function checkAccess(env: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string, received: unknown) => issues.push({ path, message, received });
  // IAM role names are unique regardless of case (IAM API Reference, CreateRole, RoleName: "IAM user,
  // group, role, and policy names must be unique within the account. Names are not distinguished by
  // case."), so two ARNs that differ only in case name the same role.
  const firstPath = new Map<string, string>();
  for (const { path, arn } of accessPrincipals(env.cluster.access)) {
    const first = firstPath.get(arn.toLowerCase());
    if (first === undefined) firstPath.set(arn.toLowerCase(), path);
    else add(path, `is also the principal of ${first}; EKS has one access entry per principal: keep one key (a team may hold a right per namespace)`, arn);
  }
  for (const [key, team] of Object.entries(env.cluster.access.teams)) {
    const path = `cluster.access.teams.${key}`;
    if (Array.isArray(team.namespaces)) {
      if (new Set(team.namespaces).size !== team.namespaces.length) add(`${path}.namespaces`, "must not repeat a namespace", team.namespaces);
      continue;
    }
    if (Object.keys(team.namespaces).length === 0) add(`${path}.namespaces`, "must give at least one namespace a right", team.namespaces);
    if (team.policy !== undefined) {
      add(`${path}.policy`, "applies to a list of namespaces only; with a map, give each namespace its right there", team.policy);
    }
  }
  return issues;
}

/**
 * The environment's Kubernetes version has a complete row of pins (add-ons, Cluster Autoscaler,
 * node AMIs) in the one file of version-bound values, and its node AMI overrides fit the version
 * and AMI family. `table` is for tests.
 */
export function checkKubernetesVersionPins(env: EnvironmentConfig, table: Readonly<Record<string, KubernetesVersionRow>> = KUBERNETES_VERSIONS): ConfigIssue[] {
  const version = env.cluster.kubernetesVersion;
  const issues: ConfigIssue[] = rowProblems(version, table).map((problem) => ({
    path: "cluster.kubernetesVersion",
    message: `${problem}: add or complete the row of ${version} in ${KUBERNETES_VERSIONS_FILE}, the one file to edit for an upgrade`,
    received: version,
  }));
  for (const [amiType, release] of Object.entries(env.cluster.nodeAmiReleaseVersions)) {
    const problem = overrideProblem(version, amiType as keyof typeof env.cluster.nodeAmiReleaseVersions, release, table);
    if (problem !== undefined) {
      issues.push({ path: `cluster.nodeAmiReleaseVersions.${amiType}`, message: `${problem}; delete the override to run the release of the row in ${KUBERNETES_VERSIONS_FILE}`, received: release });
    }
  }
  return issues;
}

/** Days in a duration such as "720h" or "30d", rounded up. */
export function durationDays(duration: string): number {
  const amount = Number(duration.slice(0, -1));
  const unit = duration.slice(-1);
  const hours = { s: 1 / 3600, m: 1 / 60, h: 1, d: 24, w: 168, y: 8760 }[unit] ?? Number.NaN;
  return Math.ceil((amount * hours) / 24);
}

/**
 * The fields {@link checkAcrossEnvironments} reads: an environment with schema errors takes part in
 * the rules between environments when all of these parsed.
 */
export const ACROSS_ENVIRONMENTS_READS: readonly FieldPath[] = [
  "name",
  "stage",
  "promotionOrder",
  "account",
  "region",
  "network.vpcCidr",
  "network.podCidr",
  "cluster.kubernetesVersion",
];

/**
 * What follows `<prefix>-` in the names of the CI roles (`<prefix>-github-*`, ciRoleNames in
 * modules/github/ci-policies.ts), which every deploy role is denied writing.
 */
export const CI_ROLE_NAME_SEGMENT = "github-";

/**
 * Each CI deploy role is an EKS principal of its own environment only: another environment's (an
 * access list copied with its environment file) would administer this cluster from that
 * environment's pipeline. Reads `cluster.access` where it parsed (an environment with schema errors
 * may lack it).
 */
export function ciDeployRoleProblems(envs: readonly EnvironmentConfig[]): ConfigIssue[] {
  const deployRoles = new Map(envs.map((e) => [ciRoleNames(PLATFORM).deploy(e.name), e.name]));
  return envs.flatMap((env) =>
    (["admins", "viewers"] as const).flatMap((kind) =>
      Object.entries(env.cluster?.access?.[kind] ?? {}).flatMap(([key, arn]): ConfigIssue[] => {
        const owner = /:role\//.test(arn) ? deployRoles.get(arn.slice(arn.lastIndexOf("/") + 1)) : undefined;
        if (owner === undefined || owner === env.name) return [];
        const message = `is the CI deploy role of environment ${owner}; ${env.name}'s own is role/${ciRoleNames(PLATFORM).deploy(env.name)}`;
        return [{ path: `${env.name}.cluster.access.${kind}.${key}`, message, received: arn }];
      }),
    ),
  );
}

/** Rules between environments: names, accounts, routable VPCs, upgrade order. */
export function checkAcrossEnvironments(envs: readonly EnvironmentConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string, received: unknown) => issues.push({ path, message, received });

  // A deploy role writes the roles `<prefix>-<env>-*`: under the CI roles' names it could write none.
  for (const env of envs.filter((e) => `${e.name}-`.startsWith(CI_ROLE_NAME_SEGMENT))) {
    add(`${env.name}.name`, `its roles would be named like the CI roles (<prefix>-${CI_ROLE_NAME_SEGMENT}*), which its deploy role may not write`, env.name);
  }

  const seen = new Map<string, number>();
  envs.forEach((env) => seen.set(env.name, (seen.get(env.name) ?? 0) + 1));
  for (const [envName, count] of seen) {
    if (count > 1) add(`${envName}.name`, `environment names must be unique (found ${count} times)`, envName);
  }

  // Accounts: one id per alias, one alias per id, prod never with nonprod, one region per account.
  envs.forEach((a, i) => {
    envs.slice(i + 1).forEach((b) => {
      if (a.account.alias === b.account.alias && a.account.id !== b.account.id) {
        add(`${b.name}.account.id`, `account alias ${b.account.alias} is ${a.account.id} in ${a.name}`, b.account.id);
      }
      if (a.account.id === b.account.id && a.account.alias !== b.account.alias) {
        add(`${b.name}.account.alias`, `account ${b.account.id} is called ${a.account.alias} in ${a.name}`, b.account.alias);
      }
      if (a.account.id === b.account.id && a.stage !== b.stage) {
        add(`${b.name}.account.id`, `prod and nonprod environments must live in different AWS accounts (shared with ${a.name})`, b.account.id);
      }
      if (a.account.id === b.account.id && a.region !== b.region) {
        add(`${b.name}.region`, `environments of one account share its state bucket region (${a.name} uses ${a.region})`, b.region);
      }
      // A deploy role writes `<prefix>-<env>-*` (docs/ci.md): `dev-eu`'s names would match `dev`'s.
      const [short, long] = a.name.length <= b.name.length ? [a, b] : [b, a];
      if (a.account.id === b.account.id && long.name.startsWith(`${short.name}-`)) {
        add(`${long.name}.name`, `starts with ${short.name}- in the same account: ${short.name}'s deploy role could write its resources`, long.name);
      }
    });
  });

  // VPCs must be routable together; pod CIDRs in 100.64.0.0/10 may repeat (never routed outside the VPC).
  const ranges = envs.flatMap((env) => [
    { env: env.name, field: "network.vpcCidr", cidr: env.network.vpcCidr, pod: false },
    ...(env.network.podCidr !== undefined ? [{ env: env.name, field: "network.podCidr", cidr: env.network.podCidr, pod: true }] : []),
  ])
    // Invalid CIDRs are reported by the environment's own rules; parsing them here would throw.
    .filter((r) => isValidCidr(r.cidr))
    .map((r) => ({ ...r, mayRepeat: r.pod && isCgnat(r.cidr), block: parseCidr(r.cidr) }));
  // Parsed once, compared as integers: every pair is checked, and with 100 environments parsing
  // and ip-num's range objects per pair took most of the validation time.
  const overlap = (x: ParsedCidr, y: ParsedCidr): boolean => x.network < y.network + y.size && y.network < x.network + x.size;
  ranges.forEach((a, i) => {
    ranges.slice(i + 1).forEach((b) => {
      if (a.env === b.env) return;
      if (a.mayRepeat && b.mayRepeat) return;
      if (overlap(a.block, b.block)) {
        add(`${b.env}.${b.field}`, `overlaps ${a.env}.${a.field} (${a.cidr}); environments must be routable together`, b.cidr);
      }
    });
  });

  issues.push(...checkPromotionOrder(envs), ...checkVersionOrder(envs));
  return issues;
}

/** The environments sorted by `promotionOrder` (ties, which validation refuses, by name). */
export function inPromotionOrder<T extends { readonly name: string; readonly promotionOrder: number }>(envs: readonly T[]): T[] {
  return [...envs].sort((a, b) => a.promotionOrder - b.promotionOrder || a.name.localeCompare(b.name));
}

/**
 * Promotion order: every environment has its own place, and every prod environment comes after
 * every nonprod one (a change is proven outside production first).
 */
export function checkPromotionOrder(envs: readonly Pick<EnvironmentConfig, "name" | "stage" | "promotionOrder">[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const ordered = inPromotionOrder(envs);
  ordered.forEach((env, i) => {
    const path = `${env.name}.promotionOrder`;
    const same = ordered.slice(0, i).find((e) => e.promotionOrder === env.promotionOrder);
    if (same) issues.push({ path, received: env.promotionOrder, message: `is also the promotion order of ${same.name}; give each environment its own place` });
    if (env.stage !== "prod") return;
    const later = ordered.filter((e) => e.stage !== "prod" && e.promotionOrder >= env.promotionOrder);
    for (const n of later) {
      issues.push({ path, received: env.promotionOrder, message: `prod environments come after every nonprod one, but ${n.name} is at ${n.promotionOrder}` });
    }
  });
  return issues;
}

/**
 * Upgrades follow the promotion order, one minor version at a time: each environment runs the same
 * or an older version than the one before it in promotion order, and at most one minor behind it.
 */
export function checkVersionOrder(envs: readonly Pick<EnvironmentConfig, "name" | "promotionOrder" | "cluster">[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const ordered = inPromotionOrder(envs);
  for (let i = 1; i < ordered.length; i++) {
    const before = ordered[i - 1]!;
    const env = ordered[i]!;
    const a = minor(before.cluster.kubernetesVersion);
    const b = minor(env.cluster.kubernetesVersion);
    const path = `${env.name}.cluster.kubernetesVersion`;
    const received = env.cluster.kubernetesVersion;
    if (b > a) {
      issues.push({ path, received, message: `is newer than ${before.name} (${before.cluster.kubernetesVersion}); upgrade ${before.name} first` });
    } else if (a - b > 1) {
      issues.push({ path, received, message: `is more than one minor version behind ${before.name} (${before.cluster.kubernetesVersion}); upgrade one minor version at a time` });
    }
  }
  return issues;
}

/** Renders issues as the one error message users see. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.map((i) => `  - ${i.path}: ${i.message} (received ${describe(i.received)})`);
  const count = `${issues.length} problem${issues.length === 1 ? "" : "s"}`;
  return `Invalid platform configuration (${count}); nothing was synthesized:\n${lines.join("\n")}`;
}

function minor(version: string): number {
  return Number(version.split(".")[1]);
}

function isCgnat(cidr: string): boolean {
  return cidrContains(CGNAT, cidr);
}

function envPrefix(input: unknown, index: number): string {
  const n = (input as { name?: unknown } | null)?.name;
  return typeof n === "string" && /^[a-z0-9-]{1,32}$/.test(n) ? n : `environments[${index}]`;
}

function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
  } catch {
    return undefined;
  }
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].join(".");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A schema issue's message; a bad record key says what is wrong with the key. */
function schemaMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_key") return `is not a valid key: ${issue.issues.map((i) => i.message).join("; ")}`;
  return issue.message;
}

/** The value as JSON, or its type when JSON cannot print it (a function, a symbol, a cycle). */
function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = jsonText(value) ?? `a value JSON cannot print (${typeof value})`;
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export type { EnvironmentConfig } from "./schema";
