/**
 * The platform's storage classes as data (no cdktf): the default EBS `gp3` StorageClass and the
 * EBS `VolumeSnapshotClass` Velero uses for CSI snapshots.
 *
 * - StorageClass parameters are those of the Amazon EBS CSI driver (`type`, `encrypted`, `kmsKeyId`,
 *   `csi.storage.k8s.io/fstype`; kubernetes-sigs/aws-ebs-csi-driver `docs/parameters.md`).
 * - The VolumeSnapshotClass (`snapshot.storage.k8s.io/v1`) needs the CSI snapshot CRDs and
 *   controller, which EKS ships as the `snapshot-controller` managed add-on.
 * - Velero picks the snapshot class of a driver by the label `velero.io/csi-volumesnapshot-class`.
 */

/** The CSI driver of Amazon EBS. */
export const EBS_CSI_DRIVER = "ebs.csi.aws.com";

/** The annotation that makes a StorageClass the cluster's default. */
export const DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** The label by which Velero selects the VolumeSnapshotClass of a CSI driver. */
export const VELERO_SNAPSHOT_CLASS_LABEL = "velero.io/csi-volumesnapshot-class";

/** What happens to a volume (or snapshot) when its claim (or VolumeSnapshot) is deleted. */
export type ReclaimPolicy = "Retain" | "Delete";

/** Parameters of an encrypted gp3 EBS volume, with the given KMS key ARN or the account's `aws/ebs` key. */
export function gp3Parameters(kmsKeyId?: string): Record<string, string> {
  return {
    type: "gp3",
    encrypted: "true",
    "csi.storage.k8s.io/fstype": "ext4",
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
  };
}

export interface VolumeSnapshotClassInput {
  readonly name: string;
  readonly deletionPolicy: ReclaimPolicy;
}

/** The EBS VolumeSnapshotClass, labelled for Velero. */
export function volumeSnapshotClassManifest(input: VolumeSnapshotClassInput): Record<string, unknown> {
  return {
    apiVersion: "snapshot.storage.k8s.io/v1",
    kind: "VolumeSnapshotClass",
    metadata: { name: input.name, labels: { [VELERO_SNAPSHOT_CLASS_LABEL]: "true" } },
    driver: EBS_CSI_DRIVER,
    deletionPolicy: input.deletionPolicy,
  };
}
