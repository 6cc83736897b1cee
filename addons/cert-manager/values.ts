/**
 * Values of the `cert-manager` chart v1.21.1, built from plain inputs (no cdktf). Every key set here
 * exists in that chart version's `values.yaml` / `values.schema.json` (see `chart.ts`).
 */
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import type { Values } from "../../modules/helm/values";
import { assertReplicas, chartServiceAccount } from "../../modules/kubernetes/chart-values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { isReplicated, zoneSpreadFor } from "../../modules/scheduling/replica-placement";

/**
 * The pod `fsGroup` cert-manager's Route 53 guide sets when the controller uses IRSA, so that the
 * non-root controller can read the projected web-identity token
 * (cert-manager/website `content/docs/configuration/acme/dns01/route53.md`, "EKS IAM Role for
 * Service Accounts (IRSA)").
 */
export const IRSA_FS_GROUP = 1001;

/**
 * Requests of each component (the chart sets none): `resources`, `webhook.resources`,
 * `cainjector.resources` and `startupapicheck.resources`, read by templates/deployment.yaml,
 * webhook-deployment.yaml, cainjector-deployment.yaml and startupapicheck-job.yaml. The controller
 * and the CA injector cache certificates and secrets, hence their larger memory limits.
 */
export const CERT_MANAGER_RESOURCES = {
  controller: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  webhook: { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "128Mi" } },
  cainjector: { requests: { cpu: "25m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  startupapicheck: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
} as const satisfies Record<string, ContainerResources>;

export interface CertManagerValuesInput {
  /** Helm release name (part of the pods' `app.kubernetes.io/instance` label). */
  readonly releaseName: string;
  /** Name of the controller's service account. */
  readonly serviceAccountName: string;
  /**
   * Annotations of the controller's service account (the IRSA role ARN); empty when the controller
   * has no AWS identity.
   */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Replicas of the controller, the webhook and the CA injector. */
  readonly replicas: number;
}

/** The pod labels of one cert-manager component (`app.kubernetes.io/name` is the component's chart name). */
export function certManagerPodLabels(releaseName: string, component: "controller" | "webhook" | "cainjector"): Record<string, string> {
  const name = component === "controller" ? "cert-manager" : component;
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": releaseName, "app.kubernetes.io/component": component };
}

/**
 * cert-manager values: CRDs installed and upgraded by the chart and kept on uninstall, the
 * controller's service account named explicitly (with the IRSA role and `fsGroup` when given),
 * every component tolerating the `system` taint, spread across AZs with a PDB when replicated.
 */
export function certManagerValues(input: CertManagerValuesInput): Values {
  assertReplicas("cert-manager", input.replicas);
  const irsa = Object.keys(input.serviceAccountAnnotations).length > 0;
  const pdb = isReplicated(input.replicas) ? { enabled: true, maxUnavailable: 1 } : { enabled: false };
  const component = (name: "webhook" | "cainjector") => ({
    replicaCount: input.replicas,
    tolerations: [CRITICAL_ADDONS_TOLERATION],
    resources: CERT_MANAGER_RESOURCES[name],
    topologySpreadConstraints: zoneSpreadFor(input.replicas, certManagerPodLabels(input.releaseName, name)),
    podDisruptionBudget: pdb,
  });
  return {
    crds: { enabled: true, keep: true },
    replicaCount: input.replicas,
    serviceAccount: chartServiceAccount(input.serviceAccountName, input.serviceAccountAnnotations),
    // The chart's default pod security context, plus the IRSA fsGroup.
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
      ...(irsa ? { fsGroup: IRSA_FS_GROUP } : {}),
    },
    tolerations: [CRITICAL_ADDONS_TOLERATION],
    resources: CERT_MANAGER_RESOURCES.controller,
    topologySpreadConstraints: zoneSpreadFor(input.replicas, certManagerPodLabels(input.releaseName, "controller")),
    podDisruptionBudget: pdb,
    webhook: component("webhook"),
    cainjector: component("cainjector"),
    startupapicheck: { tolerations: [CRITICAL_ADDONS_TOLERATION], resources: CERT_MANAGER_RESOURCES.startupapicheck },
    // Metrics of the controller, webhook and CA injector (templates/servicemonitor.yaml selects all
    // three); created after the Prometheus Operator CRDs (the release declares `monitoring-crds`).
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
  };
}
