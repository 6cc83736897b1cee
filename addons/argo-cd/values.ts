/**
 * Values of the argo-cd chart 10.1.1 (see `ARGO_CD_CHART`). Pure: no cdktf. Keys used, all in the
 * chart's values.yaml:
 * - `global.nodeSelector`, `global.topologySpreadConstraints`: every component takes them when its
 *   own is empty (`.Values.<component>.topologySpreadConstraints | default .Values.global...` in each
 *   Deployment/StatefulSet template); a constraint without `labelSelector` gets the component's
 *   selector labels from the template; `<component>.tolerations` next to its resources;
 * - `configs.cm` (free-form, rendered into argocd-cm): `url`, `oidc.config`, `admin.enabled`,
 *   `exec.enabled`, `users.anonymous.enabled`; `configs.params."server.insecure"`;
 *   `configs.rbac.{policy.default,policy.csv,scopes}`;
 * - `notifications.{argocdUrl,secret.{create,name},notifiers,templates,triggers,subscriptions}`
 *   (notifications.ts);
 * - per component (`controller`, `server`, `repoServer`, `applicationSet`, `notifications`, `redis`):
 *   `replicas` (not notifications/redis), `resources`, `tolerations`, `pdb.{enabled,minAvailable}`,
 *   `metrics.{enabled,serviceMonitor.enabled}`; `dex.enabled`;
 * - `redis-ha.*` (subchart, condition `redis-ha.enabled`, which also turns the single Redis off):
 *   `tolerations`, `topologySpreadConstraints.enabled`, `podDisruptionBudget`,
 *   `haproxy.podDisruptionBudget`, `redis.resources`, `sentinel.resources`, `haproxy.resources`.
 *
 * Login: Argo CD's own OIDC client (no Dex) against the platform realm, a public client with PKCE
 * (`enablePKCEAuthentication`, Argo CD's operator manual, user-management/keycloak.md "Keycloak and
 * ArgoCD with PKCE"): no client secret exists. Groups come in the `groups` claim (realm.ts).
 */
import type { AlertingConfig } from "../../environments/schema";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { stringify } from "yaml";
import { CRITICAL_ADDONS_TOLERATION, zoneSpread } from "../context";
import { argoCdNotificationsValues } from "./notifications";

/** Where users reach the UI: `kubectl -n argocd port-forward svc/argocd-server 8080:80`. */
export const ARGO_CD_LOCAL_URL = "http://localhost:8080";

/** Requests (and memory limits) per component; the chart sets none. */
export const ARGO_CD_RESOURCES = {
  controller: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "2Gi" } },
  server: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  repoServer: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
  applicationSet: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  notifications: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  redis: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
} as const satisfies Record<string, ContainerResources>;

export interface ArgoCdValuesInput {
  /** Several replicas of each component, Redis HA (redis-ha with HAProxy), PDBs. */
  readonly highlyAvailable: boolean;
  /** Issuer of the realm, `https://<host>/realms/<realm>`. */
  readonly issuerUrl: string;
  /** Public client id of Argo CD in the realm. */
  readonly clientId: string;
  /**
   * Argo CD's external URL (`url` in argocd-cm, from which the OIDC redirect is built).
   * @default ARGO_CD_LOCAL_URL
   */
  readonly url?: string;
  /**
   * Keycloak groups with Argo CD's built-in `role:admin`.
   * @default ["platform-admins"]
   */
  readonly adminGroups?: readonly string[];
  /**
   * Keycloak groups with `role:readonly` on everything. Team members get their project's role from
   * the AppProject (gitops.ts), nothing globally.
   * @default ["platform-viewers"]
   */
  readonly readonlyGroups?: readonly string[];
  /**
   * Node labels of the system node group.
   * @default - the chart's `kubernetes.io/os: linux`
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Whether to render ServiceMonitors (needs the Prometheus Operator CRDs).
   * @default true
   */
  readonly serviceMonitors?: boolean;
  /**
   * The environment's alert receivers and routing: notification services, templates, triggers and
   * the platform's global subscription (notifications.ts).
   * @default - no notification service
   */
  readonly alerting?: AlertingConfig;
  /**
   * Teams whose receivers the notifications use (`alerting.teams.<team>`, else the default receiver).
   * @default []
   */
  readonly notifiedTeams?: readonly string[];
}

/** Argo CD's `oidc.config`: direct OIDC against Keycloak with PKCE, groups as an essential ID token claim. */
export function argoCdOidcConfig(issuerUrl: string, clientId: string): string {
  if (!/^https:\/\/[^/]+\/(.+\/)?realms\/[^/]+$/.test(issuerUrl)) {
    throw new Error(`issuerUrl must be https://<host>/realms/<realm>, got "${issuerUrl}"`);
  }
  return stringify({
    name: "Keycloak",
    issuer: issuerUrl,
    clientID: clientId,
    enablePKCEAuthentication: true,
    requestedScopes: ["openid", "profile", "email"],
    requestedIDTokenClaims: { groups: { essential: true } },
  });
}

/** `policy.csv` of argocd-rbac-cm: admin and read-only groups (`g, <group>, role:...`). */
export function argoCdPolicyCsv(adminGroups: readonly string[], readonlyGroups: readonly string[]): string {
  for (const g of [...adminGroups, ...readonlyGroups]) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(g)) throw new Error(`group name "${g}" cannot be written to policy.csv`);
  }
  return [...adminGroups.map((g) => `g, ${g}, role:admin`), ...readonlyGroups.map((g) => `g, ${g}, role:readonly`)].join("\n") + "\n";
}

/** A component's replicas and PDB: one replica without PDB, or `replicas` with `minAvailable: 1`. */
export function replicated(replicas: number): { replicas: number; pdb: { enabled: boolean; minAvailable?: number } } {
  return replicas > 1 ? { replicas, pdb: { enabled: true, minAvailable: 1 } } : { replicas, pdb: { enabled: false } };
}

/** The chart values. */
export function argoCdValues(input: ArgoCdValuesInput): Record<string, unknown> {
  const replicas = input.highlyAvailable ? 2 : 1;
  const metrics = { enabled: true, serviceMonitor: { enabled: input.serviceMonitors ?? true } };
  const r = ARGO_CD_RESOURCES;
  const tolerations = [{ ...CRITICAL_ADDONS_TOLERATION }];
  const spread = zoneSpread({}).map(({ labelSelector: _unused, ...c }) => c);
  return {
    global: {
      ...(input.nodeSelector ? { nodeSelector: { ...input.nodeSelector } } : {}),
      topologySpreadConstraints: spread,
    },
    configs: {
      cm: {
        url: input.url ?? ARGO_CD_LOCAL_URL,
        "oidc.config": argoCdOidcConfig(input.issuerUrl, input.clientId),
        // SSO only: the local admin is off (break-glass: cluster admins use kubectl).
        "admin.enabled": false,
        "users.anonymous.enabled": false,
        "exec.enabled": false,
      },
      // TLS ends at the port-forward (kubectl's tunnel to the API server is TLS).
      params: { "server.insecure": true },
      rbac: {
        "policy.default": "",
        "policy.csv": argoCdPolicyCsv(input.adminGroups ?? ["platform-admins"], input.readonlyGroups ?? ["platform-viewers"]),
        scopes: "[groups]",
      },
    },
    // Argo CD talks to Keycloak itself (oidc.config); no Dex.
    dex: { enabled: false },
    controller: { ...replicated(replicas), resources: r.controller, tolerations, metrics },
    server: { ...replicated(replicas), resources: r.server, tolerations, metrics },
    repoServer: { ...replicated(replicas), resources: r.repoServer, tolerations, metrics },
    applicationSet: { ...replicated(replicas), resources: r.applicationSet, tolerations, metrics },
    notifications: {
      resources: r.notifications,
      tolerations,
      metrics,
      ...argoCdNotificationsValues(input.alerting, input.notifiedTeams ?? [], input.url ?? ARGO_CD_LOCAL_URL),
    },
    // The single Redis (off when redis-ha is on) and redis-ha (3 Redis + Sentinel pods, 3 HAProxy
    // pods, on separate nodes: the subchart's hardAntiAffinity) both carry their settings.
    redis: { resources: r.redis, tolerations },
    "redis-ha": {
      enabled: input.highlyAvailable,
      tolerations,
      topologySpreadConstraints: { enabled: true },
      podDisruptionBudget: { maxUnavailable: 1 },
      redis: { resources: r.redis },
      sentinel: { resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } } },
      haproxy: {
        resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
        tolerations,
        podDisruptionBudget: { maxUnavailable: 1 },
      },
    },
  };
}
