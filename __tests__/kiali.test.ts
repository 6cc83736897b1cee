/**
 * Kiali (addons/kiali, stacks/addons/kiali.ts): values against the chart's and Kiali's keys, the
 * OpenID login through the realm's public `kiali` client (redirect and audience), the signing key
 * made in the cluster, and the wiring of every environment (after the mesh, HA where the environment is).
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ISTIO_NAMESPACE } from "../addons/istio/contract";
import { KIALI_CLIENT_ID, KUBERNETES_CLIENT_ID, keycloakRealm, kialiClient } from "../addons/keycloak/realm";
import { KIALI_CHART, KIALI_SIGNING_KEY, kialiResources } from "../addons/kiali";
import { KIALI_LOCAL_URL, kialiAuth, kialiRedirectUri, kialiValues, kialiWebServer, type KialiValuesInput } from "../addons/kiali/values";
import { highlyAvailable } from "../stacks/addons/core";
import { kialiBackends } from "../stacks/addons/kiali";
import { platform, resources, synth } from "./support/platform";

const ISSUER = "https://sso.example.com/realms/platform";
const input = (highlyAvailable: boolean, extra: Partial<KialiValuesInput> = {}): KialiValuesInput => ({
  highlyAvailable,
  issuerUrl: ISSUER,
  clientId: KIALI_CLIENT_ID,
  signingKey: KIALI_SIGNING_KEY,
  istioNamespace: ISTIO_NAMESPACE,
  ...kialiBackends("monitoring"),
  ...extra,
});

/** Every dotted path of leaves in `values` (objects descended, arrays and scalars are leaves). */
function paths(values: unknown, prefix = ""): string[] {
  if (typeof values !== "object" || values === null || Array.isArray(values)) return [prefix];
  return Object.entries(values).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k));
}

/** Whether every segment of `path` is a key of `tree` (a list or scalar ends the path). */
function known(tree: unknown, path: string): boolean {
  let node: unknown = tree;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

describe("Kiali values", () => {
  // The chart's values.yaml keys and the Kiali configuration keys it passes through (kept as data with their source).
  const trees = JSON.parse(readFileSync(`${__dirname}/upstream/kiali-server-values-keys.json`, "utf8")) as { chart: unknown; config: unknown };
  // Maps the chart passes to Kubernetes as they are (nodeSelector, the PDB's spec).
  const FREE_FORM = [/^deployment\.node_selector\./, /^deployment\.pod_disruption_budget\.spec\./];

  it.each([true, false])("uses only keys of the chart or of Kiali's configuration (HA %s)", (ha) => {
    const values = kialiValues(input(ha, { nodeSelector: { role: "system" } }));
    const unknown = paths(values)
      .filter((p) => !FREE_FORM.some((f) => f.test(p)))
      .filter((p) => !known(trees.chart, p) && !known(trees.config, p));
    expect(unknown).toEqual([]);
  });

  it("runs 2 replicas with a PDB and a zone spread of its own pods when highly available, 1 without PDB otherwise; requests and the system toleration", () => {
    const ha = kialiValues(input(true)) as any;
    const single = kialiValues(input(false)) as any;
    expect([ha.deployment.replicas, ha.deployment.pod_disruption_budget.spec]).toEqual([2, { minAvailable: 1 }]);
    expect([single.deployment.replicas, single.deployment.pod_disruption_budget.spec]).toEqual([1, {}]);
    expect(ha.deployment.topology_spread_constraints[0].labelSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "kiali", "app.kubernetes.io/instance": "kiali" });
    for (const v of [ha, single]) {
      expect(v.deployment.resources.requests.cpu).toBeTruthy();
      expect(v.deployment.tolerations).toContainEqual(expect.objectContaining({ key: "CriticalAddonsOnly" }));
      expect(v.deployment.ingress.enabled).toBe(false);
    }
    expect((kialiValues(input(false, { nodeSelector: { role: "system" } })) as any).deployment.node_selector).toEqual({ role: "system" });
    expect((kialiValues(input(false)) as any).deployment).not.toHaveProperty("node_selector");
  });

  it("logs in with OpenID Connect, RBAC through the user's ID token, view-only, and holds no secret value", () => {
    const v = kialiValues(input(false)) as any;
    expect(v.auth).toEqual(kialiAuth(ISSUER, KIALI_CLIENT_ID));
    expect(v.auth.openid).toMatchObject({ client_id: "kiali", issuer_uri: ISSUER, api_token: "id_token", disable_rbac: false });
    expect(v.deployment.view_only_mode).toBe(true);
    // The signing key is a reference the chart mounts; no client secret exists (public client).
    expect(v.login_token.signing_key).toBe(`secret:${KIALI_SIGNING_KEY.secretName}:${KIALI_SIGNING_KEY.key}`);
    expect(JSON.stringify(v)).not.toMatch(/client_secret|oidc-secret/);
    expect(() => kialiAuth("http://sso.example.com/realms/platform", "kiali")).toThrow(/https/);
    expect(() => kialiValues(input(false, { signingKey: { secretName: "Bad_Name", key: "k" } }))).toThrow(/Secret name/);
  });

  it("wires Prometheus, Grafana (in-cluster and external URL) and Jaeger over gRPC, and Istio's namespace", () => {
    const v = (kialiValues(input(false)) as any).external_services;
    expect(v.prometheus.url).toBe("http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090");
    expect(v.grafana).toMatchObject({ enabled: true, internal_url: "http://kube-prometheus-stack-grafana.monitoring.svc.cluster.local:80", external_url: "http://localhost:3000" });
    expect(v.tracing).toMatchObject({ enabled: true, provider: "jaeger", use_grpc: true, internal_url: "http://jaeger.tracing.svc.cluster.local:16685" });
    expect(v.istio.root_namespace).toBe(ISTIO_NAMESPACE);
  });

  it("derives server.web_* and the redirect URI from Kiali's URL (default ports left out, as Kiali does)", () => {
    expect(kialiWebServer(KIALI_LOCAL_URL)).toEqual({ web_schema: "http", web_fqdn: "localhost", web_port: "20001", web_root: "/kiali" });
    expect(kialiRedirectUri(KIALI_LOCAL_URL)).toBe("http://localhost:20001/kiali");
    expect(kialiWebServer("https://kiali.example.com/kiali/")).toEqual({ web_schema: "https", web_fqdn: "kiali.example.com", web_port: "443", web_root: "/kiali" });
    expect(kialiRedirectUri("https://kiali.example.com/kiali/")).toBe("https://kiali.example.com/kiali");
    expect(kialiRedirectUri("http://kiali.internal/mesh")).toBe("http://kiali.internal/mesh");
    expect(kialiRedirectUri("https://kiali.example.com:8443/kiali")).toBe("https://kiali.example.com:8443/kiali");
    expect(() => kialiWebServer("http://localhost:20001/")).toThrow(/needs a path/);
    expect(() => kialiWebServer("http://localhost:20001/kiali?x=1")).toThrow(/no query/);
    expect(() => kialiWebServer("ftp://localhost/kiali")).toThrow(/http\(s\)/);
  });

  it("makes the signing key in the cluster (Password generator, created once) and a ServiceMonitor when asked", () => {
    const objects = kialiResources(ISTIO_NAMESPACE, true);
    expect(objects.map((o) => o.kind)).toEqual(["Password", "ExternalSecret", "ServiceMonitor"]);
    expect(objects[0]).toMatchObject({ spec: { length: 32 } });
    expect(objects[1]).toMatchObject({ spec: { refreshPolicy: "CreatedOnce", target: { name: KIALI_SIGNING_KEY.secretName } } });
    expect(objects[2]).toMatchObject({ spec: { endpoints: [{ port: "http-metrics" }] } });
    expect(kialiResources(ISTIO_NAMESPACE, false).map((o) => o.kind)).toEqual(["Password", "ExternalSecret"]);
  });
});

describe("Kiali's client in the realm", () => {
  it("is a public PKCE client whose only redirect is Kiali's URL, and whose ID tokens also name the cluster's client", () => {
    const realm = keycloakRealm({ realm: "platform", grafanaRootUrl: "http://localhost:3000" });
    const kiali = realm.clients.find((c) => c.clientId === KIALI_CLIENT_ID)!;
    expect(kiali).toEqual(kialiClient(KIALI_LOCAL_URL));
    expect(kiali.publicClient).toBe(true);
    expect(kiali.attributes["pkce.code.challenge.method"]).toBe("S256");
    expect(kiali.redirectUris).toEqual([kialiRedirectUri(KIALI_LOCAL_URL)]);
    expect(kiali).not.toHaveProperty("secret");
    const audience = (kiali.protocolMappers as any[]).find((m) => m.protocolMapper === "oidc-audience-mapper");
    expect(audience.config).toMatchObject({ "included.client.audience": KUBERNETES_CLIENT_ID, "id.token.claim": "true" });
    const custom = keycloakRealm({ realm: "platform", grafanaRootUrl: "http://localhost:3000", kialiUrl: "https://kiali.example.com/kiali" });
    expect(custom.clients.find((c) => c.clientId === KIALI_CLIENT_ID)!.redirectUris).toEqual(["https://kiali.example.com/kiali"]);
  });
});

describe("Kiali in every environment", () => {
  const { envs, stacks } = platform();
  const cases = envs.map((env) => {
    const stack = synth(stacks.environments[env.name]!.addons);
    const releases = resources(stack, "helm_release");
    const id = Object.keys(releases).find((k) => releases[k].name === "kiali")!;
    return { env, stack, releases, id, release: releases[id] };
  });

  it.each(cases.map((c) => [c.env.name, c] as const))("%s: pinned chart in Istio's namespace, after the mesh and the signing key", (_name, c) => {
    expect(c.release).toMatchObject({ namespace: ISTIO_NAMESPACE, chart: KIALI_CHART.chart, version: KIALI_CHART.version, repository: KIALI_CHART.repository });
    const deps: string[] = c.release.depends_on ?? [];
    const named = (name: string) => Object.keys(c.releases).find((k) => c.releases[k].name === name);
    expect(deps).toContain(`helm_release.${named("kiali-resources")}`);
    // The mesh's release that creates the namespace (a release in it other than Kiali's own).
    const meshDeps = deps.filter((d) => d.startsWith("helm_release.")).map((d) => c.releases[d.slice("helm_release.".length)]).filter((r) => r && r.namespace === ISTIO_NAMESPACE && !r.name.startsWith("kiali"));
    expect(meshDeps.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.env.name, c] as const))("%s: 2 replicas with a PDB where the environment is highly available (prod always), 1 elsewhere", (_name, c) => {
    const values = parse(c.release.values[0]) as any;
    const ha = highlyAvailable(c.env);
    if (c.env.stage === "prod") expect(ha).toBe(true);
    expect(values.deployment.replicas).toBe(ha ? 2 : 1);
    expect(Object.keys(values.deployment.pod_disruption_budget.spec).length > 0).toBe(ha);
  });

  it.each(cases.map((c) => [c.env.name, c] as const))("%s: the realm's kiali client redirects to the URL Kiali is configured with; no secret in the synthesized JSON", (_name, c) => {
    const values = parse(c.release.values[0]) as any;
    const s = values.server;
    const url = `${s.web_schema}://${s.web_fqdn}:${s.web_port}${s.web_root}`;
    const maps = resources(c.stack, "kubernetes_config_map_v1");
    const realmMap = Object.values(maps).find((m: any) => m.metadata.name === "keycloak-realm") as any;
    const realm = JSON.parse(Object.values(realmMap.data)[0] as string);
    const client = realm.clients.find((cl: any) => cl.clientId === KIALI_CLIENT_ID);
    expect(client.redirectUris).toEqual([kialiRedirectUri(url)]);
    expect(values.auth.openid.issuer_uri).toBe(`https://${c.env.addons.auth.hostname}/realms/${c.env.addons.auth.realm}`);
    expect(JSON.stringify(c.release)).not.toMatch(/oidc-secret|client_secret/);
  });
});
