/**
 * Values of the OpenTelemetry Collector chart as a trace gateway (see
 * `OPENTELEMETRY_COLLECTOR_CHART` for the keys read from the chart). Pure: no cdktf.
 */
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { CRITICAL_ADDONS_TOLERATION, zoneSpread } from "../context";

/** OTLP ports the gateway receives on (container and Service ports of the chart). */
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
/** Name of the exporter that forwards traces (the collector's `otlp_grpc` exporter, formerly `otlp`). */
export const TRACES_EXPORTER = "otlp_grpc/jaeger";
/** Default receivers, exporter and pipelines of the chart that the trace gateway switches off. */
const CHART_DEFAULT_RECEIVERS = ["jaeger", "zipkin", "prometheus"] as const;
const CHART_DEFAULT_PORTS = ["jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"] as const;

export interface OpenTelemetryCollectorValuesInput {
  /** Helm release name (part of the pods' selector labels). */
  readonly releaseName: string;
  /** Name of the Deployment and Service (`fullnameOverride`). */
  readonly fullname: string;
  readonly replicas: number;
  readonly imageRepository: string;
  readonly resources: ContainerResources;
  /** `host:port` of the OTLP gRPC endpoint traces are exported to (the Jaeger collector). */
  readonly tracesEndpoint: string;
  /**
   * Whether the exporter connects in plaintext. In-cluster Jaeger listens without TLS.
   */
  readonly tracesEndpointInsecure: boolean;
}

/** The selector labels of the chart's Deployment pods (selector labels + `component`). */
export function collectorPodLabels(releaseName: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "opentelemetry-collector",
    "app.kubernetes.io/instance": releaseName,
    component: "standalone-collector",
  };
}

/**
 * The gateway's collector config, merged over the chart's default: OTLP gRPC and HTTP in, memory limiter then batch, OTLP gRPC out to Jaeger. The chart's other
 * receivers, the `debug` exporter and the logs and metrics pipelines are removed (`null`): this
 * gateway carries traces only.
 */
export function collectorConfig(input: Pick<OpenTelemetryCollectorValuesInput, "tracesEndpoint" | "tracesEndpointInsecure">) {
  return {
    receivers: {
      ...Object.fromEntries(CHART_DEFAULT_RECEIVERS.map((r) => [r, null])),
      // All pod interfaces. (The chart's default, `${env:MY_POD_IP}`, cannot be written here: in the
      // release's `values` Terraform would read `${...}` as an interpolation.)
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` },
          http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` },
        },
      },
    },
    processors: {
      // Checked first in the pipeline: refuses data before the pod is OOM-killed.
      memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 25 },
      batch: {},
    },
    exporters: {
      debug: null,
      [TRACES_EXPORTER]: {
        endpoint: input.tracesEndpoint,
        tls: { insecure: input.tracesEndpointInsecure },
      },
    },
    service: {
      pipelines: {
        logs: null,
        metrics: null,
        traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: [TRACES_EXPORTER] },
      },
    },
  };
}

/**
 * Values of the chart: a `deployment`-mode gateway with `replicas` pods spread across zones.
 *
 * @throws Error when replicas is not a positive integer
 */
export function openTelemetryCollectorValues(input: OpenTelemetryCollectorValuesInput) {
  const { replicas } = input;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`opentelemetry-collector: replicas must be a positive integer, got ${replicas}`);
  }
  const labels = collectorPodLabels(input.releaseName);
  return {
    mode: "deployment",
    fullnameOverride: input.fullname,
    image: { repository: input.imageRepository },
    replicaCount: replicas,
    resources: input.resources,
    tolerations: [CRITICAL_ADDONS_TOLERATION],
    ...(replicas > 1
      ? { topologySpreadConstraints: zoneSpread(labels), podDisruptionBudget: { enabled: true, maxUnavailable: 1 } }
      : {}),
    // The collector's own telemetry (`otelcol_*`, e.g. refused spans, alerted on by the platform
    // rules) is served on the chart's `metrics` port 8888 (the default config's Prometheus reader);
    // the chart's ServiceMonitor scrapes it once that port is enabled (values.yaml `ports.metrics`).
    ports: { ...Object.fromEntries(CHART_DEFAULT_PORTS.map((p) => [p, { enabled: false }])), metrics: { enabled: true } },
    serviceMonitor: { enabled: true },
    config: collectorConfig(input),
  };
}
