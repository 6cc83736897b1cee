/**
 * What the core add-ons' values mean for their charts (pure, no cdktf), one rule per case, values
 * built inside each test: the inputs given (cluster, region, VPC, IRSA role, queue, domains, zones,
 * endpoints) land on the keys the chart reads, the chart's selector labels are the ones the zone
 * spread and the PodMonitors select, replicated components get their disruption budget (and single
 * replicas none), each request is a real quantity under its memory limit, and the switches the
 * platform depends on (CRDs kept, monitors on or off, leader election, the trace pipeline) are set.
 * Chart facts (labels, ports, key names) are those of the versions pinned in each add-on's chart.ts;
 * every key set is one the chart reads (its key tree in __tests__/upstream/<chart>-values-keys.json).
 */
import { describe, expect, it } from "vitest";
import {
  awsLoadBalancerControllerPodLabels,
  awsLoadBalancerControllerPodMonitor,
  awsLoadBalancerControllerValues,
  METRICS_PORT_NAME,
} from "../../addons/aws-load-balancer-controller/values";
import { CERT_MANAGER_RESOURCES, certManagerPodLabels, certManagerValues, IRSA_FS_GROUP } from "../../addons/cert-manager/values";
import { clusterAutoscalerPodLabels, clusterAutoscalerValues } from "../../addons/cluster-autoscaler/values";
import { externalDnsValues, type ExternalDnsPolicy } from "../../addons/external-dns/values";
import { externalSecretsPodLabels, externalSecretsPodMonitor, externalSecretsValues } from "../../addons/external-secrets/values";
import { karpenterPodDensity, karpenterPodLabels, karpenterValues, PREFIX_DELEGATION_MAX_PODS } from "../../addons/karpenter/values";
import { METRICS_SERVER_POD_LABELS, METRICS_SERVER_RELEASE, metricsServerValues } from "../../addons/metrics-server/values";
import {
  collectorConfig,
  collectorPodLabels,
  OTLP_GRPC_PORT,
  OTLP_HTTP_PORT,
  openTelemetryCollectorValues,
  TRACES_EXPORTER,
} from "../../addons/opentelemetry-collector/values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import type { PodNetworkingMode } from "../../modules/network/max-pods";
import { chartKeys, unknownKeys } from "../support/chart-keys";
import { quantity } from "../support/quantity";

const IRSA_KEY = "eks.amazonaws.com/role-arn";
const ROLE = "arn:aws:iam::111122223333:role/core-values-test";
const ZONE = "topology.kubernetes.io/zone";
/** A DNS-1123 label (a release, Deployment or port name). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Spread = { topologyKey: string; whenUnsatisfiable: string; labelSelector: { matchLabels: Record<string, string> } };
type AnyValues = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Requests are positive quantities and memory is capped at or above its request. */
function expectSoundResources(r: ContainerResources | undefined, what: string): void {
  const cpu = quantity(r?.requests?.cpu);
  const memory = quantity(r?.requests?.memory);
  const limit = quantity(r?.limits?.memory);
  expect(cpu > 0, `${what} cpu request ${r?.requests?.cpu}`).toBe(true);
  expect(memory > 0, `${what} memory request ${r?.requests?.memory}`).toBe(true);
  expect(limit >= memory, `${what} memory limit ${r?.limits?.memory}`).toBe(true);
}

/** The zone spread constraint of a component (undefined when none). */
function zoneSpreadOf(component: AnyValues): Spread | undefined {
  return (component.topologySpreadConstraints as Spread[] | undefined)?.find((s) => s.topologyKey === ZONE);
}

describe("aws-load-balancer-controller values", () => {
  const build = (over: Partial<Parameters<typeof awsLoadBalancerControllerValues>[0]> = {}) =>
    awsLoadBalancerControllerValues({
      releaseName: "lbc-rel",
      clusterName: "cluster-a",
      region: "eu-west-3",
      vpcId: "vpc-0abc",
      replicas: 2,
      defaultTags: {},
      serviceAccountName: "lbc-sa",
      serviceAccountAnnotations: { [IRSA_KEY]: ROLE },
      ...over,
    }) as AnyValues;

  it("passes the cluster, region and VPC given (the controller cannot read them from IMDS with a hop limit of 1)", () => {
    const v = build();
    expect([v.clusterName, v.region, v.vpcId]).toEqual(["cluster-a", "eu-west-3", "vpc-0abc"]);
  });

  it("runs as the named service account with the IRSA role given", () => {
    const v = build();
    expect(v.serviceAccount).toMatchObject({ create: true, name: "lbc-sa", annotations: { [IRSA_KEY]: ROLE } });
  });

  it("tags every AWS resource it creates with the default tags given", () => {
    expect(build({ defaultTags: { team: "platform", env: "x" } }).defaultTags).toEqual({ team: "platform", env: "x" });
  });

  it("two replicas: a disruption budget letting one go, and a zone spread that never blocks scheduling on the chart's selector labels", () => {
    const v = build({ replicas: 2 });
    expect(v.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    const spread = zoneSpreadOf(v);
    expect(spread?.whenUnsatisfiable).toBe("ScheduleAnyway");
    expect(spread?.labelSelector.matchLabels).toEqual(awsLoadBalancerControllerPodLabels("lbc-rel"));
  });

  it("one replica: no disruption budget (it could never be evicted)", () => {
    expect(build({ replicas: 1 }).podDisruptionBudget).toEqual({});
  });

  it("its pod labels are the chart's selector labels (name aws-load-balancer-controller, instance the release)", () => {
    expect(awsLoadBalancerControllerPodLabels("lbc-rel")).toEqual({ "app.kubernetes.io/name": "aws-load-balancer-controller", "app.kubernetes.io/instance": "lbc-rel" });
  });

  it("refuses a replica count that is not a positive integer, naming the add-on", () => {
    expect(() => build({ replicas: 0 })).toThrow(/^aws-load-balancer-controller: /);
  });

  it("requests CPU and memory under a memory limit", () => {
    expectSoundResources(build().resources, "controller");
  });

  it("its PodMonitor scrapes the controller's metrics port (templates/deployment.yaml: container port `metrics-server`) in its namespace", () => {
    const m = awsLoadBalancerControllerPodMonitor("lbc-rel", "kube-system");
    expect(m.name).toMatch(DNS_LABEL);
    expect(m.namespaceSelector).toEqual({ matchNames: ["kube-system"] });
    expect(m.selector).toEqual({ matchLabels: awsLoadBalancerControllerPodLabels("lbc-rel") });
    expect(m.podMetricsEndpoints).toEqual([{ port: "metrics-server", path: "/metrics" }]);
    expect(METRICS_PORT_NAME).toBe("metrics-server");
  });
});

describe("cert-manager values", () => {
  const build = (over: Partial<Parameters<typeof certManagerValues>[0]> = {}) =>
    certManagerValues({ releaseName: "cm-rel", serviceAccountName: "cm-sa", serviceAccountAnnotations: { [IRSA_KEY]: ROLE }, replicas: 2, ...over }) as AnyValues;

  it("with an IRSA role: the role on the controller's service account and the fsGroup that lets it read the token", () => {
    const v = build();
    expect(v.serviceAccount).toMatchObject({ create: true, name: "cm-sa", annotations: { [IRSA_KEY]: ROLE } });
    expect(v.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, fsGroup: IRSA_FS_GROUP });
    expect(IRSA_FS_GROUP).toBeGreaterThan(0);
  });

  it("without an AWS identity: no fsGroup, the chart's pod security context kept", () => {
    const v = build({ serviceAccountAnnotations: {} });
    expect(v.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  });

  it("installs its CRDs and keeps them on uninstall (deleting them would delete every Certificate)", () => {
    expect(build().crds).toEqual({ enabled: true, keep: true });
  });

  it("creates the ServiceMonitor of its components", () => {
    expect(build().prometheus).toEqual({ enabled: true, servicemonitor: { enabled: true } });
  });

  it("two replicas: controller, webhook and CA injector each get a budget letting one go and a zone spread on their own labels", () => {
    const v = build({ replicas: 2 });
    for (const [name, component] of [["controller", v], ["webhook", v.webhook], ["cainjector", v.cainjector]] as const) {
      expect(component.podDisruptionBudget, name).toEqual({ enabled: true, maxUnavailable: 1 });
      expect(zoneSpreadOf(component)?.labelSelector.matchLabels, name).toEqual(certManagerPodLabels("cm-rel", name));
    }
  });

  it("one replica: every disruption budget disabled", () => {
    const v = build({ replicas: 1 });
    for (const component of [v, v.webhook, v.cainjector]) expect(component.podDisruptionBudget).toEqual({ enabled: false });
  });

  it.each([
    ["controller", "cert-manager"],
    ["webhook", "webhook"],
    ["cainjector", "cainjector"],
  ] as const)("the %s's pod labels are the chart's (name %s, the component, instance the release)", (component, name) => {
    expect(certManagerPodLabels("cm-rel", component)).toEqual({ "app.kubernetes.io/name": name, "app.kubernetes.io/instance": "cm-rel", "app.kubernetes.io/component": component });
  });

  it("refuses a replica count that is not a positive integer, naming the add-on", () => {
    expect(() => build({ replicas: 0 })).toThrow(/^cert-manager: /);
  });

  it("every component requests CPU and memory under a memory limit", () => {
    for (const [name, r] of Object.entries(CERT_MANAGER_RESOURCES)) expectSoundResources(r, name);
  });
});

describe("cluster-autoscaler values", () => {
  const build = (over: Partial<Parameters<typeof clusterAutoscalerValues>[0]> = {}) =>
    clusterAutoscalerValues({
      releaseName: "ca-rel",
      clusterName: "cluster-a",
      region: "eu-west-3",
      replicas: 2,
      imageTag: "v9.99.0",
      nodeSelector: { role: "system-x" },
      serviceAccountName: "ca-sa",
      serviceAccountAnnotations: { [IRSA_KEY]: ROLE },
      ...over,
    }) as AnyValues;

  it("runs the AWS provider in the region given, discovering the node groups of the cluster given", () => {
    const v = build();
    expect(v.cloudProvider).toBe("aws");
    expect(v.awsRegion).toBe("eu-west-3");
    expect(v.autoDiscovery).toEqual({ clusterName: "cluster-a" });
  });

  it("runs the image tag given (the cluster's Kubernetes minor) under a fixed Deployment name", () => {
    const v = build();
    expect(v.image).toEqual({ tag: "v9.99.0" });
    expect(v.fullnameOverride).toBe("cluster-autoscaler");
  });

  it("creates its RBAC and the named service account with the IRSA role given", () => {
    expect(build().rbac).toEqual({ create: true, serviceAccount: { create: true, name: "ca-sa", annotations: { [IRSA_KEY]: ROLE } } });
  });

  it("scales with the least-waste expander and balances similar node groups", () => {
    expect(build().extraArgs).toEqual({ expander: "least-waste", "balance-similar-node-groups": true });
  });

  it("runs on the nodes selected", () => {
    expect(build().nodeSelector).toEqual({ role: "system-x" });
  });

  it("at most one replica unavailable at a time; replicated, a zone spread that never blocks scheduling on the chart's labels", () => {
    const v = build({ replicas: 2 });
    expect(v.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    const spread = zoneSpreadOf(v);
    expect(spread?.whenUnsatisfiable).toBe("ScheduleAnyway");
    expect(spread?.labelSelector.matchLabels).toEqual(clusterAutoscalerPodLabels("ca-rel"));
  });

  it("its pod labels are the chart's (name <cloudProvider>-cluster-autoscaler, instance the release)", () => {
    expect(clusterAutoscalerPodLabels("ca-rel")).toEqual({ "app.kubernetes.io/name": `${build().cloudProvider}-cluster-autoscaler`, "app.kubernetes.io/instance": "ca-rel" });
  });

  it("refuses a replica count that is not a positive integer, naming the add-on", () => {
    expect(() => build({ replicas: 0 })).toThrow(/^cluster-autoscaler: /);
  });

  it("requests CPU and memory under a memory limit", () => {
    expectSoundResources(build().resources, "autoscaler");
  });
});

describe("external-dns values", () => {
  const build = (over: Partial<Parameters<typeof externalDnsValues>[0]> = {}) =>
    externalDnsValues({
      domainFilters: ["a.example.com"],
      hostedZoneIds: ["Z0123"],
      txtOwnerId: "owner-x",
      policy: "upsert-only",
      serviceAccountName: "dns-sa",
      serviceAccountAnnotations: { [IRSA_KEY]: ROLE },
      ...over,
    }) as AnyValues;

  it("one domain and one zone are enough", () => {
    expect(() => build()).not.toThrow();
  });

  it("refuses no domain filter (it would manage every domain)", () => {
    expect(() => build({ domainFilters: [] })).toThrow(/^external-dns: .*domain filter/);
  });

  it("refuses no hosted zone (it would change every zone)", () => {
    expect(() => build({ hostedZoneIds: [] })).toThrow(/^external-dns: .*hosted zone/);
  });

  it("limits the AWS provider to the domains and hosted zones given", () => {
    const v = build({ domainFilters: ["a.example.com", "b.example.com"], hostedZoneIds: ["Z1", "Z2"] });
    expect(v.provider).toEqual({ name: "aws" });
    expect(v.domainFilters).toEqual(["a.example.com", "b.example.com"]);
    expect(v.extraArgs).toEqual({ "zone-id-filter": ["Z1", "Z2"] });
  });

  it.each(["sync", "upsert-only", "create-only"] as const satisfies readonly ExternalDnsPolicy[])("applies the policy given (%s)", (policy) => {
    expect(build({ policy }).policy).toBe(policy);
  });

  it("owns its records through the TXT registry under the owner id given", () => {
    const v = build();
    expect(v.registry).toBe("txt");
    expect(v.txtOwnerId).toBe("owner-x");
  });

  it("runs as the named service account with the IRSA role given, as a cluster-critical pod", () => {
    const v = build();
    expect(v.serviceAccount).toMatchObject({ create: true, name: "dns-sa", annotations: { [IRSA_KEY]: ROLE } });
    expect(v.priorityClassName).toBe("system-cluster-critical");
  });

  it("requests CPU and memory under a memory limit", () => {
    expectSoundResources(build().resources, "external-dns");
  });
});

describe("external-secrets values", () => {
  const R: ContainerResources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };
  const build = (replicas: number) => externalSecretsValues({ releaseName: "es-rel", replicas, resources: { controller: R, webhook: R, certController: R } }) as AnyValues;

  it("installs its CRDs", () => {
    expect(build(1).installCRDs).toBe(true);
  });

  it("two replicas: leader election, and controller and webhook each keep one available", () => {
    const v = build(2);
    expect(v.leaderElect).toBe(true);
    expect(v.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.webhook.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  });

  it("one replica: no leader election, no disruption budget", () => {
    const v = build(1);
    expect(v.leaderElect).toBe(false);
    expect(v.podDisruptionBudget.enabled).toBe(false);
    expect(v.webhook.podDisruptionBudget.enabled).toBe(false);
  });

  it("its own service account is named after the release and has no AWS identity", () => {
    expect(build(1).serviceAccount).toEqual({ create: true, name: "es-rel" });
  });

  it("creates no ServiceMonitor (it installs before the monitoring CRDs)", () => {
    expect(build(1).serviceMonitor.enabled).toBe(false);
  });

  it("refuses a replica count that is not a positive integer, naming the add-on", () => {
    expect(() => build(0)).toThrow(/^external-secrets: /);
  });

  it("its PodMonitor scrapes the controller's `metrics` port in its namespace, selecting the controller's pods only", () => {
    const m = externalSecretsPodMonitor("es-rel", "external-secrets-ns");
    expect(m.name).toMatch(DNS_LABEL);
    expect(m.namespaceSelector).toEqual({ matchNames: ["external-secrets-ns"] });
    expect(m.selector).toEqual({ matchLabels: externalSecretsPodLabels("es-rel").controller });
    expect(m.podMetricsEndpoints).toEqual([{ port: "metrics", path: "/metrics" }]);
  });
});

describe("karpenter values", () => {
  const build = (over: Partial<Parameters<typeof karpenterValues>[0]> = {}) =>
    karpenterValues({
      releaseName: "k-rel",
      clusterName: "cluster-a",
      interruptionQueueName: "queue-a",
      replicas: 2,
      nodeSelector: { role: "system-x" },
      podNetworking: "secondary-ip",
      serviceAccountName: "k-sa",
      serviceAccountAnnotations: { [IRSA_KEY]: ROLE },
      ...over,
    }) as AnyValues;

  it.each([
    ["secondary-ip", { reservedENIs: "0" }],
    ["custom-networking", { reservedENIs: "1" }],
    ["prefix-delegation", { reservedENIs: "0", maxPods: PREFIX_DELEGATION_MAX_PODS }],
  ] as const)("pod density under %s", (mode, density) => {
    expect(karpenterPodDensity(mode)).toEqual(density);
  });

  it("prefix delegation's static max pods is EKS's 110 ceiling", () => {
    expect(PREFIX_DELEGATION_MAX_PODS).toBe(110);
  });

  it.each(["secondary-ip", "custom-networking", "prefix-delegation"] as const satisfies readonly PodNetworkingMode[])(
    "settings: the cluster, the interruption queue and the reserved ENIs of the pod networking (%s)",
    (podNetworking) => {
      expect(build({ podNetworking }).settings).toEqual({ clusterName: "cluster-a", interruptionQueue: "queue-a", reservedENIs: karpenterPodDensity(podNetworking).reservedENIs });
    },
  );

  it("runs as the named service account with the IRSA role given", () => {
    expect(build().serviceAccount).toMatchObject({ create: true, name: "k-sa", annotations: { [IRSA_KEY]: ROLE } });
  });

  it("runs on Linux nodes of the selector given", () => {
    expect(build().nodeSelector).toEqual({ "kubernetes.io/os": "linux", role: "system-x" });
  });

  it("replicated: a zone spread that never blocks scheduling, on the chart's selector labels", () => {
    const spread = zoneSpreadOf(build({ replicas: 2 }));
    expect(spread?.whenUnsatisfiable).toBe("ScheduleAnyway");
    expect(spread?.labelSelector.matchLabels).toEqual(karpenterPodLabels("k-rel"));
    expect(karpenterPodLabels("k-rel")).toEqual({ "app.kubernetes.io/name": "karpenter", "app.kubernetes.io/instance": "k-rel" });
  });

  it("creates its ServiceMonitor", () => {
    expect(build().serviceMonitor).toEqual({ enabled: true });
  });

  it("refuses a replica count that is not a positive integer, naming the add-on", () => {
    expect(() => build({ replicas: 0 })).toThrow(/^karpenter: /);
  });

  it("the controller requests CPU and memory, its memory limited to what it requests", () => {
    const r = build().controller.resources as ContainerResources;
    expectSoundResources(r, "controller");
    expect(r.limits?.memory).toBe(r.requests?.memory);
  });
});

describe("metrics-server values", () => {
  it("two replicas: a disruption budget keeping one available", () => {
    expect(metricsServerValues({ replicas: 2 }).podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  });

  it("one replica: the disruption budget disabled", () => {
    expect(metricsServerValues({ replicas: 1 }).podDisruptionBudget).toEqual({ enabled: false });
  });

  it("its pod labels are the chart's selector labels for its release, which is a valid release name", () => {
    expect(METRICS_SERVER_RELEASE).toMatch(DNS_LABEL);
    expect(METRICS_SERVER_POD_LABELS).toEqual({ "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": METRICS_SERVER_RELEASE });
    expect(zoneSpreadOf(metricsServerValues({ replicas: 2 }) as AnyValues)?.labelSelector.matchLabels).toEqual(METRICS_SERVER_POD_LABELS);
  });

  it("requests CPU and memory under a memory limit", () => {
    expectSoundResources(metricsServerValues({ replicas: 1 }).resources as ContainerResources, "metrics-server");
  });
});

describe("opentelemetry-collector values", () => {
  const R: ContainerResources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };
  const build = (over: Partial<Parameters<typeof openTelemetryCollectorValues>[0]> = {}) =>
    openTelemetryCollectorValues({
      releaseName: "otel-rel",
      fullname: "otel-gw",
      replicas: 2,
      imageRepository: "example/otelcol",
      resources: R,
      tracesEndpoint: "jaeger.example:4317",
      tracesEndpointInsecure: true,
      ...over,
    }) as AnyValues;
  /** The chart's ports (values.yaml `ports`, chart 0.170.0) that a trace gateway does not serve. */
  const NON_OTLP_PORTS = ["jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"];

  it.each([0, 1.5])("refuses %s replicas, naming the add-on", (replicas) => {
    expect(() => build({ replicas })).toThrow(/^opentelemetry-collector: replicas must be a positive integer/);
  });

  it("runs as a Deployment of the image given under the name given", () => {
    const v = build();
    expect(v.mode).toBe("deployment");
    expect(v.image).toEqual({ repository: "example/otelcol" });
    expect(v.fullnameOverride).toBe("otel-gw");
  });

  it("two replicas: a disruption budget letting one go and a zone spread on the chart's Deployment labels", () => {
    const v = build({ replicas: 2 });
    expect(v.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(zoneSpreadOf(v)?.labelSelector.matchLabels).toEqual(collectorPodLabels("otel-rel"));
    expect(collectorPodLabels("otel-rel")).toEqual({ "app.kubernetes.io/name": "opentelemetry-collector", "app.kubernetes.io/instance": "otel-rel", component: "standalone-collector" });
  });

  it("one replica: no spread, no disruption budget", () => {
    const v = build({ replicas: 1 });
    expect(v.topologySpreadConstraints).toBeUndefined();
    expect(v.podDisruptionBudget).toBeUndefined();
  });

  it("serves OTLP and its own metrics only, with the ServiceMonitor on", () => {
    const v = build();
    expect(Object.fromEntries(NON_OTLP_PORTS.map((p) => [p, v.ports[p]?.enabled]))).toEqual(Object.fromEntries(NON_OTLP_PORTS.map((p) => [p, false])));
    expect(v.ports.metrics).toEqual({ enabled: true });
    expect(Object.keys(v.ports).sort()).toEqual([...NON_OTLP_PORTS, "metrics"].sort());
    expect(v.serviceMonitor).toEqual({ enabled: true });
  });

  it("receives OTLP gRPC and HTTP on every pod interface at the chart's OTLP ports, the chart's other receivers removed", () => {
    const c = collectorConfig({ tracesEndpoint: "j:4317", tracesEndpointInsecure: true });
    expect(c.receivers).toEqual({
      jaeger: null,
      zipkin: null,
      prometheus: null,
      otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` }, http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } } },
    });
    expect([OTLP_GRPC_PORT, OTLP_HTTP_PORT]).toEqual([4317, 4318]);
  });

  it.each([true, false])("exports traces over OTLP gRPC to the endpoint given (insecure: %s), the debug exporter removed", (insecure) => {
    const c = collectorConfig({ tracesEndpoint: "jaeger.example:4317", tracesEndpointInsecure: insecure });
    expect(TRACES_EXPORTER).toMatch(/^otlp_grpc\/[a-z]+$/);
    expect(c.exporters).toEqual({ debug: null, [TRACES_EXPORTER]: { endpoint: "jaeger.example:4317", tls: { insecure } } });
  });

  it("carries traces only: OTLP in, the memory limiter before the batch, the exporter out; logs and metrics pipelines removed", () => {
    const c = collectorConfig({ tracesEndpoint: "j:4317", tracesEndpointInsecure: false });
    expect(c.service.pipelines).toEqual({ logs: null, metrics: null, traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: [TRACES_EXPORTER] } });
    const { traces } = c.service.pipelines;
    for (const r of traces.receivers) expect(c.receivers[r as keyof typeof c.receivers], r).toBeTruthy();
    for (const p of traces.processors) expect(c.processors[p as keyof typeof c.processors], p).toBeDefined();
  });

  it("the memory limiter checks often and refuses data below the container's limit, with room for a spike", () => {
    const m = collectorConfig({ tracesEndpoint: "j:4317", tracesEndpointInsecure: false }).processors.memory_limiter;
    expect(m.check_interval).toMatch(/^\d+s$/);
    expect(m.limit_percentage).toBeLessThan(100);
    expect(m.spike_limit_percentage).toBeGreaterThan(0);
    expect(m.spike_limit_percentage).toBeLessThan(m.limit_percentage);
    expect(collectorConfig({ tracesEndpoint: "j:4317", tracesEndpointInsecure: false }).processors.batch).toEqual({});
  });

  it("passes the collector config, requests and tolerations through", () => {
    const v = build();
    expect(v.config).toEqual(collectorConfig({ tracesEndpoint: "jaeger.example:4317", tracesEndpointInsecure: true }));
    expect(v.resources).toEqual(R);
  });
});

describe("core add-on values use only keys their charts read", () => {
  const SA = { serviceAccountName: "sa", serviceAccountAnnotations: { [IRSA_KEY]: ROLE } };
  const R: ContainerResources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };
  /**
   * Each chart's values at 1 and 2 replicas, with the maps the chart passes on as they are: a pod
   * security context, a node selector, `resources`, the collector's config file, and
   * cluster-autoscaler's `extraArgs` (each entry rendered as `--key=value`).
   */
  const CASES: readonly (readonly [string, (replicas: number) => unknown, readonly RegExp[]])[] = [
    ["aws-load-balancer-controller", (replicas) => awsLoadBalancerControllerValues({ releaseName: "r", clusterName: "c", region: "x", vpcId: "v", replicas, defaultTags: { t: "1" }, ...SA }), []],
    ["cert-manager", (replicas) => certManagerValues({ releaseName: "r", replicas, ...SA }), [/^securityContext\./]],
    ["cluster-autoscaler", (replicas) => clusterAutoscalerValues({ releaseName: "r", clusterName: "c", region: "x", replicas, imageTag: "t", nodeSelector: { role: "s" }, ...SA }), [/^extraArgs\./]],
    ["external-dns", () => externalDnsValues({ domainFilters: ["d.example.com"], hostedZoneIds: ["Z1"], txtOwnerId: "o", policy: "sync", ...SA }), []],
    ["external-secrets", (replicas) => externalSecretsValues({ releaseName: "r", replicas, resources: { controller: R, webhook: R, certController: R } }), []],
    ["karpenter", (replicas) => karpenterValues({ releaseName: "r", clusterName: "c", interruptionQueueName: "q", replicas, nodeSelector: { role: "s" }, podNetworking: "custom-networking", ...SA }), [/^nodeSelector\./]],
    ["metrics-server", (replicas) => metricsServerValues({ replicas }), [/^resources\./]],
    ["opentelemetry-collector", (replicas) => openTelemetryCollectorValues({ releaseName: "r", fullname: "f", replicas, imageRepository: "i", resources: R, tracesEndpoint: "e:4317", tracesEndpointInsecure: true }), [/^config\./]],
  ];

  it.each(CASES.flatMap(([chart, build, freeForm]) => [1, 2].map((n) => [chart, n, build, freeForm] as const)))("%s × %i", (chart, n, build, freeForm) => {
    expect(unknownKeys(build(n), chartKeys(`${chart}-values-keys.json`), freeForm)).toEqual([]);
  });
});
