/**
 * Rules every add-on's values function follows, checked on the values themselves (pure, no cdktf):
 * every pod-bearing component tolerates the system node group's taint and requests CPU and memory,
 * the replica count asked for is the one every replicated component runs, and replicated components
 * spread across zones (one replica: no spread). Components are found through the chart structure in
 * support/releases.ts, the same table the synthesized-release rules use.
 */
import { describe, expect, it } from "vitest";
import { awsLoadBalancerControllerValues } from "../../addons/aws-load-balancer-controller/values";
import { certManagerValues } from "../../addons/cert-manager/values";
import { clusterAutoscalerValues } from "../../addons/cluster-autoscaler/values";
import { CRITICAL_ADDONS_TOLERATION } from "../../addons/context";
import { externalDnsValues } from "../../addons/external-dns/values";
import { externalSecretsValues } from "../../addons/external-secrets/values";
import { karpenterValues } from "../../addons/karpenter/values";
import { metricsServerValues } from "../../addons/metrics-server/values";
import { openTelemetryCollectorValues } from "../../addons/opentelemetry-collector/values";
import { at, CHART_COMPONENTS, tolerates, tolerationsOf } from "../support/releases";

const RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };
const SA = { serviceAccountName: "sa", serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/r" } };

/** Each add-on's values for a replica count (undefined: the add-on has no replica input). */
const VALUES: Readonly<Record<string, (replicas: number) => unknown>> = {
  "aws-load-balancer-controller": (replicas) =>
    awsLoadBalancerControllerValues({ releaseName: "aws-load-balancer-controller", clusterName: "c", region: "us-east-1", vpcId: "vpc-1", replicas, defaultTags: {}, ...SA }),
  "cluster-autoscaler": (replicas) =>
    clusterAutoscalerValues({ releaseName: "cluster-autoscaler", clusterName: "c", region: "us-east-1", replicas, imageTag: "v1.35.0", nodeSelector: { role: "system" }, ...SA }),
  "cert-manager": (replicas) => certManagerValues({ releaseName: "cert-manager", replicas, ...SA }),
  karpenter: (replicas) =>
    karpenterValues({ releaseName: "karpenter", clusterName: "c", interruptionQueueName: "q", replicas, nodeSelector: { role: "system" }, podNetworking: "secondary-ip", ...SA }),
  "external-secrets": (replicas) => externalSecretsValues({ releaseName: "external-secrets", replicas, resources: { controller: RESOURCES, webhook: RESOURCES, certController: RESOURCES } }),
  "metrics-server": (replicas) => metricsServerValues({ replicas }),
  "opentelemetry-collector": (replicas) =>
    openTelemetryCollectorValues({ releaseName: "otel", fullname: "otel", replicas, imageRepository: "otel/col", resources: RESOURCES, tracesEndpoint: "jaeger:4317", tracesEndpointInsecure: true }),
};
const SINGLE: Readonly<Record<string, () => unknown>> = {
  "external-dns": () => externalDnsValues({ domainFilters: ["example.com"], hostedZoneIds: ["Z1"], txtOwnerId: "c", policy: "sync", ...SA }),
};

const everyBuild = [
  ...Object.entries(VALUES).flatMap(([chart, build]) => [1, 2, 3].map((n) => [`${chart} × ${n}`, chart, () => build(n)] as const)),
  ...Object.entries(SINGLE).map(([chart, build]) => [chart, chart, build] as const),
];

describe("add-on values", () => {
  it.each(everyBuild)("%s: every component tolerates the system taint", (_name, chart, build) => {
    const values = build();
    const missing = CHART_COMPONENTS[chart]!.filter((c) => !tolerates(tolerationsOf(values, c), CRITICAL_ADDONS_TOLERATION.key)).map((c) => c.name);
    expect(missing).toEqual([]);
  });

  it.each(everyBuild)("%s: every component requests CPU and memory", (_name, chart, build) => {
    const values = build();
    const missing = CHART_COMPONENTS[chart]!.flatMap((c) =>
      ["cpu", "memory"].filter((k) => (at(values, `${c.resources}.requests`) as Record<string, unknown> | undefined)?.[k] === undefined).map((k) => `${c.name}.${k}`),
    );
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(VALUES).flatMap(([chart, build]) => [1, 2, 3].map((n) => [chart, n, build] as const)))(
    "%s × %i: every HA component runs the replicas asked for, spread across zones when replicated",
    (chart, n, build) => {
      const values = build(n);
      for (const c of CHART_COMPONENTS[chart]!.filter((x) => x.ha)) {
        expect(at(values, c.replicas!), `${c.name} replicas`).toBe(n);
        const prefix = c.tolerations.replace(/\.?tolerations$/, "");
        const spread = (at(values, prefix === "" ? "topologySpreadConstraints" : `${prefix}.topologySpreadConstraints`) ?? []) as { topologyKey: string }[];
        expect(spread.some((s) => s.topologyKey === "topology.kubernetes.io/zone"), `${c.name} zone spread`).toBe(n > 1);
      }
    },
  );

});

describe("the toleration rule", () => {
  it.each([
    [[{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }], true],
    [[{ key: "CriticalAddonsOnly", operator: "Exists" }], true],
    [[{ operator: "Exists" }], true],
    [[{ operator: "Exists", effect: "NoSchedule" }], true],
    [[{ key: "CriticalAddonsOnly", operator: "Equal", value: "true", effect: "NoSchedule" }], true],
    [[{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoExecute" }], false],
    [[{ key: "other", operator: "Exists", effect: "NoSchedule" }], false],
    [[], false],
    [undefined, false],
  ])("%j tolerates CriticalAddonsOnly:NoSchedule: %s", (tolerations, expected) => {
    expect(tolerates(tolerations, "CriticalAddonsOnly")).toBe(expected);
  });
});
