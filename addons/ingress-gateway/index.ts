import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable, TerraformAsset, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ChartPin, HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { CustomResources, KubernetesObject, repositoryChartPath } from "../../modules/helm/custom-resources";
import { renderValues } from "../../modules/helm/values";
import { route53ClusterIssuer } from "../cert-manager/cluster-issuer";
import { ISTIO_INGRESS_NAMESPACE } from "../istio/contract";
import { GATEWAY_API_CRDS_WRAPPER } from "./chart";
import { httpsRedirectRoute, ingressGateway, teamRouteClusterRoles, wildcardCertificate } from "./resources";
import { gatewayApiCrdsValues, INGRESS_GATEWAY_RELEASE, ingressGatewayValues, IngressGatewayValuesInput } from "./values";

export { GATEWAY_API_CRDS_CHART, GATEWAY_API_VERSION, istioGatewayChart } from "./chart";

/** Id (and output folder) of the wrapper chart's asset in its stack. */
export const GATEWAY_API_CRDS_ASSET = "gateway-api-crds-chart";

/** Namespace of the CRD release's record (the CRDs themselves are cluster-scoped). */
export const GATEWAY_API_CRDS_NAMESPACE = "kube-system";

/**
 * The Kubernetes Gateway API CRDs (standard channel, `GATEWAY_API_VERSION`) from Envoy Gateway's
 * upstream chart, installed through the repository's `charts/gateway-api-crds` wrapper (see its
 * description) with `dependency_update`: Helm fetches the pinned `oci://` dependency when Terraform
 * applies. The CRDs are templates, so chart upgrades upgrade them; uninstalling the release deletes
 * them with every Gateway and route, so only a destroy of the environment removes it.
 *
 * How the `oci://` dependency is fetched (read, not run here): terraform-provider-helm v3.1.1
 * (`checkChartDependencies` in helm/resource_helm_release.go) runs Helm v3.18.4's
 * `downloader.Manager.Update` without a registry client; an exact version needs none to resolve
 * (internal/resolver/resolver.go: OCI with a semver version skips the tag listing, and
 * pkg/registry/client.go `ValidateReference` uses it only for tag lists and digests), and the OCI
 * getter builds its own client (pkg/getter/ocigetter.go). The registry is public: no credentials.
 */
export class GatewayApiCrds extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // At the stack's level under a fixed id: the release's chart path is then
    // `./assets/gateway-api-crds-chart/<hash>`, the folder WRAPPED_CHARTS (modules/helm/chart-crds.ts) knows.
    const chart = new TerraformAsset(TerraformStack.of(this), GATEWAY_API_CRDS_ASSET, { path: repositoryChartPath(GATEWAY_API_CRDS_WRAPPER.name) });
    this.release = new Release(this, "release", {
      name: GATEWAY_API_CRDS_WRAPPER.name,
      namespace: GATEWAY_API_CRDS_NAMESPACE,
      chart: `./${chart.path}`,
      version: GATEWAY_API_CRDS_WRAPPER.version,
      dependencyUpdate: true,
      values: [renderValues(gatewayApiCrdsValues())],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: 600,
      maxHistory: 10,
    });
  }
}

/** TLS and DNS of the ingress: the environment's Route 53 zone. */
export interface IngressDns {
  readonly domain: string;
  readonly hostedZoneId: string;
  /** Region of the cluster, for the ACME solver's AWS client. */
  readonly region: string;
}

export interface IngressGatewayProps extends Omit<IngressGatewayValuesInput, "wildcardHostname">, ReleaseOptions {
  /** The gateway chart of the default revision's Istio version (`istioGatewayChart`). */
  readonly chart: ChartPin;
  readonly dns: IngressDns;
  /** Every namespace of `cluster.access.teams`: the only ones whose HTTPRoutes the Gateway admits. */
  readonly teamNamespaces: readonly string[];
  /** The release(s) of the istiod revision that injects the gateway's proxy and programs the Gateway. */
  readonly istiod: readonly ITerraformDependable[];
  /** The Gateway API CRDs' release (the Gateway and its routes need them). */
  readonly crds: GatewayApiCrds;
  /** cert-manager's release (ClusterIssuer and Certificate need its CRDs and webhook). */
  readonly certManager: readonly ITerraformDependable[];
}

/**
 * The platform's ingress gateway in `istio-ingress`: Istio's gateway chart (Envoy injected by the
 * default revision, behind an internet-facing NLB of the Load Balancer Controller, with a wildcard
 * DNS record by ExternalDNS), and through the platform-resources chart the Gateway bound to it, the
 * HTTP-to-HTTPS redirect, the wildcard certificate with its Let's Encrypt Route 53 ClusterIssuer,
 * and the route kinds in the teams' built-in roles.
 *
 * Order: the chart waits for istiod (the injection webhook must exist before the pods) and, as it
 * creates a Service, for the load balancer webhook (the stack's composition); the objects wait for
 * the CRDs, the chart (its namespace) and cert-manager.
 */
export class IngressGateway extends Construct {
  readonly helm: HelmAddon;
  readonly resources: CustomResources;

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    this.helm = new HelmAddon(this, "release", {
      releaseName: INGRESS_GATEWAY_RELEASE,
      namespace: ISTIO_INGRESS_NAMESPACE,
      chart: props.chart,
      values: ingressGatewayValues({ ...props, wildcardHostname: `*.${props.dns.domain}` }),
      overrides: props.overrides,
      // templates/service.yaml (the NLB Service).
      createsServices: true,
      dependsOn: [...props.istiod, ...(props.dependsOn ?? [])],
    });
    this.resources = new CustomResources(this, "resources", {
      releaseName: "ingress-gateway-resources",
      namespace: ISTIO_INGRESS_NAMESPACE,
      resources: ingressGatewayObjects(props),
      dependsOn: [props.crds.release, this.helm.release, ...props.certManager],
    });
  }
}

/** Everything the ingress renders through the platform-resources chart, in apply order. */
export function ingressGatewayObjects(props: Pick<IngressGatewayProps, "dns" | "teamNamespaces" | "revision">): KubernetesObject[] {
  const { domain } = props.dns;
  return [
    route53ClusterIssuer(props.dns),
    wildcardCertificate(domain),
    ingressGateway({ domain, teamNamespaces: props.teamNamespaces, revision: props.revision }),
    httpsRedirectRoute(domain),
    ...teamRouteClusterRoles(),
  ];
}
