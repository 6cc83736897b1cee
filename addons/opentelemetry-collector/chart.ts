import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The OpenTelemetry Collector chart (appVersion 0.158.0).
 *
 * Keys read from the chart at this commit (values.yaml, values.schema.json, templates/):
 *   - `mode` and `image.repository` are required (NOTES.txt fails the release without them); the
 *     schema's `image` has `registry`, `repository`, `tag`, `digest`, `pullPolicy` only. UPGRADING.md
 *     recommends the Kubernetes distribution `otel/opentelemetry-collector-k8s` (its entrypoint is
 *     used as is: `command.name` stays empty).
 *   - `config` is merged into the chart's default config (OTLP, Jaeger, Zipkin and Prometheus
 *     receivers, a `debug` exporter, logs/metrics/traces pipelines); a key set to `null` removes a
 *     default. `config.service.extensions` must keep `health_check` (NOTES.txt check; the probes hit
 *     port 13133).
 *   - `replicaCount` (deployment mode), `resources`, `tolerations`, `topologySpreadConstraints`,
 *     `podDisruptionBudget.{enabled,maxUnavailable}`, `ports.<name>.enabled`, `fullnameOverride`.
 *   - `useGOMEMLIMIT` (default true) sets GOMEMLIMIT to 80% of `resources.limits.memory`.
 */
export const OPENTELEMETRY_COLLECTOR_CHART: ChartPin = {
  repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  chart: "opentelemetry-collector",
  version: "0.170.0",
  source:
    "https://github.com/open-telemetry/opentelemetry-helm-charts/blob/dd5665c06f376c00a5e2147aa84b70c3d105ecfb/charts/opentelemetry-collector/values.yaml",
};

/** The upstream Kubernetes distribution of the collector (otlp receiver and exporters, batch, memory_limiter, health_check). */
export const OPENTELEMETRY_COLLECTOR_IMAGE = "otel/opentelemetry-collector-k8s";
