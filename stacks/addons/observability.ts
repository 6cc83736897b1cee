import { Construct } from "constructs";
import type { Values } from "../../modules/helm/values";
import type { AddonContext } from "../../addons/context";
import { AwsLoadBalancerController } from "../../addons/aws-load-balancer-controller";
import { awsLoadBalancerControllerPodMonitor } from "../../addons/aws-load-balancer-controller/values";
import { KubePrometheusStack } from "../../addons/kube-prometheus-stack";
import { MetricsServer } from "../../addons/metrics-server";
import type { PlatformEnvironment } from "../../environments/validate";

/** What the observability add-ons give the others. */
export interface Observability {
  readonly kubePrometheusStack: KubePrometheusStack;
  readonly metricsServer: MetricsServer;
  /** ARN of the AMP workspace that keeps the environment's metrics. */
  readonly workspaceArn: string;
}

/**
 * Metrics, dashboards and alerts of an environment: kube-prometheus-stack with an AMP workspace for
 * long-term metrics, and metrics-server.
 *
 * Sizing comes from `env.addons.observability`. metrics-server has no setting of its own: it runs two
 * replicas (spread across AZs, with a PodDisruptionBudget) wherever the environment asks for HA
 * Prometheus (`prometheusReplicas > 1`, i.e. stg and prd), one otherwise (dev).
 *
 * kube-prometheus-stack provides the `monitoring-crds` capability: every add-on that declares a
 * ServiceMonitor, PodMonitor or PrometheusRule waits for it (the stack's `AddonComposition`).
 */
export function addObservability(
  scope: Construct,
  ctx: AddonContext,
  env: PlatformEnvironment,
  sso: { readonly grafanaIni: Values },
): Observability {
  const o = env.addons.observability;
  const overrides = env.addons.overrides;

  const kubePrometheusStack = new KubePrometheusStack(scope, "kube-prometheus-stack", {
    context: ctx,
    prometheusReplicas: o.prometheusReplicas,
    prometheusRetention: o.prometheusRetention,
    prometheusStorageGiB: o.prometheusStorageGiB,
    alertmanagerReplicas: o.alertmanagerReplicas,
    grafanaReplicas: o.grafanaReplicas,
    grafanaStorageGiB: o.grafanaStorageGiB,
    retentionPeriodInDays: o.longTermRetentionDays,
    logRetentionInDays: env.addons.logging.retentionDays,
    // Keycloak login (auth.generic_oauth), merged into the platform's grafana.ini.
    grafanaIni: sso.grafanaIni,
    // The load balancer controller installs before the monitoring CRDs (kube-prometheus-stack's
    // Services need its webhook), so this release creates its PodMonitor.
    podMonitors: [awsLoadBalancerControllerPodMonitor(AwsLoadBalancerController.RELEASE_NAME, AwsLoadBalancerController.NAMESPACE)],
    overrides: overrides["kube-prometheus-stack"],
  });

  const metricsServer = new MetricsServer(scope, "metrics-server", {
    replicas: o.prometheusReplicas > 1 ? 2 : 1,
    overrides: overrides["metrics-server"],
  });

  return {
    kubePrometheusStack,
    metricsServer,
    workspaceArn: kubePrometheusStack.workspaceArn,
  };
}
