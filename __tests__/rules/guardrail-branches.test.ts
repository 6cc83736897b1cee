/**
 * Every branch of every guardrail rule, at its boundary: a compliant baseline the rule accepts, and
 * variants that each break exactly one condition, so a weakened rule fails the case that names the
 * branch it lost. Pure (no cdktf): `npm run mutation` runs these against every mutant of the rules.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../modules/guardrails/engine";
import { PUBLIC_LOAD_BALANCER_TAG, RULES } from "../../modules/guardrails/rules";
import { EXACT_POD_IDENTITY_TAGS, podIdentityRole, teamNamespaceResources } from "../support/tenancy-fixtures";

type Resources = Record<string, Record<string, Record<string, any>>>;
type Stage = "prod" | "nonprod";

/** The messages of `ruleId` alone on a stack made of `resources`. */
function findings(ruleId: string, resources: Resources, stage: Stage = "nonprod"): string[] {
  const rule = RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return evaluate({ resource: resources }, stage, [rule]).map((v) => `${v.address}: ${v.message}`);
}

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (Action: unknown, Resource: unknown = "arn:aws:s3:::b/*") => ({ Effect: "Allow", Action, Resource });
const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const eks = (over: Record<string, unknown> = {}) => ({
  aws_eks_cluster: {
    c: {
      name: "c",
      enabled_cluster_log_types: LOG_TYPES,
      encryption_config: [{ resources: ["secrets"], provider: [{ key_arn: "${aws_kms_key.k.arn}" }] }],
      vpc_config: [{ endpoint_public_access: false, public_access_cidrs: [] }],
      lifecycle: { prevent_destroy: true },
      ...over,
    },
  },
});
const bucket = (over: { sse?: string; pab?: Record<string, boolean>; versioning?: string; tls?: object } = {}): Resources => ({
  aws_s3_bucket: { b: { bucket: "b", lifecycle: { prevent_destroy: true } } },
  aws_s3_bucket_server_side_encryption_configuration: {
    sse: { bucket: "${aws_s3_bucket.b.id}", rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: over.sse ?? "aws:kms" } }] },
  },
  aws_s3_bucket_public_access_block: {
    pab: { bucket: "${aws_s3_bucket.b.id}", block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true, ...over.pab },
  },
  aws_s3_bucket_versioning: { v: { bucket: "${aws_s3_bucket.b.id}", versioning_configuration: { status: over.versioning ?? "Enabled" } } },
  aws_s3_bucket_policy: {
    p: {
      bucket: "${aws_s3_bucket.b.id}",
      policy: policy(over.tls ?? { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    },
  },
});
const domain = (over: Record<string, unknown> = {}) => ({
  aws_opensearch_domain: {
    d: {
      encrypt_at_rest: { enabled: true },
      node_to_node_encryption: { enabled: true },
      domain_endpoint_options: { enforce_https: true, tls_security_policy: "Policy-Min-TLS-1-2-2019-07" },
      lifecycle: { prevent_destroy: true },
      ...over,
    },
  },
});
const sg = (tagged: boolean, ingress: object[]): Resources => ({
  aws_security_group: { g: { ingress, egress: [], tags: tagged ? { [PUBLIC_LOAD_BALANCER_TAG]: "true" } : {} } },
});
const ingressRule = (type: string, extra: Record<string, unknown>): Resources =>
  type === "aws_vpc_security_group_ingress_rule"
    ? { [type]: { r: { security_group_id: "${aws_security_group.g.id}", ...extra } } }
    : { [type]: { r: { type: "ingress", security_group_id: "${aws_security_group.g.id}", ...extra } } };
const irsaRole = (condition: object, action = "sts:AssumeRoleWithWebIdentity") => ({
  aws_iam_role: {
    r: { assume_role_policy: policy({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/x" }, Action: action, Condition: condition }) },
  },
});
const notHttps = (repository: string) => `repository "${repository}" is not https/oci (nor a chart of this repository under ./assets/)`;
const OIDC = "oidc.eks.ap-northeast-2.amazonaws.com/id/ABC";
const GITHUB = "token.actions.githubusercontent.com";

interface Case {
  readonly name: string;
  readonly resources: Resources;
  readonly stage?: Stage;
  /** The one finding expected, `address: message`; none when absent (the compliant side of the boundary). */
  readonly finding?: string;
}

const CASES: Readonly<Record<string, readonly Case[]>> = {
  "KMS-KEY-ROTATION": [
    { name: "rotation on", resources: { aws_kms_key: { k: { enable_key_rotation: true } } } },
    { name: "rotation on as the string Terraform may hold", resources: { aws_kms_key: { k: { enable_key_rotation: "true" } } } },
    { name: "rotation off", resources: { aws_kms_key: { k: { enable_key_rotation: false } } }, finding: "aws_kms_key.k: key rotation is off" },
    { name: "rotation unset", resources: { aws_kms_key: { k: {} } }, finding: "aws_kms_key.k: key rotation is off" },
  ],
  "EKS-SECRETS-ENCRYPTION": [
    { name: "secrets with a key", resources: eks() },
    { name: "no encryption_config", resources: eks({ encryption_config: undefined }), finding: "aws_eks_cluster.c: secrets are not encrypted with a KMS key" },
    {
      name: "encryption_config without secrets",
      resources: eks({ encryption_config: [{ resources: ["configmaps"], provider: [{ key_arn: "k" }] }] }),
      finding: "aws_eks_cluster.c: secrets are not encrypted with a KMS key",
    },
    {
      name: "encryption_config without a key",
      resources: eks({ encryption_config: [{ resources: ["secrets"], provider: [{ key_arn: "" }] }] }),
      finding: "aws_eks_cluster.c: secrets are not encrypted with a KMS key",
    },
    {
      name: "encryption_config without a provider block",
      resources: eks({ encryption_config: [{ resources: ["secrets"] }] }),
      finding: "aws_eks_cluster.c: secrets are not encrypted with a KMS key",
    },
  ],
  "EKS-CONTROL-PLANE-LOGS": [
    { name: "every log type", resources: eks() },
    ...LOG_TYPES.map((missing) => ({
      name: `all but ${missing}`,
      resources: eks({ enabled_cluster_log_types: LOG_TYPES.filter((t) => t !== missing) }),
      finding: `aws_eks_cluster.c: control-plane logs missing: ${missing}`,
    })),
    { name: "two types missing, both named", resources: eks({ enabled_cluster_log_types: LOG_TYPES.slice(2) }), finding: "aws_eks_cluster.c: control-plane logs missing: api, audit" },
  ],
  "EKS-PUBLIC-ENDPOINT": [
    { name: "private endpoint", resources: eks() },
    { name: "private endpoint, open CIDR list ignored", resources: eks({ vpc_config: [{ endpoint_public_access: false, public_access_cidrs: ["0.0.0.0/0"] }] }) },
    { name: "public endpoint, narrow CIDR", resources: eks({ vpc_config: [{ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }] }) },
    {
      name: "public endpoint, no CIDR list (AWS then allows 0.0.0.0/0)",
      resources: eks({ vpc_config: [{ endpoint_public_access: true }] }),
      finding: "aws_eks_cluster.c: the public API endpoint is open to 0.0.0.0/0",
    },
    {
      name: "public endpoint, 0.0.0.0/0 next to a narrow CIDR",
      resources: eks({ vpc_config: [{ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24", "0.0.0.0/0"] }] }),
      finding: "aws_eks_cluster.c: the public API endpoint is open to 0.0.0.0/0",
    },
    {
      name: "public endpoint, ::/0",
      resources: eks({ vpc_config: [{ endpoint_public_access: "true", public_access_cidrs: ["::/0"] }] }),
      finding: "aws_eks_cluster.c: the public API endpoint is open to 0.0.0.0/0",
    },
  ],
  "EC2-IMDSV2": [
    { name: "tokens required", resources: { aws_launch_template: { t: { metadata_options: { http_tokens: "required" } } } } },
    { name: "tokens optional", resources: { aws_launch_template: { t: { metadata_options: { http_tokens: "optional" } } } }, finding: "aws_launch_template.t: IMDSv2 is not required" },
    { name: "no metadata_options", resources: { aws_launch_template: { t: {} } }, finding: "aws_launch_template.t: IMDSv2 is not required" },
    { name: "an instance too", resources: { aws_instance: { i: { metadata_options: [{ http_tokens: "optional" }] } } }, finding: "aws_instance.i: IMDSv2 is not required" },
  ],
  "EBS-ENCRYPTED": [
    {
      name: "every device encrypted",
      resources: { aws_launch_template: { t: { block_device_mappings: [{ ebs: { encrypted: true } }, { ebs: [{ encrypted: "true" }] }] } }, aws_ebs_volume: { v: { encrypted: true } } },
    },
    {
      name: "the second device not encrypted",
      resources: { aws_launch_template: { t: { block_device_mappings: [{ ebs: { encrypted: true } }, { ebs: { encrypted: false } }] } } },
      finding: "aws_launch_template.t: a block device is not encrypted",
    },
    { name: "a volume not encrypted", resources: { aws_ebs_volume: { v: {} } }, finding: "aws_ebs_volume.v: the volume is not encrypted" },
    {
      name: "a mapping without an ebs block",
      resources: { aws_launch_template: { t: { block_device_mappings: [{ ebs: { encrypted: true } }, { device_name: "/dev/xvdb" }] } } },
      finding: "aws_launch_template.t: a block device is not encrypted",
    },
  ],
  "S3-ENCRYPTION-KMS": [
    { name: "aws:kms", resources: bucket() },
    { name: "aws:kms:dsse", resources: bucket({ sse: "aws:kms:dsse" }) },
    { name: "AES256", resources: bucket({ sse: "AES256" }), finding: "aws_s3_bucket.b: no SSE-KMS default encryption" },
    { name: "no SSE configuration", resources: { ...bucket(), aws_s3_bucket_server_side_encryption_configuration: {} }, finding: "aws_s3_bucket.b: no SSE-KMS default encryption" },
    {
      name: "an SSE rule without a default",
      resources: { ...bucket(), aws_s3_bucket_server_side_encryption_configuration: { sse: { bucket: "${aws_s3_bucket.b.id}", rule: [{ bucket_key_enabled: true }] } } },
      finding: "aws_s3_bucket.b: no SSE-KMS default encryption",
    },
    {
      name: "an SSE configuration without rules",
      resources: { ...bucket(), aws_s3_bucket_server_side_encryption_configuration: { sse: { bucket: "${aws_s3_bucket.b.id}", rule: [] } } },
      finding: "aws_s3_bucket.b: no SSE-KMS default encryption",
    },
  ],
  "S3-PUBLIC-ACCESS-BLOCK": [
    { name: "all four settings", resources: bucket() },
    ...["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].map((setting) => ({
      name: `${setting} off`,
      resources: bucket({ pab: { [setting]: false } }),
      finding: "aws_s3_bucket.b: public access is not fully blocked",
    })),
    { name: "no public access block", resources: { ...bucket(), aws_s3_bucket_public_access_block: {} }, finding: "aws_s3_bucket.b: public access is not fully blocked" },
  ],
  "S3-VERSIONING": [
    { name: "Enabled", resources: bucket() },
    { name: "Suspended", resources: bucket({ versioning: "Suspended" }), finding: "aws_s3_bucket.b: versioning is not enabled" },
    { name: "no versioning resource", resources: { ...bucket(), aws_s3_bucket_versioning: {} }, finding: "aws_s3_bucket.b: versioning is not enabled" },
    {
      name: "a versioning resource without its configuration",
      resources: { ...bucket(), aws_s3_bucket_versioning: { v: { bucket: "${aws_s3_bucket.b.id}" } } },
      finding: "aws_s3_bucket.b: versioning is not enabled",
    },
  ],
  "S3-TLS-ONLY": [
    { name: "deny without TLS", resources: bucket() },
    {
      name: "the statement allows instead of denying",
      resources: bucket({ tls: { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } } }),
      finding: "aws_s3_bucket.b: no TLS-only bucket policy",
    },
    {
      name: "the deny is on another condition",
      resources: bucket({ tls: { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } } }),
      finding: "aws_s3_bucket.b: no TLS-only bucket policy",
    },
    { name: "no bucket policy", resources: { ...bucket(), aws_s3_bucket_policy: {} }, finding: "aws_s3_bucket.b: no TLS-only bucket policy" },
    {
      name: "the TLS deny next to another statement",
      resources: {
        ...bucket(),
        aws_s3_bucket_policy: {
          p: {
            bucket: "${aws_s3_bucket.b.id}",
            policy: policy(allow("s3:GetObject"), { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": false } } }),
          },
        },
      },
    },
    {
      name: "a deny without a condition",
      resources: bucket({ tls: { Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" } }),
      finding: "aws_s3_bucket.b: no TLS-only bucket policy",
    },
    {
      name: "a deny on another condition operator",
      resources: bucket({ tls: { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { StringEquals: { "aws:SecureTransport": "false" } } } }),
      finding: "aws_s3_bucket.b: no TLS-only bucket policy",
    },
  ],
  "S3-ACCESS-LOGGING": [
    { name: "logging to a target", resources: { ...bucket(), aws_s3_bucket_logging: { l: { bucket: "${aws_s3_bucket.b.id}", target_bucket: "logs", target_prefix: "b/" } } } },
    { name: "no logging resource", resources: bucket(), finding: "aws_s3_bucket.b: no server access logging" },
    {
      name: "logging of another bucket",
      resources: { ...bucket(), aws_s3_bucket_logging: { l: { bucket: "${aws_s3_bucket.other.id}", target_bucket: "logs", target_prefix: "b/" } } },
      finding: "aws_s3_bucket.b: no server access logging",
    },
    {
      name: "logging without a target",
      resources: { ...bucket(), aws_s3_bucket_logging: { l: { bucket: "${aws_s3_bucket.b.id}", target_bucket: "", target_prefix: "b/" } } },
      finding: "aws_s3_bucket.b: no server access logging",
    },
  ],
  "S3-LIFECYCLE": (() => {
    const rule = (over: Record<string, unknown> = {}) => ({ status: "Enabled", filter: [{ prefix: "" }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }], ...over });
    const withRules = (...rules: object[]): Resources => ({ ...bucket(), aws_s3_bucket_lifecycle_configuration: { lc: { bucket: "${aws_s3_bucket.b.id}", rule: rules } } });
    const finding = "aws_s3_bucket.b: no lifecycle rule aborting incomplete multipart uploads over the whole bucket";
    return [
      { name: "an enabled whole-bucket rule aborting uploads", resources: withRules(rule()) },
      { name: "no filter at all", resources: withRules(rule({ filter: [] })) },
      { name: "one good rule among prefixed ones", resources: withRules(rule({ filter: [{ prefix: "x/" }] }), rule()) },
      { name: "no lifecycle configuration", resources: bucket(), finding },
      { name: "the rule is disabled", resources: withRules(rule({ status: "Disabled" })), finding },
      { name: "the rule does not abort uploads", resources: withRules(rule({ abort_incomplete_multipart_upload: [] })), finding },
      { name: "the rule covers a prefix only", resources: withRules(rule({ filter: [{ prefix: "x/" }] })), finding },
      { name: "the rule covers a tag only", resources: withRules(rule({ filter: [{ tag: [{ key: "k", value: "v" }] }] })), finding },
      { name: "the rule covers an and-filter only", resources: withRules(rule({ filter: [{ and: [{ prefix: "x/" }] }] })), finding },
    ];
  })(),
  "RDS-ENCRYPTED": [
    { name: "encrypted with a key", resources: { aws_db_instance: { d: { storage_encrypted: true, kms_key_id: "k" } }, aws_rds_cluster: { c: { storage_encrypted: true, kms_key_id: "k" } } } },
    { name: "instance not encrypted", resources: { aws_db_instance: { d: { storage_encrypted: false, kms_key_id: "k" } } }, finding: "aws_db_instance.d: storage is not encrypted with a KMS key" },
    { name: "instance without a key", resources: { aws_db_instance: { d: { storage_encrypted: true } } }, finding: "aws_db_instance.d: storage is not encrypted with a KMS key" },
    { name: "cluster without a key", resources: { aws_rds_cluster: { c: { storage_encrypted: true, kms_key_id: "" } } }, finding: "aws_rds_cluster.c: storage is not encrypted with a KMS key" },
  ],
  "RDS-DELETION-PROTECTION": [
    { name: "instance and cluster protected", resources: { aws_db_instance: { d: { deletion_protection: true } }, aws_rds_cluster: { c: { deletion_protection: "true" } } } },
    { name: "nonprod instance unprotected", resources: { aws_db_instance: { d: { deletion_protection: false } } }, finding: "aws_db_instance.d: deletion protection is off" },
    { name: "prod instance unset", stage: "prod", resources: { aws_db_instance: { d: {} } }, finding: "aws_db_instance.d: deletion protection is off" },
    { name: "cluster unprotected", resources: { aws_rds_cluster: { c: { deletion_protection: false } } }, finding: "aws_rds_cluster.c: deletion protection is off" },
  ],
  "SECRETS-KMS": [
    {
      name: "secret, managed master secret and queues encrypted",
      resources: {
        aws_secretsmanager_secret: { s: { kms_key_id: "k" } },
        aws_db_instance: { d: { manage_master_user_password: true, master_user_secret_kms_key_id: "k" }, e: { manage_master_user_password: false } },
        aws_sqs_queue: { q: { kms_master_key_id: "k" }, r: { sqs_managed_sse_enabled: true } },
      },
    },
    { name: "secret without a key", resources: { aws_secretsmanager_secret: { s: {} } }, finding: "aws_secretsmanager_secret.s: the secret has no KMS key" },
    {
      name: "managed master secret without a key",
      resources: { aws_rds_cluster: { c: { manage_master_user_password: true } } },
      finding: "aws_rds_cluster.c: the RDS-managed master secret has no KMS key",
    },
    { name: "queue without encryption", resources: { aws_sqs_queue: { q: { sqs_managed_sse_enabled: false } } }, finding: "aws_sqs_queue.q: the queue is not encrypted" },
    {
      name: "a database's managed master secret without a key",
      resources: { aws_db_instance: { d: { manage_master_user_password: "true" } } },
      finding: "aws_db_instance.d: the RDS-managed master secret has no KMS key",
    },
  ],
  "LOGS-KMS": [
    { name: "with a key", resources: { aws_cloudwatch_log_group: { l: { kms_key_id: "k", retention_in_days: 30 } } } },
    { name: "without a key", resources: { aws_cloudwatch_log_group: { l: { retention_in_days: 30 } } }, finding: "aws_cloudwatch_log_group.l: no KMS key" },
  ],
  "LOGS-RETENTION": [
    { name: "1 day", resources: { aws_cloudwatch_log_group: { l: { kms_key_id: "k", retention_in_days: 1 } } } },
    { name: "0 (never expire)", resources: { aws_cloudwatch_log_group: { l: { kms_key_id: "k", retention_in_days: 0 } } }, finding: "aws_cloudwatch_log_group.l: no retention" },
    { name: "unset", resources: { aws_cloudwatch_log_group: { l: { kms_key_id: "k" } } }, finding: "aws_cloudwatch_log_group.l: no retention" },
  ],
  "OPENSEARCH-ENCRYPTION": [
    { name: "fully encrypted, TLS 1.2", resources: domain() },
    { name: "TLS 1.3 policy", resources: domain({ domain_endpoint_options: { enforce_https: true, tls_security_policy: "Policy-Min-TLS-1-2-PFS-2023-10" } }) },
    { name: "no encryption at rest", resources: domain({ encrypt_at_rest: { enabled: false } }), finding: "aws_opensearch_domain.d: encryption at rest off" },
    { name: "no node-to-node encryption", resources: domain({ node_to_node_encryption: undefined }), finding: "aws_opensearch_domain.d: node-to-node encryption off" },
    {
      name: "HTTPS not enforced",
      resources: domain({ domain_endpoint_options: { enforce_https: false, tls_security_policy: "Policy-Min-TLS-1-2-2019-07" } }),
      finding: "aws_opensearch_domain.d: HTTPS not enforced",
    },
    {
      name: "TLS 1.0 policy",
      resources: domain({ domain_endpoint_options: { enforce_https: true, tls_security_policy: "Policy-Min-TLS-1-0-2019-07" } }),
      finding: "aws_opensearch_domain.d: TLS policy below 1.2",
    },
    {
      name: "every problem in one finding",
      resources: domain({ encrypt_at_rest: {}, node_to_node_encryption: {}, domain_endpoint_options: {} }),
      finding: "aws_opensearch_domain.d: encryption at rest off, node-to-node encryption off, HTTPS not enforced, TLS policy below 1.2",
    },
    { name: "no encrypt_at_rest block", resources: domain({ encrypt_at_rest: undefined }), finding: "aws_opensearch_domain.d: encryption at rest off" },
    { name: "no endpoint options", resources: domain({ domain_endpoint_options: undefined }), finding: "aws_opensearch_domain.d: HTTPS not enforced, TLS policy below 1.2" },
  ],
  "SG-INTERNET-INGRESS": [
    { name: "inline: tagged group on 443", resources: sg(true, [{ from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }]) },
    { name: "inline: untagged group from a private range", resources: sg(false, [{ from_port: 22, to_port: 22, cidr_blocks: ["10.0.0.0/8"] }]) },
    { name: "inline: untagged group on 443", resources: sg(false, [{ from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }]), finding: "aws_security_group.g: ingress from the internet on ports 443-443" },
    { name: "inline: tagged group on 22", resources: sg(true, [{ from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] }]), finding: "aws_security_group.g: ingress from the internet on ports 22-22" },
    { name: "inline: tagged group on 80-443", resources: sg(true, [{ from_port: 80, to_port: 443, ipv6_cidr_blocks: ["::/0"] }]), finding: "aws_security_group.g: ingress from the internet on ports 80-443" },
    {
      name: "inline: a group without tags on 443",
      resources: { aws_security_group: { g: { ingress: [{ from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }], egress: [] } } },
      finding: "aws_security_group.g: ingress from the internet on ports 443-443",
    },
    {
      name: "aws_vpc_security_group_ingress_rule: 443 into a group without tags",
      resources: { aws_security_group: { g: { ingress: [], egress: [] } }, ...ingressRule("aws_vpc_security_group_ingress_rule", { cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 }) },
      finding: "aws_vpc_security_group_ingress_rule.r: ingress from the internet on ports 443-443",
    },
    ...["aws_vpc_security_group_ingress_rule", "aws_security_group_rule"].flatMap((type): Case[] => {
      const open = type === "aws_vpc_security_group_ingress_rule" ? { cidr_ipv4: "0.0.0.0/0" } : { cidr_blocks: ["0.0.0.0/0"] };
      const open6 = type === "aws_vpc_security_group_ingress_rule" ? { cidr_ipv6: "::/0" } : { ipv6_cidr_blocks: ["::/0"] };
      return [
        { name: `${type}: 443 into the tagged group`, resources: { ...sg(true, []), ...ingressRule(type, { ...open, from_port: 443, to_port: 443 }) } },
        { name: `${type}: 80 from ::/0 into the tagged group`, resources: { ...sg(true, []), ...ingressRule(type, { ...open6, from_port: 80, to_port: 80 }) } },
        { name: `${type}: 22 from a private range`, resources: { ...sg(false, []), ...ingressRule(type, { ...(type === "aws_security_group_rule" ? { cidr_blocks: ["10.0.0.0/8"] } : { cidr_ipv4: "10.0.0.0/8" }), from_port: 22, to_port: 22 }) } },
        { name: `${type}: 443 into an untagged group`, resources: { ...sg(false, []), ...ingressRule(type, { ...open, from_port: 443, to_port: 443 }) }, finding: `${type}.r: ingress from the internet on ports 443-443` },
        { name: `${type}: 22 into the tagged group`, resources: { ...sg(true, []), ...ingressRule(type, { ...open, from_port: 22, to_port: 22 }) }, finding: `${type}.r: ingress from the internet on ports 22-22` },
        { name: `${type}: 80-443 into the tagged group`, resources: { ...sg(true, []), ...ingressRule(type, { ...open6, from_port: 80, to_port: 443 }) }, finding: `${type}.r: ingress from the internet on ports 80-443` },
      ];
    }),
    {
      name: "aws_security_group_rule: egress to the internet is not ingress",
      resources: { ...sg(false, []), aws_security_group_rule: { r: { type: "egress", security_group_id: "${aws_security_group.g.id}", cidr_blocks: ["0.0.0.0/0"], from_port: 0, to_port: 0 } } },
    },
    {
      name: "inline: a group without tags, from a private range",
      resources: { aws_security_group: { g: { ingress: [{ from_port: 22, to_port: 22, cidr_blocks: ["10.0.0.0/8"] }], egress: [] } } },
    },
    {
      name: "inline: the internet among private ranges",
      resources: sg(false, [{ from_port: 22, to_port: 22, cidr_blocks: ["10.0.0.0/8", "0.0.0.0/0"] }]),
      finding: "aws_security_group.g: ingress from the internet on ports 22-22",
    },
    {
      name: "aws_security_group_rule: the internet among private ranges",
      resources: { ...sg(false, []), ...ingressRule("aws_security_group_rule", { cidr_blocks: ["10.0.0.0/8", "0.0.0.0/0"], from_port: 22, to_port: 22 }) },
      finding: "aws_security_group_rule.r: ingress from the internet on ports 22-22",
    },
    {
      name: "443 into the tagged group while an untagged group (without tags) exists",
      resources: {
        aws_security_group: { g: { ingress: [], egress: [], tags: { [PUBLIC_LOAD_BALANCER_TAG]: "true" } }, h: { ingress: [], egress: [] } },
        aws_vpc_security_group_ingress_rule: { r: { security_group_id: "${aws_security_group.g.id}", cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 } },
      },
    },
    {
      name: "443 into the untagged group while a tagged group exists",
      resources: {
        aws_security_group: { g: { ingress: [], egress: [], tags: { [PUBLIC_LOAD_BALANCER_TAG]: "true" } }, h: { ingress: [], egress: [], tags: {} } },
        aws_vpc_security_group_ingress_rule: { r: { security_group_id: "${aws_security_group.h.id}", cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 } },
      },
      finding: "aws_vpc_security_group_ingress_rule.r: ingress from the internet on ports 443-443",
    },
    {
      name: "443 from a rule that names no group, next to a tagged group",
      resources: { ...sg(true, []), aws_vpc_security_group_ingress_rule: { r: { cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 } } },
    },
  ],
  "VPC-FLOW-LOGS": [
    { name: "with a flow log", resources: { aws_vpc: { v: {} }, aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}" } } } },
    { name: "flow log of another VPC", resources: { aws_vpc: { v: {}, w: {} }, aws_flow_log: { f: { vpc_id: "${aws_vpc.w.id}" } } }, finding: "aws_vpc.v: no flow log" },
  ],
  "VPC-DEFAULT-SG-LOCKED": [
    { name: "locked", resources: { aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", ingress: [], egress: [] } } } },
    {
      name: "an ingress rule",
      resources: { aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", ingress: [{ self: true }], egress: [] } } },
      finding: "aws_vpc.v: the default security group is not locked down",
    },
    {
      name: "an egress rule",
      resources: { aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", ingress: [], egress: [{ cidr_blocks: ["0.0.0.0/0"] }] } } },
      finding: "aws_vpc.v: the default security group is not locked down",
    },
    {
      name: "ingress left unmanaged (AWS keeps its default allow-self rule)",
      resources: { aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", egress: [] } } },
      finding: "aws_vpc.v: the default security group is not locked down",
    },
    { name: "not managed at all", resources: { aws_vpc: { v: {} } }, finding: "aws_vpc.v: the default security group is not locked down" },
  ],
  "IAM-NO-WILDCARD-ACTION": [
    { name: "listed actions", resources: { aws_iam_role_policy: { p: { policy: policy(allow(["s3:GetObject", "s3:Get*"])) } } } },
    { name: "a denied wildcard", resources: { aws_iam_policy: { p: { policy: policy({ Effect: "Deny", Action: "*", Resource: "*" }) } } } },
    { name: "service:* in a role policy", resources: { aws_iam_role_policy: { p: { policy: policy(allow(["s3:GetObject", "s3:*"])) } } }, finding: "aws_iam_role_policy.p: allows s3:*" },
    { name: "* in a managed policy", resources: { aws_iam_policy: { p: { policy: policy(allow("*")) } } }, finding: "aws_iam_policy.p: allows *" },
    { name: "a user policy", resources: { aws_iam_user_policy: { p: { policy: policy(allow("ec2:*")) } } }, finding: "aws_iam_user_policy.p: allows ec2:*" },
    { name: "a group policy", resources: { aws_iam_group_policy: { p: { policy: policy(allow("ec2:*")) } } }, finding: "aws_iam_group_policy.p: allows ec2:*" },
    { name: "a role's inline_policy", resources: { aws_iam_role: { r: { inline_policy: [{ policy: policy(allow("iam:*")) }] } } }, finding: "aws_iam_role.r: allows iam:*" },
    {
      name: "the account root administering its key",
      resources: { aws_kms_key: { k: { policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }) } } },
    },
    {
      name: "kms:* for a role in a key policy",
      resources: { aws_kms_key: { k: { policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/x" }, Action: "kms:*", Resource: "*" }) } } },
      finding: "aws_kms_key.k: allows kms:*",
    },
    {
      name: "the root and a role in one key statement",
      resources: { aws_kms_key: { k: { policy: policy({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/x"] }, Action: "kms:*", Resource: "*" }) } } },
      finding: "aws_kms_key.k: allows kms:*",
    },
    {
      name: "the root of an account in a bucket policy",
      resources: { aws_s3_bucket_policy: { p: { policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:*", Resource: "*" }) } } },
      finding: "aws_s3_bucket_policy.p: allows s3:*",
    },
    { name: "a queue policy", resources: { aws_sqs_queue_policy: { p: { policy: policy(allow("sqs:*")) } } }, finding: "aws_sqs_queue_policy.p: allows sqs:*" },
    { name: "a domain policy", resources: { aws_opensearch_domain_policy: { p: { access_policies: policy(allow("es:*")) } } }, finding: "aws_opensearch_domain_policy.p: allows es:*" },
    { name: "a domain's access_policies", resources: { aws_opensearch_domain: { d: { access_policies: policy(allow("es:*")) } } }, finding: "aws_opensearch_domain.d: allows es:*" },
    { name: "a partial wildcard is not the service wildcard", resources: { aws_iam_role_policy: { p: { policy: policy(allow("s3:*Object")) } } } },
    { name: "two wildcards in one statement, both named", resources: { aws_iam_role_policy: { p: { policy: policy(allow(["s3:*", "ec2:GetConsoleOutput", "ec2:*"])) } } }, finding: "aws_iam_role_policy.p: allows s3:*, ec2:*" },
    { name: "a denied wildcard in a bucket policy", resources: { aws_s3_bucket_policy: { p: { policy: policy({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" }) } } } },
    {
      name: "a wildcard among listed actions in a bucket policy, named alone",
      resources: { aws_s3_bucket_policy: { p: { policy: policy({ ...allow(["s3:GetObject", "s3:*", "kms:*"]), Principal: { AWS: "arn:aws:iam::111122223333:role/x" } }) } } },
      finding: "aws_s3_bucket_policy.p: allows s3:*, kms:*",
    },
    {
      name: "the root of a GovCloud account administering its key",
      resources: { aws_kms_key: { k: { policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws-us-gov:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }) } } },
    },
    {
      name: "a principal that only starts like an account root",
      resources: { aws_kms_key: { k: { policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:rootless" }, Action: "kms:*", Resource: "*" }) } } },
      finding: "aws_kms_key.k: allows kms:*",
    },
    {
      name: "a principal that only ends like an account root",
      resources: { aws_kms_key: { k: { policy: policy({ Effect: "Allow", Principal: { AWS: "x-arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }) } } },
      finding: "aws_kms_key.k: allows kms:*",
    },
  ],
  "IAM-NO-ADMIN": [
    { name: "a read-only managed policy", resources: { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } } },
    { name: "* on one resource", resources: { aws_iam_role_policy: { p: { policy: policy(allow("*", "arn:aws:s3:::b")) } } } },
    { name: "s3:GetObject on *", resources: { aws_iam_role_policy: { p: { policy: policy(allow("s3:GetObject", "*")) } } } },
    ...["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"].map((name) => ({
      name: `attaches ${name}`,
      resources: { aws_iam_role_policy_attachment: { a: { policy_arn: `arn:aws:iam::aws:policy/${name}` } } },
      finding: `aws_iam_role_policy_attachment.a: attaches ${name}`,
    })),
    { name: "a policy attachment", resources: { aws_iam_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } }, finding: "aws_iam_policy_attachment.a: attaches AdministratorAccess" },
    {
      name: "managed_policy_arns of a role",
      resources: { aws_iam_role: { r: { managed_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/PowerUserAccess"] } } },
      finding: "aws_iam_role.r: has an administrator managed policy",
    },
    { name: "* on *", resources: { aws_iam_role_policy: { p: { policy: policy(allow(["*"], ["*"])) } } }, finding: "aws_iam_role_policy.p: allows * on *" },
    { name: "a role with a read-only managed policy", resources: { aws_iam_role: { r: { managed_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } } } },
    { name: "a denied * on *", resources: { aws_iam_role_policy: { p: { policy: policy({ Effect: "Deny", Action: "*", Resource: "*" }) } } } },
  ],
  "IRSA-TRUST-EXACT": [
    { name: "exact sub and aud", resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:kube-system:x", [`${OIDC}:aud`]: "sts.amazonaws.com" } }) },
    { name: "not a web-identity trust", resources: irsaRole({ StringLike: { "aws:PrincipalArn": "*" } }, "sts:AssumeRole") },
    {
      name: "GitHub: exact repository contexts",
      resources: irsaRole({ StringEquals: { [`${GITHUB}:sub`]: ["repo:org/repo:environment:prd", "repo:org/repo:ref:refs/heads/main"], [`${GITHUB}:aud`]: "sts.amazonaws.com" } }),
    },
    {
      name: "StringLike next to exact values",
      resources: irsaRole({
        StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:kube-system:x", [`${OIDC}:aud`]: "sts.amazonaws.com" },
        StringLike: { [`${OIDC}:sub`]: "system:serviceaccount:*" },
      }),
      finding: "aws_iam_role.r: uses StringLike",
    },
    {
      name: "a wildcard sub",
      resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:kube-system:*", [`${OIDC}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub is not one exact service account",
    },
    {
      name: "a sub that is not a service account",
      resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: "system:node:x", [`${OIDC}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub is not one exact service account",
    },
    {
      name: "two service accounts",
      resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: ["system:serviceaccount:a:x", "system:serviceaccount:b:y"], [`${OIDC}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub names more than one service account",
    },
    { name: "aud without sub", resources: irsaRole({ StringEquals: { [`${OIDC}:aud`]: "sts.amazonaws.com" } }), finding: "aws_iam_role.r: sub is not one exact service account" },
    { name: "sub without aud", resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:kube-system:x" } }), finding: "aws_iam_role.r: aud is not sts.amazonaws.com" },
    {
      name: "another audience",
      resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:kube-system:x", [`${OIDC}:aud`]: "sts.example.com" } }),
      finding: "aws_iam_role.r: aud is not sts.amazonaws.com",
    },
    {
      name: "GitHub: a wildcard context",
      resources: irsaRole({ StringEquals: { [`${GITHUB}:sub`]: "repo:org/repo:*", [`${GITHUB}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub is not an exact repository context",
    },
    {
      name: "GitHub: a whole organisation",
      resources: irsaRole({ StringEquals: { [`${GITHUB}:sub`]: "repo:org", [`${GITHUB}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub is not an exact repository context",
    },
    { name: "no condition at all", resources: irsaRole(undefined as unknown as object), finding: "aws_iam_role.r: sub is not one exact service account, aud is not sts.amazonaws.com" },
    {
      name: "aud listed before sub",
      resources: irsaRole({ StringEquals: { [`${OIDC}:aud`]: "sts.amazonaws.com", [`${OIDC}:sub`]: "system:serviceaccount:external-dns:external-dns" } }),
    },
    {
      name: "a service account sub with a suffix",
      resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:kube-system:x/y", [`${OIDC}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub is not one exact service account",
    },
    {
      name: "a service account sub with a prefix",
      resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: "x-system:serviceaccount:kube-system:x", [`${OIDC}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub is not one exact service account",
    },
    {
      name: "an exact and a wildcard service account",
      resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: ["system:serviceaccount:a:x", "system:serviceaccount:b:*"], [`${OIDC}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub is not one exact service account, sub names more than one service account",
    },
    {
      name: "StringLike and no audience, both named",
      resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:a:x" }, StringLike: { [`${OIDC}:sub`]: "system:serviceaccount:a:x" } }),
      finding: "aws_iam_role.r: uses StringLike, aud is not sts.amazonaws.com",
    },
    {
      name: "GitHub: a context with a suffix",
      resources: irsaRole({ StringEquals: { [`${GITHUB}:sub`]: "repo:org/repo:environment:prd x", [`${GITHUB}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub is not an exact repository context",
    },
    {
      name: "GitHub: a context with a prefix",
      resources: irsaRole({ StringEquals: { [`${GITHUB}:sub`]: "Xrepo:org/repo:environment:prd", [`${GITHUB}:aud`]: "sts.amazonaws.com" } }),
      finding: "aws_iam_role.r: sub is not an exact repository context",
    },
  ],
  "HELM-PINNED": [
    { name: "x.y.z over https", resources: { helm_release: { h: { version: "1.2.3", repository: "https://charts.example.com" } } } },
    { name: "vx.y.z over oci", resources: { helm_release: { h: { version: "v1.2.3", repository: "oci://public.ecr.aws/x" } } } },
    { name: "a range", resources: { helm_release: { h: { version: "^1.2.3", repository: "https://c" } } }, finding: 'helm_release.h: version "^1.2.3" is not exact' },
    { name: "x.y", resources: { helm_release: { h: { version: "1.2", repository: "https://c" } } }, finding: 'helm_release.h: version "1.2" is not exact' },
    { name: "a suffix", resources: { helm_release: { h: { version: "1.2.3-rc.1 ", repository: "https://c" } } }, finding: 'helm_release.h: version "1.2.3-rc.1 " is not exact' },
    { name: "no version", resources: { helm_release: { h: { repository: "https://c" } } }, finding: 'helm_release.h: version "" is not exact' },
    { name: "http", resources: { helm_release: { h: { version: "1.2.3", repository: "http://c" } } }, finding: `helm_release.h: ${notHttps("http://c")}` },
    { name: "no repository", resources: { helm_release: { h: { version: "1.2.3", chart: "x" } } }, finding: `helm_release.h: ${notHttps("")}` },
    { name: "https later in the string", resources: { helm_release: { h: { version: "1.2.3", repository: "file://https://c" } } }, finding: `helm_release.h: ${notHttps("file://https://c")}` },
    { name: "a chart of this repository (stack asset)", resources: { helm_release: { h: { version: "0.1.0", chart: "./assets/platform-resources/0A1B2C" } } } },
    {
      name: "a stack asset path with a repository set",
      resources: { helm_release: { h: { version: "0.1.0", chart: "./assets/platform-resources/0A1B2C", repository: "http://c" } } },
      finding: `helm_release.h: ${notHttps("http://c")}`,
    },
    { name: "a path outside the stack's assets", resources: { helm_release: { h: { version: "0.1.0", chart: "../charts/x/0A1B2C" } } }, finding: `helm_release.h: ${notHttps("")}` },
    { name: "an asset path with more folders", resources: { helm_release: { h: { version: "0.1.0", chart: "./assets/a/b/0A1B2C" } } }, finding: `helm_release.h: ${notHttps("")}` },
    { name: "both problems, both named", resources: { helm_release: { h: { version: "1.2", repository: "http://c" } } }, finding: `helm_release.h: version "1.2" is not exact, ${notHttps("http://c")}` },
  ],
  "PROD-DELETION-PROTECTION": [
    {
      name: "prod: every stateful type protected",
      stage: "prod",
      resources: {
        ...bucket(),
        ...domain(),
        ...eks(),
        aws_db_instance: { d: { deletion_protection: true, lifecycle: { prevent_destroy: true } } },
        aws_rds_cluster: { r: { deletion_protection: true, lifecycle: [{ prevent_destroy: true }] } },
      },
    },
    { name: "nonprod: nothing asked", resources: { aws_s3_bucket: { b: {} }, aws_db_instance: { d: {} } } },
    ...(["aws_s3_bucket", "aws_opensearch_domain", "aws_eks_cluster"] as const).map(
      (type): Case => ({ name: `prod: ${type} without prevent_destroy`, stage: "prod", resources: { [type]: { x: { lifecycle: { prevent_destroy: false } } } }, finding: `${type}.x: no prevent_destroy` }),
    ),
    ...(["aws_db_instance", "aws_rds_cluster"] as const).flatMap((type): Case[] => [
      { name: `prod: ${type} without deletion_protection`, stage: "prod", resources: { [type]: { x: { deletion_protection: false, lifecycle: { prevent_destroy: true } } } }, finding: `${type}.x: no deletion_protection / prevent_destroy` },
      { name: `prod: ${type} without prevent_destroy`, stage: "prod", resources: { [type]: { x: { deletion_protection: true } } }, finding: `${type}.x: no deletion_protection / prevent_destroy` },
    ]),
  ],
};

/** The tenancy rules (modules/guardrails/tenancy-rules.ts), one part of a team namespace at a time. */
const TENANCY_CASES: Readonly<Record<string, readonly Case[]>> = {
  "TEAM-NAMESPACE-BASELINE": [
    { name: "a complete team namespace", resources: teamNamespaceResources() },
    { name: "a namespace without the team label is not checked", resources: { kubernetes_namespace_v1: { other: { metadata: { name: "other" } } } } },
    ...(
      [
        [{ psa: false }, "the pod-security.kubernetes.io/enforce label"],
        [{ quota: false }, "a ResourceQuota"],
        [{ limitRange: false }, "a LimitRange"],
        [{ defaultDeny: "missing" }, "a default-deny NetworkPolicy"],
        [{ defaultDeny: "allows-ingress" }, "a default-deny NetworkPolicy"],
        [{ automount: true }, "a default service account with automount_service_account_token = false"],
        [{ automount: "missing" }, "a default service account with automount_service_account_token = false"],
      ] as const
    ).map(([variant, missing]): Case => ({
      name: `without ${JSON.stringify(variant)}`,
      resources: teamNamespaceResources(variant),
      finding: `kubernetes_namespace_v1.ns: team namespace without ${missing}`,
    })),
  ],
  "TEAM-NO-CLUSTER-RIGHTS": [
    ...["admin", "edit", "view"].map((role): Case => ({ name: `ClusterRole ${role} in the namespace`, resources: teamNamespaceResources({ role }) })),
    { name: "cluster-admin in a team namespace", resources: teamNamespaceResources({ role: "cluster-admin" }), finding: "kubernetes_role_binding_v1.rb: binds ClusterRole/cluster-admin in a team namespace (only ClusterRole admin, edit or view)" },
    { name: "the team's group in a ClusterRoleBinding", resources: teamNamespaceResources({ clusterBinding: true }), finding: "kubernetes_cluster_role_binding_v1.crb: gives the team subjects Group/oidc:team-payments cluster-wide rights" },
  ],
  "POD-IDENTITY-TRUST-EXACT": [
    { name: "one cluster, namespace and service account", resources: podIdentityRole(EXACT_POD_IDENTITY_TAGS) },
    { name: "not a Pod Identity trust", resources: irsaRole({ StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:kube-system:x", [`${OIDC}:aud`]: "sts.amazonaws.com" } }) },
    {
      name: "a wildcard namespace",
      resources: podIdentityRole({ ...EXACT_POD_IDENTITY_TAGS, "aws:RequestTag/kubernetes-namespace": "kube-*" }),
      finding: "aws_iam_role.r: trusts pods.eks.amazonaws.com without one exact kubernetes-namespace",
    },
    {
      name: "no conditions",
      resources: podIdentityRole({}),
      finding: "aws_iam_role.r: trusts pods.eks.amazonaws.com without one exact eks-cluster-name, kubernetes-namespace, kubernetes-service-account",
    },
    {
      name: "two service accounts",
      resources: podIdentityRole({ ...EXACT_POD_IDENTITY_TAGS, "aws:RequestTag/kubernetes-service-account": ["a", "b"] }),
      finding: "aws_iam_role.r: trusts pods.eks.amazonaws.com without one exact kubernetes-service-account",
    },
  ],
};
Object.assign(CASES, TENANCY_CASES);

describe("every guardrail rule, branch by branch", () => {
  it("has cases for every rule, each with a compliant side and a violation", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const [id, cases] of Object.entries(CASES)) {
      expect(cases.some((c) => c.finding === undefined), `${id}: a compliant case`).toBe(true);
      expect(cases.some((c) => c.finding !== undefined), `${id}: a violating case`).toBe(true);
    }
  });

  for (const [id, cases] of Object.entries(CASES)) {
    describe(id, () => {
      it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        expect(findings(id, c.resources, c.stage)).toEqual(c.finding === undefined ? [] : [c.finding]);
      });
    });
  }
});
