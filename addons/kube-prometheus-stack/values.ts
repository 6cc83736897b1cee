/**
 * Values of kube-prometheus-stack 88.5.3 (and its Grafana subchart 12.11.1), built from plain inputs.
 * Every key below exists in the pinned chart's values.yaml (see `KUBE_PROMETHEUS_STACK_CHART.source`
 * and `GRAFANA_SUBCHART.source`), except `grafana.persistence.storageClassName`, which the Grafana
 * chart documents only as a comment and reads in templates/statefulset.yaml. Below `prometheusSpec`
 * and `alertmanagerSpec`, `remoteWrite[]` (`name`, `url`, `sigv4.region`) and the `storage` /
 * `storageSpec` `volumeClaimTemplate` are Prometheus Operator CRD fields (the chart's
 * charts/crds/crds/crd-prometheuses.yaml) that the chart passes through.
 *
 * Long-term storage: Amazon Managed Service for Prometheus (AMP), not Thanos. Prometheus keeps a short
 * local retention on gp3 and remote-writes every sample to AMP with SigV4 (IRSA credentials); Grafana
 * queries AMP for anything older. Why AMP rather than Thanos:
 *   - Thanos needs a sidecar plus querier, store gateway and compactor (and an object bucket with its
 *     lifecycle) that we would run, scale and upgrade ourselves; the usual Thanos Helm chart is
 *     Bitnami's, whose images are no longer free (house rule: upstream images only).
 *   - AMP is managed, replicated across AZs by AWS, encrypted with our KMS key, sized by usage, and
 *     deduplicates HA Prometheus pairs itself (`cluster` + `__replica__` external labels).
 *   - Retention is one setting on the workspace (`retention_period_in_days`), up to 1095 days.
 * Trade-offs: AMP bills per sample ingested and queried, and it is a regional AWS dependency (local
 * Prometheus keeps alerting when AMP is unreachable; remote write resends from the WAL, which covers
 * roughly the last two hours).
 */
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import { ROLE_ARN_ANNOTATION } from "../../modules/irsa/irsa-role";
import { mergeValues, Values } from "../../modules/helm/values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { isReplicated, preferDifferentNodes, zoneSpreadFor } from "../../modules/scheduling/replica-placement";
import type { AlertmanagerConfig } from "./alertmanager";
import { AMP_DATASOURCE_PLUGIN } from "./chart";

/** Helm release name; also the chart's `fullnameOverride`, so every object name below is fixed. */
export const KUBE_PROMETHEUS_STACK_RELEASE = "kube-prometheus-stack";

/** Service account of the Prometheus pods (set explicitly so the IRSA trust names it exactly). */
export const PROMETHEUS_SERVICE_ACCOUNT = `${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus`;
/** Service account of the Grafana pods (set explicitly so the IRSA trust names it exactly). */
export const GRAFANA_SERVICE_ACCOUNT = `${KUBE_PROMETHEUS_STACK_RELEASE}-grafana`;

/** Name of the `Prometheus` custom resource (`<fullname>-prometheus`), which labels its pods. */
export const PROMETHEUS_NAME = `${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus`;
/** Name of the `Alertmanager` custom resource (`<fullname>-alertmanager`), which labels its pods. */
export const ALERTMANAGER_NAME = `${KUBE_PROMETHEUS_STACK_RELEASE}-alertmanager`;

/** Labels the Prometheus Operator puts on Prometheus pods (the chart's anti-affinity selects the same). */
export const PROMETHEUS_POD_LABELS = { "app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": PROMETHEUS_NAME } as const;
/** Labels the Prometheus Operator puts on Alertmanager pods (the chart's PDB selects the same). */
export const ALERTMANAGER_POD_LABELS = { "app.kubernetes.io/name": "alertmanager", alertmanager: ALERTMANAGER_NAME } as const;
/** Selector labels of the Grafana subchart's pods. */
export const GRAFANA_POD_LABELS = { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": KUBE_PROMETHEUS_STACK_RELEASE } as const;

/**
 * The Secret in which the Grafana chart generates the admin password (40 random characters, kept
 * across upgrades by a `lookup`), under the key `admin-password`; the user is `admin`. No password is
 * ever passed in values, so none reaches the plan or the state. An admin reads it with
 *   kubectl -n <namespace> get secret kube-prometheus-stack-grafana -o jsonpath='{.data.admin-password}' | base64 -d
 * (the Grafana chart's fullname `<release>-grafana`).
 */
export const GRAFANA_ADMIN_SECRET = { name: `${KUBE_PROMETHEUS_STACK_RELEASE}-grafana`, userKey: "admin-user", passwordKey: "admin-password" } as const;

/** UID of the provisioned AMP data source (stable, for dashboards that pin it). */
export const AMP_DATASOURCE_UID = "amp";

/** Label AMP uses to deduplicate samples of HA replicas (and strips on ingestion). */
export const AMP_REPLICA_LABEL = "__replica__";

/** Storage class of every volume of the stack (a default, encrypted gp3 class created by the core add-ons). */
export const DEFAULT_STORAGE_CLASS = "gp3";

/**
 * Requests of the stack's own workloads besides Prometheus, Alertmanager and Grafana (the chart sets
 * none), under the keys its templates read: `prometheusOperator.resources`
 * (templates/prometheus-operator/deployment.yaml), `prometheusOperator.prometheusConfigReloader.resources`
 * (passed to the operator as `--config-reloader-*` flags for the reloader sidecars),
 * `prometheusOperator.admissionWebhooks.patch.resources` (the certificate jobs, job-patch/*.yaml),
 * `kube-state-metrics.resources` and `prometheus-node-exporter.resources` (the subcharts'
 * deployment.yaml / daemonset.yaml), `grafana.sidecar.resources` (dashboard and data source sidecars)
 * and `grafana.initChownData.resources` (the volume's init container).
 */
export const STACK_RESOURCES = {
  operator: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  configReloader: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
  admissionPatch: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
  kubeStateMetrics: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  nodeExporter: { requests: { cpu: "20m", memory: "32Mi" }, limits: { memory: "128Mi" } },
  grafanaSidecar: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  grafanaInit: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
} as const satisfies Record<string, ContainerResources>;

export interface KubePrometheusStackValuesInput {
  /** EKS cluster name: the `cluster` external label (AMP deduplication groups by it). */
  readonly clusterName: string;
  /** Region of the AMP workspace (SigV4 signing region). */
  readonly region: string;
  /** Storage class of the Prometheus, Alertmanager and Grafana volumes. */
  readonly storageClassName: string;

  readonly prometheusReplicas: number;
  /** Local retention, a Prometheus duration such as `15d`. */
  readonly prometheusRetention: string;
  readonly prometheusStorageGiB: number;
  /** IRSA role of Prometheus (aps:RemoteWrite on the workspace). */
  readonly prometheusRoleArn: string;
  /** `<workspace endpoint>api/v1/remote_write`. */
  readonly remoteWriteUrl: string;

  readonly alertmanagerReplicas: number;
  readonly alertmanagerStorageGiB: number;

  readonly grafanaReplicas: number;
  readonly grafanaStorageGiB: number;
  /** IRSA role of Grafana (AMP query actions on the workspace). */
  readonly grafanaRoleArn: string;
  /** The workspace's Prometheus-compatible endpoint (`https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/`). */
  readonly ampQueryUrl: string;
  /**
   * Namespace of the release (Grafana's headless Service for alerting HA).
   * @default "monitoring"
   */
  readonly namespace?: string;
  /** Further `grafana.ini` settings (e.g. `auth.generic_oauth`, `server.root_url`), merged into {@link grafanaIni}. */
  readonly grafanaIni?: Values;
  /**
   * PodMonitors created by this release (`prometheus.additionalPodMonitors`, templates/prometheus/podmonitors.yaml),
   * for add-ons that install before the monitoring CRDs and so cannot ship their own.
   * @default []
   */
  readonly podMonitors?: readonly Values[];
  /**
   * Alertmanager's configuration (`alertmanager.config`, see `alertmanagerConfig()`).
   * @default - the chart's (every alert to the `null` receiver)
   */
  readonly alertmanagerConfig?: AlertmanagerConfig;
  /**
   * Secrets of the monitoring namespace mounted into Alertmanager under `/etc/alertmanager/secrets/<name>/`
   * (`alertmanager.alertmanagerSpec.secrets`, the Alertmanager CRD's `spec.secrets`).
   * @default []
   */
  readonly alertmanagerSecrets?: readonly string[];
  /**
   * Grafana's shared PostgreSQL; required with more than one Grafana replica.
   * @default - each replica on its own SQLite volume
   */
  readonly grafanaDatabase?: GrafanaDatabaseSettings;
  /**
   * Further provisioned Grafana data sources (Loki, Jaeger), next to AMP.
   * @default []
   */
  readonly dataSources?: readonly Values[];
  /**
   * Node labels kube-state-metrics copies onto `kube_node_labels` (`metricLabelsAllowlist`), e.g. the
   * zone, which the IP headroom rules join on.
   * @default []
   */
  readonly nodeLabelsForMetrics?: readonly string[];
}

/** Where Grafana finds its shared PostgreSQL; user and password come from a Secret, never the values. */
export interface GrafanaDatabaseSettings {
  /** Host name of the instance. */
  readonly host: string;
  readonly port: number;
  /** Database name. */
  readonly name: string;
  /** Secret of the monitoring namespace with keys `username` and `password` (an ExternalSecret). */
  readonly secretName: string;
}

/** Label and value the Grafana sidecar looks for on dashboard ConfigMaps (`grafana.sidecar.dashboards`). */
export const GRAFANA_DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;
/** Annotation of a dashboard ConfigMap naming its Grafana folder (`sidecar.dashboards.folderAnnotation`). */
export const GRAFANA_FOLDER_ANNOTATION = "grafana_folder";
/** Port of Grafana's alerting gossip (the chart's `gossip-tcp`/`gossip-udp` container ports). */
export const GRAFANA_GOSSIP_PORT = 9094;

/**
 * `grafana.ini` for the shared database: `[database]` (PostgreSQL over TLS; the instance forces TLS)
 * and, with more than one replica, `[unified_alerting]` HA peers on the StatefulSet's headless Service
 * (`<fullname>-headless`, templates/headless-service.yaml) so that alert state and silences are shared
 * and each alert is notified once. User and password are not here: `GF_DATABASE_USER` and
 * `GF_DATABASE_PASSWORD` come from the Secret (see {@link grafanaDatabaseEnv}).
 */
export function grafanaDatabaseIni(db: GrafanaDatabaseSettings, replicas: number, namespace: string): Values {
  return {
    database: { type: "postgres", host: `${db.host}:${db.port}`, name: db.name, ssl_mode: "require" },
    ...(isReplicated(replicas)
      ? {
          unified_alerting: {
            enabled: true,
            ha_peers: `${GRAFANA_SERVICE_ACCOUNT}-headless.${namespace}.svc.cluster.local:${GRAFANA_GOSSIP_PORT}`,
            ha_listen_address: `$__env{POD_IP}:${GRAFANA_GOSSIP_PORT}`,
            ha_advertise_address: `$__env{POD_IP}:${GRAFANA_GOSSIP_PORT}`,
          },
        }
      : {}),
  };
}

/** The chart's `envValueFrom`: Grafana's database user and password from the Secret. */
export function grafanaDatabaseEnv(db: GrafanaDatabaseSettings): Values {
  return {
    GF_DATABASE_USER: { secretKeyRef: { name: db.secretName, key: "username" } },
    GF_DATABASE_PASSWORD: { secretKeyRef: { name: db.secretName, key: "password" } },
  };
}

/**
 * Grafana's `[server]` section for a root URL: `root_url` (Grafana builds its OAuth redirect URI as
 * `<root_url>/login/generic_oauth` from it) and `domain` (its host). Without it Grafana derives the
 * URL from `domain` and `http_port` (`http://localhost:3000/` by default in conf/defaults.ini, or
 * what the chart renders), which the realm's `grafana` client does not list.
 *
 * @throws Error when `rootUrl` is not an absolute http(s) URL
 */
export function grafanaServerIni(rootUrl: string): { server: { root_url: string; domain: string } } {
  let url: URL;
  try {
    url = new URL(rootUrl);
  } catch {
    throw new Error(`Grafana root URL must be an absolute http(s) URL, got "${rootUrl}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`Grafana root URL must be an absolute http(s) URL, got "${rootUrl}"`);
  return { server: { root_url: rootUrl.replace(/\/+$/, ""), domain: url.hostname } };
}

/** The redirect URI Grafana sends for its generic OAuth login under `rootUrl` (its `AppURL` + `login/generic_oauth`). */
export function grafanaOAuthRedirectUri(rootUrl: string): string {
  return `${rootUrl.replace(/\/+$/, "")}/login/generic_oauth`;
}

/**
 * Grafana's server configuration (`grafana.ini`, rendered by the chart into the ini file): THE one place
 * for Grafana settings. Single sign-on goes here as `auth.generic_oauth` (Keycloak's OIDC endpoints,
 * `client_secret` through `$__file{...}` or `$__env{...}` from a mounted Secret, never a literal; the
 * chart's `assertNoLeakedSecrets` refuses literals) plus `server.root_url`; a shared database for
 * multi-replica Grafana goes here as `database`.
 *
 * Defaults set here: SigV4 signing enabled for data sources (AMP), AWS credentials only from the SDK
 * default chain (the IRSA web identity; no static keys can be configured in the UI), no phoning home.
 */
export function grafanaIni(extra: Values = {}): Values {
  return mergeValues(
    {
      analytics: { check_for_updates: false, reporting_enabled: false },
      auth: { sigv4_auth_enabled: true },
      aws: { allowed_auth_providers: "default" },
    },
    extra,
  );
}

/** A ReadWriteOnce volume claim template of `sizeGiB` in `storageClassName`, as the operator's `storage` spec. */
function volumeClaimTemplate(storageClassName: string, sizeGiB: number) {
  return {
    volumeClaimTemplate: {
      spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${sizeGiB}Gi` } } },
    },
  };
}

/** The provisioned Grafana data source for the AMP workspace (Grafana 13's AMP plugin, SigV4 with IRSA). */
export function ampDataSource(queryUrl: string, region: string) {
  return {
    name: "Amazon Managed Prometheus",
    uid: AMP_DATASOURCE_UID,
    type: AMP_DATASOURCE_PLUGIN.id,
    access: "proxy",
    url: queryUrl,
    editable: false,
    isDefault: false,
    jsonData: {
      httpMethod: "POST",
      sigV4Auth: true,
      sigV4AuthType: "default",
      sigV4Region: region,
      // Exemplars carry the trace id: a click opens the trace in Jaeger (metric -> trace).
      exemplarTraceIdDestinations: [{ name: "trace_id", datasourceUid: JAEGER_DATASOURCE_UID }],
    },
  };
}

/** UIDs of the log and trace data sources (stable, for links between them and for dashboards). */
export const LOKI_DATASOURCE_UID = "loki";
export const JAEGER_DATASOURCE_UID = "jaeger";

/**
 * Loki as a Grafana data source: a `trace_id`/`traceID` field of a log line becomes a link to the trace
 * in Jaeger (log -> trace). Keys of Grafana's Loki data source provisioning (`jsonData.derivedFields`).
 */
export function lokiDataSource(url: string) {
  return {
    name: "Loki",
    uid: LOKI_DATASOURCE_UID,
    type: "loki",
    access: "proxy",
    url,
    editable: false,
    jsonData: {
      maxLines: 1000,
      derivedFields: [
        { name: "TraceID", matcherRegex: '"?(?:trace_id|traceID|traceId)"?[:=]"?(\\w+)', url: "$${__value.raw}", datasourceUid: JAEGER_DATASOURCE_UID },
      ],
    },
  };
}

/**
 * Jaeger as a Grafana data source, linking a span to its logs in Loki (by trace id, around the span's
 * time) and to the metrics of its service in AMP (trace -> log, trace -> metric). Keys of Grafana's
 * Jaeger provisioning (`jsonData.tracesToLogsV2`, `jsonData.tracesToMetrics`).
 */
export function jaegerDataSource(url: string, options: { readonly logs: boolean }) {
  return {
    name: "Jaeger",
    uid: JAEGER_DATASOURCE_UID,
    type: "jaeger",
    access: "proxy",
    url,
    editable: false,
    jsonData: {
      ...(options.logs
        ? {
            tracesToLogsV2: {
              datasourceUid: LOKI_DATASOURCE_UID,
              spanStartTimeShift: "-5m",
              spanEndTimeShift: "5m",
              filterByTraceID: true,
              filterBySpanID: false,
              tags: [{ key: "k8s.namespace.name", value: "namespace" }],
            },
          }
        : {}),
      tracesToMetrics: {
        datasourceUid: AMP_DATASOURCE_UID,
        spanStartTimeShift: "-5m",
        spanEndTimeShift: "5m",
        tags: [{ key: "service.name", value: "service" }],
      },
    },
  };
}

/** The typed values of the release. */
export function kubePrometheusStackValues(input: KubePrometheusStackValuesInput): Values {
  const tolerations = [CRITICAL_ADDONS_TOLERATION];
  const prometheusHa = isReplicated(input.prometheusReplicas);
  const alertmanagerHa = isReplicated(input.alertmanagerReplicas);
  const grafanaHa = isReplicated(input.grafanaReplicas);

  return {
    fullnameOverride: KUBE_PROMETHEUS_STACK_RELEASE,
    crds: { enabled: true },
    defaultRules: { create: true },

    // EKS runs the control plane: its scheduler, controller manager and etcd cannot be scraped, and
    // the managed kube-proxy binds its metrics to 127.0.0.1. Disabling them also drops their rules,
    // which would otherwise fire "...Down" alerts forever.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },

    prometheusOperator: {
      tolerations,
      resources: STACK_RESOURCES.operator,
      prometheusConfigReloader: { resources: STACK_RESOURCES.configReloader },
      admissionWebhooks: { patch: { tolerations, resources: STACK_RESOURCES.admissionPatch } },
    },
    "kube-state-metrics": {
      tolerations,
      resources: STACK_RESOURCES.kubeStateMetrics,
      // `--metric-labels-allowlist`: node labels copied onto kube_node_labels as `label_<name>`.
      metricLabelsAllowlist: (input.nodeLabelsForMetrics ?? []).length > 0 ? [`nodes=[${(input.nodeLabelsForMetrics ?? []).join(",")}]`] : [],
    },
    // The chart's DaemonSet tolerates every NoSchedule taint, so it runs on the system nodes too.
    "prometheus-node-exporter": { resources: STACK_RESOURCES.nodeExporter },

    prometheus: {
      serviceAccount: {
        create: true,
        name: PROMETHEUS_SERVICE_ACCOUNT,
        annotations: { [ROLE_ARN_ANNOTATION]: input.prometheusRoleArn },
      },
      podDisruptionBudget: { enabled: prometheusHa, minAvailable: 1 },
      prometheusSpec: {
        replicas: input.prometheusReplicas,
        retention: input.prometheusRetention,
        // A platform Prometheus: pick up every team's ServiceMonitor, PodMonitor, Probe, ScrapeConfig
        // and PrometheusRule, not only those labelled `release: kube-prometheus-stack`.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        storageSpec: volumeClaimTemplate(input.storageClassName, input.prometheusStorageGiB),
        // AMP deduplicates the replicas of one `cluster` by `__replica__` (the pod name).
        externalLabels: { cluster: input.clusterName },
        replicaExternalLabelName: AMP_REPLICA_LABEL,
        remoteWrite: [
          {
            name: "amp",
            url: input.remoteWriteUrl,
            sigv4: { region: input.region },
          },
        ],
        podAntiAffinity: "soft",
        podAntiAffinityTopologyKey: "kubernetes.io/hostname",
        topologySpreadConstraints: zoneSpreadFor(input.prometheusReplicas, PROMETHEUS_POD_LABELS),
        tolerations,
        resources: { requests: { cpu: "500m", memory: "2Gi" } },
      },
      additionalPodMonitors: [...(input.podMonitors ?? [])],
    },

    alertmanager: {
      podDisruptionBudget: { enabled: alertmanagerHa, minAvailable: 1 },
      ...(input.alertmanagerConfig ? { config: input.alertmanagerConfig } : {}),
      alertmanagerSpec: {
        replicas: input.alertmanagerReplicas,
        secrets: [...(input.alertmanagerSecrets ?? [])],
        storage: volumeClaimTemplate(input.storageClassName, input.alertmanagerStorageGiB),
        podAntiAffinity: "soft",
        podAntiAffinityTopologyKey: "kubernetes.io/hostname",
        topologySpreadConstraints: zoneSpreadFor(input.alertmanagerReplicas, ALERTMANAGER_POD_LABELS),
        tolerations,
        resources: { requests: { cpu: "50m", memory: "128Mi" } },
      },
    },

    grafana: {
      enabled: true,
      defaultDashboardsEnabled: true,
      replicas: input.grafanaReplicas,
      // Admin password: generated by the chart into its Secret (see GRAFANA_ADMIN_SECRET); never set here.
      adminUser: "admin",
      serviceAccount: {
        create: true,
        name: GRAFANA_SERVICE_ACCOUNT,
        annotations: { [ROLE_ARN_ANNOTATION]: input.grafanaRoleArn },
      },
      // A StatefulSet with one gp3 volume per replica: an EBS volume attaches to one node in one AZ,
      // so replicas spread across AZs cannot share a Deployment's single claim. Each replica keeps
      // its own SQLite database there: provisioned data sources and dashboards are the same on all,
      // but users, sessions and dashboards saved in the UI are per replica until grafanaIni() gets a
      // shared `database` (PostgreSQL); until then, sticky sessions at the ingress keep users on one.
      persistence: {
        enabled: true,
        type: "sts",
        storageClassName: input.storageClassName,
        accessModes: ["ReadWriteOnce"],
        size: `${input.grafanaStorageGiB}Gi`,
      },
      podDisruptionBudget: grafanaHa ? { minAvailable: 1 } : {},
      topologySpreadConstraints: zoneSpreadFor(input.grafanaReplicas, GRAFANA_POD_LABELS),
      affinity: grafanaHa ? preferDifferentNodes(GRAFANA_POD_LABELS) : {},
      tolerations,
      resources: { requests: { cpu: "100m", memory: "256Mi" } },
      sidecar: {
        resources: STACK_RESOURCES.grafanaSidecar,
        // Dashboards provisioned from the repository: ConfigMaps labelled grafana_dashboard=1 in any
        // namespace, each in the folder its `grafana_folder` annotation names.
        dashboards: {
          enabled: true,
          label: GRAFANA_DASHBOARD_LABEL.key,
          labelValue: GRAFANA_DASHBOARD_LABEL.value,
          searchNamespace: "ALL",
          folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
          provider: { allowUiUpdates: false, foldersFromFilesStructure: true },
        },
      },
      initChownData: { resources: STACK_RESOURCES.grafanaInit },
      plugins: [`${AMP_DATASOURCE_PLUGIN.id}@${AMP_DATASOURCE_PLUGIN.version}`],
      additionalDataSources: [ampDataSource(input.ampQueryUrl, input.region), ...(input.dataSources ?? [])],
      ...(input.grafanaDatabase ? { envValueFrom: grafanaDatabaseEnv(input.grafanaDatabase) } : {}),
      "grafana.ini": grafanaIni(
        mergeValues(input.grafanaIni ?? {}, input.grafanaDatabase ? grafanaDatabaseIni(input.grafanaDatabase, input.grafanaReplicas, input.namespace ?? "monitoring") : {}),
      ),
    },
  };
}
