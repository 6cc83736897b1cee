/**
 * Observability you can operate (issue 16): alert routing with an amtool-style check, platform rules
 * and dashboards delivered through the repository's chart, IP headroom per planned subnet, Grafana on
 * a shared database, Loki and the data sources. Rules over every environment; pure functions at their
 * boundaries.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { environments } from "../environments";
import { environmentSchema } from "../environments/schema";
import {
  ALERTMANAGER_RECEIVER_SECRET,
  AlertmanagerConfig,
  alertmanagerConfig,
  alertmanagerSecretPath,
  checkAlertmanagerConfig,
  GRAFANA_DASHBOARD_LABEL,
  JAEGER_DATASOURCE_UID,
  LOKI_DATASOURCE_UID,
  matcherProblem,
  NULL_RECEIVER,
  WATCHDOG_ALERT,
} from "../addons/kube-prometheus-stack";
import { LOKI_DEPLOYMENT_MODES, LOKI_LIFECYCLE_MARGIN_DAYS, lokiLifecycleRules } from "../addons/loki";
import {
  ADDRESSES_PER_PREFIX,
  IP_HEADROOM_THRESHOLDS,
  ipHeadroomDashboard,
  NODE_IP_RULES,
  PLATFORM_RULE_GROUPS,
  plannedPodAddresses,
  podAddressTier,
  repositoryDashboards,
  RULE_SOURCES,
  subnetHeadroomRules,
  thresholdAddresses,
} from "../addons/platform-alerts";
import { fluentBitPipeline, LOKI_LABELS } from "../addons/fluent-bit/values";
import type { TierCapacity } from "../modules/network/ip-plan";
import { environmentInputs } from "./support/environments";
import { platform, resources, synth } from "./support/platform";

const envs = environments.map((e) => e.name);
const validated = (name: string) => platform().envs.find((e) => e.name === name)!;
const addonsOf = (name: string) => synth(platform().stacks.environments[name]!.addons);
const releases = (name: string) =>
  Object.entries(resources(addonsOf(name), "helm_release")).map(([id, r]) => ({ id, config: r, values: parse(r.values?.[0] ?? "{}") ?? {} }));
const release = (name: string, releaseName: string) => releases(name).find((r) => r.config.name === releaseName);

/**
 * Every metric the platform's rules and dashboards query, with where its name was read. A rule that
 * uses a metric not listed here fails: add the metric with its source, never a guessed name.
 */
const VERIFIED_METRICS: Readonly<Record<string, string>> = {
  karpenter_cloudprovider_errors_total: "karpenter.sh/docs/reference/metrics",
  karpenter_interruption_received_messages_total: "karpenter.sh/docs/reference/metrics",
  karpenter_interruption_deleted_messages_total: "karpenter.sh/docs/reference/metrics",
  karpenter_interruption_message_queue_duration_seconds_bucket: "karpenter.sh/docs/reference/metrics (histogram)",
  certmanager_certificate_expiration_timestamp_seconds: "cert-manager pkg/metrics",
  certmanager_certificate_ready_status: "cert-manager pkg/metrics",
  externalsecret_sync_calls_error: "external-secrets.io/latest/api/metrics",
  externalsecret_status_condition: "external-secrets.io/latest/api/metrics",
  keycloak_user_events_total: "keycloak.org/observability/metrics-for-troubleshooting-keycloak",
  agroal_awaiting_count: "Quarkus Agroal datasource metrics",
  controller_runtime_reconcile_errors_total: "controller-runtime pkg/internal/controller/metrics",
  fluentbit_output_errors_total: "docs.fluentbit.io administration/monitoring",
  fluentbit_output_retries_failed_total: "docs.fluentbit.io administration/monitoring",
  prometheus_remote_storage_samples_failed_total: "prometheus CHANGELOG #6815",
  prometheus_remote_storage_samples_dropped_total: "prometheus CHANGELOG #6815",
  velero_backup_last_successful_timestamp: "velero pkg/metrics/metrics.go",
  awscni_total_ip_addresses: "amazon-vpc-cni-k8s utils/prometheusmetrics",
  awscni_assigned_ip_addresses: "amazon-vpc-cni-k8s utils/prometheusmetrics",
  awscni_ip_max: "amazon-vpc-cni-k8s utils/prometheusmetrics",
  awscni_eni_allocated: "amazon-vpc-cni-k8s utils/prometheusmetrics",
  awscni_eni_max: "amazon-vpc-cni-k8s utils/prometheusmetrics",
  awscni_no_available_ip_addresses: "amazon-vpc-cni-k8s utils/prometheusmetrics",
  awscni_aws_api_error_count: "amazon-vpc-cni-k8s utils/prometheusmetrics",
  awscni_ipamd_error_count: "amazon-vpc-cni-k8s utils/prometheusmetrics",
  kube_node_labels: "kube-state-metrics docs/metrics/cluster/node-metrics.md",
};
/** `{__name__=~"otelcol_receiver_refused_spans(_total)?"}`: both spellings of the collector's counter. */
const VERIFIED_NAME_REGEXES = new Set(['otelcol_receiver_refused_spans(_total)?']);
const PROMQL_WORDS = new Set(["sum", "by", "rate", "increase", "max", "min", "histogram_quantile", "time", "on", "group_left", "group_right", "and", "or", "vector", "ignoring", "le"]);

/** Metric names of a PromQL expression: identifiers followed by `{`, `[`, `)` or an operator, minus labels and functions. */
function metricsOf(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutLabels = withoutStrings.replace(/\{[^}]*\}/g, "{}").replace(/\b(by|on|ignoring|group_left|group_right|without)\s*\([^)]*\)/g, "");
  return [...withoutLabels.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b/g)]
    .map((m) => m[1]!)
    .filter((w) => !PROMQL_WORDS.has(w) && /_/.test(w) && !/^\d/.test(w));
}

describe("Alertmanager configuration (amtool-style)", () => {
  it.each(envs)("%s: every route names a defined receiver, every matcher parses, every receiver is used", (name) => {
    const config = alertmanagerConfig(validated(name).addons.observability.alerting);
    expect(checkAlertmanagerConfig(config)).toEqual([]);
    const defined = new Set(config.receivers.map((r) => r.name));
    const walk = (route: AlertmanagerConfig["route"]): void => {
      if (route.receiver) expect(defined.has(route.receiver), route.receiver).toBe(true);
      for (const m of route.matchers ?? []) expect(matcherProblem(m), m).toBeUndefined();
      (route.routes ?? []).forEach(walk);
    };
    walk(config.route);
  });

  it.each(envs)("%s: the rendered values carry the config, credentials only as files of the ExternalSecret's Secret", (name) => {
    const env = validated(name);
    const kps = release(name, "kube-prometheus-stack")!;
    const am = kps.values.alertmanager;
    expect(am.config).toEqual(JSON.parse(JSON.stringify(alertmanagerConfig(env.addons.observability.alerting))));
    expect(am.alertmanagerSpec.secrets).toEqual([ALERTMANAGER_RECEIVER_SECRET]);
    const rendered = kps.config.values[0] as string;
    for (const [key, r] of Object.entries(env.addons.observability.alerting.receivers)) {
      expect(rendered).not.toContain(r.secretArn);
      const receiver = am.config.receivers.find((x: any) => x.name === key);
      const files = JSON.stringify(receiver).match(/"(api_url_file|routing_key_file|url_file)":"([^"]+)"/);
      expect(files?.[2], key).toBe(alertmanagerSecretPath(ALERTMANAGER_RECEIVER_SECRET, key));
      expect(JSON.stringify(receiver)).not.toMatch(/"(api_url|routing_key|service_key|url)":/);
    }
    // The ExternalSecret reads each receiver's secret by reference.
    const secrets = releases(name).find((r) => r.config.name === "monitoring-secrets")!;
    const es = secrets.values.resources.find((o: any) => o.kind === "ExternalSecret" && o.metadata.name === ALERTMANAGER_RECEIVER_SECRET);
    expect(es.spec.data.map((d: any) => d.remoteRef.key).sort()).toEqual(Object.values(env.addons.observability.alerting.receivers).map((r) => r.secretArn).sort());
    expect(kps.config.depends_on).toContain(`helm_release.${secrets.id}`);
  });

  it("routes Watchdog to the heartbeat receiver when there is one, and drops it otherwise", () => {
    const receivers = { slack: { type: "slack" as const, channel: "#a", secretArn: "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:x" } };
    const base = { receivers, defaultReceiver: "slack", teams: {} };
    const watchdog = (c: AlertmanagerConfig) => c.route.routes!.find((r) => r.matchers?.includes(`alertname="${WATCHDOG_ALERT}"`))!;
    expect(watchdog(alertmanagerConfig({ ...base, watchdogReceiver: "slack" }))).toMatchObject({ receiver: "slack", repeat_interval: "1m" });
    expect(watchdog(alertmanagerConfig(base)).receiver).toBe(NULL_RECEIVER);
    // Critical route only when it differs from the default; team routes before it.
    const c = alertmanagerConfig({ ...base, criticalReceiver: "slack", teams: { payments: "slack" } });
    expect(c.route.routes!.some((r) => r.matchers?.includes('severity="critical"'))).toBe(false);
    expect(c.route.routes!.some((r) => r.matchers?.includes('team="payments"'))).toBe(true);
  });

  it("parses matchers as Alertmanager does and names what is wrong", () => {
    for (const ok of ['severity="critical"', "severity=critical", 'alertname!="Watchdog"', 'severity=~"warning|info"', 'job!~".*x"', 'a = "b"']) {
      expect(matcherProblem(ok), ok).toBeUndefined();
    }
    expect(matcherProblem("severity")).toMatch(/not <label><op><value>/);
    expect(matcherProblem('1abc="x"')).toMatch(/not a label name/);
    expect(matcherProblem('a=~"("')).toMatch(/a=~/);
    expect(matcherProblem('a=="x"')).toBeDefined();
  });

  it("finds undefined, duplicate and unused receivers, a root without receiver and bad inhibit matchers", () => {
    const good = alertmanagerConfig({
      receivers: { slack: { type: "slack", channel: "#a", secretArn: "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:x" } },
      defaultReceiver: "slack",
      teams: {},
    });
    expect(checkAlertmanagerConfig(good)).toEqual([]);
    const bad: AlertmanagerConfig = {
      ...good,
      route: { ...good.route, receiver: undefined, routes: [...good.route.routes!, { receiver: "nobody", matchers: ['team="x"'] }] },
      receivers: [...good.receivers, { name: "slack" }, { name: "spare" }],
      inhibit_rules: [{ source_matchers: ["bad matcher"], target_matchers: ['a="b"'] }],
    };
    const problems = checkAlertmanagerConfig(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        'receiver "slack" is defined twice',
        "the root route has no receiver",
        expect.stringMatching(/names receiver "nobody", which is not defined/),
        expect.stringMatching(/^inhibit_rules\[0\]/),
        'receiver "spare" is not used by any route',
      ]),
    );
  });
});

describe("environment schema: alerting and Grafana's database", () => {
  const parseEnv = (mutate: (e: any) => void) => {
    const input = Object.values(environmentInputs())[0];
    mutate(input);
    return environmentSchema.safeParse(input);
  };

  it("requires a shared database from two Grafana replicas on, not with one", () => {
    expect(parseEnv((e) => Object.assign(e.addons.observability, { grafanaReplicas: 1, grafanaDatabase: undefined })).success).toBe(true);
    const two = parseEnv((e) => Object.assign(e.addons.observability, { grafanaReplicas: 2, grafanaDatabase: undefined }));
    expect(two.success).toBe(false);
    expect(JSON.stringify(two.error?.issues)).toMatch(/grafanaDatabase/);
  });

  it("refuses a route to a receiver that is not defined, and a receiver without a secret ARN", () => {
    const undefinedReceiver = parseEnv((e) => (e.addons.observability.alerting.teams = { payments: "nobody" }));
    expect(undefinedReceiver.success).toBe(false);
    expect(JSON.stringify(undefinedReceiver.error?.issues)).toMatch(/names receiver \\"nobody\\"/);
    const literal = parseEnv((e) => {
      const [first] = Object.keys(e.addons.observability.alerting.receivers);
      e.addons.observability.alerting.receivers[first!].secretArn = "https://hooks.slack.com/services/T000/B000/XXXX";
    });
    expect(literal.success).toBe(false);
  });
});

describe("platform rules and dashboards", () => {
  it("queries only metrics whose names were read in upstream sources", () => {
    // The extraction itself: names, not functions, labels or label values.
    expect(metricsOf('sum by (pod) (rate(foo_bar_total{job="x_y"}[5m])) > on(node) group_left() kube_node_labels')).toEqual(["foo_bar_total", "kube_node_labels"]);
    const exprs = [...PLATFORM_RULE_GROUPS.flatMap((g) => g.rules.map((r) => r.expr)), ...NODE_IP_RULES.map((r) => r.expr)];
    for (const d of Object.values(repositoryDashboards())) {
      for (const p of (d.panels as any[]) ?? []) for (const t of p.targets ?? []) exprs.push(t.expr);
    }
    for (const expr of exprs) {
      for (const metric of metricsOf(expr)) expect(VERIFIED_METRICS[metric], `${metric} in ${expr}`).toBeDefined();
      for (const [, regex] of expr.matchAll(/__name__=~"([^"]+)"/g)) expect(VERIFIED_NAME_REGEXES.has(regex!), regex).toBe(true);
    }
    for (const g of PLATFORM_RULE_GROUPS) expect(RULE_SOURCES[g.name], g.name).toBeDefined();
  });

  it.each(envs)("%s: delivers every rule group as a PrometheusRule and every dashboard as a labelled ConfigMap, after the CRDs", (name) => {
    const r = release(name, "platform-alerts")!;
    expect(r.config.chart).toMatch(/^\.\/assets\//);
    const objects = r.values.resources as any[];
    const rules = objects.filter((o) => o.kind === "PrometheusRule");
    const groups = rules.flatMap((o) => o.spec.groups.map((g: any) => g.name));
    expect(groups).toEqual(expect.arrayContaining([...PLATFORM_RULE_GROUPS.map((g) => g.name), "ip-headroom"]));
    const maps = objects.filter((o) => o.kind === "ConfigMap");
    expect(maps.map((m) => m.metadata.name)).toEqual(expect.arrayContaining(["dashboard-ip-headroom", ...Object.keys(repositoryDashboards()).map((n) => `dashboard-${n}`)]));
    for (const m of maps) expect(m.metadata.labels[GRAFANA_DASHBOARD_LABEL.key]).toBe(GRAFANA_DASHBOARD_LABEL.value);
    const kps = release(name, "kube-prometheus-stack")!;
    expect(r.config.depends_on).toContain(`helm_release.${kps.id}`);
    expect(kps.values.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: GRAFANA_DASHBOARD_LABEL.key, searchNamespace: "ALL" });
  });

  it.each(envs)("%s: renders PrometheusRules as the Prometheus Operator reads them (monitoring.coreos.com/v1)", (name) => {
    const rules = (release(name, "platform-alerts")!.values.resources as any[]).filter((o) => o.kind === "PrometheusRule");
    expect(rules.length).toBeGreaterThan(0);
    for (const o of rules) {
      expect(o.apiVersion).toBe("monitoring.coreos.com/v1");
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      for (const g of o.spec.groups) {
        expect(g.name).toMatch(/\S/);
        for (const r of g.rules) {
          expect(Object.keys(r).sort()).toEqual(["alert", "annotations", "expr", "for", "labels"]);
          expect(r.alert).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
          expect(r.for).toMatch(/^\d+[smhdwy]$/);
          expect(["critical", "warning", "info"]).toContain(r.labels.severity);
          expect(r.expr.split("(").length, r.expr).toBe(r.expr.split(")").length);
        }
      }
    }
  });

  it("keeps each repository dashboard's uid unique", () => {
    const uids = Object.values(repositoryDashboards()).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });
});

describe("IP headroom", () => {
  const row = (extra: Partial<TierCapacity> = {}): TierCapacity => ({
    tier: "private",
    az: "ap-northeast-2a",
    reserved: "10.0.0.0/19",
    subnets: ["10.0.0.0/20"],
    usable: 4091,
    demand: 100,
    peakDuringUpgrade: 120,
    headroomPercent: 97,
    ...extra,
  });

  it("compares pods with the addresses their tier's subnet holds: prefixes with prefix delegation", () => {
    expect(plannedPodAddresses(row())).toBe(4091);
    expect(plannedPodAddresses(row({ prefixes: { capacity: 100, demand: 10, peak: 12 } }))).toBe(100 * ADDRESSES_PER_PREFIX);
    expect(podAddressTier("custom-networking")).toBe("pods");
    expect(podAddressTier("secondary-ip")).toBe("private");
    expect(podAddressTier("prefix-delegation")).toBe("private");
  });

  it("rounds thresholds down (an alert early, never late)", () => {
    expect(thresholdAddresses(4091, 0.8)).toBe(3272);
    expect(thresholdAddresses(10, 0.8)).toBe(8);
  });

  it.each(envs)("%s: two rules and one dashboard panel per planned pod subnet, thresholds from its usable size", (name) => {
    const env = validated(name);
    const mode = env.cluster.podNetworking;
    const planned = env.ipPlan.capacity.filter((c) => c.tier === podAddressTier(mode));
    expect(planned.length).toBe(env.availabilityZones.length);
    const rules = subnetHeadroomRules(env.ipPlan, mode);
    expect(rules).toHaveLength(planned.length * 2);
    for (const c of planned) {
      const own = rules.filter((r) => r.expr.includes(`"${c.az}"`));
      expect(own.map((r) => r.labels.severity).sort()).toEqual(["critical", "warning"]);
      for (const r of own) expect(r.expr.endsWith(`> ${thresholdAddresses(plannedPodAddresses(c), IP_HEADROOM_THRESHOLDS[r.labels.severity as "warning" | "critical"])}`)).toBe(true);
    }
    const dashboard = ipHeadroomDashboard(env.ipPlan, mode, "prometheus") as any;
    expect(dashboard.panels).toHaveLength(planned.length);
    // The rules synthesized into the environment's release are these.
    const group = release(name, "platform-alerts")!.values.resources.flatMap((o: any) => o.spec?.groups ?? []).find((g: any) => g.name === "ip-headroom");
    expect(group.rules.filter((r: any) => r.alert.startsWith("Subnet"))).toHaveLength(planned.length * 2);
    // The CNI is scraped and the zone join has its label.
    const kps = release(name, "kube-prometheus-stack")!.values;
    expect(kps.prometheus.additionalPodMonitors).toContainEqual(expect.objectContaining({ name: "aws-node" }));
    expect(kps["kube-state-metrics"].metricLabelsAllowlist).toEqual(["nodes=[topology.kubernetes.io/zone]"]);
  });
});

describe("Grafana HA and data sources", () => {
  it.each(envs)("%s: more than one Grafana replica runs on the shared, encrypted database; credentials from a Secret", (name) => {
    const env = validated(name);
    const json = addonsOf(name);
    const dbs = Object.values(resources(json, "aws_db_instance")).filter((d: any) => String(d.identifier).endsWith("-grafana"));
    const grafana = release(name, "kube-prometheus-stack")!.values.grafana;
    if (env.addons.observability.grafanaReplicas > 1) {
      expect(dbs).toHaveLength(1);
      const db = dbs[0] as any;
      expect(db).toMatchObject({ storage_encrypted: true, manage_master_user_password: true, publicly_accessible: false });
      expect(db.deletion_protection).toBe(true);
      expect(db.lifecycle?.prevent_destroy ?? false).toBe(env.stage === "prod");
      expect(grafana["grafana.ini"].database).toMatchObject({ type: "postgres", ssl_mode: "require" });
      expect(grafana["grafana.ini"].database.password).toBeUndefined();
      expect(grafana.envValueFrom.GF_DATABASE_PASSWORD.secretKeyRef).toMatchObject({ key: "password" });
      expect(grafana["grafana.ini"].unified_alerting.ha_peers).toMatch(/-headless\..*:9094$/);
    } else {
      expect(dbs).toHaveLength(0);
      expect(grafana["grafana.ini"].database).toBeUndefined();
    }
  });

  it.each(envs)("%s: provisions AMP, Jaeger and (where selected) Loki, linked trace <-> log <-> metric", (name) => {
    const env = validated(name);
    const sources = release(name, "kube-prometheus-stack")!.values.grafana.additionalDataSources as any[];
    const uid = (u: string) => sources.find((s) => s.uid === u);
    expect(uid("amp").jsonData.exemplarTraceIdDestinations).toEqual([{ name: "trace_id", datasourceUid: JAEGER_DATASOURCE_UID }]);
    expect(uid(JAEGER_DATASOURCE_UID).jsonData.tracesToMetrics.datasourceUid).toBe("amp");
    if (env.addons.logging.loki) {
      expect(uid(LOKI_DATASOURCE_UID).jsonData.derivedFields[0].datasourceUid).toBe(JAEGER_DATASOURCE_UID);
      expect(uid(JAEGER_DATASOURCE_UID).jsonData.tracesToLogsV2.datasourceUid).toBe(LOKI_DATASOURCE_UID);
    } else {
      expect(uid(LOKI_DATASOURCE_UID)).toBeUndefined();
      expect(uid(JAEGER_DATASOURCE_UID).jsonData.tracesToLogsV2).toBeUndefined();
    }
  });
});

describe("Loki", () => {
  it("expires the bucket's objects after the retention and a margin; refuses a retention below one day", () => {
    expect(lokiLifecycleRules(30)[0]!.expiration).toEqual([{ days: 30 + LOKI_LIFECYCLE_MARGIN_DAYS }]);
    expect(() => lokiLifecycleRules(0)).toThrow(/positive whole number/);
    expect(() => lokiLifecycleRules(1.5)).toThrow(/positive whole number/);
  });

  it.each(envs)("%s: Loki where selected, with its bucket, a role on that bucket only, and Fluent Bit writing to it", (name) => {
    const env = validated(name);
    const json = addonsOf(name);
    const loki = release(name, "loki");
    const fluentBit = release(name, "fluent-bit")!;
    if (!env.addons.logging.loki) {
      expect(loki).toBeUndefined();
      expect(fluentBit.values.config.outputs).not.toMatch(/Name\s+loki/);
      return;
    }
    expect(loki!.values.deploymentMode).toBe(LOKI_DEPLOYMENT_MODES[env.addons.logging.loki.mode]);
    const [bucketId, bucket] = Object.entries(resources(json, "aws_s3_bucket")).find(([, b]: any) => String(b.bucket).includes("-loki-"))!;
    const lifecycle = Object.values(resources(json, "aws_s3_bucket_lifecycle_configuration")).find((l: any) => l.bucket === `\${aws_s3_bucket.${bucketId}.id}`) as any;
    expect(lifecycle.rule.map((r: any) => r.expiration?.[0]?.days).filter(Boolean)).toEqual([env.addons.logging.loki.retentionDays + LOKI_LIFECYCLE_MARGIN_DAYS]);
    expect(bucket).toBeDefined();
    const policy = Object.values(resources(json, "aws_iam_role_policy")).find((p: any) => String(p.name ?? "").includes("loki") || String(p.role).includes("loki")) as any;
    const statements = JSON.parse(policy.policy).Statement as any[];
    for (const s of statements.filter((x) => x.Action.some((a: string) => a.startsWith("s3:")))) {
      for (const r of [s.Resource].flat()) expect(r).toMatch(new RegExp(`aws_s3_bucket\\.${bucketId}\\.arn`));
    }
    expect(fluentBit.values.config.outputs).toMatch(/Name\s+loki/);
    expect(fluentBit.config.depends_on).toContain(`helm_release.${loki!.id}`);
  });

  it("labels Loki streams with bounded Kubernetes metadata only", () => {
    const pipeline = fluentBitPipeline({
      serviceAccountName: "fluent-bit",
      serviceAccountAnnotations: {},
      region: "ap-northeast-2",
      logGroupNames: { containers: "c", nodes: "n", dataplane: "d" },
      loki: { host: "loki-gateway.loki.svc.cluster.local", port: 80 },
      resources: { requests: { cpu: "1", memory: "1Mi" }, limits: { memory: "1Mi" } },
    });
    for (const labels of Object.values(LOKI_LABELS)) expect(pipeline.outputs).toContain(labels);
    expect(Object.values(LOKI_LABELS).join(",")).not.toMatch(/pod_id|labels\[/);
  });
});

describe("documentation", () => {
  it("lists every rule group and every alert on the Alerts and dashboards page", () => {
    const page = readFileSync("docs/alerts-and-dashboards.md", "utf8");
    for (const g of PLATFORM_RULE_GROUPS) {
      expect(page, g.name).toContain(`\`${g.name}\``);
      for (const r of g.rules) expect(page, r.alert).toContain(r.alert);
    }
    for (const r of NODE_IP_RULES) expect(page, r.alert).toContain(r.alert);
    for (const d of Object.values(repositoryDashboards())) expect(page).toContain(String(d.title));
  });
});
