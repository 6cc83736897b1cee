/**
 * Values of the `velero` chart (see `chart.ts` for the pin), built from plain inputs. Every key set
 * here exists in the chart's values.yaml at that commit; where a key is read by a template in an
 * unusual way, the comment says which template.
 */
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import { VELERO_AWS_PLUGIN_IMAGE, VELERO_IMAGE } from "./chart";

/** Namespace Velero is installed in. */
export const VELERO_NAMESPACE = "velero";

/** Helm release name; the chart names its objects after it (`velero`, `velero-<schedule>`). */
export const VELERO_RELEASE_NAME = "velero";

/**
 * The Velero server's service account. The chart's default is `<fullname>-server` (`velero-server`,
 * `velero.serverServiceAccount` in `_helpers.tpl`); it is set explicitly (`serviceAccount.server.name`)
 * so that the IRSA trust and the chart cannot drift apart.
 */
export const VELERO_SERVICE_ACCOUNT = "velero-server";

/** Name of the BackupStorageLocation and VolumeSnapshotLocation the chart creates. */
export const VELERO_LOCATION_NAME = "default";

/** Namespaces no schedule backs up unless it names them in `includedNamespaces`. */
export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;

/** A backup schedule, in Velero's own terms. */
export interface VeleroScheduleInput {
  /** 5-field cron expression (UTC unless prefixed with `CRON_TZ=`). */
  readonly schedule: string;
  /** How long Velero keeps each backup, e.g. `720h`. */
  readonly ttl: string;
  /** Namespaces to back up; `*` means all. */
  readonly includedNamespaces: readonly string[];
  /**
   * Snapshot persistent volumes (CSI or EBS snapshots).
   * @default true
   */
  readonly snapshotVolumes?: boolean;
  /**
   * Namespaces to leave out, on top of the defaults.
   * @default - the system namespaces and Velero's own namespace, except those named in `includedNamespaces`
   */
  readonly excludedNamespaces?: readonly string[];
}

/** One entry of the chart's `schedules` map (templates/schedule.yaml). */
export type VeleroScheduleValues = {
  readonly schedule: string;
  readonly template: {
    readonly ttl: string;
    readonly storageLocation: string;
    readonly includedNamespaces: readonly string[];
    readonly excludedNamespaces: readonly string[];
    readonly snapshotVolumes: boolean;
  };
};

/**
 * Namespaces a schedule excludes: the system namespaces and Velero's own, unless the schedule names
 * them in `includedNamespaces` explicitly, plus any extra ones. Sorted, without duplicates.
 */
export function excludedNamespacesOf(schedule: VeleroScheduleInput, veleroNamespace: string): string[] {
  const included = new Set(schedule.includedNamespaces);
  const defaults = [...SYSTEM_NAMESPACES, veleroNamespace].filter((ns) => !included.has(ns));
  return [...new Set([...defaults, ...(schedule.excludedNamespaces ?? [])])].sort();
}

/** The chart's `schedules` map: one Velero Schedule per entry, named `velero-<key>` by the chart. */
export function veleroSchedules(
  schedules: Readonly<Record<string, VeleroScheduleInput>>,
  veleroNamespace: string,
): Record<string, VeleroScheduleValues> {
  const result: Record<string, VeleroScheduleValues> = {};
  for (const name of Object.keys(schedules).sort()) {
    const s = schedules[name]!;
    result[name] = {
      schedule: s.schedule,
      template: {
        ttl: s.ttl,
        storageLocation: VELERO_LOCATION_NAME,
        includedNamespaces: [...s.includedNamespaces],
        excludedNamespaces: excludedNamespacesOf(s, veleroNamespace),
        snapshotVolumes: s.snapshotVolumes ?? true,
      },
    };
  }
  return result;
}

const GO_DURATION_UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, "µs": 1e-6, ns: 1e-9 };

/**
 * Seconds in a Go duration such as `720h` or `1h30m` (the format of a Schedule's `ttl`, a
 * `metav1.Duration`); `undefined` for anything Go would reject, such as `30d`.
 */
export function goDurationSeconds(duration: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(duration)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    seconds += Number(amount) * GO_DURATION_UNIT_SECONDS[unit!]!;
  }
  return seconds;
}

/**
 * What is wrong with the schedules for a bucket whose backups expire after `expirationDays`: TTLs
 * Velero cannot parse, and TTLs longer than the expiry (S3 would delete backups Velero still lists).
 */
export function scheduleIssues(schedules: Readonly<Record<string, VeleroScheduleInput>>, expirationDays: number): string[] {
  const issues: string[] = [];
  for (const name of Object.keys(schedules).sort()) {
    const { ttl, includedNamespaces } = schedules[name]!;
    const seconds = goDurationSeconds(ttl);
    if (seconds === undefined) {
      issues.push(`schedule ${name}: ttl "${ttl}" is not a Go duration (use h, m or s, e.g. "720h")`);
    } else if (seconds > expirationDays * 86400) {
      issues.push(`schedule ${name}: ttl ${ttl} outlives the bucket's ${expirationDays}-day expiry`);
    }
    if (includedNamespaces.length === 0) issues.push(`schedule ${name}: includedNamespaces is empty`);
  }
  return issues;
}

/** Whether a schedule's backups contain `namespace` (named or `*`, and not excluded). */
export function scheduleCovers(schedule: VeleroScheduleInput, namespace: string, veleroNamespace: string): boolean {
  const included = schedule.includedNamespaces.includes(namespace) || schedule.includedNamespaces.includes("*");
  return included && !excludedNamespacesOf(schedule, veleroNamespace).includes(namespace);
}

/** Names of the schedules whose backups do not contain `namespace` (sorted). */
export function schedulesMissing(
  schedules: Readonly<Record<string, VeleroScheduleInput>>,
  namespace: string,
  veleroNamespace: string = VELERO_NAMESPACE,
): string[] {
  return Object.keys(schedules)
    .filter((name) => !scheduleCovers(schedules[name]!, namespace, veleroNamespace))
    .sort();
}

/**
 * Alerts on the schedules (the chart's `metrics.prometheusRule.spec`; metric names from
 * velero pkg/metrics/metrics.go at v1.18.1), created with the Prometheus Operator CRDs in place.
 */
export const VELERO_ALERT_RULES = [
  {
    alert: "VeleroBackupFailed",
    annotations: { message: "Velero backup of schedule {{ $labels.schedule }} failed." },
    expr: 'velero_backup_last_status{schedule!=""} != 1',
    for: "15m",
    labels: { severity: "warning" },
  },
  {
    alert: "VeleroNoRecentBackup",
    annotations: { message: "Velero schedule {{ $labels.schedule }} has had no successful backup for 25 hours." },
    expr: '(time() - velero_backup_last_successful_timestamp{schedule!=""}) > 25 * 3600',
    for: "1h",
    labels: { severity: "critical" },
  },
] as const;

export interface VeleroValuesInput {
  /** Bucket of the BackupStorageLocation. */
  readonly bucketName: string;
  /** Prefix of this cluster's objects in the bucket (no trailing `/`). */
  readonly prefix: string;
  /** Region of the bucket and of the EBS snapshots. */
  readonly region: string;
  /** KMS key (ARN) the AWS plugin asks S3 to encrypt backups with (`config.kmsKeyId`). */
  readonly kmsKeyArn: string;
  /** Annotations of the server's service account (the IRSA role ARN). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Backup schedules by name. */
  readonly schedules: Readonly<Record<string, VeleroScheduleInput>>;
  /** Namespace of the release (excluded from backups by default). */
  readonly namespace: string;
  /** Turn on Velero's built-in CSI snapshot support (`--features=EnableCSI`). */
  readonly csiSnapshots: boolean;
}

/**
 * The server idles between backups; memory grows with the number of objects in a backup (an OOM
 * kill mid-backup leaves it PartiallyFailed), hence the generous limit.
 */
const SERVER_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } };
/** The plugin init container only copies one binary. */
const PLUGIN_RESOURCES: ContainerResources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };
/** `velero install --crds-only --apply` (the chart's suggestion in values.yaml). */
const UPGRADE_JOB_RESOURCES: ContainerResources = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } };

/** Restricted container settings that every Velero container here runs with. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
} as const;

/** The chart values of Velero with the AWS plugin, IRSA credentials and the given schedules. */
export function veleroValues(input: VeleroValuesInput) {
  return {
    image: { repository: VELERO_IMAGE.repository, tag: VELERO_IMAGE.tag, pullPolicy: "IfNotPresent" },
    // The plugin image copies its binary into the chart's `plugins` emptyDir (mounted at /plugins in the server).
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: `${VELERO_AWS_PLUGIN_IMAGE.repository}:${VELERO_AWS_PLUGIN_IMAGE.tag}`,
        imagePullPolicy: "IfNotPresent",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
        // The image runs as 65532:65532 (numeric), so runAsNonRoot can be verified by the kubelet.
        securityContext: { ...RESTRICTED_CONTAINER, runAsNonRoot: true },
        resources: PLUGIN_RESOURCES,
      },
    ],
    resources: SERVER_RESOURCES,
    // Also applies to the upgrade-CRDs job (templates/upgrade-crds/upgrade-crds.yaml); the chart mounts
    // an emptyDir at /tmp in the server when readOnlyRootFilesystem is set.
    containerSecurityContext: RESTRICTED_CONTAINER,
    podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
    upgradeJobResources: UPGRADE_JOB_RESOURCES,
    // Tolerations and node selector also apply to the upgrade-CRDs job. The chart runs one replica
    // (Recreate strategy), so there is nothing to spread across zones.
    tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
    // 12.1.0 upgrades CRDs with the Velero image itself (`velero install --crds-only --apply`); the
    // `kubectl` image is only used by the clean-up and namespace-label jobs, both off here.
    upgradeCRDs: true,
    cleanUpCRDs: false,
    metrics: {
      enabled: true,
      // Rendered unconditionally (`autodetect: false`): the release declares `monitoring-crds` and
      // installs after kube-prometheus-stack; without the CRDs the install fails instead of silently
      // leaving out the ServiceMonitor and the alerts (templates/servicemonitor.yaml, prometheusrule.yaml).
      serviceMonitor: { enabled: true, autodetect: false },
      prometheusRule: { enabled: true, autodetect: false, spec: VELERO_ALERT_RULES },
    },
    configuration: {
      backupStorageLocation: [
        {
          name: VELERO_LOCATION_NAME,
          provider: "aws",
          bucket: input.bucketName,
          prefix: input.prefix,
          default: true,
          accessMode: "ReadWrite",
          config: { region: input.region, kmsKeyId: input.kmsKeyArn },
        },
      ],
      volumeSnapshotLocation: [{ name: VELERO_LOCATION_NAME, provider: "aws", config: { region: input.region } }],
      // Velero 1.18 still gates its built-in CSI support behind this flag (pkg/util/csi/util.go,
      // docs/v1.18/csi.md); only the separate CSI plugin image went away in 1.14.
      ...(input.csiSnapshots ? { features: "EnableCSI" } : {}),
      logFormat: "json",
    },
    serviceAccount: {
      server: { create: true, name: VELERO_SERVICE_ACCOUNT, annotations: { ...input.serviceAccountAnnotations } },
    },
    // IRSA: no credentials secret; the AWS SDK picks up the web identity token.
    credentials: { useSecret: false },
    backupsEnabled: true,
    snapshotsEnabled: true,
    // File-system backups are not used: volumes are snapshotted (EBS/CSI), so no node agent.
    deployNodeAgent: false,
    schedules: veleroSchedules(input.schedules, input.namespace),
  };
}

/** The typed values `veleroValues` returns. */
export type VeleroValues = ReturnType<typeof veleroValues>;
