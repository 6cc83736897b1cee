/**
 * The CI roles' policies (modules/github/ci-policies.ts) and trusts (github-oidc.ts, planSubjects),
 * pure: every rule is checked by asking a small IAM evaluator whether one request is allowed, denied
 * or not allowed, with one thing wrong per case (another environment's name, no boundary, another
 * region, a missing tag…), so a failure names what broke. The scope uses a non-commercial
 * partition, a non-default name prefix and tag keys, so that anything left hard-coded shows up.
 */
import { describe, expect, it } from "vitest";
import {
  ATTACHABLE_AWS_MANAGED_POLICIES,
  BOUNDED_ROLE_WRITES,
  ciRoleNames,
  DeployScope,
  deployGuardStatements,
  deployPolicyStatements,
  deployStateStatements,
  environmentNames,
  PASS_ROLE_SERVICES,
  planStateStatements,
  SERVICE_LINKED_ROLE_SERVICES,
  StateLocation,
  UNBOUNDED_ROLE_WRITES,
} from "../../modules/github/ci-policies";
import { DEPLOY_BRANCH, planSubjects } from "../../modules/github/github-actions-roles";
import { environmentSubject, GITHUB_OIDC_HOST, githubTrustStatement, planEnvironmentName, pullRequestSubject } from "../../modules/github/github-oidc";
import { STS_AUDIENCE } from "../../modules/irsa/irsa-role";
import { policyDocument, type AwsScope, type PolicyStatement } from "../../modules/irsa/policy-document";
import { environments as platformEnvironments } from "../../environments";
import { CI_ROLE_NAME_SEGMENT, validatePlatform } from "../../environments/validate";
import { extraEnvironment } from "../support/environments";

const AWS: AwsScope = { partition: "aws-us-gov", region: "us-gov-west-1", accountId: "111122223333" };
const OTHER_REGION = "us-gov-east-1";
const PREFIX = "acme";
const MANAGED_BY = { key: "Owner", value: "cdktf/acme" };
const ENV_TAG = "Stage";
const BOUNDARY = `arn:${AWS.partition}:iam::${AWS.accountId}:policy/${PREFIX}-boundary`;
const scopeOf = (environment: string): DeployScope => ({
  ...AWS,
  namePrefix: PREFIX,
  managedByTag: MANAGED_BY,
  environment,
  environmentTagKey: ENV_TAG,
  permissionsBoundaryArn: BOUNDARY,
});
const ENV = "blue";
/** Another environment of the same account, whose name extends this one's. */
const OTHER = "blue2";
const STATE: StateLocation = {
  bucketName: `${PREFIX}-tfstate-${AWS.accountId}`,
  keyArn: `arn:${AWS.partition}:kms:${AWS.region}:${AWS.accountId}:key/11111111-2222-3333-4444-555555555555`,
  keyAliasArn: `arn:${AWS.partition}:kms:${AWS.region}:${AWS.accountId}:alias/${PREFIX}-tfstate`,
};

// ARNs of the scope's account.
const regional = (service: string, resource: string, region = AWS.region) => `arn:${AWS.partition}:${service}:${region}:${AWS.accountId}:${resource}`;
const iam = (resource: string) => `arn:${AWS.partition}:iam::${AWS.accountId}:${resource}`;
const s3 = (resource: string) => `arn:${AWS.partition}:s3:::${resource}`;
const KEY = regional("kms", "key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");

type Context = Readonly<Record<string, string>>;
type Decision = "allowed" | "denied" | "not allowed";

/** IAM's wildcard match: `*` any run of characters, `?` one. */
const matches = (pattern: string, value: string, ignoreCase = false) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ignoreCase ? "i" : "").test(value);

/** The condition operators these policies use, as IAM evaluates them for single-valued keys. */
const OPERATORS: Readonly<Record<string, (actual: string | undefined, expected: readonly string[]) => boolean>> = {
  StringEquals: (actual, expected) => actual !== undefined && expected.includes(actual),
  // A missing key makes a negated operator true.
  StringNotEquals: (actual, expected) => actual === undefined || !expected.includes(actual),
  ArnEquals: (actual, expected) => actual !== undefined && expected.some((e) => matches(e, actual)),
  Bool: (actual, [expected]) => actual === boolean(expected),
  Null: (actual, [expected]) => (actual === undefined) === (boolean(expected) === "true"),
};
/** The value of a Bool or Null condition: IAM takes `"true"` or `"false"` only. */
function boolean(value: string | undefined): string {
  if (value !== "true" && value !== "false") throw new Error(`a Bool or Null condition takes "true" or "false", got ${JSON.stringify(value)}`);
  return value;
}

function conditionHolds(condition: PolicyStatement["Condition"], context: Context): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => {
    const test = OPERATORS[operator];
    if (!test) throw new Error(`the evaluator does not know ${operator}: add it`);
    return Object.entries(keys).every(([key, value]) => test(context[key], typeof value === "string" ? [value] : value));
  });
}

/** Whether a request is allowed by the statements (an Allow applies, no Deny does). */
function decide(statements: readonly PolicyStatement[], action: string, resource: string, context: Context = {}): Decision {
  const applies = (s: PolicyStatement) =>
    s.Action.some((a) => matches(a, action, true)) && s.Resource.some((r) => matches(r, resource)) && conditionHolds(s.Condition, context);
  if (statements.some((s) => s.Effect === "Deny" && applies(s))) return "denied";
  return statements.some((s) => s.Effect === "Allow" && applies(s)) ? "allowed" : "not allowed";
}

/** Every statement of an environment's deploy role (state, guards, the three layers). */
const deployRole = (environment: string) => {
  const scope = scopeOf(environment);
  return [...deployStateStatements(scope, STATE), ...deployGuardStatements(scope, STATE), ...Object.values(deployPolicyStatements(scope)).flat()];
};
const planRole = () => planStateStatements(AWS, STATE);

const inRegion = { "aws:RequestedRegion": AWS.region };
const withBoundary = { "iam:PermissionsBoundary": BOUNDARY };
const envKey = (environment: string) => ({ [`aws:ResourceTag/${MANAGED_BY.key}`]: MANAGED_BY.value, [`aws:ResourceTag/${ENV_TAG}`]: environment });
const newKey = (environment: string) => ({ [`aws:RequestTag/${MANAGED_BY.key}`]: MANAGED_BY.value, [`aws:RequestTag/${ENV_TAG}`]: environment, ...inRegion });

interface Case {
  readonly action: string;
  readonly resource: string;
  readonly context?: Context;
  readonly expected: Decision;
}
const decisionOf = (c: Case) => decide(deployRole(ENV), c.action, c.resource, c.context);
const title = (c: Case) => `${c.action} on ${c.resource}${c.context ? ` with ${JSON.stringify(c.context)}` : ""}: ${c.expected}`;
const cases = (list: readonly Case[]) => list.map((c) => [title(c), c] as const);

describe("names", () => {
  it("CI roles are <prefix>-github-plan and <prefix>-github-deploy-<env>, all under <prefix>-github-*", () => {
    const names = ciRoleNames(PREFIX);
    expect([names.plan, names.deploy(ENV), names.all]).toEqual([`${PREFIX}-github-plan`, `${PREFIX}-github-deploy-${ENV}`, `${PREFIX}-github-*`]);
    expect(matches(names.all, names.plan) && matches(names.all, names.deploy(ENV))).toBe(true);
  });
  it("an environment's resources are <prefix>-<env> and <prefix>-<env>-*", () => {
    expect(environmentNames(scopeOf(ENV))).toEqual({ exact: `${PREFIX}-${ENV}`, prefixed: `${PREFIX}-${ENV}-*` });
  });
});

// Built inside each test: StrykerJS activates a mutant per test, so data built while the file is
// collected would never see one.
const documents = (environment = ENV): Readonly<Record<string, readonly PolicyStatement[]>> => ({
  plan: planRole(),
  "deploy state": deployStateStatements(scopeOf(environment), STATE),
  "deploy guards": deployGuardStatements(scopeOf(environment), STATE),
  ...Object.fromEntries(Object.entries(deployPolicyStatements(scopeOf(environment))).map(([layer, list]) => [`deploy ${layer}`, list])),
});
const DOCUMENTS = Object.keys(documents());

describe.each(DOCUMENTS)("every statement of the %s policy", (doc) => {
  /** The statements of the document that break a rule, by Sid. */
  const breaking = (rule: (s: PolicyStatement) => boolean) => documents()[doc]!.filter((s) => !rule(s)).map((s) => s.Sid);

  it("has a Sid, unique in the document", () => {
    const sids = documents()[doc]!.map((s) => s.Sid ?? "");
    expect(sids.filter((sid) => !/^[A-Za-z0-9]+$/.test(sid))).toEqual([]);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it("names its actions exactly (service:Action, no wildcard), each once, in order", () => {
    const actions = documents()[doc]!.flatMap((s) => s.Action.map((action) => `${s.Sid}: ${action}`));
    expect(actions.filter((a) => !/: [a-z0-9-]+:[A-Z][A-Za-z0-9]+$/.test(a))).toEqual([]);
    expect(breaking((s) => s.Action.length > 0 && new Set(s.Action).size === s.Action.length)).toEqual([]);
    expect(breaking((s) => s.Action.join() === [...s.Action].sort().join())).toEqual([]);
  });

  it("names at least one resource, each `*` or an ARN of the scope's partition", () => {
    expect(breaking((s) => s.Resource.length > 0 && s.Resource.every((r) => r === "*" || r.startsWith(`arn:${AWS.partition}:`)))).toEqual([]);
  });

  it("allows on `*` only under a condition", () => {
    expect(breaking((s) => s.Effect !== "Allow" || !s.Resource.includes("*") || Object.keys(s.Condition ?? {}).length > 0)).toEqual([]);
  });
});

it.each(Object.keys(deployPolicyStatements(scopeOf(ENV))))(
  "the deploy role's %s document fits a customer managed policy (6,144 characters, whitespace excluded) with a long environment name",
  (layer) => {
    const statements = deployPolicyStatements(scopeOf(`${ENV}-with-a-long-environment-name`)) as Record<string, PolicyStatement[]>;
    expect(JSON.stringify(policyDocument(statements[layer]!)).length).toBeLessThanOrEqual(6144);
  },
);

describe("the plan role reads the state and writes nothing", () => {
  const bucket = s3(STATE.bucketName);
  it.each([
    ["s3:ListBucket", bucket, "allowed"],
    ["s3:GetObject", `${bucket}/${ENV}/network.tfstate`, "allowed"],
    ["s3:GetObject", `${bucket}/${OTHER}/network.tfstate`, "allowed"],
    ["kms:Decrypt", STATE.keyArn, "allowed"],
    ["kms:DescribeKey", STATE.keyArn, "allowed"],
    ["s3:PutObject", `${bucket}/${ENV}/network.tfstate.tflock`, "not allowed"],
    ["s3:DeleteObject", `${bucket}/${ENV}/network.tfstate.tflock`, "not allowed"],
    ["s3:GetObject", s3(`${PREFIX}-${ENV}-velero/backup`), "not allowed"],
    ["kms:GenerateDataKey", STATE.keyArn, "not allowed"],
    ["kms:Encrypt", STATE.keyArn, "not allowed"],
    ["kms:Decrypt", KEY, "not allowed"],
  ] as const)("%s on %s: %s", (action, resource, expected) => {
    expect(decide(planRole(), action, resource)).toBe(expected);
  });
});

describe("a deploy role's state: its environment's keys only", () => {
  const bucket = s3(STATE.bucketName);
  it.each(
    cases([
      { action: "s3:ListBucket", resource: bucket, expected: "allowed" },
      ...["s3:GetObject", "s3:PutObject", "s3:DeleteObject"].map((action) => ({ action, resource: `${bucket}/${ENV}/cluster.tfstate.tflock`, expected: "allowed" as const })),
      { action: "s3:PutObject", resource: `${bucket}/${OTHER}/cluster.tfstate`, expected: "not allowed" },
      { action: "s3:GetObject", resource: `${bucket}/${OTHER}/cluster.tfstate`, expected: "not allowed" },
      { action: "s3:PutObject", resource: `${bucket}/${ENV}`, expected: "not allowed" },
      ...["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"].map((action) => ({ action, resource: STATE.keyArn, expected: "allowed" as const })),
    ]),
  )("%s", (_t, c) => expect(decisionOf(c)).toBe(c.expected));
});

describe("a deploy role writes roles of its environment, each with the account's boundary", () => {
  const own = iam(`role/${PREFIX}-${ENV}-karpenter`);
  const other = iam(`role/${PREFIX}-${OTHER}-karpenter`);
  const otherBoundary = { "iam:PermissionsBoundary": iam("policy/other") };
  it.each(
    cases([
      ...BOUNDED_ROLE_WRITES.flatMap((action) => [
        { action, resource: own, context: withBoundary, expected: "allowed" as const },
        { action, resource: own, expected: "not allowed" as const },
        { action, resource: own, context: otherBoundary, expected: "not allowed" as const },
        { action, resource: other, context: withBoundary, expected: "not allowed" as const },
      ]),
      ...UNBOUNDED_ROLE_WRITES.flatMap((action) => [
        { action, resource: own, expected: "allowed" as const },
        { action, resource: other, expected: "not allowed" as const },
        { action, resource: iam(`role/${PREFIX}-${ENV}`), expected: "not allowed" as const },
      ]),
      { action: "iam:DeleteRolePermissionsBoundary", resource: own, context: withBoundary, expected: "denied" },
      { action: "iam:CreateRole", resource: iam("role/admin"), context: withBoundary, expected: "not allowed" },
    ]),
  )("%s", (_t, c) => expect(decisionOf(c)).toBe(c.expected));

  const policy = (name: string, partition = AWS.partition) => ({ "iam:PolicyARN": `arn:${partition}:iam::aws:policy/${name}` });
  it.each(
    cases([
      ...ATTACHABLE_AWS_MANAGED_POLICIES.map((name) => ({ action: "iam:AttachRolePolicy", resource: own, context: { ...policy(name), ...withBoundary }, expected: "allowed" as const })),
      { action: "iam:AttachRolePolicy", resource: own, context: policy(ATTACHABLE_AWS_MANAGED_POLICIES[0]), expected: "not allowed" },
      { action: "iam:AttachRolePolicy", resource: own, context: { ...policy("AdministratorAccess"), ...withBoundary }, expected: "not allowed" },
      { action: "iam:AttachRolePolicy", resource: own, context: { ...policy(ATTACHABLE_AWS_MANAGED_POLICIES[0], "aws"), ...withBoundary }, expected: "not allowed" },
      { action: "iam:AttachRolePolicy", resource: other, context: { ...policy(ATTACHABLE_AWS_MANAGED_POLICIES[0]), ...withBoundary }, expected: "not allowed" },
    ]),
  )("%s", (_t, c) => expect(decisionOf(c)).toBe(c.expected));

  it.each(
    cases([
      ...PASS_ROLE_SERVICES.map((service) => ({ action: "iam:PassRole", resource: own, context: { "iam:PassedToService": service }, expected: "allowed" as const })),
      { action: "iam:PassRole", resource: own, context: { "iam:PassedToService": "ec2.amazonaws.com" }, expected: "not allowed" },
      { action: "iam:PassRole", resource: other, context: { "iam:PassedToService": PASS_ROLE_SERVICES[0] }, expected: "not allowed" },
      ...SERVICE_LINKED_ROLE_SERVICES.map((service) => ({
        action: "iam:CreateServiceLinkedRole",
        resource: iam(`role/aws-service-role/${service}/AWSServiceRole`),
        context: { "iam:AWSServiceName": service },
        expected: "allowed" as const,
      })),
      {
        action: "iam:CreateServiceLinkedRole",
        resource: iam("role/aws-service-role/ec2.amazonaws.com/AWSServiceRole"),
        context: { "iam:AWSServiceName": "ec2.amazonaws.com" },
        expected: "not allowed",
      },
      { action: "iam:CreateOpenIDConnectProvider", resource: iam(`oidc-provider/oidc.eks.${AWS.region}.amazonaws.com/id/ABC`), expected: "allowed" },
      { action: "iam:DeleteOpenIDConnectProvider", resource: iam(`oidc-provider/oidc.eks.${OTHER_REGION}.amazonaws.com/id/ABC`), expected: "not allowed" },
      { action: "iam:CreateOpenIDConnectProvider", resource: iam(`oidc-provider/${GITHUB_OIDC_HOST}`), expected: "not allowed" },
    ]),
  )("%s", (_t, c) => expect(decisionOf(c)).toBe(c.expected));

  // An environment named `github` has roles under <prefix>-github-*: the guard still keeps it off the CI roles.
  it.each([...BOUNDED_ROLE_WRITES, ...UNBOUNDED_ROLE_WRITES, "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:PassRole"])(
    "%s on a CI role is denied, even to an environment whose names cover it",
    (action) => {
      const context = { ...withBoundary, "iam:PolicyARN": `arn:${AWS.partition}:iam::aws:policy/${ATTACHABLE_AWS_MANAGED_POLICIES[0]}`, "iam:PassedToService": PASS_ROLE_SERVICES[0] };
      for (const role of [ciRoleNames(PREFIX).plan, ciRoleNames(PREFIX).deploy("github")]) {
        expect(decide(deployRole("github"), action, iam(`role/${role}`), context), role).toBe("denied");
      }
    },
  );

  it("the validation's CI role name segment is the one ciRoleNames uses", () => {
    expect(ciRoleNames(PREFIX).all).toBe(`${PREFIX}-${CI_ROLE_NAME_SEGMENT}*`);
  });
  const problems = (name: string) => {
    try {
      validatePlatform([...platformEnvironments, extraEnvironment({ name })]);
      return "";
    } catch (e) {
      return String(e);
    }
  };
  // An environment's roles are <prefix>-<env>-*, which the guard denies under <prefix>-github-*.
  it.each([
    ["github", true],
    ["github-eu", true],
    ["githubx", false],
    ["git", false],
    ["my-github", false],
  ])("an environment named %s is refused: %s", (name, refused) => {
    expect(matches(ciRoleNames(PREFIX).all, `${PREFIX}-${name}-karpenter`)).toBe(refused);
    const message = problems(name);
    expect(message.includes("named like the CI roles"), message).toBe(refused);
  });

  it.each(["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"])(
    "%s on the permissions boundary is denied",
    (action) => expect(decide(deployRole(ENV), action, BOUNDARY)).toBe("denied"),
  );
});

describe("a deploy role's KMS keys: created and managed with its environment's tags", () => {
  it.each(
    cases([
      { action: "kms:CreateKey", resource: "*", context: newKey(ENV), expected: "allowed" },
      { action: "kms:CreateKey", resource: "*", context: newKey(OTHER), expected: "not allowed" },
      { action: "kms:CreateKey", resource: "*", context: { ...newKey(ENV), "aws:RequestedRegion": OTHER_REGION }, expected: "not allowed" },
      { action: "kms:CreateKey", resource: "*", context: { ...newKey(ENV), [`aws:RequestTag/${MANAGED_BY.key}`]: "someone-else" }, expected: "not allowed" },
      // Tag on create: the new key has no tags yet.
      { action: "kms:TagResource", resource: KEY, context: newKey(ENV), expected: "allowed" },
      { action: "kms:TagResource", resource: KEY, context: { ...newKey(ENV), ...envKey(OTHER) }, expected: "denied" },
      { action: "kms:UntagResource", resource: KEY, context: envKey(OTHER), expected: "denied" },
      ...["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:EnableKeyRotation", "kms:Decrypt", "kms:UntagResource"].flatMap((action) => [
        { action, resource: KEY, context: envKey(ENV), expected: "allowed" as const },
        { action, resource: KEY, context: envKey(OTHER), expected: /tagresource$/i.test(action) ? ("denied" as const) : ("not allowed" as const) },
        { action, resource: KEY, context: { [`aws:ResourceTag/${ENV_TAG}`]: ENV }, expected: "not allowed" as const },
      ]),
      { action: "kms:CreateGrant", resource: KEY, context: { ...envKey(ENV), "kms:GrantIsForAWSResource": "true" }, expected: "allowed" },
      { action: "kms:CreateGrant", resource: KEY, context: { ...envKey(ENV), "kms:GrantIsForAWSResource": "false" }, expected: "not allowed" },
      { action: "kms:CreateGrant", resource: KEY, context: { ...envKey(OTHER), "kms:GrantIsForAWSResource": "true" }, expected: "not allowed" },
      { action: "kms:CreateAlias", resource: regional("kms", `alias/${PREFIX}-${ENV}-eks`), expected: "allowed" },
      { action: "kms:DeleteAlias", resource: regional("kms", `alias/${PREFIX}-${OTHER}-eks`), expected: "not allowed" },
      { action: "kms:UpdateAlias", resource: regional("kms", `alias/${PREFIX}-${ENV}-eks`, OTHER_REGION), expected: "not allowed" },
    ]),
  )("%s", (_t, c) => expect(decisionOf(c)).toBe(c.expected));

  it.each(["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey", "kms:TagResource", "kms:UntagResource", "kms:DisableKeyRotation", "kms:UpdateKeyDescription"])(
    "%s on the state key is denied, whatever its tags",
    (action) => expect(decide(deployRole(ENV), action, STATE.keyArn, { ...envKey(ENV), ...newKey(ENV) })).toBe("denied"),
  );
  it.each(["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"])("%s on the state key's alias is denied", (action) =>
    expect(decide(deployRole(ENV), action, STATE.keyAliasArn)).toBe("denied"),
  );
});

describe("a deploy role's other writes: its environment's names, or its region where AWS has no names", () => {
  const bucket = (name: string) => s3(`${PREFIX}-${name}-velero`);
  it.each(
    cases([
      // Network (EC2 has no names on create): the region.
      ...["ec2:CreateVpc", "ec2:RunInstances", "ec2:CreateTags", "ec2:DeleteVpc"].flatMap((action) => [
        { action, resource: regional("ec2", "vpc/vpc-1"), context: inRegion, expected: "allowed" as const },
        { action, resource: regional("ec2", "vpc/vpc-1", OTHER_REGION), context: { "aws:RequestedRegion": OTHER_REGION }, expected: "not allowed" as const },
      ]),
      { action: "route53:AssociateVPCWithHostedZone", resource: `arn:${AWS.partition}:route53:::hostedzone/Z123`, expected: "allowed" },
      // Cluster.
      { action: "eks:CreateCluster", resource: regional("eks", `cluster/${PREFIX}-${ENV}`), expected: "allowed" },
      { action: "eks:CreateCluster", resource: regional("eks", `cluster/${PREFIX}-${OTHER}`), expected: "not allowed" },
      { action: "eks:DeleteCluster", resource: regional("eks", `cluster/${PREFIX}-${ENV}`, OTHER_REGION), expected: "not allowed" },
      { action: "eks:UpdateNodegroupVersion", resource: regional("eks", `nodegroup/${PREFIX}-${ENV}/system/abc`), expected: "allowed" },
      { action: "eks:UpdateNodegroupVersion", resource: regional("eks", `nodegroup/${PREFIX}-${OTHER}/system/abc`), expected: "not allowed" },
      { action: "eks:UpdateAddon", resource: regional("eks", `addon/${PREFIX}-${ENV}/vpc-cni/abc`), expected: "allowed" },
      { action: "eks:DeleteAccessEntry", resource: regional("eks", `access-entry/${PREFIX}-${ENV}/role/abc`), expected: "allowed" },
      { action: "eks:AssociateIdentityProviderConfig", resource: regional("eks", `identityproviderconfig/${PREFIX}-${ENV}/oidc/keycloak/abc`), expected: "allowed" },
      { action: "eks:DeleteAccessEntry", resource: regional("eks", `access-entry/${PREFIX}-${OTHER}/role/abc`), expected: "not allowed" },
      { action: "eks:CreatePodIdentityAssociation", resource: regional("eks", `cluster/${PREFIX}-${ENV}`), expected: "allowed" },
      { action: "eks:DeletePodIdentityAssociation", resource: regional("eks", `podidentityassociation/${PREFIX}-${ENV}/a-1`), expected: "allowed" },
      { action: "eks:UpdatePodIdentityAssociation", resource: regional("eks", `podidentityassociation/${PREFIX}-${OTHER}/a-1`), expected: "not allowed" },
      { action: "codebuild:CreateProject", resource: regional("codebuild", `project/${PREFIX}-${ENV}-runner`), expected: "allowed" },
      { action: "codebuild:CreateWebhook", resource: regional("codebuild", `project/${PREFIX}-${OTHER}-runner`), expected: "not allowed" },
      // Add-ons.
      { action: "logs:CreateLogGroup", resource: regional("logs", `log-group:/aws/eks/${PREFIX}-${ENV}/cluster`), expected: "allowed" },
      { action: "logs:PutRetentionPolicy", resource: regional("logs", `log-group:/aws/eks/${PREFIX}-${ENV}/cluster:*`), expected: "allowed" },
      { action: "logs:TagResource", resource: regional("logs", `log-group:/aws/rds/instance/${PREFIX}-${ENV}-keycloak/postgresql`), expected: "allowed" },
      { action: "logs:DeleteLogGroup", resource: regional("logs", `log-group:/aws/vendedlogs/prometheus/${PREFIX}-${ENV}`), expected: "allowed" },
      { action: "logs:AssociateKmsKey", resource: regional("logs", `log-group:/aws/containerinsights/${PREFIX}-${ENV}:application`), expected: "allowed" },
      { action: "logs:DeleteLogGroup", resource: regional("logs", `log-group:/aws/eks/${PREFIX}-${OTHER}/cluster`), expected: "not allowed" },
      { action: "logs:DeleteLogGroup", resource: regional("logs", `log-group:/aws/vendedlogs/prometheus/${PREFIX}-${OTHER}`), expected: "not allowed" },
      { action: "logs:PutResourcePolicy", resource: "*", context: inRegion, expected: "allowed" },
      { action: "logs:CreateLogDelivery", resource: "*", context: { "aws:RequestedRegion": OTHER_REGION }, expected: "not allowed" },
      { action: "s3:CreateBucket", resource: bucket(ENV), expected: "allowed" },
      { action: "s3:PutBucketPolicy", resource: bucket(OTHER), expected: "not allowed" },
      { action: "s3:PutObject", resource: `${bucket(ENV)}/backups/x`, expected: "not allowed" },
      { action: "rds:CreateDBInstance", resource: regional("rds", `db:${PREFIX}-${ENV}-keycloak`), expected: "allowed" },
      { action: "rds:CreateDBInstance", resource: regional("rds", `pg:${PREFIX}-${ENV}-keycloak`), expected: "allowed" },
      { action: "rds:CreateDBInstance", resource: regional("rds", `subgrp:${PREFIX}-${ENV}-keycloak`), expected: "allowed" },
      { action: "rds:CreateDBInstance", resource: regional("rds", "og:default:postgres-17"), expected: "allowed" },
      { action: "rds:CreateDBSnapshot", resource: regional("rds", `snapshot:${PREFIX}-${ENV}-keycloak-final`), expected: "allowed" },
      { action: "rds:DeleteDBInstance", resource: regional("rds", `db:${PREFIX}-${OTHER}-keycloak`), expected: "not allowed" },
      { action: "rds:DeleteDBInstance", resource: regional("rds", "og:custom"), expected: "not allowed" },
      { action: "secretsmanager:CreateSecret", resource: regional("secretsmanager", "secret:rds!db-1234-AbCdEf"), expected: "allowed" },
      { action: "secretsmanager:DeleteSecret", resource: regional("secretsmanager", `secret:${PREFIX}-${ENV}-grafana-AbCdEf`), expected: "not allowed" },
      { action: "es:CreateDomain", resource: regional("es", `domain/${PREFIX}-${ENV}-logs`), expected: "allowed" },
      { action: "es:DeleteDomain", resource: regional("es", `domain/${PREFIX}-${OTHER}-logs`), expected: "not allowed" },
      { action: "aps:CreateWorkspace", resource: regional("aps", "workspace/ws-0123"), expected: "allowed" },
      { action: "aps:DeleteWorkspace", resource: regional("aps", "workspace/ws-0123", OTHER_REGION), expected: "not allowed" },
      { action: "sqs:CreateQueue", resource: regional("sqs", `${PREFIX}-${ENV}-karpenter`), expected: "allowed" },
      { action: "sqs:DeleteQueue", resource: regional("sqs", `${PREFIX}-${OTHER}-karpenter`), expected: "not allowed" },
      { action: "events:PutRule", resource: regional("events", `rule/${PREFIX}-${ENV}-spot-interruption`), expected: "allowed" },
      { action: "events:DeleteRule", resource: regional("events", `rule/${PREFIX}-${OTHER}-spot-interruption`), expected: "not allowed" },
    ]),
  )("%s", (_t, c) => expect(decisionOf(c)).toBe(c.expected));

  /** Every bucket-level write a deploy role has on its environment's buckets (the platform's SecureBucket settings). */
  const BUCKET_WRITES = [
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketLogging",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketTagging",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
  ];
  it.each(BUCKET_WRITES)("%s on the environment's buckets is allowed", (action) => expect(decide(deployRole(ENV), action, bucket(ENV))).toBe("allowed"));
  it.each(BUCKET_WRITES)(
    "%s on the state bucket is denied, even when the environment's names cover it",
    (action) => expect(decide(deployRole("tfstate"), action, s3(STATE.bucketName))).toBe("denied"),
  );
});

describe("trust of the CI roles", () => {
  const repo = "example-org/platform";
  const envs = ["stg", "dev"];
  it("a prod account's plan role trusts no pull request: only the <env>-plan environments and pushes to the deploy branch", () => {
    expect(planSubjects(repo, envs, "plan-environments")).toEqual([
      environmentSubject(repo, planEnvironmentName("stg")),
      environmentSubject(repo, planEnvironmentName("dev")),
      `repo:${repo}:ref:refs/heads/${DEPLOY_BRANCH}`,
    ]);
  });
  it("an account without prod also trusts the repository's pull requests", () => {
    expect(planSubjects(repo, envs, "pull-request")).toEqual([`repo:${repo}:pull_request`, ...planSubjects(repo, envs, "plan-environments")]);
  });
  it("<env>-plan and the deploy environment are distinct subjects", () => {
    expect(environmentSubject(repo, planEnvironmentName("prd"))).toBe(`repo:${repo}:environment:prd-plan`);
    expect(environmentSubject(repo, "prd")).toBe(`repo:${repo}:environment:prd`);
  });

  it("a trust is exact: the provider, the STS audience and the sorted, deduplicated subjects, all StringEquals", () => {
    const provider = iam(`oidc-provider/${GITHUB_OIDC_HOST}`);
    expect(githubTrustStatement(provider, [environmentSubject(repo, "prd")])).toEqual({
      Effect: "Allow",
      Principal: { Federated: provider },
      Action: ["sts:AssumeRoleWithWebIdentity"],
      Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: `repo:${repo}:environment:prd` } },
    });
    const subjects = [pullRequestSubject(repo), environmentSubject(repo, "dev"), pullRequestSubject(repo)];
    expect(githubTrustStatement(provider, subjects).Condition!.StringEquals![`${GITHUB_OIDC_HOST}:sub`]).toEqual([`repo:${repo}:environment:dev`, `repo:${repo}:pull_request`]);
  });
  it.each([
    [[], /at least one subject/],
    [[`repo:${repo}:*`], /exact/],
    [[`repo:${repo}:environment:pr?`], /exact/],
    [[`${repo}:pull_request`], /exact/],
  ])("a trust of %j is refused", (subjects, message) => {
    expect(() => githubTrustStatement("arn:p", subjects)).toThrow(message);
  });
  it.each(["prd:*", "prd*", "", "a/b"])("a GitHub environment named %j is refused", (name) => {
    expect(() => environmentSubject(repo, name)).toThrow(/plain name/);
  });
});
