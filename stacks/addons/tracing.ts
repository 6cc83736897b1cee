import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import { Jaeger, JAEGER_OPENSEARCH_ACTIONS } from "../../addons/jaeger";
import { OpenTelemetryCollector } from "../../addons/opentelemetry-collector";
import { StorageClasses } from "../../addons/storage-classes";
import type { PlatformEnvironment } from "../../environments/validate";
import type { OpenSearchTarget } from "./logging";

/** What the tracing add-ons give the rest of the stack. */
export interface TracingAddons {
  readonly jaeger: Jaeger;
  readonly collector: OpenTelemetryCollector;
  /**
   * ARN of the IAM role that writes and reads spans in the OpenSearch domain (a reference to the
   * role, so a policy using it is applied after the role exists). `addTracing` already adds it to
   * the domain's access policy through `OpenSearchTarget.grant`. Undefined when traces are not kept
   * in OpenSearch.
   */
  readonly openSearchRoleArn?: string;
}

/**
 * Index layout of Jaeger in an OpenSearch domain of `dataNodes` data nodes: one primary shard per
 * data node (at most 5, Jaeger's default) and one replica when there is a second node to hold it.
 */
export function jaegerIndexLayout(dataNodes: number): { indexShards: number; indexReplicas: number } {
  return { indexShards: Math.max(1, Math.min(dataNodes, 5)), indexReplicas: dataNodes > 1 ? 1 : 0 };
}

/**
 * OTLP ingestion and Jaeger v2 of an environment, from `env.addons.tracing`:
 *   - the OpenTelemetry Collector gateway (`collectorReplicas`, spread across zones), where
 *     applications send OTLP: `http://otel-collector.tracing.svc.cluster.local:4317` (gRPC) or `:4318`
 *     (HTTP); it exports to Jaeger over OTLP gRPC;
 *   - Jaeger v2 with `storage`: `memory`/`badger` (one replica, nonprod) or `opensearch` in the
 *     logging domain (as many replicas as the collector, spread across zones), signing with SigV4
 *     through its IRSA role.
 * Chart overrides come from `env.addons.overrides["jaeger"]` and `["opentelemetry-collector"]`.
 * With OpenSearch, the Jaeger role is added to the domain's access policy through the target's
 * `grant` (same four actions as the role's own policy).
 *
 * @throws Error when the environment keeps traces in OpenSearch but no domain was given (validation
 *   makes this unreachable: opensearch storage needs `addons.logging.opensearch`)
 */
export function addTracing(
  scope: Construct,
  ctx: AddonContext,
  env: PlatformEnvironment,
  opensearch: OpenSearchTarget | undefined,
): TracingAddons {
  const { storage, collectorReplicas } = env.addons.tracing;
  if (storage === "opensearch" && opensearch === undefined) {
    throw new Error(`${env.name}: addons.tracing.storage is "opensearch" but the logging layer returned no OpenSearch domain`);
  }
  const domain = storage === "opensearch" ? opensearch : undefined;
  const jaeger = new Jaeger(scope, "jaeger", {
    ...ctx,
    storage,
    replicas: domain ? collectorReplicas : 1,
    openSearchEndpoint: domain?.endpoint,
    openSearchDomainArn: domain?.domainArn,
    ...(domain ? jaegerIndexLayout(env.addons.logging.opensearch?.instanceCount ?? 1) : {}),
    badgerStorageClassName: StorageClasses.STORAGE_CLASS_NAME,
    overrides: env.addons.overrides["jaeger"],
  });
  if (domain && jaeger.roleArn) {
    // The domain's access policy names the role (a reference: applied after the role exists).
    domain.grant?.({ sid: "JaegerReadsWrites", principalArns: [jaeger.roleArn], actions: [...JAEGER_OPENSEARCH_ACTIONS] });
  }
  const collector = new OpenTelemetryCollector(scope, "opentelemetry-collector", {
    tracesEndpoint: jaeger.otlpGrpcEndpoint,
    replicas: collectorReplicas,
    overrides: env.addons.overrides["opentelemetry-collector"],
    // Installed after Jaeger (and removed before it), so the exporter always has a target.
    dependsOn: [jaeger.helm.release],
  });
  return { jaeger, collector, openSearchRoleArn: jaeger.roleArn };
}
