import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { PrometheusWorkspaceConfiguration } from "@cdktf/provider-aws/lib/prometheus-workspace-configuration";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import type { Values } from "../../modules/helm/values";
import { IrsaRole } from "../../modules/irsa/irsa-role";
import { PlatformKey } from "../../modules/kms/platform-key";
import type { AddonContext } from "../context";
import { KUBE_PROMETHEUS_STACK_CHART } from "./chart";
import type { AlertingConfig } from "../../environments/schema";
import { ALERTMANAGER_RECEIVER_SECRET, alertmanagerConfig, checkAlertmanagerConfig, receiverCredentials } from "./alertmanager";
import { ampQueryPolicy, ampRemoteWritePolicy } from "./iam-policy";
import { MonitoringSecret, MonitoringSecrets } from "./secrets";
import {
  DEFAULT_STORAGE_CLASS,
  GRAFANA_SERVICE_ACCOUNT,
  KUBE_PROMETHEUS_STACK_RELEASE,
  kubePrometheusStackValues,
  PROMETHEUS_SERVICE_ACCOUNT,
} from "./values";

export * from "./alertmanager";
export * from "./chart";
export * from "./secrets";
export * from "./iam-policy";
export * from "./values";

/** Days Amazon Managed Service for Prometheus accepts as `retention_period_in_days`. */
export const AMP_RETENTION_DAYS = { min: 1, max: 1095 } as const;

export interface KubePrometheusStackProps extends ReleaseOptions {
  /** The cluster the stack monitors (OIDC provider, names, scope). */
  readonly context: AddonContext;
  /**
   * Namespace of the release (and of the IRSA service accounts).
   * @default "monitoring"
   */
  readonly namespace?: string;
  /** Prometheus replicas; more than one are spread across AZs and deduplicated by AMP. */
  readonly prometheusReplicas: number;
  /** Local retention of Prometheus, a duration such as `15d`. */
  readonly prometheusRetention: string;
  /** Size of each Prometheus volume in GiB. */
  readonly prometheusStorageGiB: number;
  /** Alertmanager replicas (a gossip cluster when more than one). */
  readonly alertmanagerReplicas: number;
  /**
   * Size of each Alertmanager volume in GiB (silences and notification log).
   * @default 10
   */
  readonly alertmanagerStorageGiB?: number;
  /** Grafana replicas. */
  readonly grafanaReplicas: number;
  /**
   * Size of each Grafana volume in GiB.
   * @default 10
   */
  readonly grafanaStorageGiB?: number;
  /** Days the AMP workspace keeps metrics (`retention_period_in_days`, 1-1095). */
  readonly retentionPeriodInDays: number;
  /**
   * Retention of the workspace's CloudWatch log group (AMP's own rule/ingestion errors), in days.
   * @default 30
   */
  readonly logRetentionInDays?: number;
  /**
   * Storage class of every volume (must exist before the release: a default encrypted gp3 class).
   * @default "gp3"
   */
  readonly storageClassName?: string;
  /**
   * Further `grafana.ini` settings, e.g. `auth.generic_oauth` for single sign-on.
   * @default - only the platform's defaults (see `grafanaIni`)
   */
  readonly grafanaIni?: Values;
  /**
   * PodMonitors this release creates (`prometheus.additionalPodMonitors`), for add-ons that install
   * before the monitoring CRDs (the load balancer controller) and so cannot ship their own.
   * @default []
   */
  readonly podMonitors?: readonly Values[];
  /**
   * Alert routing: Alertmanager's receivers (credentials pulled from Secrets Manager by External
   * Secrets), routes, inhibitions and the Watchdog route.
   * @default - the chart's configuration (every alert dropped)
   */
  readonly alerting?: AlertingConfig;
  /**
   * Grafana's shared PostgreSQL (required with more than one Grafana replica).
   * @default - each replica on its own SQLite volume
   */
  readonly grafanaDatabase?: GrafanaDatabaseRef;
  /**
   * Further Grafana data sources (Loki, Jaeger), next to AMP.
   * @default []
   */
  readonly dataSources?: readonly Values[];
  /**
   * Node labels kube-state-metrics exports on `kube_node_labels`.
   * @default []
   */
  readonly nodeLabelsForMetrics?: readonly string[];
  /**
   * Namespace of the External Secrets Operator (holds the release record of the monitoring secrets).
   * @default "external-secrets"
   */
  readonly externalSecretsNamespace?: string;
}

/** Grafana's database as a `PostgresInstance` exposes it. */
export interface GrafanaDatabaseRef {
  readonly address: string;
  readonly port: number;
  readonly dbName: string;
  /** ARN of the RDS-managed secret (`username`, `password`). */
  readonly masterUserSecretArn: string;
  /** Key of that secret. */
  readonly kmsKeyArn: string;
}

/** The Secret Grafana reads its database user and password from. */
export const GRAFANA_DATABASE_SECRET = "grafana-database";

/**
 * Metrics, alerts and dashboards: kube-prometheus-stack (Prometheus Operator, HA Prometheus and
 * Alertmanager on gp3 volumes, Grafana with the default dashboards and rules) and an Amazon Managed
 * Service for Prometheus workspace for long-term metrics. Prometheus remote-writes to the workspace
 * and Grafana queries it, each through its own IRSA role limited to that one workspace.
 */
export class KubePrometheusStack extends Construct {
  /** The AMP workspace (KMS-encrypted, with a logging configuration and a retention). */
  readonly workspace: PrometheusWorkspace;
  /** ARN of the AMP workspace. */
  readonly workspaceArn: string;
  /** The workspace's Prometheus-compatible query endpoint, without the trailing `/`. */
  readonly queryUrl: string;
  /** Prometheus' remote-write URL into the workspace. */
  readonly remoteWriteUrl: string;
  /** The KMS key of the workspace and its log group. */
  readonly key: PlatformKey;
  readonly logGroup: CloudwatchLogGroup;
  /** IRSA role of Prometheus (remote write). */
  readonly prometheusRole: IrsaRole;
  /** IRSA role of Grafana (queries). */
  readonly grafanaRole: IrsaRole;
  readonly release: HelmAddon;
  /** Namespace of the release. */
  readonly namespace: string;
  /** The ExternalSecrets of receivers and Grafana's database, when there are any. */
  readonly secrets?: MonitoringSecrets;

  constructor(scope: Construct, id: string, props: KubePrometheusStackProps) {
    super(scope, id);
    const ctx = props.context;
    const { partition, region, accountId } = ctx.scope;
    const namespace = props.namespace ?? "monitoring";
    const protect = ctx.protectStatefulResources;
    this.namespace = namespace;
    this.node.addValidation({ validate: () => validateKubePrometheusStackProps(props) });

    // Vended-logs groups live under /aws/vendedlogs/ so their resource policy stays small.
    const logGroupName = `/aws/vendedlogs/prometheus/${ctx.namePrefix}`;
    this.key = new PlatformKey(this, "amp-key", {
      alias: `${ctx.namePrefix}-amp`,
      description: `Encrypts the Amazon Managed Service for Prometheus workspace of ${ctx.clusterName} and its logs`,
      scope: ctx.scope,
      cloudWatchLogGroupArns: [`arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName}`],
      preventDestroy: protect,
    });
    this.logGroup = new CloudwatchLogGroup(this, "amp-log-group", {
      name: logGroupName,
      retentionInDays: props.logRetentionInDays ?? 30,
      kmsKeyId: this.key.arn,
    });
    this.workspace = new PrometheusWorkspace(this, "amp-workspace", {
      alias: `${ctx.namePrefix}-metrics`,
      kmsKeyArn: this.key.arn,
      loggingConfiguration: { logGroupArn: `${this.logGroup.arn}:*` },
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    new PrometheusWorkspaceConfiguration(this, "amp-workspace-configuration", {
      workspaceId: this.workspace.id,
      retentionPeriodInDays: props.retentionPeriodInDays,
    });
    this.workspaceArn = this.workspace.arn;
    this.queryUrl = Fn.trimsuffix(this.workspace.prometheusEndpoint, "/");
    this.remoteWriteUrl = `${this.queryUrl}/api/v1/remote_write`;

    this.prometheusRole = new IrsaRole(this, "prometheus-irsa", {
      oidc: ctx.oidc,
      namespace,
      serviceAccount: PROMETHEUS_SERVICE_ACCOUNT,
      roleName: `${ctx.namePrefix}-prometheus`,
      description: `Prometheus of ${ctx.clusterName}: remote write into its AMP workspace`,
      policyStatements: ampRemoteWritePolicy(this.workspaceArn),
    });
    this.grafanaRole = new IrsaRole(this, "grafana-irsa", {
      oidc: ctx.oidc,
      namespace,
      serviceAccount: GRAFANA_SERVICE_ACCOUNT,
      roleName: `${ctx.namePrefix}-grafana`,
      description: `Grafana of ${ctx.clusterName}: queries its AMP workspace`,
      policyStatements: ampQueryPolicy(this.workspaceArn),
    });

    const secrets: MonitoringSecret[] = [
      ...(props.alerting
        ? [
            {
              name: ALERTMANAGER_RECEIVER_SECRET,
              data: receiverCredentials(props.alerting).map((c) => ({ secretKey: c.key, key: c.secretArn, ...(c.property ? { property: c.property } : {}) })),
            },
          ]
        : []),
      ...(props.grafanaDatabase
        ? [
            {
              name: GRAFANA_DATABASE_SECRET,
              data: ["username", "password"].map((k) => ({ secretKey: k, key: props.grafanaDatabase!.masterUserSecretArn, property: k })),
            },
          ]
        : []),
    ];
    this.secrets =
      secrets.length > 0
        ? new MonitoringSecrets(this, "secrets", {
            namespace,
            releaseNamespace: props.externalSecretsNamespace ?? "external-secrets",
            oidc: ctx.oidc,
            region,
            roleName: `${ctx.namePrefix}-monitoring-secrets`,
            secrets,
            kmsKeyArns: props.grafanaDatabase ? [props.grafanaDatabase.kmsKeyArn] : [],
          })
        : undefined;
    const alertmanager = props.alerting ? alertmanagerConfig(props.alerting) : undefined;
    if (alertmanager) this.node.addValidation({ validate: () => checkAlertmanagerConfig(alertmanager) });

    this.release = new HelmAddon(this, "release", {
      releaseName: KUBE_PROMETHEUS_STACK_RELEASE,
      namespace,
      chart: KUBE_PROMETHEUS_STACK_CHART,
      values: kubePrometheusStackValues({
        clusterName: ctx.clusterName,
        region,
        storageClassName: props.storageClassName ?? DEFAULT_STORAGE_CLASS,
        prometheusReplicas: props.prometheusReplicas,
        prometheusRetention: props.prometheusRetention,
        prometheusStorageGiB: props.prometheusStorageGiB,
        prometheusRoleArn: this.prometheusRole.roleArn,
        remoteWriteUrl: this.remoteWriteUrl,
        alertmanagerReplicas: props.alertmanagerReplicas,
        alertmanagerStorageGiB: props.alertmanagerStorageGiB ?? 10,
        grafanaReplicas: props.grafanaReplicas,
        grafanaStorageGiB: props.grafanaStorageGiB ?? 10,
        grafanaRoleArn: this.grafanaRole.roleArn,
        ampQueryUrl: this.queryUrl,
        grafanaIni: props.grafanaIni,
        podMonitors: props.podMonitors ?? [],
        namespace,
        alertmanagerConfig: alertmanager,
        alertmanagerSecrets: props.alerting ? [ALERTMANAGER_RECEIVER_SECRET] : [],
        grafanaDatabase: props.grafanaDatabase
          ? { host: props.grafanaDatabase.address, port: props.grafanaDatabase.port, name: props.grafanaDatabase.dbName, secretName: GRAFANA_DATABASE_SECRET }
          : undefined,
        dataSources: props.dataSources ?? [],
        nodeLabelsForMetrics: props.nodeLabelsForMetrics ?? [],
      }),
      overrides: props.overrides,
      // CRDs, admission webhook jobs, volumes and Grafana's plugin download take a while.
      timeoutSeconds: 900,
      // Services of the operator, Prometheus, Alertmanager, Grafana and the exporters; volumes on gp3.
      createsServices: true,
      needs: ["storage-classes"],
      // The CRDs come from the `crds` subchart's crds/ directory, installed before any template.
      provides: ["monitoring-crds"],
      irsaRoles: [this.prometheusRole, this.grafanaRole],
      // The monitoring secrets first: Grafana's pods need their database Secret to start.
      dependsOn: [...(props.dependsOn ?? []), this.workspace, ...(this.secrets ? [this.secrets.resources.release] : [])],
    });
  }
}

/** Problems with the props, for `node.addValidation` (errors name the prop and the value). */
export function validateKubePrometheusStackProps(props: KubePrometheusStackProps): string[] {
  const errors: string[] = [];
  for (const [name, value] of [
    ["prometheusReplicas", props.prometheusReplicas],
    ["alertmanagerReplicas", props.alertmanagerReplicas],
    ["grafanaReplicas", props.grafanaReplicas],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) errors.push(`${name} must be a positive integer, got ${value}`);
  }
  const days = props.retentionPeriodInDays;
  if (!Number.isInteger(days) || days < AMP_RETENTION_DAYS.min || days > AMP_RETENTION_DAYS.max) {
    errors.push(`retentionPeriodInDays must be an integer from ${AMP_RETENTION_DAYS.min} to ${AMP_RETENTION_DAYS.max}, got ${days}`);
  }
  if (!/^\d+[smhdwy]$/.test(props.prometheusRetention)) {
    errors.push(`prometheusRetention must be a Prometheus duration such as "15d", got "${props.prometheusRetention}"`);
  }
  if (props.grafanaReplicas > 1 && props.grafanaDatabase === undefined) {
    errors.push(`grafanaReplicas is ${props.grafanaReplicas}: replicas must share a database (grafanaDatabase)`);
  }
  return errors;
}
