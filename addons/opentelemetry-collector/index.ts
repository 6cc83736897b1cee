/**
 * The OpenTelemetry Collector as the cluster's trace gateway: a `deployment`-mode collector behind a
 * ClusterIP Service that application pods send OTLP to, with a memory limiter and batching, exporting
 * traces over OTLP gRPC to the trace store (Jaeger v2).
 *
 * Endpoint for applications (OpenTelemetry SDK environment variables), with the defaults
 * (release `otel-collector` in namespace `tracing`):
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.tracing.svc.cluster.local:4317   (gRPC)
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.tracing.svc.cluster.local:4318   (HTTP/protobuf,
 *     with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf; the SDK appends /v1/traces)
 * Plaintext inside the cluster; traces only (the gateway has no logs or metrics pipeline).
 *
 * The collector needs no AWS permissions (no IRSA role).
 */
import { Construct } from "constructs";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { serviceHost } from "../../modules/kubernetes/resources";
import { OPENTELEMETRY_COLLECTOR_CHART, OPENTELEMETRY_COLLECTOR_IMAGE } from "./chart";
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT, openTelemetryCollectorValues } from "./values";

export { OPENTELEMETRY_COLLECTOR_CHART, OPENTELEMETRY_COLLECTOR_IMAGE } from "./chart";
export * from "./values";

/** Resources of the collector container when none are given (the memory limit drives memory_limiter and GOMEMLIMIT). */
export const COLLECTOR_DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: "200m", memory: "256Mi" },
  limits: { memory: "512Mi" },
};

export interface OpenTelemetryCollectorProps extends ReleaseOptions {
  /** `host:port` of the OTLP gRPC endpoint traces are exported to, e.g. Jaeger's `jaeger.tracing.svc.cluster.local:4317`. */
  readonly tracesEndpoint: string;
  /**
   * Export without TLS (in-cluster Jaeger listens in plaintext).
   * @default true
   */
  readonly tracesEndpointInsecure?: boolean;
  /**
   * Collector pods (spread across zones, with a PodDisruptionBudget, when more than one).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Namespace of the release.
   * @default "tracing"
   */
  readonly namespace?: string;
  /**
   * Helm release name; also the name of the Deployment and Service.
   * @default "otel-collector"
   */
  readonly releaseName?: string;
  /**
   * Collector image repository (the tag is the chart's appVersion).
   * @default OPENTELEMETRY_COLLECTOR_IMAGE
   */
  readonly imageRepository?: string;
  /**
   * Container resources.
   * @default COLLECTOR_DEFAULT_RESOURCES
   */
  readonly resources?: ContainerResources;
}

/** The OpenTelemetry Collector trace gateway as a Helm release. */
export class OpenTelemetryCollector extends Construct {
  readonly helm: HelmAddon;
  readonly namespace: string;
  /** Name of the collector Service. */
  readonly serviceName: string;
  /** OTLP gRPC endpoint for applications (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
  readonly otlpGrpcEndpoint: string;
  /** OTLP HTTP endpoint for applications (with `OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`). */
  readonly otlpHttpEndpoint: string;

  constructor(scope: Construct, id: string, props: OpenTelemetryCollectorProps) {
    super(scope, id);
    this.namespace = props.namespace ?? "tracing";
    const releaseName = props.releaseName ?? "otel-collector";
    this.serviceName = releaseName;
    const host = serviceHost(this.serviceName, this.namespace);
    this.otlpGrpcEndpoint = `http://${host}:${OTLP_GRPC_PORT}`;
    this.otlpHttpEndpoint = `http://${host}:${OTLP_HTTP_PORT}`;

    this.helm = new HelmAddon(this, "release", {
      releaseName,
      namespace: this.namespace,
      chart: OPENTELEMETRY_COLLECTOR_CHART,
      values: openTelemetryCollectorValues({
        releaseName,
        fullname: releaseName,
        replicas: props.replicas ?? 1,
        imageRepository: props.imageRepository ?? OPENTELEMETRY_COLLECTOR_IMAGE,
        resources: props.resources ?? COLLECTOR_DEFAULT_RESOURCES,
        tracesEndpoint: props.tracesEndpoint,
        tracesEndpointInsecure: props.tracesEndpointInsecure ?? true,
      }),
      overrides: props.overrides,
      // templates/service.yaml (OTLP receivers; deployment mode).
      createsServices: true,
      // templates/servicemonitor.yaml (the collector's own metrics) needs the Prometheus Operator CRDs.
      needs: ["monitoring-crds"],
      dependsOn: props.dependsOn,
    });
  }
}
