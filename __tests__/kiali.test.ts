/**
 * Kiali (addons/kiali, stacks/addons/kiali.ts): the backends the stack hands Kiali, the OpenID login
 * through the realm's public `kiali` client (redirect and audience), the signing key made in the
 * cluster, and the wiring of every environment (after the mesh, HA where the environment is). The
 * values (chart and Kiali keys, replicas, login, backends, URL) are checked without synthesis in
 * rules/mesh-values.test.ts.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ISTIO_NAMESPACE } from "../addons/istio/contract";
import { KIALI_CLIENT_ID, KUBERNETES_CLIENT_ID, keycloakRealm, kialiClient } from "../addons/keycloak/realm";
import { KIALI_CHART, KIALI_SIGNING_KEY, kialiResources } from "../addons/kiali";
import { KIALI_LOCAL_URL, kialiRedirectUri } from "../addons/kiali/values";
import { highlyAvailable } from "../stacks/addons/core";
import { kialiBackends } from "../stacks/addons/kiali";
import { platform, resources, synth } from "./support/platform";

describe("Kiali's backends and signing key", () => {
  it("queries kube-prometheus-stack's Prometheus and Grafana Services in the monitoring namespace, and Jaeger's query over gRPC", () => {
    expect(kialiBackends("monitoring")).toMatchObject({
      prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090",
      grafana: { internalUrl: "http://kube-prometheus-stack-grafana.monitoring.svc.cluster.local:80", externalUrl: "http://localhost:3000" },
      tracing: { internalGrpcUrl: "http://jaeger.tracing.svc.cluster.local:16685" },
    });
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
