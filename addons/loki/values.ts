/**
 * Values of the grafana-community `loki` chart 18.11.0, built from plain inputs. Every key below is in
 * the pinned chart's values.yaml (see `LOKI_CHART.source`): `deploymentMode`, `loki.{auth_enabled,
 * commonConfig, schemaConfig, storage, limits_config, compactor}` (the last four are passed through
 * into Loki's configuration, keys from https://grafana.com/docs/loki/latest/configure/),
 * `serviceAccount`, `singleBinary`, `write`, `read`, `backend`, `gateway`, `chunksCache`,
 * `resultsCache`, `lokiCanary`, `test`.
 *
 * Modes (the env's `logging.loki.mode`):
 *   - `monolithic` (chart `Monolithic`): one single-binary pod with a gp3 volume, replication factor 1;
 *     for nonprod.
 *   - `simple-scalable` (chart `SimpleScalable`): `write`, `read` and `backend` targets, `replicas`
 *     each, spread across AZs (zone topology spread, DoNotSchedule), replication factor 3 when there
 *     are three writers. The chart marks SimpleScalable deprecated (removed in Loki 4): moving to
 *     `Distributed` is a chart-level migration (`SimpleScalable<->Distributed` mode) for later.
 * Both keep chunks and the TSDB index in one S3 bucket (IRSA credentials) and delete logs after
 * `retentionDays` (the compactor's retention, `limits_config.retention_period`).
 */
import { CRITICAL_ADDONS_TOLERATION, zoneSpread } from "../context";
import { ROLE_ARN_ANNOTATION } from "../../modules/irsa/irsa-role";
import type { Values } from "../../modules/helm/values";
import type { ContainerResources } from "../../modules/kubernetes/resources";

/** The env's Loki modes and the chart's `deploymentMode` for each. */
export const LOKI_DEPLOYMENT_MODES = { monolithic: "Monolithic", "simple-scalable": "SimpleScalable" } as const;
export type LokiMode = keyof typeof LOKI_DEPLOYMENT_MODES;

/** Release name (and the chart's fullname): the gateway Service is `loki-gateway`. */
export const LOKI_RELEASE = "loki";
export const LOKI_SERVICE_ACCOUNT = "loki";
/** The first day of the TSDB v13 schema (a date before the first install; never change it once used). */
export const LOKI_SCHEMA_FROM = "2026-01-01";

/** Port of the gateway Service (`gateway.service.port`, 80 by default). */
export const LOKI_GATEWAY_PORT = 80;

/** In-cluster host name of the gateway Service (`<fullname>-gateway`). */
export function lokiGatewayHost(namespace: string): string {
  return `${LOKI_RELEASE}-gateway.${namespace}.svc.cluster.local`;
}

/** In-cluster URL of the gateway (push at `/loki/api/v1/push`, queries for Grafana). */
export function lokiGatewayUrl(namespace: string): string {
  return `http://${lokiGatewayHost(namespace)}:${LOKI_GATEWAY_PORT}`;
}

/** Pod labels of one Loki component (`app.kubernetes.io/component`), for topology spread. */
function componentLabels(component: string) {
  return { "app.kubernetes.io/name": "loki", "app.kubernetes.io/instance": LOKI_RELEASE, "app.kubernetes.io/component": component };
}

export interface LokiValuesInput {
  readonly mode: LokiMode;
  /** Replicas of each simple-scalable target (ignored in monolithic mode: one pod). */
  readonly replicas: number;
  readonly retentionDays: number;
  readonly bucketName: string;
  readonly region: string;
  readonly roleArn: string;
  readonly storageClassName: string;
  /** Size of each volume (single binary, write, backend) in GiB. */
  readonly volumeGiB: number;
}

/**
 * Requests and memory limits of each Loki component (the chart sets none), under each component's
 * `resources` key of values.yaml.
 */
export const LOKI_RESOURCES = {
  singleBinary: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "2Gi" } },
  write: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "2Gi" } },
  read: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "2Gi" } },
  backend: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
  gateway: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
} as const satisfies Record<string, ContainerResources>;

/** Loki's retention as its duration syntax (hours). */
export function lokiRetention(days: number): string {
  return `${days * 24}h`;
}

/** The typed values of the release. */
export function lokiValues(input: LokiValuesInput): Values {
  const scalable = input.mode === "simple-scalable";
  const tolerations = [CRITICAL_ADDONS_TOLERATION];
  const persistence = { storageClass: input.storageClassName, size: `${input.volumeGiB}Gi` };
  const target = (component: "write" | "read" | "backend") => ({
    replicas: scalable ? input.replicas : 0,
    ...(scalable ? { topologySpreadConstraints: zoneSpread(componentLabels(component), "DoNotSchedule") } : {}),
    tolerations,
    resources: LOKI_RESOURCES[component],
    // Write (WAL) and backend (compactor, index cache) keep state on a volume; backend's is off by default.
    ...(component === "read" ? {} : { persistence: { ...persistence, ...(component === "backend" ? { enabled: true } : {}) } }),
  });
  return {
    deploymentMode: LOKI_DEPLOYMENT_MODES[input.mode],
    serviceAccount: { create: true, name: LOKI_SERVICE_ACCOUNT, annotations: { [ROLE_ARN_ANNOTATION]: input.roleArn } },
    loki: {
      // One tenant (`fake`): the gateway is reachable only inside the cluster.
      auth_enabled: false,
      commonConfig: { replication_factor: scalable ? Math.min(3, input.replicas) : 1 },
      schemaConfig: {
        configs: [{ from: LOKI_SCHEMA_FROM, store: "tsdb", object_store: "s3", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
      },
      storage: {
        type: "s3",
        bucketNames: { chunks: input.bucketName, ruler: input.bucketName },
        s3: { region: input.region },
      },
      limits_config: { retention_period: lokiRetention(input.retentionDays) },
      compactor: { retention_enabled: true, delete_request_store: "s3" },
    },
    singleBinary: { replicas: scalable ? 0 : 1, tolerations, resources: LOKI_RESOURCES.singleBinary, persistence: { ...persistence } },
    write: target("write"),
    read: target("read"),
    backend: target("backend"),
    gateway: {
      replicas: scalable ? 2 : 1,
      ...(scalable ? { topologySpreadConstraints: zoneSpread(componentLabels("gateway")) } : {}),
      tolerations,
      resources: LOKI_RESOURCES.gateway,
    },
    // The memcached caches size themselves for large installs (8 GiB for chunks by default).
    chunksCache: scalable ? { enabled: true, allocatedMemory: 2048 } : { enabled: false },
    resultsCache: { enabled: scalable },
    // The canary and the chart test are for trying the chart out, not for running it.
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}
