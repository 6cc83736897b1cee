/**
 * Values of Istio's base, istiod and cni charts (addons/istio/chart.ts). Pure: no cdktf. Every key
 * was read in the chart's values.yaml and templates at the pinned commit:
 *
 * base (manifests/charts/base): `defaultRevision` (templates/defaultrevision-validatingwebhookconfiguration.yaml:
 * the `istiod-default-validator` webhook calls Service `istiod-<defaultRevision>`),
 * `base.enableCRDTemplates` (templates/crds.yaml: CRDs as plain templates, so Helm upgrades them).
 *
 * istiod (manifests/charts/istio-control/istio-discovery): `revision` (suffix of every object name,
 * the `istio.io/rev` the injection webhook selects: templates/mutatingwebhook.yaml),
 * `autoscaleEnabled`/`autoscaleMin`/`autoscaleMax`/`replicaCount` (templates/autoscale.yaml,
 * deployment.yaml: `replicas` only without the HPA), `global.defaultPodDisruptionBudget.enabled` +
 * `pdb.minAvailable` (templates/poddisruptionbudget.yaml: rendered when the minimum is above 1),
 * `resources`, `nodeSelector`, `tolerations`, `topologySpreadConstraints` (templates/deployment.yaml),
 * `cni.enabled` (read by the injection template as `pilot.cni.enabled`:
 * templates/istiod-injector-configmap.yaml; files/injection-template.yaml then injects the
 * unprivileged `istio-validation` init container instead of `istio-init` with NET_ADMIN/NET_RAW),
 * `global.proxy.seccompProfile`, `global.proxy.resources` (files/injection-template.yaml, both injected containers),
 * `global.hub` (the registry of every image, the injected proxy's included), `global.logAsJson`, `meshConfig` (templates/configmap.yaml: merged over the generated mesh config).
 *
 * cni (manifests/charts/istio-cni): `chained`, `cniBinDir`, `cniConfDir` (templates/configmap-cni.yaml,
 * daemonset.yaml), `tolerations`, `resources` (templates/daemonset.yaml; its priority class is
 * `system-node-critical` in the template), `global.hub`, `global.logAsJson`. No platform profile exists for EKS
 * (files/profile-platform-*.yaml: gke, k3d, k3s, microk8s, minikube, openshift); the chart's
 * defaults are the VPC CNI's folders.
 */
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { CRITICAL_ADDONS_TOLERATION, zoneSpread } from "../context";
import { ISTIO_HUB, ISTIO_NAMESPACE } from "./contract";

export const ISTIO_RESOURCES = {
  // The chart's default asks 500m / 2Gi "for a small pilot install"; a platform mesh of a few
  // teams needs less, and the HPA adds replicas under load.
  istiod: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "2Gi" } },
  cni: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
} as const satisfies Record<string, ContainerResources>;

/**
 * The injected istio-proxy (and its istio-validation init container), `global.proxy.resources`.
 * Unlike the platform's own pods it has a CPU limit: it runs in team namespaces, whose ResourceQuota
 * counts `limits.cpu`, and the LimitRange's defaults are applied before the injection. Istio's
 * default limits (2 CPU / 1Gi) would fill a team namespace's default quota (`limits.cpu: 8`) with
 * three pods. Istio's load tests measure 0.35 vCPU and 40 MB per 1000 requests per second through a
 * proxy (istio.io/v1.16/docs/ops/deployment/performance-and-scalability), so 500m carries about
 * 1400 rps per pod; a busier workload raises its own proxy's limits with the pod annotations
 * `sidecar.istio.io/proxyCPULimit` / `proxyMemoryLimit`.
 */
export const ISTIO_SIDECAR_RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } } as const;

/** Ceiling of istiod's HorizontalPodAutoscaler when highly available (the chart's `autoscaleMax` default). */
export const ISTIOD_AUTOSCALE_MAX = 5;

/** Name of the mesh's OpenTelemetry tracing provider (meshConfig.extensionProviders, used by the Telemetry resource). */
export const OTEL_TRACING_PROVIDER = "otel-tracing";

/** The VPC CNI's folders on EKS nodes, where the Istio CNI plugin chains itself into `10-aws.conflist`. */
export const EKS_CNI_DIRS = { cniBinDir: "/opt/cni/bin", cniConfDir: "/etc/cni/net.d" } as const;

/** The selector labels of one revision's istiod pods (templates/deployment.yaml). */
export function istiodPodLabels(revision: string): Record<string, string> {
  return { app: "istiod", "istio.io/rev": revision };
}

export interface BaseValuesInput {
  /** The revision whose istiod validates Istio config cluster-wide (`istiod-default-validator`). */
  readonly defaultRevision: string;
}

/** Values of the base chart. */
export function istioBaseValues(input: BaseValuesInput): Record<string, unknown> {
  return {
    defaultRevision: input.defaultRevision,
    base: { enableCRDTemplates: true },
    global: { istioNamespace: ISTIO_NAMESPACE },
  };
}

export interface IstiodValuesInput {
  /** The revision name (`1-30-3`). */
  readonly revision: string;
  /** 2+ replicas behind an HPA, a PDB, spread across zones; else one replica without HPA. */
  readonly highlyAvailable: boolean;
  /** Labels of the system node group. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Where Envoy sends spans: the OpenTelemetry collector's OTLP gRPC Service. */
  readonly tracing: { readonly service: string; readonly port: number };
}

/** Values of one istiod revision. */
export function istiodValues(input: IstiodValuesInput): Record<string, unknown> {
  const replicas = input.highlyAvailable ? 2 : 1;
  return {
    revision: input.revision,
    // The HPA keeps at least `replicas`; `replicaCount` is what the Deployment starts with when an
    // override turns the HPA off.
    autoscaleEnabled: input.highlyAvailable,
    ...(input.highlyAvailable ? { autoscaleMin: replicas, autoscaleMax: ISTIOD_AUTOSCALE_MAX } : {}),
    replicaCount: replicas,
    pdb: { minAvailable: 1 },
    resources: ISTIO_RESOURCES.istiod,
    nodeSelector: { ...input.nodeSelector },
    tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
    ...(input.highlyAvailable ? { topologySpreadConstraints: zoneSpread(istiodPodLabels(input.revision)) } : {}),
    cni: { enabled: true },
    meshConfig: {
      // Envoy access logs as JSON on the sidecar's stdout: Fluent Bit tails every container's log.
      accessLogFile: "/dev/stdout",
      accessLogEncoding: "JSON",
      enablePrometheusMerge: true,
      extensionProviders: [{ name: OTEL_TRACING_PROVIDER, opentelemetry: { service: input.tracing.service, port: input.tracing.port } }],
    },
    global: {
      hub: ISTIO_HUB,
      istioNamespace: ISTIO_NAMESPACE,
      logAsJson: true,
      defaultPodDisruptionBudget: { enabled: true },
      // Injected containers meet the restricted Pod Security Standard without the pod's own setting.
      proxy: { seccompProfile: { type: "RuntimeDefault" }, resources: ISTIO_SIDECAR_RESOURCES },
    },
  };
}

/**
 * Tolerations of the CNI node agent: every NoSchedule and NoExecute taint (the system nodes'
 * `CriticalAddonsOnly` included), as the chart's default: a node without the agent cannot start
 * injected pods.
 */
export const ISTIO_CNI_TOLERATIONS = [
  { effect: "NoSchedule", operator: "Exists" },
  { effect: "NoExecute", operator: "Exists" },
  { ...CRITICAL_ADDONS_TOLERATION },
] as const;

/** Values of the cni chart: chained after the VPC CNI on every node. */
export function istioCniValues(): Record<string, unknown> {
  return {
    chained: true,
    ...EKS_CNI_DIRS,
    tolerations: ISTIO_CNI_TOLERATIONS.map((t) => ({ ...t })),
    resources: ISTIO_RESOURCES.cni,
    global: { hub: ISTIO_HUB, logAsJson: true },
  };
}
