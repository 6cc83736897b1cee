import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { PolicyStatement, policyDocument } from "../irsa/policy-document";

export interface SecureBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /**
   * ARN of the KMS key for SSE-KMS (with an S3 bucket key to keep KMS calls down).
   * @default - SSE-S3 (AES256): only for the target of S3 server access logging, which supports no
   * other default encryption (see `AccessLogBucket`); the S3-ENCRYPTION-KMS guardrail fails any
   * other bucket without a key
   */
  readonly kmsKeyArn?: string;
  /**
   * Server access logging: S3 writes a record of every request to `targetBucket` (same account and
   * region, a bucket policy letting `logging.s3.amazonaws.com` write: `AccessLogBucket`), under
   * `<bucketName>/` (`accessLogPrefix`).
   * @default - no server access logging (the S3-ACCESS-LOGGING guardrail fails the bucket)
   */
  readonly accessLogging?: { readonly targetBucket: string };
  /**
   * Lifecycle rules (transitions, expiry). Noncurrent versions are always expired after
   * `noncurrentVersionExpirationDays`.
   * @default - only the noncurrent-version and incomplete-upload rule
   */
  readonly lifecycleRules?: readonly S3BucketLifecycleConfigurationRule[];
  /**
   * Days after which noncurrent object versions are deleted.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Extra bucket policy statements (e.g. access for a service principal).
   * @default - none besides the TLS-only statement
   */
  readonly additionalPolicyStatements?: readonly PolicyStatement[];
  /**
   * Adds `prevent_destroy` so that Terraform refuses to delete the bucket.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Let `terraform destroy` empty the bucket first. Never for state or backups.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/** Where a bucket's server access logs land in the log bucket: `<bucket name>/`. */
export function accessLogPrefix(bucketName: string): string {
  return `${bucketName}/`;
}

/**
 * An S3 bucket with the hardening every platform bucket needs: versioning, SSE-KMS with a bucket
 * key, all public access blocked, object ownership enforced (no ACLs), a policy that denies any
 * request not made over TLS, expiry of noncurrent versions and, when given a target, server
 * access logging.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Bucket name. */
  readonly name: string;
  /** Bucket ARN. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;

    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        props.kmsKeyArn !== undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: JSON.stringify(
        policyDocument([
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:*"],
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          ...(props.additionalPolicyStatements ?? []),
        ]),
      ),
      dependsOn: [publicAccess],
    });
    if (props.accessLogging) {
      new S3BucketLoggingA(this, "access-logging", {
        bucket: this.bucket.id,
        targetBucket: props.accessLogging.targetBucket,
        targetPrefix: accessLogPrefix(props.bucketName),
      });
    }
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        ...(props.lifecycleRules ?? []),
      ],
    });
  }
}
