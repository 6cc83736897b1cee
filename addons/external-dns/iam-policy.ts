/**
 * IAM policy of ExternalDNS (AWS Route 53 provider), kept as data.
 *
 * Source (read from the public repository, not retyped from memory):
 *   repository: kubernetes-sigs/external-dns
 *   ref:        tag v0.22.0 (commit 994f908d4abdfe5fbf38f2f61613ed570432e43a; app v0.22.0)
 *   path:       docs/tutorials/aws.md, section "IAM Policy"
 *
 * The published policy grants `route53:ChangeResourceRecordSets`, `route53:ListResourceRecordSets`
 * and `route53:ListTagsForResources` on `arn:aws:route53:::hostedzone/*` and
 * `route53:ListHostedZones` on `*`; its "Further improvements" section recommends listing the
 * selected zones instead of `*`. Applied here: the three zone actions are granted on exactly the
 * given hosted zones; `route53:ListHostedZones` stays on `*` (it does not support resource-level
 * permissions). Run ExternalDNS with `--zone-id-filter=<id>` for each of those zones (and
 * `--provider=aws`): with the filter set, it only calls the zone actions on matching zones
 * (`provider/aws/aws.go`, `zones()`, at v0.22.0).
 */
import type { AwsScope, PolicyStatement } from "../../modules/irsa/policy-document";

/** Where {@link externalDnsPolicy} comes from, and the release it matches. */
export const EXTERNAL_DNS_POLICY_SOURCE = {
  repository: "kubernetes-sigs/external-dns",
  ref: "v0.22.0",
  commit: "994f908d4abdfe5fbf38f2f61613ed570432e43a",
  path: "docs/tutorials/aws.md",
  section: "IAM Policy",
  appVersion: "v0.22.0",
} as const;

export interface ExternalDnsPolicyArgs {
  /** Only `scope.partition` is used: Route 53 ARNs have no region or account. */
  readonly scope: AwsScope;
  /** IDs of the hosted zones ExternalDNS may change (bare IDs such as `Z0123456789ABCDEFGHIJ`). */
  readonly hostedZoneIds: readonly string[];
}

/**
 * ExternalDNS's statements, limited to the given hosted zones.
 *
 * @throws Error when `hostedZoneIds` is empty (a statement without resources is not a valid policy)
 */
export function externalDnsPolicy(args: ExternalDnsPolicyArgs): PolicyStatement[] {
  const { scope, hostedZoneIds } = args;
  if (hostedZoneIds.length === 0) {
    throw new Error("externalDnsPolicy: at least one hosted zone id is required");
  }
  return [
    {
      Sid: "ChangeRecordsInOwnZones",
      Effect: "Allow",
      Action: [
        "route53:ChangeResourceRecordSets",
        "route53:ListResourceRecordSets",
        "route53:ListTagsForResources",
      ],
      Resource: hostedZoneIds.map((id) => `arn:${scope.partition}:route53:::hostedzone/${id}`),
    },
    {
      Sid: "ListHostedZones",
      Effect: "Allow",
      Action: ["route53:ListHostedZones"],
      Resource: ["*"],
    },
  ];
}
