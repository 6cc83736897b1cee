import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import type { EnvironmentInput } from "../environments/schema";
import { ConfigValidationError, validatePlatform } from "../environments/validate";
import { partitionOf } from "../modules/irsa/policy-document";
import { IAM_ROLE_NAME_MAX, workloadRoleName } from "../modules/tenancy/workload-roles";
import { parse } from "yaml";
import { applicationSet } from "../addons/argo-cd/gitops";
import { workloadRoleArnsByTeam } from "../stacks/addons/gitops";
import { buildPlatform } from "../stacks/platform";
import { extraEnvironment, unusedName } from "./support/environments";
import { resources, synth } from "./support/platform";

const TEAM = "wlteam";
const NAMESPACE = "wlteam-apps";

/** A test environment with one team (namespace `NAMESPACE`) whose workload role `orders` has `statements`. */
function environmentWith(statements: unknown, role: Record<string, unknown> = {}): EnvironmentInput {
  const env = extraEnvironment({ name: unusedName("wlr") }) as any;
  const prefix = `arn:${partitionOf(env.region)}`;
  env.cluster.access.teams = {
    ...env.cluster.access.teams,
    [TEAM]: {
      roleArn: `${prefix}:iam::${env.account.id}:role/${TEAM}-developers`,
      namespaces: [NAMESPACE],
      workloadRoles: { orders: { namespace: NAMESPACE, serviceAccount: "orders", statements, ...role } },
    },
    other: { roleArn: `${prefix}:iam::${env.account.id}:role/other-developers`, namespaces: ["other-apps"] },
  };
  return env;
}

/** The team's own queue and bucket in `env`. */
function ownResources(env: any) {
  const partition = partitionOf(env.region);
  return {
    queue: `arn:${partition}:sqs:${env.region}:${env.account.id}:eks-idp-${env.name}-team-${TEAM}-orders`,
    objects: `arn:${partition}:s3:::eks-idp-${env.name}-team-${TEAM}-data/*`,
    table: `arn:${partition}:dynamodb:${env.region}:${env.account.id}:table/eks-idp-${env.name}-team-${TEAM}-*`,
  };
}

/** The problems validation reports on the workload role, as `[path after the role, received]`. */
function problems(env: EnvironmentInput): [string, unknown][] {
  try {
    validatePlatform([...environments, env]);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigValidationError)) throw e;
    const at = `${env.name}.cluster.access.teams.${TEAM}.workloadRoles.orders`;
    return e.issues.filter((i) => i.path.startsWith(at)).map((i) => [i.path.slice(at.length), i.received]);
  }
}

describe("team workload roles: validation", () => {
  const base = environmentWith([]) as any;
  const own = ownResources(base);

  it("accepts the team's own queue, bucket objects and tables", () => {
    const env = environmentWith([{ actions: ["sqs:SendMessage", "s3:GetObject", "dynamodb:Query"], resources: [own.queue, own.objects, own.table] }]);
    expect(problems(env)).toEqual([]);
  });

  it("refuses a namespace that is not the team's", () => {
    const env = environmentWith([{ actions: ["sqs:SendMessage"], resources: [own.queue] }], { namespace: "other-apps" });
    expect(problems(env)).toEqual([[".namespace", "other-apps"]]);
  });

  it("refuses '*' alone and IAM, STS and Organizations actions, and accepts a service wildcard", () => {
    const actions = ["*", "iam:PassRole", "sts:AssumeRole", "organizations:ListAccounts", "sqs:*", "sqs"];
    const env = environmentWith([{ actions, resources: [own.queue] }]);
    expect(problems(env)).toEqual([0, 1, 2, 3, 5].map((j) => [`.statements.0.actions.${j}`, actions[j]]));
  });

  it("refuses '*', another account, region or partition, another team's prefix and a name before the prefix", () => {
    const env: any = environmentWith([]);
    const partition = partitionOf(env.region);
    const foreignAccount = env.account.id === "111111111111" ? "222222222222" : "111111111111";
    const resources = [
      "*",
      own.queue.replace(`:${env.account.id}:`, `:${foreignAccount}:`),
      own.queue.replace(`:${env.region}:`, ":ap-south-2:"),
      own.queue.replace(`arn:${partition}:`, `arn:${partition === "aws" ? "aws-cn" : "aws"}:`),
      own.queue.replace(`-${TEAM}-`, "-other-"),
      `arn:${partition}:s3:::eks-idp-${env.name}-team-other-data/*`,
      `arn:${partition}:s3:::x-eks-idp-${env.name}-team-${TEAM}-data`,
      `arn:${partition}:s3:::*`,
      // A platform resource whose component has the team's name (no `team-` infix).
      own.queue.replace(`-team-${TEAM}-`, `-${TEAM}-`),
    ];
    env.cluster.access.teams[TEAM].workloadRoles.orders.statements = [{ actions: ["sqs:SendMessage"], resources }];
    expect(problems(env)).toEqual(resources.map((r, j) => [`.statements.0.resources.${j}`, r]));
  });

  it("refuses a name that starts with the longer prefix of another team", () => {
    const env: any = environmentWith([{ actions: ["sqs:SendMessage"], resources: [own.queue.replace(`-${TEAM}-`, `-${TEAM}-ops-`)] }]);
    env.cluster.access.teams[`${TEAM}-ops`] = { roleArn: env.cluster.access.teams.other.roleArn.replace("other", "ops"), namespaces: ["wlteam-ops"] };
    expect(problems(env).map(([path]) => path)).toEqual([".statements.0.resources.0"]);
  });

  it("refuses a role name over IAM's limit, at the limit", () => {
    const env: any = environmentWith([{ actions: ["sqs:SendMessage"], resources: [own.queue] }]);
    const fixed = workloadRoleName(`eks-idp-${env.name}`, TEAM, "").length;
    const fits = "r".repeat(IAM_ROLE_NAME_MAX - fixed);
    const orders = env.cluster.access.teams[TEAM].workloadRoles.orders;
    env.cluster.access.teams[TEAM].workloadRoles = { [fits]: orders, [`${fits}x`]: orders, orders };
    const at = `${env.name}.cluster.access.teams.${TEAM}.workloadRoles.`;
    let paths: string[] = [];
    try {
      validatePlatform([...environments, env]);
    } catch (e) {
      paths = (e as ConfigValidationError).issues.filter((i) => i.path.startsWith(at)).map((i) => i.path.slice(at.length));
    }
    expect(paths).toEqual([`${fits}x`]);
  });
});

describe("team workload roles: synthesized", () => {
  const input = environmentWith([]) as any;
  const own = ownResources(input);
  input.cluster.access.teams[TEAM].workloadRoles.orders.statements = [{ actions: ["sqs:SendMessage"], resources: [own.queue] }];
  const json = synth(buildPlatform(Testing.app(), validatePlatform([...environments, input]), [input.name]).environments[input.name]!.addons);
  const roles = Object.values(resources(json, "aws_iam_role")).filter((r: any) => r.name === workloadRoleName(`eks-idp-${input.name}`, TEAM, "orders"));

  it("is one role trusting exactly the service account, with the STS audience", () => {
    expect(roles).toHaveLength(1);
    // The issuer is a Terraform expression, so the trust is read as text.
    const trust = String((roles[0] as any).assume_role_policy);
    expect(trust.match(/"Action":\[[^\]]*\]/g)).toEqual(['"Action":["sts:AssumeRoleWithWebIdentity"]']);
    expect(trust.match(/:sub":"[^"]*"/g)).toEqual([`:sub":"system:serviceaccount:${NAMESPACE}:orders"`]);
    expect(trust.match(/:aud":"[^"]*"/g)).toEqual([':aud":"sts.amazonaws.com"']);
    expect(trust).not.toMatch(/StringLike|ForAnyValue/);
  });

  it("carries the permissions boundary and exactly the configured statements, and outputs its ARN", () => {
    expect((roles[0] as any).permissions_boundary).toMatch(/policy\/eks-idp/);
    const policies = Object.values(resources(json, "aws_iam_role_policy")).filter((p: any) => String(p.role).includes("team-workload-roles_wlteam_orders"));
    expect(policies).toHaveLength(1);
    expect(JSON.parse((policies[0] as any).policy).Statement).toEqual([{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [own.queue] }]);
    expect(json.output?.[`team_${TEAM}_orders_role_arn`]?.value).toMatch(/aws_iam_role\..*team-workload-roles_wlteam_orders.*\.arn/);
  });

  it("passes its ARN to the team's charts (ApplicationSet values platform.roleArns), and no team gets another team's roles", () => {
    const release = Object.values(resources(json, "helm_release")).find((r: any) => r.name === "argocd-resources") as any;
    const sets = (parse(release.values[0]).resources as any[]).filter((o) => o.kind === "ApplicationSet");
    const platformValues = (name: string) => sets.find((o) => o.metadata.name === name)!.spec.template.spec.source.helm.valuesObject.platform;
    expect(platformValues(TEAM).roleArns).toEqual({ orders: json.output?.[`team_${TEAM}_orders_role_arn`]?.value });
    expect(platformValues("other")).not.toHaveProperty("roleArns");
  });
});

describe("team workload roles in the GitOps bridge (pure)", () => {
  it("groups the roles' ARNs by team and role name", () => {
    const roles = { "a/x": { roleArn: "arn:x" }, "b/z": { roleArn: "arn:z" }, "a/y": { roleArn: "arn:y" } } as any;
    expect(workloadRoleArnsByTeam({ roles })).toEqual({ a: { x: "arn:x", y: "arn:y" }, b: { z: "arn:z" } });
    expect(workloadRoleArnsByTeam({ roles: {} })).toEqual({});
  });

  it("adds platform.roleArns (sorted) to the team's ApplicationSet values only when the team has roles", () => {
    const team = { name: "t", namespaces: ["t"], groups: ["g"], repositories: [{ name: "app", url: "https://git.example.com/t.git", namespace: "t" }] };
    const values = (t: object) => (applicationSet(t as any, "e") as any).spec.template.spec.source.helm.valuesObject.platform;
    expect(Object.keys(values({ ...team, roleArns: { z: "arn:z", a: "arn:a" } }).roleArns)).toEqual(["a", "z"]);
    expect(values({ ...team, roleArns: { z: "arn:z" } }).roleArns).toEqual({ z: "arn:z" });
    expect(values(team)).not.toHaveProperty("roleArns");
    expect(values({ ...team, roleArns: {} })).not.toHaveProperty("roleArns");
  });
});
