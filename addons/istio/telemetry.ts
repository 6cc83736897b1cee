/**
 * The mesh's telemetry objects, rendered through the repository chart (modules/helm/custom-resources.ts).
 * Pure: no cdktf.
 *
 * - `Telemetry` (telemetry.istio.io/v1) named `mesh-default` in the root namespace: mesh-wide, it
 *   turns on tracing through the OpenTelemetry provider of meshConfig.extensionProviders with a
 *   sampling percentage (https://istio.io/latest/docs/tasks/observability/distributed-tracing/opentelemetry/).
 *   Access logs need no Telemetry: meshConfig.accessLogFile enables the built-in `envoy` provider.
 * - Prometheus Operator monitors, as Istio's own example for the Prometheus Operator
 *   (samples/addons/extras/prometheus-operator.yaml at the pinned commit): a ServiceMonitor of every
 *   istiod revision's Service (`istio=pilot`, port `http-monitoring`, 15014) and a PodMonitor of
 *   the sidecars' merged metrics (`istio-proxy` containers at the `prometheus.io/port` annotation's
 *   port, /stats/prometheus; `enablePrometheusMerge`).
 */
import type { KubernetesObject } from "../../modules/helm/custom-resources";
import { ISTIO_NAMESPACE } from "./contract";
import { OTEL_TRACING_PROVIDER } from "./values";

/** Trace sampling percentage in prod (a busy mesh's traces are plenty at 1 %). */
export const PROD_TRACE_SAMPLING_PERCENT = 1;
/** Trace sampling percentage elsewhere (every request traced while teams debug). */
export const NONPROD_TRACE_SAMPLING_PERCENT = 100;

/** The sampling percentage of a stage. */
export function traceSamplingPercent(stage: "prod" | "nonprod"): number {
  return stage === "prod" ? PROD_TRACE_SAMPLING_PERCENT : NONPROD_TRACE_SAMPLING_PERCENT;
}

/** The mesh-wide Telemetry: spans of every sidecar to the OpenTelemetry collector. */
export function meshTelemetry(samplingPercent: number): KubernetesObject {
  if (!(samplingPercent >= 0 && samplingPercent <= 100)) throw new Error(`trace sampling must be a percentage (0-100), got ${samplingPercent}`);
  return {
    apiVersion: "telemetry.istio.io/v1",
    kind: "Telemetry",
    metadata: { name: "mesh-default", namespace: ISTIO_NAMESPACE },
    spec: { tracing: [{ providers: [{ name: OTEL_TRACING_PROVIDER }], randomSamplingPercentage: samplingPercent }] },
  };
}

/** ServiceMonitor of every istiod revision (control plane metrics: pilot_*, webhook, xDS pushes). */
export function istiodServiceMonitor(): KubernetesObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "istiod", namespace: ISTIO_NAMESPACE },
    spec: {
      jobLabel: "istio",
      targetLabels: ["app"],
      selector: { matchExpressions: [{ key: "istio", operator: "In", values: ["pilot"] }] },
      namespaceSelector: { matchNames: [ISTIO_NAMESPACE] },
      endpoints: [{ port: "http-monitoring", interval: "15s" }],
    },
  };
}

/** PodMonitor of every injected sidecar in any namespace (Envoy and application metrics merged by the agent). */
export function sidecarPodMonitor(): KubernetesObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name: "istio-sidecars", namespace: ISTIO_NAMESPACE },
    spec: {
      selector: { matchExpressions: [{ key: "istio-prometheus-ignore", operator: "DoesNotExist" }] },
      namespaceSelector: { any: true },
      jobLabel: "envoy-stats",
      podMetricsEndpoints: [
        {
          path: "/stats/prometheus",
          interval: "15s",
          relabelings: [
            { action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_name"], regex: "istio-proxy" },
            { action: "keep", sourceLabels: ["__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape"] },
            {
              action: "replace",
              regex: "(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})",
              replacement: "[$2]:$1",
              sourceLabels: ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"],
              targetLabel: "__address__",
            },
            {
              action: "replace",
              regex: "(\\d+);((([0-9]+?)(\\.|$)){4})",
              replacement: "$2:$1",
              sourceLabels: ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"],
              targetLabel: "__address__",
            },
            { action: "labeldrop", regex: "__meta_kubernetes_pod_label_(.+)" },
            { action: "replace", sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
            { action: "replace", sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "pod" },
          ],
        },
      ],
    },
  };
}
