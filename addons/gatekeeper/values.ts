/**
 * Values of the Gatekeeper chart 3.23.0 (keys as in charts/gatekeeper/values.yaml at the pinned
 * commit): the webhook replicas and the audit on the system nodes, spread across zones.
 */
import { CRITICAL_ADDONS_TOLERATION, zoneSpread } from "../context";
import type { Values } from "../../modules/helm/values";

/**
 * The validating webhook's failure policy: `Ignore` (fail open). With `Fail`, an outage of the
 * webhook (every replica down, a bad upgrade) would block every create and update the webhook sees,
 * the platform's own controllers included, until someone deletes the webhook configuration by hand.
 * Fail-closed protection of the pod security controls comes from Pod Security Admission instead
 * (built into the API server, `restricted` enforced in prod: modules/tenancy/plan.ts), and the
 * audit (every 60 s) finds what was admitted while the webhook was away, with an alert in prod.
 */
export const WEBHOOK_FAILURE_POLICY = "Ignore";

export interface GatekeeperValuesInput {
  /** Webhook replicas (2 or more: they are spread across zones with a PodDisruptionBudget of 1). */
  readonly replicas: number;
  /** Node labels of the system node group. */
  readonly nodeSelector: Readonly<Record<string, string>>;
}

/** Labels of the webhook pods as the chart sets them (gatekeeper-controller-manager-deployment.yaml). */
export const CONTROLLER_POD_LABELS = { "control-plane": "controller-manager", "gatekeeper.sh/operation": "webhook" } as const;

/** The chart's own requests and limits of the webhook and the audit (values.yaml), made explicit. */
export const SERVER_RESOURCES = { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "512Mi" } } as const;
/** The post-install job (namespace label, webhook probe) and the CRD upgrade hook: short-lived kubectl/curl runs. */
export const JOB_RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } } as const;

/** The chart values. */
export function gatekeeperValues(input: GatekeeperValuesInput): Values {
  if (!Number.isInteger(input.replicas) || input.replicas < 2) {
    throw new Error(`gatekeeper: the webhook needs at least 2 replicas to stay available, got ${input.replicas}`);
  }
  const placement = {
    nodeSelector: { "kubernetes.io/os": "linux", ...input.nodeSelector },
    tolerations: [CRITICAL_ADDONS_TOLERATION],
  };
  return {
    replicas: input.replicas,
    validatingWebhookFailurePolicy: WEBHOOK_FAILURE_POLICY,
    // Audit results per constraint in its status, and as the gatekeeper_violations metric.
    auditInterval: 60,
    metricsBackends: ["prometheus"],
    // The platform uses validation only; no mutation webhook to reason about.
    disableMutation: true,
    controllerManager: { ...placement, resources: SERVER_RESOURCES, topologySpreadConstraints: zoneSpread(CONTROLLER_POD_LABELS) },
    // One audit replica: a periodic scan (leader-less, restarted by its Deployment); admission is the webhook's.
    audit: { ...placement, resources: SERVER_RESOURCES },
    // Hook jobs (templates/namespace-post-install.yaml, upgrade-crds-hook.yaml) on the system nodes too.
    postInstall: { ...placement, resources: JOB_RESOURCES },
    crds: { ...placement, resources: JOB_RESOURCES },
    pdb: { controllerManager: { minAvailable: 1 } },
  };
}
