/**
 * Values of the kiali-server chart 2.29.0 (see `KIALI_CHART`). Pure: no cdktf. Keys used:
 * - chart keys (kiali-server/values.yaml and templates/deployment.yaml, pdb.yaml, service.yaml):
 *   `deployment.{instance_name,cluster_wide_access,view_only_mode,replicas,resources,tolerations,
 *   node_selector,topology_spread_constraints,pod_disruption_budget.spec,service_type}`,
 *   `deployment.ingress.enabled` (commented out in values.yaml, read by the
 *   `kiali-server.deployment.ingress.enabled` helper), `server.{port,web_root,observability.metrics}`,
 *   `login_token.signing_key` (a `secret:<name>:<key>` reference: the chart mounts that key under
 *   /kiali-override-secrets/login-token-signing-key/, and Kiali reads the file);
 * - Kiali configuration the chart passes through (kiali/kiali config/config.go @ v2.29.0):
 *   `auth.openid.{client_id,issuer_uri,scopes,username_claim,api_token,disable_rbac}`,
 *   `server.{web_fqdn,web_schema,web_port}`, `external_services.prometheus.url`,
 *   `external_services.grafana.{enabled,internal_url,external_url,auth.type}`,
 *   `external_services.tracing.{enabled,provider,internal_url,external_url,use_grpc}`,
 *   `external_services.istio.root_namespace`.
 *
 * Login (handlers/authentication/openid_auth_controller.go @ v2.29.0): the authorization code flow,
 * always with PKCE (S256); without a client secret Kiali sends `client_id` in the token request, so
 * the realm's `kiali` client is public and no client secret exists anywhere. The redirect URI is
 * Kiali's own URL (`<schema>://<web_fqdn>:<web_port><web_root>`, util/httputil GuessKialiURL), set
 * here from `url` so it never depends on request headers.
 *
 * RBAC: Kiali calls the API server with the user's ID token (`api_token: id_token`,
 * `disable_rbac: false`), so users see the namespaces their Kubernetes RBAC allows (the cluster
 * trusts the realm: keycloak/kubernetes-oidc.ts). The realm adds `kubernetes` to the audience of the
 * `kiali` client's ID tokens (realm.ts), which the API server requires. View-only everywhere: mesh
 * configuration changes go through Git and Argo CD, not Kiali's editors.
 */
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { CRITICAL_ADDONS_TOLERATION, zoneSpread } from "../context";
import { KIALI_INSTANCE_NAME } from "./chart";

/** Port of Kiali's UI/API (`server.port`, also the Service port). */
export const KIALI_PORT = 20001;
/** Port of Kiali's own metrics (`server.observability.metrics.port`, Service port `http-metrics`). */
export const KIALI_METRICS_PORT = 9090;

/** Where users reach Kiali: `kubectl -n istio-system port-forward svc/kiali 20001:20001`, then this URL. */
export const KIALI_LOCAL_URL = `http://localhost:${KIALI_PORT}/kiali`;

/** Selector labels of the Kiali pods (the chart's `kiali-server.selectorLabels`). */
export const KIALI_POD_LABELS = { "app.kubernetes.io/name": "kiali", "app.kubernetes.io/instance": KIALI_INSTANCE_NAME } as const;

/** Requests and memory limit (the chart's default request is 10m / 64Mi). */
export const KIALI_RESOURCES: ContainerResources = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "1Gi" } };

/** The Secret key holding Kiali's session signing key (32 characters: Kiali needs 16, 24 or 32 bytes). */
export interface SecretKeyRef {
  readonly secretName: string;
  readonly key: string;
}

export interface KialiValuesInput {
  /** Two replicas with a PDB, spread across zones (sessions are cookies signed with the shared key). */
  readonly highlyAvailable: boolean;
  /** Issuer of the realm, `https://<host>/realms/<realm>`. */
  readonly issuerUrl: string;
  /** Public client id of Kiali in the realm. */
  readonly clientId: string;
  /** Kiali's session signing key, in a Secret of Kiali's namespace. */
  readonly signingKey: SecretKeyRef;
  /** In-cluster URL of the Prometheus Kiali queries (the mesh's metrics). */
  readonly prometheusUrl: string;
  /** Grafana: in-cluster URL (Kiali's API calls) and the URL users open (links). */
  readonly grafana: { readonly internalUrl: string; readonly externalUrl: string };
  /** Jaeger: in-cluster gRPC query URL (`http://<host>:16685`) and the UI users open (links). */
  readonly tracing: { readonly internalGrpcUrl: string; readonly externalUrl: string };
  /** Namespace of the Istio control plane (`external_services.istio.root_namespace`). */
  readonly istioNamespace: string;
  /**
   * Kiali's external URL, `<scheme>://<host>[:<port>]/<path>`: the OIDC redirect URI.
   * @default KIALI_LOCAL_URL
   */
  readonly url?: string;
  /**
   * Node labels of the system node group.
   * @default - no node selector
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/**
 * Kiali's `server.web_*` settings from its external URL.
 * @throws Error when the URL is not http(s), has no path (the chart's web root on Kubernetes is
 *   `/kiali`), or carries a query or fragment
 */
export function kialiWebServer(url: string): { web_schema: string; web_fqdn: string; web_port: string; web_root: string } {
  const u = new URL(url);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`Kiali URL must be http(s), got "${url}"`);
  if (u.search !== "" || u.hash !== "") throw new Error(`Kiali URL must have no query or fragment, got "${url}"`);
  const root = u.pathname.replace(/\/+$/, "");
  if (root === "") throw new Error(`Kiali URL needs a path (the web root, e.g. /kiali), got "${url}"`);
  const schema = u.protocol.slice(0, -1);
  return { web_schema: schema, web_fqdn: u.hostname, web_port: u.port || (schema === "https" ? "443" : "80"), web_root: root };
}

/** The redirect URI Kiali sends (its URL without trailing slash), which the realm's client must list. */
export function kialiRedirectUri(url: string): string {
  const s = kialiWebServer(url);
  const defaultPort = (s.web_schema === "https" && s.web_port === "443") || (s.web_schema === "http" && s.web_port === "80");
  return `${s.web_schema}://${s.web_fqdn}${defaultPort ? "" : `:${s.web_port}`}${s.web_root}`;
}

/** `auth` of Kiali's configuration: OpenID Connect against the realm, RBAC through the user's ID token. */
export function kialiAuth(issuerUrl: string, clientId: string) {
  if (!/^https:\/\/[^/]+\/(.+\/)?realms\/[^/]+$/.test(issuerUrl)) {
    throw new Error(`issuerUrl must be https://<host>/realms/<realm>, got "${issuerUrl}"`);
  }
  return {
    strategy: "openid",
    openid: {
      client_id: clientId,
      issuer_uri: issuerUrl,
      scopes: ["openid", "profile", "email"],
      // The name users see; Kubernetes gets the same claim (kubernetes-oidc.ts).
      username_claim: "preferred_username",
      api_token: "id_token",
      disable_rbac: false,
    },
  };
}

/** The chart values. */
export function kialiValues(input: KialiValuesInput): Record<string, unknown> {
  const replicas = input.highlyAvailable ? 2 : 1;
  const { signingKey } = input;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(signingKey.secretName) || !/^[-._a-zA-Z0-9]+$/.test(signingKey.key)) {
    throw new Error(`signing key reference ${signingKey.secretName}/${signingKey.key} is not a Secret name and key`);
  }
  return {
    auth: kialiAuth(input.issuerUrl, input.clientId),
    deployment: {
      instance_name: KIALI_INSTANCE_NAME,
      // Kiali's own account reads every namespace (its caches); users see what their token may.
      cluster_wide_access: true,
      view_only_mode: true,
      replicas,
      resources: KIALI_RESOURCES,
      tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
      ...(input.nodeSelector ? { node_selector: { ...input.nodeSelector } } : {}),
      // Rendered as is (no selector filled in by the template): the pods' selector labels.
      topology_spread_constraints: zoneSpread(KIALI_POD_LABELS),
      // pdb.yaml renders a PodDisruptionBudget only when `spec` is not empty.
      pod_disruption_budget: { spec: replicas > 1 ? { minAvailable: 1 } : {} },
      ingress: { enabled: false },
      service_type: "ClusterIP",
    },
    external_services: {
      prometheus: { enabled: true, url: input.prometheusUrl },
      // Kiali links to Grafana's dashboards; Grafana's API needs a login (no anonymous access), so
      // without a token Kiali shows no dashboard links (docs/gitops-and-mesh.md, "Kiali").
      grafana: { enabled: true, internal_url: input.grafana.internalUrl, external_url: input.grafana.externalUrl, auth: { type: "none" } },
      // Jaeger v2's query extension serves the api_v2 QueryService over gRPC (Service port grpc-query).
      tracing: {
        enabled: true,
        provider: "jaeger",
        use_grpc: true,
        internal_url: input.tracing.internalGrpcUrl,
        external_url: input.tracing.externalUrl,
      },
      // Istio's control plane namespace; Kiali discovers the istiod revisions in it.
      istio: { root_namespace: input.istioNamespace },
    },
    login_token: { signing_key: `secret:${signingKey.secretName}:${signingKey.key}` },
    server: {
      port: KIALI_PORT,
      ...kialiWebServer(input.url ?? KIALI_LOCAL_URL),
      observability: { metrics: { enabled: true, port: KIALI_METRICS_PORT } },
    },
  };
}
