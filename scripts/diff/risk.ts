/**
 * Risk flags: the changes a reviewer must not miss in a synthesized diff. Pure: works on a
 * `StackComparison` from `compare.ts`.
 *
 * - deletion of a stateful resource (data goes with it) — `stateful-deletion`
 * - deletion of a resource something live depends on (subnet, node group, access entry or policy
 *   association, ENIConfig) — `deletion`
 * - a change to a force-new attribute (`force-new.ts`): the resource is replaced — `replacement`;
 *   high for stateful and critical types, saying whether the old one is destroyed first
 * - a change of the ENIConfig (custom networking pod subnets) — `eniconfig-change`
 * - a removed + added pair with the same identity: a renamed construct id — `rename`
 * - an EKS cluster or node group version jumping more than one minor, or going down — `version-jump`
 * - IAM policies granting more (new actions/resources/principals, wildcards, removed denies,
 *   broad managed policies, cluster-admin access entries, a policy or attachment moved to another
 *   principal) — `iam-widening`
 * - deletion protection switched off — `protection-removed`
 * - the state backend moved — `backend-change`
 * - a stack no longer synthesized — `stack-removed`
 */
import { substituteReferences, type StackComparison } from "./compare";
import { type ForceNewChange, forceNewChanges } from "./force-new";
import { findPolicies, policyWidening } from "./iam";
import { canonical, deepEqual, Embedded, isPlainObject, plain, valuesAt } from "./normalize";
import type { Entity, RiskFlag, Severity } from "./types";

/** Resources that hold data or other resources: deleting or replacing them loses something. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_s3_bucket: "S3 bucket (its objects are deleted with it)",
  aws_kms_key: "KMS key (data encrypted with it becomes unreadable once the deletion window ends)",
  aws_db_instance: "RDS database instance",
  aws_rds_cluster: "Aurora/RDS cluster",
  aws_opensearch_domain: "OpenSearch domain (its indices)",
  aws_eks_cluster: "EKS cluster (every workload running on it)",
  aws_prometheus_workspace: "Managed Prometheus workspace (its metrics history)",
  aws_cloudwatch_log_group: "CloudWatch log group (its log history)",
  aws_dynamodb_table: "DynamoDB table",
  aws_efs_file_system: "EFS file system",
  aws_ebs_volume: "EBS volume",
  aws_backup_vault: "AWS Backup vault (its recovery points)",
  aws_secretsmanager_secret: "Secrets Manager secret",
  aws_ecr_repository: "ECR repository (its images)",
};

/**
 * Resources that hold no data but whose replacement or deletion cuts something live; rated like
 * stateful ones. Terraform replaces destroy-first unless `lifecycle.create_before_destroy` is set.
 */
export const CRITICAL_TYPES: Readonly<Record<string, string>> = {
  aws_subnet: "subnet (the network interfaces of the EKS control plane, nodes, RDS and OpenSearch are in it)",
  aws_vpc_ipv4_cidr_block_association: "VPC secondary CIDR (the subnets carved from it)",
  aws_eks_node_group: "EKS managed node group (the pods on its nodes)",
  aws_eks_access_entry: "EKS access entry (the principal's access to the cluster)",
  aws_eks_access_policy_association: "EKS access policy association (the principal's Kubernetes permissions)",
};

const ENICONFIG_LABEL = "ENIConfig (custom networking: the pod subnet and security groups of each AZ)";

/**
 * The ENIConfig definitions a resource carries, as canonical text, sorted: the `eniConfig` values
 * of the vpc-cni managed add-on (`configuration_values`) or of an aws-vpc-cni Helm release,
 * `set` entries named `eniConfig.…`, and any object of `kind: ENIConfig` (a `kubernetes_manifest`,
 * a manifest in chart values). Empty when the resource carries none.
 */
export function eniConfigsOf(body: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (value instanceof Embedded) return visit(value.value);
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isPlainObject(value)) return;
    if (value["kind"] === "ENIConfig" || (typeof value["name"] === "string" && value["name"].startsWith("eniConfig"))) {
      found.push(canonical(value));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === "eniConfig") found.push(canonical(child));
      else visit(child);
    }
  };
  visit(body);
  return found.sort();
}

/** Why losing this resource hurts, for the non-stateful resources rated high. */
export function criticalLabel(entity: Entity): string | undefined {
  if (entity.kind !== "resource" || entity.type === undefined) return undefined;
  return CRITICAL_TYPES[entity.type] ?? (eniConfigsOf(entity.body).length > 0 ? `resource carrying the ${ENICONFIG_LABEL}` : undefined);
}

function few(values: readonly string[], max = 5): string {
  return values.length <= max ? values.join(", ") : `${values.slice(0, max).join(", ")} (+${values.length - max} more)`;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(plain(value));
}

/** What a stateful resource is, naming the Terraform state bucket and key specifically. */
export function statefulLabel(stack: string, entity: Entity): string | undefined {
  if (entity.kind !== "resource" || entity.type === undefined) return undefined;
  const label = STATEFUL_TYPES[entity.type];
  if (!label) return undefined;
  const bucket = valuesAt(entity.body, ["bucket"]);
  if (entity.type === "aws_s3_bucket" && ((typeof bucket === "string" && bucket.includes("tfstate")) || stack.startsWith("bootstrap"))) {
    return "Terraform state bucket (every stack's state)";
  }
  if (entity.type === "aws_kms_key" && stack.startsWith("bootstrap")) return "KMS key of the Terraform state (state becomes unreadable)";
  return label;
}

const HIGH: Severity = "high";
const MEDIUM: Severity = "medium";

function minorOf(version: unknown): [number, number] | undefined {
  if (typeof version !== "string") return undefined;
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** A Kubernetes version change that EKS will not apply in one step. */
export function versionJump(oldVersion: unknown, newVersion: unknown): string | undefined {
  const before = minorOf(oldVersion);
  const after = minorOf(newVersion);
  if (!before || !after || (before[0] === after[0] && before[1] === after[1])) return undefined;
  if (before[0] !== after[0]) return `major version change ${String(oldVersion)} → ${String(newVersion)}`;
  const delta = after[1] - before[1];
  if (delta < 0) return `downgrade ${String(oldVersion)} → ${String(newVersion)}: EKS cannot downgrade a control plane or node group`;
  if (delta > 1) {
    return `jumps ${delta} minor versions (${String(oldVersion)} → ${String(newVersion)}): EKS upgrades one minor version at a time; go through each version`;
  }
  return undefined;
}

const VERSIONED_TYPES = new Set(["aws_eks_cluster", "aws_eks_node_group"]);

/** A setting that guards a resource against loss, and the value that means "protected". */
export interface Protection {
  readonly path: readonly string[];
  readonly protectedWhen: (v: unknown) => boolean;
  readonly label: string;
  /** Only these types (every type when absent). */
  readonly types?: readonly string[];
}

/**
 * Protection settings: Terraform's `prevent_destroy`; provider arguments that refuse or soften a
 * delete (`deletion_protection` on aws_db_instance and aws_eks_cluster, `deletion_protection_enabled`
 * on aws_cloudwatch_log_group since AWS provider 6.25.0, `force_destroy`, `skip_final_snapshot`,
 * `skip_destroy`); and `create_before_destroy` on node groups (without it a replacement destroys the
 * old group first).
 */
export const PROTECTIONS: readonly Protection[] = [
  { path: ["lifecycle", "prevent_destroy"], protectedWhen: (v) => v === true, label: "lifecycle.prevent_destroy" },
  { path: ["lifecycle", "create_before_destroy"], protectedWhen: (v) => v === true, label: "lifecycle.create_before_destroy", types: ["aws_eks_node_group"] },
  { path: ["deletion_protection"], protectedWhen: (v) => v === true, label: "deletion_protection" },
  { path: ["deletion_protection_enabled"], protectedWhen: (v) => v === true, label: "deletion_protection_enabled" },
  { path: ["force_destroy"], protectedWhen: (v) => v !== true, label: "force_destroy" },
  { path: ["skip_final_snapshot"], protectedWhen: (v) => v !== true, label: "skip_final_snapshot" },
  { path: ["skip_destroy"], protectedWhen: (v) => v === true, label: "skip_destroy" },
];

/** AWS managed policies that grant (nearly) everything. */
const BROAD_MANAGED_POLICY = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess)$/;
const CLUSTER_ADMIN_POLICY = /:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/;

/** Types whose policy documents attach to a principal defined elsewhere. */
const ATTACHING_TYPES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role_policy: ["role"],
  aws_iam_user_policy: ["user"],
  aws_iam_group_policy: ["group"],
  aws_iam_role_policy_attachment: ["role"],
  aws_iam_user_policy_attachment: ["user"],
  aws_iam_group_policy_attachment: ["group"],
  aws_iam_policy_attachment: ["roles", "users", "groups"],
  aws_s3_bucket_policy: ["bucket"],
  aws_kms_key_policy: ["key_id"],
  aws_opensearch_domain_policy: ["domain_name"],
};

/** Addresses referenced in a value (`${aws_iam_role.x.name}` → `aws_iam_role.x`). */
function referencedAddresses(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === "string") {
      for (const m of v.matchAll(/\$\{[^}]*?\b((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\./g)) found.add(m[1] as string);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isPlainObject(v)) Object.values(v).forEach(visit);
  };
  visit(value);
  return [...found];
}

/** `true` when a policy body of this type attaches to a principal (or bucket, key…) present on both sides. */
function targetsExist(type: string, body: unknown, { base, head }: StackComparison): boolean {
  const targets = (ATTACHING_TYPES[type] ?? []).flatMap((attr) => referencedAddresses(valuesAt(body, [attr])));
  return targets.some((t) => base.has(t) && head.has(t));
}

function iamFlags(stack: string, address: string, type: string | undefined, oldBody: unknown, newBody: unknown, isNew: boolean, targetsExisting: boolean): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const oldPolicies = new Map(findPolicies(oldBody).map((p) => [p.path, p.statements]));
  for (const policy of findPolicies(newBody)) {
    const widening = policyWidening(policy.path, oldPolicies.get(policy.path) ?? [], policy.statements);
    if (!widening) continue;
    if (isNew && !targetsExisting) {
      // A brand-new principal with a brand-new policy: only action/principal wildcards and
      // NotAction-style allows are worth a flag (`Resource: "*"` is legitimate for actions
      // without resource-level permissions).
      const broad = [...widening.wildcards.filter((w) => !w.startsWith("Resource")), ...widening.other];
      if (broad.length === 0) continue;
      flags.push({
        severity: HIGH,
        kind: "iam-widening",
        stack,
        address,
        message: `new policy \`${policy.path}\` uses wildcards: ${broad.join("; ")}`,
        details: widening.grants,
      });
      continue;
    }
    const parts: string[] = [];
    if (widening.actions.length > 0) parts.push(`new action(s): ${few(widening.actions)}`);
    if (widening.resources.length > 0) parts.push(`new resource(s): ${few(widening.resources)}`);
    if (widening.wildcards.length > 0) parts.push(`wildcards: ${widening.wildcards.join(", ")}`);
    const what = isNew ? "grants new permissions to an existing principal" : "widens";
    const broad = widening.wildcards.some((w) => !w.startsWith("Resource")) || widening.other.length > 0;
    flags.push({
      severity: broad ? HIGH : MEDIUM,
      kind: "iam-widening",
      stack,
      address,
      message: `\`${policy.path}\` ${what}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`,
      details: [...widening.grants, ...widening.other],
    });
  }

  const newArn = valuesAt(newBody, ["policy_arn"]);
  const oldArn = valuesAt(oldBody, ["policy_arn"]);
  if (typeof newArn === "string" && newArn !== oldArn) {
    if (BROAD_MANAGED_POLICY.test(newArn)) {
      flags.push({ severity: HIGH, kind: "iam-widening", stack, address, message: `attaches the broad managed policy \`${newArn}\`` });
    } else if (type === "aws_eks_access_policy_association" && CLUSTER_ADMIN_POLICY.test(newArn)) {
      const principal = valuesAt(newBody, ["principal_arn"]);
      flags.push({ severity: HIGH, kind: "iam-widening", stack, address, message: `grants EKS cluster-admin to \`${text(principal)}\`` });
    }
  }
  const oldManaged = valuesAt(oldBody, ["managed_policy_arns"]);
  const newManaged = valuesAt(newBody, ["managed_policy_arns"]);
  if (Array.isArray(newManaged)) {
    for (const arn of newManaged) {
      if (typeof arn === "string" && BROAD_MANAGED_POLICY.test(arn) && !(Array.isArray(oldManaged) && oldManaged.includes(arn))) {
        flags.push({ severity: HIGH, kind: "iam-widening", stack, address, message: `attaches the broad managed policy \`${arn}\`` });
      }
    }
  }
  return flags;
}

function attributes(forced: readonly ForceNewChange[]): string {
  return forced.map((f) => `\`${f.attribute}\``).join(", ");
}

/**
 * The flag for a resource Terraform replaces: high when the resource is stateful or critical
 * (a node group whether or not its old group is destroyed first: all its nodes are replaced), with
 * what the replacement does.
 */
export function replacementFlag(stack: string, address: string, after: Entity, forced: readonly ForceNewChange[], label: string | undefined): RiskFlag {
  const type = after.type ?? "";
  const reference = forced.every((f) => f.reference);
  const createFirst = valuesAt(after.body, ["lifecycle", "create_before_destroy"]) === true;
  const verb = reference ? "may be replaced" : "is replaced";
  const details = forced.map((f) => `${f.attribute}: ${text(f.old)} → ${text(f.new)}`);
  const known = reference ? " (the values are references, known at plan time)" : "";
  const flag = (severity: Severity, message: string, extra: readonly string[] = []): RiskFlag => ({
    severity,
    kind: "replacement",
    stack,
    address,
    message: `${message}${known}`,
    details: [...details, ...extra],
  });
  const order = createFirst
    ? "the new one is created before the old one is destroyed (create_before_destroy)"
    : "the old one is destroyed first (no create_before_destroy)";

  if (type === "aws_eks_node_group") {
    if (!createFirst) {
      return flag(HIGH, `${verb} and the old group is destroyed first (no create_before_destroy): its nodes are drained and terminated before the new group exists; ${attributes(forced)} force(s) a new node group`);
    }
    const name = valuesAt(after.body, ["node_group_name"]);
    const sameName = typeof name === "string" && !forced.some((f) => f.attribute === "node_group_name");
    // Still high: every node of the group is replaced, every pod on it evicted and rescheduled, and
    // the surge needs a second group's capacity (addresses, quotas) until the old one is drained.
    return flag(
      HIGH,
      `${verb}: the new group is created before the old one is destroyed (create_before_destroy), then every node of the old group is drained; ${attributes(forced)} force(s) a new node group`,
      sameName ? [`node_group_name ${name} is unchanged: node group names are unique in a cluster, so the new group cannot be created while the old one exists (change the name with the force-new attribute)`] : [],
    );
  }
  if (type === "aws_subnet") {
    const cidr = forced.find((f) => f.attribute === "cidr_block");
    const readdressed = cidr ? ` (re-addressed: cidr_block ${text(cidr.old)} → ${text(cidr.new)})` : "";
    return flag(
      HIGH,
      `${verb}${readdressed}: ${attributes(forced)} force(s) a new subnet and ${order}; AWS refuses to delete a subnet that still has network interfaces (EKS, nodes, RDS, OpenSearch) and everything placed in it by ID must move`,
    );
  }
  if (type === "aws_eks_access_entry" || type === "aws_eks_access_policy_association") {
    const gap = createFirst ? "" : ": the principal has no such access between the destroy and the create (access gap)";
    return flag(HIGH, `${verb}, not updated: ${attributes(forced)} force(s) a new ${type === "aws_eks_access_entry" ? "access entry" : "policy association"} and ${order}${gap}`);
  }
  return flag(label ? HIGH : MEDIUM, `${verb}: ${attributes(forced)} force(s) a new resource${label ? ` (${label})` : ""}`);
}

/** The risk flags of one stack comparison, most severe first. */
export function stackRisks(cmp: StackComparison): RiskFlag[] {
  const { diff, base, head, renames } = cmp;
  const stack = diff.stack;
  const flags: RiskFlag[] = [];

  if (diff.status === "removed") {
    const stateful = [...base.values()].filter((e) => (statefulLabel(stack, e) ?? criticalLabel(e)) !== undefined);
    flags.push({
      severity: stateful.length > 0 ? HIGH : MEDIUM,
      kind: "stack-removed",
      stack,
      address: stack,
      message: `stack no longer synthesized: \`cdktf deploy\` leaves its ${base.size} block(s) orphaned (still in AWS and in its state); destroy it first if that is the intent`,
      details: stateful.map((e) => `${e.address}: ${statefulLabel(stack, e) ?? criticalLabel(e)}`),
    });
    return flags;
  }

  for (const removed of diff.removed) {
    const entity = base.get(removed.address);
    if (!entity) continue;
    const label = statefulLabel(stack, entity);
    const critical = criticalLabel(entity);
    if (!label && !critical) continue;
    const protectedByLifecycle = valuesAt(entity.body, ["lifecycle", "prevent_destroy"]) === true;
    flags.push({
      severity: HIGH,
      kind: label ? "stateful-deletion" : "deletion",
      stack,
      address: removed.address,
      message:
        `${label ? `deletes a stateful resource: ${label}` : `deletes the ${critical}`}` +
        `${protectedByLifecycle ? "; its prevent_destroy goes away with the block, so it does not protect it" : ""}`,
    });
  }

  for (const rename of diff.renamed) {
    if (rename.kind !== "resource") continue;
    const entity = base.get(rename.from);
    const label = entity ? (statefulLabel(stack, entity) ?? criticalLabel(entity)) : undefined;
    flags.push({
      severity: label ? HIGH : MEDIUM,
      kind: "rename",
      stack,
      address: rename.to,
      message:
        `probably a renamed construct id: this replaces real infrastructure (destroys \`${rename.from}\`, creates \`${rename.to}\`, matched on ${rename.matchedOn})` +
        `${label ? ` (stateful: ${label})` : ""}. Keep the construct id, or move the state (cdktf \`moveTo\`/\`moveFromId\`).`,
    });
  }

  for (const change of diff.changed) {
    const oldAddress = change.movedFrom ?? change.address;
    const before = base.get(oldAddress);
    const after = head.get(change.address);
    if (!before || !after) continue;

    if (after.kind === "terraform" && after.name === "backend") {
      flags.push({
        severity: HIGH,
        kind: "backend-change",
        stack,
        address: change.address,
        message: "the state backend changes: Terraform reads another state (an empty one plans to create everything); migrate with `terraform init -migrate-state`",
        details: change.changes.map((c) => `${c.path}: ${text(c.old)} → ${text(c.new)}`),
      });
      continue;
    }
    if (after.kind !== "resource" || after.type === undefined) continue;
    const type = after.type;
    const stateful = statefulLabel(stack, after);
    const label = stateful ?? criticalLabel(after) ?? criticalLabel(before);
    const described = stateful ? `stateful: ${stateful}` : label;

    const forced = forceNewChanges(type, before.body, after.body, renames);
    if (forced.length > 0) flags.push(replacementFlag(stack, change.address, after, forced, described));

    const eniBefore = eniConfigsOf(substituteReferences(before.body, renames));
    const eniAfter = eniConfigsOf(after.body);
    if (forced.length === 0 && eniBefore.join("\n") !== eniAfter.join("\n")) {
      flags.push({
        severity: HIGH,
        kind: "eniconfig-change",
        stack,
        address: change.address,
        message:
          `changes the ${ENICONFIG_LABEL}: the VPC CNI applies it when it attaches pod network interfaces, so running nodes keep the ones they have ` +
          "until they are replaced, and an AZ left without an ENIConfig gives its new nodes no pod addresses; replace the node groups deliberately",
        details: [`before: ${eniBefore.length > 0 ? eniBefore.join(" ") : "(none)"}`, `after: ${eniAfter.length > 0 ? eniAfter.join(" ") : "(none)"}`],
      });
    }

    if (VERSIONED_TYPES.has(type)) {
      const jump = versionJump(valuesAt(before.body, ["version"]), valuesAt(after.body, ["version"]));
      if (jump) flags.push({ severity: HIGH, kind: "version-jump", stack, address: change.address, message: `Kubernetes version ${jump}` });
    }

    for (const protection of PROTECTIONS) {
      if (protection.types && !protection.types.includes(type)) continue;
      const was = valuesAt(before.body, protection.path);
      const now = valuesAt(after.body, protection.path);
      if (protection.protectedWhen(was) && !protection.protectedWhen(now) && !deepEqual(was, now)) {
        flags.push({
          severity: label ? HIGH : MEDIUM,
          kind: "protection-removed",
          stack,
          address: change.address,
          message: `\`${protection.label}\` ${text(was ?? "(unset)")} → ${text(now ?? "(unset)")}: protection against deletion removed${described ? ` (${described})` : ""}`,
        });
      }
    }

    // A policy or attachment moved to another principal grants all it holds to that principal: judged
    // as new. The principal is the addresses referenced (`.name` or `.id` of one role is one principal).
    const attachedTo = (body: unknown) =>
      canonical(
        (ATTACHING_TYPES[type] ?? []).map((attr) => {
          const refs = referencedAddresses(valuesAt(body, [attr]));
          return refs.length > 0 ? refs.sort() : valuesAt(body, [attr]);
        }),
      );
    const moved = attachedTo(substituteReferences(before.body, renames)) !== attachedTo(after.body);
    flags.push(...iamFlags(stack, change.address, type, moved ? undefined : before.body, after.body, moved, targetsExist(type, after.body, cmp)));
  }

  for (const added of diff.added) {
    const entity = head.get(added.address);
    if (!entity || entity.kind !== "resource") continue;
    flags.push(...iamFlags(stack, added.address, entity.type, undefined, entity.body, true, targetsExist(entity.type ?? "", entity.body, cmp)));
  }

  return sortRisks(flags);
}

const KIND_ORDER: readonly string[] = [
  "stateful-deletion",
  "deletion",
  "backend-change",
  "stack-removed",
  "replacement",
  "eniconfig-change",
  "rename",
  "protection-removed",
  "version-jump",
  "iam-widening",
];

/** High before medium, then by kind (deletions first), stack and address. */
export function sortRisks(flags: readonly RiskFlag[]): RiskFlag[] {
  return [...flags].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === "high" ? -1 : 1) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.stack.localeCompare(b.stack) ||
      a.address.localeCompare(b.address),
  );
}
