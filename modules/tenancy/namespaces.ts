/**
 * Namespaces the platform itself uses: Kubernetes' own and those of the add-ons' releases. No team
 * may own one (validation), and the admission policies exempt them by name (addons/gatekeeper):
 * the one list of exemptions. A test compares it with the namespaces of every synthesized release.
 */
import { ISTIO_INGRESS_NAMESPACE, ISTIO_NAMESPACE } from "../../addons/istio/contract";

export const KUBERNETES_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"] as const;

/** Namespace of OPA Gatekeeper (addons/gatekeeper). */
export const GATEKEEPER_NAMESPACE = "gatekeeper-system";

/** Namespace of the monitoring stack, whose Prometheus scrapes team pods. */
export const MONITORING_NAMESPACE = "monitoring";

/** Every namespace of the platform, sorted. */
export const PLATFORM_NAMESPACES: readonly string[] = [
  ...KUBERNETES_NAMESPACES,
  GATEKEEPER_NAMESPACE,
  MONITORING_NAMESPACE,
  "argocd",
  "cert-manager",
  "external-dns",
  "external-secrets",
  ISTIO_INGRESS_NAMESPACE,
  ISTIO_NAMESPACE,
  "keycloak",
  "logging",
  "loki",
  "tracing",
  "velero",
].sort();

/** Whether `namespace` belongs to the platform. */
export function isPlatformNamespace(namespace: string): boolean {
  return PLATFORM_NAMESPACES.includes(namespace);
}
