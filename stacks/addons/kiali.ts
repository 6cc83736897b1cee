import { Construct } from "constructs";
import { ISTIO_NAMESPACE } from "../../addons/istio/contract";
import { JAEGER_QUERY_PORT } from "../../addons/jaeger/values";
import { KIALI_CLIENT_ID } from "../../addons/keycloak/realm";
import { Kiali } from "../../addons/kiali";
import { KUBE_PROMETHEUS_STACK_RELEASE } from "../../addons/kube-prometheus-stack/values";
import type { PlatformEnvironment } from "../../environments/validate";
import { serviceHost } from "../../modules/kubernetes/resources";
import { GRAFANA_ROOT_URL } from "./auth";
import { highlyAvailable } from "./core";
import type { MeshAddons } from "./mesh";
import { JAEGER_LOCATION } from "./observability";

/**
 * Jaeger v2's gRPC query port: the `jaeger_query` extension serves the api_v2 QueryService Kiali's
 * Jaeger client uses on `:16685` by default (jaegertracing/jaeger cmd/jaeger/internal/extension/jaegerquery,
 * `ports.PortToHostPort(ports.QueryGRPC)`), and the chart's Service exposes it as `grpc-query`
 * (charts/jaeger/templates/jaeger/jaeger-service.yaml @ 6c602b54).
 */
export const JAEGER_GRPC_QUERY_PORT = 16685;
/** Where users open the Jaeger UI: `kubectl -n tracing port-forward svc/jaeger 16686:16686`. */
export const JAEGER_LOCAL_URL = `http://localhost:${JAEGER_QUERY_PORT}`;

/** In-cluster URLs Kiali reads from: kube-prometheus-stack's Prometheus and Grafana, Jaeger's gRPC query. */
export function kialiBackends(monitoringNamespace: string) {
  return {
    // The chart's Services `<fullname>-prometheus` (port 9090) and the Grafana subchart's `<release>-grafana` (port 80).
    prometheusUrl: `http://${serviceHost(`${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus`, monitoringNamespace)}:9090`,
    grafana: { internalUrl: `http://${serviceHost(`${KUBE_PROMETHEUS_STACK_RELEASE}-grafana`, monitoringNamespace)}:80`, externalUrl: GRAFANA_ROOT_URL },
    tracing: {
      internalGrpcUrl: `http://${serviceHost(JAEGER_LOCATION.release, JAEGER_LOCATION.namespace)}:${JAEGER_GRPC_QUERY_PORT}`,
      externalUrl: JAEGER_LOCAL_URL,
    },
  };
}

/** What Kiali needs from the add-ons installed before it. */
export interface KialiDependencies {
  /** Issuer of the platform realm. */
  readonly issuerUrl: string;
  /** Namespace of kube-prometheus-stack. */
  readonly monitoringNamespace: string;
  /** The Istio control plane: its base release creates Istio's namespace, its istiods are what Kiali shows. */
  readonly mesh: Pick<MeshAddons, "base" | "istiods">;
}

/**
 * Kiali of an environment, in Istio's namespace after the mesh: the realm's `kiali` client, HA when
 * the environment is (`highlyAvailable`), on the system nodes, reached by port-forward
 * (`KIALI_LOCAL_URL`). Chart overrides come from `env.addons.overrides["kiali"]`.
 */
export function addKiali(scope: Construct, env: PlatformEnvironment, deps: KialiDependencies): Kiali {
  return new Kiali(scope, "kiali", {
    namespace: ISTIO_NAMESPACE,
    highlyAvailable: highlyAvailable(env),
    issuerUrl: deps.issuerUrl,
    clientId: KIALI_CLIENT_ID,
    istioNamespace: ISTIO_NAMESPACE,
    ...kialiBackends(deps.monitoringNamespace),
    nodeSelector: env.cluster.nodeGroups.system.labels,
    overrides: env.addons.overrides["kiali"],
    dependsOn: [deps.mesh.base.helm.release, ...Object.values(deps.mesh.istiods).map((istiod) => istiod.helm.release)],
  });
}
