import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The Jaeger v2 chart (4.x: one "all-in-one" Deployment built on the OpenTelemetry Collector; the v1
 * keys `collector`, `query`, `agent` and `provisionDataStore` are gone). Default appVersion 2.19.0.
 *
 * Keys read from the chart at this commit (values.yaml and templates/jaeger/*.yaml):
 *   - `userconfig`: the whole Jaeger (OTel Collector) config, rendered to the `user-config` ConfigMap
 *     and passed as `--config`. The chart's README also mentions `config:`, but no template reads it
 *     (a silent no-op); only `userconfig` is used.
 *   - `jaeger.replicas`, `jaeger.strategy` (default `Recreate`), `jaeger.image.tag`,
 *     `jaeger.resources`, `jaeger.tolerations`, `jaeger.podLabels`, `jaeger.extraVolumes`,
 *     `jaeger.extraVolumeMounts`, `jaeger.serviceAccount.annotations`, `fullnameOverride`,
 *     `extraObjects` (templated extra manifests).
 *   - `jaeger.topologySpreadConstraints`: the template reads this name; values.yaml spells the
 *     default `topologySpreadContraints` (typo, never read). The correctly spelled key is the one
 *     that takes effect.
 *   - The chart has no persistence block: a Badger volume is a PVC mounted via `extraVolumes`.
 */
export const JAEGER_CHART: ChartPin = {
  repository: "https://jaegertracing.github.io/helm-charts",
  chart: "jaeger",
  version: "4.11.1",
  source:
    "https://github.com/jaegertracing/helm-charts/blob/6c602b54a1800ff35ea055d16789a9522166e0a6/charts/jaeger/values.yaml",
};

/**
 * The Jaeger image the platform runs, ahead of the chart's appVersion (2.19.0).
 *
 * Jaeger 2.19.0 signs OpenSearch requests with the `sigv4auth` extension but computes the signature
 * over an empty payload for every request with a body (bulk writes, index templates, searches), so
 * Amazon OpenSearch Service answers 403 (jaegertracing/jaeger#8760, #8307). The fix,
 * jaegertracing/jaeger#8768 ("populate req.GetBody before SigV4 signing, not after"), shipped in
 * v2.20.0 (CHANGELOG.md of tag v2.20.0; `getBodyFixRoundTripper` wraps the authenticator in
 * internal/storage/elasticsearch/esclient/roundtripper.go). The chart's templates do not depend on the
 * Jaeger version (config is passed whole via `userconfig`), so only the tag moves.
 */
export const JAEGER_IMAGE_TAG = "2.20.0";
