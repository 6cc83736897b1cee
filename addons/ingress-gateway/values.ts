/**
 * Values of the two upstream charts of the ingress: Istio's `gateway` chart (the Envoy Deployment
 * and its NLB Service) and the Gateway API CRDs through `charts/gateway-api-crds`. Pure: no cdktf.
 *
 * gateway (istio/istio manifests/charts/gateway, see `istioGatewayChart`): every key below is in
 * values.yaml and values.schema.json (`additionalProperties: false` at the top level):
 * `revision` (templates/_helpers.tpl `gateway.sidecarInjectionLabels`: the pods' `istio.io/rev`,
 * so that revision's istiod injects the proxy), `rbac.enabled` (templates/role.yaml: a Role to read
 * Secrets, "not needed when using" the Gateway API, whose certificates istiod serves),
 * `service.{type,annotations}` (templates/service.yaml), `autoscaling.{enabled,minReplicas,maxReplicas,
 * targetCPUUtilizationPercentage}` (templates/hpa.yaml; deployment.yaml sets no `replicas` with the
 * HPA), `podDisruptionBudget` (templates/poddisruptionbudget.yaml, rendered only when the HPA's
 * minimum is above 1), `resources`, `tolerations`, `topologySpreadConstraints`
 * (templates/deployment.yaml). The pods' selector labels are `app: <release>` and
 * `istio: <release without "istio-">` (`gateway.selectorLabels`); the Service is named after the
 * release (`gateway.name`).
 */
import { CRITICAL_ADDONS_TOLERATION, zoneSpread } from "../context";
import type { Values } from "../../modules/helm/values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { isReplicated } from "../../modules/scheduling/replica-placement";
import { GATEWAY_API_CRDS_CHART } from "./chart";

/** Helm release name of the gateway chart: also its Deployment's and Service's name. */
export const INGRESS_GATEWAY_RELEASE = "istio-ingressgateway";

/** The gateway pods' selector labels for {@link INGRESS_GATEWAY_RELEASE} (`gateway.selectorLabels`). */
export const INGRESS_GATEWAY_POD_LABELS = { app: INGRESS_GATEWAY_RELEASE, istio: "ingressgateway" } as const;

/**
 * Requests of an Envoy gateway replica: the chart's own requests; memory capped at the chart's
 * limit. The chart's CPU limit (2 cores) stays: Helm merges these over its defaults.
 */
export const INGRESS_GATEWAY_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } };

/** Port of the proxy's readiness endpoint `/healthz/ready` (the chart's `status-port` Service port). */
export const GATEWAY_STATUS_PORT = 15021;

/**
 * The AWS Load Balancer Controller's Service annotations for the gateway's NLB, as documented in
 * kubernetes-sigs/aws-load-balancer-controller docs/guide/service/annotations.md
 * (@00681b8b7b90e8f396407652f2abd94a81ff2cf2):
 * - `aws-load-balancer-type: external`: the controller, not the in-tree cloud provider, reconciles
 *   the Service; `nlb-target-type: ip` (the default is `instance` with a LoadBalancerClass): the NLB
 *   sends to pod IPs directly (VPC CNI), no NodePort hop;
 * - `scheme: internet-facing` (the default is `internal`);
 * - `attributes: load_balancing.cross_zone.enabled=true` (the attribute annotation; the older
 *   `cross-zone-load-balancing-enabled` is deprecated): replicas are spread across AZs but the HPA
 *   can leave them uneven, and a zone without a replica must still be served;
 * - health check on the proxy's readiness endpoint (`healthcheck-{protocol,port,path}`) instead of a
 *   TCP connect to 80/443, so that a draining or unready Envoy leaves the target group first.
 */
export function nlbAnnotations(): Record<string, string> {
  const p = "service.beta.kubernetes.io/aws-load-balancer";
  return {
    [`${p}-type`]: "external",
    [`${p}-nlb-target-type`]: "ip",
    [`${p}-scheme`]: "internet-facing",
    [`${p}-attributes`]: "load_balancing.cross_zone.enabled=true",
    [`${p}-healthcheck-protocol`]: "http",
    [`${p}-healthcheck-port`]: String(GATEWAY_STATUS_PORT),
    [`${p}-healthcheck-path`]: "/healthz/ready",
  };
}

/**
 * ExternalDNS's hostname annotation (kubernetes-sigs/external-dns docs/annotations/annotations.md,
 * supported by the `service` source the platform already runs): one wildcard record `*.<domain>` to
 * the NLB. Explicit records (the ALB Ingresses' hosts) still win over the wildcard in DNS.
 */
export const EXTERNAL_DNS_HOSTNAME_ANNOTATION = "external-dns.alpha.kubernetes.io/hostname";

export interface IngressGatewayValuesInput {
  /** The istiod revision that injects the gateway's proxy (`istio.io/rev` of its pods). */
  readonly revision: string;
  /** HPA minimum of at least 2, a PDB and zone spread; otherwise 1 replica that may scale to 2. */
  readonly highlyAvailable: boolean;
  /** Availability zones of the cluster: the HA minimum is one replica per zone (at least 2). */
  readonly availabilityZones: number;
  /**
   * The wildcard DNS name ExternalDNS publishes for the NLB (`*.<domain>`).
   * @default - no DNS record (an environment without `addons.dns`)
   */
  readonly wildcardHostname?: string;
}

/** Minimum and maximum of the gateway's HorizontalPodAutoscaler. */
export function ingressGatewayReplicas(input: Pick<IngressGatewayValuesInput, "highlyAvailable" | "availabilityZones">): { min: number; max: number } {
  const min = input.highlyAvailable ? Math.max(2, input.availabilityZones) : 1;
  return { min, max: min * 3 };
}

/**
 * The gateway chart's values: the revision's proxy injected, no Secret-reading Role, an
 * internet-facing NLB through the Load Balancer Controller, an HPA on CPU (a PDB and zone spread
 * when its minimum is above 1), requests, and the system nodes' toleration.
 *
 * Placement: the gateway tolerates the `system` taint like every platform release, so it can run on
 * the system nodes or on workload nodes (no node selector); its replicas come and go with traffic,
 * and the HPA's ceiling bounds what it can take from either pool.
 */
export function ingressGatewayValues(input: IngressGatewayValuesInput): Values {
  const { min, max } = ingressGatewayReplicas(input);
  return {
    revision: input.revision,
    rbac: { enabled: false },
    service: {
      type: "LoadBalancer",
      annotations: {
        ...nlbAnnotations(),
        ...(input.wildcardHostname === undefined ? {} : { [EXTERNAL_DNS_HOSTNAME_ANNOTATION]: input.wildcardHostname }),
      },
    },
    autoscaling: { enabled: true, minReplicas: min, maxReplicas: max, targetCPUUtilizationPercentage: 80 },
    podDisruptionBudget: isReplicated(min) ? { maxUnavailable: 1 } : {},
    resources: INGRESS_GATEWAY_RESOURCES,
    tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
    topologySpreadConstraints: isReplicated(min) ? zoneSpread(INGRESS_GATEWAY_POD_LABELS) : [],
  };
}

/**
 * Values of `charts/gateway-api-crds`, passed to its `gateway-crds-helm` dependency: the Gateway API
 * standard channel only (GA kinds; the bundle's ValidatingAdmissionPolicy refuses experimental CRDs
 * over standard ones), no Envoy Gateway CRDs (templates/standard-gatewayapi-crds.yaml renders with
 * `crds.gatewayAPI.enabled` and `channel: standard`; templates/generated/ with `crds.envoyGateway.enabled`).
 */
export function gatewayApiCrdsValues(): Values {
  return {
    [GATEWAY_API_CRDS_CHART.chart]: {
      crds: { gatewayAPI: { enabled: true, channel: "standard" }, envoyGateway: { enabled: false } },
    },
  };
}
