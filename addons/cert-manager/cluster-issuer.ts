/**
 * The platform's ACME ClusterIssuer: Let's Encrypt with the DNS-01 challenge in the environment's
 * Route 53 zone, answered by cert-manager's controller with its IRSA role (iam-policy.ts: TXT records
 * in the given zones only, no `ListHostedZonesByName`, hence `hostedZoneID` on the solver). Pure: no
 * cdktf. Fields from cert-manager's ACME and Route 53 docs (cert-manager/website
 * content/docs/configuration/acme/README.md and acme/dns01/route53.md): `spec.acme.{server,
 * privateKeySecretRef,solvers}`, a solver's `selector.dnsZones` and `dns01.route53.{region,hostedZoneID}`.
 * A ClusterIssuer's Route 53 solver uses the controller's ambient credentials (the IRSA role) by
 * default (`--cluster-issuer-ambient-credentials`).
 */
import type { KubernetesObject } from "../../modules/helm/custom-resources";

/** Let's Encrypt's production ACME directory (browser-trusted certificates). */
export const LETS_ENCRYPT_PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory";

/** Name of the ClusterIssuer that issues certificates for names in the environment's zone. */
export const ROUTE53_CLUSTER_ISSUER = "letsencrypt-route53";

export interface Route53ClusterIssuerInput {
  /** The zone's domain: the solver answers challenges for it and its subdomains. */
  readonly domain: string;
  /** The Route 53 hosted zone of `domain` (the IRSA policy's zone). */
  readonly hostedZoneId: string;
  /** Region of the cluster (Route 53 is global; the AWS SDK still needs one). */
  readonly region: string;
}

/**
 * The ClusterIssuer. Production Let's Encrypt in every environment: one wildcard certificate per
 * environment renewed every 60 days is far below its rate limits, and staging certificates would not
 * be trusted by the teams' clients.
 */
export function route53ClusterIssuer(input: Route53ClusterIssuerInput): KubernetesObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: ROUTE53_CLUSTER_ISSUER },
    spec: {
      acme: {
        server: LETS_ENCRYPT_PRODUCTION,
        privateKeySecretRef: { name: `${ROUTE53_CLUSTER_ISSUER}-account-key` },
        solvers: [
          {
            selector: { dnsZones: [input.domain] },
            dns01: { route53: { region: input.region, hostedZoneID: input.hostedZoneId } },
          },
        ],
      },
    },
  };
}
