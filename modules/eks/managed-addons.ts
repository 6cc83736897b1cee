import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IrsaRole, OidcIdentity } from "../irsa/irsa-role";
import { addonVersion, ManagedAddonName } from "./data/kubernetes-versions";

export interface ManagedAddonProps {
  readonly clusterName: string;
  readonly addonName: ManagedAddonName;
  /** Kubernetes version of the cluster; picks the pinned add-on version. */
  readonly kubernetesVersion: string;
  /**
   * Add-on configuration, JSON-encoded into `configuration_values`.
   * @default - the add-on's defaults
   */
  readonly configuration?: Readonly<Record<string, unknown>>;
  /**
   * IRSA role of the add-on's service account.
   * @default - none
   */
  readonly serviceAccountRoleArn?: string;
  /**
   * Resources the add-on must wait for (e.g. node groups for add-ons that run Deployments).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * An EKS managed add-on at the version pinned for the cluster's Kubernetes version (never
 * `most_recent`). It refers to the cluster by name, so Terraform upgrades the control plane first
 * and the add-on after it; conflicts are resolved in favour of the configuration here.
 */
export class ManagedAddon extends Construct {
  readonly addon: EksAddon;

  constructor(scope: Construct, id: string, props: ManagedAddonProps) {
    super(scope, id);
    this.addon = new EksAddon(this, "addon", {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: addonVersion(props.addonName, props.kubernetesVersion),
      configurationValues: props.configuration ? JSON.stringify(props.configuration) : undefined,
      serviceAccountRoleArn: props.serviceAccountRoleArn,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}

/** The namespace and service account of the add-ons that get an IRSA role. */
export const ADDON_SERVICE_ACCOUNTS = {
  "vpc-cni": { namespace: "kube-system", serviceAccount: "aws-node", managedPolicy: "AmazonEKS_CNI_Policy" },
  "aws-ebs-csi-driver": {
    namespace: "kube-system",
    serviceAccount: "ebs-csi-controller-sa",
    managedPolicy: "service-role/AmazonEBSCSIDriverPolicy",
  },
} as const;

/** The IRSA role of a managed add-on, with the one managed policy AWS publishes for it. */
export function addonIrsaRole(
  scope: Construct,
  addon: keyof typeof ADDON_SERVICE_ACCOUNTS,
  props: { readonly oidc: OidcIdentity; readonly roleName: string; readonly partition: string },
): IrsaRole {
  const sa = ADDON_SERVICE_ACCOUNTS[addon];
  return new IrsaRole(scope, `${addon}-irsa`, {
    oidc: props.oidc,
    namespace: sa.namespace,
    serviceAccount: sa.serviceAccount,
    roleName: props.roleName,
    managedPolicyArns: [`arn:${props.partition}:iam::aws:policy/${sa.managedPolicy}`],
    description: `${addon} add-on (${sa.namespace}/${sa.serviceAccount})`,
  });
}
