/**
 * Every branch of the review tool's risk rules (scripts/diff/risk.ts), one change per case. The
 * types that hold data and the settings that protect against deletion are stated here on their own,
 * with the reason, so that dropping one from the rule's tables fails a named case instead of
 * shrinking the loop that tests it. Pure (no cdktf).
 */
import { describe, expect, it } from "vitest";
import { compareStack } from "../../scripts/diff/compare";
import { eniConfigsOf, sortRisks, stackRisks, versionJump } from "../../scripts/diff/risk";
import type { RiskFlag, TfJson } from "../../scripts/diff/types";

type Body = Record<string, unknown>;
type Resources = Record<string, Record<string, Body>>;

function tf(resources: Resources | undefined, extra: Body = {}): TfJson | undefined {
  if (resources === undefined) return undefined;
  const resource = Object.fromEntries(
    Object.entries(resources).map(([type, byName]) => [
      type,
      Object.fromEntries(Object.entries(byName).map(([name, body]) => [name, { "//": { metadata: { path: `s/${name}`, uniqueId: name } }, ...body }])),
    ]),
  );
  return { "//": { metadata: { backend: "s3", stackName: "s", version: "0.21.0" } }, resource, ...extra };
}

function risks(before: Resources | undefined, after: Resources | undefined, stack = "s", extra: { before?: Body; after?: Body } = {}): RiskFlag[] {
  return stackRisks(compareStack(stack, tf(before, extra.before), tf(after, extra.after)));
}
const brief = (flags: readonly RiskFlag[]) => flags.map((f) => `${f.severity} ${f.kind} ${f.address}`);

/**
 * Types whose deletion loses data (kept apart from risk.ts's table on purpose), with a body that
 * identifies them so a removed block is not taken for a rename.
 */
const HOLDS_DATA: Readonly<Record<string, string>> = {
  aws_s3_bucket: "its objects",
  aws_kms_key: "everything encrypted with it",
  aws_db_instance: "the database",
  aws_rds_cluster: "the database",
  aws_opensearch_domain: "its indices",
  aws_eks_cluster: "every workload on it",
  aws_prometheus_workspace: "metrics history",
  aws_cloudwatch_log_group: "log history",
  aws_dynamodb_table: "its items",
  aws_efs_file_system: "its files",
  aws_ebs_volume: "its blocks",
  aws_backup_vault: "recovery points",
  aws_secretsmanager_secret: "the secret",
  aws_ecr_repository: "its images",
};
/** Types whose deletion cuts something live. */
const CUTS_SOMETHING_LIVE: Readonly<Record<string, string>> = {
  aws_subnet: "network interfaces in it",
  aws_vpc_ipv4_cidr_block_association: "subnets carved from it",
  aws_eks_node_group: "pods on its nodes",
  aws_eks_access_entry: "a principal's access",
  aws_eks_access_policy_association: "a principal's Kubernetes permissions",
};

describe("deletions", () => {
  it.each(Object.entries(HOLDS_DATA))("deleting %s (%s) is a high stateful deletion", (type) => {
    expect(brief(risks({ [type]: { x: { name: "x" } } }, {}))).toEqual([`high stateful-deletion ${type}.x`]);
  });
  it.each(Object.entries(CUTS_SOMETHING_LIVE))("deleting %s (%s) is a high deletion", (type) => {
    expect(brief(risks({ [type]: { x: { name: "x" } } }, {}))).toEqual([`high deletion ${type}.x`]);
  });
  it("deleting a security group is not flagged", () => {
    expect(risks({ aws_security_group: { x: { name: "x" } } }, {})).toEqual([]);
  });
  it("says a prevent_destroy goes away with the deleted block", () => {
    const [flag] = risks({ aws_s3_bucket: { x: { bucket: "x", lifecycle: { prevent_destroy: true } } } }, {});
    expect(flag?.message).toContain("its prevent_destroy goes away with the block");
    const [plain] = risks({ aws_s3_bucket: { x: { bucket: "x" } } }, {});
    expect(plain?.message).not.toContain("prevent_destroy");
  });
  it("names the Terraform state bucket and its key", () => {
    expect(risks({ aws_s3_bucket: { x: { bucket: "acme-tfstate" } } }, {})[0]?.message).toContain("Terraform state bucket");
    expect(risks({ aws_s3_bucket: { x: { bucket: "state" } } }, {}, "bootstrap-prod")[0]?.message).toContain("Terraform state bucket");
    expect(risks({ aws_s3_bucket: { x: { bucket: "logs" } } }, {})[0]?.message).not.toContain("Terraform state");
    expect(risks({ aws_kms_key: { x: { description: "k" } } }, {}, "bootstrap-prod")[0]?.message).toContain("KMS key of the Terraform state");
    expect(risks({ aws_kms_key: { x: { description: "k" } } }, {}, "dev-cluster")[0]?.message).not.toContain("Terraform state");
  });
});

describe("stacks no longer synthesized", () => {
  it("is high when the stack held data", () => {
    const [flag] = risks({ aws_s3_bucket: { x: { bucket: "x" } }, aws_security_group: { g: { name: "g" } } }, undefined);
    expect(brief([flag!])).toEqual(["high stack-removed s"]);
    expect(flag?.details).toEqual([expect.stringContaining("aws_s3_bucket.x")]);
  });
  it("is high when the stack held something live", () => {
    expect(brief(risks({ aws_subnet: { x: { cidr_block: "10.0.0.0/24" } } }, undefined))).toEqual(["high stack-removed s"]);
  });
  it("is medium otherwise", () => {
    expect(brief(risks({ aws_security_group: { g: { name: "g" } } }, undefined))).toEqual(["medium stack-removed s"]);
  });
});

describe("protection removed", () => {
  /** Each setting that guards against loss: a protected and an unprotected value, on a type it applies to. */
  const SETTINGS: readonly { readonly type: string; readonly path: readonly string[]; readonly on: unknown; readonly off: unknown }[] = [
    { type: "aws_s3_bucket", path: ["lifecycle", "prevent_destroy"], on: true, off: false },
    { type: "aws_eks_node_group", path: ["lifecycle", "create_before_destroy"], on: true, off: false },
    { type: "aws_db_instance", path: ["deletion_protection"], on: true, off: false },
    { type: "aws_eks_cluster", path: ["deletion_protection"], on: true, off: undefined },
    { type: "aws_cloudwatch_log_group", path: ["deletion_protection_enabled"], on: true, off: false },
    { type: "aws_s3_bucket", path: ["force_destroy"], on: false, off: true },
    { type: "aws_db_instance", path: ["skip_final_snapshot"], on: false, off: true },
    { type: "aws_eks_addon", path: ["skip_destroy"], on: true, off: false },
  ];
  const body = (path: readonly string[], value: unknown): Body => {
    if (value === undefined) return { name: "x" };
    return path.length === 1 ? { name: "x", [path[0]!]: value } : { name: "x", [path[0]!]: { [path[1]!]: value } };
  };
  it.each(SETTINGS.map((s) => [`${s.type} ${s.path.join(".")}`, s] as const))("%s switched off is flagged", (_n, s) => {
    const flags = risks({ [s.type]: { x: body(s.path, s.on) } }, { [s.type]: { x: body(s.path, s.off) } }).filter((f) => f.kind === "protection-removed");
    const severity = s.type in HOLDS_DATA || s.type in CUTS_SOMETHING_LIVE ? "high" : "medium";
    expect(brief(flags)).toEqual([`${severity} protection-removed ${s.type}.x`]);
    expect(flags[0]?.message).toContain(s.path.join("."));
  });
  it.each(SETTINGS.map((s) => [`${s.type} ${s.path.join(".")}`, s] as const))("%s switched on is not flagged", (_n, s) => {
    const flags = risks({ [s.type]: { x: body(s.path, s.off) } }, { [s.type]: { x: body(s.path, s.on) } }).filter((f) => f.kind === "protection-removed");
    expect(flags).toEqual([]);
  });
  it("create_before_destroy is a protection of node groups only", () => {
    const flags = risks(
      { aws_security_group: { x: { name: "x", lifecycle: { create_before_destroy: true } } } },
      { aws_security_group: { x: { name: "x", lifecycle: { create_before_destroy: false } } } },
    );
    expect(flags).toEqual([]);
  });
  it("unset force_destroy and false are the same protection", () => {
    expect(risks({ aws_s3_bucket: { x: { bucket: "x", force_destroy: false } } }, { aws_s3_bucket: { x: { bucket: "x" } } })).toEqual([]);
  });
});

describe("Kubernetes version jumps", () => {
  it.each([
    ["1.32", "1.33", undefined],
    ["1.33", "1.33", undefined],
    ["v1.32", "1.33.2", undefined],
    ["1.31", "1.33", "jumps 2 minor versions"],
    ["1.33", "1.32", "downgrade"],
    ["1.33", "2.0", "major version change"],
    [undefined, "1.33", undefined],
    ["1.33", "latest", undefined],
  ] as const)("%s → %s", (from, to, expected) => {
    const result = versionJump(from, to);
    if (expected === undefined) expect(result).toBeUndefined();
    else expect(result).toContain(expected);
  });
  it.each(["aws_eks_cluster", "aws_eks_node_group"])("is flagged high on %s", (type) => {
    const flags = risks({ [type]: { x: { name: "x", version: "1.31" } } }, { [type]: { x: { name: "x", version: "1.33" } } }).filter((f) => f.kind === "version-jump");
    expect(brief(flags)).toEqual([`high version-jump ${type}.x`]);
  });
  it("is not read on other types", () => {
    expect(risks({ aws_eks_addon: { x: { addon_name: "x", version: "1.31" } } }, { aws_eks_addon: { x: { addon_name: "x", version: "1.33" } } })).toEqual([]);
  });
});

describe("IAM widening", () => {
  const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
  const rolePolicy = (...statements: object[]) => ({ aws_iam_role: { r: { name: "r", assume_role_policy: "{}" } }, aws_iam_role_policy: { p: { role: "${aws_iam_role.r.id}", policy: policy(...statements) } } });
  const get = { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] };

  it("an unchanged policy is not flagged", () => {
    expect(risks(rolePolicy(get), rolePolicy(get))).toEqual([]);
  });
  it("a new action is medium", () => {
    const flags = risks(rolePolicy(get), rolePolicy({ ...get, Action: ["s3:GetObject", "s3:PutObject"] }));
    expect(brief(flags)).toEqual(["medium iam-widening aws_iam_role_policy.p"]);
    expect(flags[0]?.message).toContain("new action(s): s3:PutObject");
  });
  it("a new resource is medium", () => {
    const flags = risks(rolePolicy(get), rolePolicy({ ...get, Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"] }));
    expect(brief(flags)).toEqual(["medium iam-widening aws_iam_role_policy.p"]);
    expect(flags[0]?.message).toContain("new resource(s): arn:aws:s3:::c/*");
  });
  it("Resource * on a changed policy is medium, an action wildcard high", () => {
    expect(brief(risks(rolePolicy(get), rolePolicy({ ...get, Resource: "*" })))).toEqual(["medium iam-widening aws_iam_role_policy.p"]);
    expect(brief(risks(rolePolicy(get), rolePolicy({ ...get, Action: "s3:*" })))).toEqual(["high iam-widening aws_iam_role_policy.p"]);
  });
  it("a new role with a new policy on Resource * is not flagged; with an action wildcard it is high", () => {
    expect(risks({}, rolePolicy({ ...get, Resource: "*" }))).toEqual([]);
    const flags = risks({}, rolePolicy({ ...get, Action: "*" }));
    expect(brief(flags)).toEqual(["high iam-widening aws_iam_role_policy.p"]);
    expect(flags[0]?.message).toContain("uses wildcards");
  });
  it("a new policy on an existing role is medium: it grants new permissions to an existing principal", () => {
    const before = { aws_iam_role: { r: { name: "r", assume_role_policy: "{}" } } };
    const flags = risks(before, rolePolicy(get));
    expect(brief(flags)).toEqual(["medium iam-widening aws_iam_role_policy.p"]);
    expect(flags[0]?.message).toContain("grants new permissions to an existing principal");
  });
  it("attaching a broad managed policy is high; a narrow one is not flagged", () => {
    const attach = (arn: string) => ({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: arn } } });
    expect(brief(risks({}, attach("arn:aws:iam::aws:policy/AdministratorAccess")))).toEqual(["high iam-widening aws_iam_role_policy_attachment.a"]);
    expect(brief(risks({}, attach("arn:aws:iam::aws:policy/AmazonS3FullAccess")))).toEqual(["high iam-widening aws_iam_role_policy_attachment.a"]);
    expect(risks({}, attach("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"))).toEqual([]);
    expect(risks(attach("arn:aws:iam::aws:policy/AdministratorAccess"), attach("arn:aws:iam::aws:policy/AdministratorAccess"))).toEqual([]);
  });
  it("a cluster-admin access policy association is high; a view one is not flagged", () => {
    const assoc = (policyName: string) => ({
      aws_eks_access_policy_association: { a: { cluster_name: "c", principal_arn: "arn:aws:iam::111122223333:role/x", policy_arn: `arn:aws:eks::aws:cluster-access-policy/${policyName}`, access_scope: { type: "cluster" } } },
    });
    const flags = risks({}, assoc("AmazonEKSClusterAdminPolicy"));
    expect(brief(flags)).toEqual(["high iam-widening aws_eks_access_policy_association.a"]);
    expect(flags[0]?.message).toContain("arn:aws:iam::111122223333:role/x");
    expect(risks({}, assoc("AmazonEKSViewPolicy"))).toEqual([]);
  });
  it("a broad policy newly in a role's managed_policy_arns is high", () => {
    const role = (arns: string[]) => ({ aws_iam_role: { r: { name: "r", managed_policy_arns: arns } } });
    const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    expect(brief(risks(role([]), role([admin])))).toEqual(["high iam-widening aws_iam_role.r"]);
    expect(risks(role([admin]), role([admin, "arn:aws:iam::aws:policy/ReadOnlyAccess"]))).toEqual([]);
  });
});

describe("replacements", () => {
  const nodeGroup = (over: Body = {}): Body => ({ cluster_name: "c", node_group_name: "g", ami_type: "AL2023_x86_64_STANDARD", ...over });
  it("a stateful resource replaced is high and named", () => {
    const flags = risks({ aws_s3_bucket: { x: { bucket: "a" } } }, { aws_s3_bucket: { x: { bucket: "b" } } });
    expect(brief(flags)).toEqual(["high replacement aws_s3_bucket.x"]);
    expect(flags[0]?.message).toContain("S3 bucket");
  });
  it("a stateless resource replaced is medium", () => {
    expect(brief(risks({ aws_security_group: { x: { name: "a" } } }, { aws_security_group: { x: { name: "b" } } }))).toEqual(["medium replacement aws_security_group.x"]);
  });
  it("an update in place is not a replacement", () => {
    expect(risks({ aws_security_group: { x: { name: "a", ingress: [] } } }, { aws_security_group: { x: { name: "a", ingress: [{ from_port: 1 }] } } })).toEqual([]);
  });
  it("a node group replaced is high either way, and says in which order", () => {
    const destroyFirst = risks({ aws_eks_node_group: { x: nodeGroup() } }, { aws_eks_node_group: { x: nodeGroup({ ami_type: "BOTTLEROCKET_x86_64" }) } });
    expect(brief(destroyFirst)).toEqual(["high replacement aws_eks_node_group.x"]);
    expect(destroyFirst[0]?.message).toContain("destroyed first");
    const cbd = { lifecycle: { create_before_destroy: true } };
    const createFirst = risks({ aws_eks_node_group: { x: nodeGroup(cbd) } }, { aws_eks_node_group: { x: nodeGroup({ ...cbd, ami_type: "BOTTLEROCKET_x86_64" }) } });
    expect(brief(createFirst)).toEqual(["high replacement aws_eks_node_group.x"]);
    expect(createFirst[0]?.message).toContain("created before the old one is destroyed");
    expect(createFirst[0]?.details?.join("\n")).toContain("node_group_name g is unchanged");
    const renamed = risks(
      { aws_eks_node_group: { x: nodeGroup(cbd) } },
      { aws_eks_node_group: { x: nodeGroup({ ...cbd, ami_type: "BOTTLEROCKET_x86_64", node_group_name: "g2" }) } },
    );
    expect(renamed[0]?.details?.join("\n")).not.toContain("is unchanged");
  });
  it("a subnet replaced is high and says whether it is re-addressed", () => {
    const subnet = (cidr: string, az = "ap-northeast-2a") => ({ aws_subnet: { x: { vpc_id: "v", cidr_block: cidr, availability_zone: az } } });
    const readdressed = risks(subnet("10.0.0.0/24"), subnet("10.0.1.0/24"));
    expect(brief(readdressed)).toEqual(["high replacement aws_subnet.x"]);
    expect(readdressed[0]?.message).toContain("re-addressed: cidr_block 10.0.0.0/24 → 10.0.1.0/24");
    const moved = risks(subnet("10.0.0.0/24"), subnet("10.0.0.0/24", "ap-northeast-2b"));
    expect(brief(moved)).toEqual(["high replacement aws_subnet.x"]);
    expect(moved[0]?.message).not.toContain("re-addressed");
  });
  it("an access entry replaced is high and leaves an access gap unless created first", () => {
    const entry = (principal: string, over: Body = {}) => ({ aws_eks_access_entry: { x: { cluster_name: "c", principal_arn: principal, ...over } } });
    const gap = risks(entry("arn:aws:iam::1:role/a"), entry("arn:aws:iam::1:role/b"));
    expect(brief(gap)).toEqual(["high replacement aws_eks_access_entry.x"]);
    expect(gap[0]?.message).toContain("access gap");
    const cbd = { lifecycle: { create_before_destroy: true } };
    const noGap = risks(entry("arn:aws:iam::1:role/a", cbd), entry("arn:aws:iam::1:role/b", cbd));
    expect(brief(noGap)).toEqual(["high replacement aws_eks_access_entry.x"]);
    expect(noGap[0]?.message).not.toContain("access gap");
  });
});

describe("state backend", () => {
  it("a moved backend is high", () => {
    const backend = (key: string) => ({ terraform: { backend: { s3: { bucket: "b", key } } } });
    const flags = risks({}, {}, "s", { before: backend("a.tfstate"), after: backend("b.tfstate") });
    expect(brief(flags)).toEqual(["high backend-change terraform.backend"]);
  });
});

describe("order of the flags", () => {
  it("high before medium, then deletions first, then stack and address", () => {
    const flag = (severity: RiskFlag["severity"], kind: RiskFlag["kind"], stack: string, address: string): RiskFlag => ({ severity, kind, stack, address, message: "" });
    const sorted = sortRisks([
      flag("medium", "stateful-deletion", "a", "a"),
      flag("high", "iam-widening", "a", "a"),
      flag("high", "stateful-deletion", "b", "b"),
      flag("high", "stateful-deletion", "b", "a"),
      flag("high", "stateful-deletion", "a", "z"),
      flag("high", "replacement", "a", "a"),
    ]);
    expect(sorted.map((f) => `${f.severity} ${f.kind} ${f.stack} ${f.address}`)).toEqual([
      "high stateful-deletion a z",
      "high stateful-deletion b a",
      "high stateful-deletion b b",
      "high replacement a a",
      "high iam-widening a a",
      "medium stateful-deletion a a",
    ]);
  });
});

describe("ENIConfig definitions", () => {
  const eni = (subnet: string) => ({ create: true, region: "r", subnets: { a: { id: subnet, securityGroups: ["sg-1"] } } });
  it("are found as kind: ENIConfig objects, eniConfig.* set entries and eniConfig keys, sorted", () => {
    expect(eniConfigsOf({ manifest: [{ kind: "ENIConfig", metadata: { name: "b" } }] })).toHaveLength(1);
    expect(eniConfigsOf({ set: [{ name: "eniConfig.create", value: "true" }, { name: "image.tag", value: "x" }] })).toHaveLength(1);
    expect(eniConfigsOf({ values: { eniConfig: eni("subnet-1") } })).toHaveLength(1);
    expect(eniConfigsOf({ name: "x-eniConfig", kind: "ConfigMap", values: { other: 1 } })).toEqual([]);
    expect(eniConfigsOf("eniConfig")).toEqual([]);
    const two = eniConfigsOf({ list: [{ kind: "ENIConfig", metadata: { name: "z" } }, { kind: "ENIConfig", metadata: { name: "a" } }] });
    expect(two).toEqual([...two].sort());
    expect(two[0]).toContain('"a"');
  });
  it("a changed ENIConfig is high; deleting what carries one is a high deletion", () => {
    const addon = (subnet: string) => ({ aws_eks_addon: { cni: { cluster_name: "c", addon_name: "vpc-cni", configuration_values: JSON.stringify({ eniConfig: eni(subnet) }) } } });
    const flags = risks(addon("subnet-1"), addon("subnet-2"));
    expect(brief(flags)).toEqual(["high eniconfig-change aws_eks_addon.cni"]);
    expect(flags[0]?.details?.[0]).toContain("subnet-1");
    expect(brief(risks(addon("subnet-1"), addon("subnet-1")))).toEqual([]);
    const deleted = risks(addon("subnet-1"), {});
    expect(brief(deleted)).toEqual(["high deletion aws_eks_addon.cni"]);
    expect(deleted[0]?.message).toContain("ENIConfig");
  });
});

describe("messages say what changed", () => {
  const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
  const rolePolicy = (...statements: object[]) => ({ aws_iam_role: { r: { name: "r", assume_role_policy: "{}" } }, aws_iam_role_policy: { p: { role: "${aws_iam_role.r.id}", policy: policy(...statements) } } });
  const get = { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] };

  it("a widened policy names its new actions and resources, and details the grants", () => {
    const [flag] = risks(rolePolicy(get), rolePolicy({ ...get, Action: ["s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"] }));
    expect(flag?.message).toMatch(/widens \(new action\(s\): s3:PutObject, new resource\(s\): arn:aws:s3:::c\/\*\)$/);
    expect(flag?.details?.length).toBeGreaterThan(0);
  });
  it("a new resource wildcard is named as such", () => {
    const [flag] = risks(rolePolicy(get), rolePolicy({ ...get, Resource: "*" }));
    expect(flag?.message).toContain("wildcards: ");
  });
  it("more than five new actions are shortened", () => {
    const actions = (n: number) => Array.from({ length: n }, (_, i) => `s3:Action${i}`);
    expect(risks(rolePolicy(get), rolePolicy({ ...get, Action: ["s3:GetObject", ...actions(6)] }))[0]?.message).toContain("(+1 more)");
    expect(risks(rolePolicy(get), rolePolicy({ ...get, Action: ["s3:GetObject", ...actions(5)] }))[0]?.message).not.toContain("more)");
  });
  it("an attachment switched to a broad policy is high and named; a reference or an unchanged ARN is not flagged", () => {
    const attach = (arn: string) => ({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: arn } } });
    // policy_arn is force-new on an attachment: the replacement is flagged too.
    const flags = risks(attach("arn:aws:iam::aws:policy/ReadOnlyAccess"), attach("arn:aws:iam::aws:policy/AdministratorAccess")).filter((f) => f.kind === "iam-widening");
    expect(brief(flags)).toEqual(["high iam-widening aws_iam_role_policy_attachment.a"]);
    expect(flags[0]?.message).toBe("attaches the broad managed policy `arn:aws:iam::aws:policy/AdministratorAccess`");
    expect(risks(attach("arn:aws:iam::aws:policy/ReadOnlyAccess"), attach("${aws_iam_policy.x.arn}")).filter((f) => f.kind === "iam-widening")).toEqual([]);
  });
  it("a cluster-admin ARN outside an access policy association is not an access grant", () => {
    expect(risks({}, { aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" } } })).toEqual([]);
  });
  it("a broad policy in managed_policy_arns is named", () => {
    const role = (arns: string[]) => ({ aws_iam_role: { r: { name: "r", managed_policy_arns: arns } } });
    expect(risks(role([]), role(["arn:aws:iam::aws:policy/AdministratorAccess"]))[0]?.message).toBe("attaches the broad managed policy `arn:aws:iam::aws:policy/AdministratorAccess`");
  });
  it("a replacement names the forcing attribute, old → new, and whether references decide it", () => {
    const [literal] = risks({ aws_s3_bucket: { x: { bucket: "a" } } }, { aws_s3_bucket: { x: { bucket: "b" } } });
    expect(literal?.message).toContain("is replaced: `bucket` force(s) a new resource");
    expect(literal?.details).toEqual(["bucket: a → b"]);
    const [reference] = risks({ aws_security_group: { x: { name: "${var.a}" } } }, { aws_security_group: { x: { name: "${var.b}" } } });
    expect(reference?.message).toContain("may be replaced");
    expect(reference?.message).toContain("(the values are references, known at plan time)");
  });
  it("a replaced policy association is called one, with its access gap", () => {
    const assoc = (policyName: string) => ({ aws_eks_access_policy_association: { a: { cluster_name: "c", principal_arn: "arn:aws:iam::1:role/x", policy_arn: `arn:aws:eks::aws:cluster-access-policy/${policyName}` } } });
    const [flag] = risks(assoc("AmazonEKSViewPolicy"), assoc("AmazonEKSEditPolicy"));
    expect(flag?.message).toContain("force(s) a new policy association and the old one is destroyed first");
    expect(flag?.message).toContain("access gap");
  });
  it("a removed stack details what it held; a deleted subnet is named", () => {
    const [flag] = risks({ aws_s3_bucket: { x: { bucket: "x" } } }, undefined);
    expect(flag?.message).toContain("leaves its 1 block(s) orphaned");
    expect(flag?.details).toEqual([expect.stringMatching(/^aws_s3_bucket\.x: S3 bucket/)]);
    expect(risks({ aws_subnet: { x: { cidr_block: "10.0.0.0/24" } } }, {})[0]?.message).toMatch(/^deletes the subnet/);
  });
  it("a moved backend details the changed settings; another terraform block is not a backend change", () => {
    const backend = (key: string) => ({ terraform: { backend: { s3: { bucket: "b", key } } } });
    const [flag] = risks({}, {}, "s", { before: backend("a.tfstate"), after: backend("b.tfstate") });
    expect(flag?.message).toContain("the state backend changes");
    expect(flag?.details?.join("\n")).toContain("a.tfstate → b.tfstate");
    const required = (v: string) => ({ terraform: { required_version: v } });
    expect(risks({}, {}, "s", { before: required(">= 1.9"), after: required(">= 1.10") })).toEqual([]);
  });
  it("a changed data source is not flagged", () => {
    const data = (id: string) => ({ data: { aws_vpc: { v: { id } } } });
    expect(risks({}, {}, "s", { before: data("vpc-1"), after: data("vpc-2") })).toEqual([]);
  });
  it("a version jump and a removed protection say so, unset values included", () => {
    const [jump] = risks({ aws_eks_cluster: { c: { name: "c", version: "1.31" } } }, { aws_eks_cluster: { c: { name: "c", version: "1.33" } } });
    expect(jump?.message).toMatch(/^Kubernetes version jumps 2 minor versions/);
    const [removed] = risks({ aws_s3_bucket: { x: { bucket: "x", lifecycle: { prevent_destroy: true } } } }, { aws_s3_bucket: { x: { bucket: "x" } } });
    expect(removed?.message).toContain("`lifecycle.prevent_destroy` true → (unset)");
    expect(removed?.message).toContain("(stateful: S3 bucket");
    const [forced] = risks({ aws_s3_bucket: { x: { bucket: "x" } } }, { aws_s3_bucket: { x: { bucket: "x", force_destroy: true } } });
    expect(forced?.message).toContain("`force_destroy` (unset) → true");
  });
});

describe("more version forms", () => {
  it.each([
    [" 1.31 ", "1.33", "jumps 2"],
    ["1.9", "1.11", "jumps 2"],
    ["10.1", "10.3", "jumps 2"],
    ["1.31.10", "1.33.0", "jumps 2"],
    ["1.33", "2.33", "major version change"],
    ["1.31.x", "1.33", undefined],
    ["x1.31", "1.33", undefined],
    ["1.31x", "1.33", undefined],
  ] as const)("%j → %j", (from, to, expected) => {
    const result = versionJump(from, to);
    if (expected === undefined) expect(result).toBeUndefined();
    else expect(result).toContain(expected);
  });
});

describe("order of two flags", () => {
  const flag = (severity: RiskFlag["severity"]): RiskFlag => ({ severity, kind: "replacement", stack: "s", address: "a", message: "" });
  it("puts high first whatever the input order", () => {
    expect(sortRisks([flag("medium"), flag("high")]).map((f) => f.severity)).toEqual(["high", "medium"]);
    expect(sortRisks([flag("high"), flag("medium")]).map((f) => f.severity)).toEqual(["high", "medium"]);
  });
});

/** Cases for the survivors of the 17:54 mutation run (one change each; data built inside each case). */
describe("only resources are rated", () => {
  it("a data source of a stateful or critical type is neither deleted nor held by a removed stack", () => {
    const data = { data: { aws_s3_bucket: { b: { bucket: "acme-logs" } }, aws_subnet: { n: { id: "subnet-1" } } } };
    expect(risks({}, {}, "s", { before: data })).toEqual([]);
    expect(brief(risks({}, undefined, "s", { before: data }))).toEqual(["medium stack-removed s"]);
  });
  it("a changed data source of a replaced-on-change type is not a replacement", () => {
    const data = (bucket: string) => ({ data: { aws_s3_bucket: { b: { bucket } } } });
    expect(risks({}, {}, "s", { before: data("a"), after: data("b") })).toEqual([]);
  });
  it("a resource named backend is not the state backend", () => {
    const sg = (port: number) => ({ aws_security_group: { backend: { name: "backend", ingress: [{ from_port: port }] } } });
    expect(risks(sg(80), sg(443))).toEqual([]);
  });
  it("a policy document in an added output grants nothing", () => {
    const output = { output: { admin: { value: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) } } };
    expect(risks({}, {}, "s", { after: output })).toEqual([]);
  });
  it("a bootstrap stack's other stateful resources keep their own label", () => {
    const [flag] = risks({ aws_dynamodb_table: { lock: { name: "lock" } } }, {}, "bootstrap-prod");
    expect(flag?.message).toBe("deletes a stateful resource: DynamoDB table");
  });
  it("a deleted stateful resource's message ends with its label when nothing protected it", () => {
    const [flag] = risks({ aws_s3_bucket: { x: { bucket: "x" } } }, {});
    expect(flag?.message).toMatch(/^deletes a stateful resource: S3 bucket \(.*\)$/);
  });
});

describe("renamed construct ids", () => {
  const tail = ". Keep the construct id, or move the state (cdktf `moveTo`/`moveFromId`).";
  it("a renamed stateful resource is high and says what it holds", () => {
    const flags = risks({ aws_s3_bucket: { logs: { bucket: "acme-logs" } } }, { aws_s3_bucket: { archive: { bucket: "acme-logs" } } });
    expect(brief(flags)).toEqual(["high rename aws_s3_bucket.archive"]);
    expect(flags[0]?.message).toMatch(/^probably a renamed construct id: this replaces real infrastructure \(destroys `aws_s3_bucket\.logs`, creates `aws_s3_bucket\.archive`, matched on bucket\) \(stateful: S3 bucket/);
    expect(flags[0]?.message.endsWith(tail)).toBe(true);
  });
  it("a renamed critical resource is high", () => {
    const subnet = (name: string) => ({ aws_subnet: { [name]: { vpc_id: "v", cidr_block: "10.0.0.0/24" } } });
    expect(brief(risks(subnet("a"), subnet("b")))).toEqual(["high rename aws_subnet.b"]);
  });
  it("a renamed stateless resource is medium, with no stateful part", () => {
    const flags = risks({ aws_security_group: { a: { name: "web" } } }, { aws_security_group: { b: { name: "web" } } });
    expect(brief(flags)).toEqual(["medium rename aws_security_group.b"]);
    expect(flags[0]?.message).toBe(`probably a renamed construct id: this replaces real infrastructure (destroys \`aws_security_group.a\`, creates \`aws_security_group.b\`, matched on name)${tail}`);
  });
  it("a renamed data source replaces nothing", () => {
    const data = (name: string) => ({ data: { aws_s3_bucket: { [name]: { bucket: "acme-logs" } } } });
    expect(risks({}, {}, "s", { before: data("a"), after: data("b") })).toEqual([]);
  });
});

describe("IAM widening messages", () => {
  const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
  const role = (name: string) => ({ [name]: { name, assume_role_policy: "{}" } });
  const rolePolicy = (roleRef: string, ...statements: object[]) => ({ aws_iam_role_policy: { p: { role: roleRef, policy: policy(...statements) } } });
  const get = { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] };

  it("a narrowed policy is not flagged", () => {
    const before = { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", { ...get, Action: ["s3:GetObject", "s3:PutObject"] }) };
    expect(risks(before, { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", get) })).toEqual([]);
  });
  it("new actions only: the message names them, comma-separated, and no resources", () => {
    const before = { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", get) };
    const after = { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", { ...get, Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] }) };
    expect(risks(before, after)[0]?.message).toBe("`policy<json>` widens (new action(s): s3:PutObject, s3:DeleteObject)");
  });
  it("new resources only: the message names them and no actions", () => {
    const before = { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", get) };
    const after = { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", { ...get, Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"] }) };
    expect(risks(before, after)[0]?.message).toBe("`policy<json>` widens (new resource(s): arn:aws:s3:::c/*)");
  });
  it("six new actions: five named, comma-separated, then the count", () => {
    const actions = Array.from({ length: 6 }, (_, i) => `s3:Action${i}`);
    const before = { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", get) };
    const after = { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", { ...get, Action: ["s3:GetObject", ...actions] }) };
    expect(risks(before, after)[0]?.message).toBe("`policy<json>` widens (new action(s): s3:Action0, s3:Action1, s3:Action2, s3:Action3, s3:Action4 (+1 more))");
  });
  it("two new wildcards are listed comma-separated", () => {
    const before = { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", get) };
    const after = { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", get, { Effect: "Allow", Action: "s3:*", Resource: "*" }) };
    expect(risks(before, after)[0]?.message).toContain("wildcards: Action s3:*, Resource *)");
  });
  it("a removed Deny alone is high, with no empty list in the message", () => {
    const deny = { Effect: "Deny", Action: ["s3:DeleteObject"], Resource: ["arn:aws:s3:::b/*"] };
    const flags = risks(
      { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", get, deny) },
      { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", get) },
    );
    expect(brief(flags)).toEqual(["high iam-widening aws_iam_role_policy.p"]);
    expect(flags[0]?.message).toBe("`policy<json>` widens");
  });
  it("a new policy on a new role with two action wildcards names both, semicolon-separated", () => {
    const flags = risks({}, { aws_iam_role: role("runner"), ...rolePolicy("${aws_iam_role.runner.id}", { ...get, Action: "s3:*" }, { Effect: "Allow", Action: "ec2:*", Resource: "*" }) });
    expect(flags[0]?.message).toBe("new policy `policy<json>` uses wildcards: Action s3:*; Action ec2:*");
  });
  it("a new policy on an existing role referenced inside an expression is found", () => {
    const flags = risks({ aws_iam_role: role("runner") }, { aws_iam_role: role("runner"), ...rolePolicy("${lower(aws_iam_role.runner.name)}", get) });
    expect(brief(flags)).toEqual(["medium iam-widening aws_iam_role_policy.p"]);
  });
  it("only the attaching attribute says which principal gets the policy (not a name built from another resource)", () => {
    const cluster = { aws_eks_cluster: { main: { name: "c" } } };
    const after = { ...cluster, aws_iam_role: role("runner"), aws_iam_role_policy: { p: { name: "${aws_eks_cluster.main.name}-runner", role: "${aws_iam_role.runner.id}", policy: policy({ ...get, Resource: "*" }) } } };
    expect(risks(cluster, after)).toEqual([]);
  });
  it("a new standalone policy (attached to no one) on Resource * is not flagged", () => {
    expect(risks({}, { aws_iam_policy: { p: { name: "p", policy: policy({ ...get, Resource: "*" }) } } })).toEqual([]);
  });
  it("a policy attachment listing roles, with a narrow policy, is not flagged", () => {
    const attachment = { aws_iam_policy_attachment: { a: { name: "a", roles: ["${aws_iam_role.runner.name}"], policy_arn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" } } };
    expect(risks({ aws_iam_role: role("runner") }, { aws_iam_role: role("runner"), ...attachment })).toEqual([]);
  });
  it("an attachment whose broad ARN is unchanged is not flagged again when another argument changes", () => {
    const attach = (over: Body = {}) => ({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess", ...over } } });
    expect(risks(attach(), attach({ depends_on: ["aws_iam_role.r"] }))).toEqual([]);
  });
  it("a cluster-admin association names the principal ARN only", () => {
    const assoc = { aws_eks_access_policy_association: { a: { cluster_name: "c", principal_arn: "arn:aws:iam::111122223333:role/x", policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" } } };
    expect(risks({}, assoc)[0]?.message).toBe("grants EKS cluster-admin to `arn:aws:iam::111122223333:role/x`");
  });
});

describe("replacement messages", () => {
  const nodeGroup = (over: Body = {}): Body => ({ cluster_name: "c", node_group_name: "g", ami_type: "AL2023_x86_64_STANDARD", ...over });
  const cbd = { lifecycle: { create_before_destroy: true } };
  it("a literal change among reference changes is certain; attributes are comma-separated; a stateless resource has no label", () => {
    const flags = risks(
      { aws_security_group: { x: { name: "a", vpc_id: "${aws_vpc.a.id}" } } },
      { aws_security_group: { x: { name: "b", vpc_id: "${aws_vpc.b.id}" } } },
    );
    expect(flags[0]?.message).toBe("is replaced: `name`, `vpc_id` force(s) a new resource");
  });
  it("a list value is shown as JSON in the details", () => {
    const flags = risks({ aws_eks_node_group: { x: nodeGroup({ instance_types: ["m6i.large"] }) } }, { aws_eks_node_group: { x: nodeGroup({ instance_types: ["m7i.large"] }) } });
    expect(flags[0]?.details).toEqual(['instance_types: ["m6i.large"] → ["m7i.large"]']);
  });
  it("a created-first node group with a renamed group has only the forced details", () => {
    const flags = risks({ aws_eks_node_group: { x: nodeGroup(cbd) } }, { aws_eks_node_group: { x: nodeGroup({ ...cbd, ami_type: "BOTTLEROCKET_x86_64", node_group_name: "g2" }) } });
    expect(flags[0]?.details).toEqual(["ami_type: AL2023_x86_64_STANDARD → BOTTLEROCKET_x86_64", "node_group_name: g → g2"]);
  });
  it("a created-first node group named by a prefix is not said to keep its name", () => {
    const group = (ami: string): Body => ({ cluster_name: "c", node_group_name_prefix: "g-", ami_type: ami, ...cbd });
    const flags = risks({ aws_eks_node_group: { x: group("AL2023_x86_64_STANDARD") } }, { aws_eks_node_group: { x: group("BOTTLEROCKET_x86_64") } });
    expect(flags[0]?.details).toEqual(["ami_type: AL2023_x86_64_STANDARD → BOTTLEROCKET_x86_64"]);
  });
  it("a subnet replaced with create_before_destroy says the new one comes first", () => {
    const subnet = (az: string) => ({ aws_subnet: { x: { vpc_id: "v", cidr_block: "10.0.0.0/24", availability_zone: az, ...cbd } } });
    expect(risks(subnet("ap-northeast-2a"), subnet("ap-northeast-2b"))[0]?.message).toContain(
      "force(s) a new subnet and the new one is created before the old one is destroyed (create_before_destroy);",
    );
  });
  it("a subnet moved to another AZ is not called re-addressed", () => {
    const subnet = (az: string) => ({ aws_subnet: { x: { vpc_id: "v", cidr_block: "10.0.0.0/24", availability_zone: az } } });
    expect(risks(subnet("ap-northeast-2a"), subnet("ap-northeast-2b"))[0]?.message).toMatch(/^is replaced: `availability_zone` force\(s\) a new subnet and /);
  });
  it("an access entry is called one; created first, its message ends with the order", () => {
    const entry = (principal: string, over: Body = {}) => ({ aws_eks_access_entry: { x: { cluster_name: "c", principal_arn: principal, ...over } } });
    expect(risks(entry("arn:aws:iam::1:role/a"), entry("arn:aws:iam::1:role/b"))[0]?.message).toContain("force(s) a new access entry and the old one is destroyed first");
    expect(risks(entry("arn:aws:iam::1:role/a", cbd), entry("arn:aws:iam::1:role/b", cbd))[0]?.message).toMatch(/\(create_before_destroy\)$/);
  });
  it("a protection removed from a stateless resource ends with the setting", () => {
    const addon = (skip: boolean) => ({ aws_eks_addon: { x: { cluster_name: "c", addon_name: "coredns", skip_destroy: skip } } });
    expect(risks(addon(true), addon(false))[0]?.message).toBe("`skip_destroy` true → false: protection against deletion removed");
  });
});

describe("ENIConfig changes", () => {
  const eni = (subnet: string) => ({ create: true, region: "r", subnets: { a: { id: subnet, securityGroups: ["sg-1"] } } });
  const addon = (config: object) => ({ aws_eks_addon: { cni: { cluster_name: "c", addon_name: "vpc-cni", configuration_values: JSON.stringify(config) } } });
  const release = (region: string, over: Body = {}) => ({
    helm_release: { cni: { name: "aws-vpc-cni", namespace: "kube-system", set: [{ name: "eniConfig.create", value: "true" }, { name: "eniConfig.region", value: region }], ...over } },
  });
  it("the message says what the change does", () => {
    const [flag] = risks(addon({ eniConfig: eni("subnet-1") }), addon({ eniConfig: eni("subnet-2") }));
    expect(flag?.message).toMatch(/^changes the ENIConfig \(custom networking/);
    expect(flag?.message).toContain("until they are replaced, and an AZ left without an ENIConfig gives its new nodes no pod addresses");
  });
  it("an ENIConfig added: before is (none)", () => {
    const [flag] = risks(addon({}), addon({ eniConfig: eni("subnet-2") }));
    expect(flag?.details?.[0]).toBe("before: (none)");
    expect(flag?.details?.[1]).toMatch(/^after: \{.*subnet-2/);
  });
  it("an ENIConfig removed: after is (none)", () => {
    const [flag] = risks(addon({ eniConfig: eni("subnet-1") }), addon({}));
    expect(flag?.details?.[0]).toMatch(/^before: \{.*subnet-1/);
    expect(flag?.details?.[1]).toBe("after: (none)");
  });
  it("several definitions are listed space-separated", () => {
    const [flag] = risks(release("r1"), release("r2"));
    expect(flag?.details).toEqual([
      'before: {"name":"eniConfig.create","value":"true"} {"name":"eniConfig.region","value":"r1"}',
      'after: {"name":"eniConfig.create","value":"true"} {"name":"eniConfig.region","value":"r2"}',
    ]);
  });
  it("several unchanged definitions are not a change", () => {
    expect(risks(release("r1", { version: "1.19.0" }), release("r1", { version: "1.20.0" }))).toEqual([]);
  });
  it("a replaced resource's ENIConfig change is the replacement only", () => {
    expect(brief(risks(release("r1"), release("r2", { namespace: "cni" })))).toEqual(["high replacement helm_release.cni"]);
  });
});

describe("a policy moved to another principal", () => {
  const roles = { aws_iam_role: { a: { name: "a", assume_role_policy: "{}" }, b: { name: "b", assume_role_policy: "{}" } } };
  const get = { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] };
  it("a broad managed policy attached to another role is high", () => {
    const attach = (role: string) => ({ ...roles, aws_iam_role_policy_attachment: { x: { role, policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } });
    const flags = risks(attach("${aws_iam_role.a.name}"), attach("${aws_iam_role.b.name}")).filter((f) => f.kind === "iam-widening");
    expect(brief(flags)).toEqual(["high iam-widening aws_iam_role_policy_attachment.x"]);
  });
  it("an inline policy moved to another existing role grants its permissions to that role", () => {
    const inline = (role: string) => ({ ...roles, aws_iam_role_policy: { p: { name: "p", role, policy: JSON.stringify({ Version: "2012-10-17", Statement: [get] }) } } });
    const flags = risks(inline("${aws_iam_role.a.id}"), inline("${aws_iam_role.b.id}")).filter((f) => f.kind === "iam-widening");
    expect(brief(flags)).toEqual(["medium iam-widening aws_iam_role_policy.p"]);
    expect(flags[0]?.message).toBe("`policy<json>` grants new permissions to an existing principal (new action(s): s3:GetObject, new resource(s): arn:aws:s3:::b/*)");
  });
  it("an inline policy on Resource * moved to a new role is judged like a new role's policy (not flagged)", () => {
    const inline = (role: string) => ({ ...roles, aws_iam_role_policy: { p: { name: "p", role, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ ...get, Resource: "*" }] }) } } });
    const before = inline("${aws_iam_role.a.id}");
    const after = inline("${aws_iam_role.c.id}");
    const flags = risks(before, { ...after, aws_iam_role: { ...roles.aws_iam_role, c: { name: "c", assume_role_policy: "{}" } } });
    expect(flags.filter((f) => f.kind === "iam-widening")).toEqual([]);
  });
  it("another attribute of the same role is the same principal", () => {
    const attach = (role: string) => ({ ...roles, aws_iam_role_policy_attachment: { x: { role, policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } });
    expect(risks(attach("${aws_iam_role.a.name}"), attach("${aws_iam_role.a.id}")).filter((f) => f.kind === "iam-widening")).toEqual([]);
  });
  it("the same roles listed in another order are the same principals", () => {
    const attach = (...refs: string[]) => ({ ...roles, aws_iam_policy_attachment: { x: { name: "x", roles: refs, policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } });
    expect(risks(attach("${aws_iam_role.a.name}", "${aws_iam_role.b.name}"), attach("${aws_iam_role.b.name}", "${aws_iam_role.a.name}"))).toEqual([]);
  });
  it("a reference changed outside the attaching attribute does not move the policy", () => {
    const clusters = { aws_eks_cluster: { one: { name: "one" }, two: { name: "two" } } };
    const inline = (cluster: string) => ({
      ...roles,
      ...clusters,
      aws_iam_role_policy: { p: { name: `\${aws_eks_cluster.${cluster}.name}-p`, role: "${aws_iam_role.a.id}", policy: JSON.stringify({ Version: "2012-10-17", Statement: [get] }) } },
    });
    expect(risks(inline("one"), inline("two")).filter((f) => f.kind === "iam-widening")).toEqual([]);
  });
  it("a literal role name changed is another principal", () => {
    const attach = (role: string) => ({ aws_iam_role_policy_attachment: { x: { role, policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } });
    expect(brief(risks(attach("a"), attach("b")).filter((f) => f.kind === "iam-widening"))).toEqual(["high iam-widening aws_iam_role_policy_attachment.x"]);
  });
  it("a policy following its renamed role is not moved", () => {
    const renamed = (role: string) => ({
      aws_iam_role: { [role]: { name: "runner", assume_role_policy: "{}" } },
      aws_iam_role_policy_attachment: { x: { role: `\${aws_iam_role.${role}.name}`, policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
    });
    expect(risks(renamed("a"), renamed("b")).filter((f) => f.kind === "iam-widening")).toEqual([]);
  });
});
