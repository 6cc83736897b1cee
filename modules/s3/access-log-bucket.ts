import { Construct } from "constructs";
import { suppress } from "../guardrails/guardrails";
import type { AwsScope, PolicyStatement } from "../irsa/policy-document";
import { SecureBucket } from "./secure-bucket";

/**
 * Facts about S3 server access logging, from the Amazon S3 User Guide, "Enabling Amazon S3 server
 * access logging" (awsdocs/amazon-s3-userguide, doc_source/enable-server-access-logging.md, commit
 * 0009290dee01ae2dd84aa996c8b6756e96a21457):
 * - the target bucket is in the source bucket's account and region;
 * - with Object Ownership "bucket owner enforced" (ACLs off) log delivery is granted by a bucket
 *   policy allowing `s3:PutObject` to `logging.s3.amazonaws.com`, conditioned on `aws:SourceArn`
 *   (ArnLike, the source buckets) and `aws:SourceAccount`;
 * - default encryption of the target bucket may only be SSE-S3: "Default server-side encryption
 *   with AWS KMS keys (SSE-KMS) is not supported";
 * - the target bucket should not log its own access; it must not use Object Lock.
 */
export const S3_LOG_DELIVERY_PRINCIPAL = "logging.s3.amazonaws.com";

/** Why the log bucket is exempt from the two rules it cannot meet (recorded as suppressions). */
export const ACCESS_LOG_BUCKET_EXEMPTIONS = {
  "S3-ENCRYPTION-KMS":
    "S3 server access logging delivers only to buckets whose default encryption is SSE-S3 (S3 User Guide: SSE-KMS is not supported for log targets); this bucket uses SSE-S3 (AES256)",
  "S3-ACCESS-LOGGING":
    "this is the account's access-log bucket: logging its own requests would log every log delivery (S3 User Guide: the target bucket should not have server access logging enabled)",
} as const;

/**
 * The log bucket's policy statement for S3 log delivery: `logging.s3.amazonaws.com` may put objects
 * only for the given source buckets (`aws:SourceArn`, ArnLike patterns) of the given account.
 *
 * @throws Error when no source bucket is given
 */
export function logDeliveryStatement(logBucketArn: string, sourceBucketArns: readonly string[], accountId: string): PolicyStatement {
  if (sourceBucketArns.length === 0) throw new Error("an access-log bucket needs the ARNs (or ArnLike patterns) of the buckets that log to it");
  return {
    Sid: "S3ServerAccessLogsPolicy",
    Effect: "Allow",
    Principal: { Service: S3_LOG_DELIVERY_PRINCIPAL },
    Action: ["s3:PutObject"],
    Resource: [`${logBucketArn}/*`],
    Condition: { ArnLike: { "aws:SourceArn": [...sourceBucketArns] }, StringEquals: { "aws:SourceAccount": accountId } },
  };
}

export interface AccessLogBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Account, region and partition of the bucket (and of every bucket logging to it). */
  readonly scope: AwsScope;
  /**
   * ARNs, or ArnLike patterns, of the buckets allowed to deliver logs here, e.g.
   * `arn:aws:s3:::eks-idp-*`.
   */
  readonly sourceBucketArns: readonly string[];
  /**
   * Days a log object is kept (then expired; its noncurrent version goes 30 days later).
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * `prevent_destroy` on the bucket.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * The target of S3 server access logging for the buckets of one account: a `SecureBucket` (versioned,
 * all public access blocked, ACLs off, TLS-only policy, lifecycle) encrypted with SSE-S3, whose
 * policy lets S3 log delivery write for the listed source buckets, with logs expired after
 * `retentionDays`. The two guardrails it cannot meet are suppressed with their reasons
 * (`ACCESS_LOG_BUCKET_EXEMPTIONS`).
 */
export class AccessLogBucket extends Construct {
  readonly bucket: SecureBucket;
  /** Bucket name (pass as `SecureBucket` `accessLogging.targetBucket`). */
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const arn = `arn:${props.scope.partition}:s3:::${props.bucketName}`;
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      additionalPolicyStatements: [logDeliveryStatement(arn, props.sourceBucketArns, props.scope.accountId)],
      noncurrentVersionExpirationDays: 30,
      lifecycleRules: [{ id: "expire-access-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: props.retentionDays ?? 365 }] }],
      preventDestroy: props.preventDestroy ?? false,
    });
    this.name = this.bucket.name;
    this.arn = this.bucket.arn;
    for (const [rule, reason] of Object.entries(ACCESS_LOG_BUCKET_EXEMPTIONS)) suppress(this.bucket.bucket, rule, reason);
  }
}
