/**
 * Lifecycle rules of the backup bucket, as plain data for `SecureBucket.lifecycleRules`.
 *
 * The rules only touch Velero's `backups/` and `restores/` folders under the cluster's prefix
 * (layout: velero pkg/persistence/object_store_layout.go). The `kopia/` repository that file-system
 * backups and the data mover would write is content-addressed: its objects are shared by newer
 * snapshots, so expiring or archiving them by age would corrupt the repository.
 */
import type { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";

/** The storage class backups move to: instant reads (restores stay fast), cheaper storage. */
export const COLD_STORAGE_CLASS = "GLACIER_IR";

export interface BackupLifecycleArgs {
  /** The BackupStorageLocation prefix of the cluster (no trailing `/`). */
  readonly prefix: string;
  /** Days after which current versions of backup objects expire. */
  readonly expirationDays: number;
  /**
   * Days after which backup objects move to Glacier Instant Retrieval.
   * @default - they stay in S3 Standard
   */
  readonly glacierIrTransitionDays?: number;
}

/**
 * Transition of backups to GLACIER_IR (when asked) and expiry of current versions; noncurrent
 * versions are expired by `SecureBucket`'s own rule.
 *
 * @throws Error when the transition does not come before the expiry
 */
export function backupLifecycleRules(args: BackupLifecycleArgs): S3BucketLifecycleConfigurationRule[] {
  const { prefix, expirationDays, glacierIrTransitionDays } = args;
  if (!Number.isInteger(expirationDays) || expirationDays < 1) {
    throw new Error(`expirationDays must be a positive whole number of days, got ${expirationDays}`);
  }
  if (glacierIrTransitionDays !== undefined && !(glacierIrTransitionDays >= 0 && glacierIrTransitionDays < expirationDays)) {
    throw new Error(
      `glacierIrTransitionDays (${glacierIrTransitionDays}) must come before expirationDays (${expirationDays})`,
    );
  }
  const root = prefix.replace(/\/+$/, "");
  return [
    {
      id: "backups",
      status: "Enabled",
      filter: [{ prefix: `${root}/backups/` }],
      ...(glacierIrTransitionDays !== undefined
        ? { transition: [{ days: glacierIrTransitionDays, storageClass: COLD_STORAGE_CLASS }] }
        : {}),
      expiration: [{ days: expirationDays }],
    },
    {
      id: "restores",
      status: "Enabled",
      filter: [{ prefix: `${root}/restores/` }],
      expiration: [{ days: expirationDays }],
    },
  ];
}
