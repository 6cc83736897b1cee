import { Construct } from "constructs";
import type { AddonContext } from "../context";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { IrsaRole } from "../../modules/irsa/irsa-role";
import { CERT_MANAGER_CHART } from "./chart";
import { certManagerRoute53Policy } from "./iam-policy";
import { certManagerValues } from "./values";

export interface CertManagerProps extends ReleaseOptions {
  /**
   * Route 53 hosted zones the DNS-01 solver may write TXT records to. Given zones get the
   * controller an IRSA role; every Route 53 solver must then set `hostedZoneID` (the policy has no
   * `ListHostedZonesByName`).
   * @default [] - no AWS identity (HTTP-01 and non-Route 53 issuers only)
   */
  readonly hostedZoneIds?: readonly string[];
  /**
   * Replicas of the controller, webhook and CA injector.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * cert-manager in its own namespace, with its CRDs, and, when hosted zones are given, an IRSA role
 * for Route 53 DNS-01 challenges limited to TXT records in those zones (`iam-policy.ts`).
 */
export class CertManager extends Construct {
  static readonly NAMESPACE = "cert-manager";
  static readonly SERVICE_ACCOUNT = "cert-manager";
  static readonly RELEASE_NAME = "cert-manager";

  /** The controller's IRSA role, when hosted zones are given. */
  readonly role?: IrsaRole;
  readonly helm: HelmAddon;

  constructor(scope: Construct, id: string, context: AddonContext, props: CertManagerProps = {}) {
    super(scope, id);
    const { NAMESPACE, SERVICE_ACCOUNT, RELEASE_NAME } = CertManager;
    const zones = props.hostedZoneIds ?? [];

    if (zones.length > 0) {
      this.role = new IrsaRole(this, "irsa", {
        oidc: context.oidc,
        namespace: NAMESPACE,
        serviceAccount: SERVICE_ACCOUNT,
        roleName: `${context.namePrefix}-cert-manager`,
        description: `cert-manager DNS-01 (Route 53) of ${context.clusterName}`,
        policyStatements: certManagerRoute53Policy({ scope: context.scope, hostedZoneIds: zones }),
      });
    }

    this.helm = new HelmAddon(this, "chart", {
      releaseName: RELEASE_NAME,
      namespace: NAMESPACE,
      chart: CERT_MANAGER_CHART,
      values: certManagerValues({
        releaseName: RELEASE_NAME,
        serviceAccountName: SERVICE_ACCOUNT,
        serviceAccountAnnotations: this.role?.serviceAccountAnnotations ?? {},
        replicas: props.replicas ?? 1,
      }),
      overrides: props.overrides ?? {},
      // templates/service.yaml (controller metrics) and templates/webhook-service.yaml; the
      // ServiceMonitor (templates/servicemonitor.yaml) needs the Prometheus Operator CRDs.
      createsServices: true,
      needs: ["monitoring-crds"],
      irsaRoles: this.role ? [this.role] : [],
      dependsOn: props.dependsOn ?? [],
    });
  }
}
