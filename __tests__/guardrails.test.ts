import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { evaluate, formatSuppressions, formatViolations, suppressionsIn } from "../modules/guardrails/engine";
import { applyGuardrails, assertGuardrails, findViolations, GuardrailViolationError, suppress } from "../modules/guardrails/guardrails";
import { CHECKOV_CHECKS, RULES } from "../modules/guardrails/rules";
import { platform } from "./support/platform";
import { EXACT_POD_IDENTITY_TAGS, podIdentityRole, teamNamespaceResources } from "./support/tenancy-fixtures";

type Resources = Record<string, Record<string, Record<string, any>>>;
const stack = (resource: Resources) => ({ resource });
const ids = (resource: Resources, stage: "prod" | "nonprod" = "nonprod") => evaluate(stack(resource), stage).map((v) => v.rule);

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const goodBucket = (name = "b"): Resources => ({
  aws_s3_bucket: { [name]: { bucket: "x", lifecycle: { prevent_destroy: true } } },
  aws_s3_bucket_server_side_encryption_configuration: {
    [`${name}_sse`]: { bucket: `\${aws_s3_bucket.${name}.id}`, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } }] },
  },
  aws_s3_bucket_public_access_block: {
    [`${name}_pab`]: { bucket: `\${aws_s3_bucket.${name}.id}`, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
  },
  aws_s3_bucket_versioning: { [`${name}_v`]: { bucket: `\${aws_s3_bucket.${name}.id}`, versioning_configuration: { status: "Enabled" } } },
  aws_s3_bucket_policy: {
    [`${name}_p`]: {
      bucket: `\${aws_s3_bucket.${name}.id}`,
      policy: policy({ Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: ["*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    },
  },
  aws_s3_bucket_logging: { [`${name}_log`]: { bucket: `\${aws_s3_bucket.${name}.id}`, target_bucket: "access-logs", target_prefix: `${name}/` } },
  aws_s3_bucket_lifecycle_configuration: { [`${name}_lc`]: { bucket: `\${aws_s3_bucket.${name}.id}`, rule: [lifecycleRule()] } },
});
function lifecycleRule(over: Record<string, unknown> = {}) {
  return { id: "r", status: "Enabled", filter: [{ prefix: "" }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }], ...over };
}
const withLifecycle = (rule: object): Resources => ({
  ...goodBucket(),
  aws_s3_bucket_lifecycle_configuration: { b_lc: { bucket: "${aws_s3_bucket.b.id}", rule: [rule] } },
});
const omit = (r: Resources, type: string): Resources => Object.fromEntries(Object.entries(r).filter(([t]) => t !== type));
const eks = (over: Record<string, unknown> = {}) => ({
  aws_eks_cluster: {
    c: {
      encryption_config: { resources: ["secrets"], provider: { key_arn: "${aws_kms_key.k.arn}" } },
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      vpc_config: { endpoint_public_access: false },
      lifecycle: { prevent_destroy: true },
      ...over,
    },
  },
});
const irsaRole = (condition: object) => ({
  aws_iam_role: {
    r: {
      assume_role_policy: policy({
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.x/id/A" },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: condition,
      }),
    },
  },
});
const vpc = (extra: Resources): Resources => ({ aws_vpc: { v: { cidr_block: "10.0.0.0/16" } }, ...extra });
const flow = { aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}" } } };
const lockedSg = { aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", ingress: [], egress: [] } } };

/** Per rule: a stack that breaks it and one that passes it. */
const cases: Record<string, { bad: Resources; good: Resources; stage?: "prod" | "nonprod" }> = {
  "KMS-KEY-ROTATION": { bad: { aws_kms_key: { k: { enable_key_rotation: false } } }, good: { aws_kms_key: { k: { enable_key_rotation: true } } } },
  "EKS-SECRETS-ENCRYPTION": { bad: eks({ encryption_config: undefined }), good: eks() },
  "EKS-CONTROL-PLANE-LOGS": { bad: eks({ enabled_cluster_log_types: ["api"] }), good: eks() },
  "EKS-PUBLIC-ENDPOINT": {
    bad: eks({ vpc_config: { endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] } }),
    good: eks({ vpc_config: { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] } }),
  },
  "EC2-IMDSV2": {
    bad: { aws_launch_template: { l: { metadata_options: { http_tokens: "optional" }, block_device_mappings: [] } } },
    good: { aws_launch_template: { l: { metadata_options: { http_tokens: "required" }, block_device_mappings: [] } } },
  },
  "EBS-ENCRYPTED": {
    bad: { aws_ebs_volume: { v: { encrypted: false } } },
    good: { aws_launch_template: { l: { metadata_options: { http_tokens: "required" }, block_device_mappings: [{ ebs: { encrypted: "true" } }] } } },
  },
  "S3-ENCRYPTION-KMS": { bad: omit(goodBucket(), "aws_s3_bucket_server_side_encryption_configuration"), good: goodBucket() },
  "S3-PUBLIC-ACCESS-BLOCK": { bad: omit(goodBucket(), "aws_s3_bucket_public_access_block"), good: goodBucket() },
  "S3-VERSIONING": { bad: omit(goodBucket(), "aws_s3_bucket_versioning"), good: goodBucket() },
  "S3-TLS-ONLY": { bad: omit(goodBucket(), "aws_s3_bucket_policy"), good: goodBucket() },
  "S3-ACCESS-LOGGING": { bad: omit(goodBucket(), "aws_s3_bucket_logging"), good: goodBucket() },
  "S3-LIFECYCLE": { bad: omit(goodBucket(), "aws_s3_bucket_lifecycle_configuration"), good: goodBucket() },
  "RDS-DELETION-PROTECTION": {
    bad: { aws_db_instance: { d: { storage_encrypted: true, kms_key_id: "k" } } },
    good: { aws_db_instance: { d: { storage_encrypted: true, kms_key_id: "k", deletion_protection: true } }, aws_rds_cluster: { c: { storage_encrypted: true, kms_key_id: "k", deletion_protection: true } } },
  },
  "RDS-ENCRYPTED": {
    bad: { aws_db_instance: { d: { storage_encrypted: false } } },
    good: { aws_db_instance: { d: { storage_encrypted: true, kms_key_id: "${aws_kms_key.k.arn}" } } },
  },
  "SECRETS-KMS": {
    bad: { aws_sqs_queue: { q: {} } },
    good: { aws_sqs_queue: { q: { sqs_managed_sse_enabled: true } }, aws_secretsmanager_secret: { s: { kms_key_id: "${aws_kms_key.k.arn}" } } },
  },
  "LOGS-KMS": {
    bad: { aws_cloudwatch_log_group: { g: { retention_in_days: 30 } } },
    good: { aws_cloudwatch_log_group: { g: { retention_in_days: 30, kms_key_id: "${aws_kms_key.k.arn}" } } },
  },
  "LOGS-RETENTION": {
    bad: { aws_cloudwatch_log_group: { g: { kms_key_id: "${aws_kms_key.k.arn}" } } },
    good: { aws_cloudwatch_log_group: { g: { retention_in_days: 30, kms_key_id: "${aws_kms_key.k.arn}" } } },
  },
  "OPENSEARCH-ENCRYPTION": {
    bad: { aws_opensearch_domain: { o: { encrypt_at_rest: { enabled: true }, node_to_node_encryption: { enabled: true }, domain_endpoint_options: { enforce_https: true, tls_security_policy: "Policy-Min-TLS-1-0-2019-07" } } } },
    good: { aws_opensearch_domain: { o: { encrypt_at_rest: { enabled: true }, node_to_node_encryption: { enabled: true }, domain_endpoint_options: { enforce_https: true, tls_security_policy: "Policy-Min-TLS-1-2-2019-07" } } } },
  },
  "SG-INTERNET-INGRESS": {
    bad: { aws_vpc_security_group_ingress_rule: { r: { cidr_ipv4: "0.0.0.0/0", from_port: 22, to_port: 22, security_group_id: "${aws_security_group.s.id}" } } },
    good: {
      aws_security_group: { s: { tags: { "platform.io/public-load-balancer": "true" } } },
      aws_vpc_security_group_ingress_rule: { r: { cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443, security_group_id: "${aws_security_group.s.id}" } },
    },
  },
  "VPC-FLOW-LOGS": { bad: vpc(lockedSg), good: vpc({ ...flow, ...lockedSg }) },
  "VPC-DEFAULT-SG-LOCKED": {
    bad: vpc({ ...flow, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", ingress: [{ from_port: 0 }], egress: [] } } }),
    good: vpc({ ...flow, ...lockedSg }),
  },
  "IAM-NO-WILDCARD-ACTION": {
    bad: { aws_iam_role_policy: { p: { policy: policy({ Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::b"] }) } } },
    good: {
      aws_iam_role_policy: { p: { policy: policy({ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] }) } },
      aws_kms_key: { k: { enable_key_rotation: true, policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: ["kms:*"], Resource: ["*"] }) } },
    },
  },
  "IAM-NO-ADMIN": {
    bad: { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } },
    good: { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" } } },
  },
  "IRSA-TRUST-EXACT": {
    bad: irsaRole({ StringLike: { "oidc.eks.x/id/A:sub": "system:serviceaccount:*:*" } }),
    good: irsaRole({ StringEquals: { "oidc.eks.x/id/A:sub": "system:serviceaccount:velero:velero", "oidc.eks.x/id/A:aud": "sts.amazonaws.com" } }),
  },
  "HELM-PINNED": {
    bad: { helm_release: { h: { repository: "http://charts.example.com", version: "~1.2" } } },
    good: { helm_release: { h: { repository: "https://charts.example.com", version: "1.2.3" } } },
  },
  "TEAM-NAMESPACE-BASELINE": { bad: teamNamespaceResources({ quota: false }), good: teamNamespaceResources() },
  "TEAM-NO-CLUSTER-RIGHTS": { bad: teamNamespaceResources({ clusterBinding: true }), good: teamNamespaceResources() },
  "POD-IDENTITY-TRUST-EXACT": {
    bad: podIdentityRole({ ...EXACT_POD_IDENTITY_TAGS, "aws:RequestTag/kubernetes-namespace": "*" }),
    good: podIdentityRole(EXACT_POD_IDENTITY_TAGS),
  },
  "PROD-DELETION-PROTECTION": {
    bad: { aws_db_instance: { d: { storage_encrypted: true, kms_key_id: "k", deletion_protection: false } } },
    good: { aws_db_instance: { d: { storage_encrypted: true, kms_key_id: "k", deletion_protection: true, lifecycle: { prevent_destroy: true } } } },
    stage: "prod",
  },
};

describe("the rule pack", () => {
  it("has a test case, a rationale and a fix for every rule, and unique ids", () => {
    expect(Object.keys(cases).sort()).toEqual(RULES.map((r) => r.id).sort());
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
  });

  it.each(RULES.map((r) => r.id))("%s fires on a bad resource and passes a good one", (id) => {
    const { bad, good, stage } = cases[id]!;
    expect(ids(bad, stage)).toContain(id);
    expect(ids(good, stage)).not.toContain(id);
  });

  it("holds GitHub Actions trusts to one exact repository context too", () => {
    const github = (sub: string) => ({
      aws_iam_role: {
        r: {
          assume_role_policy: policy({
            Effect: "Allow",
            Principal: { Federated: "${aws_iam_openid_connect_provider.github.arn}" },
            Action: ["sts:AssumeRoleWithWebIdentity"],
            Condition: { StringEquals: { "token.actions.githubusercontent.com:sub": sub, "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
          }),
        },
      },
    });
    expect(ids(github("repo:example-org/eks-idp:environment:prd"))).toEqual([]);
    expect(ids(github("repo:example-org/*"))).toEqual(["IRSA-TRUST-EXACT"]);
  });

  it("asks every whole-bucket lifecycle rule to be enabled and to abort incomplete uploads (CKV_AWS_300's reading)", () => {
    expect(ids(withLifecycle(lifecycleRule({ filter: [{ prefix: "logs/" }] })))).toContain("S3-LIFECYCLE");
    expect(ids(withLifecycle(lifecycleRule({ status: "Disabled" })))).toContain("S3-LIFECYCLE");
    expect(ids(withLifecycle(lifecycleRule({ abort_incomplete_multipart_upload: [] })))).toContain("S3-LIFECYCLE");
    expect(ids(withLifecycle(lifecycleRule({ filter: [] })))).not.toContain("S3-LIFECYCLE");
  });

  it("asks every stage for RDS deletion protection, on instances and clusters", () => {
    for (const stage of ["nonprod", "prod"] as const) {
      expect(ids({ aws_rds_cluster: { c: { storage_encrypted: true, kms_key_id: "k", deletion_protection: false } } }, stage)).toContain("RDS-DELETION-PROTECTION");
      expect(ids(cases["RDS-DELETION-PROTECTION"]!.bad, stage)).toContain("RDS-DELETION-PROTECTION");
    }
  });

  it("maps each rule to checkov checks it implies, each with checkov's own title, and names them in every violation", () => {
    const used = new Set(RULES.flatMap((r) => r.checkov));
    expect([...used].sort()).toEqual(Object.keys(CHECKOV_CHECKS).sort());
    for (const [id, title] of Object.entries(CHECKOV_CHECKS)) {
      expect(id).toMatch(/^CKV2?_AWS_\d+$/);
      expect(title).toMatch(/^(Ensure|Disallow) /);
    }
    for (const rule of RULES) expect(new Set(rule.checkov).size, rule.id).toBe(rule.checkov.length);
    const [violation] = evaluate(stack(cases["S3-ACCESS-LOGGING"]!.bad), "nonprod").filter((v) => v.rule === "S3-ACCESS-LOGGING");
    expect(violation!.checkov).toEqual(["CKV_AWS_18"]);
    expect(formatViolations([violation!])).toContain("[S3-ACCESS-LOGGING ~ CKV_AWS_18] aws_s3_bucket.b");
  });

  it("lists every rule with its checkov checks in the README's guardrails table", () => {
    const readme = readFileSync("README.md", "utf8");
    const table = readme.slice(readme.indexOf("\n## Guardrails\n"), readme.indexOf("\n## ", readme.indexOf("\n## Guardrails\n") + 5));
    for (const rule of RULES) {
      const row = table.split("\n").find((line) => line.startsWith(`| \`${rule.id}\` |`));
      expect(row, rule.id).toBeDefined();
      const checkovCell = row!.split(" | ").at(-1)!;
      const listed = [...checkovCell.matchAll(/CKV2?_AWS_\d+/g)].map((m) => m[0]);
      expect(listed, rule.id).toEqual([...rule.checkov]);
    }
  });

  it("only asks prod for deletion protection", () => {
    const { bad } = cases["PROD-DELETION-PROTECTION"]!;
    expect(ids(bad, "nonprod")).not.toContain("PROD-DELETION-PROTECTION");
  });

  it("honours a suppression with a reason and rejects one without", () => {
    const suppressed = { aws_kms_key: { k: { enable_key_rotation: false, "//": { guardrails: { suppressions: [{ rule: "KMS-KEY-ROTATION", reason: "imported key rotated by the security team" }] } } } } };
    expect(ids(suppressed)).toEqual([]);
    const lazy = { aws_kms_key: { k: { enable_key_rotation: true, "//": { guardrails: { suppressions: [{ rule: "KMS-KEY-ROTATION", reason: "" }] } } } } };
    expect(ids(lazy)).toEqual(["GUARDRAIL-SUPPRESSION"]);
  });

  it("lists every violation with path, rule id and fix in one message", () => {
    const text = formatViolations(evaluate(stack({ ...cases["EC2-IMDSV2"]!.bad, ...cases["HELM-PINNED"]!.bad }), "nonprod"));
    expect(text).toMatch(/^Guardrails failed \(2 violations\)/);
    expect(text).toContain("[EC2-IMDSV2 ~ CKV_AWS_79] aws_launch_template.l");
    expect(text).toContain("[HELM-PINNED] helm_release.h");
  });
});

describe("the guardrails on constructs", () => {
  const badApp = () => {
    const app = new App({ outdir: "/tmp/guardrails-test", skipValidation: false });
    const s = new TerraformStack(app, "bad");
    new AwsProvider(s, "aws", { region: "ap-northeast-2" });
    const bucket = new S3Bucket(s, "naked-bucket", { bucket: "naked" });
    applyGuardrails(s, "prod");
    return { app, s, bucket };
  };

  it("fail synthesis with the construct path of every violation", () => {
    const { s } = badApp();
    expect(() => Testing.synth(s, true)).toThrow(/naked-bucket.*S3-ENCRYPTION-KMS|S3-ENCRYPTION-KMS[\s\S]*naked-bucket/);
  });

  it("are checked across the whole app before anything is written", () => {
    const { app } = badApp();
    expect(() => assertGuardrails(app)).toThrow(GuardrailViolationError);
    const rules = findViolations(app).map((v) => `${v.rule} ${v.path}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        "S3-ENCRYPTION-KMS bad/naked-bucket",
        "S3-PUBLIC-ACCESS-BLOCK bad/naked-bucket",
        "S3-VERSIONING bad/naked-bucket",
        "S3-TLS-ONLY bad/naked-bucket",
        "PROD-DELETION-PROTECTION bad/naked-bucket",
      ]),
    );
  });

  it("record suppressions, with their reasons, in the synthesized JSON", () => {
    const { s, bucket } = badApp();
    const rules = ["S3-ENCRYPTION-KMS", "S3-PUBLIC-ACCESS-BLOCK", "S3-VERSIONING", "S3-TLS-ONLY", "S3-ACCESS-LOGGING", "S3-LIFECYCLE", "PROD-DELETION-PROTECTION"];
    for (const rule of rules) suppress(bucket, rule, "fixture bucket for the guardrail test only");
    expect(() => Testing.synth(s, true)).not.toThrow();
    const json = s.toTerraform() as any;
    const [config] = Object.values(json.resource.aws_s3_bucket) as any[];
    expect(config["//"].guardrails.suppressions).toHaveLength(rules.length);
    expect(config["//"].guardrails.suppressions[0]).toEqual({ rule: "S3-ENCRYPTION-KMS", reason: "fixture bucket for the guardrail test only", checkov: ["CKV_AWS_145"] });
    const listed = suppressionsIn(json);
    expect(listed.map((x) => x.rule).sort()).toEqual([...rules].sort());
    expect(formatSuppressions(listed)).toContain("[S3-ACCESS-LOGGING ~ CKV_AWS_18] bad/naked-bucket (aws_s3_bucket.naked-bucket): fixture bucket for the guardrail test only");
    expect(() => suppress(bucket, "NOT-A-RULE", "a reason that is long enough")).toThrow(/unknown guardrail rule/);
    expect(() => suppress(bucket, "S3-VERSIONING", "")).toThrow(/needs a reason/);
  });

  it("find no violation anywhere in the platform", () => {
    const { stacks } = platform();
    const all = [...stacks.bootstrap, ...Object.values(stacks.environments).flatMap((e) => Object.values(e))];
    const violations = all.flatMap((s) => findViolations(s));
    expect(formatViolations(violations)).toBe(formatViolations([]));
  });
});
