/**
 * Values of metrics-server 3.13.1, built from plain inputs. Every key exists in the pinned chart's
 * values.yaml (see `METRICS_SERVER_CHART.source`). The chart's defaults are kept otherwise: its
 * `priorityClassName: system-cluster-critical`, the kubelet address preference and the self-signed
 * serving certificate of the APIService.
 */
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import type { Values } from "../../modules/helm/values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { isReplicated, preferDifferentNodes, zoneSpreadFor } from "../../modules/scheduling/replica-placement";

/** Helm release name. */
export const METRICS_SERVER_RELEASE = "metrics-server";

/** Selector labels of the chart's pods (`metrics-server.selectorLabels`). */
export const METRICS_SERVER_POD_LABELS = {
  "app.kubernetes.io/name": "metrics-server",
  "app.kubernetes.io/instance": METRICS_SERVER_RELEASE,
} as const;

/**
 * Requests of metrics-server: the chart's own default requests (values.yaml `resources`), set
 * explicitly so that the rule "every workload on the system nodes sets requests" reads them here,
 * with a memory limit.
 */
export const METRICS_SERVER_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } };

export interface MetricsServerValuesInput {
  /** Replicas; more than one are spread across AZs with a PodDisruptionBudget. */
  readonly replicas: number;
}

/** The typed values of the release. */
export function metricsServerValues(input: MetricsServerValuesInput): Values {
  const ha = isReplicated(input.replicas);
  return {
    replicas: input.replicas,
    podDisruptionBudget: ha ? { enabled: true, minAvailable: 1 } : { enabled: false },
    topologySpreadConstraints: zoneSpreadFor(input.replicas, METRICS_SERVER_POD_LABELS),
    affinity: ha ? preferDifferentNodes(METRICS_SERVER_POD_LABELS) : {},
    tolerations: [CRITICAL_ADDONS_TOLERATION],
    resources: METRICS_SERVER_RESOURCES,
  };
}
