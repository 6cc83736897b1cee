import type { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { Construct } from "constructs";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { IrsaRole } from "../../modules/irsa/irsa-role";
import { PlatformKey } from "../../modules/kms/platform-key";
import { SecureBucket } from "../../modules/s3/secure-bucket";
import type { AddonContext } from "../context";
import { LOKI_CHART } from "./chart";
import { lokiPolicy } from "./iam-policy";
import { LOKI_RELEASE, LOKI_SERVICE_ACCOUNT, lokiGatewayUrl, LokiMode, lokiValues } from "./values";

export * from "./chart";
export * from "./iam-policy";
export * from "./values";

/** Days the bucket keeps an object after Loki's own retention would have deleted it (a backstop). */
export const LOKI_LIFECYCLE_MARGIN_DAYS = 7;

/**
 * The bucket's lifecycle beyond `SecureBucket`'s own rule: every object expires `retentionDays` +
 * {@link LOKI_LIFECYCLE_MARGIN_DAYS} after it was written. Loki's compactor deletes logs at
 * `retentionDays`; the margin keeps the lifecycle from removing an index table Loki still reads.
 *
 * @throws Error when `retentionDays` is not a positive whole number
 */
export function lokiLifecycleRules(retentionDays: number): S3BucketLifecycleConfigurationRule[] {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`Loki retentionDays must be a positive whole number, got ${retentionDays}`);
  return [{ id: "expire-after-retention", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: retentionDays + LOKI_LIFECYCLE_MARGIN_DAYS }] }];
}

export interface LokiProps extends ReleaseOptions {
  readonly context: AddonContext;
  /** `monolithic` or `simple-scalable` (see values.ts). */
  readonly mode: LokiMode;
  /** Days Loki keeps logs. */
  readonly retentionDays: number;
  /**
   * Replicas of each simple-scalable target.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Namespace of the release.
   * @default "loki"
   */
  readonly namespace?: string;
  /**
   * Storage class of the volumes (WAL, compactor working directory).
   * @default "gp3"
   */
  readonly storageClassName?: string;
  /**
   * Size of each volume in GiB.
   * @default 20
   */
  readonly volumeGiB?: number;
  /**
   * Bucket that receives the log bucket's S3 server access logs (the account's, `accessLogBucketName`).
   * @default - no server access logging (the S3-ACCESS-LOGGING guardrail fails the bucket)
   */
  readonly accessLogBucketName?: string;
}

/**
 * Loki as Grafana's log store: the upstream chart (pinned), chunks and index in a hardened S3 bucket
 * (SSE-KMS with its own key, versioning, TLS only, no public access, access-logged) that expires objects after the
 * retention, and an IRSA role that reaches only that bucket and key.
 */
export class Loki extends Construct {
  readonly key: PlatformKey;
  readonly bucket: SecureBucket;
  readonly role: IrsaRole;
  readonly release: HelmAddon;
  readonly namespace: string;
  /** In-cluster URL of the gateway (queries and pushes). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    const ctx = props.context;
    const protect = ctx.protectStatefulResources;
    this.namespace = props.namespace ?? "loki";
    this.url = lokiGatewayUrl(this.namespace);

    this.key = new PlatformKey(this, "key", {
      alias: `${ctx.namePrefix}-loki`,
      description: `Encrypts the Loki log bucket of ${ctx.clusterName}`,
      scope: ctx.scope,
      preventDestroy: protect,
    });
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: `${ctx.namePrefix}-loki-${ctx.scope.accountId}`,
      kmsKeyArn: this.key.arn,
      lifecycleRules: lokiLifecycleRules(props.retentionDays),
      // Deleted chunks stay recoverable for a week, not the default 90 days.
      noncurrentVersionExpirationDays: LOKI_LIFECYCLE_MARGIN_DAYS,
      preventDestroy: protect,
      // Logs are not backups: nonprod environments may be torn down with their bucket.
      forceDestroy: !protect,
      accessLogging: props.accessLogBucketName !== undefined ? { targetBucket: props.accessLogBucketName } : undefined,
    });
    this.role = new IrsaRole(this, "irsa", {
      oidc: ctx.oidc,
      namespace: this.namespace,
      serviceAccount: LOKI_SERVICE_ACCOUNT,
      roleName: `${ctx.namePrefix}-loki`,
      description: `Loki of ${ctx.clusterName}: its log bucket only`,
      policyStatements: lokiPolicy(this.bucket.arn, this.key.arn),
    });
    this.release = new HelmAddon(this, "release", {
      releaseName: LOKI_RELEASE,
      namespace: this.namespace,
      chart: LOKI_CHART,
      values: lokiValues({
        mode: props.mode,
        replicas: props.replicas ?? 3,
        retentionDays: props.retentionDays,
        bucketName: this.bucket.name,
        region: ctx.scope.region,
        roleArn: this.role.roleArn,
        storageClassName: props.storageClassName ?? "gp3",
        volumeGiB: props.volumeGiB ?? 20,
      }),
      overrides: props.overrides,
      timeoutSeconds: 900,
      // The gateway, read/write/backend and memberlist Services; volumes on gp3.
      createsServices: true,
      needs: ["storage-classes"],
      irsaRoles: [this.role],
      dependsOn: [this.bucket.bucket, ...(props.dependsOn ?? [])],
    });
  }
}
