/**
 * The pod-bearing components of the charts the platform installs: where each chart reads a
 * component's tolerations, container resources and replica count in its values. This is chart
 * structure (from each chart's values.yaml), not platform settings: rule tests read the platform's
 * synthesized values through it, and fail for a chart that is not described here, so a new add-on
 * is covered as soon as it is synthesized.
 */
import { parse } from "yaml";

export interface Component {
  readonly name: string;
  /** Dotted path of the tolerations list ("" segments omitted). */
  readonly tolerations: string;
  /** Dotted path of the container resources. */
  readonly resources: string;
  /** Dotted path of the replica count, for Deployments/StatefulSets that may run several. */
  readonly replicas?: string;
  /** Serves requests or admission webhooks: at least 2 replicas in prod. */
  readonly ha?: boolean;
  /** Why it is not HA, for a component with a replica count. */
  readonly single?: string;
  /** The chart's own tolerations, which apply when the platform sets none (with their source). */
  readonly chartDefaultTolerations?: { readonly value: readonly object[]; readonly source: string };
}

const pod = (name: string, prefix: string, extra: Partial<Component> = {}): Component => {
  const at = (key: string) => (prefix === "" ? key : `${prefix}.${key}`);
  return { name, tolerations: at("tolerations"), resources: at("resources"), ...extra };
};

/** Chart name → its pod-bearing components. */
export const CHART_COMPONENTS: Readonly<Record<string, readonly Component[]>> = {
  "argo-cd": [
    pod("application-controller", "controller", { replicas: "controller.replicas", ha: true }),
    pod("server", "server", { replicas: "server.replicas", ha: true }),
    pod("repo-server", "repoServer", { replicas: "repoServer.replicas", ha: true }),
    pod("applicationset-controller", "applicationSet", { replicas: "applicationSet.replicas", ha: true }),
    pod("notifications-controller", "notifications"),
    pod("redis", "redis"),
    { name: "redis-ha", tolerations: "redis-ha.tolerations", resources: "redis-ha.redis.resources" },
    pod("redis-ha-haproxy", "redis-ha.haproxy"),
  ],
  "argo-rollouts": [
    pod("controller", "controller", { replicas: "controller.replicas", ha: true }),
    pod("dashboard", "dashboard", {
      replicas: "dashboard.replicas",
      single: "a read-mostly UI reached by port-forward; a restart costs a reconnect, no rollout step",
    }),
  ],
  "aws-load-balancer-controller": [pod("controller", "", { replicas: "replicaCount", ha: true })],
  "cluster-autoscaler": [pod("controller", "", { replicas: "replicaCount", ha: true })],
  "cert-manager": [
    pod("controller", "", { replicas: "replicaCount", ha: true }),
    pod("webhook", "webhook", { replicas: "webhook.replicaCount", ha: true }),
    pod("cainjector", "cainjector", { replicas: "cainjector.replicaCount", ha: true }),
    pod("startupapicheck", "startupapicheck"),
  ],
  "external-dns": [pod("controller", "")],
  "external-secrets": [
    pod("controller", "", { replicas: "replicaCount", ha: true }),
    pod("webhook", "webhook", { replicas: "webhook.replicaCount", ha: true }),
    pod("certController", "certController", {
      replicas: "certController.replicaCount",
      single: "rotates the webhook certificate in the background; the webhook keeps serving the current one while it restarts",
    }),
  ],
  // Istio's gateway chart (values.yaml at the pinned commit): the HPA's minimum is the replica count.
  gateway: [pod("ingress-gateway", "", { replicas: "autoscaling.minReplicas", ha: true })],
  gatekeeper: [
    pod("controller-manager", "controllerManager", { replicas: "replicas", ha: true }),
    pod("audit", "audit"),
    pod("post-install", "postInstall"),
    pod("upgrade-crds", "crds"),
  ],
  jaeger: [pod("jaeger", "jaeger", { replicas: "jaeger.replicas", ha: true })],
  karpenter: [{ name: "controller", tolerations: "tolerations", resources: "controller.resources", replicas: "replicas", ha: true }],
  "karpenter-crd": [],
  // Istio (manifests/charts at the pinned commit): base has no pods; istiod's keys are top-level.
  base: [],
  cni: [pod("istio-cni-node", "")],
  istiod: [pod("istiod", "", { replicas: "replicaCount", ha: true })],
  keycloakx: [pod("keycloak", "", { replicas: "replicas", ha: true })],
  "kiali-server": [pod("kiali", "deployment", { replicas: "deployment.replicas", ha: true })],
  "kube-prometheus-stack": [
    pod("prometheus", "prometheus.prometheusSpec", { replicas: "prometheus.prometheusSpec.replicas", ha: true }),
    pod("alertmanager", "alertmanager.alertmanagerSpec", { replicas: "alertmanager.alertmanagerSpec.replicas", ha: true }),
    pod("grafana", "grafana", { replicas: "grafana.replicas", ha: true }),
    pod("kube-state-metrics", "kube-state-metrics"),
    pod("prometheus-operator", "prometheusOperator"),
    pod("admission-webhook-patch", "prometheusOperator.admissionWebhooks.patch"),
    // Containers of the pods above, with their pod's tolerations: the operator passes these requests to the
    // config-reloader sidecars of Prometheus and Alertmanager (templates/prometheus-operator/deployment.yaml @cf408a2,
    // --config-reloader-*-request); Grafana's sidecars and volume init container (grafana chart templates/_pod.tpl @3386a11).
    { name: "prometheus-config-reloader", tolerations: "prometheus.prometheusSpec.tolerations", resources: "prometheusOperator.prometheusConfigReloader.resources" },
    { name: "grafana-sidecar", tolerations: "grafana.tolerations", resources: "grafana.sidecar.resources" },
    { name: "grafana-init-chown-data", tolerations: "grafana.tolerations", resources: "grafana.initChownData.resources" },
    pod("node-exporter", "prometheus-node-exporter", {
      chartDefaultTolerations: {
        // A node agent: it tolerates every NoSchedule taint unless the platform overrides it.
        value: [{ effect: "NoSchedule", operator: "Exists" }],
        source: "prometheus-community/helm-charts charts/prometheus-node-exporter/values.yaml @019319902ead75961fe5f71213777f1500725a6e",
      },
    }),
  ],
  "fluent-bit": [pod("fluent-bit", "")],
  loki: [
    pod("single-binary", "singleBinary", {
      replicas: "singleBinary.replicas",
      single: "monolithic mode is for nonprod (one pod holds every target); HA environments run the simple-scalable targets instead",
    }),
    pod("write", "write", { replicas: "write.replicas", ha: true }),
    pod("read", "read", { replicas: "read.replicas", ha: true }),
    pod("backend", "backend", { replicas: "backend.replicas", ha: true }),
    pod("gateway", "gateway", { replicas: "gateway.replicas", ha: true }),
  ],
  "metrics-server": [pod("metrics-server", "", { replicas: "replicas", ha: true })],
  "opentelemetry-collector": [pod("collector", "", { replicas: "replicaCount", ha: true })],
  // stakater/Reloader chart 2.2.16 values.yaml: reloader.deployment.{tolerations,resources,replicas}.
  reloader: [
    pod("reloader", "reloader.deployment", {
      replicas: "reloader.deployment.replicas",
      single: "rolls workloads after a Secret changes; while it restarts, a roll is only delayed",
    }),
  ],
  velero: [
    pod("velero", ""),
    // vmware-tanzu/helm-charts charts/velero/templates/upgrade-crds/upgrade-crds.yaml @73466ca: the CRD upgrade job reads .Values.tolerations and .Values.upgradeJobResources.
    { name: "upgrade-crds", tolerations: "tolerations", resources: "upgradeJobResources" },
  ],
};

/** The value at a dotted path (chart keys contain no dots here). */
export function at(values: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), values);
}

export interface Release {
  readonly name: string;
  readonly chart: string;
  readonly values: Record<string, unknown>;
}

/** The Helm releases of a synthesized stack with their values merged in order. */
export function releasesOf(stack: { resource?: Record<string, Record<string, Record<string, any>>> }): Release[] {
  return Object.entries(stack.resource?.["helm_release"] ?? {}).map(([name, r]) => ({
    name,
    chart: String(r.chart),
    values: Object.assign({}, ...((r.values as string[] | undefined) ?? []).map((v) => parse(v) ?? {})),
  }));
}

/** The tolerations a component runs with: the platform's, else the chart's default. */
export function tolerationsOf(values: unknown, component: Component): unknown {
  return at(values, component.tolerations) ?? component.chartDefaultTolerations?.value;
}

/** True when a toleration list tolerates a `NoSchedule` taint with `key`. */
export function tolerates(tolerations: unknown, key: string): boolean {
  if (!Array.isArray(tolerations)) return false;
  return tolerations.some(
    (t) => (t.effect === undefined || t.effect === "NoSchedule") && (t.operator === "Exists" ? t.key === undefined || t.key === key : t.key === key),
  );
}

/** The components of `chart` whose tolerations in `values` miss the `NoSchedule` taint `key`, as `<name> (<path>)`. */
export function untolerated(chart: string, values: unknown, key: string): string[] {
  return (CHART_COMPONENTS[chart] ?? []).filter((c) => !tolerates(tolerationsOf(values, c), key)).map((c) => `${c.name} (${c.tolerations})`);
}

/** A Kubernetes resource quantity (`100m`, `0.5`, `128Mi`, `1G`, or a number). */
const isQuantity = (value: unknown) => (typeof value === "number" && value > 0) || (typeof value === "string" && /^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.test(value));

/** The CPU and memory requests the components of `chart` lack in `values` (or set to no quantity), as `<name> (<path>.requests.<cpu|memory>)`. */
export function missingRequests(chart: string, values: unknown): string[] {
  return (CHART_COMPONENTS[chart] ?? []).flatMap((c) =>
    ["cpu", "memory"].filter((k) => !isQuantity(at(values, `${c.resources}.requests.${k}`))).map((k) => `${c.name} (${c.resources}.requests.${k})`),
  );
}

/** The containers `values` add (see {@link addedContainers}) without a CPU or memory request, by path. */
export function addedContainersWithoutRequests(values: unknown): string[] {
  return addedContainers(values)
    .filter(([, c]) => ["cpu", "memory"].some((k) => !isQuantity(at(c, `resources.requests.${k}`))))
    .map(([path]) => path);
}

/** Keys under which values add containers to a chart's pods. */
const ADDED_CONTAINER_KEYS = /^(initContainers|extraInitContainers|extraContainers)$/;

/**
 * Containers the values add to a chart's pods (`initContainers`, `extraInitContainers`,
 * `extraContainers`; lists, or YAML strings the chart passes through `tpl`), by dotted path.
 */
export function addedContainers(values: unknown, path = ""): [string, unknown][] {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
  return Object.entries(values).flatMap(([key, v]) => {
    const list = ADDED_CONTAINER_KEYS.test(key) ? (typeof v === "string" ? parse(v) : v) : undefined;
    return Array.isArray(list) ? list.map((c, i): [string, unknown] => [`${path}${key}[${i}]`, c]) : addedContainers(v, `${path}${key}.`);
  });
}
