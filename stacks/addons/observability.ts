import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { Values } from "../../modules/helm/values";
import type { AddonContext } from "../../addons/context";
import { KubePrometheusStack } from "../../addons/kube-prometheus-stack";
import { MetricsServer } from "../../addons/metrics-server";
import type { PlatformEnvironment } from "../../environments/validate";
import type { CoreAddons } from "./core";

/** What the observability add-ons give the others. */
export interface Observability {
  readonly kubePrometheusStack: KubePrometheusStack;
  readonly metricsServer: MetricsServer;
  /**
   * The release that installs the monitoring CRDs (ServiceMonitor, PodMonitor, PrometheusRule):
   * an add-on that creates such objects waits for it.
   */
  readonly monitoringCrds: readonly ITerraformDependable[];
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
 * @param core the core add-ons to wait for (the gp3 storage class every volume here uses, the load
 *   balancer controller's Service webhook); pass it so the releases do not race them
 */
export function addObservability(
  scope: Construct,
  ctx: AddonContext,
  env: PlatformEnvironment,
  core: CoreAddons,
  sso: { readonly grafanaIni: Values },
): Observability {
  const o = env.addons.observability;
  const overrides = env.addons.overrides;
  const dependsOn = [...core.storage, ...core.loadBalancing];

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
    overrides: overrides["kube-prometheus-stack"],
    dependsOn,
  });

  const metricsServer = new MetricsServer(scope, "metrics-server", {
    replicas: o.prometheusReplicas > 1 ? 2 : 1,
    overrides: overrides["metrics-server"],
    dependsOn: [...core.loadBalancing],
  });

  return {
    kubePrometheusStack,
    metricsServer,
    monitoringCrds: [kubePrometheusStack.release.release],
    workspaceArn: kubePrometheusStack.workspaceArn,
  };
}
