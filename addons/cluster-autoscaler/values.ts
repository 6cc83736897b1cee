/**
 * Values of the `cluster-autoscaler` chart 9.59.0 (AWS cloud provider), built from plain inputs (no
 * cdktf). Every key set here exists in that chart version's `values.yaml` (see `chart.ts`).
 */
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import type { Values } from "../../modules/helm/values";
import { assertReplicas, chartServiceAccount } from "../../modules/kubernetes/chart-values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { zoneSpreadFor } from "../../modules/scheduling/replica-placement";

export interface ClusterAutoscalerValuesInput {
  /** Helm release name (part of the pods' `app.kubernetes.io/instance` label). */
  readonly releaseName: string;
  /** Node groups are auto-discovered by the `k8s.io/cluster-autoscaler/<clusterName>` ASG tag. */
  readonly clusterName: string;
  readonly region: string;
  readonly serviceAccountName: string;
  /** Annotations of the service account (the IRSA role ARN). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  readonly replicas: number;
  /** Image tag matching the cluster's Kubernetes minor version. */
  readonly imageTag: string;
  /** Labels of the nodes the autoscaler runs on (e.g. the `system` group). */
  readonly nodeSelector: Readonly<Record<string, string>>;
}

/**
 * Requests of the autoscaler (templates/deployment.yaml: `resources`; the chart only suggests
 * 100m / 300Mi in a comment). Memory grows with the number of nodes and pods it simulates.
 */
export const CLUSTER_AUTOSCALER_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } };

/** The chart's pod selector labels (`cluster-autoscaler.instance-name`, AWS provider). */
export function clusterAutoscalerPodLabels(releaseName: string): Record<string, string> {
  return { "app.kubernetes.io/name": "aws-cluster-autoscaler", "app.kubernetes.io/instance": releaseName };
}

/**
 * Autoscaler values: auto-discovery of this cluster's node groups (EKS tags managed node groups'
 * ASGs with `k8s.io/cluster-autoscaler/enabled` and `k8s.io/cluster-autoscaler/<cluster>`), the
 * region set explicitly (IMDS hop limit 1), IRSA service account, the `least-waste` expander and
 * balanced similar groups, on the `system` nodes.
 */
export function clusterAutoscalerValues(input: ClusterAutoscalerValuesInput): Values {
  assertReplicas("cluster-autoscaler", input.replicas);
  return {
    cloudProvider: "aws",
    awsRegion: input.region,
    autoDiscovery: { clusterName: input.clusterName },
    fullnameOverride: "cluster-autoscaler",
    image: { tag: input.imageTag },
    replicaCount: input.replicas,
    rbac: {
      create: true,
      serviceAccount: chartServiceAccount(input.serviceAccountName, input.serviceAccountAnnotations),
    },
    extraArgs: {
      expander: "least-waste",
      "balance-similar-node-groups": true,
    },
    nodeSelector: { ...input.nodeSelector },
    tolerations: [CRITICAL_ADDONS_TOLERATION],
    resources: CLUSTER_AUTOSCALER_RESOURCES,
    // ScheduleAnyway: a pending autoscaler cannot add the capacity it waits for.
    topologySpreadConstraints: zoneSpreadFor(input.replicas, clusterAutoscalerPodLabels(input.releaseName), "ScheduleAnyway"),
    podDisruptionBudget: { maxUnavailable: 1 },
  };
}
