/**
 * Values checked against what the receiving service accepts, beyond their shape: availability
 * zones that exist in the region, ARNs in the partition, region and account the service needs, and
 * override keys that name real add-ons. Each rule returns problems with paths relative to the
 * environment, like the other rules of validate.ts.
 */
import { partitionOf } from "../../modules/irsa/policy-document";
import { ADDON_NAMES, isAddonName } from "../addon-registry";
import { accessPrincipals } from "../access";
import { AVAILABILITY_ZONES, AVAILABILITY_ZONES_FILE } from "../data/availability-zones";
import type { EnvironmentConfig } from "../schema";
import type { ConfigIssue } from "../validate";

/**
 * The region is one whose zones are known, and every zone written in it is one of them. Zones of
 * another region are reported by validate.ts's zone rule, not twice here. `table` is for tests.
 */
export function availabilityZoneProblems(
  env: Pick<EnvironmentConfig, "region" | "availabilityZones">,
  table: Readonly<Record<string, readonly string[]>> = AVAILABILITY_ZONES,
): ConfigIssue[] {
  if (!Object.hasOwn(table, env.region)) {
    const known = Object.keys(table).sort().join(", ");
    return [{ path: "region", message: `is not a region whose availability zones are known (${known}); add it to ${AVAILABILITY_ZONES_FILE} with its source`, received: env.region }];
  }
  const zones = table[env.region]!;
  return env.availabilityZones.flatMap((az, i) =>
    az.startsWith(env.region) && !zones.includes(az)
      ? [{ path: `availabilityZones.${i}`, message: `is not an availability zone of ${env.region} (${zones.join(", ")})`, received: az }]
      : [],
  );
}

/** The parts of an ARN (`arn:partition:service:region:account:resource`), or undefined. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): ArnParts | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  return { partition, service, region, account, resource: parts.slice(5).join(":") };
}

/** Where an ARN must live, relative to the environment. */
interface ArnRule {
  readonly path: string;
  readonly arn: string;
  /** Why, with its source: the service refuses anything else. */
  readonly sameRegion?: string;
  readonly sameAccount?: string;
}

/**
 * ARNs where the receiving service needs them. Every ARN is in the environment's partition
 * ("Partitions have independent instances of AWS Identity and Access Management (IAM) ... You
 * cannot use IAM credentials from one partition to interact with resources in a different
 * partition", AWS Fault Isolation Boundaries, Partitions). Beyond that, only what the service
 * refuses is refused:
 * - the ALB's ACM certificate is in the environment's region ("Certificates in ACM are regional
 *   resources", ACM User Guide, Supported Regions) and account (ACM certificates are not shared
 *   across accounts: to use ACM with resources in several accounts "you must manually request and
 *   deploy individual certificates in each Region and account", AWS Security Blog, "How to deploy
 *   public ACM certificates across multiple AWS accounts and Regions using AWS CloudFormation
 *   StackSets");
 * - the LDAP bind secret is in the environment's region: External Secrets reads it through a
 *   SecretStore whose `region` is the environment's (addons/keycloak/index.ts); another account is
 *   legal (a secret's resource policy may grant the role);
 * - access-entry roles may be in other accounts: EKS accepts a principal of another account for
 *   `STANDARD` access entries, the only type used here (EKS User Guide, "Create access entries").
 * Route 53 hosted zone ids carry no partition, region or account (Route 53 is global); the schema
 * checks their shape, and {@link hostnameProblems} that the zone's domain holds the hostname.
 */
export function arnProblems(env: Pick<EnvironmentConfig, "region" | "account" | "cluster" | "addons">): ConfigIssue[] {
  const { auth } = env.addons;
  const rules: ArnRule[] = [
    {
      path: "addons.auth.certificateArn",
      arn: auth.certificateArn,
      sameRegion: "the load balancer uses ACM certificates of its own region",
      sameAccount: "the load balancer uses ACM certificates of its own account",
    },
    ...(auth.ldap
      ? [{ path: "addons.auth.ldap.bindCredentialSecretArn", arn: auth.ldap.bindCredentialSecretArn, sameRegion: "External Secrets reads it through a SecretStore of the environment's region" }]
      : []),
    ...accessPrincipals(env.cluster.access),
  ];
  const partition = partitionOf(env.region);
  const issues: ConfigIssue[] = [];
  for (const rule of rules) {
    const arn = parseArn(rule.arn);
    if (arn === undefined) continue; // the schema reports a malformed ARN
    const add = (message: string) => issues.push({ path: rule.path, message, received: rule.arn });
    if (arn.partition !== partition) add(`is in partition ${arn.partition}, but region ${env.region} is in partition ${partition}`);
    if (rule.sameRegion && arn.region !== env.region) add(`is in region ${arn.region}, not the environment's ${env.region}: ${rule.sameRegion}`);
    if (rule.sameAccount && arn.account !== env.account.id) add(`is in account ${arn.account}, not the environment's ${env.account.id}: ${rule.sameAccount}`);
  }
  return issues;
}

/**
 * Every override key names an add-on whose values the stacks merge it into, and every override is
 * plain data that renders to the release's YAML values as written.
 */
export function overrideProblems(env: Pick<EnvironmentConfig, "addons">): ConfigIssue[] {
  return Object.entries(env.addons.overrides).flatMap(([key, values]): ConfigIssue[] => {
    const path = `addons.overrides.${key}`;
    if (!isAddonName(key)) return [{ path, message: `is not an add-on; overrides apply to ${ADDON_NAMES.join(", ")}`, received: key }];
    const bad = notPlainData(values, path, new Set());
    return bad ? [{ path: bad.path, message: `${bad.reason}; chart values are strings, finite numbers, booleans, null, lists and plain objects`, received: bad.value }] : [];
  });
}

/**
 * The first place where `value` is not plain data: a function, symbol, bigint, non-finite number,
 * class instance, cycle, or a `__proto__` key (merging it would replace an object's prototype
 * instead of setting a value). `undefined` is allowed: rendering drops it.
 */
export function notPlainData(value: unknown, path: string, seen: Set<object>): { path: string; reason: string; value: unknown } | undefined {
  if (value === null || value === undefined || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { path, reason: "is not a finite number", value };
  if (typeof value !== "object") return { path, reason: `is a ${typeof value}`, value: String(typeof value) };
  if (seen.has(value)) return { path, reason: "refers back to itself (a cycle)", value: "[cycle]" };
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return { path, reason: "is not a plain object", value: "[object]" };
  seen.add(value);
  for (const [key, item] of Object.entries(value)) {
    if (key === "__proto__") return { path: `${path}.${key}`, reason: "is a __proto__ key", value: key };
    const bad = notPlainData(item, `${path}.${key}`, seen);
    if (bad) return bad;
  }
  seen.delete(value);
  return undefined;
}

/**
 * With a managed zone, Keycloak's hostname is inside its domain: external-dns publishes only names
 * under its domain filter (`addons.dns.domain`), so a hostname outside it never gets a record.
 */
export function hostnameProblems(env: Pick<EnvironmentConfig, "addons">): ConfigIssue[] {
  const { dns, auth } = env.addons;
  if (dns === undefined || auth.hostname === dns.domain || auth.hostname.endsWith(`.${dns.domain}`)) return [];
  return [{ path: "addons.auth.hostname", message: `is not inside addons.dns.domain (${dns.domain}), the only domain external-dns publishes`, received: auth.hostname }];
}
