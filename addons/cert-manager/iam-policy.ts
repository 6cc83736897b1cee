/**
 * IAM policy of cert-manager's Route 53 DNS-01 solver, kept as data.
 *
 * Source (read from the public repository, not retyped from memory):
 *   repository: cert-manager/website
 *   ref:        master at commit 776e5dba56510fc9de84206b806b568447077f25 (docs of the current
 *               cert-manager release; the page was last changed in abdbb72fee1fba8fecd20645d829c53553a61b58,
 *               "acme/dns01/route53: document stricter IAM policy"; identical to content/v1.20-docs/...)
 *   path:       content/docs/configuration/acme/dns01/route53.md, section "Set up an IAM Policy"
 *
 * The published policy: `route53:GetChange` on `arn:aws:route53:::change/*`;
 * `route53:ChangeResourceRecordSets` and `route53:ListResourceRecordSets` on
 * `arn:aws:route53:::hostedzone/*` with `ForAllValues:StringEquals`
 * `route53:ChangeResourceRecordSetsRecordTypes` = `["TXT"]`; `route53:ListHostedZonesByName` on `*`.
 * The page notes that the `ListHostedZonesByName` statement "can be removed if you specify the
 * (optional) `hostedZoneID`" and that the zones can be limited. Applied here: the zone actions are on
 * exactly the given zones (TXT condition kept as published) and `ListHostedZonesByName` is left out,
 * so every Route 53 solver of the platform's issuers must set `hostedZoneID`.
 */
import type { AwsScope, PolicyStatement } from "../../modules/irsa/policy-document";

/** Where {@link certManagerRoute53Policy} comes from. */
export const CERT_MANAGER_ROUTE53_POLICY_SOURCE = {
  repository: "cert-manager/website",
  ref: "master",
  commit: "776e5dba56510fc9de84206b806b568447077f25",
  path: "content/docs/configuration/acme/dns01/route53.md",
  section: "Set up an IAM Policy",
} as const;

export interface CertManagerRoute53PolicyArgs {
  /** Only `scope.partition` is used: Route 53 ARNs have no region or account. */
  readonly scope: AwsScope;
  /** IDs of the hosted zones the solver may write TXT records to (each solver sets `hostedZoneID`). */
  readonly hostedZoneIds: readonly string[];
}

/**
 * cert-manager's DNS-01 statements, limited to TXT records in the given hosted zones.
 *
 * @throws Error when `hostedZoneIds` is empty (a statement without resources is not a valid policy)
 */
export function certManagerRoute53Policy(args: CertManagerRoute53PolicyArgs): PolicyStatement[] {
  const { scope, hostedZoneIds } = args;
  if (hostedZoneIds.length === 0) {
    throw new Error("certManagerRoute53Policy: at least one hosted zone id is required");
  }
  return [
    {
      Sid: "GetChangeStatus",
      Effect: "Allow",
      Action: ["route53:GetChange"],
      Resource: [`arn:${scope.partition}:route53:::change/*`],
    },
    {
      Sid: "ChangeTxtRecordsInOwnZones",
      Effect: "Allow",
      Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"],
      Resource: hostedZoneIds.map((id) => `arn:${scope.partition}:route53:::hostedzone/${id}`),
      Condition: {
        "ForAllValues:StringEquals": {
          "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"],
        },
      },
    },
  ];
}
