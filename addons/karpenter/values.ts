/**
 * Values of the `karpenter` chart 1.14.1, built from plain inputs (no cdktf). Every key set here
 * exists in that chart version's `values.yaml` (see `chart.ts`). Karpenter v1 has no
 * `settings.aws.*`: the cluster and the interruption queue are `settings.clusterName` and
 * `settings.interruptionQueue`.
 */
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import type { Values } from "../../modules/helm/values";
import { assertReplicas, chartServiceAccount } from "../../modules/kubernetes/chart-values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { zoneSpreadFor } from "../../modules/scheduling/replica-placement";
import type { PodNetworkingMode } from "../../modules/network/max-pods";

/**
 * The kubelet max pods EKS recommends for instances with at most 30 vCPUs, used as the static max
 * pods of Karpenter nodes under prefix delegation (see {@link karpenterPodDensity}).
 */
export const PREFIX_DELEGATION_MAX_PODS = 110;

/** How Karpenter must count pods per node for the VPC CNI mode of the cluster. */
export interface KarpenterPodDensity {
  /** `settings.reservedENIs`: ENIs left out of Karpenter's max-pods computation. */
  readonly reservedENIs: string;
  /** `EC2NodeClass.spec.kubelet.maxPods`, when Karpenter's ENI-based default is wrong. */
  readonly maxPods?: number;
}

/**
 * Pod density of Karpenter nodes, consistent with the managed node groups (`modules/network/max-pods`):
 * - `secondary-ip`: Karpenter's own ENI-based max pods is right as is;
 * - `custom-networking`: the primary ENI carries no pods, so one ENI is reserved (`RESERVED_ENIS=1`,
 *   as Karpenter's NodeClass docs advise for custom networking);
 * - `prefix-delegation`: Karpenter does not know about prefixes and would under-count, so max pods
 *   is set to EKS's 110 ceiling; the default NodePool only allows Nitro instances with at least
 *   4 vCPUs (4+ ENIs, so at least 4 × 14 × 16 + 2 = 898 addresses), which all reach it.
 */
export function karpenterPodDensity(mode: PodNetworkingMode): KarpenterPodDensity {
  switch (mode) {
    case "secondary-ip":
      return { reservedENIs: "0" };
    case "custom-networking":
      return { reservedENIs: "1" };
    case "prefix-delegation":
      return { reservedENIs: "0", maxPods: PREFIX_DELEGATION_MAX_PODS };
  }
}

export interface KarpenterValuesInput {
  /** Helm release name (part of the pods' `app.kubernetes.io/instance` label). */
  readonly releaseName: string;
  readonly clusterName: string;
  /** Name of the SQS interruption queue. */
  readonly interruptionQueueName: string;
  readonly serviceAccountName: string;
  /** Annotations of the service account (the IRSA role ARN). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  readonly replicas: number;
  /**
   * Labels of the managed nodes the controller must run on (never on nodes it launches itself;
   * the chart's default affinity also keeps it off nodes that carry `karpenter.sh/nodepool`).
   */
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly podNetworking: PodNetworkingMode;
}

/** Requests of the controller (the chart sets none); memory limited to what is requested. */
export const CONTROLLER_RESOURCES: ContainerResources = {
  requests: { cpu: "500m", memory: "1Gi" },
  limits: { memory: "1Gi" },
};

/** The chart's pod selector labels (`karpenter.selectorLabels`). */
export function karpenterPodLabels(releaseName: string): Record<string, string> {
  return { "app.kubernetes.io/name": "karpenter", "app.kubernetes.io/instance": releaseName };
}

/**
 * Controller values: cluster and interruption queue, IRSA service account, replicas on the
 * `system` managed nodes (toleration + node selector), spread across AZs when replicated.
 */
export function karpenterValues(input: KarpenterValuesInput): Values {
  assertReplicas("karpenter", input.replicas);
  return {
    replicas: input.replicas,
    serviceAccount: chartServiceAccount(input.serviceAccountName, input.serviceAccountAnnotations),
    nodeSelector: { "kubernetes.io/os": "linux", ...input.nodeSelector },
    tolerations: [CRITICAL_ADDONS_TOLERATION],
    // ScheduleAnyway (the chart defaults to DoNotSchedule): the controller runs on managed nodes
    // nobody scales for it, and a replica waiting for its own zone could fail the atomic release.
    // The chart's required anti-affinity still keeps replicas on different nodes.
    topologySpreadConstraints: zoneSpreadFor(input.replicas, karpenterPodLabels(input.releaseName), "ScheduleAnyway"),
    controller: { resources: CONTROLLER_RESOURCES },
    // templates/servicemonitor.yaml renders only where the API serves monitoring.coreos.com/v1: the
    // release declares `monitoring-crds`, so it installs after kube-prometheus-stack.
    serviceMonitor: { enabled: true },
    settings: {
      clusterName: input.clusterName,
      interruptionQueue: input.interruptionQueueName,
      reservedENIs: karpenterPodDensity(input.podNetworking).reservedENIs,
    },
  };
}
