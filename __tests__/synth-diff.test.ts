/**
 * The offline synth diff (`npm run diff`): structural diff, risk flags and rendering, on two small
 * fixture revisions written as `cdk.tf.json` objects (no cdktf, no synth), plus the CLI entry
 * point called in-process on `--base-dir/--head-dir`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../scripts/diff/cli";
import { compareStack, diffValues } from "../scripts/diff/compare";
import { PROVIDERS, sourceOf } from "../scripts/diff/data/force-new-table";
import { FORCE_NEW, forceNewChanges } from "../scripts/diff/force-new";
import { normalizeBody } from "../scripts/diff/normalize";
import { renderJson, renderMarkdown } from "../scripts/diff/render";
import { buildReport } from "../scripts/diff/report";
import { versionJump } from "../scripts/diff/risk";
import type { DiffReport, RiskFlag, StackSet, TfJson } from "../scripts/diff/types";

/** cdktf's metadata for a resource, as `Testing.synth` writes it. */
function meta(stack: string, path: string, uniqueId: string) {
  return { "//": { metadata: { path: `${stack}/${path}`, uniqueId } } };
}

function backend(key: string) {
  return { s3: { bucket: "eks-idp-tfstate-111122223333", key, region: "ap-northeast-2", encrypt: true, use_lockfile: true } };
}

const irsaTrust = (sa: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: "${aws_iam_openid_connect_provider.oidc_1A2B3C4D.arn}" },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: { StringEquals: { "oidc:sub": `system:serviceaccount:${sa}`, "oidc:aud": "sts.amazonaws.com" } },
      },
    ],
  });

const readPolicy = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "ReadBackups", Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::backups", "arn:aws:s3:::backups/*"] },
    { Sid: "DescribeVolumes", Effect: "Allow", Action: ["ec2:DescribeVolumes"], Resource: ["*"] },
  ],
};

function network(stack: string, uniqueSuffix: string, outputsReversed: boolean): TfJson {
  const outputs = {
    vpc_id: { value: "${aws_vpc.vpc_1111.id}", description: "VPC" },
    subnet_ids: { value: ["${aws_subnet.subnet-a_2222.id}"], description: "Subnets" },
  };
  return {
    "//": { metadata: { backend: "s3", stackName: stack, version: uniqueSuffix }, outputs: { [stack]: { vpc_id: "vpc_id" } } },
    terraform: { backend: backend("dev/network/terraform.tfstate"), required_providers: { aws: { source: "hashicorp/aws", version: "6.25.0" } } },
    provider: { aws: [{ region: "ap-northeast-2" }] },
    resource: {
      aws_vpc: { vpc_1111: { ...meta(stack, `vpc${uniqueSuffix}`, "vpc_1111"), cidr_block: "10.0.0.0/16", enable_dns_hostnames: true } },
      aws_subnet: {
        "subnet-a_2222": {
          ...meta(stack, `subnet-a${uniqueSuffix}`, "subnet-a_2222"),
          vpc_id: "${aws_vpc.vpc_1111.id}",
          cidr_block: "10.0.0.0/20",
          availability_zone: "ap-northeast-2a",
        },
      },
    },
    output: outputsReversed ? Object.fromEntries(Object.entries(outputs).reverse()) : outputs,
  };
}

function clusterBase(): TfJson {
  const s = "dev-cluster";
  return {
    "//": { metadata: { backend: "s3", stackName: s, version: "0.21.0" } },
    terraform: { backend: backend("dev/cluster/terraform.tfstate") },
    data: {
      aws_subnet: { "private-a_AAAA": { ...meta(s, "private-a", "private-a_AAAA"), filter: [{ name: "tag:Name", values: ["private-a"] }] } },
    },
    resource: {
      aws_eks_cluster: {
        cluster_C1: { ...meta(s, "eks/cluster", "cluster_C1"), name: "eks-idp-dev", version: "1.32", role_arn: "${aws_iam_role.cluster-role_R1.arn}", vpc_config: { subnet_ids: ["${data.aws_subnet.private-a_AAAA.id}"] } },
      },
      aws_eks_node_group: {
        system_NG1: {
          ...meta(s, "eks/node-group-system", "system_NG1"),
          cluster_name: "${aws_eks_cluster.cluster_C1.name}",
          node_group_name: "system",
          version: "1.32",
          instance_types: ["m6i.large"],
          subnet_ids: ["${data.aws_subnet.private-a_AAAA.id}"],
          scaling_config: { desired_size: 2, max_size: 4, min_size: 2 },
        },
      },
      aws_iam_role: {
        "cluster-role_R1": { ...meta(s, "eks/cluster-role", "cluster-role_R1"), name: "eks-idp-dev-cluster", assume_role_policy: irsaTrust("kube-system:none") },
        "velero-irsa_R2": { ...meta(s, "velero/irsa", "velero-irsa_R2"), name: "eks-idp-dev-velero", assume_role_policy: irsaTrust("velero:velero") },
      },
      aws_iam_role_policy: {
        "velero-policy_P1": {
          ...meta(s, "velero/policy", "velero-policy_P1"),
          name: "velero",
          role: "${aws_iam_role.velero-irsa_R2.name}",
          policy: JSON.stringify(readPolicy),
        },
      },
      aws_s3_bucket: {
        "backup-bucket_B1": { ...meta(s, "velero/bucket", "backup-bucket_B1"), bucket: "eks-idp-dev-backups", force_destroy: false, lifecycle: { prevent_destroy: true } },
      },
      aws_kms_key: {
        key_K1: { ...meta(s, "key", "key_K1"), description: "Encrypts secrets", enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } },
      },
      aws_cloudwatch_log_group: {
        "log-group_L1": { ...meta(s, "logs", "log-group_L1"), name: "/aws/eks/eks-idp-dev/cluster", retention_in_days: 30 },
      },
      helm_release: {
        velero_H1: {
          ...meta(s, "velero/release", "velero_H1"),
          name: "velero",
          namespace: "velero",
          chart: "velero",
          version: "11.1.1",
          values: ["configuration:\n  backupStorageLocation:\n    - bucket: eks-idp-dev-backups\nresources:\n  requests:\n    cpu: 100m\n"],
        },
      },
    },
  };
}

/** The head: every risk the report must flag, plus in-place changes and metadata noise. */
function clusterHead(): TfJson {
  const tf = JSON.parse(JSON.stringify(clusterBase())) as Record<string, any>;
  const r = tf["resource"];
  // cdktf noise: another path/uniqueId in metadata, another cdktf version.
  tf["//"].metadata.version = "0.21.1";
  r.aws_eks_cluster.cluster_C1["//"].metadata.path = "dev-cluster/eks/control-plane/cluster";
  // Version jump of two minors (1.32 → 1.34).
  r.aws_eks_cluster.cluster_C1.version = "1.34";
  r.aws_eks_node_group.system_NG1.version = "1.33";
  // Force-new attribute on a node group.
  r.aws_eks_node_group.system_NG1.instance_types = ["m7i.large"];
  // In-place changes.
  r.aws_eks_node_group.system_NG1.scaling_config.max_size = 6;
  r.aws_cloudwatch_log_group["log-group_L1"].retention_in_days = 90;
  r.helm_release.velero_H1.values = [
    "configuration:\n  backupStorageLocation:\n    - bucket: eks-idp-dev-backups\nresources:\n  requests:\n    cpu: 250m\n",
  ];
  // Renamed construct id: same role name, new address (and its policy follows the new address).
  r.aws_iam_role["velero-irsa-renamed_R9"] = r.aws_iam_role["velero-irsa_R2"];
  delete r.aws_iam_role["velero-irsa_R2"];
  const policy = r.aws_iam_role_policy["velero-policy_P1"];
  policy.role = "${aws_iam_role.velero-irsa-renamed_R9.name}";
  // IAM widening inside the policy string: a new action, and a wildcard statement.
  const widened = JSON.parse(JSON.stringify(readPolicy));
  widened.Statement[0].Action.push("s3:PutObject");
  widened.Statement.push({ Sid: "Everything", Effect: "Allow", Action: ["s3:*"], Resource: ["*"] });
  policy.policy = JSON.stringify(widened);
  // Stateful deletion: the backup bucket goes.
  delete r.aws_s3_bucket;
  // Protection removed from a stateful resource.
  delete r.aws_kms_key.key_K1.lifecycle;
  // Added resource.
  r.aws_sqs_queue = { "interruption_Q1": { ...meta("dev-cluster", "karpenter/queue", "interruption_Q1"), name: "eks-idp-dev-interruption" } };
  return tf;
}

const base: StackSet = {
  "dev-network": network("dev-network", "", false),
  "dev-cluster": clusterBase(),
  "old-stack": { resource: { aws_sns_topic: { topic_T1: { name: "alerts" } } } },
};
const head: StackSet = {
  "dev-network": network("dev-network", "", true),
  "dev-cluster": clusterHead(),
  "new-stack": { resource: { aws_sns_topic: { topic_T2: { name: "alerts-v2" } } } },
};

const report: DiffReport = buildReport(base, head, { base: "main", head: "feature" });
const stack = (name: string) => report.stacks.find((s) => s.stack === name)!;
const risks = (kind: RiskFlag["kind"]) => report.risks.filter((r) => r.kind === kind);

describe("structural diff", () => {
  it("ignores cdktf metadata, output order and an unchanged backend", () => {
    expect(stack("dev-network").status).toBe("unchanged");
    // Other construct paths and cdktf version in the metadata, outputs in another order.
    const noisy = compareStack("dev-network", network("dev-network", "-a", false), network("dev-network", "-b", true));
    expect(noisy.diff.status).toBe("unchanged");
  });

  it("reports stacks added and removed", () => {
    expect(stack("new-stack").status).toBe("added");
    expect(stack("new-stack").added.map((a) => a.address)).toEqual(["aws_sns_topic.topic_T2"]);
    expect(stack("old-stack").status).toBe("removed");
    expect(stack("old-stack").removed.map((a) => a.address)).toEqual(["aws_sns_topic.topic_T1"]);
  });

  it("lists added and removed resources by address, with their identity", () => {
    const cluster = stack("dev-cluster");
    expect(cluster.status).toBe("changed");
    expect(cluster.added).toEqual([{ address: "aws_sqs_queue.interruption_Q1", kind: "resource", type: "aws_sqs_queue", identity: "name=eks-idp-dev-interruption" }]);
    expect(cluster.removed.map((r) => r.address)).toEqual(["aws_s3_bucket.backup-bucket_B1"]);
  });

  it("shows changed attribute paths with old → new values, not metadata", () => {
    const changed = Object.fromEntries(stack("dev-cluster").changed.map((c) => [c.address, c.changes]));
    expect(changed["aws_eks_cluster.cluster_C1"]).toEqual([{ path: "version", kind: "changed", old: "1.32", new: "1.34" }]);
    expect(changed["aws_cloudwatch_log_group.log-group_L1"]).toEqual([{ path: "retention_in_days", kind: "changed", old: 30, new: 90 }]);
    expect(changed["aws_eks_node_group.system_NG1"]).toEqual([
      { path: "instance_types", kind: "changed", old: ["m6i.large"], new: ["m7i.large"], note: "+m7i.large −m6i.large" },
      { path: "scaling_config.max_size", kind: "changed", old: 4, new: 6 },
      { path: "version", kind: "changed", old: "1.32", new: "1.33" },
    ]);
    expect(changed["aws_kms_key.key_K1"]).toEqual([{ path: "lifecycle", kind: "removed", old: { prevent_destroy: true } }]);
  });

  it("parses Helm values YAML and policy JSON strings and diffs them structurally", () => {
    const changed = Object.fromEntries(stack("dev-cluster").changed.map((c) => [c.address, c.changes]));
    expect(changed["helm_release.velero_H1"]).toEqual([{ path: "values[0]<yaml>.resources.requests.cpu", kind: "changed", old: "100m", new: "250m" }]);
    expect(changed["aws_iam_role_policy.velero-policy_P1"]).toEqual([
      {
        path: "policy<json>.Statement[Sid=ReadBackups].Action",
        kind: "changed",
        old: ["s3:GetObject", "s3:ListBucket"],
        new: ["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
        note: "+s3:PutObject",
      },
      { path: "policy<json>.Statement[Sid=Everything]", kind: "added", new: { Action: ["s3:*"], Effect: "Allow", Resource: ["*"], Sid: "Everything" } },
      { path: "role", kind: "changed", old: "${aws_iam_role.velero-irsa_R2.name}", new: "${aws_iam_role.velero-irsa-renamed_R9.name}" },
    ]);
  });

  it("reports a removed + added pair with the same identity as a rename, not as add/remove", () => {
    const cluster = stack("dev-cluster");
    expect(cluster.renamed).toEqual([
      { kind: "resource", type: "aws_iam_role", from: "aws_iam_role.velero-irsa_R2", to: "aws_iam_role.velero-irsa-renamed_R9", matchedOn: "name", changes: [] },
    ]);
    expect(cluster.added.map((a) => a.address)).not.toContain("aws_iam_role.velero-irsa-renamed_R9");
  });

  it("diffs lists of scalars by position but shows one compact change", () => {
    expect(diffValues(["a", "b", "c"], ["a", "c"])).toEqual([{ path: "", kind: "changed", old: ["a", "b", "c"], new: ["a", "c"], note: "−b" }]);
    expect(diffValues({ l: ["a", "b"] }, { l: ["b", "a"] })).toEqual([{ path: "l", kind: "changed", old: ["a", "b"], new: ["b", "a"], note: "reordered" }]);
    expect(diffValues({ taint: [{ key: "a", effect: "NO_SCHEDULE" }] }, { taint: [{ key: "a", effect: "NO_EXECUTE" }] })).toEqual([
      { path: "taint[0].effect", kind: "changed", old: "NO_SCHEDULE", new: "NO_EXECUTE" },
    ]);
  });

  it("treats a moved block as a move, not a deletion", () => {
    const before: TfJson = { resource: { aws_s3_bucket: { old_B: { bucket: "b" } } } };
    const after: TfJson = { resource: { aws_s3_bucket: { new_B: { bucket: "b", force_destroy: false } } }, moved: [{ from: "aws_s3_bucket.old_B", to: "aws_s3_bucket.new_B" }] };
    const moved = buildReport({ s: before }, { s: after });
    expect(moved.stacks[0]!.changed).toEqual([
      { address: "aws_s3_bucket.new_B", movedFrom: "aws_s3_bucket.old_B", kind: "resource", type: "aws_s3_bucket", changes: [{ path: "force_destroy", kind: "added", new: false }] },
    ]);
    expect(moved.risks).toEqual([]);
  });
});

describe("risk flags", () => {
  it("puts the stateful deletion of the backup bucket first", () => {
    expect(report.risks[0]).toMatchObject({ severity: "high", kind: "stateful-deletion", stack: "dev-cluster", address: "aws_s3_bucket.backup-bucket_B1" });
    expect(report.risks[0]!.message).toContain("prevent_destroy goes away with the block");
  });

  it("flags a force-new attribute change as a replacement, destroy-first for a node group without create_before_destroy", () => {
    expect(risks("replacement")).toEqual([
      expect.objectContaining({ severity: "high", address: "aws_eks_node_group.system_NG1", details: ['instance_types: ["m6i.large"] → ["m7i.large"]'] }),
    ]);
    expect(risks("replacement")[0]!.message).toContain("the old group is destroyed first");
  });

  it("flags the renamed construct id", () => {
    const [rename] = risks("rename");
    expect(rename).toMatchObject({ severity: "medium", address: "aws_iam_role.velero-irsa-renamed_R9" });
    expect(rename!.message).toContain("probably a renamed construct id: this replaces real infrastructure");
  });

  it("flags a Kubernetes version jump of two minors, not a one-minor node group upgrade", () => {
    expect(risks("version-jump")).toEqual([expect.objectContaining({ severity: "high", address: "aws_eks_cluster.cluster_C1" })]);
    expect(versionJump("1.32", "1.33")).toBeUndefined();
    expect(versionJump("1.32", "1.34")).toContain("jumps 2 minor versions");
    expect(versionJump("1.33", "1.32")).toContain("downgrade");
  });

  it("flags IAM widening found inside the parsed policy string", () => {
    const [widening] = risks("iam-widening");
    expect(widening).toMatchObject({ severity: "high", address: "aws_iam_role_policy.velero-policy_P1" });
    expect(widening!.message).toBe("`policy<json>` widens (new action(s): s3:PutObject, s3:*, wildcards: Action s3:*)");
    expect(widening!.details).toEqual(["Sid=ReadBackups: s3:PutObject on arn:aws:s3:::backups, arn:aws:s3:::backups/*", "Sid=Everything: s3:* on *"]);
  });

  it("flags deletion protection removed from a stateful resource", () => {
    expect(risks("protection-removed")).toEqual([expect.objectContaining({ severity: "high", address: "aws_kms_key.key_K1" })]);
  });

  it("flags a removed stack", () => {
    expect(risks("stack-removed")).toEqual([expect.objectContaining({ severity: "medium", stack: "old-stack" })]);
  });

  it("raises nothing else: in-place changes and noise are not risks", () => {
    expect(report.risks.map((r) => r.kind).sort()).toEqual(
      ["iam-widening", "protection-removed", "rename", "replacement", "stack-removed", "stateful-deletion", "version-jump"].sort(),
    );
  });

  it("flags a trust policy that loses its condition, and new wildcard principals", () => {
    const role = (trust: unknown) => ({ resource: { aws_iam_role: { r_1: { name: "x", assume_role_policy: JSON.stringify(trust) } } } });
    const statement = { Effect: "Allow", Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/x" }, Action: "sts:AssumeRoleWithWebIdentity" };
    const strict = { Version: "2012-10-17", Statement: [{ ...statement, Condition: { StringEquals: { "x:sub": "system:serviceaccount:a:b" } } }] };
    const loose = { Version: "2012-10-17", Statement: [statement, { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }] };
    const r = buildReport({ s: role(strict) }, { s: role(loose) });
    expect(r.risks).toHaveLength(1);
    expect(r.risks[0]).toMatchObject({ kind: "iam-widening", severity: "high" });
    expect(r.risks[0]!.message).toContain("Principal *");
    expect(r.risks[0]!.details).toContain(
      "#0: sts:AssumeRoleWithWebIdentity to Federated:arn:aws:iam::111122223333:oidc-provider/x (condition changed or removed)",
    );
  });

  it("flags a changed state backend", () => {
    const tf = (key: string): TfJson => ({ terraform: { backend: backend(key) } });
    const r = buildReport({ s: tf("dev/a.tfstate") }, { s: tf("dev/b.tfstate") });
    expect(r.risks).toEqual([expect.objectContaining({ kind: "backend-change", severity: "high", details: ["s3.key: dev/a.tfstate → dev/b.tfstate"] })]);
  });

  it("names the Terraform state bucket", () => {
    const r = buildReport({ "bootstrap-prod": { resource: { aws_s3_bucket: { state_1: { bucket: "eks-idp-tfstate-1" } } } } }, { "bootstrap-prod": {} });
    expect(r.risks[0]!.message).toContain("Terraform state bucket");
  });

  it("does not call a renamed data source a replacement of the resources that read it", () => {
    const before = clusterBase() as Record<string, any>;
    const after = JSON.parse(JSON.stringify(before)) as Record<string, any>;
    after.data.aws_subnet["private-a-renamed_BBBB"] = after.data.aws_subnet["private-a_AAAA"];
    delete after.data.aws_subnet["private-a_AAAA"];
    const ng = after.resource.aws_eks_node_group.system_NG1;
    ng.subnet_ids = ["${data.aws_subnet.private-a-renamed_BBBB.id}"];
    after.resource.aws_eks_cluster.cluster_C1.vpc_config.subnet_ids = ng.subnet_ids;
    const r = buildReport({ s: before }, { s: after });
    expect(r.stacks[0]!.renamed.map((x) => x.kind)).toEqual(["data"]);
    expect(r.risks).toEqual([]);
  });
});

describe("force-new table", () => {
  it("names the provider, file and revision read for every entry, and says why an entry has no attribute", () => {
    for (const [type, rule] of Object.entries(FORCE_NEW)) {
      const provider = type.split("_")[0] as string;
      expect(rule.provider, type).toBe(provider);
      expect(PROVIDERS[rule.provider].version, type).toMatch(/^\d+\.\d+\.\d+$/);
      expect(sourceOf(rule), type).toMatch(new RegExp(`^hashicorp/terraform-provider-${provider} \\S+\\.go @\\S+.* \\(pinned provider \\d+\\.\\d+\\.\\d+\\)$`));
      if (rule.attributes.length === 0 && !rule.noUpdate) expect(rule.note, `${type} lists no attribute: say why`).toMatch(/nothing|Nothing/);
    }
  });

  it("pins the provider versions the cdktf provider packages wrap", () => {
    expect(Object.fromEntries(Object.entries(PROVIDERS).map(([name, p]) => [name, p.version]))).toEqual({ aws: "6.25.0", helm: "3.1.1", kubernetes: "2.38.0" });
  });

  it("ignores the order of set attributes and honours removal-only rules", () => {
    const a = normalizeBody({ subnet_ids: ["a", "b"], node_group_name: "x" });
    const b = normalizeBody({ subnet_ids: ["b", "a"], node_group_name: "x" });
    expect(forceNewChanges("aws_eks_node_group", a, b)).toEqual([]);
    const withKey = normalizeBody({ name: "c", encryption_config: { resources: ["secrets"] } });
    const withoutKey = normalizeBody({ name: "c" });
    expect(forceNewChanges("aws_eks_cluster", withKey, withoutKey).map((f) => f.attribute)).toEqual(["encryption_config"]);
    expect(forceNewChanges("aws_eks_cluster", withoutKey, withKey)).toEqual([]);
    expect(forceNewChanges("aws_db_instance", normalizeBody({ identifier: "a" }), normalizeBody({ identifier: "b" }))).toEqual([]);
  });
});

describe("rendering", () => {
  it("puts the risk section before the summary table and the details", () => {
    const md = renderMarkdown(report);
    const risksAt = md.indexOf("### ⚠️ Risks (");
    const summaryAt = md.indexOf("### Summary");
    const detailsAt = md.indexOf("<details>");
    expect(risksAt).toBeGreaterThan(0);
    expect(risksAt).toBeLessThan(summaryAt);
    expect(summaryAt).toBeLessThan(detailsAt);
    expect(md).toContain("| <code>dev-cluster</code> | +3 | ~5 | −3 | 6 |");
    expect(md).toContain("<code>aws_eks_node_group.system_NG1</code> — **replaced** (destroyed and created again)");
    expect(md).toContain("<code>policy&lt;json&gt;.Statement[Sid=ReadBackups].Action</code> (+s3:PutObject)");
    expect(md).toContain("Unchanged: <code>dev-network</code>");
  });

  it("truncates very long values and stays within the size budget", () => {
    const long = "x".repeat(5000);
    const r = buildReport({ s: { resource: { aws_ssm_parameter: { p_1: { name: "a", value: "short" } } } } }, { s: { resource: { aws_ssm_parameter: { p_1: { name: "a", value: long } } } } });
    const md = renderMarkdown(r, { maxValueLength: 100 });
    expect(md).toContain("… (+");
    expect(md.length).toBeLessThan(3000);
    expect(renderMarkdown(report, { maxChars: 500 })).toContain("omitted to fit a comment");
  });

  it("renders JSON with the same content", () => {
    const json = JSON.parse(renderJson(report)) as DiffReport;
    expect(Object.keys(json)).toEqual(["base", "head", "notes", "summary", "risks", "subnets", "stacks"]);
    expect(json.summary).toEqual({ stacks: 4, stacksChanged: 3, added: 4, changed: 5, removed: 4, risks: { high: 5, medium: 2 } });
    expect(json.risks).toEqual(report.risks);
    expect(json.stacks.map((s) => [s.stack, s.status])).toEqual([
      ["dev-cluster", "changed"],
      ["dev-network", "unchanged"],
      ["new-stack", "added"],
      ["old-stack", "removed"],
    ]);
  });
});

describe("CLI: --base-dir / --head-dir", () => {
  let root = "";
  const write = (dir: string, stacks: StackSet) => {
    for (const [name, tf] of Object.entries(stacks)) {
      mkdirSync(join(root, dir, "stacks", name), { recursive: true });
      writeFileSync(join(root, dir, "stacks", name, "cdk.tf.json"), JSON.stringify(tf, null, 2));
    }
  };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "synth-diff-test-"));
    write("base", base);
    write("head", head);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function cli(argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, { cwd: root, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }

  it("compares two synthesized folders in-process (cdktf output folder or its stacks folder)", async () => {
    const { code, stdout } = await cli(["--base-dir", "base", "--head-dir", "head/stacks", "--format", "json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as DiffReport;
    expect(json.base).toBe("base");
    expect(json.summary).toEqual(report.summary);
  });

  it("writes Markdown to --out and fails on --fail-on high", async () => {
    const { code, stderr } = await cli(["--base-dir=base", "--head-dir=head", "--out", "out/diff.md", "--fail-on", "high"]);
    expect(code).toBe(3);
    expect(stderr).toContain("5 high / 2 medium");
    expect(readFileSync(join(root, "out", "diff.md"), "utf8")).toMatch(/^## Synth diff/);
  });

  it("rejects bad arguments with the usage", async () => {
    const { code, stderr } = await cli(["--head-dir", "head"]);
    expect(code).toBe(2);
    expect(stderr).toContain("give exactly one of --base <ref> or --base-dir <dir>");
    expect((await cli(["--base-dir", "base", "--head-dir", "head", "--format", "html"])).code).toBe(2);
    expect((await cli(["--base-dir", "missing", "--head-dir", "head"])).code).toBe(1);
  });
});
