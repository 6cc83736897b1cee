import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import { GatewayApiCrds, IngressGateway, istioGatewayChart } from "../../addons/ingress-gateway";
import { ISTIO_INGRESS_NAMESPACE } from "../../addons/istio/contract";
import { defaultMeshRevision, defaultMeshVersion } from "../../addons/istio/revisions";
import type { PlatformEnvironment } from "../../environments/validate";
import { highlyAvailable } from "./core";
import { gitOpsTeams } from "./gitops";

/** What the Gateway API layer gives the rest of the stack. */
export interface GatewayAddons {
  readonly crds: GatewayApiCrds;
  /** The ingress gateway; absent without `addons.dns` (no name to serve, no certificate to get). */
  readonly ingress?: IngressGateway;
}

/** Every namespace of the environment's teams, sorted (the ones the Gateway admits HTTPRoutes from). */
export function teamNamespacesOf(env: Pick<PlatformEnvironment, "cluster">): string[] {
  return [...new Set(gitOpsTeams(env.cluster.access.teams).flatMap((t) => t.namespaces))].sort();
}

/**
 * The namespaces whose pods forward ingress traffic to team pods: the ingress gateway's when the
 * environment has one (with `addons.dns`, see {@link addGateway}), else none. Team namespaces admit
 * them (modules/tenancy/plan.ts `allow-ingress-gateways`).
 */
export function ingressGatewayNamespacesOf(env: Pick<PlatformEnvironment, "addons">): string[] {
  return env.addons.dns ? [ISTIO_INGRESS_NAMESPACE] : [];
}

/**
 * Gateway API ingress of an environment: the Gateway API CRDs in every environment; with
 * `addons.dns`, the Istio ingress gateway of the default revision behind an NLB with a Let's Encrypt
 * wildcard certificate for `*.<domain>` and the Gateway that admits the teams' HTTPRoutes. Without
 * `addons.dns` there is no ingress gateway: a gateway without a name and a certificate would be a
 * plain-HTTP endpoint on the internet (teams use port-forward or the ALB until the zone exists).
 *
 * @param deps istiod releases by revision name (addMesh), and cert-manager's release
 */
export function addGateway(
  scope: Construct,
  ctx: AddonContext,
  env: PlatformEnvironment,
  deps: { readonly istiods: Readonly<Record<string, { readonly helm: { readonly release: ITerraformDependable } }>>; readonly certManager: ITerraformDependable },
): GatewayAddons {
  const crds = new GatewayApiCrds(scope, "gateway-api-crds");
  const dns = env.addons.dns;
  if (!dns) return { crds };
  const revision = defaultMeshRevision(env);
  const istiod = deps.istiods[revision];
  if (!istiod) throw new Error(`ingress gateway: no istiod of the default revision ${revision} in the stack`);
  const ingress = new IngressGateway(scope, "ingress-gateway", {
    chart: istioGatewayChart(defaultMeshVersion(env)),
    revision,
    highlyAvailable: highlyAvailable(env),
    availabilityZones: ctx.availabilityZones,
    dns: { domain: dns.domain, hostedZoneId: dns.hostedZoneId, region: ctx.scope.region },
    teamNamespaces: teamNamespacesOf(env),
    istiod: [istiod.helm.release],
    crds,
    certManager: [deps.certManager],
    overrides: env.addons.overrides["istio-gateway"],
  });
  return { crds, ingress };
}
