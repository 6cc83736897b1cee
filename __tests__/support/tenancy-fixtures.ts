/**
 * Terraform JSON fixtures of the tenancy guardrails (modules/guardrails/tenancy-rules.ts): one team
 * namespace with everything the platform gives it, to break one part at a time, and a Pod Identity
 * role trust.
 */
type Resources = Record<string, Record<string, Record<string, any>>>;

const NS = "${kubernetes_namespace_v1.ns.metadata[0].name}";

/** Which part of a team namespace to leave out or change. */
export interface TeamNamespaceVariant {
  readonly psa?: boolean;
  readonly quota?: boolean;
  readonly limitRange?: boolean;
  /** The default-deny policy: absent, or allowing some ingress. */
  readonly defaultDeny?: "yes" | "missing" | "allows-ingress";
  readonly automount?: boolean | "missing";
  /** ClusterRole of the team's RoleBinding. */
  readonly role?: string;
  /** A ClusterRoleBinding of the team's group. */
  readonly clusterBinding?: boolean;
}

/** A team namespace (`kubernetes_namespace_v1.ns`) and its objects, compliant unless `v` says otherwise. */
export function teamNamespaceResources(v: TeamNamespaceVariant = {}): Resources {
  const labels: Record<string, string> = { "platform.example.com/team": "payments" };
  if (v.psa !== false) labels["pod-security.kubernetes.io/enforce"] = "restricted";
  const group = { api_group: "rbac.authorization.k8s.io", kind: "Group", name: "oidc:team-payments" };
  const deny = v.defaultDeny ?? "yes";
  const resources: Resources = {
    kubernetes_namespace_v1: { ns: { metadata: { name: "payments", labels } } },
    kubernetes_network_policy_v1: {
      dns: { metadata: { name: "allow-dns", namespace: NS }, spec: { pod_selector: {}, policy_types: ["Egress"], egress: [{ to: [{ ip_block: { cidr: "10.0.0.0/8" } }] }] } },
      ...(deny === "missing"
        ? {}
        : {
            deny: {
              metadata: { name: "default-deny", namespace: NS },
              spec: { pod_selector: {}, policy_types: ["Ingress", "Egress"], ...(deny === "allows-ingress" ? { ingress: [{ from: [{ pod_selector: {} }] }] } : {}) },
            },
          }),
    },
    kubernetes_role_binding_v1: {
      rb: { metadata: { name: "team", namespace: NS }, role_ref: { api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: v.role ?? "edit" }, subject: [group] },
    },
  };
  if (v.quota !== false) resources["kubernetes_resource_quota_v1"] = { q: { metadata: { name: "q", namespace: NS }, spec: { hard: { pods: "10" } } } };
  if (v.limitRange !== false) resources["kubernetes_limit_range_v1"] = { l: { metadata: { name: "l", namespace: NS }, spec: { limit: [{ type: "Container" }] } } };
  if (v.automount !== "missing") {
    resources["kubernetes_default_service_account_v1"] = { sa: { metadata: { namespace: NS }, automount_service_account_token: v.automount ?? false } };
  }
  if (v.clusterBinding) {
    resources["kubernetes_cluster_role_binding_v1"] = {
      crb: { metadata: { name: "x" }, role_ref: { api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subject: [group] },
    };
  }
  return resources;
}

/** An IAM role trusting pods.eks.amazonaws.com with the given StringEquals condition. */
export function podIdentityRole(stringEquals: Record<string, unknown>): Resources {
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"], Condition: { StringEquals: stringEquals } }],
  };
  return { aws_iam_role: { r: { assume_role_policy: JSON.stringify(trust) } } };
}

/** The exact session-tag condition of a Pod Identity role. */
export const EXACT_POD_IDENTITY_TAGS = {
  "aws:RequestTag/eks-cluster-name": "eks-idp-dev",
  "aws:RequestTag/kubernetes-namespace": "kube-system",
  "aws:RequestTag/kubernetes-service-account": "karpenter",
};
