/**
 * Rules the values functions of Argo CD, Argo Rollouts, Gatekeeper, Loki and Reloader follow, checked
 * on the values themselves (pure, no cdktf, every value built inside its test so that a mutation run
 * sees it): every pod-bearing component (support/releases.ts) tolerates the system node group's
 * taint and requests CPU and memory, replicated components run the replicas asked for with a zone
 * spread and a disruption budget exactly when replicated, every key is one the chart reads (key trees
 * in __tests__/upstream/ with their source), and each safety setting (login, webhook failure policy,
 * Loki's retention and replication, Reloader's scope) has a case at its boundary.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ARGO_CD_LOCAL_URL, argoCdOidcConfig, argoCdPolicyCsv, argoCdValues, replicated } from "../../addons/argo-cd/values";
import { argoCdNotificationsValues } from "../../addons/argo-cd/notifications";
import { argoRolloutsValues } from "../../addons/argo-rollouts/values";
import { CRITICAL_ADDONS_TOLERATION } from "../../addons/context";
import { CONTROLLER_POD_LABELS, gatekeeperValues, WEBHOOK_FAILURE_POLICY } from "../../addons/gatekeeper/values";
import {
  LOKI_DEPLOYMENT_MODES,
  LOKI_SCHEMA_FROM,
  LOKI_SERVICE_ACCOUNT,
  lokiGatewayHost,
  lokiGatewayUrl,
  lokiRetention,
  lokiValues,
  type LokiMode,
} from "../../addons/loki/values";
import { RELOADER_CHART } from "../../addons/reloader/chart";
import { RELOADER_RESOURCES, reloaderValues } from "../../addons/reloader/values";
import type { AlertingConfig } from "../../environments/schema";
import { ROLE_ARN_ANNOTATION } from "../../modules/irsa/irsa-role";
import { chartKeys, unknownKeys } from "../support/chart-keys";
import { at, CHART_COMPONENTS, type Component, missingRequests, tolerates, untolerated } from "../support/releases";

type Values = Record<string, any>;
const ZONE = "topology.kubernetes.io/zone";
const ISSUER = "https://sso.example.com/realms/platform";
const SYSTEM = { "platform.example.com/node-group": "system" };
const argoCd = (highlyAvailable: boolean, extra: Partial<Parameters<typeof argoCdValues>[0]> = {}) =>
  argoCdValues({ highlyAvailable, issuerUrl: ISSUER, clientId: "argocd", nodeSelector: SYSTEM, ...extra }) as Values;
const argoRollouts = (highlyAvailable: boolean) => argoRolloutsValues({ highlyAvailable }) as Values;
const gatekeeper = (replicas: number) => gatekeeperValues({ replicas, nodeSelector: SYSTEM }) as Values;
const LOKI_INPUT = { retentionDays: 30, bucketName: "c-loki", region: "ap-northeast-2", roleArn: "arn:aws:iam::111122223333:role/loki", storageClassName: "gp3", volumeGiB: 20 };
const loki = (mode: LokiMode, replicas = 3, extra: Partial<Parameters<typeof lokiValues>[0]> = {}) => lokiValues({ ...LOKI_INPUT, mode, replicas, ...extra }) as Values;
const reloader = () => reloaderValues() as Values;

/**
 * Containers of the charts' pods that support/releases.ts does not list as components of their own:
 * redis-ha's Sentinel runs in the Redis pods (the subchart's statefulset), with the pods' tolerations.
 */
const EXTRA_CONTAINERS: Readonly<Record<string, readonly Component[]>> = {
  "argo-cd": [{ name: "redis-ha-sentinel", tolerations: "redis-ha.tolerations", resources: "redis-ha.sentinel.resources" }],
};

/** A CPU or memory quantity as the platform writes them (`50m`, `1`, `128Mi`, `2Gi`). */
const QUANTITY = /^\d+(m|Mi|Gi)?$/;
/** A memory quantity in MiB (Mi and Gi only, as the platform writes them), undefined for anything else. */
const mebibytes = (quantity: unknown) => {
  const m = typeof quantity === "string" ? /^(\d+)(Mi|Gi)$/.exec(quantity) : null;
  return m ? Number(m[1]) * (m[2] === "Gi" ? 1024 : 1) : undefined;
};

/** Every build of each chart that matters: both HA settings, every mode, replica counts around the boundaries. */
const BUILDS: readonly (readonly [string, string, () => Values])[] = [
  ["argo-cd (HA)", "argo-cd", () => argoCd(true)],
  ["argo-cd (single)", "argo-cd", () => argoCd(false)],
  ["argo-rollouts (HA)", "argo-rollouts", () => argoRollouts(true)],
  ["argo-rollouts (single)", "argo-rollouts", () => argoRollouts(false)],
  ["gatekeeper × 2", "gatekeeper", () => gatekeeper(2)],
  ["gatekeeper × 3", "gatekeeper", () => gatekeeper(3)],
  ["loki monolithic", "loki", () => loki("monolithic", 1)],
  ["loki simple-scalable × 2", "loki", () => loki("simple-scalable", 2)],
  ["loki simple-scalable × 3", "loki", () => loki("simple-scalable", 3)],
  ["reloader", "reloader", reloader],
];

describe.each(BUILDS)("%s", (_name, chart, build) => {
  it("every component tolerates the system node group's taint", () => {
    expect(CHART_COMPONENTS[chart]?.length, "its components in support/releases.ts").toBeGreaterThan(0);
    const values = build();
    expect(untolerated(chart, values, CRITICAL_ADDONS_TOLERATION.key)).toEqual([]);
    for (const c of EXTRA_CONTAINERS[chart] ?? []) expect(tolerates(at(values, c.tolerations), CRITICAL_ADDONS_TOLERATION.key), c.name).toBe(true);
  });

  it("every component requests CPU and memory", () => {
    const values = build();
    expect(missingRequests(chart, values)).toEqual([]);
    for (const c of EXTRA_CONTAINERS[chart] ?? []) expect(at(values, `${c.resources}.requests`), c.name).toEqual({ cpu: expect.stringMatching(QUANTITY), memory: expect.stringMatching(QUANTITY) });
  });

  it("every component caps its memory at no less than it requests", () => {
    const values = build();
    const uncapped = [...CHART_COMPONENTS[chart]!, ...(EXTRA_CONTAINERS[chart] ?? [])].filter((c) => {
      const limit = mebibytes(at(values, `${c.resources}.limits.memory`));
      return limit === undefined || limit < mebibytes(at(values, `${c.resources}.requests.memory`))!;
    });
    expect(uncapped.map((c) => `${c.name} (${c.resources}.limits.memory)`)).toEqual([]);
  });
});

describe("replicas, zone spread and disruption budgets", () => {
  /** The HA components of a chart (support/releases.ts). */
  const ha = (chart: string) => CHART_COMPONENTS[chart]!.filter((c) => c.ha);
  const zoneSpread = (constraints: unknown) => ((constraints ?? []) as { topologyKey: string }[]).some((s) => s.topologyKey === ZONE);

  it.each([
    [true, 2],
    [false, 1],
  ])("argo-cd (HA %s): every serving component runs %i replica(s), spread across zones, a PDB exactly when replicated", (highlyAvailable, replicas) => {
    const values = argoCd(highlyAvailable);
    expect(ha("argo-cd").length).toBeGreaterThan(0);
    for (const c of ha("argo-cd")) {
      expect(at(values, c.replicas!), `${c.name} replicas`).toBe(replicas);
      const prefix = c.replicas!.replace(/\.replicas$/, "");
      expect(at(values, `${prefix}.pdb`), `${c.name} pdb`).toEqual(replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false });
    }
    // Every component takes global.topologySpreadConstraints (its own is empty); the template adds its selector.
    expect(zoneSpread(values.global.topologySpreadConstraints)).toBe(true);
    expect(values.global.topologySpreadConstraints.every((s: object) => !("labelSelector" in s))).toBe(true);
  });

  it.each([
    [true, true],
    [false, false],
  ])("argo-cd (HA %s): Redis HA (3 Redis + Sentinel, HAProxy, each with a disruption budget) exactly when highly available", (highlyAvailable, redisHa) => {
    const values = argoCd(highlyAvailable);
    expect(values["redis-ha"].enabled).toBe(redisHa);
    expect(values["redis-ha"].topologySpreadConstraints).toEqual({ enabled: true });
    expect(values["redis-ha"].podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(values["redis-ha"].haproxy.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
  });

  it.each([
    [2, { replicas: 2, pdb: { enabled: true, minAvailable: 1 } }],
    [1, { replicas: 1, pdb: { enabled: false } }],
  ])("replicated(%i): a PDB of minAvailable 1 from 2 replicas on, none with 1", (n, expected) => {
    expect(replicated(n)).toEqual(expected);
  });

  it.each([
    [true, 2],
    [false, 1],
  ])("argo-rollouts (HA %s): the controller runs %i replica(s), spread across zones, a PDB exactly when replicated", (highlyAvailable, replicas) => {
    const { controller } = argoRollouts(highlyAvailable);
    expect(controller.replicas).toBe(replicas);
    expect(controller.pdb).toEqual(replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false });
    expect(zoneSpread(controller.topologySpreadConstraints)).toBe(true);
    expect(controller.topologySpreadConstraints.every((s: object) => !("labelSelector" in s))).toBe(true);
  });

  it("argo-rollouts: the dashboard (single by design, see support/releases.ts) runs one replica", () => {
    expect(argoRollouts(true).dashboard).toMatchObject({ enabled: true, replicas: 1 });
  });

  it.each([2, 3])("gatekeeper × %i: the webhook runs the replicas asked for, spread across zones over its own pods, with a PDB of 1", (replicas) => {
    const values = gatekeeper(replicas);
    expect(values.replicas).toBe(replicas);
    expect(values.controllerManager.topologySpreadConstraints).toEqual([expect.objectContaining({ topologyKey: ZONE, labelSelector: { matchLabels: CONTROLLER_POD_LABELS } })]);
    expect(values.pdb).toEqual({ controllerManager: { minAvailable: 1 } });
  });

  it.each([0, 1, 1.5])("gatekeeper refuses %s webhook replicas", (replicas) => {
    expect(() => gatekeeperValues({ replicas, nodeSelector: {} })).toThrow(/at least 2 replicas/);
  });

  it.each([2, 3, 4])("loki simple-scalable × %i: write, read and backend run the replicas asked for, spread across zones (DoNotSchedule) over their own pods; the gateway runs 2, spread", (replicas) => {
    const values = loki("simple-scalable", replicas);
    for (const target of ["write", "read", "backend"]) {
      expect(values[target].replicas, target).toBe(replicas);
      expect(values[target].topologySpreadConstraints, target).toEqual([
        { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { "app.kubernetes.io/name": "loki", "app.kubernetes.io/instance": "loki", "app.kubernetes.io/component": target } } },
      ]);
    }
    expect(values.gateway.replicas).toBe(2);
    expect(values.gateway.topologySpreadConstraints).toEqual([expect.objectContaining({ topologyKey: ZONE, labelSelector: { matchLabels: expect.objectContaining({ "app.kubernetes.io/component": "gateway" }) } })]);
    expect(values.singleBinary.replicas).toBe(0);
    expect(values.deploymentMode).toBe(LOKI_DEPLOYMENT_MODES["simple-scalable"]);
  });

  it("loki monolithic: one single-binary pod, no scalable target (the chart's validate.yaml refuses both), one gateway, no spread", () => {
    const values = loki("monolithic", 3);
    expect(values.singleBinary.replicas).toBe(1);
    for (const target of ["write", "read", "backend"]) {
      expect(values[target].replicas, target).toBe(0);
      expect(values[target], target).not.toHaveProperty("topologySpreadConstraints");
    }
    expect(values.gateway.replicas).toBe(1);
    expect(values.gateway).not.toHaveProperty("topologySpreadConstraints");
    expect(values.deploymentMode).toBe(LOKI_DEPLOYMENT_MODES.monolithic);
  });

  it.each([
    ["simple-scalable", 2, 2],
    ["simple-scalable", 3, 3],
    ["simple-scalable", 4, 3],
    ["monolithic", 3, 1],
  ] as const)("loki %s × %i: replication factor %i (as many copies as writers, at most 3; 1 with one pod)", (mode, replicas, factor) => {
    expect(loki(mode, replicas).loki.commonConfig.replication_factor).toBe(factor);
  });

  it("reloader: one replica (single by design, see support/releases.ts)", () => {
    expect(reloader().reloader.deployment.replicas).toBe(1);
  });
});

describe("keys the charts read", () => {
  it.each([true, false])("argo-cd (HA %s): every key is one of the chart's; free-form maps and the redis-ha subchart aside", (highlyAvailable) => {
    // configs.cm/params/rbac are rendered into ConfigMaps as they are; node labels are free-form;
    // redis-ha's keys are its subchart's (not kept here).
    const freeForm = [/^configs\.(cm|params|rbac)\./, /^redis-ha\./, /\.nodeSelector\./];
    expect(unknownKeys(argoCd(highlyAvailable), chartKeys("argo-cd-values-keys.json"), freeForm)).toEqual([]);
  });

  it.each([2, 3])("gatekeeper × %i: every key is one of the chart's", (replicas) => {
    // Node labels are free-form (the chart declares only kubernetes.io/os).
    expect(unknownKeys(gatekeeper(replicas), chartKeys("gatekeeper-values-keys.json"), [/\.nodeSelector\./])).toEqual([]);
  });

  it.each(Object.keys(LOKI_DEPLOYMENT_MODES) as LokiMode[])("loki %s: every key is one of the chart's", (mode) => {
    // limits_config is Loki's own configuration block, passed through (values.yaml: additionalProperties).
    expect(unknownKeys(loki(mode), chartKeys("loki-values-keys.json"), [/^loki\.limits_config\./])).toEqual([]);
  });

  it.each([true, false])("argo-rollouts (HA %s): every key is one of the chart's", (highlyAvailable) => {
    expect(unknownKeys(argoRollouts(highlyAvailable), chartKeys("argo-rollouts-values-keys.json"))).toEqual([]);
  });

  it("reloader: keys of chart 2.2.16's values.yaml only, one namespace, Secrets only, no Service", () => {
    expect(unknownKeys(reloader(), chartKeys("reloader-values-keys.json"))).toEqual([]);
    const v = reloaderValues() as { reloader: Record<string, any> };
    expect(Object.keys(v)).toEqual(["reloader"]);
    expect(v.reloader).toMatchObject({ watchGlobally: false, ignoreConfigMaps: true, reloadStrategy: "default" });
    expect(v.reloader).not.toHaveProperty("namespaces");
    expect(v.reloader).not.toHaveProperty("service");
    expect(RELOADER_CHART.version).toBe("2.2.16");
  });
});

describe("Argo CD login and settings", () => {
  it("logs in through Keycloak only: PKCE, groups claim, no local admin, deny by default", () => {
    const values = argoCd(false);
    const oidc = parse(values.configs.cm["oidc.config"]);
    expect(oidc).toMatchObject({ issuer: ISSUER, clientID: "argocd", enablePKCEAuthentication: true, requestedIDTokenClaims: { groups: { essential: true } } });
    expect(oidc.clientSecret).toBeUndefined();
    expect(values.configs.cm["admin.enabled"]).toBe(false);
    expect(values.configs.rbac["policy.default"]).toBe("");
    expect(values.dex.enabled).toBe(false);
    expect(() => argoCdOidcConfig("http://sso.example.com/realms/platform", "argocd")).toThrow(/https/);
    expect(argoCdPolicyCsv(["admins"], ["viewers"])).toBe("g, admins, role:admin\ng, viewers, role:readonly\n");
    expect(() => argoCdPolicyCsv(["a, role:admin"], [])).toThrow(/policy.csv/);
  });

  it("asks Keycloak for openid, profile and email under the name Keycloak, and reads groups from the claim", () => {
    const values = argoCd(false);
    expect(parse(values.configs.cm["oidc.config"])).toEqual({
      name: "Keycloak",
      issuer: ISSUER,
      clientID: "argocd",
      enablePKCEAuthentication: true,
      requestedScopes: ["openid", "profile", "email"],
      requestedIDTokenClaims: { groups: { essential: true } },
    });
    expect(values.configs.rbac.scopes).toBe("[groups]");
  });

  it.each(["https://sso.example.com/realms/platform", "https://sso.example.com/auth/realms/platform", "https://sso.example.com/a/b/realms/p"])("accepts the issuer %s", (issuer) => {
    expect(parse(argoCdOidcConfig(issuer, "argocd")).issuer).toBe(issuer);
  });

  it.each([
    ["plain http", "http://sso.example.com/realms/platform"],
    ["no host", "https:///realms/platform"],
    ["no realm", "https://sso.example.com/realms/"],
    ["a trailing slash", "https://sso.example.com/realms/platform/"],
    ["a path after the realm", "https://sso.example.com/realms/platform/account"],
    ["no realms segment", "https://sso.example.com/platform"],
    ["text before the scheme", "xhttps://sso.example.com/realms/platform"],
    ["a path glued to realms", "https://sso.example.com/xrealms/platform"],
  ])("refuses an issuer with %s", (_case, issuer) => {
    expect(() => argoCdOidcConfig(issuer, "argocd")).toThrow(/issuerUrl must be/);
  });

  it.each(["a", "A", "0", "team-search", "team_search.v2"])("writes the group %s to policy.csv", (group) => {
    expect(argoCdPolicyCsv([group], [])).toBe(`g, ${group}, role:admin\n`);
    expect(argoCdPolicyCsv([], [group])).toBe(`g, ${group}, role:readonly\n`);
  });

  it.each(["", "-admins", ".admins", "team search", "a,b", "a\nb", "admins\n", "ädmins"])("refuses the group %j, as admin and as read-only", (group) => {
    expect(() => argoCdPolicyCsv([group], [])).toThrow(/cannot be written to policy.csv/);
    expect(() => argoCdPolicyCsv([], [group])).toThrow(/cannot be written to policy.csv/);
  });

  it("gives platform-admins role:admin and platform-viewers role:readonly unless told otherwise", () => {
    expect(argoCd(false).configs.rbac["policy.csv"]).toBe("g, platform-admins, role:admin\ng, platform-viewers, role:readonly\n");
    expect(argoCd(false, { adminGroups: ["ops"], readonlyGroups: ["dev"] }).configs.rbac["policy.csv"]).toBe("g, ops, role:admin\ng, dev, role:readonly\n");
  });

  it("turns off anonymous access and exec, serves plain HTTP behind the port-forward", () => {
    const values = argoCd(false);
    expect(values.configs.cm["users.anonymous.enabled"]).toBe(false);
    expect(values.configs.cm["exec.enabled"]).toBe(false);
    expect(values.configs.params).toEqual({ "server.insecure": true });
  });

  it("uses the local URL unless given one, for the UI and the notifications", () => {
    // Argo CD builds the OIDC redirect from this URL: an absolute URL without a path.
    expect(ARGO_CD_LOCAL_URL).toMatch(/^https?:\/\/[^/]+$/);
    expect(argoCd(false).configs.cm.url).toBe(ARGO_CD_LOCAL_URL);
    expect(argoCd(false).notifications.argocdUrl).toBe(ARGO_CD_LOCAL_URL);
    const url = "https://cd.example.com";
    expect(argoCd(false, { url }).configs.cm.url).toBe(url);
    expect(argoCd(false, { url }).notifications.argocdUrl).toBe(url);
  });

  it("passes the environment's alerting and notified teams to the notifications controller", () => {
    const alerting: AlertingConfig = {
      receivers: { hook: { type: "webhook", secretArn: "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:alerting/hook-AbCdEf" } },
      defaultReceiver: "hook",
      teams: { search: "hook" },
    };
    const values = argoCd(false, { alerting, notifiedTeams: ["search"] });
    expect(values.notifications).toMatchObject(argoCdNotificationsValues(alerting, ["search"], ARGO_CD_LOCAL_URL) as object);
    expect(values.notifications.subscriptions).toBeDefined();
    // Without notified teams: every application goes to the default receiver, as with an empty list.
    expect(argoCd(false, { alerting }).notifications).toMatchObject(argoCdNotificationsValues(alerting, [], ARGO_CD_LOCAL_URL) as object);
  });

  it("runs on the system nodes when given their labels, on the chart's default otherwise", () => {
    expect(argoCd(false).global.nodeSelector).toEqual(SYSTEM);
    expect(argoCdValues({ highlyAvailable: false, issuerUrl: ISSUER, clientId: "argocd" })).toHaveProperty("global", { topologySpreadConstraints: expect.any(Array) });
  });

  it.each([
    [undefined, true],
    [true, true],
    [false, false],
  ])("serviceMonitors %s: metrics on every serving component, a ServiceMonitor %s", (serviceMonitors, enabled) => {
    const values = argoCd(false, serviceMonitors === undefined ? {} : { serviceMonitors });
    for (const c of ["controller", "server", "repoServer", "applicationSet", "notifications"]) {
      expect(values[c].metrics, c).toEqual({ enabled: true, serviceMonitor: { enabled } });
    }
  });
});

describe("Argo Rollouts settings", () => {
  it.each([
    [undefined, true],
    [true, true],
    [false, false],
  ])("serviceMonitors %s: controller metrics, a ServiceMonitor %s", (serviceMonitors, enabled) => {
    const values = argoRolloutsValues({ highlyAvailable: true, ...(serviceMonitors === undefined ? {} : { serviceMonitors }) }) as Values;
    expect(values.controller.metrics).toEqual({ enabled: true, serviceMonitor: { enabled } });
  });
});

describe("Gatekeeper settings", () => {
  it("fails open: Pod Security Admission is the fail-closed layer", () => {
    expect(gatekeeper(2).validatingWebhookFailurePolicy).toBe(WEBHOOK_FAILURE_POLICY);
    expect(WEBHOOK_FAILURE_POLICY).toBe("Ignore");
  });

  it("validates only (no mutation webhook), audits and exports its violations to Prometheus (the alert reads gatekeeper_violations)", () => {
    const values = gatekeeper(2);
    expect(values.disableMutation).toBe(true);
    expect(values.auditInterval).toBeGreaterThan(0);
    expect(values.metricsBackends).toEqual(["prometheus"]);
  });

  it("runs every pod (webhook, audit, hook jobs) on the system nodes of linux", () => {
    const values = gatekeeper(2);
    for (const c of CHART_COMPONENTS.gatekeeper!) {
      const prefix = c.tolerations.replace(/\.tolerations$/, "");
      expect(at(values, `${prefix}.nodeSelector`), c.name).toEqual({ "kubernetes.io/os": "linux", ...SYSTEM });
    }
  });
});

describe("Loki settings", () => {
  it("uses the bucket for chunks and rules in its region, with the role's credentials on its own service account", () => {
    const values = loki("simple-scalable");
    expect(values.loki.storage).toEqual({ type: "s3", bucketNames: { chunks: LOKI_INPUT.bucketName, ruler: LOKI_INPUT.bucketName }, s3: { region: LOKI_INPUT.region } });
    expect(values.serviceAccount).toEqual({ create: true, name: LOKI_SERVICE_ACCOUNT, annotations: { [ROLE_ARN_ANNOTATION]: LOKI_INPUT.roleArn } });
    // The role's trust policy names this account: a valid Kubernetes name (RFC 1123 label).
    expect(LOKI_SERVICE_ACCOUNT).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  it.each([
    [1, "24h"],
    [30, "720h"],
  ])("deletes logs after %i day(s) (%s), through the compactor on S3", (days, period) => {
    expect(lokiRetention(days)).toBe(period);
    const values = loki("monolithic", 1, { retentionDays: days });
    expect(values.loki.limits_config).toEqual({ retention_period: period });
    expect(values.loki.compactor).toEqual({ retention_enabled: true, delete_request_store: "s3" });
  });

  it("indexes with TSDB v13 on S3 from the fixed schema date, one tenant behind an in-cluster gateway", () => {
    const values = loki("monolithic");
    expect(values.loki.schemaConfig).toEqual({ configs: [{ from: LOKI_SCHEMA_FROM, store: "tsdb", object_store: "s3", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }] });
    // Loki's schema `from` is a day (YYYY-MM-DD).
    expect(LOKI_SCHEMA_FROM).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(values.loki.auth_enabled).toBe(false);
    expect(lokiGatewayHost("logging")).toBe("loki-gateway.logging.svc.cluster.local");
    expect(lokiGatewayUrl("logging")).toBe("http://loki-gateway.logging.svc.cluster.local:80");
  });

  it("keeps state on volumes of the storage class and size asked for: single binary, write and backend (turned on); read has none", () => {
    const persistence = { storageClass: "gp3", size: "20Gi" };
    for (const mode of Object.keys(LOKI_DEPLOYMENT_MODES) as LokiMode[]) {
      const values = loki(mode);
      expect(values.singleBinary.persistence, mode).toEqual(persistence);
      expect(values.write.persistence, mode).toEqual(persistence);
      expect(values.backend.persistence, mode).toEqual({ ...persistence, enabled: true });
      expect(values.read, mode).not.toHaveProperty("persistence");
    }
  });

  it("runs the memcached caches in simple-scalable mode only; never the canary or the chart test", () => {
    expect(loki("simple-scalable").chunksCache).toEqual({ enabled: true, allocatedMemory: 2048 });
    expect(loki("simple-scalable").resultsCache).toEqual({ enabled: true });
    expect(loki("monolithic").chunksCache).toEqual({ enabled: false });
    expect(loki("monolithic").resultsCache).toEqual({ enabled: false });
    for (const mode of Object.keys(LOKI_DEPLOYMENT_MODES) as LokiMode[]) {
      expect(loki(mode).lokiCanary, mode).toEqual({ enabled: false });
      expect(loki(mode).test, mode).toEqual({ enabled: false });
    }
  });
});

describe("Reloader settings", () => {
  it("watches its own namespace's Secrets only: no ConfigMap, Job or CronJob, rolling restarts", () => {
    expect(reloader().reloader).toMatchObject({ watchGlobally: false, ignoreConfigMaps: true, ignoreJobs: true, ignoreCronJobs: true, reloadStrategy: "default" });
  });

  it("runs without privileges on a read-only root file system", () => {
    const { reloader: r } = reloader();
    expect(r.readOnlyRootFileSystem).toBe(true);
    expect(r.deployment.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true });
  });

  it("uses the resources given, its own otherwise", () => {
    expect(reloader().reloader.deployment.resources).toEqual(RELOADER_RESOURCES);
    const resources = { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } };
    expect((reloaderValues(resources) as Values).reloader.deployment.resources).toEqual(resources);
  });
});
