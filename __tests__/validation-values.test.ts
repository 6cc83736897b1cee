/**
 * Values checked against what the receiving service accepts (issue 13, item 7): Velero's cron
 * parser, availability zones of the region, ARNs where the service needs them, override keys that
 * name add-ons, and every problem of an environment in one list even when its schema has errors.
 */
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import { KARPENTER_CRD_CHART } from "../addons/karpenter/chart";
import { ADDON_CHARTS, ADDON_NAMES } from "../environments/addon-registry";
import { CRON_DESCRIPTORS, CRON_FIELDS, cronProblem, MIN_EVERY_SECONDS } from "../environments/checks/cron";
import { parseFields } from "../environments/checks/partial";
import { arnProblems, availabilityZoneProblems, hostnameProblems, overrideProblems, parseArn } from "../environments/checks/values";
import { AVAILABILITY_ZONES } from "../environments/data/availability-zones";
import { environmentSchema, type EnvironmentConfig } from "../environments/schema";
import {
  ACROSS_ENVIRONMENTS_READS,
  checkAcrossEnvironments,
  ConfigIssue,
  ConfigValidationError,
  ENVIRONMENT_RULES,
  validatePlatform,
} from "../environments/validate";
import { partitionOf } from "../modules/irsa/policy-document";
import { AddonsStack } from "../stacks/addons-stack";
import { ClusterStack } from "../stacks/cluster-stack";
import { NetworkStack } from "../stacks/network-stack";
import { environmentInputs, issuesAfter } from "./support/environments";


const valid = validatePlatform(environments);
const someEnv = valid[0]!;
const prodEnv = valid.find((e) => e.stage === "prod")!;
const at = (issues: readonly ConfigIssue[], path: string) => issues.filter((i) => i.path === path);

describe("cron schedules, as Velero's parser (robfig/cron v3 ParseStandard) reads them", () => {
  it.each(CRON_DESCRIPTORS)("accepts the descriptor %s exactly, not with a trailing space", (descriptor) => {
    expect(cronProblem(descriptor)).toBeUndefined();
    expect(cronProblem(`${descriptor} `)).toMatch(/not a descriptor/);
  });

  it("refuses unknown descriptors", () => {
    expect(cronProblem("@reboot")).toMatch(/not a descriptor Velero knows/);
  });

  it("@every takes a Go duration of at least a minute", () => {
    expect(cronProblem(`@every ${MIN_EVERY_SECONDS}s`)).toBeUndefined();
    expect(cronProblem(`@every ${MIN_EVERY_SECONDS - 1}s`)).toMatch(/at least/);
    expect(cronProblem("@every 1h30m")).toBeUndefined();
    expect(cronProblem("@every 1d")).toMatch(/not a Go duration/);
    expect(cronProblem("@every")).toMatch(/not a descriptor/);
  });

  it("needs exactly five fields, split on any white space", () => {
    expect(cronProblem("0 3 * * *")).toBeUndefined();
    expect(cronProblem(" 0\t3  * *\n* ")).toBeUndefined();
    expect(cronProblem("0 3 * *")).toMatch(/exactly 5 fields.*found 4/);
    expect(cronProblem("0 0 3 * * *")).toMatch(/exactly 5 fields.*found 6/);
    expect(cronProblem("")).toMatch(/empty/);
  });

  it("refuses a time zone prefix", () => {
    expect(cronProblem("CRON_TZ=Asia/Seoul 0 3 * * *")).toMatch(/TZ=/);
    expect(cronProblem("TZ=UTC 0 3 * * *")).toMatch(/TZ=/);
  });

  // Each field at its bounds, the other fields `*`.
  const withField = (index: number, value: string) => CRON_FIELDS.map((_, i) => (i === index ? value : "*")).join(" ");
  it.each(CRON_FIELDS.map((field, index) => [field.name, index, field.min, field.max] as const))(
    "%s: accepts its minimum and maximum, refuses one below and one above",
    (_name, index, min, max) => {
      expect(cronProblem(withField(index, String(min)))).toBeUndefined();
      expect(cronProblem(withField(index, String(max)))).toBeUndefined();
      expect(cronProblem(withField(index, `${min}-${max}`))).toBeUndefined();
      expect(cronProblem(withField(index, String(max + 1)))).toMatch(/above the maximum/);
      expect(cronProblem(withField(index, min === 0 ? "-1" : String(min - 1)))).toBeDefined();
    },
  );

  it("day of week stops at 6 (robfig/cron has no 7 for Sunday)", () => {
    expect(cronProblem("0 3 * * 7")).toMatch(/above the maximum 6/);
  });

  it("names only in month and day of week, in any case, also in ranges", () => {
    expect(cronProblem("0 3 * JAN-dec Mon-FRI")).toBeUndefined();
    expect(cronProblem("0 3 * * sun,sat")).toBeUndefined();
    expect(cronProblem("mon 3 * * *")).toMatch(/minute field "mon": "mon" is not a number/);
    expect(cronProblem("0 3 * * sunday")).toMatch(/neither a number nor one of/);
  });

  it("steps: positive, after *, a value or a range", () => {
    expect(cronProblem("*/15 * * * *")).toBeUndefined();
    expect(cronProblem("5/15 * * * *")).toBeUndefined();
    expect(cronProblem("0-30/10 * * * *")).toBeUndefined();
    expect(cronProblem("*/1 * * * *")).toBeUndefined();
    expect(cronProblem("*/0 * * * *")).toMatch(/positive/);
    expect(cronProblem("*/x * * * *")).toMatch(/not a number/);
    expect(cronProblem("1/2/3 * * * *")).toMatch(/too many slashes/);
  });

  it("ranges go upwards, with one hyphen, never from *", () => {
    expect(cronProblem("0 1-5 * * *")).toBeUndefined();
    expect(cronProblem("0 5-5 * * *")).toBeUndefined();
    expect(cronProblem("0 5-1 * * *")).toMatch(/starts after it ends/);
    expect(cronProblem("0 1-2-3 * * *")).toMatch(/too many hyphens/);
    expect(cronProblem("0 *-5 * * *")).toMatch(/mixes \*/);
    expect(cronProblem("0 ? * * *")).toBeUndefined();
  });

  it("lists without empty items", () => {
    expect(cronProblem("0,30 * * * *")).toBeUndefined();
    expect(cronProblem("0,,30 * * * *")).toMatch(/empty list item/);
    expect(cronProblem(", * * * *")).toMatch(/empty list item/);
  });

  it("refuses a date that never exists when the day of week is *, not when it is restricted too", () => {
    expect(cronProblem("0 0 29 2 *")).toBeUndefined();
    expect(cronProblem("0 0 30 2 *")).toMatch(/never/);
    expect(cronProblem("0 0 31 4,6,9,11 *")).toMatch(/never/);
    expect(cronProblem("0 0 31 4,5 *")).toBeUndefined();
    // Both day fields restricted: a day matches either (robfig/cron dayMatches), so Mondays of February run.
    expect(cronProblem("0 0 30 2 1")).toBeUndefined();
    expect(cronProblem("0 0 * 2 *")).toBeUndefined();
  });

  it("a schedule Velero would refuse is a problem at its path, in the one list", () => {
    const name = Object.keys(someEnv.addons.backup.schedules)[0]!;
    const issues = issuesAfter((envs) => {
      envs[someEnv.name].addons.backup.schedules[name].schedule = "0 3 * * 7";
    });
    const found = at(issues, `${someEnv.name}.addons.backup.schedules.${name}.schedule`);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/not a schedule Velero accepts: day of week field "7"/);
    expect(found[0]!.received).toBe("0 3 * * 7");
  });
});

describe("availability zones that exist in the region", () => {
  const table = { "xx-test-1": ["xx-test-1a", "xx-test-1b"] };

  it("accepts the region's zones and reports others of the region, leaving zones of another region to the zone rule", () => {
    expect(availabilityZoneProblems({ region: "xx-test-1", availabilityZones: ["xx-test-1a", "xx-test-1b"] }, table)).toEqual([]);
    expect(availabilityZoneProblems({ region: "xx-test-1", availabilityZones: ["xx-test-1a", "xx-test-1c"] }, table)).toEqual([
      { path: "availabilityZones.1", message: expect.stringMatching(/not an availability zone of xx-test-1 \(xx-test-1a, xx-test-1b\)/), received: "xx-test-1c" },
    ]);
    expect(availabilityZoneProblems({ region: "xx-test-1", availabilityZones: ["yy-test-1a"] }, table)).toEqual([]);
  });

  it("an unknown region is a problem at region", () => {
    expect(availabilityZoneProblems({ region: "yy-test-1", availabilityZones: ["yy-test-1a"] }, table)).toEqual([
      { path: "region", message: expect.stringMatching(/not a region whose availability zones are known \(xx-test-1\)/), received: "yy-test-1" },
    ]);
    expect(availabilityZoneProblems({ region: "constructor", availabilityZones: [] }, table)).toHaveLength(1);
  });

  it("the data file knows every environment's region, and each zone is named after its region", () => {
    for (const env of valid) expect(Object.keys(AVAILABILITY_ZONES)).toContain(env.region);
    for (const [region, zones] of Object.entries(AVAILABILITY_ZONES)) {
      for (const zone of zones) expect(zone).toMatch(new RegExp(`^${region}[a-z]$`));
      expect(zones.length).toBeGreaterThanOrEqual(3);
    }
  });

  it("through validatePlatform: a zone the region does not have, and a region whose zones are unknown", () => {
    const invented = `${someEnv.region}z`;
    expect(AVAILABILITY_ZONES[someEnv.region]).not.toContain(invented);
    const issues = issuesAfter((envs) => {
      envs[someEnv.name].availabilityZones[0] = invented;
    });
    expect(at(issues, `${someEnv.name}.availabilityZones.0`).map((i) => i.message)).toEqual([expect.stringMatching(/not an availability zone of/)]);

    const region = "zz-nowhere-1";
    const unknown = issuesAfter((envs) => {
      envs[someEnv.name].region = region;
    });
    expect(at(unknown, `${someEnv.name}.region`).map((i) => i.message)).toContainEqual(expect.stringMatching(/availability zones are known/));
  });
});

describe("ARNs where the receiving service needs them", () => {
  /** The ARN with one part replaced. */
  const moved = (arn: string, part: "partition" | "region" | "account", value: string) => {
    const p = parseArn(arn)!;
    const next = { ...p, [part]: value };
    return `arn:${next.partition}:${next.service}:${next.region}:${next.account}:${next.resource}`;
  };
  const otherAccount = (id: string) => (id === "123456789012" ? "210987654321" : "123456789012");
  const otherPartition = (region: string) => (partitionOf(region) === "aws" ? "aws-cn" : "aws");
  const otherRegion = (region: string) => (region === "eu-west-1" ? "eu-west-2" : "eu-west-1");

  /** A parsed environment with `change` applied to a copy. */
  const withChange = (change: (env: any) => void): EnvironmentConfig => {
    const env = structuredClone(someEnv) as any;
    change(env);
    return env;
  };

  it("parses the parts of an ARN, resource colons included; anything else is left to the schema", () => {
    expect(parseArn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:a:b")).toEqual({
      partition: "aws",
      service: "secretsmanager",
      region: "eu-west-1",
      account: "123456789012",
      resource: "secret:a:b",
    });
    expect(parseArn("arn:aws:iam::123456789012")).toBeUndefined();
    expect(parseArn("urn:aws:iam::123456789012:role/x")).toBeUndefined();
    expect(arnProblems(withChange((env) => (env.addons.auth.certificateArn = "not-an-arn")))).toEqual([]);
  });

  it("the environments' own ARNs pass", () => {
    for (const env of valid) expect(arnProblems(env)).toEqual([]);
  });

  it("ACM certificate: same partition, region and account as the environment", () => {
    const arn = someEnv.addons.auth.certificateArn;
    const path = "addons.auth.certificateArn";
    for (const [part, value, message] of [
      ["region", otherRegion(someEnv.region), /is in region .* not the environment's/],
      ["account", otherAccount(someEnv.account.id), /is in account .* not the environment's/],
      ["partition", otherPartition(someEnv.region), /is in partition/],
    ] as const) {
      const issues = arnProblems(withChange((env) => (env.addons.auth.certificateArn = moved(arn, part, value))));
      expect(issues.map((i) => [i.path, i.message])).toEqual([[path, expect.stringMatching(message)]]);
    }
  });

  it("LDAP bind secret: same partition and region; another account is legal (resource policy)", () => {
    const arn = `arn:${partitionOf(someEnv.region)}:secretsmanager:${someEnv.region}:${someEnv.account.id}:secret:ldap-bind-AbCdEf`;
    const withLdap = (secret: string) =>
      withChange((env) => (env.addons.auth.ldap = { connectionUrl: "ldaps://ldap.example.com", usersDn: "ou=people", bindDn: "cn=bind", bindCredentialSecretArn: secret }));
    const path = "addons.auth.ldap.bindCredentialSecretArn";
    expect(arnProblems(withLdap(arn))).toEqual([]);
    expect(arnProblems(withLdap(moved(arn, "account", otherAccount(someEnv.account.id))))).toEqual([]);
    expect(arnProblems(withLdap(moved(arn, "region", otherRegion(someEnv.region)))).map((i) => i.path)).toEqual([path]);
    expect(arnProblems(withLdap(moved(arn, "partition", otherPartition(someEnv.region)))).map((i) => i.path)).toEqual([path]);
  });

  it("access-entry roles: same partition; other accounts are legal (STANDARD access entries)", () => {
    const [key, arn] = Object.entries(someEnv.cluster.access.admins)[0]!;
    const path = `cluster.access.admins.${key}`;
    expect(arnProblems(withChange((env) => (env.cluster.access.admins[key] = moved(arn, "account", otherAccount(someEnv.account.id)))))).toEqual([]);
    const issues = arnProblems(withChange((env) => (env.cluster.access.admins[key] = moved(arn, "partition", otherPartition(someEnv.region)))));
    expect(issues.map((i) => i.path)).toEqual([path]);
  });

  it("through validatePlatform, with the path from the environment", () => {
    const issues = issuesAfter((envs) => {
      const auth = envs[prodEnv.name].addons.auth;
      auth.certificateArn = moved(auth.certificateArn, "region", otherRegion(prodEnv.region));
    });
    expect(at(issues, `${prodEnv.name}.addons.auth.certificateArn`)).toHaveLength(1);
  });
});

describe("Keycloak's hostname inside the managed zone's domain", () => {
  const withNames = (hostname: string, domain?: string) => ({
    addons: { ...someEnv.addons, auth: { ...someEnv.addons.auth, hostname }, dns: domain === undefined ? undefined : { hostedZoneId: "Z0TESTZONE", domain } },
  });

  it("accepts the domain itself and names under it; refuses a sibling that only ends like it", () => {
    expect(hostnameProblems(withNames("example.com", "example.com"))).toEqual([]);
    expect(hostnameProblems(withNames("sso.example.com", "example.com"))).toEqual([]);
    expect(hostnameProblems(withNames("sso.dev.example.com", "example.com"))).toEqual([]);
    expect(hostnameProblems(withNames("sso.badexample.com", "example.com"))).toEqual([
      { path: "addons.auth.hostname", message: expect.stringMatching(/not inside addons.dns.domain \(example.com\)/), received: "sso.badexample.com" },
    ]);
  });

  it("without a managed zone, any hostname", () => {
    expect(hostnameProblems(withNames("sso.anywhere.org"))).toEqual([]);
  });

  it("the environments' own names pass", () => {
    for (const env of valid) expect(hostnameProblems(env)).toEqual([]);
  });
});

describe("override keys name add-ons", () => {
  it("accepts every add-on of the registry and refuses anything else, prototype names included", () => {
    const overrides = Object.fromEntries(ADDON_NAMES.map((name) => [name, {}]));
    expect(overrideProblems({ addons: { ...someEnv.addons, overrides } })).toEqual([]);
    for (const key of ["not-an-addon", "constructor", "tostring", "velero-typo"]) {
      expect(overrideProblems({ addons: { ...someEnv.addons, overrides: { [key]: {} } } })).toEqual([
        { path: `addons.overrides.${key}`, message: expect.stringMatching(/is not an add-on; overrides apply to/), received: key },
      ]);
    }
  });

  it("override values are plain data that renders to YAML as written", () => {
    const name = ADDON_NAMES[0]!;
    const problemsOf = (values: unknown) => overrideProblems({ addons: { ...someEnv.addons, overrides: { [name]: values as Record<string, unknown> } } });
    const shared = { a: 1 };
    expect(problemsOf({ s: "x", n: 1.5, b: false, z: null, u: undefined, list: [1, { deep: ["y"] }], same: shared, again: shared, bare: Object.create(null) })).toEqual([]);
    const cycle: Record<string, unknown> = {};
    cycle.inner = { back: cycle };
    for (const [values, path, reason] of [
      [{ f: () => 1 }, "f", /is a function/],
      [{ big: 1n }, "big", /is a bigint/],
      [{ sym: Symbol("s") }, "sym", /is a symbol/],
      [{ n: Number.NaN }, "n", /not a finite number/],
      [{ list: [1, Infinity] }, "list.1", /not a finite number/],
      [{ when: new Date(0) }, "when", /not a plain object/],
      [{ m: new Map() }, "m", /not a plain object/],
      [cycle, "inner.back", /cycle/],
      [JSON.parse('{"x": {"__proto__": {"polluted": true}}}'), "x.__proto__", /__proto__ key/],
    ] as const) {
      const issues = problemsOf(values);
      expect(issues.map((i) => [i.path, i.message]), path).toEqual([[`addons.overrides.${name}.${path}`, expect.stringMatching(reason)]]);
    }
  });

  it("through validatePlatform", () => {
    const issues = issuesAfter((envs) => {
      envs[someEnv.name].addons.overrides = { "no-such-addon": { replicas: 2 } };
    });
    expect(at(issues, `${someEnv.name}.addons.overrides.no-such-addon`)).toHaveLength(1);
  });

  it("every name of the registry is one the add-ons stack merges into a release of its chart", () => {
    // Both autoscalers and external-dns (which needs a zone) are covered by two variants.
    const variants = (["karpenter", "cluster-autoscaler"] as const).map((autoscaler) => {
      const envs = environmentInputs();
      const input = envs[someEnv.name];
      input.addons.autoscaler = autoscaler;
      input.addons.dns ??= { hostedZoneId: "Z0TESTZONE", domain: input.addons.auth.hostname.split(".").slice(1).join(".") };
      input.addons.overrides = Object.fromEntries(ADDON_NAMES.map((name) => [name, { registryOverrideMarker: `marker-${name}` }]));
      const env = validatePlatform(Object.values(envs)).find((e) => e.name === someEnv.name)!;
      const app = Testing.app();
      const network = new NetworkStack(app, env);
      const addons = new AddonsStack(app, env, new ClusterStack(app, env, network));
      const releases = Object.values(JSON.parse(Testing.synth(addons)).resource?.helm_release ?? {}) as any[];
      return releases;
    });
    const releases = variants.flat();
    for (const name of ADDON_NAMES) {
      const ofChart = releases.filter((r) => r.chart === ADDON_CHARTS[name].chart);
      expect(ofChart.length, name).toBeGreaterThan(0);
      expect(ofChart.some((r) => JSON.stringify(r.values).includes(`marker-${name}`)), name).toBe(true);
    }
    // And the other way: every chart pulled from a repository is an add-on of the registry, except
    // Karpenter's CRD chart (no values to override). Charts kept in this repository are rendered
    // from the environment and take no overrides.
    const registered = new Set([...Object.values(ADDON_CHARTS).map((pin) => pin.chart), KARPENTER_CRD_CHART.chart]);
    const remote = releases.filter((r) => typeof r.repository === "string" && /^(https|oci):\/\//.test(r.repository));
    expect(remote.length).toBeGreaterThan(0);
    for (const r of remote) expect(registered.has(r.chart), `chart ${r.chart}: add it to environments/addon-registry.ts so its values can be overridden`).toBe(true);
  });
});

describe("every problem of an environment, even when its schema has errors", () => {
  it("a schema error does not hide the rules on the fields that parsed", () => {
    const issues = issuesAfter((envs) => {
      const env = envs[prodEnv.name];
      env.owner = 42; // schema error
      env.network.natGateways = "single"; // prod rule
      env.addons.overrides = { "no-such-addon": {} }; // value rule
      env.availabilityZones = [env.availabilityZones[0], env.availabilityZones[0]]; // zone rules
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toContain(`${prodEnv.name}.owner`);
    expect(paths).toContain(`${prodEnv.name}.network.natGateways`);
    expect(paths).toContain(`${prodEnv.name}.addons.overrides.no-such-addon`);
    expect(at(issues, `${prodEnv.name}.availabilityZones`).map((i) => i.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/repeat/), expect.stringMatching(/at least 3/)]),
    );
  });

  it("a rule whose fields did not parse does not run (no problem invented from a missing value)", () => {
    const issues = issuesAfter((envs) => {
      envs[prodEnv.name].network.natGateways = 7;
    });
    expect(at(issues, `${prodEnv.name}.network.natGateways`)).toHaveLength(1);
  });

  it("an environment with schema errors still takes part in the rules between environments", () => {
    const [a, b] = valid;
    const issues = issuesAfter((envs) => {
      envs[b!.name].owner = null;
      envs[b!.name].network.vpcCidr = a!.network.vpcCidr;
    });
    expect(issues.map((i) => i.path)).toContain(`${b!.name}.owner`);
    expect(issues.some((i) => i.path.endsWith(".network.vpcCidr") && /overlaps/.test(i.message))).toBe(true);
  });

  it("a list of environments that is not a list is one problem, not a TypeError", () => {
    for (const notAList of [undefined, null, "dev", 3, { dev: environments[0] }]) {
      expect(() => validatePlatform(notAList as unknown as unknown[])).toThrow(ConfigValidationError);
      try {
        validatePlatform(notAList as unknown as unknown[]);
      } catch (e) {
        expect((e as ConfigValidationError).issues).toEqual([{ path: "environments", message: "must be a list of environments", received: notAList }]);
      }
    }
  });

  it("a hole in the list (`[dev, , prd]`) is a missing environment at its index, not a silent skip", () => {
    const withHole = [environments[0], , ...environments.slice(1)];
    try {
      validatePlatform(withHole);
      expect.unreachable("a hole must be refused");
    } catch (e) {
      expect((e as ConfigValidationError).issues).toEqual([{ path: "environments[1]", message: expect.any(String), received: undefined }]);
    }
  });

  it("a bad record key says what is wrong with the key", () => {
    const issues = issuesAfter((envs) => {
      envs[someEnv.name].tags = { "aws:reserved": "x" };
    });
    expect(at(issues, `${someEnv.name}.tags.aws:reserved`)[0]?.message).toMatch(/is not a valid key: .*reserved prefix aws:/);
  });

  /**
   * A view of a parsed environment that throws when a rule reads a field it did not declare (a
   * top-level field, or a field of a section).
   */
  function guarded(env: EnvironmentConfig, reads: readonly string[]): EnvironmentConfig {
    const section = (name: string, value: object) =>
      new Proxy(value, {
        get(target, key, receiver) {
          if (typeof key === "symbol" || reads.includes(name) || reads.includes(`${name}.${key}`)) return Reflect.get(target, key, receiver);
          throw new Error(`reads ${name}.${key}, which it does not declare`);
        },
      });
    return new Proxy(env, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof key === "symbol" || reads.includes(key)) return value;
        if (reads.some((r) => r.startsWith(`${key}.`))) return section(key, value as object);
        throw new Error(`reads ${key}, which it does not declare`);
      },
    });
  }

  it.each(ENVIRONMENT_RULES.map((rule, i) => [i, rule.reads.join(", "), rule] as const))("rule %i reads only what it declares (%s)", (_i, _reads, rule) => {
    for (const env of valid) expect(() => rule.check(guarded(env, rule.reads))).not.toThrow();
  });

  it("the rules between environments read only ACROSS_ENVIRONMENTS_READS", () => {
    expect(() => checkAcrossEnvironments(valid.map((env) => guarded(env, ACROSS_ENVIRONMENTS_READS)))).not.toThrow();
  });

  it("every declared field is a field of the schema (a typo would silently skip the rule)", () => {
    const fields = parseFields(environmentSchema, environments[0]);
    for (const path of [...ENVIRONMENT_RULES.flatMap((r) => r.reads), ...ACROSS_ENVIRONMENTS_READS]) expect(fields.parsed.has(path), path).toBe(true);
  });
});
