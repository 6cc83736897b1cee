import { Construct } from "constructs";
import { AddonComposition } from "../../modules/helm/composition";
import { CustomResources, KubernetesObject } from "../../modules/helm/custom-resources";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { generatedPasswordSecret, passwordGenerator } from "../external-secrets/manifests";
import { KIALI_CHART, KIALI_INSTANCE_NAME } from "./chart";
import { KIALI_POD_LABELS, kialiValues, KialiValuesInput } from "./values";

export { KIALI_CHART, KIALI_INSTANCE_NAME } from "./chart";
export { KIALI_LOCAL_URL, KIALI_PORT } from "./values";

/** Secret (and its generator) holding Kiali's session signing key, under the generator's key `password`. */
export const KIALI_SIGNING_KEY = { secretName: "kiali-signing-key", key: "password" } as const;

export interface KialiProps extends Omit<KialiValuesInput, "signingKey">, ReleaseOptions {
  /** Namespace of Kiali: Istio's (it exists before: the Istio base release creates it, see `dependsOn`). */
  readonly namespace: string;
  /**
   * Whether to render a ServiceMonitor of Kiali's metrics (needs the Prometheus Operator CRDs).
   * @default true
   */
  readonly serviceMonitor?: boolean;
}

/**
 * The ServiceMonitor of Kiali's `http-metrics` Service port (templates/service.yaml; the chart
 * renders no ServiceMonitor of its own, only `prometheus.io/*` pod annotations).
 */
export function kialiServiceMonitor(namespace: string): KubernetesObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: KIALI_INSTANCE_NAME, namespace },
    spec: {
      selector: { matchLabels: { ...KIALI_POD_LABELS } },
      namespaceSelector: { matchNames: [namespace] },
      endpoints: [{ port: "http-metrics", path: "/metrics", interval: "30s" }],
    },
  };
}

/** The objects of the `kiali-resources` release: the signing key (generated in the cluster) and the ServiceMonitor. */
export function kialiResources(namespace: string, serviceMonitor: boolean): KubernetesObject[] {
  const name = KIALI_SIGNING_KEY.secretName;
  return [
    passwordGenerator({ name, namespace, length: 32 }),
    generatedPasswordSecret({ name, namespace, generatorName: name }),
    ...(serviceMonitor ? [kialiServiceMonitor(namespace)] : []),
  ];
}

/**
 * Kiali (upstream kiali-server chart 2.29.0) in Istio's namespace: login through the platform realm
 * (public `kiali` client, PKCE, no client secret), users' own Kubernetes RBAC through their ID token,
 * view-only; Prometheus, Jaeger (gRPC) and Grafana wired in-cluster; 2 replicas with a PDB and zone
 * spread when highly available. The session signing key is made in the cluster by an External Secrets
 * `Password` generator (never in Terraform), rendered with the ServiceMonitor through the in-repo
 * chart (no CRD needed at plan time); the Kiali release waits for it.
 */
export class Kiali extends Construct {
  readonly helm: HelmAddon;
  /** The signing key's generator and ExternalSecret, and the ServiceMonitor. */
  readonly resources: CustomResources;

  constructor(scope: Construct, id: string, props: KialiProps) {
    super(scope, id);
    const monitor = props.serviceMonitor ?? true;
    this.resources = new CustomResources(this, "resources", {
      releaseName: "kiali-resources",
      namespace: props.namespace,
      resources: kialiResources(props.namespace, monitor),
      dependsOn: [...(props.dependsOn ?? [])],
    });
    AddonComposition.of(this)?.register({
      name: `${props.namespace}/kiali-resources`,
      needs: ["external-secrets-crds", ...(monitor ? (["monitoring-crds"] as const) : [])],
      provides: [],
      waiter: this.resources.release,
      dependables: [this.resources.release],
    });
    this.helm = new HelmAddon(this, "release", {
      releaseName: KIALI_INSTANCE_NAME,
      namespace: props.namespace,
      chart: KIALI_CHART,
      values: kialiValues({ ...props, signingKey: KIALI_SIGNING_KEY }),
      overrides: props.overrides,
      // templates/service.yaml
      createsServices: true,
      dependsOn: [...(props.dependsOn ?? []), this.resources.release],
    });
  }
}
