import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { podIdentityClusterFor, podIdentityTrustStatement } from "../pod-identity/pod-identity";
import { PolicyStatement, TrustStatement, policyDocument, trustPolicy } from "./policy-document";

/** The audience EKS-issued service-account tokens carry for AWS STS. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The annotation that tells the EKS pod identity webhook which role a service account assumes. */
export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The trust statement of an IRSA role: only the given service account of the given namespace,
 * with the STS audience, both as `StringEquals` (no wildcards).
 *
 * @param oidcProviderArn ARN of the cluster's IAM OIDC provider
 * @param issuer the cluster's OIDC issuer without `https://`
 * @throws Error when the namespace or service account is not a plain Kubernetes name
 */
export function irsaTrustStatement(
  oidcProviderArn: string,
  issuer: string,
  namespace: string,
  serviceAccount: string,
): TrustStatement {
  for (const [what, value] of [
    ["namespace", namespace],
    ["service account", serviceAccount],
  ] as const) {
    if (!KUBERNETES_NAME.test(value) || value.length > 63) {
      throw new Error(`IRSA ${what} must be an exact Kubernetes name (no wildcards), got "${value}"`);
    }
  }
  return {
    Effect: "Allow",
    Principal: { Federated: oidcProviderArn },
    Action: ["sts:AssumeRoleWithWebIdentity"],
    Condition: {
      StringEquals: {
        [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
        [`${issuer}:aud`]: STS_AUDIENCE,
      },
    },
  };
}

/** Where the cluster's service-account tokens come from. */
export interface OidcIdentity {
  /** ARN of the cluster's `aws_iam_openid_connect_provider`. */
  readonly providerArn: string;
  /** The cluster's OIDC issuer host and path, without `https://`. */
  readonly issuer: string;
}

export interface IrsaRoleProps {
  readonly oidc: OidcIdentity;
  /** Namespace of the service account (exact; no wildcards). */
  readonly namespace: string;
  /** Name of the service account (exact; no wildcards). */
  readonly serviceAccount: string;
  /** IAM role name. */
  readonly roleName: string;
  /**
   * Inline policy statements, scoped to the add-on's own resources.
   * @default - no inline policy
   */
  readonly policyStatements?: readonly PolicyStatement[];
  /**
   * AWS managed policies to attach, by ARN (only where AWS publishes one for exactly this job).
   * @default - none
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Description of the role.
   * @default - "IRSA role of <namespace>/<serviceAccount>"
   */
  readonly description?: string;
}

/**
 * An IAM role for a Kubernetes service account: a trust that names exactly one namespace and
 * service account, and the least-privilege policy the workload needs.
 *
 * IRSA by default. In a stack configured for EKS Pod Identity (`configureWorkloadIdentity`) and for
 * a service account whose add-on supports it (modules/pod-identity/support.ts), the same role (same
 * address: switching is an in-place trust update) trusts `pods.eks.amazonaws.com` for that cluster,
 * namespace and service account, an `aws_eks_pod_identity_association` (`pod-identity`) binds it,
 * and the service account gets no role annotation (with one, the SDK would try IRSA first).
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;
  /** ARN of the role. */
  readonly roleArn: string;
  /** Annotations for the service account (`eks.amazonaws.com/role-arn`); empty on Pod Identity. */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** The Pod Identity association, when the role is used through Pod Identity. */
  readonly podIdentityAssociation?: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const podIdentityCluster = podIdentityClusterFor(scope, props.namespace, props.serviceAccount);
    // Checks the names even on Pod Identity (same rule for both modes).
    const irsaTrust = irsaTrustStatement(props.oidc.providerArn, props.oidc.issuer, props.namespace, props.serviceAccount);
    const trust = podIdentityCluster === undefined ? irsaTrust : podIdentityTrustStatement(podIdentityCluster, props.namespace, props.serviceAccount);
    const kind = podIdentityCluster === undefined ? "IRSA" : "Pod Identity";
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description ?? `${kind} role of ${props.namespace}/${props.serviceAccount}`,
      assumeRolePolicy: trustPolicy([trust]),
    });
    if (props.policyStatements && props.policyStatements.length > 0) {
      new IamRolePolicy(this, "policy", {
        role: this.role.id,
        name: "least-privilege",
        policy: JSON.stringify(policyDocument(props.policyStatements)),
      });
    }
    for (const arn of props.managedPolicyArns ?? []) {
      new IamRolePolicyAttachment(this, `managed-${arn.split("/").pop()}`, { role: this.role.name, policyArn: arn });
    }
    this.roleArn = this.role.arn;
    if (podIdentityCluster === undefined) {
      this.serviceAccountAnnotations = { [ROLE_ARN_ANNOTATION]: this.role.arn };
    } else {
      this.podIdentityAssociation = new EksPodIdentityAssociation(this, "pod-identity", {
        clusterName: podIdentityCluster,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.arn,
      });
      this.serviceAccountAnnotations = {};
    }
  }
}
