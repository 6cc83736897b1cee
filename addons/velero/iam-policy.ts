/**
 * IAM policy of Velero with the AWS plugin (S3 object store + EBS volume snapshotter), kept as data.
 *
 * Source (read from the public repository, not retyped from memory):
 *   repository: vmware-tanzu/velero-plugin-for-aws (now velero-io/velero-plugin-for-aws)
 *   ref:        tag v1.13.2 (commit 18469e7330ee47fbcefbf6ce4c0f68dfc273c5d5; plugin v1.13.2, which the
 *               README's compatibility table pairs with Velero v1.17.x)
 *   path:       README.md, section "Set permissions for Velero" (velero-policy.json)
 *   re-checked: tag v1.14.2 (commit 5463822fd77bc1c2a1151ee76c830ad979ff2781), the plugin the platform
 *               runs with Velero 1.18 (README: "v1.14.x | v1.18.x"). The published policy is unchanged
 *               between the two tags, and `volume_snapshotter.go` still calls only DescribeSnapshots,
 *               CreateVolume (with TagSpecifications), DescribeVolumes, CreateSnapshot (with
 *               TagSpecifications) and DeleteSnapshot.
 *
 * Published policy: `ec2:DescribeVolumes`, `ec2:DescribeSnapshots`, `ec2:CreateTags`,
 * `ec2:CreateVolume`, `ec2:CreateSnapshot`, `ec2:DeleteSnapshot` on `*`; `s3:GetObject`,
 * `s3:DeleteObject`, `s3:PutObject`, `s3:PutObjectTagging`, `s3:AbortMultipartUpload`,
 * `s3:ListMultipartUploadParts` on `arn:aws:s3:::${BUCKET}/*`; `s3:ListBucket` on the bucket.
 *
 * Scoping applied here (same actions):
 *   - `ec2:Describe*` calls stay on `*` (no resource-level permissions);
 *   - `ec2:CreateSnapshot`, `ec2:CreateVolume`, `ec2:DeleteSnapshot` are limited to snapshots
 *     (`arn:<p>:ec2:<region>::snapshot/*`, no account in the ARN) and volumes
 *     (`arn:<p>:ec2:<region>:<account>:volume/*`) of this region and account;
 *   - `ec2:CreateTags` is only allowed as part of those create calls (`ec2:CreateAction`): the plugin
 *     tags only through `TagSpecifications` on `CreateSnapshot`/`CreateVolume` and never calls
 *     `CreateTags` itself (`velero-plugin-for-aws/volume_snapshotter.go` at v1.13.2 and v1.14.2);
 *   - `s3:PutObjectTagging` is only granted when `objectTagging` is set: the README says it "is only
 *     needed if you make use of the `config.tagging` field in the `BackupStorageLocation` spec".
 *
 * With Velero's CSI support on (`EnableCSI`), CSI-provisioned volumes are snapshotted by the EBS CSI
 * driver under its own role; these EC2 grants serve volumes that are not CSI-provisioned.
 *
 * SSE-KMS on the bucket (`config.kmsKeyId` of the BackupStorageLocation): the plugin's README does not
 * list KMS permissions for it. The Amazon S3 User Guide ("Using server-side encryption with AWS KMS
 * keys (SSE-KMS)", Permissions; and "Multipart upload API and permissions") says uploading and
 * downloading SSE-KMS objects, multipart uploads included, needs `kms:GenerateDataKey` and
 * `kms:Decrypt` on the key; S3 never calls `kms:Encrypt` or `kms:ReEncrypt*` for the caller, so only
 * those two are granted, on the one key.
 *
 * Not covered: restoring EBS volumes with a customer managed key (the VolumeSnapshotLocation's
 * `ebsKmsKeyId`, new in plugin v1.14, or snapshots of CMK-encrypted volumes) needs KMS grant
 * permissions on that key; the README at v1.14.2 documents them under "KMS Encryption for Volume
 * Restoration" with wildcard actions (`kms:ReEncrypt*`, `kms:GenerateDataKey*`). Add them as explicit
 * actions, on that key only, if needed.
 */
import type { AwsScope, PolicyStatement } from "../../modules/irsa/policy-document";

/** Where {@link veleroPolicy} comes from, and the plugin release it matches. */
export const VELERO_POLICY_SOURCE = {
  repository: "vmware-tanzu/velero-plugin-for-aws",
  ref: "v1.13.2",
  commit: "18469e7330ee47fbcefbf6ce4c0f68dfc273c5d5",
  path: "README.md",
  section: "Set permissions for Velero",
  appVersion: "v1.13.2",
  compatibleVeleroVersion: "v1.17.x",
  /** The plugin release the policy was compared against again, and the one the platform runs. */
  reverified: {
    repository: "velero-io/velero-plugin-for-aws",
    ref: "v1.14.2",
    commit: "5463822fd77bc1c2a1151ee76c830ad979ff2781",
    compatibleVeleroVersion: "v1.18.x",
  },
} as const;

export interface VeleroPolicyArgs {
  readonly scope: AwsScope;
  /** ARN of the backup bucket (`arn:<partition>:s3:::<name>`, no trailing `/`). */
  readonly bucketArn: string;
  /** ARN of the KMS key the bucket encrypts objects with (SSE-KMS). */
  readonly kmsKeyArn: string;
  /**
   * Whether the BackupStorageLocation sets `config.tagging` (needs `s3:PutObjectTagging`).
   * @default false
   */
  readonly objectTagging?: boolean;
}

/** Velero's statements: EBS snapshots of this region and account, objects of one bucket, one key. */
export function veleroPolicy(args: VeleroPolicyArgs): PolicyStatement[] {
  const { scope, bucketArn, kmsKeyArn, objectTagging = false } = args;
  const { partition, region, accountId } = scope;
  const snapshots = `arn:${partition}:ec2:${region}::snapshot/*`;
  const volumes = `arn:${partition}:ec2:${region}:${accountId}:volume/*`;
  return [
    {
      Sid: "DescribeVolumesAndSnapshots",
      Effect: "Allow",
      Action: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"],
      Resource: ["*"],
    },
    {
      Sid: "SnapshotVolumes",
      Effect: "Allow",
      Action: ["ec2:CreateSnapshot"],
      Resource: [volumes, snapshots],
    },
    {
      Sid: "RestoreVolumesFromSnapshots",
      Effect: "Allow",
      Action: ["ec2:CreateVolume"],
      Resource: [volumes, snapshots],
    },
    {
      Sid: "DeleteSnapshots",
      Effect: "Allow",
      Action: ["ec2:DeleteSnapshot"],
      Resource: [snapshots],
    },
    {
      Sid: "TagOnCreate",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: [volumes, snapshots],
      Condition: {
        StringEquals: {
          "ec2:CreateAction": ["CreateSnapshot", "CreateVolume"],
        },
      },
    },
    {
      Sid: "BackupObjects",
      Effect: "Allow",
      Action: [
        "s3:GetObject",
        "s3:DeleteObject",
        "s3:PutObject",
        ...(objectTagging ? ["s3:PutObjectTagging"] : []),
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
      ],
      Resource: [`${bucketArn}/*`],
    },
    {
      Sid: "ListBackupBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [bucketArn],
    },
    {
      Sid: "UseBucketKey",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [kmsKeyArn],
    },
  ];
}
