/**
 * Which add-on service accounts may use EKS Pod Identity, with the source that says their AWS SDK
 * can. A workload gets Pod Identity credentials only through the SDK's container credential
 * provider, which needs at least the SDK versions AWS lists (EKS User Guide, "Use pod identity with
 * the AWS SDK", https://docs.aws.amazon.com/eks/latest/userguide/pod-id-minimum-sdk.html: Go v1
 * v1.47.11, Go v2 release-2023-11-14, boto3 1.34.41, AWS CLI 2.15.0, ...). A service account not
 * listed here, or listed as unsupported, stays on IRSA in an environment with
 * `cluster.workloadIdentity: "pod-identity"`.
 *
 * Not listed, on purpose: the External Secrets stores (the operator asks for a token of the store's
 * service account, `auth.jwt.serviceAccountRef`, and calls AssumeRoleWithWebIdentity itself, which
 * only an IRSA trust accepts), and add-ons without a source yet (Fluent Bit, Jaeger, Prometheus,
 * Grafana, the OpenSearch retention job).
 *
 * Keys are `<namespace>/<serviceAccount>` as the add-ons name them (a test checks each key against
 * the add-on's constants).
 */

export interface PodIdentitySupport {
  /** Whether the add-on authenticates through the SDK's default chain with a new enough SDK. */
  readonly supported: boolean;
  /** Where that is shown (or why it is not). */
  readonly source: string;
}

/** terraform-aws-modules' Pod Identity module ships a role for the add-on (README, resources table). */
const TF_POD_IDENTITY_MODULE =
  "terraform-aws-modules/terraform-aws-eks-pod-identity@066da8cead55bfab8da86047e9426991b5c62a63 README.md (a Pod Identity role and policy for this add-on)";

export const POD_IDENTITY_SUPPORT: Readonly<Record<string, PodIdentitySupport>> = {
  "kube-system/aws-load-balancer-controller": { supported: true, source: TF_POD_IDENTITY_MODULE },
  "kube-system/karpenter": {
    supported: true,
    source: `${TF_POD_IDENTITY_MODULE}; aws-ia/terraform-aws-eks-blueprints PR #1942 (Karpenter with EKS Pod Identity)`,
  },
  "kube-system/cluster-autoscaler": { supported: true, source: TF_POD_IDENTITY_MODULE },
  "cert-manager/cert-manager": { supported: true, source: TF_POD_IDENTITY_MODULE },
  "external-dns/external-dns": { supported: true, source: TF_POD_IDENTITY_MODULE },
  "velero/velero-server": { supported: true, source: TF_POD_IDENTITY_MODULE },
};

/** Whether the service account may use Pod Identity (listed and supported). */
export function podIdentitySupported(namespace: string, serviceAccount: string): boolean {
  return POD_IDENTITY_SUPPORT[`${namespace}/${serviceAccount}`]?.supported === true;
}
