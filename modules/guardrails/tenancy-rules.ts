/**
 * Guardrails of the tenancy layer (modules/tenancy, modules/pod-identity): every team namespace has
 * its quota, limit range, default-deny network policy, Pod Security labels and a non-automounting
 * default service account; no team subject gets cluster-wide rights; a Pod Identity role trusts
 * exactly one cluster, namespace and service account. Pure functions over the resolved JSON.
 */
import { TEAM_LABEL } from "../tenancy/plan";
import type { Finding, Rule, RuleContext } from "./rules";
import { asList, block, blocks, refersTo, ResourceView, statementsOf } from "./terraform-json";

/** The Pod Security Admission label every team namespace must set. */
export const PSA_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
/** ClusterRoles a team may be bound to in its namespaces. */
export const TEAM_CLUSTER_ROLES = ["admin", "edit", "view"] as const;

const ofType = (ctx: RuleContext, ...types: string[]) => ctx.resources.filter((r) => types.includes(r.type));
const metadataOf = (r: ResourceView) => block(r.config.metadata) ?? {};

/** Team namespaces: `kubernetes_namespace_v1` with the team label. */
export function teamNamespaces(ctx: RuleContext): ResourceView[] {
  return ofType(ctx, "kubernetes_namespace_v1").filter((r) => Object.hasOwn(metadataOf(r).labels ?? {}, TEAM_LABEL));
}

/** Resources of `type` in the namespace `ns` (metadata.namespace references it, or names it). */
function inNamespace(ctx: RuleContext, ns: ResourceView, ...types: string[]): ResourceView[] {
  const name = metadataOf(ns).name;
  return ofType(ctx, ...types).filter((r) => {
    const namespace = metadataOf(r).namespace;
    return refersTo(namespace, ns.address) || (typeof name === "string" && namespace === name);
  });
}

/** A NetworkPolicy that selects every pod and allows nothing in either direction. */
export function isDefaultDeny(policy: ResourceView): boolean {
  const spec = block(policy.config.spec) ?? {};
  const selector = block(spec.pod_selector) ?? {};
  const selectsAll = Object.keys(selector).every((k) => {
    const v = selector[k];
    return v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
  });
  const types = asList(spec.policy_types);
  return selectsAll && types.includes("Ingress") && types.includes("Egress") && blocks(spec.ingress).length === 0 && blocks(spec.egress).length === 0;
}

const finding = (resource: ResourceView, message: string): Finding => ({ resource, message });

/** Subjects (`Kind/name`) of a (cluster) role binding. */
function subjectsOf(binding: ResourceView): string[] {
  return blocks(binding.config.subject).map((s) => `${s.kind}/${s.name}`);
}

export const TENANCY_RULES: readonly Rule[] = [
  {
    id: "TEAM-NAMESPACE-BASELINE",
    // checkov has no check of these resources that this rule implies.
    checkov: [],
    rationale: "A team namespace is isolated and bounded from its first pod: quota, limit range, default-deny network policy, Pod Security labels, no default token.",
    fix: "Create team namespaces with TeamNamespaces (modules/tenancy) from cluster.access.teams; do not create them by hand.",
    check: (ctx) =>
      teamNamespaces(ctx).flatMap((ns) => {
        const missing: string[] = [];
        if (!metadataOf(ns).labels?.[PSA_ENFORCE_LABEL]) missing.push(`the ${PSA_ENFORCE_LABEL} label`);
        if (inNamespace(ctx, ns, "kubernetes_resource_quota_v1").length === 0) missing.push("a ResourceQuota");
        if (inNamespace(ctx, ns, "kubernetes_limit_range_v1").length === 0) missing.push("a LimitRange");
        if (!inNamespace(ctx, ns, "kubernetes_network_policy_v1").some(isDefaultDeny)) missing.push("a default-deny NetworkPolicy");
        const defaultSa = inNamespace(ctx, ns, "kubernetes_default_service_account_v1");
        if (!defaultSa.some((sa) => sa.config.automount_service_account_token === false)) {
          missing.push("a default service account with automount_service_account_token = false");
        }
        return missing.length > 0 ? [finding(ns, `team namespace without ${missing.join(", ")}`)] : [];
      }),
  },
  {
    id: "TEAM-NO-CLUSTER-RIGHTS",
    // checkov has no check of these resources that this rule implies.
    checkov: [],
    rationale: "Team roles hold rights in their namespaces only: admin, edit or view through a RoleBinding, never a ClusterRoleBinding.",
    fix: "Give teams rights per namespace in cluster.access.teams (admin, edit, view); cluster-wide access is for cluster.access.admins and viewers.",
    check: (ctx) => {
      const findings: Finding[] = [];
      const teamSubjects = new Set<string>();
      for (const ns of teamNamespaces(ctx)) {
        for (const binding of inNamespace(ctx, ns, "kubernetes_role_binding_v1", "kubernetes_role_binding")) {
          subjectsOf(binding).forEach((s) => teamSubjects.add(s));
          const ref = block(binding.config.role_ref) ?? {};
          if (ref.kind !== "ClusterRole" || !(TEAM_CLUSTER_ROLES as readonly string[]).includes(String(ref.name))) {
            findings.push(finding(binding, `binds ${ref.kind}/${ref.name} in a team namespace (only ClusterRole admin, edit or view)`));
          }
        }
      }
      for (const binding of ofType(ctx, "kubernetes_cluster_role_binding_v1", "kubernetes_cluster_role_binding")) {
        const shared = subjectsOf(binding).filter((s) => teamSubjects.has(s));
        if (shared.length > 0) findings.push(finding(binding, `gives the team subjects ${shared.join(", ")} cluster-wide rights`));
      }
      return findings;
    },
  },
  {
    id: "POD-IDENTITY-TRUST-EXACT",
    // checkov has no check of these resources that this rule implies.
    checkov: [],
    rationale: "A Pod Identity role trusts one cluster, namespace and service account (session tags), like an IRSA role trusts one subject.",
    fix: "Use IrsaRole in a stack on Pod Identity (podIdentityTrustStatement: StringEquals aws:RequestTag/eks-cluster-name, kubernetes-namespace, kubernetes-service-account).",
    check: (ctx) =>
      ofType(ctx, "aws_iam_role").flatMap((r) =>
        statementsOf(r.config.assume_role_policy)
          .filter((s) => asList(s.Principal?.Service).includes("pods.eks.amazonaws.com"))
          .flatMap((s) => {
            const equals: Record<string, unknown> = s.Condition?.StringEquals ?? {};
            const loose = ["eks-cluster-name", "kubernetes-namespace", "kubernetes-service-account"].filter((tag) => {
              const values = asList(equals[`aws:RequestTag/${tag}`]);
              return values.length !== 1 || values[0]!.includes("*");
            });
            return loose.length > 0 ? [finding(r, `trusts pods.eks.amazonaws.com without one exact ${loose.join(", ")}`)] : [];
          }),
      ),
  },
];
