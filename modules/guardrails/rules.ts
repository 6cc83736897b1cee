/**
 * The platform's guardrail rule pack: each rule has a stable id, a one-line rationale and a fix
 * hint, and checks the resolved Terraform JSON of one stack. Pure functions, no cdktf.
 */
import {
  asList,
  block,
  blocks,
  isSet,
  isTrue,
  referencing,
  ResourceView,
  statementsOf,
} from "./terraform-json";
import { isRepositoryChart } from "../helm/chart-crds";
import { TENANCY_RULES } from "./tenancy-rules";

/** What a rule is told about the stack it checks. */
export interface RuleContext {
  readonly resources: readonly ResourceView[];
  /** Prod stacks get the stateful-resource protection rules. */
  readonly stage: "prod" | "nonprod";
}

/** One resource breaking one rule. */
export interface Finding {
  readonly resource: ResourceView;
  readonly message: string;
}

/**
 * The checkov checks the rules answer, by id, with each check's title as checkov's source writes
 * it (bridgecrewio/checkov, commit 03d5fdad8d6154b1565799a7b1fb8070c158866f:
 * `checkov/terraform/checks/resource/aws/*.py` `name`, `checkov/terraform/checks/graph_checks/aws/*.yaml`
 * `metadata.name`). A reviewer reading a suppression of a rule sees which scanner findings it
 * answers; a team running checkov maps its findings back to the rule.
 */
export const CHECKOV_CHECKS = {
  CKV_AWS_3: "Ensure all data stored in the EBS is securely encrypted",
  CKV_AWS_5: "Ensure all data stored in the Elasticsearch is securely encrypted at rest",
  CKV_AWS_6: "Ensure all Elasticsearch has node-to-node encryption enabled",
  CKV_AWS_7: "Ensure rotation for customer created CMKs is enabled",
  CKV_AWS_16: "Ensure all data stored in the RDS is securely encrypted at rest",
  CKV_AWS_18: "Ensure the S3 bucket has access logging enabled",
  CKV_AWS_21: "Ensure all data stored in the S3 bucket have versioning enabled",
  CKV_AWS_24: "Ensure no security groups allow ingress from 0.0.0.0:0 to port 22",
  CKV_AWS_25: "Ensure no security groups allow ingress from 0.0.0.0:0 to port 3389",
  CKV_AWS_27: "Ensure all data stored in the SQS queue is encrypted",
  CKV_AWS_37: "Ensure Amazon EKS control plane logging is enabled for all log types",
  CKV_AWS_38: "Ensure Amazon EKS public endpoint not accessible to 0.0.0.0/0",
  CKV_AWS_53: "Ensure S3 bucket has block public ACLS enabled",
  CKV_AWS_54: "Ensure S3 bucket has block public policy enabled",
  CKV_AWS_55: "Ensure S3 bucket has ignore public ACLs enabled",
  CKV_AWS_56: "Ensure S3 bucket has 'restrict_public_buckets' enabled",
  CKV_AWS_58: "Ensure EKS Cluster has Secrets Encryption Enabled",
  CKV_AWS_62: 'Ensure IAM policies that allow full "*-*" administrative privileges are not created',
  CKV_AWS_63: 'Ensure no IAM policies documents allow "*" as a statement\'s actions',
  CKV_AWS_66: "Ensure that CloudWatch Log Group specifies retention days",
  CKV_AWS_79: "Ensure Instance Metadata Service Version 1 is not enabled",
  CKV_AWS_83: "Ensure Elasticsearch Domain enforces HTTPS",
  CKV_AWS_96: "Ensure all data stored in Aurora is securely encrypted at rest",
  CKV_AWS_139: "Ensure that RDS clusters have deletion protection enabled",
  CKV_AWS_145: "Ensure that S3 buckets are encrypted with KMS by default",
  CKV_AWS_149: "Ensure that Secrets Manager secret is encrypted using KMS CMK",
  CKV_AWS_158: "Ensure that CloudWatch Log Group is encrypted by KMS",
  CKV_AWS_274: "Disallow IAM roles, users, and groups from using the AWS AdministratorAccess policy",
  CKV_AWS_277: "Ensure no security groups allow ingress from 0.0.0.0:0 to port -1",
  CKV_AWS_293: "Ensure that AWS database instances have deletion protection enabled",
  CKV_AWS_300: "Ensure S3 lifecycle configuration sets period for aborting failed uploads",
  CKV2_AWS_6: "Ensure that S3 bucket has a Public Access block",
  CKV2_AWS_11: "Ensure VPC flow logging is enabled in all VPCs",
  CKV2_AWS_12: "Ensure the default security group of every VPC restricts all traffic",
  CKV2_AWS_56: "Ensure AWS Managed IAMFullAccess IAM policy is not used.",
  CKV2_AWS_61: "Ensure that an S3 bucket has a lifecycle configuration",
} as const;
export type CheckovId = keyof typeof CHECKOV_CHECKS;

export interface Rule {
  /** Stable id, used in suppressions. Never renamed. */
  readonly id: string;
  /**
   * The checkov checks this rule covers: a resource that passes the rule passes each of them, so a
   * suppression of the rule answers their findings on that resource. Empty when checkov has no
   * check that this rule implies (e.g. exact IRSA trusts, pinned charts).
   */
  readonly checkov: readonly CheckovId[];
  /** Why the rule exists, in one line. */
  readonly rationale: string;
  /** How to fix a violation. */
  readonly fix: string;
  readonly check: (ctx: RuleContext) => Finding[];
}

const of = (ctx: RuleContext, ...types: string[]) => ctx.resources.filter((r) => types.includes(r.type));
const finding = (resource: ResourceView, message: string): Finding => ({ resource, message });

/** Every control-plane log type. */
const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const INTERNET = ["0.0.0.0/0", "::/0"];
const LOAD_BALANCER_PORTS = [80, 443];
/** Tag that marks a security group as the front of a public load balancer. */
export const PUBLIC_LOAD_BALANCER_TAG = "platform.io/public-load-balancer";
const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];
const EXACT_CHART_VERSION = /^v?\d+\.\d+\.\d+$/;

function isWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

/** Identity policies: inline role policies, managed policies, the inline_policy blocks of roles. */
function identityPolicies(ctx: RuleContext): { resource: ResourceView; statements: any[] }[] {
  const result: { resource: ResourceView; statements: any[] }[] = [];
  for (const r of of(ctx, "aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy")) {
    result.push({ resource: r, statements: statementsOf(r.config.policy) });
  }
  for (const r of of(ctx, "aws_iam_role")) {
    for (const inline of blocks(r.config.inline_policy)) result.push({ resource: r, statements: statementsOf(inline.policy) });
  }
  return result;
}

/** Resource policies: key, bucket, queue and domain policies. */
function resourcePolicies(ctx: RuleContext): { resource: ResourceView; statements: any[] }[] {
  const fields: Record<string, string> = {
    aws_kms_key: "policy",
    aws_s3_bucket_policy: "policy",
    aws_sqs_queue_policy: "policy",
    aws_opensearch_domain_policy: "access_policies",
    aws_opensearch_domain: "access_policies",
  };
  return ctx.resources
    .filter((r) => fields[r.type] !== undefined)
    .map((r) => ({ resource: r, statements: statementsOf(r.config[fields[r.type]!]) }));
}

/** AWS's default key policy statement: the account root may administer the key (IAM decides the rest). */
function isAccountRootKeyAdmin(resource: ResourceView, statement: any): boolean {
  const principal = asList(statement?.Principal?.AWS);
  return resource.type === "aws_kms_key" && principal.length === 1 && /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(principal[0]!);
}

export const RULES: readonly Rule[] = [
  {
    id: "KMS-KEY-ROTATION",
    checkov: ["CKV_AWS_7"],
    rationale: "Customer managed keys rotate yearly so a leaked key version has a bounded life.",
    fix: "Set enable_key_rotation = true (PlatformKey does).",
    check: (ctx) => of(ctx, "aws_kms_key").filter((r) => !isTrue(r.config.enable_key_rotation)).map((r) => finding(r, "key rotation is off")),
  },
  {
    id: "EKS-SECRETS-ENCRYPTION",
    checkov: ["CKV_AWS_58"],
    rationale: "Kubernetes secrets are envelope-encrypted with a customer managed KMS key.",
    fix: "Set encryption_config { resources = [\"secrets\"], provider.key_arn } (EksControlPlane does).",
    check: (ctx) =>
      of(ctx, "aws_eks_cluster")
        .filter((r) => {
          const config = block(r.config.encryption_config);
          return !config || !asList(config.resources).includes("secrets") || !isSet(block(config.provider)?.key_arn);
        })
        .map((r) => finding(r, "secrets are not encrypted with a KMS key")),
  },
  {
    id: "EKS-CONTROL-PLANE-LOGS",
    checkov: ["CKV_AWS_37"],
    rationale: "Every control-plane log type is needed to audit and debug the cluster.",
    fix: `Set enabled_cluster_log_types = ${JSON.stringify(CONTROL_PLANE_LOG_TYPES)}.`,
    check: (ctx) =>
      of(ctx, "aws_eks_cluster").flatMap((r) => {
        const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !asList(r.config.enabled_cluster_log_types).includes(t));
        return missing.length > 0 ? [finding(r, `control-plane logs missing: ${missing.join(", ")}`)] : [];
      }),
  },
  {
    id: "EKS-PUBLIC-ENDPOINT",
    checkov: ["CKV_AWS_38"],
    rationale: "The Kubernetes API is never open to the whole internet.",
    fix: "Turn endpoint_public_access off or list the allowed CIDRs in public_access_cidrs (no 0.0.0.0/0).",
    check: (ctx) =>
      of(ctx, "aws_eks_cluster")
        .filter((r) => {
          const vpc = block(r.config.vpc_config) ?? {};
          if (!isTrue(vpc.endpoint_public_access)) return false;
          const cidrs = asList(vpc.public_access_cidrs);
          return cidrs.length === 0 || cidrs.some((c) => INTERNET.includes(c));
        })
        .map((r) => finding(r, "the public API endpoint is open to 0.0.0.0/0")),
  },
  {
    id: "EC2-IMDSV2",
    checkov: ["CKV_AWS_79"],
    rationale: "IMDSv2 (session tokens) blocks SSRF-style theft of instance credentials.",
    fix: "Set metadata_options { http_tokens = \"required\", http_put_response_hop_limit = 1 }.",
    check: (ctx) =>
      of(ctx, "aws_launch_template", "aws_instance")
        .filter((r) => block(r.config.metadata_options)?.http_tokens !== "required")
        .map((r) => finding(r, "IMDSv2 is not required")),
  },
  {
    id: "EBS-ENCRYPTED",
    checkov: ["CKV_AWS_3"],
    rationale: "Node and data volumes are encrypted at rest with KMS.",
    fix: "Set encrypted = true on every EBS block device and volume.",
    check: (ctx) => [
      ...of(ctx, "aws_launch_template")
        .filter((r) => blocks(r.config.block_device_mappings).some((m) => !isTrue(block(m.ebs)?.encrypted)))
        .map((r) => finding(r, "a block device is not encrypted")),
      ...of(ctx, "aws_ebs_volume").filter((r) => !isTrue(r.config.encrypted)).map((r) => finding(r, "the volume is not encrypted")),
    ],
  },
  {
    id: "S3-ENCRYPTION-KMS",
    checkov: ["CKV_AWS_145"],
    rationale: "Buckets encrypt objects with a KMS key by default.",
    fix: "Add aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms (SecureBucket does).",
    check: (ctx) =>
      of(ctx, "aws_s3_bucket")
        .filter(
          (bucket) =>
            !referencing(ctx.resources, "aws_s3_bucket_server_side_encryption_configuration", "bucket", bucket).some((sse) =>
              blocks(sse.config.rule).some((rule) =>
                String(block(rule.apply_server_side_encryption_by_default)?.sse_algorithm ?? "").startsWith("aws:kms"),
              ),
            ),
        )
        .map((r) => finding(r, "no SSE-KMS default encryption")),
  },
  {
    id: "S3-PUBLIC-ACCESS-BLOCK",
    checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
    rationale: "No platform bucket is ever public.",
    fix: "Add aws_s3_bucket_public_access_block with all four settings true (SecureBucket does).",
    check: (ctx) =>
      of(ctx, "aws_s3_bucket")
        .filter(
          (bucket) =>
            !referencing(ctx.resources, "aws_s3_bucket_public_access_block", "bucket", bucket).some((b) =>
              ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every((k) => isTrue(b.config[k])),
            ),
        )
        .map((r) => finding(r, "public access is not fully blocked")),
  },
  {
    id: "S3-VERSIONING",
    checkov: ["CKV_AWS_21"],
    rationale: "Versioning lets us recover overwritten or deleted objects (state, backups).",
    fix: "Add aws_s3_bucket_versioning with status Enabled (SecureBucket does).",
    check: (ctx) =>
      of(ctx, "aws_s3_bucket")
        .filter(
          (bucket) =>
            !referencing(ctx.resources, "aws_s3_bucket_versioning", "bucket", bucket).some(
              (v) => block(v.config.versioning_configuration)?.status === "Enabled",
            ),
        )
        .map((r) => finding(r, "versioning is not enabled")),
  },
  {
    id: "S3-TLS-ONLY",
    checkov: [],
    rationale: "Requests to buckets must use TLS.",
    fix: "Add a bucket policy statement denying s3:* when aws:SecureTransport is false (SecureBucket does).",
    check: (ctx) =>
      of(ctx, "aws_s3_bucket")
        .filter(
          (bucket) =>
            !referencing(ctx.resources, "aws_s3_bucket_policy", "bucket", bucket).some((p) =>
              statementsOf(p.config.policy).some(
                (s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
              ),
            ),
        )
        .map((r) => finding(r, "no TLS-only bucket policy")),
  },
  {
    id: "S3-ACCESS-LOGGING",
    checkov: ["CKV_AWS_18"],
    rationale: "Every request to a bucket (state, backups) is recorded in a log bucket for audits and investigations.",
    fix: "Add aws_s3_bucket_logging to the account's access-log bucket (SecureBucket accessLogging); the log bucket itself is the one reasoned exception.",
    check: (ctx) =>
      of(ctx, "aws_s3_bucket")
        .filter((bucket) => !referencing(ctx.resources, "aws_s3_bucket_logging", "bucket", bucket).some((l) => isSet(l.config.target_bucket)))
        .map((r) => finding(r, "no server access logging")),
  },
  {
    id: "S3-LIFECYCLE",
    checkov: ["CKV2_AWS_61", "CKV_AWS_300"],
    rationale: "Buckets expire what they no longer need, failed multipart uploads included, so storage never grows unseen.",
    fix: "Add aws_s3_bucket_lifecycle_configuration with an enabled rule over the whole bucket that aborts incomplete multipart uploads (SecureBucket does).",
    check: (ctx) =>
      of(ctx, "aws_s3_bucket")
        .filter(
          (bucket) =>
            !referencing(ctx.resources, "aws_s3_bucket_lifecycle_configuration", "bucket", bucket).some((l) =>
              blocks(l.config.rule).some(
                (rule) =>
                  rule.status === "Enabled" &&
                  blocks(rule.abort_incomplete_multipart_upload).length > 0 &&
                  blocks(rule.filter).every((f) => !isSet(f.prefix) && f.tag === undefined && f.and === undefined),
              ),
            ),
        )
        .map((r) => finding(r, "no lifecycle rule aborting incomplete multipart uploads over the whole bucket")),
  },
  {
    id: "RDS-ENCRYPTED",
    checkov: ["CKV_AWS_16", "CKV_AWS_96"],
    rationale: "Databases encrypt storage with a customer managed KMS key.",
    fix: "Set storage_encrypted = true and kms_key_id.",
    check: (ctx) =>
      of(ctx, "aws_db_instance", "aws_rds_cluster")
        .filter((r) => !isTrue(r.config.storage_encrypted) || !isSet(r.config.kms_key_id))
        .map((r) => finding(r, "storage is not encrypted with a KMS key")),
  },
  {
    id: "RDS-DELETION-PROTECTION",
    checkov: ["CKV_AWS_293", "CKV_AWS_139"],
    rationale: "A database cannot be deleted by one API call or plan; turning that off is a reviewed decision.",
    fix: "Set deletion_protection = true (KeycloakDatabase does unless given a reason not to, which it records as this rule's suppression).",
    check: (ctx) =>
      of(ctx, "aws_db_instance", "aws_rds_cluster")
        .filter((r) => !isTrue(r.config.deletion_protection))
        .map((r) => finding(r, "deletion protection is off")),
  },
  {
    id: "SECRETS-KMS",
    checkov: ["CKV_AWS_149", "CKV_AWS_27"],
    rationale: "Secrets and queues are encrypted with a customer managed key or SSE.",
    fix: "Set kms_key_id (Secrets Manager, RDS-managed master secrets) or kms_master_key_id / sqs_managed_sse_enabled (SQS).",
    check: (ctx) => [
      ...of(ctx, "aws_secretsmanager_secret").filter((r) => !isSet(r.config.kms_key_id)).map((r) => finding(r, "the secret has no KMS key")),
      ...of(ctx, "aws_db_instance", "aws_rds_cluster")
        .filter((r) => isTrue(r.config.manage_master_user_password) && !isSet(r.config.master_user_secret_kms_key_id))
        .map((r) => finding(r, "the RDS-managed master secret has no KMS key")),
      ...of(ctx, "aws_sqs_queue")
        .filter((r) => !isSet(r.config.kms_master_key_id) && !isTrue(r.config.sqs_managed_sse_enabled))
        .map((r) => finding(r, "the queue is not encrypted")),
    ],
  },
  {
    id: "LOGS-KMS",
    checkov: ["CKV_AWS_158"],
    rationale: "Log groups hold sensitive data and are encrypted with a customer managed key.",
    fix: "Set kms_key_id on the log group (PlatformKey with cloudWatchLogGroupArns grants CloudWatch Logs use of the key).",
    check: (ctx) => of(ctx, "aws_cloudwatch_log_group").filter((r) => !isSet(r.config.kms_key_id)).map((r) => finding(r, "no KMS key")),
  },
  {
    id: "LOGS-RETENTION",
    checkov: ["CKV_AWS_66"],
    rationale: "Every log group has a retention so logs neither vanish early nor pile up forever.",
    fix: "Set retention_in_days.",
    check: (ctx) =>
      of(ctx, "aws_cloudwatch_log_group")
        .filter((r) => !(Number(r.config.retention_in_days) > 0))
        .map((r) => finding(r, "no retention")),
  },
  {
    id: "OPENSEARCH-ENCRYPTION",
    checkov: ["CKV_AWS_5", "CKV_AWS_6", "CKV_AWS_83"],
    rationale: "OpenSearch encrypts data at rest and between nodes and accepts only HTTPS with TLS 1.2+.",
    fix: "Enable encrypt_at_rest, node_to_node_encryption and domain_endpoint_options.enforce_https with a TLS 1.2+ policy.",
    check: (ctx) =>
      of(ctx, "aws_opensearch_domain").flatMap((r) => {
        const problems: string[] = [];
        if (!isTrue(block(r.config.encrypt_at_rest)?.enabled)) problems.push("encryption at rest off");
        if (!isTrue(block(r.config.node_to_node_encryption)?.enabled)) problems.push("node-to-node encryption off");
        const endpoint = block(r.config.domain_endpoint_options);
        if (!isTrue(endpoint?.enforce_https)) problems.push("HTTPS not enforced");
        if (!/TLS-1-[23]/.test(String(endpoint?.tls_security_policy ?? ""))) problems.push("TLS policy below 1.2");
        return problems.length > 0 ? [finding(r, problems.join(", "))] : [];
      }),
  },
  {
    id: "SG-INTERNET-INGRESS",
    checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277"],
    rationale: "Nothing accepts traffic from the internet except public load balancers on 80/443.",
    fix: `Narrow the source CIDR, or (only for a public load balancer's group) use ports 80/443 and tag the group ${PUBLIC_LOAD_BALANCER_TAG}=true.`,
    check: (ctx) => {
      const groups = of(ctx, "aws_security_group");
      const isPublicLb = (groupRef: unknown) =>
        groups.some((g) => isTrue(g.config.tags?.[PUBLIC_LOAD_BALANCER_TAG]) && (groupRef === undefined || String(groupRef).includes(`${g.address}.`)));
      const allowed = (from: unknown, to: unknown, group: unknown) =>
        Number(from) === Number(to) && LOAD_BALANCER_PORTS.includes(Number(from)) && isPublicLb(group);
      const findings: Finding[] = [];
      for (const g of groups) {
        for (const rule of blocks(g.config.ingress)) {
          const open = [...asList(rule.cidr_blocks), ...asList(rule.ipv6_cidr_blocks)].some((c) => INTERNET.includes(c));
          if (open && !(LOAD_BALANCER_PORTS.includes(Number(rule.from_port)) && rule.from_port === rule.to_port && isTrue(g.config.tags?.[PUBLIC_LOAD_BALANCER_TAG]))) {
            findings.push(finding(g, `ingress from the internet on ports ${rule.from_port}-${rule.to_port}`));
          }
        }
      }
      for (const r of of(ctx, "aws_vpc_security_group_ingress_rule")) {
        if ((INTERNET.includes(r.config.cidr_ipv4) || INTERNET.includes(r.config.cidr_ipv6)) && !allowed(r.config.from_port, r.config.to_port, r.config.security_group_id)) {
          findings.push(finding(r, `ingress from the internet on ports ${r.config.from_port}-${r.config.to_port}`));
        }
      }
      for (const r of of(ctx, "aws_security_group_rule").filter((x) => x.config.type === "ingress")) {
        const open = [...asList(r.config.cidr_blocks), ...asList(r.config.ipv6_cidr_blocks)].some((c) => INTERNET.includes(c));
        if (open && !allowed(r.config.from_port, r.config.to_port, r.config.security_group_id)) {
          findings.push(finding(r, `ingress from the internet on ports ${r.config.from_port}-${r.config.to_port}`));
        }
      }
      return findings;
    },
  },
  {
    id: "VPC-FLOW-LOGS",
    checkov: ["CKV2_AWS_11"],
    rationale: "Every VPC records its flows for security investigations.",
    fix: "Add an aws_flow_log for the VPC (Network does).",
    check: (ctx) =>
      of(ctx, "aws_vpc")
        .filter((vpc) => referencing(ctx.resources, "aws_flow_log", "vpc_id", vpc).length === 0)
        .map((r) => finding(r, "no flow log")),
  },
  {
    id: "VPC-DEFAULT-SG-LOCKED",
    checkov: ["CKV2_AWS_12"],
    rationale: "The default security group allows nothing, so nothing lands in it by accident.",
    fix: "Manage aws_default_security_group with ingress = [] and egress = [] (Network does).",
    check: (ctx) =>
      of(ctx, "aws_vpc")
        .filter(
          (vpc) =>
            !referencing(ctx.resources, "aws_default_security_group", "vpc_id", vpc).some(
              (sg) => blocks(sg.config.ingress).length === 0 && blocks(sg.config.egress).length === 0 && Array.isArray(sg.config.ingress),
            ),
        )
        .map((r) => finding(r, "the default security group is not locked down")),
  },
  {
    id: "IAM-NO-WILDCARD-ACTION",
    checkov: ["CKV_AWS_63"],
    rationale: "Policies list the actions they need; `*` and `service:*` grant future actions too.",
    fix: "List the actions explicitly (use AWS's published policy for the add-on).",
    check: (ctx) => [
      ...identityPolicies(ctx).flatMap(({ resource, statements }) =>
        statements
          .filter((s) => s.Effect === "Allow" && asList(s.Action).some(isWildcardAction))
          .map((s) => finding(resource, `allows ${asList(s.Action).filter(isWildcardAction).join(", ")}`)),
      ),
      ...resourcePolicies(ctx).flatMap(({ resource, statements }) =>
        statements
          .filter((s) => s.Effect === "Allow" && asList(s.Action).some(isWildcardAction) && !isAccountRootKeyAdmin(resource, s))
          .map((s) => finding(resource, `allows ${asList(s.Action).filter(isWildcardAction).join(", ")}`)),
      ),
    ],
  },
  {
    id: "IAM-NO-ADMIN",
    checkov: ["CKV_AWS_62", "CKV_AWS_274", "CKV2_AWS_56"],
    rationale: "No role of the platform is an administrator of the account.",
    fix: "Attach a scoped policy instead of AdministratorAccess / PowerUserAccess / IAMFullAccess or Action+Resource `*`.",
    check: (ctx) => [
      ...of(ctx, "aws_iam_role_policy_attachment", "aws_iam_policy_attachment")
        .filter((r) => ADMIN_POLICIES.some((p) => String(r.config.policy_arn ?? "").endsWith(`:policy/${p}`)))
        .map((r) => finding(r, `attaches ${String(r.config.policy_arn).split("/").pop()}`)),
      ...of(ctx, "aws_iam_role")
        .filter((r) => asList(r.config.managed_policy_arns).some((arn) => ADMIN_POLICIES.some((p) => arn.endsWith(`:policy/${p}`))))
        .map((r) => finding(r, "has an administrator managed policy")),
      ...identityPolicies(ctx).flatMap(({ resource, statements }) =>
        statements
          .filter((s) => s.Effect === "Allow" && asList(s.Action).includes("*") && asList(s.Resource).includes("*"))
          .map(() => finding(resource, "allows * on *")),
      ),
    ],
  },
  {
    id: "IRSA-TRUST-EXACT",
    checkov: [],
    rationale: "A web-identity role (IRSA, GitHub Actions) trusts exactly one subject for the STS audience, never a pattern.",
    fix: "Use IrsaRole (StringEquals <issuer>:sub = system:serviceaccount:<ns>:<sa>, <issuer>:aud = sts.amazonaws.com); for GitHub, StringEquals on repo:<org>/<repo>:<context>.",
    check: (ctx) =>
      of(ctx, "aws_iam_role").flatMap((r) =>
        statementsOf(r.config.assume_role_policy)
          .filter((s) => asList(s.Action).includes("sts:AssumeRoleWithWebIdentity"))
          .flatMap((s) => {
            const equals: Record<string, unknown> = s.Condition?.StringEquals ?? {};
            const subEntry = Object.entries(equals).find(([k]) => k.endsWith(":sub"));
            const aud = Object.entries(equals).find(([k]) => k.endsWith(":aud"))?.[1];
            const github = subEntry?.[0].startsWith("token.actions.githubusercontent.com") ?? false;
            const subjects = asList(subEntry?.[1]);
            const exact = github ? /^repo:[\w.-]+\/[\w.-]+:[\w.:/-]+$/ : /^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$/;
            const problems: string[] = [];
            if (s.Condition?.StringLike) problems.push("uses StringLike");
            if (subjects.length === 0 || subjects.some((sub) => sub.includes("*") || !exact.test(sub))) {
              problems.push(github ? "sub is not an exact repository context" : "sub is not one exact service account");
            }
            if (!github && subjects.length > 1) problems.push("sub names more than one service account");
            if (aud !== "sts.amazonaws.com") problems.push("aud is not sts.amazonaws.com");
            return problems.length > 0 ? [finding(r, problems.join(", "))] : [];
          }),
      ),
  },
  {
    id: "HELM-PINNED",
    checkov: [],
    rationale: "Charts come from https/oci repositories at an exact version, so a plan means the same thing tomorrow.",
    fix: "Pin version to an exact x.y.z and use an https:// or oci:// repository (HelmAddon checks this).",
    check: (ctx) =>
      of(ctx, "helm_release").flatMap((r) => {
        const problems: string[] = [];
        if (!EXACT_CHART_VERSION.test(String(r.config.version ?? ""))) problems.push(`version "${r.config.version ?? ""}" is not exact`);
        if (!isRepositoryChart(r.config) && !/^(https|oci):\/\//.test(String(r.config.repository ?? ""))) {
          problems.push(`repository "${r.config.repository ?? ""}" is not https/oci (nor a chart of this repository under ./assets/)`);
        }
        return problems.length > 0 ? [finding(r, problems.join(", "))] : [];
      }),
  },
  {
    id: "PROD-DELETION-PROTECTION",
    checkov: [],
    rationale: "In prod, stateful resources cannot be deleted by a plan.",
    fix: "Set lifecycle.prevent_destroy (and deletion_protection where the resource has it).",
    check: (ctx) => {
      if (ctx.stage !== "prod") return [];
      const preventDestroy = (r: ResourceView) => isTrue(block(r.config.lifecycle)?.prevent_destroy);
      return [
        ...of(ctx, "aws_s3_bucket", "aws_opensearch_domain", "aws_eks_cluster")
          .filter((r) => !preventDestroy(r))
          .map((r) => finding(r, "no prevent_destroy")),
        ...of(ctx, "aws_db_instance", "aws_rds_cluster")
          .filter((r) => !isTrue(r.config.deletion_protection) || !preventDestroy(r))
          .map((r) => finding(r, "no deletion_protection / prevent_destroy")),
      ];
    },
  },
  // Team namespaces, team rights and Pod Identity trust (modules/guardrails/tenancy-rules.ts).
  ...TENANCY_RULES,
];
