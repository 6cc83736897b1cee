/**
 * Jaeger v2: the trace store and query UI of the platform, fed over OTLP by the OpenTelemetry
 * Collector gateway.
 *
 * Storage:
 *   - `memory` and `badger` (nonprod only): one replica; Badger keeps spans on a ReadWriteOnce
 *     PersistentVolumeClaim (the chart has no persistence block, so the claim is created through the
 *     chart's `extraObjects` and mounted through `jaeger.extraVolumes`).
 *   - `opensearch`: an Amazon OpenSearch Service domain, replicas spread across zones.
 *
 * OpenSearch authentication, and why it is Jaeger's own `sigv4auth`:
 *   Jaeger v2 links the OpenTelemetry `sigv4authextension` and lets a storage backend use it
 *   (`opensearch.auth.authenticator: sigv4auth`, jaegertracing/jaeger#7611), so Jaeger signs its own
 *   requests with the pod's IRSA credentials (AWS SDK default chain). Up to 2.19.0, the chart's
 *   appVersion, the signature covered an empty payload on every request with a body, so bulk writes,
 *   template creation and searches got 403 from Amazon OpenSearch Service (jaegertracing/jaeger#8760,
 *   #8307); 2.20.0 fixes it (#8768). The add-on therefore runs the 2.20.0 image (`JAEGER_IMAGE_TAG`)
 *   with the pinned chart.
 *   Rejected alternatives: an `aws-sigv4-proxy` sidecar — the chart has no sidecar/extraContainers
 *   key, and a separate proxy Deployment would put an unauthenticated, fully privileged HTTP hop to
 *   the domain inside the cluster; the collector's `opensearch` exporter with `sigv4auth` — it would
 *   only cover writes (in its own index layout, not Jaeger's), Jaeger's query still has to read and
 *   sign. One signed client in Jaeger is the smallest durable path.
 *
 * IRSA: with OpenSearch, the chart's ServiceAccount (`<fullname>`, in `namespace`) assumes a role
 * trusted for exactly that service account, allowed only `es:ESHttpGet/Head/Post/Put` on
 * `<domain ARN>/*` ({@link jaegerOpenSearchPolicy}). The domain's own access policy must name the
 * role ({@link Jaeger.roleArn}); with fine-grained access control the role must also be mapped to an
 * OpenSearch role that may manage and use the `jaeger-*` indices.
 */
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmAddon } from "../../modules/helm/helm-addon";
import type { Values } from "../../modules/helm/values";
import { IrsaRole } from "../../modules/irsa/irsa-role";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { serviceHost } from "../../modules/kubernetes/resources";
import type { AddonContext } from "../context";
import { JAEGER_CHART, JAEGER_IMAGE_TAG } from "./chart";
import { jaegerOpenSearchPolicy } from "./iam-policy";
import { JAEGER_OTLP_GRPC_PORT, JAEGER_OTLP_HTTP_PORT, JAEGER_QUERY_PORT, JaegerStorage, jaegerValues } from "./values";

export { JAEGER_CHART, JAEGER_IMAGE_TAG } from "./chart";
export { JAEGER_OPENSEARCH_ACTIONS, JAEGER_POLICY_SOURCE, jaegerOpenSearchPolicy } from "./iam-policy";
export * from "./values";

/** Resources of the Jaeger container when none are given. */
export const JAEGER_DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: "250m", memory: "512Mi" },
  limits: { memory: "1Gi" },
};

/** Name of the IAM role Jaeger uses for OpenSearch, from the add-on context's name prefix. */
export function jaegerRoleName(namePrefix: string): string {
  return `${namePrefix}-jaeger`;
}

/**
 * Jaeger on one cluster. The cluster facts are the `AddonContext` fields it needs, so a context can
 * be spread in: `new Jaeger(this, "jaeger", { ...ctx, storage: "memory" })`.
 */
export interface JaegerProps extends Pick<AddonContext, "clusterName" | "namePrefix" | "oidc" | "scope"> {
  /** Where traces are kept. `memory` and `badger` run one replica. */
  readonly storage: JaegerStorage["type"];
  /**
   * Jaeger pods (spread across zones when more than one). Only `opensearch` storage allows more than one.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Namespace of the release.
   * @default "tracing"
   */
  readonly namespace?: string;
  /**
   * Helm release name; also the name of the Deployment, Service and ServiceAccount.
   * @default "jaeger"
   */
  readonly releaseName?: string;
  /**
   * Endpoint host name (no scheme) of the Amazon OpenSearch Service domain.
   * @default - none; required with `opensearch` storage
   */
  readonly openSearchEndpoint?: string;
  /**
   * ARN of the Amazon OpenSearch Service domain (scopes the IRSA policy).
   * @default - none; required with `opensearch` storage
   */
  readonly openSearchDomainArn?: string;
  /**
   * Primary shards of each daily Jaeger index in OpenSearch.
   * @default 1
   */
  readonly indexShards?: number;
  /**
   * Replica shards of each daily Jaeger index in OpenSearch (0 on a single-node domain).
   * @default 1
   */
  readonly indexReplicas?: number;
  /**
   * Name of the IAM role for OpenSearch.
   * @default - `jaegerRoleName(namePrefix)`
   */
  readonly roleName?: string;
  /**
   * StorageClass of the Badger volume.
   * @default "gp3"
   */
  readonly badgerStorageClassName?: string;
  /**
   * Size of the Badger volume.
   * @default "10Gi"
   */
  readonly badgerVolumeSize?: string;
  /**
   * How long Badger keeps spans (Go duration).
   * @default "72h"
   */
  readonly badgerRetention?: string;
  /**
   * Traces kept by `memory` storage before the oldest are dropped.
   * @default 50000
   */
  readonly memoryMaxTraces?: number;
  /**
   * Jaeger image tag.
   * @default JAEGER_IMAGE_TAG
   */
  readonly imageTag?: string;
  /**
   * Container resources.
   * @default JAEGER_DEFAULT_RESOURCES
   */
  readonly resources?: ContainerResources;
  /**
   * Chart value overrides, merged last.
   * @default {}
   */
  readonly overrides?: Values;
  /**
   * Resources the release waits for (e.g. the StorageClass of the Badger volume).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Jaeger v2 (query UI + OTLP collector + storage) as a Helm release, with its IRSA role for OpenSearch. */
export class Jaeger extends Construct {
  readonly helm: HelmAddon;
  /** The IRSA role for OpenSearch; undefined with memory or Badger storage. */
  readonly role?: IrsaRole;
  /** ARN of the role that reads and writes spans in OpenSearch; undefined with memory or Badger storage. */
  readonly roleArn?: string;
  readonly namespace: string;
  /** Name of the Jaeger Service. */
  readonly serviceName: string;
  /** In-cluster OTLP gRPC endpoint of Jaeger (`host:port`, plaintext). */
  readonly otlpGrpcEndpoint: string;
  /** In-cluster OTLP HTTP endpoint of Jaeger. */
  readonly otlpHttpEndpoint: string;
  /** In-cluster URL of the query UI and HTTP API. */
  readonly queryUrl: string;

  constructor(scope: Construct, id: string, props: JaegerProps) {
    super(scope, id);
    this.namespace = props.namespace ?? "tracing";
    const releaseName = props.releaseName ?? "jaeger";
    this.serviceName = releaseName;
    const host = serviceHost(this.serviceName, this.namespace);
    this.otlpGrpcEndpoint = `${host}:${JAEGER_OTLP_GRPC_PORT}`;
    this.otlpHttpEndpoint = `http://${host}:${JAEGER_OTLP_HTTP_PORT}`;
    this.queryUrl = `http://${host}:${JAEGER_QUERY_PORT}`;

    let storage: JaegerStorage;
    switch (props.storage) {
      case "memory":
        storage = { type: "memory", maxTraces: props.memoryMaxTraces ?? 50_000 };
        break;
      case "badger":
        storage = {
          type: "badger",
          claimName: `${releaseName}-badger`,
          storageClassName: props.badgerStorageClassName ?? "gp3",
          volumeSize: props.badgerVolumeSize ?? "10Gi",
          retention: props.badgerRetention ?? "72h",
        };
        break;
      case "opensearch": {
        if (!props.openSearchEndpoint || !props.openSearchDomainArn) {
          throw new Error("Jaeger: opensearch storage needs openSearchEndpoint and openSearchDomainArn");
        }
        storage = {
          type: "opensearch",
          endpoint: props.openSearchEndpoint,
          region: props.scope.region,
          indexShards: props.indexShards ?? 1,
          indexReplicas: props.indexReplicas ?? 1,
        };
        this.role = new IrsaRole(this, "opensearch-role", {
          oidc: props.oidc,
          namespace: this.namespace,
          // The chart names its ServiceAccount after the full name (`fullnameOverride`).
          serviceAccount: releaseName,
          roleName: props.roleName ?? jaegerRoleName(props.namePrefix),
          description: `Jaeger of ${props.clusterName}: reads and writes spans in one OpenSearch domain`,
          policyStatements: jaegerOpenSearchPolicy({ domainArn: props.openSearchDomainArn }),
        });
        this.roleArn = this.role.roleArn;
        break;
      }
    }

    this.helm = new HelmAddon(this, "release", {
      releaseName,
      namespace: this.namespace,
      chart: JAEGER_CHART,
      values: jaegerValues({
        releaseName,
        fullname: releaseName,
        replicas: props.replicas ?? 1,
        storage,
        imageTag: props.imageTag ?? JAEGER_IMAGE_TAG,
        resources: props.resources ?? JAEGER_DEFAULT_RESOURCES,
        serviceAccountAnnotations: this.role?.serviceAccountAnnotations ?? {},
      }),
      overrides: props.overrides,
      // templates/ (query, collector Services of the all-in-one deployment); the Badger volume needs
      // the gp3 StorageClass.
      createsServices: true,
      needs: storage.type === "badger" ? ["storage-classes"] : [],
      // The pods start with their permissions in place: the role and its inline policy first.
      irsaRoles: this.role ? [this.role] : [],
      dependsOn: props.dependsOn ?? [],
    });
  }
}
