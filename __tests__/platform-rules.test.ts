/**
 * Rules over every environment and every release the platform synthesizes: a new environment or
 * add-on is covered without a new test, and no environment's current values are restated.
 */
import { describe, expect, it } from "vitest";
import { at, CHART_COMPONENTS, releasesOf } from "./support/releases";
import { environments } from "../environments";
import { platform, synth } from "./support/platform";

// Parameterised by the environment inputs; the platform is built inside the tests, so a broken
// environment fails the named tests instead of crashing the file.
const envs = environments;
const validated = (name: string) => platform().envs.find((e) => e.name === name)!;
const addonsOf = (name: string) => synth(platform().stacks.environments[name]!.addons);

describe("every environment", () => {
  it.each(envs.map((e) => [e.name] as const))("%s: prod runs in at least 3 AZs, every environment in at least 2", (name) => {
    const env = validated(name);
    expect(env.availabilityZones.length).toBeGreaterThanOrEqual(env.stage === "prod" ? 3 : 2);
  });

  it.each(envs.map((e) => [e.name, e] as const))("%s: every release's chart is described (components, replicas)", (name) => {
    const unknown = releasesOf(addonsOf(name)).filter((r) => CHART_COMPONENTS[r.chart] === undefined && !r.chart.startsWith("./assets/"));
    expect(unknown.map((r) => `${r.name} (${r.chart})`)).toEqual([]);
  });

  it.each(envs.filter((e) => e.stage === "prod").map((e) => [e.name] as const))("%s (prod): every HA component runs at least 2 replicas", (name) => {
    const single = releasesOf(addonsOf(name)).flatMap((r) =>
      (CHART_COMPONENTS[r.chart] ?? [])
        .filter((c) => c.ha && c.replicas !== undefined)
        .filter((c) => !(Number(at(r.values, c.replicas!)) >= 2))
        .map((c) => `${r.chart}/${c.name}: ${String(at(r.values, c.replicas!))}`),
    );
    expect(single).toEqual([]);
  });

  it("every component with a replica count is either HA or says why one replica is enough", () => {
    for (const [chart, components] of Object.entries(CHART_COMPONENTS)) {
      for (const c of components.filter((c) => c.replicas !== undefined)) {
        expect(c.ha === true || (c.single ?? "").length > 20, `${chart}/${c.name}`).toBe(true);
      }
    }
  });
});

/** Actions that only read: AWS's Describe/List/Get families and the like. */
const READ_ONLY_ACTION = /^[a-z0-9-]+:(Describe|List|Get|BatchGet|Search|Lookup|View|Query|Head)[A-Za-z0-9]*$/;

/**
 * Where an allow on `Resource: "*"` may carry more than read actions, and why. Each exception names
 * the policies it covers (by Terraform address) and what it demands of the statement.
 */
const RESOURCE_STAR_EXCEPTIONS: readonly { readonly policies: RegExp; readonly conditioned: boolean; readonly reason: string; readonly actions?: ReadonlySet<string> }[] = [
  {
    policies: /^aws_iam_policy\.permissions-boundary/,
    conditioned: false,
    reason: "a permissions boundary caps what a role may be granted and grants nothing itself (its denies do the work)",
  },
  {
    policies: /^aws_iam_(role_)?policy\.github-actions_deploy-/,
    conditioned: true,
    reason:
      "create calls of the deploy roles have no ARN before the resource exists (EC2, KMS CreateKey, log deliveries); each such statement is held to the environment's region or request tags by its Condition and by the permissions boundary",
  },
  {
    policies: /aws-load-balancer-controller/,
    conditioned: false,
    reason:
      "the AWS Load Balancer Controller's published policy (docs/install/iam_policy.json), kept verbatim and compared with the upstream document in upstream-iam-policies.test.ts; mutating calls on resources it creates are scoped by elbv2.k8s.aws/cluster tag conditions upstream",
  },
];

function allStacks() {
  const { stacks } = platform();
  return [...stacks.bootstrap, ...Object.values(stacks.environments).flatMap((e) => [e.network, e.cluster, e.addons])];
}

/** Allow statements of every identity policy (inline, managed, role inline_policy) of a stack. */
function identityStatements(stack: ReturnType<typeof synth>): { address: string; statement: any }[] {
  const docs: { address: string; policy: unknown }[] = [];
  for (const type of ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"]) {
    for (const [name, r] of Object.entries(stack.resource?.[type] ?? {})) docs.push({ address: `${type}.${name}`, policy: r.policy });
  }
  for (const [name, r] of Object.entries(stack.resource?.["aws_iam_role"] ?? {})) {
    for (const inline of (r.inline_policy as { policy: unknown }[] | undefined) ?? []) docs.push({ address: `aws_iam_role.${name}`, policy: inline.policy });
  }
  return docs.flatMap(({ address, policy }) => {
    const doc = typeof policy === "string" ? JSON.parse(policy) : policy;
    const statements = Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement];
    return statements.filter((s: any) => s?.Effect === "Allow").map((statement: any) => ({ address, statement }));
  });
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

describe("IAM over every synthesized stack", () => {
  it("every policy document is literal JSON (so these rules can read it)", () => {
    const notLiteral = allStacks().flatMap((s) =>
      identityStatements(synth(s)).filter(({ statement }) => statement === undefined).map(({ address }) => `${s.node.id}: ${address}`),
    );
    expect(notLiteral).toEqual([]);
  });

  it("every statement with Resource \"*\" allows only read actions, or is a documented exception that holds", () => {
    const offending = allStacks().flatMap((s) =>
      identityStatements(synth(s))
        .filter(({ statement }) => list(statement.Resource).includes("*"))
        .flatMap(({ address, statement }) => {
          const writes = list(statement.Action).filter((a) => !READ_ONLY_ACTION.test(a));
          if (writes.length === 0) return [];
          const exception = RESOURCE_STAR_EXCEPTIONS.find((e) => e.policies.test(address));
          if (exception && (!exception.conditioned || statement.Condition !== undefined)) return [];
          return [`${s.node.id}: ${address} ${statement.Sid ?? ""} allows ${writes.join(", ")} on *${exception ? " without the Condition its exception demands" : ""}`];
        }),
    );
    expect(offending).toEqual([]);
  });

  it("every exception is still used (a stale one would hide a new grant)", () => {
    const addresses = allStacks().flatMap((s) =>
      identityStatements(synth(s))
        .filter(({ statement }) => list(statement.Resource).includes("*") && list(statement.Action).some((a) => !READ_ONLY_ACTION.test(a)))
        .map(({ address }) => address),
    );
    for (const e of RESOURCE_STAR_EXCEPTIONS) expect(addresses.some((a) => e.policies.test(a)), e.reason).toBe(true);
  });
});
