import { Construct } from "constructs";
import type { Values } from "../../modules/helm/values";
import type { AddonContext } from "../../addons/context";
import { AwsLoadBalancerController } from "../../addons/aws-load-balancer-controller";
import { awsLoadBalancerControllerPodMonitor } from "../../addons/aws-load-balancer-controller/values";
import { externalSecretsPodMonitor } from "../../addons/external-secrets/values";
import { JAEGER_QUERY_PORT } from "../../addons/jaeger/values";
import { jaegerDataSource, KubePrometheusStack, lokiDataSource } from "../../addons/kube-prometheus-stack";
import { lokiGatewayUrl } from "../../addons/loki/values";
import { MetricsServer } from "../../addons/metrics-server";
import {
  awsNodePodMonitor,
  ipHeadroomDashboard,
  ipHeadroomRuleGroup,
  PLATFORM_RULE_GROUPS,
  PlatformAlerts,
  repositoryDashboards,
  ZONE_NODE_LABEL,
} from "../../addons/platform-alerts";
import type { PlatformEnvironment } from "../../environments/validate";
import { serviceHost } from "../../modules/kubernetes/resources";
import { PostgresInstance } from "../../modules/rds/postgres-instance";

/** Namespaces and releases the data sources point at (the add-ons' defaults, see tracing.ts and logging.ts). */
export const JAEGER_LOCATION = { release: "jaeger", namespace: "tracing" } as const;
export const LOKI_NAMESPACE = "loki";
export const EXTERNAL_SECRETS_LOCATION = { release: "external-secrets", namespace: "external-secrets" } as const;

/** UID of kube-prometheus-stack's provisioned in-cluster Prometheus data source (`grafana.sidecar.datasources.uid`). */
export const PROMETHEUS_DATASOURCE_UID = "prometheus";

/**
 * Grafana's data sources besides AMP: Jaeger always (trace -> metric through AMP; trace -> log when the
 * environment runs Loki), Loki when it runs one (log -> trace).
 */
export function grafanaDataSources(env: PlatformEnvironment) {
  const loki = env.addons.logging.loki !== undefined;
  return [
    jaegerDataSource(`http://${serviceHost(JAEGER_LOCATION.release, JAEGER_LOCATION.namespace)}:${JAEGER_QUERY_PORT}`, { logs: loki }),
    ...(loki ? [lokiDataSource(lokiGatewayUrl(LOKI_NAMESPACE))] : []),
  ];
}

/** What the observability add-ons give the others. */
export interface Observability {
  readonly kubePrometheusStack: KubePrometheusStack;
  readonly metricsServer: MetricsServer;
  /** The platform's alert rules and dashboards. */
  readonly platformAlerts: PlatformAlerts;
  /** Grafana's shared database, in environments with more than one Grafana replica. */
  readonly grafanaDatabase?: PostgresInstance;
  /** ARN of the AMP workspace that keeps the environment's metrics. */
  readonly workspaceArn: string;
}

/**
 * Metrics, dashboards and alerts of an environment: kube-prometheus-stack with an AMP workspace for
 * long-term metrics, alert routing (`observability.alerting`), Grafana on a shared RDS PostgreSQL when
 * it runs more than one replica, data sources for AMP, Jaeger and Loki, the platform's alert rules and
 * dashboards (addons/platform-alerts, IP headroom per planned subnet included), and metrics-server.
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

  const protect = ctx.protectStatefulResources;
  const db = o.grafanaDatabase;
  const grafanaDatabase = db
    ? new PostgresInstance(scope, "grafana-database", {
        identifier: `${ctx.namePrefix}-grafana`,
        dbName: "grafana",
        username: "grafana",
        scope: ctx.scope,
        vpcId: ctx.vpcId,
        subnetIds: ctx.databaseSubnetIds,
        allowedSecurityGroups: { cluster: ctx.clusterSecurityGroupId },
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        allocatedStorage: db.allocatedStorageGiB,
        multiAz: db.multiAz,
        backupRetentionPeriod: db.backupRetentionDays,
        // Deletion protection everywhere (the default: a shared Grafana holds users and dashboards
        // saved in the UI); prevent_destroy in prod.
        preventDestroy: protect,
        logRetentionDays: env.addons.logging.retentionDays,
      })
    : undefined;

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
    // The External Secrets Operator installs before them too (kube-prometheus-stack waits for the
    // Secrets it writes); the VPC CNI is a managed add-on with no monitor of its own.
    podMonitors: [
      awsLoadBalancerControllerPodMonitor(AwsLoadBalancerController.RELEASE_NAME, AwsLoadBalancerController.NAMESPACE),
      externalSecretsPodMonitor(EXTERNAL_SECRETS_LOCATION.release, EXTERNAL_SECRETS_LOCATION.namespace),
      awsNodePodMonitor(),
    ],
    alerting: o.alerting,
    grafanaDatabase,
    dataSources: grafanaDataSources(env),
    // The IP headroom rules join the CNI's per-node metrics with the node's zone.
    nodeLabelsForMetrics: [ZONE_NODE_LABEL],
    externalSecretsNamespace: EXTERNAL_SECRETS_LOCATION.namespace,
    overrides: overrides["kube-prometheus-stack"],
  });

  const platformAlerts = new PlatformAlerts(scope, "platform-alerts", {
    namespace: kubePrometheusStack.namespace,
    ruleGroups: [...PLATFORM_RULE_GROUPS, ipHeadroomRuleGroup(env.ipPlan, env.cluster.podNetworking)],
    dashboards: {
      ...repositoryDashboards(),
      "ip-headroom": ipHeadroomDashboard(env.ipPlan, env.cluster.podNetworking, PROMETHEUS_DATASOURCE_UID),
    },
  });

  const metricsServer = new MetricsServer(scope, "metrics-server", {
    replicas: o.prometheusReplicas > 1 ? 2 : 1,
    overrides: overrides["metrics-server"],
  });

  return {
    kubePrometheusStack,
    metricsServer,
    platformAlerts,
    grafanaDatabase,
    workspaceArn: kubePrometheusStack.workspaceArn,
  };
}
