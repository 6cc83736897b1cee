/**
 * The Gateway API objects of the platform's ingress, rendered through the repository's
 * platform-resources chart (no CRD needed at plan time). Pure: no cdktf.
 *
 * The `Gateway` is bound to the Deployment and Service of Istio's gateway chart ("manual
 * deployment", istio.io docs/tasks/traffic-management/ingress/gateway-api, istio/istio.io@8892748a:
 * `spec.addresses` holds a single `Hostname`, the Service's cluster DNS name), so Istio does not
 * deploy a second gateway of its own. Field names follow the Gateway API v1 CRDs of the pinned bundle
 * (gateway.networking.k8s.io_gateways.yaml, _httproutes.yaml, v1.5.1 standard channel).
 */
import type { KubernetesObject } from "../../modules/helm/custom-resources";
import { ROUTE53_CLUSTER_ISSUER } from "../cert-manager/cluster-issuer";
import { ISTIO_INGRESS_NAMESPACE, MESH_REVISION_LABEL } from "../istio/contract";
import { INGRESS_GATEWAY_RELEASE } from "./values";

const GATEWAY_API = "gateway.networking.k8s.io/v1";

/** Name of the platform's `Gateway` (teams' HTTPRoutes name it in `parentRefs`). */
export const INGRESS_GATEWAY_NAME = "ingress";

/** The listener teams attach to (`sectionName` in their `parentRefs`). */
export const HTTPS_LISTENER = "https";

/** The plain-HTTP listener: only the platform's redirect to HTTPS is attached to it. */
export const HTTP_LISTENER = "http";

/** The Secret cert-manager writes the wildcard certificate into, read by the HTTPS listener. */
export const WILDCARD_TLS_SECRET = "ingress-wildcard-tls";

/** The Gateway's address: the gateway chart's Service, as a cluster DNS name. */
export function gatewayServiceHostname(): string {
  return `${INGRESS_GATEWAY_RELEASE}.${ISTIO_INGRESS_NAMESPACE}.svc.cluster.local`;
}

/**
 * Which namespaces may attach routes to the HTTPS listener: exactly the teams' namespaces, by their
 * `kubernetes.io/metadata.name` label (set by the API server on every namespace, so a team cannot
 * label its way in). No team namespace: only the Gateway's own namespace (`Same`; the platform puts
 * no route there), since `In` with an empty list is invalid.
 */
export function teamAllowedRoutes(teamNamespaces: readonly string[]): Record<string, unknown> {
  const names = [...new Set(teamNamespaces)].sort();
  const namespaces =
    names.length === 0
      ? { from: "Same" }
      : { from: "Selector", selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: names }] } };
  return { namespaces, kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }] };
}

export interface IngressGatewayObjectsInput {
  /** The zone's domain: listeners and certificate cover `*.<domain>`. */
  readonly domain: string;
  /** Every namespace of `cluster.access.teams`. */
  readonly teamNamespaces: readonly string[];
  /** The istiod revision that programs the Gateway (its `istio.io/rev` label). */
  readonly revision: string;
}

/**
 * The `Gateway` of class `istio`: HTTPS on 443 for `*.<domain>` with the cert-manager certificate,
 * open to the teams' HTTPRoutes; HTTP on 80 for the same names, open only to the platform's redirect.
 * Labelled with the revision whose istiod programs it (Istio's revisions process only their own
 * objects).
 */
export function ingressGateway(input: IngressGatewayObjectsInput): KubernetesObject {
  const hostname = `*.${input.domain}`;
  return {
    apiVersion: GATEWAY_API,
    kind: "Gateway",
    metadata: { name: INGRESS_GATEWAY_NAME, namespace: ISTIO_INGRESS_NAMESPACE, labels: { [MESH_REVISION_LABEL]: input.revision } },
    spec: {
      gatewayClassName: "istio",
      addresses: [{ type: "Hostname", value: gatewayServiceHostname() }],
      listeners: [
        {
          name: HTTPS_LISTENER,
          hostname,
          port: 443,
          protocol: "HTTPS",
          tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: WILDCARD_TLS_SECRET }] },
          allowedRoutes: teamAllowedRoutes(input.teamNamespaces),
        },
        {
          name: HTTP_LISTENER,
          hostname,
          port: 80,
          protocol: "HTTP",
          allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }] },
        },
      ],
    },
  };
}

/** Every plain-HTTP request answered with a permanent redirect to the same URL over HTTPS. */
export function httpsRedirectRoute(domain: string): KubernetesObject {
  return {
    apiVersion: GATEWAY_API,
    kind: "HTTPRoute",
    metadata: { name: "https-redirect", namespace: ISTIO_INGRESS_NAMESPACE },
    spec: {
      parentRefs: [{ name: INGRESS_GATEWAY_NAME, sectionName: HTTP_LISTENER }],
      hostnames: [`*.${domain}`],
      rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
    },
  };
}

/**
 * The wildcard certificate of the HTTPS listener, from the Route 53 ClusterIssuer (DNS-01: a
 * wildcard cannot be validated over HTTP-01). ECDSA P-256, a new key at every renewal.
 */
export function wildcardCertificate(domain: string): KubernetesObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "ingress-wildcard", namespace: ISTIO_INGRESS_NAMESPACE },
    spec: {
      secretName: WILDCARD_TLS_SECRET,
      dnsNames: [`*.${domain}`],
      issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: ROUTE53_CLUSTER_ISSUER },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
    },
  };
}

/** Route kinds teams manage in their namespaces (the Gateway admits HTTPRoutes; GRPCRoutes are for the mesh). */
const TEAM_ROUTE_RESOURCES = ["httproutes", "grpcroutes"];

/**
 * The Gateway API route kinds in Kubernetes' built-in roles, by aggregation
 * (`rbac.authorization.k8s.io/aggregate-to-{admin,edit,view}`): the team RoleBindings use `admin`,
 * `edit` and `view`, which know nothing of these CRDs. Routes only: Gateways, GatewayClasses and
 * ReferenceGrants stay with the platform (a team Gateway of class `istio` would get its own
 * load balancer).
 */
export function teamRouteClusterRoles(): KubernetesObject[] {
  const role = (name: string, aggregateTo: readonly string[], verbs: readonly string[]): KubernetesObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: {
      name,
      labels: Object.fromEntries(aggregateTo.map((r) => [`rbac.authorization.k8s.io/aggregate-to-${r}`, "true"])),
    },
    rules: [{ apiGroups: ["gateway.networking.k8s.io"], resources: [...TEAM_ROUTE_RESOURCES], verbs: [...verbs] }],
  });
  return [
    role("gateway-api-routes-edit", ["admin", "edit"], ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]),
    role("gateway-api-routes-view", ["view"], ["get", "list", "watch"]),
  ];
}
