/**
 * Values of the Jaeger v2 chart (see `JAEGER_CHART` for the keys read from the chart), built from
 * plain inputs. Pure: no cdktf, testable on its own.
 *
 * Jaeger v2 is an OpenTelemetry Collector distribution: the chart runs one "all-in-one" Deployment
 * whose whole config (receivers, pipeline, `jaeger_storage` and `jaeger_query` extensions) is
 * passed in `userconfig`.
 */
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { CRITICAL_ADDONS_TOLERATION, zoneSpread } from "../context";

/** Name of the trace storage backend inside `jaeger_storage` (referenced by query and exporter). */
export const JAEGER_TRACE_STORE = "primary";
/** OTLP ports of the Jaeger Service (the chart's `jaeger-service.yaml`). */
export const JAEGER_OTLP_GRPC_PORT = 4317;
export const JAEGER_OTLP_HTTP_PORT = 4318;
/** Query UI / HTTP API port of the Jaeger Service. */
export const JAEGER_QUERY_PORT = 16686;
/** Where the Badger volume is mounted in the Jaeger container. */
export const BADGER_MOUNT_PATH = "/badger";

/** Traces kept in the pod's memory: lost on restart, one replica only (dev). */
export type JaegerMemoryStorage = {
  readonly type: "memory";
  /** Traces kept before the oldest are dropped. */
  readonly maxTraces: number;
};

/** Traces in Badger on a ReadWriteOnce volume: survives restarts, one replica only (dev). */
export type JaegerBadgerStorage = {
  readonly type: "badger";
  /** Name of the PersistentVolumeClaim the chart creates (via `extraObjects`) and mounts. */
  readonly claimName: string;
  /** StorageClass of the claim. */
  readonly storageClassName: string;
  /** Size of the claim, e.g. `10Gi`. */
  readonly volumeSize: string;
  /** How long spans are kept, as a Go duration, e.g. `72h`. */
  readonly retention: string;
};

/** Traces in an Amazon OpenSearch Service domain, requests signed with SigV4 (IRSA credentials). */
export type JaegerOpenSearchStorage = {
  readonly type: "opensearch";
  /** Domain endpoint host name, without scheme. */
  readonly endpoint: string;
  /** Region of the domain (the SigV4 signing region). */
  readonly region: string;
  /** Primary shards of each daily Jaeger index. */
  readonly indexShards: number;
  /** Replica shards of each daily Jaeger index. */
  readonly indexReplicas: number;
};

export type JaegerStorage = JaegerMemoryStorage | JaegerBadgerStorage | JaegerOpenSearchStorage;

export interface JaegerValuesInput {
  /** Helm release name (part of the pods' selector labels). */
  readonly releaseName: string;
  /** Name of the Deployment, Service and ServiceAccount (`fullnameOverride`). */
  readonly fullname: string;
  readonly replicas: number;
  readonly storage: JaegerStorage;
  /** Jaeger image tag (the chart defaults to its appVersion). */
  readonly imageTag: string;
  readonly resources: ContainerResources;
  /** Annotations of the ServiceAccount (the IRSA role for OpenSearch). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
}

/** The selector labels of the chart's Deployment pods (`jaeger.selectorLabels` + component). */
export function jaegerPodLabels(releaseName: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "jaeger",
    "app.kubernetes.io/instance": releaseName,
    "app.kubernetes.io/component": "all-in-one",
  };
}

function traceBackend(storage: JaegerStorage): Record<string, unknown> {
  switch (storage.type) {
    case "memory":
      return { memory: { max_traces: storage.maxTraces } };
    case "badger":
      return {
        badger: {
          ephemeral: false,
          directories: { keys: `${BADGER_MOUNT_PATH}/keys`, values: `${BADGER_MOUNT_PATH}/values` },
          ttl: { spans: storage.retention },
        },
      };
    case "opensearch": {
      const index = { shards: storage.indexShards, replicas: storage.indexReplicas };
      return {
        opensearch: {
          server_urls: [`https://${storage.endpoint}`],
          auth: { authenticator: "sigv4auth" },
          indices: { spans: index, services: index, dependencies: index, sampling: index },
        },
      };
    }
  }
}

/**
 * The Jaeger v2 (OpenTelemetry Collector) configuration: OTLP in, memory limiter and batch, the
 * storage exporter, and the query UI reading the same store. With OpenSearch, the `sigv4auth`
 * extension signs every storage request with the pod's IRSA credentials.
 */
export function jaegerConfig(storage: JaegerStorage): Record<string, unknown> {
  const signed = storage.type === "opensearch";
  return {
    extensions: {
      ...(signed ? { sigv4auth: { region: storage.region, service: "es" } } : {}),
      healthcheckv2: { use_v2: true, http: { endpoint: "0.0.0.0:13133" } },
      jaeger_storage: { backends: { [JAEGER_TRACE_STORE]: traceBackend(storage) } },
      jaeger_query: { storage: { traces: JAEGER_TRACE_STORE } },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${JAEGER_OTLP_GRPC_PORT}` },
          http: { endpoint: `0.0.0.0:${JAEGER_OTLP_HTTP_PORT}` },
        },
      },
    },
    processors: {
      memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 25 },
      batch: {},
    },
    exporters: { jaeger_storage_exporter: { trace_storage: JAEGER_TRACE_STORE } },
    service: {
      extensions: [...(signed ? ["sigv4auth"] : []), "jaeger_storage", "jaeger_query", "healthcheckv2"],
      pipelines: {
        traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["jaeger_storage_exporter"] },
      },
      telemetry: {
        resource: { "service.name": "jaeger" },
        metrics: { level: "detailed", readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: 8888 } } } }] },
      },
    },
  };
}

/**
 * Values of the Jaeger chart.
 *
 * @throws Error when memory or Badger storage is asked for more than one replica (each pod would
 *   keep its own traces; Badger's volume is ReadWriteOnce)
 */
export function jaegerValues(input: JaegerValuesInput) {
  const { storage, replicas } = input;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`jaeger: replicas must be a positive integer, got ${replicas}`);
  }
  if (storage.type !== "opensearch" && replicas > 1) {
    throw new Error(`jaeger: ${storage.type} storage keeps traces in one pod; it cannot run ${replicas} replicas`);
  }
  const labels = jaegerPodLabels(input.releaseName);
  const badger = storage.type === "badger" ? storage : undefined;
  const extraObjects: Record<string, unknown>[] = [];
  if (badger) {
    extraObjects.push({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: badger.claimName },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: badger.storageClassName,
        resources: { requests: { storage: badger.volumeSize } },
      },
    });
  }
  if (replicas > 1) {
    extraObjects.push({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: input.fullname },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
  }
  return {
    fullnameOverride: input.fullname,
    userconfig: jaegerConfig(storage),
    jaeger: {
      replicas,
      // One writer at a time on the Badger volume; rolling updates when the store is external.
      strategy:
        storage.type === "opensearch"
          ? { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
          : { type: "Recreate" },
      image: { tag: input.imageTag },
      resources: input.resources,
      serviceAccount: { annotations: { ...input.serviceAccountAnnotations } },
      tolerations: [CRITICAL_ADDONS_TOLERATION],
      ...(replicas > 1 ? { topologySpreadConstraints: zoneSpread(labels) } : {}),
      ...(badger
        ? {
            extraVolumes: [{ name: "badger-data", persistentVolumeClaim: { claimName: badger.claimName } }],
            extraVolumeMounts: [{ name: "badger-data", mountPath: BADGER_MOUNT_PATH }],
          }
        : {}),
    },
    extraObjects,
  };
}
