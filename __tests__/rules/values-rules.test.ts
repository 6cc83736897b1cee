/**
 * Rules the values functions of Jaeger, Keycloak (keycloakx), kube-prometheus-stack, Fluent Bit and
 * Velero follow, checked on the values themselves (pure, no cdktf), for every replica count that
 * matters (1, 2, 3): every pod-bearing component (support/releases.ts) tolerates the system node
 * group's taint and requests CPU and memory, every container the values add requests them too, HA
 * components run the replicas asked for with a zone spread and a disruption budget once replicated
 * (none with one replica), and every key is one the chart reads (its key tree kept in
 * __tests__/upstream/ with its source). A rule that weakens fails on the component it names.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CRITICAL_ADDONS_TOLERATION } from "../../addons/context";
import {
  classicSection,
  DATAPLANE_LOG_PATHS,
  FLUENT_BIT_LOG_KINDS,
  FLUENT_BIT_STATE_DIR,
  fluentBitLogGroupNames,
  fluentBitPipeline,
  fluentBitValues,
  LOKI_LABELS,
  NODE_SYSTEMD_UNITS,
} from "../../addons/fluent-bit/values";
import { JAEGER_CHART } from "../../addons/jaeger/chart";
import { BADGER_MOUNT_PATH, JAEGER_OTLP_GRPC_PORT, JAEGER_OTLP_HTTP_PORT, JAEGER_TRACE_STORE, jaegerConfig, jaegerPodLabels, jaegerValues, type JaegerStorage } from "../../addons/jaeger/values";
import { KEYCLOAK_IMAGE, KEYCLOAKX_CHART } from "../../addons/keycloak/chart";
import {
  ALB_SSL_POLICY,
  BOOTSTRAP_ADMIN_USERNAME,
  KEYCLOAK_MANAGEMENT_PORT,
  keycloakNamespaceLabels,
  keycloakPodLabels,
  keycloakValues,
  MASTER_REALM,
  POD_READINESS_GATE_LABEL,
  publicPaths,
  REALM_IMPORT_DIR,
  VAULT_DIR,
} from "../../addons/keycloak/values";
import { RELOADER_SECRET_ANNOTATION } from "../../addons/reloader/chart";
import { VELERO_AWS_PLUGIN_IMAGE, VELERO_IMAGE } from "../../addons/velero/chart";
import { AMP_DATASOURCE_PLUGIN } from "../../addons/kube-prometheus-stack/chart";
import {
  AMP_REPLICA_LABEL,
  ampDataSource,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_FOLDER_ANNOTATION,
  GRAFANA_GOSSIP_PORT,
  GRAFANA_SERVICE_ACCOUNT,
  grafanaDatabaseEnv,
  grafanaDatabaseIni,
  grafanaIni,
  grafanaOAuthRedirectUri,
  grafanaServerIni,
  jaegerDataSource,
  kubePrometheusStackValues,
  type KubePrometheusStackValuesInput,
  LOKI_DATASOURCE_UID,
  lokiDataSource,
  PROMETHEUS_SERVICE_ACCOUNT,
} from "../../addons/kube-prometheus-stack/values";
import {
  excludedNamespacesOf,
  goDurationSeconds,
  scheduleCovers,
  scheduleIssues,
  schedulesMissing,
  SYSTEM_NAMESPACES,
  VELERO_ALERT_RULES,
  VELERO_LOCATION_NAME,
  VELERO_NAMESPACE,
  VELERO_SERVICE_ACCOUNT,
  veleroSchedules,
  veleroValues,
  type VeleroScheduleInput,
} from "../../addons/velero/values";
import { type ChartKeys, chartKeys, unknownKeys } from "../support/chart-keys";
import { addedContainersWithoutRequests, at, CHART_COMPONENTS, missingRequests, untolerated } from "../support/releases";

const RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };
const ROLE = { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/r" };
const REGION = "eu-west-1";
const OPENSEARCH: JaegerStorage = { type: "opensearch", endpoint: "search.example.com", region: REGION, indexShards: 1, indexReplicas: 1 };

type Values = Record<string, unknown>;
const jaeger = (replicas: number, storage: JaegerStorage = OPENSEARCH) =>
  jaegerValues({ releaseName: "jaeger", fullname: "jaeger", replicas, storage, imageTag: "2.19.0", resources: RESOURCES, serviceAccountAnnotations: ROLE }) as Values;
/** Keycloak's inputs without the optional vault and restart lists. */
const keycloakInput = (replicas: number) => ({
  releaseName: "keycloak",
  replicas,
  hostname: "sso.example.com",
  realm: "platform",
  certificateArn: `arn:aws:acm:${REGION}:111122223333:certificate/c`,
  database: { host: "db.example.com", port: 5432, name: "keycloak", secretName: "keycloak-db" },
  realmConfigMapName: "realm",
  bootstrapAdminSecretName: "keycloak-admin",
  resources: RESOURCES,
});
const keycloak = (replicas: number) => keycloakValues({ ...keycloakInput(replicas), vaultSecretName: "keycloak-vault", restartOnSecrets: ["keycloak-db"] });
const kubePrometheusStackInput = (replicas: number): KubePrometheusStackValuesInput => ({
    clusterName: "c",
    region: REGION,
    storageClassName: "gp3",
    prometheusReplicas: replicas,
    prometheusRetention: "15d",
    prometheusStorageGiB: 50,
    prometheusRoleArn: ROLE["eks.amazonaws.com/role-arn"],
    remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write",
    alertmanagerReplicas: replicas,
    alertmanagerStorageGiB: 5,
    grafanaReplicas: replicas,
    grafanaStorageGiB: 10,
    grafanaRoleArn: ROLE["eks.amazonaws.com/role-arn"],
    ampQueryUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/",
    grafanaIni: { server: { root_url: "https://grafana.example.com" } },
    podMonitors: [{ name: "p", selector: { matchLabels: { a: "b" } }, podMetricsEndpoints: [{ port: "metrics" }] }],
    alertmanagerConfig: { global: { resolve_timeout: "5m" }, route: { receiver: "null" }, receivers: [{ name: "null" }], inhibit_rules: [], templates: [] },
    alertmanagerSecrets: ["alert-receivers"],
    ...(replicas > 1 ? { grafanaDatabase: { host: "db.example.com", port: 5432, name: "grafana", secretName: "grafana-db" } } : {}),
    dataSources: [{ name: "Loki", type: "loki", url: "http://loki" }],
    nodeLabelsForMetrics: ["topology.kubernetes.io/zone"],
  });
const kubePrometheusStack = (replicas: number) => kubePrometheusStackValues(kubePrometheusStackInput(replicas));
const fluentBit = () =>
  fluentBitValues({
    serviceAccountName: "fluent-bit",
    serviceAccountAnnotations: ROLE,
    region: REGION,
    logGroupNames: fluentBitLogGroupNames("c"),
    openSearch: { host: "search.example.com", region: REGION, indexPrefix: "c" },
    loki: { host: "loki-gateway.loki.svc", port: 80 },
    serviceMonitor: true,
    resources: RESOURCES,
  });
const velero = () =>
  veleroValues({
    bucketName: "c-velero",
    prefix: "c",
    region: REGION,
    kmsKeyArn: `arn:aws:kms:${REGION}:111122223333:key/k`,
    serviceAccountAnnotations: ROLE,
    schedules: { daily: { schedule: "0 3 * * *", ttl: "720h", includedNamespaces: ["*"] } },
    namespace: "velero",
    csiSnapshots: true,
  }) as unknown as Values;

/** Chart → its values for a replica count (the charts outside REPLICATED have no replica input). */
const BUILDS: Readonly<Record<string, (replicas: number) => Values>> = {
  jaeger,
  keycloakx: keycloak,
  "kube-prometheus-stack": kubePrometheusStack,
  "fluent-bit": fluentBit,
  velero,
};
const REPLICATED = new Set(["jaeger", "keycloakx", "kube-prometheus-stack"]);
const builds = Object.entries(BUILDS).flatMap(([chart, build]) =>
  (REPLICATED.has(chart) ? [1, 2, 3] : [1]).map((n) => [REPLICATED.has(chart) ? `${chart} × ${n}` : chart, chart, () => build(n), n] as const),
);

/** A values entry that a chart passes through `tpl` is a YAML string; read it as data. */
const data = (v: unknown) => (typeof v === "string" ? parse(v) : v);

/**
 * Where each chart's HA components get their disruption budget (chart structure: the keys of its
 * values.yaml/templates), as "is there one".
 */
const DISRUPTION_BUDGET: Readonly<Record<string, Readonly<Record<string, (values: Values) => boolean>>>> = {
  // The chart has no PDB: one comes through `extraObjects`, selecting the Deployment's pods.
  jaeger: {
    jaeger: (v) => ((v.extraObjects ?? []) as { kind: string }[]).some((o) => o.kind === "PodDisruptionBudget"),
  },
  // templates/poddisruptionbudget.yaml: `if .Values.podDisruptionBudget` (an empty map renders none).
  keycloakx: { keycloak: (v) => Object.keys((at(v, "podDisruptionBudget") ?? {}) as object).length > 0 },
  "kube-prometheus-stack": {
    prometheus: (v) => at(v, "prometheus.podDisruptionBudget.enabled") === true,
    alertmanager: (v) => at(v, "alertmanager.podDisruptionBudget.enabled") === true,
    // templates/poddisruptionbudget.yaml of the grafana chart renders when the map is non-empty.
    grafana: (v) => Object.keys((at(v, "grafana.podDisruptionBudget") ?? {}) as object).length > 0,
  },
};

describe.each(builds)("%s", (_name, chart, build) => {
  it("every component tolerates the system node group's taint", () => {
    expect(CHART_COMPONENTS[chart]?.length, "its components in support/releases.ts").toBeGreaterThan(0);
    expect(untolerated(chart, build(), CRITICAL_ADDONS_TOLERATION.key)).toEqual([]);
  });

  it("every component requests CPU and memory", () => {
    expect(missingRequests(chart, build())).toEqual([]);
  });

  it("every container the values add (init containers, extra containers) requests CPU and memory", () => {
    expect(addedContainersWithoutRequests(build())).toEqual([]);
  });
});

describe.each(builds.filter(([, chart]) => REPLICATED.has(chart)))("%s", (_name, chart, build, replicas) => {
  it("every HA component runs the replicas asked for, spread across zones and with a disruption budget once replicated", () => {
    const values = build();
    const ha = CHART_COMPONENTS[chart]!.filter((c) => c.ha);
    expect(ha.length).toBeGreaterThan(0);
    for (const c of ha) {
      expect(at(values, c.replicas!), `${c.name} replicas`).toBe(replicas);
      const prefix = c.tolerations.replace(/\.?tolerations$/, "");
      const spread = (data(at(values, prefix === "" ? "topologySpreadConstraints" : `${prefix}.topologySpreadConstraints`)) ?? []) as { topologyKey: string }[];
      expect(spread.some((s) => s.topologyKey === "topology.kubernetes.io/zone"), `${c.name} zone spread`).toBe(replicas > 1);
      const budget = DISRUPTION_BUDGET[chart]?.[c.name];
      expect(budget, `${c.name}: where its disruption budget is (DISRUPTION_BUDGET)`).toBeDefined();
      expect(budget!(values), `${c.name} disruption budget`).toBe(replicas > 1);
    }
  });
});

describe("keys the charts read", () => {
  /** Chart → its keys and the paths it passes on as they are (with the reason). */
  const CHARTS: Readonly<Record<string, { readonly keys: string; readonly freeForm: readonly RegExp[]; readonly values: (n: number) => unknown }>> = {
    jaeger: { keys: "jaeger-values-keys.json", freeForm: [], values: jaeger },
    keycloakx: { keys: "keycloakx-values-keys.json", freeForm: [], values: keycloak },
    "kube-prometheus-stack": {
      keys: "kube-prometheus-stack-values-keys.json",
      freeForm: [
        // Subcharts: Grafana's keys are checked below; kube-state-metrics and prometheus-node-exporter
        // are read by their own subcharts (keys not kept here).
        /^grafana\./,
        /^kube-state-metrics\./,
        /^prometheus-node-exporter\./,
        // Alertmanager's own configuration file, rendered as is.
        /^alertmanager\.config\./,
      ],
      values: kubePrometheusStack,
    },
    "fluent-bit": { keys: "fluent-bit-values-keys.json", freeForm: [], values: fluentBit },
    velero: { keys: "velero-values-keys.json", freeForm: [], values: velero },
  };
  it.each(Object.entries(CHARTS).flatMap(([chart, c]) => [1, 2].map((n) => [chart, n, c] as const)))("%s (%i replicas): every key is one of the chart's", (_chart, n, c) => {
    expect(unknownKeys(c.values(n), chartKeys(c.keys), c.freeForm)).toEqual([]);
  });

  it.each([1, 2])("kube-prometheus-stack (%i replicas): every grafana key is one of the grafana subchart's or of the stack's grafana section", (n) => {
    const grafana = (kubePrometheusStack(n) as { grafana: unknown }).grafana;
    const stack = chartKeys("kube-prometheus-stack-values-keys.json").keys.grafana as ChartKeys["keys"];
    // grafana.ini is Grafana's own configuration file, rendered section by section as is.
    const inSubchart = unknownKeys(grafana, chartKeys("grafana-values-keys.json"), [/^grafana\.ini\./]);
    expect(inSubchart.filter((path) => unknownKeys(grafana, { keys: stack }).includes(path))).toEqual([]);
  });

  it("the check names a key the chart does not have, and accepts free-form maps and listed paths", () => {
    const keys: ChartKeys["keys"] = { a: { b: null, labels: {} }, list: [], scalar: null };
    expect(unknownKeys({ a: { b: 1, c: 2, labels: { x: "y" } }, list: [{ z: 1 }], scalar: { free: 1 }, d: { e: 1 } }, { keys })).toEqual(["a.c", "d.e"]);
    expect(unknownKeys({ a: { c: 2 } }, { keys }, [/^a\.c$/])).toEqual([]);
    expect(unknownKeys({ a: { c: { d: 1 } }, ab: 1 }, { keys, templateKeys: { paths: ["a.c", "a"] } })).toEqual(["ab"]);
    expect(unknownKeys({ constructor: 1 }, { keys })).toEqual(["constructor"]);
  });
});

describe("replica rules of the values functions", () => {
  it.each([0, -1, 1.5])("Jaeger and Keycloak refuse %d replicas", (n) => {
    expect(() => jaeger(n)).toThrow(/positive integer/);
    expect(() => keycloak(n)).toThrow(/positive integer/);
  });
  it.each([
    { type: "memory", maxTraces: 1000 },
    { type: "badger", claimName: "jaeger-badger", storageClassName: "gp3", volumeSize: "10Gi", retention: "72h" },
  ] as const)("Jaeger keeps $type storage in one pod: 1 replica, never 2", (storage) => {
    expect(jaeger(1, storage).jaeger).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
    expect(() => jaeger(2, storage)).toThrow(new RegExp(`${storage.type} storage keeps traces in one pod`));
  });
  it("Jaeger on OpenSearch rolls one new pod at a time without taking one away", () => {
    expect((jaeger(2).jaeger as Values).strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });
  it("Fluent Bit runs on every node: a DaemonSet tolerating every taint, node-critical", () => {
    const values = fluentBit();
    expect(values.kind).toBe("DaemonSet");
    expect(values.priorityClassName).toBe("system-node-critical");
    expect(values.tolerations).toContainEqual({ operator: "Exists" });
  });
});

describe.each([
  ["memory", { type: "memory", maxTraces: 50_000 }],
  ["badger", { type: "badger", claimName: "jaeger-badger", storageClassName: "gp3", volumeSize: "10Gi", retention: "72h" }],
  ["opensearch", OPENSEARCH],
] as const)("Jaeger's collector configuration (%s storage)", (_type, storage) => {
  type Config = {
    extensions: Record<string, any>;
    receivers: Record<string, any>;
    processors: Record<string, any>;
    exporters: Record<string, any>;
    service: { extensions: string[]; pipelines: Record<string, Record<"receivers" | "processors" | "exporters", string[]>> };
  };
  const config = () => jaegerConfig(storage) as Config;

  it("defines every component a pipeline names, and names every component it defines", () => {
    const c = config();
    for (const kind of ["receivers", "processors", "exporters"] as const) {
      const used = new Set(Object.values(c.service.pipelines).flatMap((p) => p[kind] ?? []));
      expect([...used].filter((name) => !(name in c[kind])), `undefined ${kind}`).toEqual([]);
      expect(Object.keys(c[kind]).filter((name) => !used.has(name)), `unused ${kind}`).toEqual([]);
    }
    expect(c.service.extensions.filter((name) => !(name in c.extensions)), "undefined extensions").toEqual([]);
    expect(Object.keys(c.extensions).filter((name) => !c.service.extensions.includes(name)), "disabled extensions").toEqual([]);
  });

  it("limits memory before batching, in every pipeline, with a limiter the collector accepts", () => {
    for (const p of Object.values(config().service.pipelines)) expect(p.processors.slice(0, 2)).toEqual(["memory_limiter", "batch"]);
    // memory_limiter: a positive check interval, and a spike limit below the limit (both % of memory).
    const { check_interval, limit_percentage, spike_limit_percentage } = config().processors.memory_limiter;
    expect(goDurationSeconds(check_interval)).toBeGreaterThan(0);
    expect(0 < spike_limit_percentage && spike_limit_percentage < limit_percentage && limit_percentage <= 100).toBe(true);
  });

  it("writes and queries the one storage backend it defines, of the type asked for", () => {
    const c = config();
    const backends = c.extensions.jaeger_storage.backends as Record<string, Record<string, unknown>>;
    expect(Object.keys(backends)).toEqual([JAEGER_TRACE_STORE]);
    expect(Object.keys(backends[JAEGER_TRACE_STORE]!)).toEqual([storage.type]);
    expect(c.extensions.jaeger_query.storage.traces).toBe(JAEGER_TRACE_STORE);
    const storageExporters = Object.values(c.exporters).filter((e) => "trace_storage" in e);
    expect(storageExporters).toEqual([{ trace_storage: JAEGER_TRACE_STORE }]);
  });

  it("receives OTLP on the ports the chart's Service exposes", () => {
    const { grpc, http } = config().receivers.otlp.protocols;
    expect([grpc.endpoint, http.endpoint]).toEqual([`0.0.0.0:${JAEGER_OTLP_GRPC_PORT}`, `0.0.0.0:${JAEGER_OTLP_HTTP_PORT}`]);
  });

  it("signs storage requests with SigV4 for the domain's region exactly when the store is OpenSearch", () => {
    const c = config();
    const signed = storage.type === "opensearch";
    expect(c.service.extensions.includes("sigv4auth")).toBe(signed);
    if (storage.type !== "opensearch") return expect(c.extensions.sigv4auth).toBeUndefined();
    expect(c.extensions.sigv4auth).toEqual({ region: storage.region, service: "es" });
    const backend = c.extensions.jaeger_storage.backends[JAEGER_TRACE_STORE].opensearch;
    expect(backend.auth).toEqual({ authenticator: "sigv4auth" });
    expect(backend.server_urls).toEqual([`https://${storage.endpoint}`]);
    // Jaeger's OpenSearch index kinds (span, service, dependency and sampling indices).
    expect(Object.keys(backend.indices).sort()).toEqual(["dependencies", "sampling", "services", "spans"]);
    for (const index of Object.values(backend.indices)) expect(index).toEqual({ shards: storage.indexShards, replicas: storage.indexReplicas });
  });

  it("keeps what the storage input asks for: the trace limit in memory; Badger's files on its own claim, mounted, for the retention", () => {
    const values = jaeger(1, storage) as any;
    const backend = values.userconfig.extensions.jaeger_storage.backends[JAEGER_TRACE_STORE];
    const claims = (values.extraObjects as any[]).filter((o) => o.kind === "PersistentVolumeClaim");
    if (storage.type === "memory") expect(backend.memory).toEqual({ max_traces: storage.maxTraces });
    if (storage.type !== "badger") {
      expect(claims).toEqual([]);
      expect(values.jaeger.extraVolumes).toBeUndefined();
      return;
    }
    expect(backend.badger.ephemeral).toBe(false);
    expect(backend.badger.ttl).toEqual({ spans: storage.retention });
    expect(Object.keys(backend.badger.directories).sort()).toEqual(["keys", "values"]);
    for (const dir of Object.values(backend.badger.directories)) expect(String(dir).startsWith(`${BADGER_MOUNT_PATH}/`), String(dir)).toBe(true);
    expect(claims).toEqual([
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: storage.claimName },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: storage.storageClassName, resources: { requests: { storage: storage.volumeSize } } },
      },
    ]);
    const [volume] = values.jaeger.extraVolumes;
    expect(volume.persistentVolumeClaim).toEqual({ claimName: storage.claimName });
    expect(values.jaeger.extraVolumeMounts).toEqual([{ name: volume.name, mountPath: BADGER_MOUNT_PATH }]);
  });
});

describe("Jaeger's pods", () => {
  // jaegertracing/helm-charts charts/jaeger @6c602b5: the Deployment selects jaeger.selectorLabels
  // (name = the chart's name, instance = the release) plus component all-in-one
  // (templates/jaeger/jaeger-deploy.yaml, _helpers.tpl); its probes GET /status on 13133 and its pod
  // annotations point Prometheus at 8888.
  it("are selected by the chart's selector labels", () => {
    expect(jaegerPodLabels("tracing")).toEqual({ "app.kubernetes.io/name": JAEGER_CHART.chart, "app.kubernetes.io/instance": "tracing", "app.kubernetes.io/component": "all-in-one" });
  });

  it("serve health where the chart probes it and metrics where its annotations point", () => {
    const c = jaegerConfig(OPENSEARCH) as any;
    expect(c.extensions.healthcheckv2).toEqual({ use_v2: true, http: { endpoint: "0.0.0.0:13133" } });
    expect(c.service.telemetry.metrics.readers).toEqual([{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: 8888 } } } }]);
    // The collector's telemetry levels: none, basic, normal, detailed (none would serve nothing).
    expect(["basic", "normal", "detailed"]).toContain(c.service.telemetry.metrics.level);
    expect(c.service.telemetry.resource).toEqual({ "service.name": "jaeger" });
  });

  it("run the image tag asked for, with the service account annotations given, and only Kubernetes objects as extra objects", () => {
    for (const storage of [OPENSEARCH, { type: "badger", claimName: "b", storageClassName: "gp3", volumeSize: "1Gi", retention: "1h" } as const]) {
      const values = jaeger(1, storage) as any;
      expect(values.jaeger.image).toEqual({ tag: "2.19.0" });
      expect(values.jaeger.serviceAccount).toEqual({ annotations: ROLE });
      expect((values.extraObjects as any[]).filter((o) => typeof o?.apiVersion !== "string" || typeof o?.kind !== "string" || typeof o?.metadata?.name !== "string")).toEqual([]);
    }
  });

  it("the disruption budget and the zone spread select the Deployment's pods, one pod away at a time", () => {
    const values = jaeger(2) as any;
    const labels = jaegerPodLabels("jaeger");
    const [budget] = (values.extraObjects as any[]).filter((o) => o.kind === "PodDisruptionBudget");
    expect(budget).toEqual({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "jaeger" }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } });
    for (const spread of values.jaeger.topologySpreadConstraints) expect(spread.labelSelector.matchLabels).toEqual(labels);
  });
});

describe("Keycloak's values", () => {
  const values = (vault: boolean, restartOnSecrets?: readonly string[]) =>
    keycloakValues({
      ...keycloakInput(2),
      ...(vault ? { vaultSecretName: "keycloak-vault" } : {}),
      ...(restartOnSecrets ? { restartOnSecrets } : {}),
    }) as any;
  const envOf = (v: any) => parse(v.extraEnv) as { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];

  /**
   * Whether the Ingress routes a request path: a `Prefix` path P matches P itself and P/… (the AWS
   * Load Balancer Controller's conditions `P` and `P/*`; a P ending in `/` matches P…).
   */
  const routed = (ingress: any, host: string, path: string) =>
    (ingress.rules as { host: string; paths: { path: string; pathType: string }[] }[]).some(
      (rule) => rule.host === host && rule.paths.some((p) => p.pathType === "Prefix" && (path === p.path || path.startsWith(p.path.endsWith("/") ? p.path : `${p.path}/`))),
    );

  it.each([
    ["/realms/platform", true],
    ["/realms/platform/protocol/openid-connect/token", true],
    ["/realms/platform/.well-known/openid-configuration", true],
    ["/resources/x1y2z/login/keycloak.v2/css/login.css", true],
    ["/realms/master/protocol/openid-connect/token", false],
    ["/realms/platformx/protocol/openid-connect/token", false],
    ["/admin/master/console/", false],
    ["/metrics", false],
    ["/", false],
  ])("routes %s from the internet: %s", (path, expected) => {
    const { ingress } = values(false);
    expect(ingress).toMatchObject({ enabled: true, ingressClassName: "alb", servicePort: "http", tls: [] });
    expect(routed(ingress, "sso.example.com", path)).toBe(expected);
    expect(routed(ingress, "other.example.com", path)).toBe(false);
  });

  it("is reached over HTTPS with TLS 1.2+ on IP targets, health-checked on the management port", () => {
    const { ingress } = values(false);
    expect(() => publicPaths(MASTER_REALM)).toThrow(/master/);
    expect(ingress.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
      "alb.ingress.kubernetes.io/healthcheck-path": "/health/ready",
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/ssl-policy": ALB_SSL_POLICY,
      "alb.ingress.kubernetes.io/healthcheck-port": String(KEYCLOAK_MANAGEMENT_PORT),
      "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
    });
    expect(JSON.parse(ingress.annotations["alb.ingress.kubernetes.io/listen-ports"])).toContainEqual({ HTTPS: 443 });
  });

  it("issues tokens for its public URL and takes every credential from a Secret, never from the values", () => {
    const v = values(true);
    const env = envOf(v);
    expect(env.find((e) => e.name === "KC_HOSTNAME")?.value).toBe("https://sso.example.com");
    expect(env.filter((e) => /PASSWORD|USERNAME$/.test(e.name) && e.name !== "KC_BOOTSTRAP_ADMIN_USERNAME" && e.valueFrom === undefined).map((e) => e.name)).toEqual([]);
    expect(env.find((e) => e.name === "KC_DB_USERNAME")?.valueFrom?.secretKeyRef).toEqual({ name: "keycloak-db", key: "username" });
    expect(env.find((e) => e.name === "KC_BOOTSTRAP_ADMIN_PASSWORD")?.valueFrom?.secretKeyRef).toEqual({ name: "keycloak-admin", key: "password" });
    expect(v.database).toMatchObject({ existingSecret: "keycloak-db", existingSecretKey: "password" });
    expect(env.filter((e) => e.name === "KC_DB_URL_PROPERTIES").map((e) => e.value)).toEqual(["?sslmode=require"]);
  });

  it.each([true, false])("mounts every volume it adds, read-only, and the vault (with KC_VAULT) only when there is one: vault %s", (vault) => {
    const v = values(vault);
    const volumes = parse(v.extraVolumes) as { name: string; secret?: { secretName: string } }[];
    const mounts = parse(v.extraVolumeMounts) as { name: string; mountPath: string; readOnly?: boolean }[];
    expect(mounts.map((m) => m.name).sort()).toEqual(volumes.map((x) => x.name).sort());
    expect(mounts.filter((m) => m.readOnly !== true).map((m) => m.name)).toEqual([]);
    expect(mounts.find((m) => m.mountPath === REALM_IMPORT_DIR)).toBeDefined();
    const vaultMount = mounts.find((m) => m.mountPath === VAULT_DIR);
    expect(vaultMount !== undefined).toBe(vault);
    expect(volumes.some((x) => x.secret?.secretName === "keycloak-vault")).toBe(vault);
    const env = envOf(v);
    expect(env.filter((e) => e.name.startsWith("KC_VAULT")).map((e) => `${e.name}=${e.value}`)).toEqual(vault ? ["KC_VAULT=file", `KC_VAULT_DIR=${VAULT_DIR}`] : []);
  });

  it.each([
    [undefined, undefined],
    [[], undefined],
    [["b-secret", "a-secret"], "a-secret,b-secret"],
  ] as const)("restarts on a change of the Secrets %j (Reloader annotation %j)", (secrets, annotation) => {
    expect(values(false, secrets).statefulsetAnnotations?.[RELOADER_SECRET_ANNOTATION]).toBe(annotation);
  });

  it("runs Keycloak behind the load balancer: forwarded headers, plain HTTP inside, health and metrics on (probes, ALB check, ServiceMonitor, user event metrics)", () => {
    const v = values(false);
    expect(v.proxy).toEqual({ enabled: true, mode: "xforwarded", http: { enabled: true } });
    expect(v.http).toEqual({ relativePath: "/" });
    expect([v.health, v.metrics]).toEqual([{ enabled: true }, { enabled: true }]);
    expect(v.serviceMonitor).toMatchObject({ enabled: true });
    expect(Object.values(v.serviceMonitor).every((x) => x !== "")).toBe(true);
    const env = Object.fromEntries(envOf(v).map((e) => [e.name, e.value]));
    expect(env.KC_FEATURES?.split(",")).toContain("user-event-metrics");
    expect(env.KC_EVENT_METRICS_USER_ENABLED).toBe("true");
    expect(env.KC_LOG_CONSOLE_OUTPUT).toBe("json");
    expect(env.KC_BOOTSTRAP_ADMIN_USERNAME).toBe(BOOTSTRAP_ADMIN_USERNAME);
  });

  it("starts the pinned image in production mode, imports the realm, waits for its database, and clusters through it", () => {
    const v = values(false);
    expect(v.image).toEqual({ repository: KEYCLOAK_IMAGE.repository, tag: KEYCLOAK_IMAGE.tag });
    expect(v.args).toEqual(["start", "--import-realm"]);
    expect(v.dbchecker).toEqual({ enabled: true });
    expect(v.database.vendor).toBe("postgres");
    expect(v.cache).toEqual({ stack: "default" });
    expect((parse(v.extraVolumes) as any[]).find((x) => x.name === "realm")).toEqual({ name: "realm", configMap: { name: "realm" } });
    expect(() => keycloak(0)).toThrow(/^keycloak: replicas/);
  });

  it("runs its pods with the chart's selector labels, in a namespace that gets the load balancer's readiness gate, without a service account token", () => {
    // codecentric/helm-charts charts/keycloakx @57c2f8e templates/_helpers.tpl: keycloak.selectorLabels.
    expect(keycloakPodLabels("sso")).toEqual({ "app.kubernetes.io/name": KEYCLOAKX_CHART.chart, "app.kubernetes.io/instance": "sso" });
    expect(keycloakNamespaceLabels()).toEqual({ "app.kubernetes.io/part-of": "keycloak", ...POD_READINESS_GATE_LABEL });
    expect(values(false).serviceAccount).toEqual({ create: true, automountServiceAccountToken: false });
  });

  it("runs as a non-root user without privilege escalation or capabilities, with the runtime's seccomp profile", () => {
    expect(values(false).securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
  });
});

/** The sections of a Fluent Bit classic-mode file: kind and entries (keys may repeat). */
function classicSections(text: string): { kind: string; entries: [string, string][] }[] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((block) => {
      const [header, ...lines] = block.trim().split("\n");
      const entries = lines.map((line): [string, string] => {
        const [, key, value] = /^\s*(\S+)\s+(.*)$/.exec(line)!;
        return [key!, value!.trim()];
      });
      return { kind: header!.replace(/^\[(\w+)\]$/, "$1"), entries };
    });
}
const entry = (section: { entries: [string, string][] }, key: string) => section.entries.find(([k]) => k === key)?.[1];
/** Fluent Bit's tag match: `*` any run of characters. */
const tagMatches = (pattern: string, tag: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(tag);

describe.each([
  ["CloudWatch Logs only", {}],
  ["CloudWatch Logs, OpenSearch and Loki", { openSearch: { host: "search.example.com", region: REGION, indexPrefix: "c" }, loki: { host: "loki-gateway.loki.svc", port: 80 } }],
] as const)("Fluent Bit's pipeline (%s)", (_name, outputs) => {
  const input = {
    serviceAccountName: "fluent-bit",
    serviceAccountAnnotations: ROLE,
    region: REGION,
    logGroupNames: fluentBitLogGroupNames("c"),
    resources: RESOURCES,
    ...outputs,
  };
  const pipeline = () => {
    const { inputs, filters, outputs: out } = fluentBitPipeline(input);
    return { inputs: classicSections(inputs), filters: classicSections(filters), outputs: classicSections(out) };
  };
  const destinations = ["cloudwatch_logs", ...("openSearch" in outputs ? ["opensearch"] : []), ...("loki" in outputs ? ["loki"] : [])];

  it("reads each log kind with one input, its own tag and its own position database in the state directory", () => {
    const { inputs } = pipeline();
    expect(inputs.map((s) => s.kind)).toEqual(inputs.map(() => "INPUT"));
    expect(inputs.map((s) => entry(s, "Alias")).sort()).toEqual([...FLUENT_BIT_LOG_KINDS].sort());
    const tags = inputs.map((s) => entry(s, "Tag"));
    expect(new Set(tags).size).toBe(inputs.length);
    const dbs = inputs.map((s) => entry(s, "DB") ?? "");
    expect(new Set(dbs).size).toBe(inputs.length);
    expect(dbs.filter((db) => !db.startsWith(`${FLUENT_BIT_STATE_DIR}/`))).toEqual([]);
  });

  it("tails the container log files (CRI format) and reads the kubelet's and containerd's journal, under the mounted host logs, each with a memory limit", () => {
    const { inputs } = pipeline();
    const byAlias = (alias: string) => inputs.find((s) => entry(s, "Alias") === alias)!;
    expect(["containers", "dataplane", "nodes"].map((alias) => entry(byAlias(alias), "Name"))).toEqual(["tail", "tail", "systemd"]);
    for (const alias of ["containers", "dataplane"]) expect(entry(byAlias(alias), "multiline.parser"), alias).toBe("cri");
    expect(tagMatches(entry(byAlias("containers"), "Path")!, "/var/log/containers/app-7d9f_team-a_app-0123abcd.log")).toBe(true);
    const journal = byAlias("nodes");
    expect(journal.entries.filter(([k]) => k === "Systemd_Filter").map(([, v]) => v)).toEqual(NODE_SYSTEMD_UNITS.map((unit) => `_SYSTEMD_UNIT=${unit}`));
    // Several units: a record matches any of them (And, the default, would match none).
    expect(entry(journal, "Systemd_Filter_Type")).toBe("Or");
    const paths = inputs.flatMap((s) => (entry(s, "Path") ?? "").split(","));
    expect(paths.filter((path) => !path.startsWith("/var/log/"))).toEqual([]);
    expect(inputs.filter((s) => !/^\d+MB$/.test(entry(s, "Mem_Buf_Limit") ?? "")).map((s) => entry(s, "Alias"))).toEqual([]);
    // A line longer than the buffer is skipped instead of stopping the file; the position database
    // is Fluent Bit's alone; a new node's journal is read from its end, not replayed.
    for (const alias of ["containers", "dataplane"]) expect([entry(byAlias(alias), "Skip_Long_Lines"), entry(byAlias(alias), "DB.locking")], alias).toEqual(["On", "true"]);
    expect(entry(journal, "Read_From_Tail")).toBe("On");
  });

  it("parses JSON logs under one key (two apps' fields of one name never clash in a mapping), with pod labels, and lets pods pick a parser or opt out", () => {
    for (const filter of pipeline().filters) {
      const settings = Object.fromEntries(filter.entries);
      expect(settings, entry(filter, "Alias")).toMatchObject({
        Merge_Log: "On",
        Merge_Log_Key: "log_processed",
        Keep_Log: "Off",
        "K8S-Logging.Parser": "On",
        "K8S-Logging.Exclude": "On",
        Labels: "On",
        Annotations: "Off",
      });
    }
  });

  it("names every section by a unique alias, in the section kind it belongs to", () => {
    const { inputs, filters, outputs: out } = pipeline();
    for (const [kind, list] of [["INPUT", inputs], ["FILTER", filters], ["OUTPUT", out]] as const) expect(list.map((x) => x.kind), kind).toEqual(list.map(() => kind));
    const aliases = [...inputs, ...filters, ...out].map((x) => `${x.kind}/${entry(x, "Alias") ?? ""}`);
    expect(aliases.filter((a) => a.endsWith("/"))).toEqual([]);
    expect(new Set(aliases).size).toBe(aliases.length);
  });

  it("ships the data plane's container logs once: the containers input excludes what the dataplane input reads", () => {
    const { inputs } = pipeline();
    const byAlias = (alias: string) => inputs.find((s) => entry(s, "Alias") === alias)!;
    expect(entry(byAlias("containers"), "Exclude_Path")).toBe(entry(byAlias("dataplane"), "Path"));
    expect(entry(byAlias("dataplane"), "Path")).toBe(DATAPLANE_LOG_PATHS.join(","));
  });

  it("enriches every container input with Kubernetes metadata, matching its tag", () => {
    const { inputs, filters } = pipeline();
    const tails = inputs.filter((s) => entry(s, "Name") === "tail");
    for (const tail of tails) {
      const tag = entry(tail, "Tag")!;
      const filter = filters.filter((f) => entry(f, "Name") === "kubernetes" && tagMatches(entry(f, "Match")!, tag.replace("*", "var.log.containers.x.log")));
      expect(filter.length, tag).toBe(1);
      expect(entry(filter[0]!, "Kube_Tag_Prefix")).toBe(tag.replace("*", "var.log.containers."));
    }
  });

  it("sends every log kind to every destination exactly once, with a bounded retry, and no output matches nothing", () => {
    const { inputs, outputs: out } = pipeline();
    const tags = inputs.map((s) => entry(s, "Tag")!.replace("*", "x"));
    for (const destination of destinations) {
      for (const tag of tags) expect(out.filter((o) => entry(o, "Name") === destination && tagMatches(entry(o, "Match")!, tag)).length, `${destination} ${tag}`).toBe(1);
    }
    expect(out.map((o) => entry(o, "Name")).filter((name) => !destinations.includes(name!))).toEqual([]);
    expect(out.filter((o) => !tags.some((tag) => tagMatches(entry(o, "Match")!, tag))).map((o) => entry(o, "Alias"))).toEqual([]);
    expect(out.filter((o) => !(Number(entry(o, "Retry_Limit")) > 0)).map((o) => entry(o, "Alias"))).toEqual([]);
  });

  it("writes each kind to its own existing log group, creating none (the role may not)", () => {
    const { inputs, outputs: out } = pipeline();
    for (const kind of FLUENT_BIT_LOG_KINDS) {
      const tag = entry(inputs.find((s) => entry(s, "Alias") === kind)!, "Tag")!.replace("*", "x");
      const [cw] = out.filter((o) => entry(o, "Name") === "cloudwatch_logs" && tagMatches(entry(o, "Match")!, tag));
      expect(entry(cw!, "log_group_name"), kind).toBe(fluentBitLogGroupNames("c")[kind]);
      expect(entry(cw!, "region")).toBe(REGION);
      expect(entry(cw!, "auto_create_group")).toBe("false");
      // The stream when the template cannot be resolved: still the kind's.
      expect(entry(cw!, "log_stream_prefix")).toBe(`${kind}.`);
    }
  });

  it("signs OpenSearch requests over TLS for the domain's region", () => {
    const os = pipeline().outputs.filter((o) => entry(o, "Name") === "opensearch");
    expect(os.length).toBe("openSearch" in outputs ? FLUENT_BIT_LOG_KINDS.length : 0);
    for (const o of os) {
      expect([entry(o, "Port"), entry(o, "tls"), entry(o, "AWS_Auth"), entry(o, "AWS_Region")]).toEqual(["443", "On", "On", REGION]);
    }
  });

  it("indexes into OpenSearch 2 per kind under the prefix, without type names, dotted keys flattened, retries not duplicated", () => {
    for (const o of pipeline().outputs.filter((x) => entry(x, "Name") === "opensearch")) {
      const kind = FLUENT_BIT_LOG_KINDS.find((k) => entry(o, "Alias")!.endsWith(k))!;
      expect([entry(o, "Logstash_Format"), entry(o, "Logstash_Prefix")]).toEqual(["On", `c-${kind}`]);
      expect([entry(o, "Suppress_Type_Name"), entry(o, "Replace_Dots"), entry(o, "Generate_ID")]).toEqual(["On", "On", "On"]);
    }
  });

  it("sends Loki JSON lines with the few labels of each kind", () => {
    for (const o of pipeline().outputs.filter((x) => entry(x, "Name") === "loki")) {
      const kind = FLUENT_BIT_LOG_KINDS.find((k) => entry(o, "Alias")!.endsWith(k))!;
      expect(entry(o, "Labels")).toBe(LOKI_LABELS[kind]);
      expect(entry(o, "Labels")).toContain(`kind=${kind}`);
      expect(entry(o, "Line_Format")).toBe("json");
    }
  });

  it("writes its sections with aligned keys", () => {
    const text = classicSection("OUTPUT", [["Name", "x"], ["log_group_name", "y"], ["Match", "z"]]);
    expect(text.split("\n")).toEqual(["[OUTPUT]", "    Name           x", "    log_group_name y", "    Match          z"]);
  });

  it.each([true, false])("runs with its own service account (the role's), RBAC for the metadata, no chart test pod, a ServiceMonitor when asked (%s)", (monitor) => {
    const values = fluentBitValues({ ...input, serviceMonitor: monitor }) as any;
    expect(values.serviceAccount).toEqual({ create: true, name: "fluent-bit", annotations: ROLE });
    expect(values.rbac).toEqual({ create: true });
    expect(values.testFramework).toEqual({ enabled: false });
    expect(values.serviceMonitor).toEqual(monitor ? { enabled: true } : undefined);
  });

  it("mounts the host's logs read-only; only its state directory is writable", () => {
    const values = fluentBitValues(input) as any;
    const volumes = new Map((values.daemonSetVolumes as any[]).map((v) => [v.name, v.hostPath.path]));
    const mounts = values.daemonSetVolumeMounts as { name: string; mountPath: string; readOnly?: boolean }[];
    expect(mounts.filter((m) => !volumes.has(m.name))).toEqual([]);
    expect(mounts.filter((m) => m.readOnly !== true).map((m) => m.mountPath)).toEqual([FLUENT_BIT_STATE_DIR]);
    expect(mounts.map((m) => volumes.get(m.name))).toEqual(mounts.map((m) => m.mountPath));
    expect(values.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    // The state directory is created on a new node; the machine id must be there.
    const types = Object.fromEntries((values.daemonSetVolumes as any[]).map((v) => [v.hostPath.path, v.hostPath.type]));
    expect([types[FLUENT_BIT_STATE_DIR], types["/etc/machine-id"]]).toEqual(["DirectoryOrCreate", "File"]);
  });

  it("runs with the resources asked for and valid tolerations (Exists, or Equal with a key)", () => {
    const values = fluentBitValues(input) as any;
    expect(values.resources).toEqual(RESOURCES);
    expect((values.tolerations as any[]).filter((t) => !(t.operator === "Exists" || (t.operator === "Equal" && t.key)))).toEqual([]);
  });
});

describe("Velero's values", () => {
  const schedule = (s: Partial<VeleroScheduleInput> = {}): VeleroScheduleInput => ({ schedule: "0 3 * * *", ttl: "720h", includedNamespaces: ["*"], ...s });
  const input = {
    bucketName: "c-velero",
    prefix: "c",
    region: REGION,
    kmsKeyArn: `arn:aws:kms:${REGION}:111122223333:key/k`,
    serviceAccountAnnotations: ROLE,
    schedules: { weekly: schedule({ ttl: "2160h", snapshotVolumes: false }), daily: schedule() },
    namespace: "backup",
    csiSnapshots: false,
  };

  it("backs up to the given bucket and prefix, encrypted with the given key, and snapshots in the same region, with IRSA credentials", () => {
    const v = veleroValues(input) as any;
    expect(v.configuration.backupStorageLocation).toEqual([
      { name: VELERO_LOCATION_NAME, provider: "aws", bucket: input.bucketName, prefix: input.prefix, default: true, accessMode: "ReadWrite", config: { region: REGION, kmsKeyId: input.kmsKeyArn } },
    ]);
    expect(v.configuration.volumeSnapshotLocation).toEqual([{ name: VELERO_LOCATION_NAME, provider: "aws", config: { region: REGION } }]);
    expect(v.credentials).toEqual({ useSecret: false });
    expect(v.serviceAccount.server.annotations).toEqual(ROLE);
    expect(v.deployNodeAgent).toBe(false);
  });

  it("runs the pinned Velero image and its AWS plugin, which copies itself into the chart's plugins volume", () => {
    const v = veleroValues(input) as any;
    expect(v.image).toEqual({ repository: VELERO_IMAGE.repository, tag: VELERO_IMAGE.tag, pullPolicy: "IfNotPresent" });
    expect(v.initContainers).toMatchObject([
      { name: "velero-plugin-for-aws", image: `${VELERO_AWS_PLUGIN_IMAGE.repository}:${VELERO_AWS_PLUGIN_IMAGE.tag}`, imagePullPolicy: "IfNotPresent", volumeMounts: [{ mountPath: "/target", name: "plugins" }] },
    ]);
  });

  it("takes backups and snapshots, logs JSON, creates the service account the role trusts, and upgrades its CRDs without ever deleting them", () => {
    const v = veleroValues(input) as any;
    expect([v.backupsEnabled, v.snapshotsEnabled]).toEqual([true, true]);
    expect(v.configuration.logFormat).toBe("json");
    expect(v.serviceAccount.server).toMatchObject({ create: true, name: VELERO_SERVICE_ACCOUNT });
    expect([v.upgradeCRDs, v.cleanUpCRDs]).toEqual([true, false]);
  });

  it.each([true, false])("turns on Velero's CSI snapshots exactly when asked (%s)", (csi) => {
    expect((veleroValues({ ...input, csiSnapshots: csi }) as any).configuration.features).toBe(csi ? "EnableCSI" : undefined);
  });

  it("serves its metrics and alerts unconditionally (a missing CRD fails the install instead of dropping them)", () => {
    const { metrics } = veleroValues(input) as any;
    expect(metrics).toMatchObject({ enabled: true, serviceMonitor: { enabled: true, autodetect: false }, prometheusRule: { enabled: true, autodetect: false, spec: VELERO_ALERT_RULES } });
  });

  it("runs every container without privilege escalation, capabilities or a writable root file system; the plugin as non-root", () => {
    const v = veleroValues(input) as any;
    for (const context of [v.containerSecurityContext, ...v.initContainers.map((c: any) => c.securityContext)]) {
      expect(context).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true });
    }
    expect(v.initContainers[0].securityContext.runAsNonRoot).toBe(true);
    expect(v.podSecurityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
  });

  it("turns every schedule into the chart's entry of the same name, stored in the backup location, volumes snapshotted unless said otherwise", () => {
    const schedules = veleroSchedules(input.schedules, input.namespace);
    expect(Object.keys(schedules)).toEqual(["daily", "weekly"]);
    expect(schedules.daily).toEqual({
      schedule: "0 3 * * *",
      template: { ttl: "720h", storageLocation: VELERO_LOCATION_NAME, includedNamespaces: ["*"], excludedNamespaces: [...SYSTEM_NAMESPACES, "backup"].sort(), snapshotVolumes: true },
    });
    expect(schedules.weekly!.template).toMatchObject({ ttl: "2160h", snapshotVolumes: false });
  });

  describe("excluded namespaces", () => {
    it.each([
      ["everything", schedule(), [...SYSTEM_NAMESPACES, "backup"]],
      ["kube-system named", schedule({ includedNamespaces: ["*", "kube-system"] }), ["backup", "kube-node-lease", "kube-public"]],
      ["Velero's own named", schedule({ includedNamespaces: ["backup"] }), [...SYSTEM_NAMESPACES]],
      ["extra ones, repeated", schedule({ excludedNamespaces: ["scratch", "kube-public", "scratch"] }), [...SYSTEM_NAMESPACES, "backup", "scratch"]],
    ] as const)("%s", (_name, s, expected) => {
      expect(excludedNamespacesOf(s, "backup")).toEqual([...expected].sort());
    });
  });

  it.each([
    ["720h", 2_592_000],
    ["1h30m", 5400],
    ["1.5h", 5400],
    ["1.25h", 4500],
    ["90s", 90],
    ["1500ms", 1.5],
    ["10us", 1e-5],
    ["10µs", 1e-5],
    ["5ns", 5e-9],
    ["30d", undefined],
    ["", undefined],
    ["h", undefined],
    ["720", undefined],
    ["-1h", undefined],
    ["1h ", undefined],
  ] as const)("the Go duration %j is %s seconds", (duration, seconds) => {
    const parsed = goDurationSeconds(duration);
    // Rounded to the picosecond: sub-second units are binary fractions.
    expect(parsed === undefined ? parsed : Math.round(parsed * 1e12) / 1e12).toBe(seconds);
  });

  it.each([
    ["a TTL of exactly the expiry", { a: schedule({ ttl: "720h" }) }, []],
    ["a TTL one second longer", { a: schedule({ ttl: "720h1s" }) }, ["schedule a: ttl 720h1s outlives the bucket's 30-day expiry"]],
    ["a TTL in days", { a: schedule({ ttl: "30d" }) }, ['schedule a: ttl "30d" is not a Go duration (use h, m or s, e.g. "720h")']],
    ["no namespace", { a: schedule({ includedNamespaces: [] }) }, ["schedule a: includedNamespaces is empty"]],
    ["two schedules, in name order", { b: schedule({ includedNamespaces: [] }), a: schedule({ ttl: "1000h" }) }, ["schedule a: ttl 1000h outlives the bucket's 30-day expiry", "schedule b: includedNamespaces is empty"]],
  ] as const)("schedule issues with a 30-day expiry: %s", (_name, schedules, issues) => {
    expect(scheduleIssues(schedules, 30)).toEqual(issues);
  });

  it.each([
    ["*", "team-a", true],
    ["*", "kube-system", false],
    ["*", "backup", false],
    ["team-a", "team-a", true],
    ["team-a", "team-b", false],
  ] as const)("a schedule of %s covers %s: %s", (included, namespace, covered) => {
    expect(scheduleCovers(schedule({ includedNamespaces: [included] }), namespace, "backup")).toBe(covered);
  });

  it("names the schedules that miss a namespace, sorted", () => {
    const schedules = { z: schedule({ includedNamespaces: ["team-b"] }), a: schedule({ excludedNamespaces: ["team-a"] }), m: schedule() };
    expect(schedulesMissing(schedules, "team-a", "backup")).toEqual(["a", "z"]);
    expect(schedulesMissing({ all: schedule() }, VELERO_NAMESPACE)).toEqual(["all"]);
  });
});

describe("kube-prometheus-stack's values", () => {
  const ROOT_URL = "https://grafana.example.com";

  it("provisions data sources that link to each other by uids that exist, none editable in the UI", () => {
    const sources = [ampDataSource("https://amp.example.com/", REGION), lokiDataSource("http://loki"), jaegerDataSource("http://jaeger", { logs: true })] as any[];
    const uids = sources.map((s) => s.uid);
    expect(new Set(uids).size).toBe(sources.length);
    expect(sources.filter((s) => s.editable !== false).map((s) => s.name)).toEqual([]);
    const linked = JSON.stringify(sources.map((s) => s.jsonData)).match(/"datasourceUid":"[^"]*"/g)!.map((m) => m.slice('"datasourceUid":"'.length, -1));
    expect(new Set(linked)).toEqual(new Set(uids));
    expect(sources[0].jsonData).toMatchObject({ sigV4Auth: true, sigV4AuthType: "default", sigV4Region: REGION });
  });

  it("links metrics to traces, logs to traces, traces to logs and metrics; served through Grafana (proxy), AMP by its installed plugin and not the default", () => {
    const [amp, loki, jaeger] = [ampDataSource("https://amp.example.com/", REGION), lokiDataSource("http://loki"), jaegerDataSource("http://jaeger", { logs: true })] as any[];
    const links = (source: any) => (JSON.stringify(source.jsonData).match(/"datasourceUid":"[^"]*"/g) ?? []).map((m) => m.slice('"datasourceUid":"'.length, -1)).sort();
    expect([links(amp), links(loki), links(jaeger)]).toEqual([[jaeger.uid], [jaeger.uid], [amp.uid, loki.uid].sort()]);
    for (const source of [amp, loki, jaeger]) expect(source.name && source.type && source.access, source.uid).toBe("proxy");
    expect([loki.type, jaeger.type]).toEqual(["loki", "jaeger"]);
    expect(amp.type).toBe(AMP_DATASOURCE_PLUGIN.id);
    expect((kubePrometheusStack(1) as any).grafana.plugins).toEqual([`${AMP_DATASOURCE_PLUGIN.id}@${AMP_DATASOURCE_PLUGIN.version}`]);
    expect(amp.isDefault).toBe(false);
    // Long PromQL queries fit in a POST body.
    expect(amp.jsonData.httpMethod).toBe("POST");
    expect(amp.jsonData.exemplarTraceIdDestinations).toEqual([{ name: "trace_id", datasourceUid: jaeger.uid }]);
  });

  // Lines as Fluent Bit ships them to Loki: compact JSON (Line_Format json), or logfmt inside `log`.
  it.each(['{"log_processed":{"trace_id":"4bf92f3577b34da6"}}', '{"log":"level=info traceID=4bf92f3577b34da6"}', '{"traceId":"4bf92f3577b34da6"}'])("finds the trace id in the log line %s and links it to Jaeger", (line) => {
    const [field] = (lokiDataSource("http://loki").jsonData as any).derivedFields;
    expect(new RegExp(field.matcherRegex).exec(line)?.[1]).toBe("4bf92f3577b34da6");
    // `$$` escapes Grafana's provisioning variable expansion.
    expect(field).toMatchObject({ name: "TraceID", url: "$${__value.raw}", datasourceUid: "jaeger" });
  });

  it("links a span to the logs and metrics around it, by labels the other stores have", () => {
    const { tracesToLogsV2, tracesToMetrics } = (jaegerDataSource("http://jaeger", { logs: true }).jsonData as any);
    for (const link of [tracesToLogsV2, tracesToMetrics]) {
      expect(link.spanStartTimeShift, "starts before the span").toMatch(/^-\d+[smh]$/);
      expect(link.spanEndTimeShift, "ends after the span").toMatch(/^\d+[smh]$/);
      expect(link.tags.length).toBeGreaterThan(0);
    }
    expect([tracesToLogsV2.filterByTraceID, tracesToLogsV2.filterBySpanID]).toEqual([true, false]);
    // The Loki labels Fluent Bit sets on container logs.
    const lokiLabels = LOKI_LABELS.containers.split(",").map((l) => l.trim().split("=")[0]);
    expect(tracesToLogsV2.tags.filter((t: { value: string }) => !lokiLabels.includes(t.value))).toEqual([]);
    expect(tracesToLogsV2.tags.map((t: { key: string }) => t.key)).toEqual(["k8s.namespace.name"]);
    expect(tracesToMetrics.tags).toEqual([{ key: "service.name", value: "service" }]);
  });

  it("installs the operator's CRDs and default rules, and gives Prometheus and Grafana the service accounts their roles trust", () => {
    const values = kubePrometheusStack(1) as any;
    expect([values.crds, values.defaultRules]).toEqual([{ enabled: true }, { create: true }]);
    expect(values.prometheus.serviceAccount).toEqual({ create: true, name: PROMETHEUS_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": ROLE["eks.amazonaws.com/role-arn"] } });
    expect(values.grafana.serviceAccount).toEqual({ create: true, name: GRAFANA_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": ROLE["eks.amazonaws.com/role-arn"] } });
    expect([values.grafana.enabled, values.grafana.defaultDashboardsEnabled]).toEqual([true, true]);
    // Its password is generated by the chart into GRAFANA_ADMIN_SECRET, never set here.
    expect(values.grafana.adminUser).toBe("admin");
    expect(values.grafana.adminPassword).toBeUndefined();
  });

  it("keeps the replicas of Prometheus and Alertmanager on different nodes where it can", () => {
    const values = kubePrometheusStack(2) as any;
    for (const spec of [values.prometheus.prometheusSpec, values.alertmanager.alertmanagerSpec]) {
      expect([spec.podAntiAffinity, spec.podAntiAffinityTopologyKey]).toEqual(["soft", "kubernetes.io/hostname"]);
    }
  });

  it("provisions the repository's dashboards from labelled ConfigMaps of any namespace, in their annotated folders, not editable in the UI", () => {
    const { sidecar } = (kubePrometheusStack(1) as any).grafana;
    expect(sidecar.dashboards).toEqual({
      enabled: true,
      label: GRAFANA_DASHBOARD_LABEL.key,
      labelValue: GRAFANA_DASHBOARD_LABEL.value,
      searchNamespace: "ALL",
      folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
      provider: { allowUiUpdates: false, foldersFromFilesStructure: true },
    });
  });

  it.each([true, false])("passes on the inputs it is given, and nothing when none are (%s)", (given) => {
    const base = kubePrometheusStackInput(2);
    const input: KubePrometheusStackValuesInput = given
      ? base
      : { ...base, grafanaIni: undefined, podMonitors: undefined, alertmanagerConfig: undefined, alertmanagerSecrets: undefined, grafanaDatabase: undefined, dataSources: undefined, nodeLabelsForMetrics: undefined };
    const values = kubePrometheusStackValues(input) as any;
    expect(values.prometheus.additionalPodMonitors).toEqual(given ? base.podMonitors : []);
    expect(values.alertmanager.config).toEqual(given ? base.alertmanagerConfig : undefined);
    expect(values.alertmanager.alertmanagerSpec.secrets).toEqual(given ? base.alertmanagerSecrets : []);
    expect(values.grafana.additionalDataSources).toEqual([ampDataSource(base.ampQueryUrl, REGION), ...(given ? base.dataSources! : [])]);
    expect(values.grafana.envValueFrom).toEqual(given ? grafanaDatabaseEnv(base.grafanaDatabase!) : undefined);
    expect(values.grafana["grafana.ini"].server).toEqual(given ? base.grafanaIni!.server : undefined);
    expect(values.grafana["grafana.ini"].database).toEqual(given ? grafanaDatabaseIni(base.grafanaDatabase!, 2, "monitoring").database : undefined);
    expect(values["kube-state-metrics"].metricLabelsAllowlist).toEqual(given ? [`nodes=[${base.nodeLabelsForMetrics!.join(",")}]`] : []);
  });

  it("puts Grafana's alerting peers in the release's namespace (monitoring unless given)", () => {
    const peers = (namespace?: string) =>
      (kubePrometheusStackValues({ ...kubePrometheusStackInput(2), ...(namespace ? { namespace } : {}) }) as any).grafana["grafana.ini"].unified_alerting.ha_peers;
    expect(peers()).toContain(".monitoring.svc.cluster.local:");
    expect(peers("observability")).toContain(".observability.svc.cluster.local:");
  });

  it("links traces to logs only when there are logs", () => {
    expect((jaegerDataSource("http://jaeger", { logs: false }).jsonData as Values).tracesToLogsV2).toBeUndefined();
    expect((jaegerDataSource("http://jaeger", { logs: true }).jsonData as any).tracesToLogsV2.datasourceUid).toBe(LOKI_DATASOURCE_UID);
  });

  it("configures Grafana without phoning home, with SigV4 and AWS credentials from the default chain only, whatever is added", () => {
    const ini = grafanaIni({ auth: { generic_oauth: { enabled: true } } }) as any;
    expect(ini.analytics).toEqual({ check_for_updates: false, reporting_enabled: false });
    expect(ini.auth).toEqual({ sigv4_auth_enabled: true, generic_oauth: { enabled: true } });
    expect(ini.aws).toEqual({ allowed_auth_providers: "default" });
  });

  it.each([1, 2, 3])("shares Grafana's database over TLS, credentials from the Secret, and alert state between %i replicas when replicated", (replicas) => {
    const db = { host: "db.example.com", port: 5432, name: "grafana", secretName: "grafana-db" };
    const ini = grafanaDatabaseIni(db, replicas, "monitoring") as any;
    expect(ini.database).toEqual({ type: "postgres", host: "db.example.com:5432", name: "grafana", ssl_mode: "require" });
    expect(grafanaDatabaseEnv(db)).toEqual({
      GF_DATABASE_USER: { secretKeyRef: { name: "grafana-db", key: "username" } },
      GF_DATABASE_PASSWORD: { secretKeyRef: { name: "grafana-db", key: "password" } },
    });
    if (replicas === 1) return expect(ini.unified_alerting).toBeUndefined();
    expect(ini.unified_alerting).toEqual({
      enabled: true,
      ha_peers: `${GRAFANA_SERVICE_ACCOUNT}-headless.monitoring.svc.cluster.local:${GRAFANA_GOSSIP_PORT}`,
      ha_listen_address: `$__env{POD_IP}:${GRAFANA_GOSSIP_PORT}`,
      ha_advertise_address: `$__env{POD_IP}:${GRAFANA_GOSSIP_PORT}`,
    });
  });

  it.each(["https://grafana.example.com", "https://grafana.example.com/", "https://grafana.example.com//"])("serves Grafana at %s, and sends the redirect URI the realm lists", (root) => {
    expect(grafanaServerIni(root)).toEqual({ server: { root_url: ROOT_URL, domain: "grafana.example.com" } });
    expect(grafanaOAuthRedirectUri(root)).toBe(`${ROOT_URL}/login/generic_oauth`);
  });
  it("serves Grafana on plain HTTP too (a port-forward)", () => {
    expect(grafanaServerIni("http://localhost:3000/")).toEqual({ server: { root_url: "http://localhost:3000", domain: "localhost" } });
  });
  it.each(["grafana.example.com", "/grafana", "ftp://grafana.example.com"])("refuses the root URL %s", (root) => {
    expect(() => grafanaServerIni(root)).toThrow(/absolute http\(s\) URL/);
  });

  it("sends every sample to AMP signed for its region, labelled by cluster and deduplicated by replica, and selects every team's monitors and rules", () => {
    const { prometheusSpec } = (kubePrometheusStack(2) as any).prometheus;
    expect(prometheusSpec.remoteWrite).toEqual([{ name: "amp", url: expect.stringMatching(/\/api\/v1\/remote_write$/), sigv4: { region: REGION } }]);
    expect(prometheusSpec.externalLabels).toEqual({ cluster: "c" });
    expect(prometheusSpec.replicaExternalLabelName).toBe(AMP_REPLICA_LABEL);
    const selectors = Object.entries(prometheusSpec).filter(([key]) => key.endsWith("SelectorNilUsesHelmValues"));
    expect(selectors.map(([key]) => key).sort()).toEqual(["podMonitor", "probe", "rule", "scrapeConfig", "serviceMonitor"].map((k) => `${k}SelectorNilUsesHelmValues`));
    expect(selectors.filter(([, v]) => v !== false)).toEqual([]);
  });

  it("scrapes nothing EKS runs for it (scheduler, controller manager, etcd, kube-proxy)", () => {
    const values = kubePrometheusStack(1) as any;
    for (const component of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) expect(values[component], component).toEqual({ enabled: false });
  });

  it("keeps Prometheus, Alertmanager and Grafana on ReadWriteOnce volumes of the given class and sizes", () => {
    const values = kubePrometheusStack(1) as any;
    const claim = (gib: number) => ({ volumeClaimTemplate: { spec: { storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gib}Gi` } } } } });
    expect(values.prometheus.prometheusSpec.storageSpec).toEqual(claim(50));
    expect(values.alertmanager.alertmanagerSpec.storage).toEqual(claim(5));
    expect(values.grafana.persistence).toMatchObject({ enabled: true, type: "sts", storageClassName: "gp3", accessModes: ["ReadWriteOnce"], size: "10Gi" });
  });

  it.each([
    [[], []],
    [["topology.kubernetes.io/zone", "eks.amazonaws.com/nodegroup"], ["nodes=[topology.kubernetes.io/zone,eks.amazonaws.com/nodegroup]"]],
  ])("copies the node labels %j onto kube_node_labels", (labels, allowlist) => {
    const values = kubePrometheusStackValues({ ...kubePrometheusStackInput(1), nodeLabelsForMetrics: labels }) as any;
    expect(values["kube-state-metrics"].metricLabelsAllowlist).toEqual(allowlist);
  });
});

describe("the request rule", () => {
  it.each([
    ["100m", true],
    ["0.5", true],
    ["128Mi", true],
    ["1G", true],
    [2, true],
    ["", false],
    [0, false],
    ["lots", false],
    [undefined, false],
  ])("a CPU request of %j counts: %s", (cpu, counts) => {
    const values = { resources: { requests: { cpu, memory: "128Mi" } }, upgradeJobResources: { requests: { cpu: "10m", memory: "16Mi" } } };
    expect(missingRequests("velero", values)).toEqual(counts ? [] : ["velero (resources.requests.cpu)"]);
    expect(addedContainersWithoutRequests({ initContainers: [{ name: "x", resources: values.resources }] })).toEqual(counts ? [] : ["initContainers[0]"]);
  });
});
