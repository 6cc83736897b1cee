/**
 * Least privilege of the CI roles and the permissions boundary (issue 12, items 1-5), asserted on
 * the synthesized JSON of the real platform and on the policy data: KMS tag-on-create, the boundary
 * on every role and on every role write of the deploy roles, one deploy role per environment, no
 * pull-request trust in a prod account, plan roles without Secrets or lock writes.
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { karpenterControllerPolicy } from "../addons/karpenter/iam-policy";
import { GITHUB_REPOSITORY } from "../environments/github";
import { BOUNDED_ROLE_WRITES, ciRoleNames, DeployScope, deployGuardStatements, deployPolicyStatements, UNBOUNDED_ROLE_WRITES } from "../modules/github/ci-policies";
import {
  BoundaryStatement,
  permissionsBoundaryArn,
  permissionsBoundaryName,
  permissionsBoundaryStatements,
  requirePermissionsBoundary,
} from "../modules/iam/permissions-boundary";
import { awsScope } from "../modules/irsa/policy-document";
import { ENVIRONMENT_TAG_KEY } from "../stacks/bootstrap-stack";
import { environmentTags } from "../stacks/environment-stack";
import { LAYERS, PLATFORM } from "../stacks/naming";
import { environments as platformEnvironments } from "../environments";
import { validatePlatform } from "../environments/validate";
import { extraEnvironment, unusedName } from "./support/environments";
import { platform, resources, synth, SynthesizedStack } from "./support/platform";

const { envs, stacks } = platform();
const layerStacks = Object.values(stacks.environments).flatMap((e) => [e.network, e.cluster, e.addons]);
const bootstrapOf = (accountAlias: string) => stacks.bootstrap.find((b) => b.accountAlias === accountAlias)!;

/** The roles of a synthesized stack by name. */
const rolesByName = (json: SynthesizedStack) =>
  Object.fromEntries(Object.entries(resources(json, "aws_iam_role")).map(([address, r]: [string, any]) => [r.name as string, { address, ...r }]));

/** Every statement of a role's inline policies and of the customer managed policies attached to it. */
function roleStatements(json: SynthesizedStack, roleName: string): any[] {
  const { address } = rolesByName(json)[roleName]!;
  const inline = (Object.values(resources(json, "aws_iam_role_policy")) as any[]).filter((p) => p.role.includes(`aws_iam_role.${address}.`));
  const managedAddresses = (Object.values(resources(json, "aws_iam_role_policy_attachment")) as any[])
    .filter((a) => a.role.includes(`aws_iam_role.${address}.`))
    .map((a) => /^\$\{aws_iam_policy\.([\w-]+)\.arn\}$/.exec(a.policy_arn)?.[1])
    .filter((a): a is string => a !== undefined);
  const managed = managedAddresses.map((a) => resources(json, "aws_iam_policy")[a]);
  return [...inline, ...managed].flatMap((p) => JSON.parse(p.policy).Statement);
}

const deployScope = (env: (typeof envs)[number]): DeployScope => ({
  ...awsScope(env.region, env.account.id),
  namePrefix: PLATFORM,
  managedByTag: { key: "ManagedBy", value: `cdktf/${PLATFORM}` },
  environment: env.name,
  environmentTagKey: ENVIRONMENT_TAG_KEY,
  permissionsBoundaryArn: permissionsBoundaryArn(awsScope(env.region, env.account.id), PLATFORM),
});

/** IAM's wildcard match (`*` any run, `?` one character); actions compare case-insensitively. */
function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(`^${pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&"))).join("")}$`, ignoreCase ? "i" : "");
  return re.test(value);
}

/** Whether a (condition-free) policy lets `action` on `resource` through: an Allow matches and no Deny does. */
function permits(statements: readonly BoundaryStatement[], action: string, resource: string): boolean {
  const applies = (s: BoundaryStatement) =>
    s.Action.some((a) => wildcard(a, action, true)) &&
    ("NotResource" in s ? !s.NotResource.some((r) => wildcard(r, resource)) : s.Resource.some((r) => wildcard(r, resource)));
  return statements.some((s) => s.Effect === "Allow" && applies(s)) && !statements.some((s) => s.Effect === "Deny" && applies(s));
}

describe("the permissions boundary", () => {
  const env = envs[0]!;
  const scope = awsScope(env.region, env.account.id);
  const boundary = permissionsBoundaryStatements(scope, PLATFORM);
  const iam = (resource: string) => `arn:aws:iam::${env.account.id}:${resource}`;

  it("lets Karpenter's published controller policy through, instance profiles and passing its node role included", () => {
    const nodeRoleArn = iam(`role/${PLATFORM}-${env.name}-karpenter-node`);
    const statements = karpenterControllerPolicy({
      scope,
      clusterName: `${PLATFORM}-${env.name}`,
      clusterArn: `arn:aws:eks:${env.region}:${env.account.id}:cluster/${PLATFORM}-${env.name}`,
      nodeRoleArn,
      interruptionQueueArn: `arn:aws:sqs:${env.region}:${env.account.id}:${PLATFORM}-${env.name}-karpenter-interruption`,
    });
    const iamActions = statements.flatMap((s) => s.Action.filter((a) => a.startsWith("iam:")).map((a) => [a, s.Resource] as const));
    expect(iamActions.map(([a]) => a)).toEqual(expect.arrayContaining(["iam:PassRole", "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:DeleteInstanceProfile"]));
    for (const s of statements) {
      for (const action of s.Action) {
        for (const resource of s.Resource) expect(permits(boundary, action, resource), `${action} on ${resource}`).toBe(true);
      }
    }
  });

  it("lets the Elastic Load Balancing service-linked role be created (load balancer controller, AmazonEKSClusterPolicy)", () => {
    const slr = iam("role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing");
    expect(permits(boundary, "iam:CreateServiceLinkedRole", slr)).toBe(true);
  });

  it.each([
    ["iam:CreateRole", `role/${PLATFORM}-${"x"}-escalate`],
    ["iam:PutRolePolicy", `role/${PLATFORM}-x-karpenter`],
    ["iam:AttachRolePolicy", `role/${PLATFORM}-x-karpenter`],
    ["iam:UpdateAssumeRolePolicy", `role/${PLATFORM}-x-karpenter`],
    ["iam:DeleteRolePermissionsBoundary", `role/${PLATFORM}-x-karpenter`],
    ["iam:PutRolePermissionsBoundary", `role/${PLATFORM}-x-karpenter`],
    ["iam:CreatePolicyVersion", `policy/${PLATFORM}-permissions-boundary`],
    ["iam:SetDefaultPolicyVersion", `policy/${PLATFORM}-permissions-boundary`],
    ["iam:DeletePolicy", `policy/${PLATFORM}-permissions-boundary`],
    ["iam:CreatePolicy", "policy/anything"],
    ["iam:CreateUser", "user/anyone"],
    ["iam:CreateAccessKey", "user/anyone"],
    ["iam:CreateOpenIDConnectProvider", "oidc-provider/example.com"],
    ["iam:PassRole", `role/${PLATFORM}-github-deploy-x`],
    ["iam:PassRole", `role/${PLATFORM}-x-karpenter`],
  ])("denies %s on %s", (action, resource) => {
    expect(permits(boundary, action, iam(resource))).toBe(false);
  });

  it("allows passing a node role and reading IAM; denies Organizations and account changes", () => {
    expect(permits(boundary, "iam:PassRole", iam(`role/${PLATFORM}-x-node`))).toBe(true);
    expect(permits(boundary, "iam:GetRole", iam(`role/${PLATFORM}-x-karpenter`))).toBe(true);
    expect(permits(boundary, "organizations:LeaveOrganization", "*")).toBe(false);
    expect(permits(boundary, "account:PutAlternateContact", "*")).toBe(false);
  });

  it.each(stacks.bootstrap.map((b) => [b.node.id, b] as const))("%s creates the account's boundary policy under the name the stacks use", (_id, stack) => {
    const policies = Object.values(resources(synth(stack), "aws_iam_policy")) as any[];
    const boundaryPolicy = policies.find((p) => p.name === permissionsBoundaryName(PLATFORM));
    expect(boundaryPolicy).toBeDefined();
    const account = envs.find((e) => e.account.alias === stack.accountAlias)!;
    expect(JSON.parse(boundaryPolicy.policy).Statement).toEqual(permissionsBoundaryStatements(awsScope(account.region, account.account.id), PLATFORM));
  });

  it.each(layerStacks.map((s) => [s.node.id, s] as const))("%s: every IAM role has the account's boundary", (_id, stack) => {
    const roles = Object.values(resources(synth(stack), "aws_iam_role")) as any[];
    for (const role of roles) expect(role.permissions_boundary, role.name).toBe(permissionsBoundaryArn(stack.scope, PLATFORM));
  });

  it("is required on a stack's roles by the aspect, which refuses a role with another boundary", () => {
    const arn = "arn:aws:iam::111122223333:policy/boundary";
    const stack = new TerraformStack(Testing.app(), "boundary-test");
    new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
    new IamRole(stack, "plain", { name: "plain", assumeRolePolicy: "{}" });
    new IamRole(stack, "same", { name: "same", assumeRolePolicy: "{}", permissionsBoundary: arn });
    requirePermissionsBoundary(stack, arn);
    const roles = JSON.parse(Testing.synth(stack, true)).resource.aws_iam_role;
    expect(Object.values(roles).map((r: any) => r.permissions_boundary)).toEqual([arn, arn]);

    const other = new TerraformStack(Testing.app(), "boundary-test");
    new AwsProvider(other, "aws", { region: "ap-northeast-2" });
    new IamRole(other, "other", { name: "other", assumeRolePolicy: "{}", permissionsBoundary: "arn:aws:iam::111122223333:policy/other" });
    requirePermissionsBoundary(other, arn);
    expect(() => Testing.synth(other, true)).toThrow(/permissions boundary arn:aws:iam::111122223333:policy\/other/);
  });
});

describe("one deploy role per environment", () => {
  it.each(envs.map((e) => [e.name, e] as const))("%s: its deploy role writes its own state prefix and resource names only", (_name, env) => {
    const json = synth(bootstrapOf(env.account.alias));
    const roleName = ciRoleNames(PLATFORM).deploy(env.name);
    const statements = roleStatements(json, roleName);
    const text = JSON.stringify(statements);
    for (const other of envs.filter((e) => e.name !== env.name)) {
      expect(text, other.name).not.toContain(`${PLATFORM}-${other.name}`);
      expect(text, other.name).not.toMatch(new RegExp(`tfstate-\\d+/${other.name}/`));
    }
    const stateWrites = statements.filter((s) => s.Effect === "Allow" && s.Action.includes("s3:PutObject"));
    expect(stateWrites.flatMap((s) => s.Resource)).toEqual([`arn:aws:s3:::${PLATFORM}-tfstate-${env.account.id}/${env.name}/*`]);
    // Every named resource it may write carries the environment's name.
    const named = statements
      .filter((s) => s.Effect === "Allow")
      .flatMap((s) => s.Resource as string[])
      .filter((r) => new RegExp(`:(role|cluster|nodegroup|addon|access-entry|identityproviderconfig|alias|log-group|db|pg|subgrp|snapshot|domain|rule)[:/]\\*?${PLATFORM}-`).test(r) || /^arn:aws:s3:::eks-idp-(?!tfstate)/.test(r) || /:sqs:/.test(r));
    expect(named.length).toBeGreaterThan(0);
    for (const r of named) expect(r, r).toMatch(new RegExp(`${PLATFORM}-${env.name}([-/:]|$)`));
  });

  it.each(envs.map((e) => [e.name, e] as const))("%s: its deploy role is trusted by its GitHub environment only", (_name, env) => {
    const role = rolesByName(synth(bootstrapOf(env.account.alias)))[ciRoleNames(PLATFORM).deploy(env.name)]!;
    const [statement] = JSON.parse(role.assume_role_policy).Statement;
    expect(statement.Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(`repo:${GITHUB_REPOSITORY}:environment:${env.name}`);
  });

  describe("environment names of one account never extend each other (a deploy role writes <prefix>-<env>-*)", () => {
    const nonprod = envs.find((e) => e.stage === "nonprod")!;
    const issues = (inputs: readonly unknown[]) => {
      try {
        validatePlatform(inputs);
        return "";
      } catch (e) {
        return String(e);
      }
    };
    it.each([
      ["after", (extra: unknown) => [...platformEnvironments, extra]],
      ["before", (extra: unknown) => [extra, ...platformEnvironments]],
    ])("refuses <env>-<suffix> in the same account (listed %s)", (_where, order) => {
      const name = unusedName(`${nonprod.name}-eu`);
      expect(issues(order(extraEnvironment({ name })))).toContain(`starts with ${nonprod.name}- in the same account`);
    });
    it("accepts <env><suffix> without the separator", () => {
      const name = unusedName(`${nonprod.name}eu`);
      expect(issues([...platformEnvironments, extraEnvironment({ name })])).not.toContain("in the same account:");
    });
  });

  it("the environment tag the KMS statements match on is the one every environment stack sets", () => {
    for (const env of envs) for (const layer of LAYERS) expect(environmentTags(env, layer)[ENVIRONMENT_TAG_KEY]).toBe(env.name);
  });
});

describe("KMS tag-on-create", () => {
  it.each(envs.map((e) => [e.name, e] as const))("%s: CreateKey and TagResource on * with the platform's request tags and the region", (_name, env) => {
    const statements = roleStatements(synth(bootstrapOf(env.account.alias)), ciRoleNames(PLATFORM).deploy(env.name));
    const create = statements.find((s) => s.Effect === "Allow" && s.Action.includes("kms:CreateKey"));
    expect(create.Action.sort()).toEqual(["kms:CreateKey", "kms:TagResource"]);
    expect(create.Resource).toEqual(["*"]);
    expect(create.Condition).toEqual({
      StringEquals: {
        "aws:RequestTag/ManagedBy": `cdktf/${PLATFORM}`,
        [`aws:RequestTag/${ENVIRONMENT_TAG_KEY}`]: env.name,
        "aws:RequestedRegion": env.region,
      },
    });
    // Changes of existing keys stay limited to the environment's own keys.
    const manage = statements.find((s) => s.Effect === "Allow" && s.Action.includes("kms:PutKeyPolicy"));
    expect(manage.Action).toContain("kms:TagResource");
    expect(manage.Condition).toEqual({ StringEquals: { "aws:ResourceTag/ManagedBy": `cdktf/${PLATFORM}`, [`aws:ResourceTag/${ENVIRONMENT_TAG_KEY}`]: env.name } });
  });

  it("a deploy role may not re-tag a key of another environment (denied when the key's Environment tag is set and differs)", () => {
    const guard = deployGuardStatements(deployScope(envs[0]!), { bucketName: "b", keyArn: "k", keyAliasArn: "a" }).find(
      (s) => s.Sid === "DenyRetaggingOtherEnvironmentsKeys",
    )!;
    expect(guard.Effect).toBe("Deny");
    expect(guard.Condition).toEqual({
      StringNotEquals: { [`aws:ResourceTag/${ENVIRONMENT_TAG_KEY}`]: envs[0]!.name },
      Null: { [`aws:ResourceTag/${ENVIRONMENT_TAG_KEY}`]: "false" },
    });
  });
});

describe("role writes of the deploy roles require the boundary", () => {
  it.each(envs.map((e) => [e.name, e] as const))("%s: every Allow of a boundary-keyed role write names the boundary; removing or changing it is denied", (_name, env) => {
    const scope = deployScope(env);
    const statements = roleStatements(synth(bootstrapOf(env.account.alias)), ciRoleNames(PLATFORM).deploy(env.name));
    const allows = statements.filter((s) => s.Effect === "Allow");
    for (const action of [...BOUNDED_ROLE_WRITES, "iam:AttachRolePolicy"]) {
      const granting = allows.filter((s) => s.Action.includes(action));
      expect(granting.length, action).toBeGreaterThan(0);
      for (const s of granting) expect(s.Condition?.StringEquals?.["iam:PermissionsBoundary"], action).toBe(scope.permissionsBoundaryArn);
    }
    // IAM evaluates no iam:PermissionsBoundary for these: they stay limited to the environment's role names.
    for (const action of UNBOUNDED_ROLE_WRITES) {
      for (const s of allows.filter((x) => x.Action.includes(action))) expect(s.Resource).toEqual([`arn:aws:iam::${env.account.id}:role/${PLATFORM}-${env.name}-*`]);
    }
    const denies = statements.filter((s) => s.Effect === "Deny");
    expect(denies.find((s) => s.Action.includes("iam:DeleteRolePermissionsBoundary") && s.Resource.includes("*"))).toBeDefined();
    const boundaryGuard = denies.find((s) => s.Resource.includes(scope.permissionsBoundaryArn));
    expect(boundaryGuard.Action).toEqual(expect.arrayContaining(["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"]));
    const ciGuard = denies.find((s) => s.Resource.includes(`arn:aws:iam::${env.account.id}:role/${PLATFORM}-github-*`));
    expect(ciGuard.Action).toEqual(expect.arrayContaining([...BOUNDED_ROLE_WRITES, ...UNBOUNDED_ROLE_WRITES, "iam:AttachRolePolicy", "iam:PassRole"]));
  });

  it("no deploy policy allows an IAM write outside the listed role, OIDC-provider and service-linked-role statements", () => {
    const all = Object.values(deployPolicyStatements(deployScope(envs[0]!))).flat();
    const iamWrites = all.filter((s) => s.Effect === "Allow" && s.Action.some((a) => a.startsWith("iam:")));
    expect(iamWrites.map((s) => s.Sid).sort()).toEqual(
      ["AttachOnlyPlatformManagedPolicies", "ClusterOidcProviders", "PassPlatformRoles", "ServiceLinkedRoles", "WriteRolesNoBoundaryKey", "WriteRolesWithBoundary"].sort(),
    );
  });
});

describe("plan roles", () => {
  it.each(stacks.bootstrap.map((b) => [b.node.id, b] as const))("%s: no pull_request trust where the account holds a prod environment", (_id, stack) => {
    const prod = envs.some((e) => e.account.alias === stack.accountAlias && e.stage === "prod");
    const role = rolesByName(synth(stack))[ciRoleNames(PLATFORM).plan]!;
    const subs = [JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]].flat();
    expect(subs.some((s: string) => s.endsWith(":pull_request")), stack.node.id).toBe(!prod);
    // Besides its <env>-plan environments, only pushes to main (the deploy workflow's plans of merged code).
    if (prod) for (const s of subs) expect(s).toMatch(/:(environment:[a-z0-9-]+-plan|ref:refs\/heads\/main)$/);
    expect(role.permissions_boundary).toMatch(/^\$\{aws_iam_policy\.[\w-]+\.arn\}$/);
  });

  it("no CI plan role reads Secrets: every cluster-wide viewer gets AmazonEKSViewPolicy, none AmazonEKSAdminViewPolicy", () => {
    for (const { cluster } of Object.values(stacks.environments)) {
      const json = synth(cluster);
      const env = cluster.env;
      const planArn = `arn:aws:iam::${env.account.id}:role/${ciRoleNames(PLATFORM).plan}`;
      const entries = Object.entries(resources(json, "aws_eks_access_entry")) as [string, any][];
      const planEntries = entries.filter(([, e]) => e.principal_arn === planArn).map(([address]) => address);
      const associations = (Object.values(resources(json, "aws_eks_access_policy_association")) as any[]).filter((a) =>
        planEntries.some((address) => a.principal_arn.includes(`aws_eks_access_entry.${address}.`) || a.principal_arn === planArn),
      );
      for (const a of associations) expect(a.policy_arn, env.name).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
      expect((Object.values(resources(json, "aws_eks_access_policy_association")) as any[]).some((a) => a.policy_arn.endsWith("/AmazonEKSAdminViewPolicy"))).toBe(false);
    }
  });
});
