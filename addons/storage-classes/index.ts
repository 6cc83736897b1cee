import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { AddonComposition } from "../../modules/helm/composition";
import { DEFAULT_STORAGE_CLASS_ANNOTATION, EBS_CSI_DRIVER, gp3Parameters, ReclaimPolicy, volumeSnapshotClassManifest } from "./manifests";

export interface StorageClassesProps {
  /**
   * What happens to a volume when its claim is deleted, and to a snapshot when its VolumeSnapshot
   * is deleted. `Retain` in production.
   * @default "Delete"
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * ARN of the KMS key that encrypts the volumes (the EBS CSI driver wants the full ARN); the
   * driver's role must be allowed to use it.
   * @default - the account's AWS managed key for EBS (`aws/ebs`)
   */
  readonly kmsKeyId?: string;
  /**
   * Resources the classes wait for.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The default StorageClass `gp3` (EBS CSI, encrypted gp3, bound when the pod is scheduled so the
 * volume lands in the pod's AZ, expandable) and the VolumeSnapshotClass `ebs-csi` labelled for
 * Velero.
 *
 * The VolumeSnapshotClass is a custom resource: `kubernetes_manifest` reads its CRD from the API
 * server when Terraform plans, so the cluster must already run the EKS `snapshot-controller` add-on
 * (which installs the CRDs) when this stack is planned.
 */
export class StorageClasses extends Construct {
  static readonly STORAGE_CLASS_NAME = "gp3";
  static readonly SNAPSHOT_CLASS_NAME = "ebs-csi";

  readonly gp3: StorageClassV1;
  readonly snapshotClass: Manifest;
  /** What claims and VolumeSnapshots must wait for. */
  readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: StorageClassesProps = {}) {
    super(scope, id);
    const reclaimPolicy = props.reclaimPolicy ?? "Delete";
    const dependsOn = props.dependsOn ? [...props.dependsOn] : undefined;

    this.gp3 = new StorageClassV1(this, "gp3", {
      metadata: {
        name: StorageClasses.STORAGE_CLASS_NAME,
        annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: "true" },
      },
      storageProvisioner: EBS_CSI_DRIVER,
      parameters: gp3Parameters(props.kmsKeyId),
      reclaimPolicy,
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      dependsOn,
    });
    this.snapshotClass = new Manifest(this, "snapshot-class", {
      manifest: volumeSnapshotClassManifest({ name: StorageClasses.SNAPSHOT_CLASS_NAME, deletionPolicy: reclaimPolicy }),
      dependsOn,
    });
    this.dependables = [this.gp3, this.snapshotClass];
    AddonComposition.of(this)?.register({ name: "storage-classes", needs: [], provides: ["storage-classes"], dependables: this.dependables });
  }
}
