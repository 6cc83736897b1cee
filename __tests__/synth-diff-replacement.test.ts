/**
 * The synth diff tells replacement from update the way Terraform will: the force-new table
 * covers every resource type the platform synthesizes, each high-risk category is rated high on a
 * base/head pair of synthesized JSON (and `--fail-on high` exits non-zero on it), and the rule
 * boundaries hold (updatable attributes, create_before_destroy, ignore_changes, references).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { compareStack } from "../scripts/diff/compare";
import { runCli } from "../scripts/diff/cli";
import { PROVIDERS } from "../scripts/diff/data/force-new-table";
import { FORCE_NEW } from "../scripts/diff/force-new";
import { renderMarkdown } from "../scripts/diff/render";
import { buildReport } from "../scripts/diff/report";
import { CRITICAL_TYPES, PROTECTIONS, STATEFUL_TYPES } from "../scripts/diff/risk";
import type { DiffReport, RiskFlag, TfJson } from "../scripts/diff/types";
import { platform, synth } from "./support/platform";

type Body = Record<string, unknown>;

/** A one-resource stack as cdktf writes it (metadata included). */
function stackOf(type: string, body: Body | undefined, name = "it_1"): TfJson {
  return {
    "//": { metadata: { backend: "s3", stackName: "s", version: "0.21.0" } },
    ...(body === undefined ? {} : { resource: { [type]: { [name]: { "//": { metadata: { path: `s/${name}`, uniqueId: name } }, ...body } } } }),
  };
}

function diffOf(type: string, before: Body | undefined, after: Body | undefined): DiffReport {
  return buildReport({ s: stackOf(type, before) }, { s: stackOf(type, after) });
}

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** Writes the pair as two synthesized folders and runs `npm run diff` on them in-process. */
async function cliExit(type: string, before: Body | undefined, after: Body | undefined, failOn: "high" | "medium"): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), "synth-diff-replacement-"));
  roots.push(root);
  for (const [dir, body] of [["base", before], ["head", after]] as const) {
    mkdirSync(join(root, dir, "stacks", "s"), { recursive: true });
    writeFileSync(join(root, dir, "stacks", "s", "cdk.tf.json"), JSON.stringify(stackOf(type, body), null, 2));
  }
  return runCli(["--base-dir", "base", "--head-dir", "head", "--fail-on", failOn], { cwd: root, stdout: () => undefined, stderr: () => undefined });
}

const CLUSTER = "${aws_eks_cluster.cluster_1.name}";
const ADMIN = "arn:aws:iam::111122223333:role/platform-admin";
const SUBNET: Body = { vpc_id: "${aws_vpc.vpc_1.id}", cidr_block: "10.0.0.0/20", availability_zone: "ap-northeast-2a", map_public_ip_on_launch: false };
const NODE_GROUP: Body = {
  cluster_name: CLUSTER,
  node_group_name: "workloads",
  node_role_arn: "${aws_iam_role.node_1.arn}",
  subnet_ids: ["${aws_subnet.a_1.id}", "${aws_subnet.b_1.id}"],
  instance_types: ["m6i.large"],
  ami_type: "AL2023_x86_64_STANDARD",
  version: "1.33",
  scaling_config: { min_size: 2, max_size: 4, desired_size: 2 },
  lifecycle: { create_before_destroy: false, ignore_changes: ["scaling_config[0].desired_size"] },
};
const ENI_CONFIG = (podSubnet: string) =>
  JSON.stringify({
    env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true", ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone" },
    eniConfig: { create: true, region: "ap-northeast-2", subnets: { "ap-northeast-2a": { id: podSubnet } } },
  });
const VPC_CNI: Body = { cluster_name: CLUSTER, addon_name: "vpc-cni", addon_version: "v1.21.1-eksbuild.7", configuration_values: ENI_CONFIG("${data.aws_subnet.pods-a_1.id}") };

interface Case {
  readonly name: string;
  readonly type: string;
  readonly before: Body;
  /** `undefined`: the head deletes the resource. */
  readonly after: Body | undefined;
  readonly kind: RiskFlag["kind"];
  /** Text the risk message must contain. */
  readonly says: string;
}

const with_ = (body: Body, patch: Body): Body => ({ ...body, ...patch });

/** Every high-risk category of the review rules, as a base/head pair. */
const HIGH_RISK: readonly Case[] = [
  { name: "a subnet re-addressed", type: "aws_subnet", before: SUBNET, after: with_(SUBNET, { cidr_block: "10.0.16.0/20" }), kind: "replacement", says: "re-addressed: cidr_block 10.0.0.0/20 → 10.0.16.0/20" },
  { name: "a subnet moved to another AZ", type: "aws_subnet", before: SUBNET, after: with_(SUBNET, { availability_zone: "ap-northeast-2b" }), kind: "replacement", says: "the old one is destroyed first" },
  { name: "a subnet deleted", type: "aws_subnet", before: SUBNET, after: undefined, kind: "deletion", says: "deletes the subnet" },
  { name: "a secondary VPC CIDR replaced", type: "aws_vpc_ipv4_cidr_block_association", before: { vpc_id: "${aws_vpc.vpc_1.id}", cidr_block: "100.64.0.0/16" }, after: { vpc_id: "${aws_vpc.vpc_1.id}", cidr_block: "100.65.0.0/16" }, kind: "replacement", says: "VPC secondary CIDR" },
  { name: "a node group replaced destroy-first", type: "aws_eks_node_group", before: NODE_GROUP, after: with_(NODE_GROUP, { instance_types: ["m6i.xlarge"] }), kind: "replacement", says: "the old group is destroyed first" },
  { name: "a node group moved to other subnets", type: "aws_eks_node_group", before: NODE_GROUP, after: with_(NODE_GROUP, { subnet_ids: ["${aws_subnet.c_1.id}"] }), kind: "replacement", says: "the old group is destroyed first" },
  { name: "a node group deleted", type: "aws_eks_node_group", before: NODE_GROUP, after: undefined, kind: "deletion", says: "deletes the EKS managed node group" },
  { name: "the EKS cluster replaced", type: "aws_eks_cluster", before: { name: "eks-idp-dev", role_arn: "${aws_iam_role.cluster_1.arn}", version: "1.33" }, after: { name: "eks-idp-dev2", role_arn: "${aws_iam_role.cluster_1.arn}", version: "1.33" }, kind: "replacement", says: "EKS cluster" },
  { name: "the EKS cluster deleted", type: "aws_eks_cluster", before: { name: "eks-idp-dev", role_arn: "${aws_iam_role.cluster_1.arn}" }, after: undefined, kind: "stateful-deletion", says: "EKS cluster" },
  { name: "an access entry replaced", type: "aws_eks_access_entry", before: { cluster_name: CLUSTER, principal_arn: ADMIN, type: "STANDARD" }, after: { cluster_name: CLUSTER, principal_arn: `${ADMIN}-2`, type: "STANDARD" }, kind: "replacement", says: "access gap" },
  { name: "an access entry deleted", type: "aws_eks_access_entry", before: { cluster_name: CLUSTER, principal_arn: ADMIN }, after: undefined, kind: "deletion", says: "access entry" },
  {
    name: "an access policy association's policy changed",
    type: "aws_eks_access_policy_association",
    before: { cluster_name: CLUSTER, principal_arn: ADMIN, policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", access_scope: { type: "cluster" } },
    after: { cluster_name: CLUSTER, principal_arn: ADMIN, policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", access_scope: { type: "cluster" } },
    kind: "replacement",
    says: "is replaced, not updated",
  },
  {
    name: "an access policy association's namespaces changed",
    type: "aws_eks_access_policy_association",
    before: { cluster_name: CLUSTER, principal_arn: ADMIN, policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", access_scope: { type: "namespace", namespaces: ["team-a"] } },
    after: { cluster_name: CLUSTER, principal_arn: ADMIN, policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", access_scope: { type: "namespace", namespaces: ["team-a", "team-b"] } },
    kind: "replacement",
    says: "access gap",
  },
  { name: "an access policy association deleted", type: "aws_eks_access_policy_association", before: { cluster_name: CLUSTER, principal_arn: ADMIN, policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", access_scope: { type: "cluster" } }, after: undefined, kind: "deletion", says: "policy association" },
  { name: "the vpc-cni ENIConfig changed", type: "aws_eks_addon", before: VPC_CNI, after: with_(VPC_CNI, { configuration_values: ENI_CONFIG("${data.aws_subnet.pods-a-new_1.id}") }), kind: "eniconfig-change", says: "ENIConfig" },
  { name: "the ENIConfig-carrying add-on deleted", type: "aws_eks_addon", before: VPC_CNI, after: undefined, kind: "deletion", says: "ENIConfig" },
  {
    name: "an ENIConfig manifest changed",
    type: "kubernetes_manifest",
    before: { manifest: { apiVersion: "crd.k8s.amazonaws.com/v1alpha1", kind: "ENIConfig", metadata: { name: "ap-northeast-2a" }, spec: { subnet: "subnet-0aaa" } } },
    after: { manifest: { apiVersion: "crd.k8s.amazonaws.com/v1alpha1", kind: "ENIConfig", metadata: { name: "ap-northeast-2a" }, spec: { subnet: "subnet-0bbb" } } },
    kind: "eniconfig-change",
    says: "ENIConfig",
  },
  {
    name: "an ENIConfig rendered by a Helm release changed",
    type: "helm_release",
    before: { name: "aws-vpc-cni", namespace: "kube-system", chart: "aws-vpc-cni", values: ["eniConfig:\n  create: true\n  subnets:\n    a:\n      id: subnet-0aaa\n"] },
    after: { name: "aws-vpc-cni", namespace: "kube-system", chart: "aws-vpc-cni", values: ["eniConfig:\n  create: true\n  subnets:\n    a:\n      id: subnet-0bbb\n"] },
    kind: "eniconfig-change",
    says: "ENIConfig",
  },
  { name: "a database replaced", type: "aws_db_instance", before: { identifier: "keycloak", engine: "postgres", username: "keycloak" }, after: { identifier: "keycloak", engine: "postgres", username: "admin" }, kind: "replacement", says: "RDS database instance" },
  { name: "a database deleted", type: "aws_db_instance", before: { identifier: "keycloak", engine: "postgres" }, after: undefined, kind: "stateful-deletion", says: "RDS database instance" },
  { name: "a bucket replaced", type: "aws_s3_bucket", before: { bucket: "eks-idp-dev-velero" }, after: { bucket: "eks-idp-dev-backups" }, kind: "replacement", says: "S3 bucket" },
  { name: "a bucket deleted", type: "aws_s3_bucket", before: { bucket: "eks-idp-dev-velero" }, after: undefined, kind: "stateful-deletion", says: "S3 bucket" },
  { name: "a KMS key replaced", type: "aws_kms_key", before: { description: "secrets", key_usage: "ENCRYPT_DECRYPT" }, after: { description: "secrets", key_usage: "SIGN_VERIFY" }, kind: "replacement", says: "KMS key" },
  { name: "a KMS key deleted", type: "aws_kms_key", before: { description: "secrets" }, after: undefined, kind: "stateful-deletion", says: "KMS key" },
  { name: "an OpenSearch domain replaced", type: "aws_opensearch_domain", before: { domain_name: "logs-dev" }, after: { domain_name: "logs-dev2" }, kind: "replacement", says: "OpenSearch domain" },
  { name: "an OpenSearch domain deleted", type: "aws_opensearch_domain", before: { domain_name: "logs-dev" }, after: undefined, kind: "stateful-deletion", says: "OpenSearch domain" },
];

describe("force-new coverage of the synthesized platform", () => {
  it("has an entry for every resource type the stacks synthesize, from the pinned providers", () => {
    const { stacks } = platform();
    const root = stacks.bootstrap[0]?.node.root ?? Object.values(stacks.environments)[0]?.network.node.root;
    const all = (root?.node.children ?? []).filter((c): c is TerraformStack => c instanceof TerraformStack);
    expect(all.length).toBeGreaterThan(0);
    const types = new Set(all.flatMap((stack) => Object.keys(synth(stack).resource ?? {})));
    expect(types.size).toBeGreaterThan(0);
    const missing = [...types].filter((type) => FORCE_NEW[type] === undefined).sort();
    const how = (type: string) => {
      const provider = PROVIDERS[type.split("_")[0] as keyof typeof PROVIDERS];
      return provider
        ? `${type}: read its schema in ${provider.repo} at ${provider.tag} (ForceNew, RequiresReplace, no Update function) and add an entry to scripts/diff/data/force-new-table.ts`
        : `${type}: a resource of a provider the table does not know; add the provider to PROVIDERS and the type to scripts/diff/data/force-new-table.ts`;
    };
    expect(missing.map(how), "resource types without force-new facts").toEqual([]);
  });
});

describe("high-risk changes", () => {
  it.each(HIGH_RISK.map((c) => [c.name, c] as const))("%s is high risk", (_name, c) => {
    const report = diffOf(c.type, c.before, c.after);
    const flag = report.risks.find((r) => r.kind === c.kind);
    expect(flag, JSON.stringify(report.risks)).toBeDefined();
    expect(flag!.severity).toBe("high");
    expect(flag!.message).toContain(c.says);
  });

  it.each(HIGH_RISK.map((c) => [c.name, c] as const))("--fail-on high exits non-zero on %s", async (_name, c) => {
    expect(await cliExit(c.type, c.before, c.after, "high")).toBe(3);
  });

  it("covers every high-risk type of the review rules, stateful or critical", () => {
    const rated = { ...STATEFUL_TYPES, ...CRITICAL_TYPES };
    for (const type of [
      "aws_subnet",
      "aws_eks_node_group",
      "aws_eks_cluster",
      "aws_eks_access_entry",
      "aws_eks_access_policy_association",
      "aws_db_instance",
      "aws_s3_bucket",
      "aws_kms_key",
      "aws_opensearch_domain",
    ]) {
      expect(rated[type], type).toBeDefined();
      expect(HIGH_RISK.some((c) => c.type === type && c.after === undefined), `${type}: a deletion case`).toBe(true);
      expect(HIGH_RISK.some((c) => c.type === type && c.after !== undefined), `${type}: a replacement case`).toBe(true);
    }
  });

  it("reports an access policy association change as a replacement, not an update", () => {
    const c = HIGH_RISK.find((x) => x.type === "aws_eks_access_policy_association" && x.after !== undefined)!;
    const report = diffOf(c.type, c.before, c.after);
    expect(report.stacks[0]!.changed[0]).toMatchObject({ address: "aws_eks_access_policy_association.it_1", replace: "certain" });
    expect(report.summary).toMatchObject({ added: 1, changed: 0, removed: 1 });
  });
});

describe("rule boundaries", () => {
  it("keeps an updatable node group change (scaling, one minor version) low: no replacement, exit 0", async () => {
    const after = with_(NODE_GROUP, { scaling_config: { min_size: 2, max_size: 8, desired_size: 2 }, version: "1.34" });
    const report = diffOf("aws_eks_node_group", NODE_GROUP, after);
    expect(report.risks).toEqual([]);
    expect(report.stacks[0]!.changed[0]!.replace).toBeUndefined();
    expect(report.summary).toMatchObject({ added: 0, changed: 1, removed: 0 });
    expect(await cliExit("aws_eks_node_group", NODE_GROUP, after, "high")).toBe(0);
  });

  it("does not say 'destroyed first' for the same node group change with create_before_destroy, and still rates it high", async () => {
    const before = with_(NODE_GROUP, { lifecycle: { create_before_destroy: true } });
    const after = with_(before, { instance_types: ["m6i.xlarge"], node_group_name: "workloads-2" });
    const [flag] = diffOf("aws_eks_node_group", before, after).risks;
    expect(flag).toMatchObject({ kind: "replacement", severity: "high" });
    expect(flag!.message).toContain("the new group is created before the old one is destroyed");
    expect(flag!.message).toContain("every node of the old group is drained");
    expect(flag!.message).not.toContain("destroyed first");
    expect(await cliExit("aws_eks_node_group", before, after, "high")).toBe(3);
  });

  it("warns that create_before_destroy cannot work while the node group name stays the same", () => {
    const before = with_(NODE_GROUP, { lifecycle: { create_before_destroy: true } });
    const [flag] = diffOf("aws_eks_node_group", before, with_(before, { instance_types: ["m6i.xlarge"] })).risks;
    expect(flag!.details?.some((d) => d.startsWith("node_group_name workloads is unchanged"))).toBe(true);
  });

  it("skips force-new attributes under lifecycle.ignore_changes", () => {
    const before = with_(NODE_GROUP, { lifecycle: { ignore_changes: ["instance_types"] } });
    expect(diffOf("aws_eks_node_group", before, with_(before, { instance_types: ["m6i.xlarge"] })).risks).toEqual([]);
  });

  it("keeps updatable subnet, access entry and add-on changes free of risk", () => {
    expect(diffOf("aws_subnet", SUBNET, with_(SUBNET, { map_public_ip_on_launch: true })).risks).toEqual([]);
    const entry = { cluster_name: CLUSTER, principal_arn: ADMIN, type: "STANDARD", kubernetes_groups: ["a"] };
    expect(diffOf("aws_eks_access_entry", entry, { ...entry, kubernetes_groups: ["a", "b"] }).risks).toEqual([]);
    expect(diffOf("aws_eks_addon", VPC_CNI, with_(VPC_CNI, { addon_version: "v1.21.2-eksbuild.1" })).risks).toEqual([]);
  });

  it("does not replace a resource without Update for a lifecycle-only change", () => {
    const assoc = { cluster_name: CLUSTER, principal_arn: ADMIN, policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", access_scope: { type: "cluster" } };
    const report = diffOf("aws_eks_access_policy_association", assoc, { ...assoc, lifecycle: { create_before_destroy: true } });
    expect(report.risks).toEqual([]);
    expect(report.stacks[0]!.changed[0]!.replace).toBeUndefined();
  });

  it("says 'may be replaced' and counts an update when only references change", () => {
    const after = with_(SUBNET, { vpc_id: "${aws_vpc.other_1.id}" });
    const report = diffOf("aws_subnet", SUBNET, after);
    expect(report.risks[0]!.message).toMatch(/^may be replaced/);
    expect(report.stacks[0]!.changed[0]!.replace).toBe("possible");
    expect(report.summary).toMatchObject({ added: 0, changed: 1, removed: 0 });
  });

  it("notes a changed type the table does not know instead of calling it a plain update silently", () => {
    expect(diffOf("aws_sns_topic", { name: "a" }, { name: "b" }).notes).toEqual([
      "no force-new facts for aws_sns_topic: their changes are shown as updates, but some may replace the resource (add the type to scripts/diff/data/force-new-table.ts from the provider source)",
    ]);
    expect(diffOf("aws_iam_role", { name: "a" }, { name: "b" }).notes).toEqual([]);
  });

  it("keeps a medium replacement for a type that is neither stateful nor critical", () => {
    const [flag] = diffOf("aws_iam_role", { name: "a" }, { name: "b" }).risks;
    expect(flag).toMatchObject({ kind: "replacement", severity: "medium" });
  });
});

describe("protection settings", () => {
  const CASES: Readonly<Record<string, { type: string; before: Body; after: Body }>> = {
    "lifecycle.prevent_destroy": { type: "aws_s3_bucket", before: { bucket: "b", lifecycle: { prevent_destroy: true } }, after: { bucket: "b" } },
    "lifecycle.create_before_destroy": { type: "aws_eks_node_group", before: with_(NODE_GROUP, { lifecycle: { create_before_destroy: true } }), after: with_(NODE_GROUP, { lifecycle: { create_before_destroy: false } }) },
    deletion_protection: { type: "aws_db_instance", before: { identifier: "db", deletion_protection: true }, after: { identifier: "db", deletion_protection: false } },
    deletion_protection_enabled: { type: "aws_cloudwatch_log_group", before: { name: "/x", deletion_protection_enabled: true }, after: { name: "/x" } },
    force_destroy: { type: "aws_s3_bucket", before: { bucket: "b", force_destroy: false }, after: { bucket: "b", force_destroy: true } },
    skip_final_snapshot: { type: "aws_db_instance", before: { identifier: "db", skip_final_snapshot: false }, after: { identifier: "db", skip_final_snapshot: true } },
    skip_destroy: { type: "aws_s3_bucket_public_access_block", before: { bucket: "b", skip_destroy: true }, after: { bucket: "b" } },
  };

  it("lists exactly the protections tested here", () => {
    expect(PROTECTIONS.map((p) => p.label).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES))("flags %s switched off", (label, c) => {
    const flags = diffOf(c.type, c.before, c.after).risks.filter((r) => r.kind === "protection-removed");
    expect(flags.map((f) => f.message.split(" ")[0])).toEqual([`\`${label}\``]);
  });

  it("rates create_before_destroy only on node groups", () => {
    const before = { name: "a", lifecycle: { create_before_destroy: true } };
    expect(diffOf("aws_iam_role", before, { name: "a" }).risks).toEqual([]);
  });
});

describe("IP plan before and after", () => {
  const named = (cidr: string, az = "ap-northeast-2a") => with_(SUBNET, { cidr_block: cidr, availability_zone: az, tags: { Name: "eks-idp-dev-private-a" } });

  it("lists a re-addressed subnet with both CIDRs, in the JSON and in the comment", () => {
    const report = diffOf("aws_subnet", named("10.0.0.0/20"), named("10.0.16.0/20"));
    expect(report.subnets).toEqual([
      { stack: "s", address: "aws_subnet.it_1", name: "eks-idp-dev-private-a", status: "re-addressed", azBefore: "ap-northeast-2a", azAfter: "ap-northeast-2a", before: "10.0.0.0/20", after: "10.0.16.0/20" },
    ]);
    expect(renderMarkdown(report)).toContain(
      "| <code>s</code> | <code>eks-idp-dev-private-a</code> | ap-northeast-2a | <code>10.0.0.0/20</code> | <code>10.0.16.0/20</code> | re-addressed |",
    );
  });

  it("lists added, removed and moved subnets, and nothing (no section) when the plan is unchanged", () => {
    expect(diffOf("aws_subnet", undefined, named("10.0.0.0/20")).subnets.map((r) => r.status)).toEqual(["added"]);
    expect(diffOf("aws_subnet", named("10.0.0.0/20"), undefined).subnets.map((r) => r.status)).toEqual(["removed"]);
    expect(diffOf("aws_subnet", named("10.0.0.0/20"), named("10.0.0.0/20", "ap-northeast-2b")).subnets.map((r) => r.status)).toEqual(["moved"]);
    const same = diffOf("aws_subnet", named("10.0.0.0/20"), with_(named("10.0.0.0/20"), { map_public_ip_on_launch: true }));
    expect(same.subnets).toEqual([]);
    expect(renderMarkdown(same)).not.toContain("### Subnets");
  });
});

describe("removed blocks", () => {
  const manifest = { manifest: { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "default" } } };
  const base = { resource: { kubernetes_manifest: { pool: manifest } } };

  it("reports an address a removed block forgets (destroy = false) as forgotten, not destroyed", () => {
    const head = { resource: {}, removed: [{ from: "kubernetes_manifest.pool", lifecycle: { destroy: false } }] };
    const { diff } = compareStack("dev-addons", base as never, head as never);
    expect(diff.removed).toEqual([]);
    expect(diff.forgotten.map((e) => e.address)).toEqual(["kubernetes_manifest.pool"]);
    expect(diff.status).toBe("changed");
  });

  it("still reports a destroy when the removed block destroys (or there is none)", () => {
    for (const head of [{ resource: {} }, { resource: {}, removed: [{ from: "kubernetes_manifest.pool", lifecycle: { destroy: true } }] }]) {
      const { diff } = compareStack("dev-addons", base as never, head as never);
      expect(diff.removed.map((e) => e.address)).toEqual(["kubernetes_manifest.pool"]);
      expect(diff.forgotten).toEqual([]);
    }
  });
});
