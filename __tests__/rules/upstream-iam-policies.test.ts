/**
 * The IAM policies that restate a published one, compared with the published document kept as data
 * (__tests__/upstream/, with its source URL, tag and commit in sources.json), action by action and
 * resource by resource: every grant of ours (action, resource) is covered by an upstream grant of
 * that action on a resource pattern that matches it, under at least the upstream conditions; every
 * upstream action is granted by ours. Differences are listed with the reason they exist; anything
 * else fails by name.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AWS_LOAD_BALANCER_CONTROLLER_POLICY_SOURCE, awsLoadBalancerControllerPolicy } from "../../addons/aws-load-balancer-controller/iam-policy";
import { CERT_MANAGER_ROUTE53_POLICY_SOURCE, certManagerRoute53Policy } from "../../addons/cert-manager/iam-policy";
import { CLUSTER_AUTOSCALER_POLICY_SOURCE, clusterAutoscalerPolicy } from "../../addons/cluster-autoscaler/iam-policy";
import { EXTERNAL_DNS_POLICY_SOURCE, externalDnsPolicy } from "../../addons/external-dns/iam-policy";
import { EXTERNAL_SECRETS_POLICY_SOURCE, externalSecretsPolicy } from "../../addons/external-secrets/iam-policy";
import { FLUENT_BIT_POLICY_SOURCE, fluentBitCloudWatchPolicy } from "../../addons/fluent-bit/iam-policy";
import { KARPENTER_CONTROLLER_POLICY_SOURCE, karpenterControllerPolicy } from "../../addons/karpenter/iam-policy";
import { VELERO_POLICY_SOURCE, veleroPolicy } from "../../addons/velero/iam-policy";
import type { AwsScope, PolicyStatement } from "../../modules/irsa/policy-document";

const UPSTREAM = join(__dirname, "..", "upstream");
const SOURCES = JSON.parse(readFileSync(join(UPSTREAM, "sources.json"), "utf8")) as Record<string, { file: string; repository: string; commit: string; path: string }>;

// A non-commercial partition, so that a partition left hard-coded shows up.
const SCOPE: AwsScope = { partition: "aws-us-gov", region: "us-gov-west-1", accountId: "111122223333" };
const CLUSTER = "platform-prd";
const ARN = `arn:${SCOPE.partition}:`;
const NODE_ROLE_ARN = `${ARN}iam::${SCOPE.accountId}:role/${CLUSTER}-karpenter-node`;
const QUEUE_ARN = `${ARN}sqs:${SCOPE.region}:${SCOPE.accountId}:${CLUSTER}-karpenter`;
const CLUSTER_ARN = `${ARN}eks:${SCOPE.region}:${SCOPE.accountId}:cluster/${CLUSTER}`;
const ZONES = ["Z0123456789ABCDEFGHIJ"];
const BUCKET = `${CLUSTER}-velero`;
const KEY_ARN = `${ARN}kms:${SCOPE.region}:${SCOPE.accountId}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const LOG_GROUP_ARNS = ["application", "dataplane"].map((kind) => `${ARN}logs:${SCOPE.region}:${SCOPE.accountId}:log-group:/aws/containerinsights/${CLUSTER}/${kind}`);
// External Secrets' published example scopes to `secret:dev-*` of its example account: the secrets
// here carry that prefix, in this scope's region and account.
const SECRET_ARNS = ["dev-grafana-admin-AbCdEf", "dev-keycloak-db-123456"].map((name) => `${ARN}secretsmanager:${SCOPE.region}:${SCOPE.accountId}:secret:${name}`);

interface Statement {
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}
const list = (v: string | readonly string[]): readonly string[] => (typeof v === "string" ? [v] : v);
/** IAM's wildcard match: `*` any run of characters, `?` one. */
const covers = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value);
/** Every upstream condition operator/key/value is also in ours (ours may add conditions). */
const conditionsHold = (upstream: Statement["Condition"], ours: Statement["Condition"]) =>
  Object.entries(upstream ?? {}).every(([op, keys]) => Object.entries(keys).every(([key, value]) => JSON.stringify(ours?.[op]?.[key]) === JSON.stringify(value)));

/** The publishing project's document, with its placeholders replaced as the builder's arguments are. */
function upstreamText(name: string, substitutions: Readonly<Record<string, string>>): string {
  const text = readFileSync(join(UPSTREAM, SOURCES[name]!.file), "utf8");
  return Object.entries(substitutions).reduce((t, [from, to]) => t.split(from).join(to), text);
}
const upstreamJson = (name: string, substitutions: Readonly<Record<string, string>>): Statement[] =>
  JSON.parse(upstreamText(name, substitutions)).Statement;

/** The controller statements of Karpenter's CloudFormation template (its KarpenterController* managed policies, in order). */
function karpenterUpstream(): Statement[] {
  const text = upstreamText("karpenter", {
    "${AWS::Partition}": SCOPE.partition,
    "${AWS::Region}": SCOPE.region,
    "${AWS::AccountId}": SCOPE.accountId,
    "${AWS::URLSuffix}": "amazonaws.com",
    "${ClusterName}": CLUSTER,
    "${KarpenterNodeRole.Arn}": NODE_ROLE_ARN,
    "${KarpenterInterruptionQueue.Arn}": QUEUE_ARN,
  });
  const tags = ["!Sub", "!GetAtt", "!Ref", "!Join", "!Select", "!Split", "!If", "!Equals", "!Not"].map((tag) => ({
    tag,
    resolve: (value: unknown) => value,
    collection: undefined,
  }));
  const template = parse(text, { customTags: [...tags.map((t) => ({ ...t, collection: "seq" as const })), ...tags.map(({ tag, resolve }) => ({ tag, resolve }))] }) as {
    Resources: Record<string, { Type: string; Properties: { ManagedPolicyName?: string; PolicyDocument?: unknown } }>;
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === "AWS::IAM::ManagedPolicy" && String(r.Properties.ManagedPolicyName).startsWith("KarpenterController"))
    .flatMap((r) => {
      const doc = typeof r.Properties.PolicyDocument === "string" ? JSON.parse(r.Properties.PolicyDocument) : r.Properties.PolicyDocument;
      return doc.Statement as Statement[];
    });
}

interface Comparison {
  /** Grants of ours that no upstream grant covers. */
  readonly wider: string[];
  /** Upstream actions ours never grants. */
  readonly missing: string[];
  /** Upstream statement count and ours, for the faithful copies. */
  readonly counts: readonly [number, number];
}

function compare(upstream: readonly Statement[], ours: readonly PolicyStatement[]): Comparison {
  const allows = upstream.filter((s) => s.Effect === "Allow");
  const wider: string[] = [];
  for (const s of ours as readonly Statement[]) {
    if (s.Effect !== "Allow") continue;
    for (const action of list(s.Action)) {
      for (const resource of list(s.Resource)) {
        const ok = allows.some((u) => list(u.Action).includes(action) && list(u.Resource).some((p) => covers(p, resource)) && conditionsHold(u.Condition, s.Condition));
        if (!ok) wider.push(`${action} on ${resource}${s.Condition ? ` when ${JSON.stringify(s.Condition)}` : ""}`);
      }
    }
  }
  const ourActions = new Set((ours as readonly Statement[]).flatMap((s) => list(s.Action)));
  const missing = [...new Set(allows.flatMap((u) => list(u.Action)))].filter((a) => !ourActions.has(a));
  return { wider: wider.sort(), missing: missing.sort(), counts: [upstream.length, ours.length] };
}

interface Case {
  readonly name: string;
  readonly source: { readonly repository: string; readonly commit: string };
  readonly upstream: () => Statement[];
  readonly ours: () => PolicyStatement[];
  /** Statement for statement the same (same count, nothing wider, nothing missing). */
  readonly faithful: boolean;
  /** For a faithful copy: upstream grants ours narrows, as a test on the upstream `action on resource` (with the reason). */
  readonly narrowed?: { readonly upstreamGrant: RegExp; readonly reason: string };
  /** Grants of ours beyond the upstream document (`action on resource`), with the reason. */
  readonly wider?: Readonly<Record<string, string>>;
  /** Upstream actions ours leaves out, with the reason. */
  readonly missing?: Readonly<Record<string, string>>;
  /** Actions restricted here by a condition (the publisher says to, or ours tightens it), the condition every grant of them carries, and why. */
  readonly restricted?: { readonly actions: readonly string[]; readonly condition: Statement["Condition"]; readonly reason: string };
}

const CASES: readonly Case[] = [
  {
    name: "aws-load-balancer-controller",
    source: AWS_LOAD_BALANCER_CONTROLLER_POLICY_SOURCE,
    upstream: () => upstreamJson("aws-load-balancer-controller", { "arn:aws:": ARN }),
    ours: () => awsLoadBalancerControllerPolicy(SCOPE),
    faithful: true,
  },
  {
    name: "karpenter",
    source: KARPENTER_CONTROLLER_POLICY_SOURCE,
    upstream: karpenterUpstream,
    ours: () => karpenterControllerPolicy({ scope: SCOPE, clusterName: CLUSTER, clusterArn: CLUSTER_ARN, nodeRoleArn: NODE_ROLE_ARN, interruptionQueueArn: QUEUE_ARN }),
    faithful: true,
    narrowed: {
      upstreamGrant: new RegExp(`^ec2:[A-Za-z]+ on arn:${SCOPE.partition}:ec2:${SCOPE.region}:\\*:(fleet|instance|volume|network-interface|launch-template|spot-instances-request)/\\*`),
      reason: "the ARNs of what Karpenter creates name this account where the template has `*` (iam-policy.ts: one deliberate tightening)",
    },
  },
  {
    name: "external-dns",
    source: EXTERNAL_DNS_POLICY_SOURCE,
    upstream: () => upstreamJson("external-dns", { "arn:aws:": ARN }),
    ours: () => externalDnsPolicy({ scope: SCOPE, hostedZoneIds: ZONES }),
    faithful: false,
  },
  {
    name: "cert-manager",
    source: CERT_MANAGER_ROUTE53_POLICY_SOURCE,
    upstream: () => upstreamJson("cert-manager", { "arn:aws:": ARN }),
    ours: () => certManagerRoute53Policy({ scope: SCOPE, hostedZoneIds: ZONES }),
    faithful: false,
    missing: {
      "route53:ListHostedZonesByName": "every solver names its hostedZoneID; upstream: \"can be removed if you specify the (optional) hostedZoneID\"",
    },
  },
  {
    name: "velero",
    source: VELERO_POLICY_SOURCE,
    upstream: () => upstreamJson("velero", { "arn:aws:": ARN, "${BUCKET}": BUCKET }),
    ours: () => veleroPolicy({ scope: SCOPE, bucketArn: `${ARN}s3:::${BUCKET}`, kmsKeyArn: KEY_ARN }),
    faithful: false,
    wider: {
      [`kms:Decrypt on ${KEY_ARN}`]: "the bucket encrypts with SSE-KMS under the platform's key; upstream assumes SSE-S3",
      [`kms:GenerateDataKey on ${KEY_ARN}`]: "the bucket encrypts with SSE-KMS under the platform's key; upstream assumes SSE-S3",
    },
    missing: { "s3:PutObjectTagging": "only needed with the BackupStorageLocation's config.tagging, which the platform does not set (objectTagging: false)" },
    restricted: {
      actions: ["ec2:CreateTags"],
      condition: { StringEquals: { "ec2:CreateAction": ["CreateSnapshot", "CreateVolume"] } },
      reason: "the plugin tags only through TagSpecifications of CreateSnapshot/CreateVolume and never calls CreateTags itself (iam-policy.ts): tags on create only",
    },
  },
  {
    name: "cluster-autoscaler",
    source: CLUSTER_AUTOSCALER_POLICY_SOURCE,
    upstream: () => upstreamJson("cluster-autoscaler", {}),
    ours: () => clusterAutoscalerPolicy({ scope: SCOPE, clusterName: CLUSTER }),
    faithful: false,
    restricted: {
      actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER}`]: "owned" } },
      reason:
        "the README: \"only the second block of actions should be updated to restrict the resources/add conditionals\"; this cluster's auto-discovery tag, which EKS managed node groups set to owned",
    },
  },
  {
    name: "external-secrets",
    source: EXTERNAL_SECRETS_POLICY_SOURCE,
    upstream: () => upstreamJson("external-secrets", { "arn:aws:": ARN, "us-west-2:111122223333": `${SCOPE.region}:${SCOPE.accountId}` }),
    ours: () => externalSecretsPolicy({ secretArns: SECRET_ARNS, kmsKeyArns: [KEY_ARN] }),
    faithful: false,
    wider: { [`kms:Decrypt on ${KEY_ARN}`]: "secrets encrypted with the platform's customer managed key; upstream assumes the AWS managed aws/secretsmanager key" },
    missing: {
      "secretsmanager:BatchGetSecretValue": "serves dataFrom.find (search by name or tags), which the platform does not use: every ExternalSecret names its secrets",
      "secretsmanager:GetResourcePolicy": "called only when pushing a secret with a resourcePolicy (PushSecret is not granted)",
      "secretsmanager:ListSecrets": "serves dataFrom.find (search by name or tags), which the platform does not use: every ExternalSecret names its secrets",
    },
  },
  {
    name: "fluent-bit-cloudwatch-logs",
    source: FLUENT_BIT_POLICY_SOURCE.cloudWatchLogs,
    upstream: () => upstreamJson("fluent-bit-cloudwatch-logs", {}),
    ours: () => fluentBitCloudWatchPolicy({ scope: SCOPE, logGroupArns: LOG_GROUP_ARNS }),
    faithful: false,
    missing: {
      "logs:CreateLogGroup": "the log groups are created by Terraform (auto_create_group false)",
      "logs:PutRetentionPolicy": "retention is set by Terraform on the log groups (no log_retention_days)",
    },
  },
];

describe("IAM policies restating a published policy", () => {
  it("keep the upstream document of every builder, at the commit the builder cites", () => {
    for (const c of CASES) {
      const data = SOURCES[c.name]!;
      expect({ repository: data.repository, commit: data.commit }, c.name).toEqual({ repository: c.source.repository, commit: c.source.commit });
    }
  });

  describe.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    it("is well formed: every statement an Allow with at least one action and one resource, its Sid (if any) its own", () => {
      const ours = c.ours();
      const malformed = ours.filter(
        (s) =>
          s.Effect !== "Allow" ||
          (s.Sid !== undefined && !/^[A-Za-z0-9]+$/.test(s.Sid)) ||
          s.Action.length === 0 ||
          s.Resource.length === 0 ||
          !s.Resource.every((r) => r === "*" || r.startsWith(ARN)),
      );
      expect(malformed.map((s) => JSON.stringify(s))).toEqual([]);
      const sids = ours.flatMap((s) => (s.Sid === undefined ? [] : [s.Sid]));
      expect(new Set(sids).size).toBe(sids.length);
    });
    it("grants nothing the published policy does not, except the documented additions", () => {
      expect(compare(c.upstream(), c.ours()).wider).toEqual(Object.keys(c.wider ?? {}).sort());
    });
    const { restricted } = c;
    if (restricted) {
      it("restricts by a condition what it says it restricts", () => {
        const granting = c.ours().filter((s) => s.Action.some((a) => restricted.actions.includes(a)));
        expect(granting.length, restricted.reason).toBeGreaterThan(0);
        for (const s of granting) expect(s.Condition, restricted.reason).toEqual(restricted.condition);
      });
    }
    it("grants every action of the published policy, except the documented omissions", () => {
      expect(compare(c.upstream(), c.ours()).missing).toEqual(Object.keys(c.missing ?? {}).sort());
    });
    if (c.faithful) {
      it("has the published policy's statements, one for one", () => {
        const [upstream, ours] = compare(c.upstream(), c.ours()).counts;
        expect(ours).toBe(upstream);
        // The other way round: every upstream grant is one of ours, or a documented narrowing.
        const notOurs = compare(c.ours() as unknown as Statement[], c.upstream() as unknown as PolicyStatement[]).wider;
        expect(notOurs.filter((grant) => !c.narrowed?.upstreamGrant.test(grant))).toEqual([]);
        if (c.narrowed) expect(notOurs.length, c.narrowed.reason).toBeGreaterThan(0);
      });
    }
  });
});

describe("the comparison", () => {
  const upstream: Statement[] = [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*", Condition: { StringEquals: { "aws:x": "1" } } }];
  it("accepts a narrower resource under the same condition", () => {
    expect(compare(upstream, [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/k/*"], Condition: { StringEquals: { "aws:x": "1", "aws:y": "2" } } }])).toEqual({ wider: [], missing: [], counts: [1, 1] });
  });
  it("names an extra action, a wider resource and a dropped condition", () => {
    const result = compare(upstream, [
      { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::b/*"], Condition: { StringEquals: { "aws:x": "1" } } },
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::*"], Condition: { StringEquals: { "aws:x": "1" } } },
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] },
    ]);
    expect(result.wider).toEqual([
      "s3:GetObject on arn:aws:s3:::*" + ' when {"StringEquals":{"aws:x":"1"}}',
      "s3:GetObject on arn:aws:s3:::b/*",
      "s3:PutObject on arn:aws:s3:::b/*" + ' when {"StringEquals":{"aws:x":"1"}}',
    ]);
  });
  it("names a missing action", () => {
    expect(compare(upstream, [{ Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::b/*"] }]).missing).toEqual(["s3:GetObject"]);
  });
});
