import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmAddon } from "../../modules/helm/helm-addon";
import type { Values } from "../../modules/helm/values";
import { IrsaRole } from "../../modules/irsa/irsa-role";
import { PlatformKey } from "../../modules/kms/platform-key";
import { SecureBucket } from "../../modules/s3/secure-bucket";
import type { AddonContext } from "../context";
import { VELERO_CHART } from "./chart";
import { veleroPolicy } from "./iam-policy";
import { backupLifecycleRules } from "./lifecycle";
import {
  VELERO_NAMESPACE,
  VELERO_RELEASE_NAME,
  VELERO_SERVICE_ACCOUNT,
  VeleroScheduleInput,
  scheduleIssues,
  veleroValues,
} from "./values";

export type { VeleroScheduleInput } from "./values";

/**
 * Velero on one cluster. The cluster facts are the `AddonContext` fields it needs, so a context can
 * be spread in: `new Velero(this, "velero", { ...ctx, expirationDays: 30 })`.
 */
export interface VeleroProps
  extends Pick<AddonContext, "clusterName" | "namePrefix" | "oidc" | "scope" | "protectStatefulResources"> {
  /** Days after which backup objects expire in S3; at least the longest schedule TTL. */
  readonly expirationDays: number;
  /**
   * Days after which backup objects move to S3 Glacier Instant Retrieval.
   * @default - backups stay in S3 Standard
   */
  readonly glacierIrTransitionDays?: number;
  /**
   * Backup schedules by name (the chart names each Schedule `velero-<name>`).
   * @default {} - no schedules; backups are taken on demand
   */
  readonly schedules?: Readonly<Record<string, VeleroScheduleInput>>;
  /**
   * Name of the backup bucket.
   * @default `<namePrefix>-velero-<accountId>`
   */
  readonly bucketName?: string;
  /**
   * Bucket that receives the backup bucket's S3 server access logs (same account and region, with
   * a policy letting S3 log delivery write: `AccessLogBucket`; the platform's is
   * `accessLogBucketName(accountId)`).
   * @default - no server access logging (the S3-ACCESS-LOGGING guardrail fails the bucket)
   */
  readonly accessLogBucketName?: string;
  /**
   * Snapshot CSI volumes through the Kubernetes snapshot API (`EnableCSI`); needs the external
   * snapshot controller and a VolumeSnapshotClass labelled `velero.io/csi-volumesnapshot-class: "true"`
   * for each CSI driver. Volumes that are not CSI-provisioned use EBS snapshots either way.
   * @default true
   */
  readonly csiSnapshots?: boolean;
  /**
   * Chart value overrides, merged last.
   * @default {}
   */
  readonly overrides?: Values;
  /**
   * Resources the release waits for (e.g. the VolumeSnapshotClass).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Velero with the AWS plugin: a hardened, KMS-encrypted, versioned (and, given a log bucket,
 * access-logged) bucket for backups, an IRSA role
 * limited to that bucket, that key and EBS snapshots of its region, and the chart with the schedules.
 */
export class Velero extends Construct {
  readonly key: PlatformKey;
  readonly bucket: SecureBucket;
  readonly role: IrsaRole;
  readonly helm: HelmAddon;
  /** Namespace of the release. */
  readonly namespace = VELERO_NAMESPACE;
  /** The BackupStorageLocation prefix of this cluster. */
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: VeleroProps) {
    super(scope, id);
    const protect = props.protectStatefulResources;
    this.prefix = props.clusterName;
    const schedules = props.schedules ?? {};
    this.node.addValidation({ validate: () => scheduleIssues(schedules, props.expirationDays) });

    this.key = new PlatformKey(this, "key", {
      alias: `${props.namePrefix}-velero`,
      description: `Encrypts the Velero backups of ${props.clusterName}`,
      scope: props.scope,
      preventDestroy: protect,
    });
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName ?? `${props.namePrefix}-velero-${props.scope.accountId}`,
      kmsKeyArn: this.key.arn,
      lifecycleRules: backupLifecycleRules({
        prefix: this.prefix,
        expirationDays: props.expirationDays,
        glacierIrTransitionDays: props.glacierIrTransitionDays,
      }),
      preventDestroy: protect,
      accessLogging: props.accessLogBucketName !== undefined ? { targetBucket: props.accessLogBucketName } : undefined,
    });
    this.role = new IrsaRole(this, "irsa", {
      oidc: props.oidc,
      namespace: VELERO_NAMESPACE,
      serviceAccount: VELERO_SERVICE_ACCOUNT,
      roleName: `${props.namePrefix}-velero`,
      policyStatements: veleroPolicy({ scope: props.scope, bucketArn: this.bucket.arn, kmsKeyArn: this.key.arn }),
      description: `Velero of ${props.clusterName} (${VELERO_NAMESPACE}/${VELERO_SERVICE_ACCOUNT})`,
    });
    this.helm = new HelmAddon(this, "helm", {
      releaseName: VELERO_RELEASE_NAME,
      namespace: VELERO_NAMESPACE,
      chart: VELERO_CHART,
      values: veleroValues({
        bucketName: this.bucket.name,
        prefix: this.prefix,
        region: props.scope.region,
        kmsKeyArn: this.key.arn,
        serviceAccountAnnotations: this.role.serviceAccountAnnotations,
        schedules,
        namespace: VELERO_NAMESPACE,
        csiSnapshots: props.csiSnapshots ?? true,
      }),
      overrides: props.overrides,
      // templates/service.yaml (metrics); the VolumeSnapshotClass its CSI support selects; the
      // ServiceMonitor and PrometheusRule (rendered unconditionally: `autodetect: false`) need the
      // Prometheus Operator CRDs.
      createsServices: true,
      needs: ["storage-classes", "monitoring-crds"],
      irsaRoles: [this.role],
      dependsOn: props.dependsOn ?? [],
    });
  }
}
