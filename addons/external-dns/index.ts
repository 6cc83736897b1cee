import { Construct } from "constructs";
import type { AddonContext } from "../context";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { IrsaRole } from "../../modules/irsa/irsa-role";
import { EXTERNAL_DNS_CHART } from "./chart";
import { externalDnsPolicy } from "./iam-policy";
import { ExternalDnsPolicy, externalDnsValues } from "./values";

export interface ExternalDnsProps extends ReleaseOptions {
  /** The Route 53 hosted zone ExternalDNS manages. */
  readonly hostedZoneId: string;
  /** The zone's domain; ExternalDNS ignores hostnames outside it. */
  readonly domainName: string;
  /**
   * `sync` creates, updates and deletes records; `upsert-only` never deletes (production).
   * @default "upsert-only"
   */
  readonly policy?: ExternalDnsPolicy;
}

/**
 * ExternalDNS in its own namespace, publishing Service and Ingress hostnames into one Route 53
 * hosted zone, with an IRSA role that may change only that zone (`iam-policy.ts`). The TXT owner
 * id is the cluster name, so clusters sharing a zone never take over each other's records.
 */
export class ExternalDns extends Construct {
  static readonly NAMESPACE = "external-dns";
  static readonly SERVICE_ACCOUNT = "external-dns";
  static readonly RELEASE_NAME = "external-dns";

  readonly role: IrsaRole;
  readonly helm: HelmAddon;

  constructor(scope: Construct, id: string, context: AddonContext, props: ExternalDnsProps) {
    super(scope, id);
    const { NAMESPACE, SERVICE_ACCOUNT, RELEASE_NAME } = ExternalDns;

    this.role = new IrsaRole(this, "irsa", {
      oidc: context.oidc,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      roleName: `${context.namePrefix}-external-dns`,
      description: `ExternalDNS (Route 53 ${props.hostedZoneId}) of ${context.clusterName}`,
      policyStatements: externalDnsPolicy({ scope: context.scope, hostedZoneIds: [props.hostedZoneId] }),
    });

    this.helm = new HelmAddon(this, "chart", {
      releaseName: RELEASE_NAME,
      namespace: NAMESPACE,
      chart: EXTERNAL_DNS_CHART,
      values: externalDnsValues({
        domainFilters: [props.domainName],
        hostedZoneIds: [props.hostedZoneId],
        txtOwnerId: context.clusterName,
        policy: props.policy ?? "upsert-only",
        serviceAccountName: SERVICE_ACCOUNT,
        serviceAccountAnnotations: this.role.serviceAccountAnnotations,
      }),
      overrides: props.overrides ?? {},
      // templates/service.yaml (the HTTP port serving metrics and health).
      createsServices: true,
      irsaRoles: [this.role],
      dependsOn: props.dependsOn ?? [],
    });
  }
}
