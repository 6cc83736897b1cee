/**
 * Values of the `aws-load-balancer-controller` chart 3.5.0, built from plain inputs (no cdktf).
 * Every key set here exists in that chart version's `values.yaml` (see `chart.ts` for the source).
 */
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import type { Values } from "../../modules/helm/values";
import { assertReplicas, chartServiceAccount } from "../../modules/kubernetes/chart-values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { isReplicated, zoneSpreadFor } from "../../modules/scheduling/replica-placement";

export interface AwsLoadBalancerControllerValuesInput {
  /** Helm release name (part of the pods' `app.kubernetes.io/instance` label). */
  readonly releaseName: string;
  readonly clusterName: string;
  /** Set explicitly: with an IMDSv2 hop limit of 1 the controller cannot read it from the node. */
  readonly region: string;
  /** Set explicitly, for the same reason as `region`. */
  readonly vpcId: string;
  readonly serviceAccountName: string;
  /** Annotations of the service account (the IRSA role ARN). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  readonly replicas: number;
  /** Tags on every AWS resource the controller creates (load balancers, target groups, security groups). */
  readonly defaultTags: Readonly<Record<string, string>>;
}

/** The chart's pod selector labels (`aws-load-balancer-controller.selectorLabels`). */
export function awsLoadBalancerControllerPodLabels(releaseName: string): Record<string, string> {
  return { "app.kubernetes.io/name": "aws-load-balancer-controller", "app.kubernetes.io/instance": releaseName };
}

/**
 * Requests of the controller (templates/deployment.yaml: `resources`; the chart sets none). Memory
 * grows with the Ingresses, Services and TargetGroupBindings it watches.
 */
export const CONTROLLER_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } };

/** Container port of the controller's metrics (templates/deployment.yaml, `metricsBindAddr` unset: 8080). */
export const METRICS_PORT_NAME = "metrics-server";

/**
 * A PodMonitor (in the form of kube-prometheus-stack's `prometheus.additionalPodMonitors`) scraping
 * the controller's metrics. It is created by kube-prometheus-stack rather than by this chart's
 * `serviceMonitor`: kube-prometheus-stack's own Services need this controller's webhook first, so the
 * controller cannot in turn wait for the monitoring CRDs.
 */
export function awsLoadBalancerControllerPodMonitor(releaseName: string, namespace: string) {
  return {
    name: "aws-load-balancer-controller",
    namespaceSelector: { matchNames: [namespace] },
    selector: { matchLabels: awsLoadBalancerControllerPodLabels(releaseName) },
    podMetricsEndpoints: [{ port: METRICS_PORT_NAME, path: "/metrics" }],
  };
}

/**
 * Controller values: cluster, region and VPC set explicitly; IRSA service account; replicas spread
 * across AZs (the chart's default anti-affinity keeps them on different nodes) with a PDB; tolerates
 * the `system` node group's taint.
 */
export function awsLoadBalancerControllerValues(input: AwsLoadBalancerControllerValuesInput): Values {
  assertReplicas("aws-load-balancer-controller", input.replicas);
  return {
    clusterName: input.clusterName,
    region: input.region,
    vpcId: input.vpcId,
    replicaCount: input.replicas,
    serviceAccount: chartServiceAccount(input.serviceAccountName, input.serviceAccountAnnotations),
    tolerations: [CRITICAL_ADDONS_TOLERATION],
    resources: CONTROLLER_RESOURCES,
    // ScheduleAnyway: the controller installs before the node autoscaler (whose Service its webhook
    // must admit), so a replica must never wait for capacity that only the autoscaler could add.
    topologySpreadConstraints: zoneSpreadFor(input.replicas, awsLoadBalancerControllerPodLabels(input.releaseName), "ScheduleAnyway"),
    // The chart renders the PDB only when replicaCount > 1.
    podDisruptionBudget: isReplicated(input.replicas) ? { maxUnavailable: 1 } : {},
    defaultTags: { ...input.defaultTags },
  };
}
