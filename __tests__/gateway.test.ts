/**
 * Gateway API ingress (addons/ingress-gateway, stacks/addons/gateway.ts): the HA rule in every
 * environment, the Gateway, certificate and issuer against their schemas, the team namespaces the
 * routes are admitted from, the CRDs through the wrapper chart, release ordering, and the environment
 * without DNS. The values and the Gateway API objects as rules (chart keys, NLB annotations, listeners,
 * certificate, allowed routes, route roles) are checked without synthesis in rules/mesh-values.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { ClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { route53ClusterIssuer, ROUTE53_CLUSTER_ISSUER } from "../addons/cert-manager/cluster-issuer";
import { GATEWAY_API_CRDS_ASSET, ingressGatewayObjects } from "../addons/ingress-gateway";
import { GATEWAY_API_CRDS_CHART, GATEWAY_API_CRDS_WRAPPER, GATEWAY_API_VERSION, istioGatewayChart } from "../addons/ingress-gateway/chart";
import { HTTPS_LISTENER, INGRESS_GATEWAY_NAME, teamAllowedRoutes } from "../addons/ingress-gateway/resources";
import { EXTERNAL_DNS_HOSTNAME_ANNOTATION, gatewayApiCrdsValues, INGRESS_GATEWAY_RELEASE, ingressGatewayReplicas } from "../addons/ingress-gateway/values";
import { ISTIO_INGRESS_NAMESPACE } from "../addons/istio/contract";
import { defaultMeshRevision } from "../addons/istio/revisions";
import { ISTIO_VERSION_NAMES } from "../addons/istio/versions";
import { dev } from "../environments/dev";
import type { EnvironmentInput } from "../environments/schema";
import { validatePlatform } from "../environments/validate";
import { CHART_CRDS, manifestsNeedingCrdsOfTheirStack, wrappedChartOf } from "../modules/helm/chart-crds";
import type { KubernetesObject } from "../modules/helm/custom-resources";
import { buildPlatform } from "../stacks/platform";
import { highlyAvailable } from "../stacks/addons/core";
import { teamNamespacesOf } from "../stacks/addons/gateway";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";

const DNS = { domain: "apps.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", region: "ap-northeast-2" };

/** The releases of a synthesized add-ons stack by Helm release name. */
function releasesByName(stack: SynthesizedStack): Map<string, { address: string; config: Record<string, any> }> {
  return new Map(Object.entries(resources(stack, "helm_release")).map(([id, config]) => [String(config.name), { address: `helm_release.${id}`, config }]));
}

/** The objects a platform-resources release renders. */
function renderedObjects(release: Record<string, any>): KubernetesObject[] {
  return (parse(release.values[0]) as { resources: KubernetesObject[] }).resources;
}

function devAddonsWith(change: (env: EnvironmentInput) => EnvironmentInput): SynthesizedStack {
  const envs = validatePlatform([change(structuredClone(dev))]);
  return JSON.parse(Testing.synth(buildPlatform(Testing.app(), envs).environments.dev!.addons, true)) as SynthesizedStack;
}

describe("ingress gateway in every environment", () => {
  it.each(platform().envs.map((e) => [e.name, e] as const))("%s: the revision is the default one, HA follows the environment, DNS and TLS only with addons.dns", (name, env) => {
    const releases = releasesByName(synth(platform().stacks.environments[name]!.addons));
    expect(releases.has(GATEWAY_API_CRDS_WRAPPER.name)).toBe(true);
    const gateway = releases.get(INGRESS_GATEWAY_RELEASE);
    expect(gateway !== undefined).toBe(env.addons.dns !== undefined);
    if (!gateway || !env.addons.dns) return;
    const values = parse(gateway.config.values[0]) as any;
    expect(values.revision).toBe(defaultMeshRevision(env));
    const { min } = ingressGatewayReplicas({ highlyAvailable: highlyAvailable(env), availabilityZones: env.availabilityZones.length });
    expect(values.autoscaling.minReplicas).toBe(min);
    expect(values.autoscaling.minReplicas >= 2).toBe(highlyAvailable(env));
    expect(values.service.annotations[EXTERNAL_DNS_HOSTNAME_ANNOTATION]).toBe(`*.${env.addons.dns.domain}`);
    expect(gateway.config).toMatchObject({ namespace: ISTIO_INGRESS_NAMESPACE, chart: "gateway", repository: istioGatewayChart(ISTIO_VERSION_NAMES[0]).repository });
  });

  it.each(platform().envs.filter((e) => e.addons.dns).map((e) => [e.name, e] as const))(
    "%s: the gateway waits for istiod of the default revision and the LB webhook; its objects for the CRDs, the gateway and cert-manager",
    (name, env) => {
      const releases = releasesByName(synth(platform().stacks.environments[name]!.addons));
      const address = (release: string) => releases.get(release)!.address;
      const gateway = releases.get(INGRESS_GATEWAY_RELEASE)!.config;
      expect(gateway.depends_on).toEqual(expect.arrayContaining([address(`istiod-${defaultMeshRevision(env)}`), address("aws-load-balancer-controller")]));
      const objects = releases.get("ingress-gateway-resources")!.config;
      expect(objects.depends_on).toEqual(expect.arrayContaining([address(GATEWAY_API_CRDS_WRAPPER.name), address(INGRESS_GATEWAY_RELEASE), address("cert-manager")]));
      const kinds = renderedObjects(objects).map((o) => o.kind);
      expect(kinds).toEqual(expect.arrayContaining(["ClusterIssuer", "Certificate", "Gateway", "HTTPRoute"]));
      // The Gateway admits exactly the environment's team namespaces.
      const gw = renderedObjects(objects).find((o) => o.kind === "Gateway")!;
      expect((gw as any).spec.listeners.find((l: any) => l.name === HTTPS_LISTENER).allowedRoutes).toEqual(teamAllowedRoutes(teamNamespacesOf(env)));
    },
  );

  it("an environment without addons.dns gets the CRDs and no gateway, certificate or issuer", () => {
    const stack = devAddonsWith(({ addons: { dns: _unused, ...addons }, ...env }) => ({ ...env, addons }) as EnvironmentInput);
    const releases = releasesByName(stack);
    expect(releases.has(GATEWAY_API_CRDS_WRAPPER.name)).toBe(true);
    expect(releases.has(INGRESS_GATEWAY_RELEASE)).toBe(false);
    expect(releases.has("ingress-gateway-resources")).toBe(false);
  });
});

describe("the Gateway and its certificate", () => {
  const objects = ingressGatewayObjects({ dns: DNS, teamNamespaces: ["search", "payments"], revision: "1-30-3" });

  it("validates against the Gateway API and cert-manager schemas", () => {
    const models: Record<string, new (o: any) => { validate(): void }> = { Gateway, HTTPRoute, Certificate, ClusterIssuer };
    for (const o of objects.filter((x) => models[x.kind])) expect(() => new models[o.kind]!(o).validate(), o.kind).not.toThrow();
  });

  it("issues through DNS-01 in the environment's zone (the solver names the zone: the IRSA policy has no ListHostedZonesByName)", () => {
    const issuer = route53ClusterIssuer(DNS) as any;
    expect(issuer.metadata.name).toBe(ROUTE53_CLUSTER_ISSUER);
    expect(issuer.spec.acme.solvers).toEqual([{ selector: { dnsZones: [DNS.domain] }, dns01: { route53: { region: DNS.region, hostedZoneID: DNS.hostedZoneId } } }]);
  });
});

describe("routes admitted from team namespaces", () => {
  it("takes the namespaces of both forms of a team's config (list and map of rights)", () => {
    const teams = {
      search: { roleArn: "arn:aws:iam::111122223333:role/search", namespaces: ["search", "search-jobs"] },
      payments: { roleArn: "arn:aws:iam::111122223333:role/payments", namespaces: { payments: "edit", ledger: "view" } },
    };
    expect(teamNamespacesOf({ cluster: { access: { teams } } } as any)).toEqual(["ledger", "payments", "search", "search-jobs"]);
  });
});

describe("Gateway API CRDs", () => {
  const wrapper = parse(readFileSync(join(__dirname, "..", "charts", GATEWAY_API_CRDS_WRAPPER.name, "Chart.yaml"), "utf8")) as any;

  it("come from the pinned upstream chart as the wrapper's one dependency (no CRD kept in this repository)", () => {
    expect(wrapper).toMatchObject({ name: GATEWAY_API_CRDS_WRAPPER.name, version: GATEWAY_API_CRDS_WRAPPER.version });
    expect(wrapper.dependencies).toEqual([{ name: GATEWAY_API_CRDS_CHART.chart, version: GATEWAY_API_CRDS_CHART.version, repository: GATEWAY_API_CRDS_CHART.repository }]);
    expect(GATEWAY_API_CRDS_CHART.source).toContain(`Gateway API ${GATEWAY_API_VERSION}`);
  });

  it.each(platform().envs.map((e) => [e.name] as const))("%s: the release updates the dependency, pinned, with the rendered values", (name) => {
    const release = releasesByName(synth(platform().stacks.environments[name]!.addons)).get(GATEWAY_API_CRDS_WRAPPER.name)!.config;
    expect(release).toMatchObject({ dependency_update: true, version: GATEWAY_API_CRDS_WRAPPER.version, atomic: true });
    expect(parse(release.values[0])).toEqual(gatewayApiCrdsValues());
  });
});

describe("the CRD check knows the wrapper", () => {
  it.each(platform().envs.map((e) => [e.name] as const))("%s: the wrapper's release is read as the upstream chart it wraps, at its pinned version", (name) => {
    const release = releasesByName(synth(platform().stacks.environments[name]!.addons)).get(GATEWAY_API_CRDS_WRAPPER.name)!.config;
    expect(String(release.chart).startsWith(`./assets/${GATEWAY_API_CRDS_ASSET}/`)).toBe(true);
    expect(wrappedChartOf(release)).toBe(GATEWAY_API_CRDS_CHART.chart);
    expect(CHART_CRDS[GATEWAY_API_CRDS_CHART.chart]!.version).toBe(GATEWAY_API_CRDS_CHART.version);
  });

  it("flags a kubernetes_manifest of a Gateway API kind in the stack of the wrapper", () => {
    const stack = {
      resource: {
        helm_release: { crds: { chart: `./assets/${GATEWAY_API_CRDS_ASSET}/ABC123`, version: GATEWAY_API_CRDS_WRAPPER.version } },
        kubernetes_manifest: { gw: { manifest: { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway" } } },
      },
    };
    expect(manifestsNeedingCrdsOfTheirStack(stack)).toEqual(["kubernetes_manifest.gw: gateway.networking.k8s.io/Gateway (CRD from helm_release.crds)"]);
  });
});

describe("the documented HTTPRoute", () => {
  const doc = readFileSync(join(__dirname, "..", "docs", "gitops-and-mesh.md"), "utf8");
  const route = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!)).find((o) => o?.kind === "HTTPRoute");

  it("is a valid HTTPRoute that attaches to the platform's Gateway and HTTPS listener from a team namespace", () => {
    expect(() => new HTTPRoute(route).validate()).not.toThrow();
    expect(route.spec.parentRefs).toEqual([{ name: INGRESS_GATEWAY_NAME, namespace: ISTIO_INGRESS_NAMESPACE, sectionName: HTTPS_LISTENER }]);
  });
});
