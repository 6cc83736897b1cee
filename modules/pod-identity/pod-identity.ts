/**
 * EKS Pod Identity as the alternative to IRSA: the role trust and the per-stack setting that
 * `IrsaRole` reads (modules/irsa/irsa-role.ts), so that every add-on role follows the environment's
 * `cluster.workloadIdentity` without the add-ons knowing about it.
 */
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import type { TrustStatement } from "../irsa/policy-document";
import { podIdentitySupported } from "./support";

/** The service principal of EKS Pod Identity. */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/**
 * The trust of a Pod Identity role (EKS User Guide, "Create IAM role with trust policy required by
 * EKS Pod Identity": `sts:AssumeRole` and `sts:TagSession` for `pods.eks.amazonaws.com`), limited by
 * the session tags EKS sets to the one cluster, namespace and service account the association
 * names (same page, "Setting Conditions"; tags from "Enable or disable session tags"), so a second
 * association to this role elsewhere in the account cannot use it.
 */
export function podIdentityTrustStatement(clusterName: string, namespace: string, serviceAccount: string): TrustStatement {
  return {
    Effect: "Allow",
    Principal: { Service: POD_IDENTITY_PRINCIPAL },
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Condition: {
      StringEquals: {
        "aws:RequestTag/eks-cluster-name": clusterName,
        "aws:RequestTag/kubernetes-namespace": namespace,
        "aws:RequestTag/kubernetes-service-account": serviceAccount,
      },
    },
  };
}

/** How the roles of one stack's workloads are assumed. */
export interface WorkloadIdentitySetting {
  readonly mode: "irsa" | "pod-identity";
  /** The cluster the associations are created in. */
  readonly clusterName: string;
}

const SETTINGS = new WeakMap<TerraformStack, WorkloadIdentitySetting>();

/** Sets the mode of `stack` (once, before its roles are created). */
export function configureWorkloadIdentity(stack: TerraformStack, setting: WorkloadIdentitySetting): void {
  if (SETTINGS.has(stack)) throw new Error(`stack ${stack.node.id} already has a workload identity setting`);
  SETTINGS.set(stack, setting);
}

/**
 * The cluster to associate `namespace/serviceAccount` in when the stack of `scope` runs on Pod
 * Identity and the service account supports it (modules/pod-identity/support.ts); undefined means
 * IRSA (no setting, `irsa` mode, or an add-on that cannot use Pod Identity).
 */
export function podIdentityClusterFor(scope: IConstruct, namespace: string, serviceAccount: string): string | undefined {
  const setting = SETTINGS.get(TerraformStack.of(scope));
  if (setting?.mode !== "pod-identity" || !podIdentitySupported(namespace, serviceAccount)) return undefined;
  return setting.clusterName;
}
