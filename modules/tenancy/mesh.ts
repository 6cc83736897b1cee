/**
 * What a team namespace in the Istio sidecar mesh needs from the tenancy layer, as data (pure, no
 * cdktf): the network policies its sidecars need on top of the platform's default-deny set, and the
 * namespace-wide STRICT mutual TLS policy. The mesh's names (its namespaces, the revision label) are
 * inputs from the stack (addons/istio/contract.ts), so this module imports no add-on.
 *
 * Istio facts read at istio/istio@56df41f63e513f834c9a3af33d8aed82d1d961f2 (tag 1.30.3), sidecar mode
 * with the Istio CNI node agent (no `istio-init` container: traffic redirection is set up by the
 * node agent, so the pod needs no NET_ADMIN).
 */
import type { KubernetesObject } from "../helm/custom-resources";
import type { NetworkPolicyPlan } from "./plan";

/** Where the mesh's control plane runs (addons/istio/contract.ts). */
export interface MeshPeers {
  /** Namespace of istiod. */
  readonly controlPlaneNamespace: string;
}

/**
 * The istiod port every sidecar connects to, for its configuration (xDS) and its workload
 * certificate (CA): manifests/charts/istio-control/istio-discovery/templates/service.yaml (port
 * 15012 `https-dns`, "mTLS with k8s-signed cert"; the container port of templates/deployment.yaml)
 * and files/injection-template.yaml (`CA_ADDR` = `istiod-<revision>.<istio namespace>.svc:15012`).
 * Sidecars use no other istiod port: 15010 is plaintext xDS, 443/15017 the webhook the API server
 * calls, 15014 istiod's own metrics.
 */
export const ISTIOD_SIDECAR_PORT = 15012;

/** The label of istiod's pods of every revision (templates/deployment.yaml, pod template `app: istiod`). */
export const ISTIOD_POD_LABELS: Readonly<Record<string, string>> = { app: "istiod" };

/**
 * The sidecar's status port, which serves the merged Prometheus metrics of the proxy and the app
 * (`/stats/prometheus`): values.yaml `global.proxy.statusPort: 15020`. The injection template
 * excludes it from inbound capture (`traffic.sidecar.istio.io/excludeInboundPorts`), so a scrape
 * reaches it in plain text under STRICT mTLS.
 */
export const SIDECAR_METRICS_PORT = 15020;

/**
 * The network policies a meshed team namespace gets besides the platform's (modules/tenancy/plan.ts
 * `networkPolicies`, which already allow DNS, the namespace itself, every port from the monitoring
 * namespace, so also Prometheus' scrapes of {@link SIDECAR_METRICS_PORT}, the load balancers' subnets,
 * the Pod Identity agent and the ingress gateways' namespaces, meshed or not):
 * `allow-mesh-control-plane`, egress to istiod's pods on {@link ISTIOD_SIDECAR_PORT} only.
 */
export function meshNetworkPolicies(peers: MeshPeers): NetworkPolicyPlan[] {
  return [
    {
      name: "allow-mesh-control-plane",
      policyTypes: ["Egress"],
      ingress: [],
      egress: [
        {
          peers: [{ namespace: peers.controlPlaneNamespace, podLabels: ISTIOD_POD_LABELS }],
          ports: [{ protocol: "TCP", port: ISTIOD_SIDECAR_PORT }],
        },
      ],
    },
  ];
}

/**
 * Name of the namespace-wide PeerAuthentication. Istio applies a PeerAuthentication without a
 * `selector` to the whole namespace; `default` is the name Istio's docs give it
 * (https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/).
 */
export const NAMESPACE_PEER_AUTHENTICATION = "default";

/**
 * The namespace's PeerAuthentication: sidecars accept only mutual TLS from other sidecars
 * (`security.istio.io/v1`, served by manifests/charts/base/files/crd-all.gen.yaml; `spec.mtls.mode`
 * one of UNSET, DISABLE, PERMISSIVE, STRICT).
 */
export function strictPeerAuthentication(namespace: string): KubernetesObject {
  return {
    apiVersion: "security.istio.io/v1",
    kind: "PeerAuthentication",
    metadata: { name: NAMESPACE_PEER_AUTHENTICATION, namespace },
    spec: { mtls: { mode: "STRICT" } },
  };
}
