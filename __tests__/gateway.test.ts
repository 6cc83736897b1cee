/**
 * Gateway API ingress (addons/ingress-gateway, stacks/addons/gateway.ts): the gateway chart's values
 * against its keys, the NLB annotations, the HA rule in every environment, the Gateway and its
 * certificate as rules, the routes admitted only from team namespaces, the CRDs through the wrapper
 * chart, release ordering, and the environment without DNS.
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
import {
  gatewayServiceHostname,
  HTTP_LISTENER,
  HTTPS_LISTENER,
  httpsRedirectRoute,
  ingressGateway,
  INGRESS_GATEWAY_NAME,
  teamAllowedRoutes,
  teamRouteClusterRoles,
  wildcardCertificate,
} from "../addons/ingress-gateway/resources";
import {
  EXTERNAL_DNS_HOSTNAME_ANNOTATION,
  gatewayApiCrdsValues,
  INGRESS_GATEWAY_POD_LABELS,
  INGRESS_GATEWAY_RELEASE,
  ingressGatewayReplicas,
  ingressGatewayValues,
  nlbAnnotations,
} from "../addons/ingress-gateway/values";
import { ISTIO_INGRESS_NAMESPACE, MESH_REVISION_LABEL } from "../addons/istio/contract";
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

/** Every dotted path of leaves in `values` (objects descended, arrays and scalars are leaves). */
function paths(values: unknown, prefix = ""): string[] {
  if (typeof values !== "object" || values === null || Array.isArray(values)) return [prefix];
  return Object.entries(values).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k));
}

/** The leaves of `values` the key tree has no key for (a declared empty map or a list/scalar is free-form below). */
function unknownKeys(values: unknown, tree: unknown): string[] {
  return paths(values).filter((p) => {
    const parts = p.split(".");
    for (let i = parts.length; i > 0; i--) {
      const node = parts.slice(0, i).reduce<any>((o, k) => (o !== null && typeof o === "object" && Object.hasOwn(o, k) ? o[k] : undefined), tree);
      if (node !== undefined) return i < parts.length && node !== null && typeof node === "object" && !Array.isArray(node) && Object.keys(node).length > 0;
    }
    return true;
  });
}

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

describe("ingress gateway values", () => {
  // The key tree of the gateway chart's values.yaml at the pinned commit (kept as data with its source).
  const tree = (JSON.parse(readFileSync(join(__dirname, "upstream", "istio-gateway-values-keys.json"), "utf8")) as { keys: unknown }).keys;
  const input = { revision: "1-30-3", highlyAvailable: true, availabilityZones: 3, wildcardHostname: "*.apps.example.com" };

  it.each([true, false])("uses only keys of the chart (HA %s)", (ha) => {
    expect(unknownKeys(ingressGatewayValues({ ...input, highlyAvailable: ha }), tree)).toEqual([]);
  });

  it("runs the revision's proxy, without the chart's Secret-reading Role (istiod serves Gateway API certificates)", () => {
    const values = ingressGatewayValues(input) as any;
    expect(values.revision).toBe(input.revision);
    expect(values.rbac).toEqual({ enabled: false });
  });

  it("asks the Load Balancer Controller for an internet-facing NLB to pod IPs, cross-zone, health-checked on the proxy's readiness", () => {
    const annotations = (ingressGatewayValues(input) as any).service.annotations;
    expect(annotations).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
      "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
    });
    expect(Object.values(annotations).every((v) => typeof v === "string")).toBe(true);
    expect((ingressGatewayValues(input) as any).service.type).toBe("LoadBalancer");
  });

  it("publishes the wildcard record only when a hostname is given", () => {
    expect((ingressGatewayValues(input) as any).service.annotations[EXTERNAL_DNS_HOSTNAME_ANNOTATION]).toBe(input.wildcardHostname);
    const { wildcardHostname: _unused, ...withoutDns } = input;
    expect((ingressGatewayValues(withoutDns) as any).service.annotations).toEqual(nlbAnnotations());
  });

  it.each([
    [true, 1, 2],
    [true, 2, 2],
    [true, 3, 3],
    [false, 3, 1],
  ])("HA %s with %i zones: an HPA minimum of %i, a PDB and zone spread exactly when it is above 1", (ha, zones, min) => {
    const values = ingressGatewayValues({ ...input, highlyAvailable: ha, availabilityZones: zones }) as any;
    expect(values.autoscaling).toMatchObject({ enabled: true, minReplicas: min });
    expect(values.autoscaling.maxReplicas).toBeGreaterThan(min);
    expect(values.podDisruptionBudget).toEqual(min > 1 ? { maxUnavailable: 1 } : {});
    const spread = values.topologySpreadConstraints as { topologyKey: string; labelSelector: { matchLabels: object } }[];
    expect(spread.map((s) => s.topologyKey)).toEqual(min > 1 ? ["topology.kubernetes.io/zone"] : []);
    for (const s of spread) expect(s.labelSelector.matchLabels).toEqual(INGRESS_GATEWAY_POD_LABELS);
  });

  it("selects the pods the chart labels: app = release name, istio = release name without istio-", () => {
    expect(INGRESS_GATEWAY_POD_LABELS).toEqual({ app: INGRESS_GATEWAY_RELEASE, istio: INGRESS_GATEWAY_RELEASE.replace(/^istio-/, "") });
  });
});

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
  const gateway = ingressGateway({ domain: DNS.domain, teamNamespaces: ["search"], revision: "1-30-3" }) as any;
  const certificate = wildcardCertificate(DNS.domain) as any;

  it("validates against the Gateway API and cert-manager schemas", () => {
    const models: Record<string, new (o: any) => { validate(): void }> = { Gateway, HTTPRoute, Certificate, ClusterIssuer };
    for (const o of objects.filter((x) => models[x.kind])) expect(() => new models[o.kind]!(o).validate(), o.kind).not.toThrow();
  });

  it("is bound to the gateway chart's Service (manual deployment: one Hostname address), class istio, labelled with its revision", () => {
    expect(gateway.spec.gatewayClassName).toBe("istio");
    expect(gateway.spec.addresses).toEqual([{ type: "Hostname", value: `${INGRESS_GATEWAY_RELEASE}.${ISTIO_INGRESS_NAMESPACE}.svc.cluster.local` }]);
    expect(gatewayServiceHostname()).toBe(gateway.spec.addresses[0].value);
    expect(gateway.metadata).toMatchObject({ name: INGRESS_GATEWAY_NAME, namespace: ISTIO_INGRESS_NAMESPACE, labels: { [MESH_REVISION_LABEL]: "1-30-3" } });
  });

  it("terminates TLS for *.<domain> with the certificate's Secret; the certificate covers the listener's names", () => {
    const https = gateway.spec.listeners.find((l: any) => l.name === HTTPS_LISTENER);
    expect(https).toMatchObject({ port: 443, protocol: "HTTPS", hostname: `*.${DNS.domain}`, tls: { mode: "Terminate" } });
    expect(https.tls.certificateRefs).toEqual([{ group: "", kind: "Secret", name: certificate.spec.secretName }]);
    expect(certificate.metadata.namespace).toBe(gateway.metadata.namespace);
    expect(certificate.spec.dnsNames).toEqual([https.hostname]);
    expect(certificate.spec.issuerRef).toEqual({ group: "cert-manager.io", kind: "ClusterIssuer", name: ROUTE53_CLUSTER_ISSUER });
  });

  it("issues through DNS-01 in the environment's zone (the solver names the zone: the IRSA policy has no ListHostedZonesByName)", () => {
    const issuer = route53ClusterIssuer(DNS) as any;
    expect(issuer.metadata.name).toBe(ROUTE53_CLUSTER_ISSUER);
    expect(issuer.spec.acme.solvers).toEqual([{ selector: { dnsZones: [DNS.domain] }, dns01: { route53: { region: DNS.region, hostedZoneID: DNS.hostedZoneId } } }]);
  });

  it("answers plain HTTP only with a redirect to HTTPS: the HTTP listener admits its own namespace's routes, the platform's redirect is one", () => {
    const http = gateway.spec.listeners.find((l: any) => l.name === HTTP_LISTENER);
    expect(http).toMatchObject({ port: 80, protocol: "HTTP", hostname: `*.${DNS.domain}`, allowedRoutes: { namespaces: { from: "Same" } } });
    const redirect = httpsRedirectRoute(DNS.domain) as any;
    expect(redirect.metadata.namespace).toBe(ISTIO_INGRESS_NAMESPACE);
    expect(redirect.spec.parentRefs).toEqual([{ name: INGRESS_GATEWAY_NAME, sectionName: HTTP_LISTENER }]);
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }]);
  });
});

describe("routes admitted from team namespaces", () => {
  it("admits HTTPRoutes from exactly the teams' namespaces, by the API server's name label, sorted and once each", () => {
    expect(teamAllowedRoutes(["search", "payments", "search"])).toEqual({
      namespaces: { from: "Selector", selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["payments", "search"] }] } },
      kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }],
    });
  });

  it("admits no other namespace when there is no team (an empty In is invalid)", () => {
    expect(teamAllowedRoutes([])).toEqual({ namespaces: { from: "Same" }, kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }] });
  });

  it("takes the namespaces of both forms of a team's config (list and map of rights)", () => {
    const teams = {
      search: { roleArn: "arn:aws:iam::111122223333:role/search", namespaces: ["search", "search-jobs"] },
      payments: { roleArn: "arn:aws:iam::111122223333:role/payments", namespaces: { payments: "edit", ledger: "view" } },
    };
    expect(teamNamespacesOf({ cluster: { access: { teams } } } as any)).toEqual(["ledger", "payments", "search", "search-jobs"]);
  });

  it("lets teams manage routes through their built-in roles, never Gateways or ReferenceGrants", () => {
    const roles = teamRouteClusterRoles() as any[];
    const resourcesOf = (aggregate: string) =>
      roles.filter((r) => r.metadata.labels[`rbac.authorization.k8s.io/aggregate-to-${aggregate}`] === "true").flatMap((r) => r.rules.flatMap((x: any) => x.resources));
    for (const right of ["admin", "edit", "view"]) expect(resourcesOf(right).sort(), right).toEqual(["grpcroutes", "httproutes"]);
    const view = roles.find((r) => r.metadata.labels["rbac.authorization.k8s.io/aggregate-to-view"]);
    expect(view.rules.flatMap((x: any) => x.verbs).sort()).toEqual(["get", "list", "watch"]);
  });
});

describe("Gateway API CRDs", () => {
  const wrapper = parse(readFileSync(join(__dirname, "..", "charts", GATEWAY_API_CRDS_WRAPPER.name, "Chart.yaml"), "utf8")) as any;

  it("come from the pinned upstream chart as the wrapper's one dependency (no CRD kept in this repository)", () => {
    expect(wrapper).toMatchObject({ name: GATEWAY_API_CRDS_WRAPPER.name, version: GATEWAY_API_CRDS_WRAPPER.version });
    expect(wrapper.dependencies).toEqual([{ name: GATEWAY_API_CRDS_CHART.chart, version: GATEWAY_API_CRDS_CHART.version, repository: GATEWAY_API_CRDS_CHART.repository }]);
    expect(GATEWAY_API_CRDS_CHART.source).toContain(`Gateway API ${GATEWAY_API_VERSION}`);
  });

  it("render the standard channel only, without Envoy Gateway's CRDs", () => {
    expect(gatewayApiCrdsValues()).toEqual({
      [GATEWAY_API_CRDS_CHART.chart]: { crds: { gatewayAPI: { enabled: true, channel: "standard" }, envoyGateway: { enabled: false } } },
    });
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
