/**
 * Values of the keycloakx chart 7.1.11 (see `KEYCLOAKX_CHART`), built from plain inputs. Pure: no
 * cdktf. Every key exists in the chart's values.yaml; the string-typed ones (`extraEnv`,
 * `extraVolumes`, `extraVolumeMounts`, `topologySpreadConstraints`) are rendered through `tpl` by the
 * chart, so they are YAML strings here.
 *
 * Keycloak settings the chart turns into environment variables (templates/statefulset.yaml):
 * `cache.stack: default` → KC_CACHE=ispn, KC_CACHE_STACK=jdbc-ping (cluster discovery through the
 * database, Keycloak 26's default; no KUBE_PING RBAC or headless DNS needed); `proxy.mode` →
 * KC_PROXY_HEADERS; `proxy.http.enabled` → KC_HTTP_ENABLED; `database.*` → KC_DB, KC_DB_URL_HOST,
 * KC_DB_URL_PORT, KC_DB_URL_DATABASE and KC_DB_PASSWORD from `existingSecret`/`existingSecretKey`;
 * `metrics.enabled`/`health.enabled` → KC_METRICS_ENABLED/KC_HEALTH_ENABLED (served on the
 * management port 9000, `http-internal`, not on the public port).
 */
import { stringify } from "yaml";
import { assertReplicas } from "../../modules/kubernetes/chart-values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { isReplicated, zoneSpreadFor } from "../../modules/scheduling/replica-placement";
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import { RELOADER_SECRET_ANNOTATION } from "../reloader/chart";
import { KEYCLOAK_IMAGE } from "./chart";

/** Name of the StatefulSet, Services (`<name>-http`, `<name>-headless`) and Ingress (`fullnameOverride`). */
export const KEYCLOAK_FULLNAME = "keycloak";
/** Keycloak's management port (health, metrics), `http.internalPort` of the chart. */
export const KEYCLOAK_MANAGEMENT_PORT = 9000;
/** Where Keycloak imports realm files from at startup (`--import-realm`). */
export const REALM_IMPORT_DIR = "/opt/keycloak/data/import";
/** Where the file vault (`KC_VAULT=file`) reads secrets from. */
export const VAULT_DIR = "/opt/keycloak/vault";
/** The temporary admin Keycloak creates at first start (password from a generated Secret). */
export const BOOTSTRAP_ADMIN_USERNAME = "temp-admin";
/** The realm Keycloak creates itself for its administrators: never routed by the public load balancer. */
export const MASTER_REALM = "master";
/** The Service port of the chart's `<fullname>-http` Service (values.yaml `service.httpPort`). */
export const KEYCLOAK_HTTP_SERVICE_PORT = 80;

/**
 * The only paths the public load balancer forwards: the platform realm (its OIDC endpoints, login
 * pages and account console) and the static resources of those pages. Keycloak's reverse-proxy
 * guide ("Exposed path recommendations") exposes `/realms/` and `/resources/`; this narrows
 * `/realms/` to the platform realm, so `/realms/master` (the administrators' realm, whose
 * `admin-cli` client accepts the password grant) and `/admin/` reach no rule of the ALB, which
 * answers 404. Prefix paths: the AWS Load Balancer Controller turns `/realms/<realm>` into the
 * conditions `/realms/<realm>` and `/realms/<realm>/*`.
 * @throws Error for the master realm
 */
export function publicPaths(realm: string): string[] {
  if (realm === MASTER_REALM) throw new Error(`the public realm must not be "${MASTER_REALM}"`);
  return [`/realms/${realm}`, "/resources/"];
}
/** TLS 1.2 and 1.3 only, AWS's recommended policy for ALB HTTPS listeners. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface KeycloakValuesInput {
  /** Helm release name (part of the pods' selector labels). */
  readonly releaseName: string;
  readonly replicas: number;
  /** Public host name, e.g. `sso.example.com` (ALB listener, `KC_HOSTNAME`). */
  readonly hostname: string;
  /** The platform realm: the only realm the public load balancer routes. */
  readonly realm: string;
  /** ACM certificate of the host name, for the HTTPS listener. */
  readonly certificateArn: string;
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    /** Secret (created by the ExternalSecret) with keys `username` and `password`. */
    readonly secretName: string;
  };
  /** ConfigMap with the realm file(s) to import. */
  readonly realmConfigMapName: string;
  /** Secret (generated in-cluster) with key `password` for the temporary admin. */
  readonly bootstrapAdminSecretName: string;
  /**
   * Secret mounted as Keycloak's file vault (keys `<realm>_<key>`).
   * @default - no vault
   */
  readonly vaultSecretName?: string;
  readonly resources: ContainerResources;
  /**
   * Secrets whose change restarts Keycloak (Reloader's `secret.reloader.stakater.com/reload` on
   * the StatefulSet): Keycloak reads the database password only at start.
   * @default []
   */
  readonly restartOnSecrets?: readonly string[];
}

/**
 * The label with which the AWS Load Balancer Controller injects its pod readiness gate into the pods
 * of a namespace (docs: "Pod readiness gate", kubernetes-sigs/aws-load-balancer-controller
 * docs/deploy/pod_readiness_gate.md): with IP targets, a rolling update then waits until the new pod
 * is healthy in the ALB target group, instead of leaving the ALB without a healthy target.
 */
export const POD_READINESS_GATE_LABEL = { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } as const;

/** Labels of Keycloak's namespace: part of Keycloak, and the readiness gate its `ip` ALB targets need. */
export function keycloakNamespaceLabels(): Record<string, string> {
  return { "app.kubernetes.io/part-of": "keycloak", ...POD_READINESS_GATE_LABEL };
}

/** Selector labels of the chart's pods (`keycloak.selectorLabels`: chart name + release). */
export function keycloakPodLabels(releaseName: string): Record<string, string> {
  return { "app.kubernetes.io/name": "keycloakx", "app.kubernetes.io/instance": releaseName };
}

/** AWS Load Balancer Controller annotations of the Keycloak Ingress: public HTTPS only, TLS 1.2+. */
export function albIngressAnnotations(certificateArn: string): Record<string, string> {
  return {
    "alb.ingress.kubernetes.io/scheme": "internet-facing",
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    "alb.ingress.kubernetes.io/certificate-arn": certificateArn,
    "alb.ingress.kubernetes.io/ssl-policy": ALB_SSL_POLICY,
    "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
    "alb.ingress.kubernetes.io/healthcheck-port": String(KEYCLOAK_MANAGEMENT_PORT),
    "alb.ingress.kubernetes.io/healthcheck-path": "/health/ready",
    "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
  };
}

type EnvVar = { name: string; value: string } | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } };

const fromSecret = (name: string, secret: string, key: string): EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
/** A YAML string for the chart's `tpl`-rendered values; strings double-quoted so none is read as another type. */
const yaml = (value: unknown) => stringify(value, { lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });

/**
 * Environment of the Keycloak container besides what the chart sets.
 *
 * Hostname (Keycloak 26 hostname v2, "Configuring the hostname (v2)"): `KC_HOSTNAME` is the full
 * public URL, so every frontend and backchannel URL and every token issuer is
 * `https://<hostname>/realms/<realm>`, whatever host a request came in on. There is no
 * `KC_HOSTNAME_ADMIN`: a separate admin URL is the split setup behind the admin console stuck on
 * "Loading" (keycloak/keycloak#31345, open). The admin console is therefore not served at all (its
 * paths and the master realm are not routed, see `publicPaths`); administration goes through
 * `kcadm.sh` inside the pod against `http://localhost:8080`, which hostname v2 accepts since
 * backchannel URLs are fixed to `KC_HOSTNAME` (docs/auth.md, "Administration").
 */
export function keycloakEnv(input: KeycloakValuesInput): EnvVar[] {
  const env: EnvVar[] = [
    { name: "KC_HOSTNAME", value: `https://${input.hostname}` },
    fromSecret("KC_DB_USERNAME", input.database.secretName, "username"),
    // rds.force_ssl = 1: encrypt; the RDS CA is not in the driver's trust store, so no verify-full.
    { name: "KC_DB_URL_PROPERTIES", value: "?sslmode=require" },
    { name: "KC_BOOTSTRAP_ADMIN_USERNAME", value: BOOTSTRAP_ADMIN_USERNAME },
    fromSecret("KC_BOOTSTRAP_ADMIN_PASSWORD", input.bootstrapAdminSecretName, "password"),
    { name: "KC_LOG_CONSOLE_OUTPUT", value: "json" },
    // keycloak_user_events_total (login failures per realm, alerted on by the platform rules):
    // metrics (chart `metrics.enabled`) plus user event metrics, a feature in Keycloak 26
    // (https://www.keycloak.org/observability/event-metrics; option reference: "Only available
    // when metrics are enabled and feature user-event-metrics is enabled").
    { name: "KC_FEATURES", value: "user-event-metrics" },
    { name: "KC_EVENT_METRICS_USER_ENABLED", value: "true" },
  ];
  if (input.vaultSecretName !== undefined) {
    env.push({ name: "KC_VAULT", value: "file" }, { name: "KC_VAULT_DIR", value: VAULT_DIR });
  }
  return env;
}

/** The chart values of Keycloak. */
export function keycloakValues(input: KeycloakValuesInput): Record<string, unknown> {
  assertReplicas("keycloak", input.replicas);
  const labels = keycloakPodLabels(input.releaseName);
  const volumes: Record<string, unknown>[] = [{ name: "realm", configMap: { name: input.realmConfigMapName } }];
  const mounts: Record<string, unknown>[] = [{ name: "realm", mountPath: REALM_IMPORT_DIR, readOnly: true }];
  if (input.vaultSecretName !== undefined) {
    volumes.push({ name: "vault", secret: { secretName: input.vaultSecretName, defaultMode: 0o440 } });
    mounts.push({ name: "vault", mountPath: VAULT_DIR, readOnly: true });
  }
  const spread = zoneSpreadFor(input.replicas, labels);
  return {
    fullnameOverride: KEYCLOAK_FULLNAME,
    // templates/statefulset.yaml: `statefulsetAnnotations` on the StatefulSet's metadata, where
    // Reloader reads its annotation.
    ...((input.restartOnSecrets ?? []).length > 0
      ? { statefulsetAnnotations: { [RELOADER_SECRET_ANNOTATION]: [...input.restartOnSecrets!].sort().join(",") } }
      : {}),
    image: { repository: KEYCLOAK_IMAGE.repository, tag: KEYCLOAK_IMAGE.tag },
    replicas: input.replicas,
    // The image's entrypoint is kc.sh; `start` builds (vault, cache, db options) and runs.
    args: ["start", "--import-realm"],
    http: { relativePath: "/" },
    proxy: { enabled: true, mode: "xforwarded", http: { enabled: true } },
    cache: { stack: "default" },
    metrics: { enabled: true },
    // templates/servicemonitor.yaml: the `http-internal` port (9000) of the `-http` Service, path
    // `/metrics`; after the Prometheus Operator CRDs (the release declares `monitoring-crds`).
    serviceMonitor: { enabled: true, interval: "30s", scrapeTimeout: "10s" },
    health: { enabled: true },
    dbchecker: { enabled: true },
    database: {
      vendor: "postgres",
      hostname: input.database.host,
      port: input.database.port,
      database: input.database.name,
      existingSecret: input.database.secretName,
      existingSecretKey: "password",
    },
    extraEnv: yaml(keycloakEnv(input)),
    extraVolumes: yaml(volumes),
    extraVolumeMounts: yaml(mounts),
    ...(spread.length > 0 ? { topologySpreadConstraints: yaml(spread) } : {}),
    tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
    ...(isReplicated(input.replicas) ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
    resources: input.resources,
    serviceAccount: { create: true, automountServiceAccountToken: false },
    securityContext: {
      runAsUser: 1000,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    ingress: {
      enabled: true,
      ingressClassName: "alb",
      servicePort: "http",
      annotations: albIngressAnnotations(input.certificateArn),
      rules: [{ host: input.hostname, paths: publicPaths(input.realm).map((path) => ({ path, pathType: "Prefix" })) }],
      tls: [],
    },
  };
}
