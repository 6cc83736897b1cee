/**
 * Issue 12, item 9 and "Done when": server access logging of the state and Velero buckets to a
 * hardened log bucket per account, Keycloak database deletion protection (off only with a reason),
 * and the checkov-style guardrail scan of every synthesized stack of every environment.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import { environmentSchema } from "../environments/schema";
import { evaluate, formatSuppressions, formatViolations, suppressionsIn } from "../modules/guardrails/engine";
import { RULES } from "../modules/guardrails/rules";
import { ACCESS_LOG_BUCKET_EXEMPTIONS, logDeliveryStatement, S3_LOG_DELIVERY_PRINCIPAL } from "../modules/s3/access-log-bucket";
import { accessLogPrefix } from "../modules/s3/secure-bucket";
import { accessLogBucketName, platformBucketArnPattern } from "../stacks/access-logs";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";

const { envs, stacks } = platform();

const written = new Map<TerraformStack, SynthesizedStack>();
/**
 * A stack's JSON exactly as `cdktf synth` writes it (`cdk.tf.json`, with the `//` metadata and
 * suppressions that `Testing.synth` strips).
 */
function synthesized(stack: TerraformStack): SynthesizedStack {
  let json = written.get(stack);
  if (!json) {
    const outdir = Testing.fullSynth(stack);
    json = JSON.parse(readFileSync(join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")) as SynthesizedStack;
    rmSync(outdir, { recursive: true, force: true });
    written.set(stack, json);
  }
  return json;
}

/** Every stack of the platform with the stage its guardrails run at. */
const allStacks = [
  ...stacks.bootstrap.map((s) => ({ name: s.node.id, stack: s, stage: envs.find((e) => e.account.alias === s.accountAlias)!.stage })),
  ...envs.flatMap((env) => Object.values(stacks.environments[env.name]!).map((s) => ({ name: s.node.id, stack: s, stage: env.stage }))),
];

/** The resources of `type` in a stack whose `bucket` argument references the bucket `name`. */
const attachedTo = (json: SynthesizedStack, type: string, bucketName: string) =>
  Object.values(resources(json, type)).filter((r: any) => String(r.bucket).includes(`aws_s3_bucket.${bucketName}.`));

describe("the checkov-style scan of every stack", () => {
  it("covers the bootstrap stack of every account and every layer of every environment", () => {
    expect(allStacks.filter((s) => s.name.startsWith("bootstrap-"))).toHaveLength(new Set(envs.map((e) => e.account.alias)).size);
    expect(allStacks.length).toBe(stacks.bootstrap.length + envs.length * 3);
  });

  it.each(allStacks.map((s) => [s.name, s] as const))("%s: no violation in the synthesized JSON, every suppression reasoned", (_name, { stack, stage }) => {
    synth(stack); // validations on: the Aspect's errors would throw here
    const json = synthesized(stack);
    expect(formatViolations(evaluate(json, stage))).toBe(formatViolations([]));
    for (const s of suppressionsIn(json)) {
      const rule = RULES.find((r) => r.id === s.rule);
      expect(rule, s.rule).toBeDefined();
      expect(s.reason.trim().length, formatSuppressions([s])).toBeGreaterThanOrEqual(20);
      expect(s.checkov).toEqual(rule!.checkov);
    }
  });

  it("finds a violation that a suppression without its rule would leave (the scan is not vacuous)", () => {
    const json = synthesized(stacks.bootstrap[0]!);
    const stripped = JSON.parse(JSON.stringify(json, (key, value) => (key === "guardrails" ? undefined : value)));
    const onLogBucket = evaluate(stripped, "nonprod").filter((v) => v.path.includes("/access-log-bucket/"));
    expect(onLogBucket.map((v) => v.rule).sort()).toEqual(Object.keys(ACCESS_LOG_BUCKET_EXEMPTIONS).sort());
  });
});

describe("S3 server access logging", () => {
  it("writes the delivery statement of the S3 User Guide: logging.s3.amazonaws.com, source buckets and account", () => {
    expect(logDeliveryStatement("arn:aws:s3:::logs", ["arn:aws:s3:::eks-idp-*"], "111122223333")).toEqual({
      Sid: "S3ServerAccessLogsPolicy",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: ["s3:PutObject"],
      Resource: ["arn:aws:s3:::logs/*"],
      Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:s3:::eks-idp-*"] }, StringEquals: { "aws:SourceAccount": "111122223333" } },
    });
    expect(() => logDeliveryStatement("arn:aws:s3:::logs", [], "111122223333")).toThrow(/ARNs/);
  });

  it.each(stacks.bootstrap.map((s) => [s.node.id, s] as const))("%s: a hardened SSE-S3 log bucket that only the account's platform buckets may write to", (_id, stack) => {
    const json = synthesized(stack);
    const accountId = envs.find((e) => e.account.alias === stack.accountAlias)!.account.id;
    const [logName, log] = Object.entries(resources(json, "aws_s3_bucket")).find(([, b]: [string, any]) => b.bucket === accessLogBucketName(accountId))! as [string, any];
    expect(log.lifecycle).toEqual({ prevent_destroy: true });
    expect((attachedTo(json, "aws_s3_bucket_versioning", logName)[0] as any).versioning_configuration.status).toBe("Enabled");
    expect((attachedTo(json, "aws_s3_bucket_server_side_encryption_configuration", logName)[0] as any).rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
    expect(attachedTo(json, "aws_s3_bucket_public_access_block", logName)[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect((attachedTo(json, "aws_s3_bucket_ownership_controls", logName)[0] as any).rule.object_ownership).toBe("BucketOwnerEnforced");
    const rules = (attachedTo(json, "aws_s3_bucket_lifecycle_configuration", logName)[0] as any).rule;
    expect(rules.find((r: any) => r.id === "expire-access-logs")).toMatchObject({ status: "Enabled", expiration: [{ days: 365 }] });
    expect(rules.some((r: any) => r.abort_incomplete_multipart_upload)).toBe(true);
    const statements = JSON.parse((attachedTo(json, "aws_s3_bucket_policy", logName)[0] as any).policy).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
    const delivery = statements.filter((s: any) => s.Effect === "Allow");
    expect(delivery).toEqual([logDeliveryStatement(`arn:aws:s3:::${accessLogBucketName(accountId)}`, [platformBucketArnPattern("aws")], accountId)]);
    expect(delivery[0].Principal.Service).toBe(S3_LOG_DELIVERY_PRINCIPAL);
    expect(attachedTo(json, "aws_s3_bucket_logging", logName)).toEqual([]);
    expect(log["//"].guardrails.suppressions.map((s: any) => s.rule).sort()).toEqual(Object.keys(ACCESS_LOG_BUCKET_EXEMPTIONS).sort());
  });

  it.each(stacks.bootstrap.map((s) => [s.node.id, s] as const))("%s: the state bucket logs to the account's log bucket", (_id, stack) => {
    const json = synth(stack);
    const [stateName] = Object.entries(resources(json, "aws_s3_bucket")).find(([, b]: [string, any]) => String(b.bucket).includes("-tfstate-"))!;
    const [logName] = Object.entries(resources(json, "aws_s3_bucket")).find(([, b]: [string, any]) => String(b.bucket).includes("-s3-access-logs-"))!;
    const [logging] = attachedTo(json, "aws_s3_bucket_logging", stateName) as any[];
    expect(logging.target_bucket).toBe(`\${aws_s3_bucket.${logName}.bucket}`);
    expect(logging.target_prefix).toBe(accessLogPrefix(resources(json, "aws_s3_bucket")[stateName].bucket));
  });

  it.each(envs.map((e) => [e.name, e] as const))("%s: the Velero bucket logs to its account's log bucket, which the bucket's name may write to", (name, env) => {
    const json = synth(stacks.environments[name]!.addons);
    const [veleroName, velero] = Object.entries(resources(json, "aws_s3_bucket")).find(([key]) => key.startsWith("velero_"))! as [string, any];
    const [logging] = attachedTo(json, "aws_s3_bucket_logging", veleroName) as any[];
    expect(logging).toMatchObject({ target_bucket: accessLogBucketName(env.account.id), target_prefix: accessLogPrefix(velero.bucket) });
    // The log bucket's policy admits it: ArnLike on the platform prefix.
    const pattern = new RegExp(`^${platformBucketArnPattern("aws").replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === "*" ? ".*" : `\\${c}`))}$`);
    expect(`arn:aws:s3:::${velero.bucket}`).toMatch(pattern);
  });
});

describe("Keycloak database deletion protection", () => {
  it.each(envs.map((e) => [e.name, e] as const))("%s: on unless the environment gives a reason, which becomes the suppression", (name, env) => {
    const json = synthesized(stacks.environments[name]!.addons);
    const [db] = Object.values(resources(json, "aws_db_instance")) as any[];
    const reason = env.addons.auth.database.deletionProtectionOffReason;
    expect(db.deletion_protection).toBe(reason === undefined);
    expect(db.skip_final_snapshot).toBe(reason !== undefined);
    expect(db.lifecycle?.prevent_destroy ?? false).toBe(env.stage === "prod");
    const suppressions = (db["//"]?.guardrails?.suppressions ?? []) as any[];
    expect(suppressions).toEqual(reason === undefined ? [] : [{ rule: "RDS-DELETION-PROTECTION", reason, checkov: ["CKV_AWS_293", "CKV_AWS_139"] }]);
  });

  it("is never turned off by a reason in a prod environment", () => {
    const prod = envs.filter((e) => e.stage === "prod");
    expect(prod.length).toBeGreaterThan(0);
    for (const env of prod) expect(env.addons.auth.database.deletionProtectionOffReason, env.name).toBeUndefined();
  });

  it("cannot be turned off in prod: PROD-DELETION-PROTECTION still fails a suppressed database", () => {
    const db = {
      aws_db_instance: {
        d: {
          storage_encrypted: true,
          kms_key_id: "k",
          deletion_protection: false,
          lifecycle: { prevent_destroy: true },
          "//": { guardrails: { suppressions: [{ rule: "RDS-DELETION-PROTECTION", reason: "a reason that is long enough to pass" }] } },
        },
      },
    };
    expect(evaluate({ resource: db }, "prod").map((v) => v.rule)).toEqual(["PROD-DELETION-PROTECTION"]);
    expect(evaluate({ resource: db }, "nonprod")).toEqual([]);
  });

  it("takes a reason of at least 20 characters", () => {
    const input = environments.find((e) => e.stage === "nonprod")!;
    const withReason = (reason: string) => {
      const copy = structuredClone(input) as any;
      copy.addons.auth.database.deletionProtectionOffReason = reason;
      return environmentSchema.safeParse(copy).success;
    };
    expect(withReason("x".repeat(19))).toBe(false);
    expect(withReason("x".repeat(20))).toBe(true);
  });
});
