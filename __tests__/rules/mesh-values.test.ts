/**
 * Rules the mesh's values functions and objects follow, checked on the values themselves (pure, no
 * cdktf, every value built inside its test so that a mutant is seen by the test that runs it):
 * Istio's base, istiod and cni values and telemetry objects (addons/istio/values.ts, telemetry.ts),
 * the ingress gateway's values and Gateway API objects (addons/ingress-gateway/values.ts,
 * resources.ts) and Kiali's values (addons/kiali/values.ts). Keys are checked against the charts' key
 * trees kept in __tests__/upstream/ with their source. The synthesized wiring of each stays in
 * istio.test.ts, gateway.test.ts and kiali.test.ts.
 */
import { describe, expect, it } from "vitest";
import { CRITICAL_ADDONS_TOLERATION } from "../../addons/context";
import { ROUTE53_CLUSTER_ISSUER } from "../../addons/cert-manager/cluster-issuer";
import { GATEWAY_API_CRDS_CHART } from "../../addons/ingress-gateway/chart";
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
} from "../../addons/ingress-gateway/resources";
import {
  EXTERNAL_DNS_HOSTNAME_ANNOTATION,
  gatewayApiCrdsValues,
  INGRESS_GATEWAY_POD_LABELS,
  INGRESS_GATEWAY_RELEASE,
  ingressGatewayReplicas,
  ingressGatewayValues,
  nlbAnnotations,
} from "../../addons/ingress-gateway/values";
import { ISTIO_INGRESS_NAMESPACE, ISTIO_NAMESPACE, MESH_REVISION_LABEL } from "../../addons/istio/contract";
import { istiodServiceMonitor, meshTelemetry, sidecarPodMonitor, traceSamplingPercent } from "../../addons/istio/telemetry";
import { istioBaseValues, istioCniValues, istiodPodLabels, istiodValues, ISTIOD_AUTOSCALE_MAX, OTEL_TRACING_PROVIDER } from "../../addons/istio/values";
import { KIALI_LOCAL_URL, kialiAuth, kialiRedirectUri, kialiValues, kialiWebServer, type KialiValuesInput } from "../../addons/kiali/values";
import { environments } from "../../environments";
import { validatePlatform } from "../../environments/validate";
import { chartKeys, leafPaths, unknownKeys } from "../support/chart-keys";
import { quantity } from "../support/quantity";

type AnyValues = Record<string, any>;
const ZONE = "topology.kubernetes.io/zone";

// ---------------------------------------------------------------------------------------------- Istio

const TRACING = { service: "otel-collector.tracing.svc.cluster.local", port: 4317 };
const istiod = (ha: boolean, revision = "1-30-3") => istiodValues({ revision, highlyAvailable: ha, nodeSelector: { role: "system" }, tracing: TRACING }) as AnyValues;

describe("istio values", () => {
  // meshConfig is Istio's MeshConfig API, passed on as is (templates/configmap.yaml merges it).
  const FREE_FORM = [/^meshConfig\./];

  it.each([
    ["base", () => istioBaseValues({ defaultRevision: "1-30-3" })],
    ["istiod", () => istiod(true)],
    ["istiod", () => istiod(false)],
    ["cni", () => istioCniValues()],
  ] as const)("%s uses only keys of the chart", (chart, values) => {
    expect(unknownKeys(values(), chartKeys(`istio-${chart}-values-keys.json`), FREE_FORM)).toEqual([]);
  });

  it("istiod: HA is an HPA from 2 with a PDB and a zone spread of the revision's pods; otherwise one pod, no HPA, no spread", () => {
    const ha = istiod(true);
    expect(ha).toMatchObject({ autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: ISTIOD_AUTOSCALE_MAX, replicaCount: 2, pdb: { minAvailable: 1 } });
    expect(ha.global.defaultPodDisruptionBudget.enabled).toBe(true);
    expect(ha.topologySpreadConstraints[0]).toMatchObject({ topologyKey: ZONE, labelSelector: { matchLabels: istiodPodLabels("1-30-3") } });
    const single = istiod(false);
    expect(single).toMatchObject({ autoscaleEnabled: false, replicaCount: 1 });
    expect(single.autoscaleMin).toBeUndefined();
    expect(single.autoscaleMax).toBeUndefined();
    expect(single.topologySpreadConstraints).toBeUndefined();
  });

  it("istiod: the zone spread selects exactly the pods of its own revision (app istiod, istio.io/rev)", () => {
    expect(istiodPodLabels("1-29-9")).toEqual({ app: "istiod", [MESH_REVISION_LABEL]: "1-29-9" });
    expect(istiod(true, "1-29-9").topologySpreadConstraints.map((s: AnyValues) => s.labelSelector.matchLabels)).toEqual([istiodPodLabels("1-29-9")]);
  });

  it("istiod: its revision, system nodes, requests, CNI injection and restricted-ready sidecars", () => {
    const v = istiod(false);
    expect(v.revision).toBe("1-30-3");
    expect(v.nodeSelector).toEqual({ role: "system" });
    expect(v.tolerations).toContainEqual(CRITICAL_ADDONS_TOLERATION);
    expect(v.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    expect(v.cni.enabled).toBe(true);
    expect(v.global.proxy.seccompProfile).toEqual({ type: "RuntimeDefault" });
  });

  it("istiod: the node selector and toleration are copies (a caller's map is never shared with the values)", () => {
    const nodeSelector = { role: "system" };
    const v = istiodValues({ revision: "1-30-3", highlyAvailable: false, nodeSelector, tracing: TRACING }) as AnyValues;
    expect(v.nodeSelector).not.toBe(nodeSelector);
    expect(v.tolerations[0]).not.toBe(CRITICAL_ADDONS_TOLERATION);
  });

  it("istiod: every image from Istio's release registry, JSON logs, in Istio's namespace", () => {
    const v = istiod(false);
    expect(v.global).toMatchObject({ hub: "docker.io/istio", istioNamespace: ISTIO_NAMESPACE, logAsJson: true });
  });

  it("istiod: injected proxies carry CPU and memory requests and limits within every environment's team LimitRange max", () => {
    // Team quotas count limits.cpu/limits.memory, and the LimitRange's defaults are applied before
    // the injection webhook runs (its max is checked after): the sidecar must bring its own.
    const r = istiod(false).global.proxy.resources;
    for (const kind of ["requests", "limits"] as const) expect(Object.keys(r[kind]).sort(), kind).toEqual(["cpu", "memory"]);
    for (const env of validatePlatform(environments)) {
      const max = env.cluster.tenancy.limitRange.max;
      if (max?.cpu) expect(quantity(r.limits.cpu), env.name).toBeLessThanOrEqual(quantity(max.cpu));
      if (max?.memory) expect(quantity(r.limits.memory), env.name).toBeLessThanOrEqual(quantity(max.memory));
      // A namespace at the environment's quota runs at least four meshed pods of the default size.
      const quotaCpu = env.cluster.tenancy.quota["limits.cpu"];
      if (quotaCpu) expect(quantity(r.limits.cpu) + quantity(env.cluster.tenancy.limitRange.default?.cpu ?? "0"), env.name).toBeLessThanOrEqual(quantity(quotaCpu) / 4);
    }
  });

  it("istiod: JSON access logs on stdout, merged Prometheus metrics and an OpenTelemetry provider at the collector", () => {
    const mesh = istiod(true).meshConfig;
    expect(mesh).toMatchObject({ accessLogFile: "/dev/stdout", accessLogEncoding: "JSON", enablePrometheusMerge: true });
    expect(mesh.extensionProviders).toEqual([{ name: OTEL_TRACING_PROVIDER, opentelemetry: TRACING }]);
  });

  it("cni: chained after the VPC CNI in its folders, on every node (NoSchedule and NoExecute taints), with requests", () => {
    const v = istioCniValues() as AnyValues;
    expect(v).toMatchObject({ chained: true, cniBinDir: "/opt/cni/bin", cniConfDir: "/etc/cni/net.d" });
    expect(v.tolerations).toEqual(expect.arrayContaining([{ effect: "NoSchedule", operator: "Exists" }, { effect: "NoExecute", operator: "Exists" }]));
    expect(v.resources.requests.cpu).toBeDefined();
    expect(v.global).toEqual({ hub: "docker.io/istio", logAsJson: true });
  });

  it("base: the default revision validates cluster-wide; CRDs as templates; Istio's namespace", () => {
    expect(istioBaseValues({ defaultRevision: "1-29-9" })).toEqual({ defaultRevision: "1-29-9", base: { enableCRDTemplates: true }, global: { istioNamespace: ISTIO_NAMESPACE } });
  });
});

describe("mesh telemetry objects", () => {
  it("samples less in prod than elsewhere", () => {
    expect(traceSamplingPercent("prod")).toBeLessThan(traceSamplingPercent("nonprod"));
  });

  it.each([0, 100])("accepts %s, a percentage at the range's end", (p) => {
    expect((meshTelemetry(p) as AnyValues).spec.tracing[0].randomSamplingPercentage).toBe(p);
  });

  it.each([-1, 101, Number.NaN])("refuses %s, not a percentage", (p) => {
    expect(() => meshTelemetry(p)).toThrow(/percentage/);
  });

  it("the mesh-wide Telemetry (root namespace) traces through the OpenTelemetry provider", () => {
    const t = meshTelemetry(5) as AnyValues;
    expect(t).toMatchObject({ apiVersion: "telemetry.istio.io/v1", kind: "Telemetry", metadata: { name: "mesh-default", namespace: ISTIO_NAMESPACE } });
    expect(t.spec.tracing).toEqual([{ providers: [{ name: OTEL_TRACING_PROVIDER }], randomSamplingPercentage: 5 }]);
  });

  it("monitors: istiod's Services by the chart's label and port, sidecars in every namespace", () => {
    expect((istiodServiceMonitor() as AnyValues).spec).toMatchObject({ selector: { matchExpressions: [{ key: "istio", operator: "In", values: ["pilot"] }] }, endpoints: [{ port: "http-monitoring" }] });
    expect((sidecarPodMonitor() as AnyValues).spec.namespaceSelector).toEqual({ any: true });
  });

  it("istiod's ServiceMonitor: a Prometheus Operator object in Istio's namespace, watching only that namespace, every 15 s, jobs named by the istio label, targets labelled with app", () => {
    const m = istiodServiceMonitor() as AnyValues;
    expect(m).toMatchObject({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "istiod", namespace: ISTIO_NAMESPACE } });
    expect(m.spec).toMatchObject({ jobLabel: "istio", targetLabels: ["app"], namespaceSelector: { matchNames: [ISTIO_NAMESPACE] }, endpoints: [{ port: "http-monitoring", interval: "15s" }] });
  });

  /** Prometheus applies a relabel `regex` anchored at both ends to the source labels joined by `;`. */
  const relabel = (rule: AnyValues, values: readonly string[]): string | undefined => {
    const joined = values.join(";");
    const re = new RegExp(`^(?:${rule.regex ?? "(.*)"})$`);
    return re.test(joined) ? joined.replace(re, rule.replacement ?? "$1") : undefined;
  };

  it("sidecars' PodMonitor: a Prometheus Operator object in Istio's namespace, skipping pods labelled istio-prometheus-ignore, merged metrics at /stats/prometheus every 15 s", () => {
    const m = sidecarPodMonitor() as AnyValues;
    expect(m).toMatchObject({ apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", metadata: { name: "istio-sidecars", namespace: ISTIO_NAMESPACE } });
    expect(m.spec).toMatchObject({ selector: { matchExpressions: [{ key: "istio-prometheus-ignore", operator: "DoesNotExist" }] }, jobLabel: "envoy-stats" });
    expect(m.spec.podMetricsEndpoints).toHaveLength(1);
    expect(m.spec.podMetricsEndpoints[0]).toMatchObject({ path: "/stats/prometheus", interval: "15s" });
  });

  it("sidecars' PodMonitor keeps only istio-proxy containers (the scrape annotation's keep rule as in Istio's example)", () => {
    const rules = (sidecarPodMonitor() as AnyValues).spec.podMetricsEndpoints[0].relabelings as AnyValues[];
    const keeps = rules.filter((r) => r.action === "keep");
    expect(keeps.map((r) => r.sourceLabels)).toEqual([["__meta_kubernetes_pod_container_name"], ["__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape"]]);
    expect(relabel(keeps[0]!, ["istio-proxy"])).toBeDefined();
    expect(relabel(keeps[0]!, ["app"])).toBeUndefined();
    expect(relabel(keeps[0]!, ["istio-proxy-2"])).toBeUndefined();
  });

  it.each([
    ["10.0.12.7", "10.0.12.7:15020"],
    ["fd00:ec2::1f", "[fd00:ec2::1f]:15020"],
    ["2600:1f14:abcd:1200:9a2b:0:12:7", "[2600:1f14:abcd:1200:9a2b:0:12:7]:15020"],
  ])("sidecars' PodMonitor scrapes pod IP %s at the annotated port: %s", (ip, address) => {
    const rules = (sidecarPodMonitor() as AnyValues).spec.podMetricsEndpoints[0].relabelings as AnyValues[];
    const rewrites = rules.filter((r) => r.targetLabel === "__address__");
    for (const r of rewrites) {
      expect(r).toMatchObject({ action: "replace", sourceLabels: ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"] });
    }
    // Each rule that matches rewrites the address the same way; at least one matches.
    const results = rewrites.map((r) => relabel(r, ["15020", ip])).filter((x) => x !== undefined);
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results)).toEqual(new Set([address]));
  });

  it("sidecars' PodMonitor drops the pods' labels and labels each series with its namespace and pod", () => {
    const rules = (sidecarPodMonitor() as AnyValues).spec.podMetricsEndpoints[0].relabelings as AnyValues[];
    const drop = rules.find((r) => r.action === "labeldrop")!;
    expect(relabel(drop, ["__meta_kubernetes_pod_label_app"])).toBeDefined();
    expect(relabel(drop, ["__meta_kubernetes_pod_name"])).toBeUndefined();
    expect(rules.filter((r) => r.action === "replace" && r.targetLabel !== "__address__")).toEqual([
      { action: "replace", sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
      { action: "replace", sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "pod" },
    ]);
  });
});

// ------------------------------------------------------------------------------------ ingress gateway

const GATEWAY_INPUT = { revision: "1-30-3", highlyAvailable: true, availabilityZones: 3, wildcardHostname: "*.apps.example.com" };
const gatewayValues = (over: Partial<typeof GATEWAY_INPUT> = {}) => ingressGatewayValues({ ...GATEWAY_INPUT, ...over }) as AnyValues;
const DOMAIN = "apps.example.com";

describe("ingress gateway values", () => {
  it.each([true, false])("uses only keys of the chart (HA %s)", (ha) => {
    expect(unknownKeys(gatewayValues({ highlyAvailable: ha }), chartKeys("istio-gateway-values-keys.json"))).toEqual([]);
  });

  it("runs the revision's proxy, without the chart's Secret-reading Role (istiod serves Gateway API certificates)", () => {
    const values = gatewayValues();
    expect(values.revision).toBe(GATEWAY_INPUT.revision);
    expect(values.rbac).toEqual({ enabled: false });
  });

  it("asks the Load Balancer Controller for an internet-facing NLB to pod IPs, cross-zone, health-checked on the proxy's readiness", () => {
    const annotations = gatewayValues().service.annotations;
    expect(annotations).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
      "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
    });
    expect(Object.values(annotations).every((v) => typeof v === "string")).toBe(true);
    expect(gatewayValues().service.type).toBe("LoadBalancer");
  });

  it("publishes the wildcard record only when a hostname is given", () => {
    expect(gatewayValues().service.annotations[EXTERNAL_DNS_HOSTNAME_ANNOTATION]).toBe(GATEWAY_INPUT.wildcardHostname);
    const { wildcardHostname: _unused, ...withoutDns } = GATEWAY_INPUT;
    expect((ingressGatewayValues(withoutDns) as AnyValues).service.annotations).toStrictEqual(nlbAnnotations());
  });

  it.each([
    [true, 1, 2],
    [true, 2, 2],
    [true, 3, 3],
    [false, 3, 1],
  ])("HA %s with %i zones: an HPA minimum of %i, a PDB and zone spread exactly when it is above 1", (ha, zones, min) => {
    const values = gatewayValues({ highlyAvailable: ha, availabilityZones: zones });
    expect(values.autoscaling).toMatchObject({ enabled: true, minReplicas: min });
    expect(values.autoscaling.maxReplicas).toBeGreaterThan(min);
    expect(values.podDisruptionBudget).toEqual(min > 1 ? { maxUnavailable: 1 } : {});
    const spread = values.topologySpreadConstraints as { topologyKey: string; labelSelector: { matchLabels: object } }[];
    expect(spread.map((s) => s.topologyKey)).toEqual(min > 1 ? [ZONE] : []);
    for (const s of spread) expect(s.labelSelector.matchLabels).toEqual(INGRESS_GATEWAY_POD_LABELS);
  });

  it.each([
    [true, 3],
    [false, 1],
  ])("HA %s: the HPA may triple its minimum (%i)", (ha, min) => {
    expect(ingressGatewayReplicas({ highlyAvailable: ha, availabilityZones: 3 })).toEqual({ min, max: min * 3 });
  });

  it("scales on CPU at 80 %, tolerates the system taint, requests CPU and memory", () => {
    const values = gatewayValues();
    expect(values.autoscaling.targetCPUUtilizationPercentage).toBe(80);
    expect(values.tolerations).toEqual([CRITICAL_ADDONS_TOLERATION]);
    expect(Object.keys(values.resources.requests).sort()).toEqual(["cpu", "memory"]);
  });

  it("selects the pods the chart labels: app = release name, istio = release name without istio-", () => {
    expect(INGRESS_GATEWAY_POD_LABELS).toEqual({ app: INGRESS_GATEWAY_RELEASE, istio: INGRESS_GATEWAY_RELEASE.replace(/^istio-/, "") });
  });

  it("Gateway API CRDs: the standard channel only, without Envoy Gateway's CRDs", () => {
    expect(gatewayApiCrdsValues()).toEqual({
      [GATEWAY_API_CRDS_CHART.chart]: { crds: { gatewayAPI: { enabled: true, channel: "standard" }, envoyGateway: { enabled: false } } },
    });
  });
});

describe("the Gateway and its certificate", () => {
  const gateway = () => ingressGateway({ domain: DOMAIN, teamNamespaces: ["search"], revision: "1-30-3" }) as AnyValues;

  it("is bound to the gateway chart's Service (manual deployment: one Hostname address), class istio, labelled with its revision", () => {
    const gw = gateway();
    expect(gw).toMatchObject({ apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway" });
    expect(gw.spec.gatewayClassName).toBe("istio");
    expect(gw.spec.addresses).toEqual([{ type: "Hostname", value: `${INGRESS_GATEWAY_RELEASE}.${ISTIO_INGRESS_NAMESPACE}.svc.cluster.local` }]);
    expect(gatewayServiceHostname()).toBe(gw.spec.addresses[0].value);
    expect(gw.metadata).toMatchObject({ name: INGRESS_GATEWAY_NAME, namespace: ISTIO_INGRESS_NAMESPACE, labels: { [MESH_REVISION_LABEL]: "1-30-3" } });
  });

  it("terminates TLS for *.<domain> with the certificate's Secret; the certificate covers the listener's names", () => {
    const gw = gateway();
    const certificate = wildcardCertificate(DOMAIN) as AnyValues;
    const https = gw.spec.listeners.find((l: AnyValues) => l.name === HTTPS_LISTENER);
    expect(https).toMatchObject({ port: 443, protocol: "HTTPS", hostname: `*.${DOMAIN}`, tls: { mode: "Terminate" } });
    expect(https.tls.certificateRefs).toEqual([{ group: "", kind: "Secret", name: certificate.spec.secretName }]);
    expect(https.allowedRoutes).toEqual(teamAllowedRoutes(["search"]));
    expect(certificate).toMatchObject({ apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "ingress-wildcard" } });
    expect(certificate.metadata.namespace).toBe(gw.metadata.namespace);
    expect(certificate.spec.dnsNames).toEqual([https.hostname]);
    expect(certificate.spec.issuerRef).toEqual({ group: "cert-manager.io", kind: "ClusterIssuer", name: ROUTE53_CLUSTER_ISSUER });
    // ECDSA P-256, a new key at every renewal.
    expect(certificate.spec.privateKey).toEqual({ algorithm: "ECDSA", size: 256, rotationPolicy: "Always" });
  });

  it("answers plain HTTP only with a redirect to HTTPS: the HTTP listener admits its own namespace's routes, the platform's redirect is one", () => {
    const http = gateway().spec.listeners.find((l: AnyValues) => l.name === HTTP_LISTENER);
    expect(http).toEqual({
      name: HTTP_LISTENER,
      port: 80,
      protocol: "HTTP",
      hostname: `*.${DOMAIN}`,
      allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }] },
    });
    const redirect = httpsRedirectRoute(DOMAIN) as AnyValues;
    expect(redirect).toMatchObject({ apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "https-redirect", namespace: ISTIO_INGRESS_NAMESPACE } });
    expect(redirect.spec.hostnames).toEqual([`*.${DOMAIN}`]);
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

  it("lets teams manage routes through their built-in roles, never Gateways or ReferenceGrants", () => {
    const roles = teamRouteClusterRoles() as AnyValues[];
    const resourcesOf = (aggregate: string) =>
      roles.filter((r) => r.metadata.labels[`rbac.authorization.k8s.io/aggregate-to-${aggregate}`] === "true").flatMap((r) => r.rules.flatMap((x: AnyValues) => x.resources));
    for (const right of ["admin", "edit", "view"]) expect(resourcesOf(right).sort(), right).toEqual(["grpcroutes", "httproutes"]);
    const view = roles.find((r) => r.metadata.labels["rbac.authorization.k8s.io/aggregate-to-view"]);
    expect(view!.rules.flatMap((x: AnyValues) => x.verbs).sort()).toEqual(["get", "list", "watch"]);
  });

  it("route roles: ClusterRoles of the Gateway API group only, two distinct names, edit may write every route verb", () => {
    const roles = teamRouteClusterRoles() as AnyValues[];
    expect(roles.map((r) => [r.apiVersion, r.kind])).toEqual([
      ["rbac.authorization.k8s.io/v1", "ClusterRole"],
      ["rbac.authorization.k8s.io/v1", "ClusterRole"],
    ]);
    // Valid ClusterRole names (DNS subdomains), one each.
    for (const r of roles) expect(r.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(new Set(roles.map((r) => r.metadata.name)).size).toBe(2);
    for (const r of roles) expect(r.rules.map((x: AnyValues) => x.apiGroups)).toEqual([["gateway.networking.k8s.io"]]);
    const edit = roles.find((r) => r.metadata.labels["rbac.authorization.k8s.io/aggregate-to-edit"] === "true")!;
    expect(edit.rules[0].verbs.sort()).toEqual(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
    expect(Object.keys(edit.metadata.labels).sort()).toEqual(["rbac.authorization.k8s.io/aggregate-to-admin", "rbac.authorization.k8s.io/aggregate-to-edit"]);
  });
});

// ---------------------------------------------------------------------------------------------- Kiali

const ISSUER = "https://sso.example.com/realms/platform";
const SIGNING_KEY = { secretName: "kiali-signing-key", key: "password" };
// Each backend URL distinct, so a value that lands under another key is seen.
const BACKENDS = {
  prometheusUrl: "http://prometheus.monitoring.svc.cluster.local:9090",
  grafana: { internalUrl: "http://grafana.monitoring.svc.cluster.local:80", externalUrl: "http://localhost:3000" },
  tracing: { internalGrpcUrl: "http://jaeger.tracing.svc.cluster.local:16685", externalUrl: "http://localhost:16686" },
};
const kialiInput = (highlyAvailable: boolean, extra: Partial<KialiValuesInput> = {}): KialiValuesInput => ({
  highlyAvailable,
  issuerUrl: ISSUER,
  clientId: "kiali",
  signingKey: SIGNING_KEY,
  istioNamespace: ISTIO_NAMESPACE,
  ...BACKENDS,
  ...extra,
});
const kiali = (highlyAvailable: boolean, extra: Partial<KialiValuesInput> = {}) => kialiValues(kialiInput(highlyAvailable, extra)) as AnyValues;

describe("Kiali values", () => {
  /** Whether every segment of `path` is a key of `tree` (a list or scalar ends the path). */
  const known = (tree: unknown, path: readonly string[]) => {
    let node: unknown = tree;
    for (const part of path) {
      if (typeof node !== "object" || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) return false;
      node = (node as Record<string, unknown>)[part];
    }
    return true;
  };

  it.each([true, false])("uses only keys of the chart or of Kiali's configuration (HA %s)", (ha) => {
    // The chart's values.yaml keys and the Kiali configuration keys it passes through (kept as data with their source).
    const trees = chartKeys("kiali-server-values-keys.json") as unknown as { chart: unknown; config: unknown };
    // Maps the chart passes to Kubernetes as they are (nodeSelector, the PDB's spec).
    const FREE_FORM = [/^deployment\.node_selector\./, /^deployment\.pod_disruption_budget\.spec\./];
    const unknown = leafPaths(kiali(ha, { nodeSelector: { role: "system" } }))
      .filter((p) => !FREE_FORM.some((f) => f.test(p.join("."))))
      .filter((p) => !known(trees.chart, p) && !known(trees.config, p))
      .map((p) => p.join("."));
    expect(unknown).toEqual([]);
  });

  it("runs 2 replicas with a PDB and a zone spread of its own pods when highly available, 1 without PDB otherwise; requests and the system toleration", () => {
    const ha = kiali(true);
    const single = kiali(false);
    expect([ha.deployment.replicas, ha.deployment.pod_disruption_budget.spec]).toEqual([2, { minAvailable: 1 }]);
    expect([single.deployment.replicas, single.deployment.pod_disruption_budget.spec]).toEqual([1, {}]);
    expect(ha.deployment.topology_spread_constraints[0]).toMatchObject({ topologyKey: ZONE, labelSelector: { matchLabels: { "app.kubernetes.io/name": "kiali", "app.kubernetes.io/instance": "kiali" } } });
    for (const v of [ha, single]) {
      expect(v.deployment.resources.requests.cpu).toBeTruthy();
      expect(v.deployment.tolerations).toContainEqual(expect.objectContaining({ key: "CriticalAddonsOnly" }));
      expect(v.deployment.ingress.enabled).toBe(false);
      expect(v.deployment).toMatchObject({ instance_name: "kiali", cluster_wide_access: true, service_type: "ClusterIP" });
    }
    expect(kiali(false, { nodeSelector: { role: "system" } }).deployment.node_selector).toEqual({ role: "system" });
    expect(kiali(false).deployment).not.toHaveProperty("node_selector");
  });

  it("logs in with OpenID Connect, RBAC through the user's ID token, view-only, and holds no secret value", () => {
    const v = kiali(false);
    expect(v.auth).toEqual(kialiAuth(ISSUER, "kiali"));
    expect(v.auth).toEqual({
      strategy: "openid",
      openid: { client_id: "kiali", issuer_uri: ISSUER, scopes: ["openid", "profile", "email"], username_claim: "preferred_username", api_token: "id_token", disable_rbac: false },
    });
    expect(v.deployment.view_only_mode).toBe(true);
    // The signing key is a reference the chart mounts; no client secret exists (public client).
    expect(v.login_token.signing_key).toBe(`secret:${SIGNING_KEY.secretName}:${SIGNING_KEY.key}`);
    expect(JSON.stringify(v)).not.toMatch(/client_secret|oidc-secret/);
  });

  it("wires Prometheus, Grafana (in-cluster and external URL, no token) and Jaeger over gRPC, and Istio's namespace", () => {
    const v = kiali(false).external_services;
    expect(v.prometheus).toEqual({ enabled: true, url: BACKENDS.prometheusUrl });
    expect(v.grafana).toEqual({ enabled: true, internal_url: BACKENDS.grafana.internalUrl, external_url: BACKENDS.grafana.externalUrl, auth: { type: "none" } });
    expect(v.tracing).toEqual({ enabled: true, provider: "jaeger", use_grpc: true, internal_url: BACKENDS.tracing.internalGrpcUrl, external_url: BACKENDS.tracing.externalUrl });
    expect(v.istio.root_namespace).toBe(ISTIO_NAMESPACE);
  });

  it("serves its UI on its port and its metrics on theirs, at its URL (the local one by default)", () => {
    expect(kiali(false).server).toEqual({ port: 20001, ...kialiWebServer(KIALI_LOCAL_URL), observability: { metrics: { enabled: true, port: 9090 } } });
    expect(kiali(false, { url: "https://kiali.example.com/kiali" }).server).toMatchObject({ web_schema: "https", web_fqdn: "kiali.example.com", web_root: "/kiali" });
  });

  it("derives server.web_* and the redirect URI from Kiali's URL (default ports left out, as Kiali does)", () => {
    expect(kialiWebServer(KIALI_LOCAL_URL)).toEqual({ web_schema: "http", web_fqdn: "localhost", web_port: "20001", web_root: "/kiali" });
    expect(kialiRedirectUri(KIALI_LOCAL_URL)).toBe("http://localhost:20001/kiali");
    expect(kialiWebServer("https://kiali.example.com/kiali/")).toEqual({ web_schema: "https", web_fqdn: "kiali.example.com", web_port: "443", web_root: "/kiali" });
    expect(kialiRedirectUri("https://kiali.example.com/kiali/")).toBe("https://kiali.example.com/kiali");
    expect(kialiRedirectUri("http://kiali.internal/mesh")).toBe("http://kiali.internal/mesh");
    expect(kialiRedirectUri("https://kiali.example.com:8443/kiali")).toBe("https://kiali.example.com:8443/kiali");
  });

  it("keeps a port that is not its scheme's default in the redirect URI", () => {
    expect(kialiRedirectUri("http://kiali.example.com:443/kiali")).toBe("http://kiali.example.com:443/kiali");
    expect(kialiRedirectUri("https://kiali.example.com:80/kiali")).toBe("https://kiali.example.com:80/kiali");
  });

  it("drops every trailing slash of the web root", () => {
    expect(kialiWebServer("https://kiali.example.com/mesh/kiali//").web_root).toBe("/mesh/kiali");
  });

  it.each([
    ["http://localhost:20001/", /needs a path/],
    ["http://localhost:20001//", /needs a path/],
    ["http://localhost:20001/kiali?x=1", /no query/],
    ["http://localhost:20001/kiali#top", /no query/],
    ["ftp://localhost/kiali", /http\(s\)/],
  ])("refuses %s as Kiali's URL", (url, message) => {
    expect(() => kialiWebServer(url)).toThrow(message);
  });

  it.each(["https://sso.example.com/realms/platform", "https://sso.example.com/auth/realms/platform", "https://sso.example.com:8443/a/b/realms/p"])("accepts the issuer %s", (issuer) => {
    expect(kialiAuth(issuer, "kiali").openid.issuer_uri).toBe(issuer);
  });

  it.each([
    ["http://sso.example.com/realms/platform", "not https"],
    [" https://sso.example.com/realms/platform", "text before the scheme"],
    ["https://sso.example.com/realms/platform/", "a trailing slash"],
    ["https://sso.example.com/realms/platform/account", "a path after the realm"],
    ["https://sso.example.com/realms/", "no realm"],
    ["https:///realms/platform", "no host"],
    ["https://sso.example.com/platform", "no realms segment"],
    ["https://sso.example.com/x-realms/platform", "realms not a whole segment"],
  ])("refuses the issuer %s (%s)", (issuer) => {
    expect(() => kialiAuth(issuer, "kiali")).toThrow(/issuerUrl must be https:\/\/<host>\/realms\/<realm>/);
  });

  it.each([
    ["kiali-signing-key", "password"],
    ["k", "p"],
    ["kiali.signing-key2", "tls.crt"],
    ["0kiali", "Key_2-b"],
  ])("accepts the Secret %s and key %s", (secretName, key) => {
    expect(kiali(false, { signingKey: { secretName, key } }).login_token.signing_key).toBe(`secret:${secretName}:${key}`);
  });

  it.each([
    ["Bad_Name", "k", "uppercase and underscore in the name"],
    ["-kiali", "k", "a name starting with a dash"],
    ["kiali-", "k", "a name ending with a dash"],
    ["kiali.", "k", "a name ending with a dot"],
    ["", "k", "an empty name"],
    ["kiali", "", "an empty key"],
    ["kiali", "a/b", "a slash in the key"],
    ["kiali", "a:b", "a colon in the key (the reference's separator)"],
  ])("refuses the signing key reference %s/%s (%s)", (secretName, key) => {
    expect(() => kiali(false, { signingKey: { secretName, key } })).toThrow(/is not a Secret name and key/);
  });
});
