/**
 * Values of the external-secrets chart 2.9.0 (see `EXTERNAL_SECRETS_CHART`), built from plain
 * inputs. Pure: no cdktf. Every key exists in the chart's values.yaml / values.schema.json.
 */
import { assertReplicas, chartServiceAccount } from "../../modules/kubernetes/chart-values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { isReplicated, zoneSpreadFor } from "../../modules/scheduling/replica-placement";
import { CRITICAL_ADDONS_TOLERATION } from "../context";

export interface ExternalSecretsValuesInput {
  /** Helm release name (part of the pods' selector labels). */
  readonly releaseName: string;
  /** Replicas of the controller (leader-elected) and of the webhook. */
  readonly replicas: number;
  readonly resources: {
    readonly controller: ContainerResources;
    readonly webhook: ContainerResources;
    readonly certController: ContainerResources;
  };
}

/** Selector labels of the chart's three Deployments (`_helpers.tpl`, `*.selectorLabels`). */
export function externalSecretsPodLabels(releaseName: string) {
  return {
    controller: { "app.kubernetes.io/name": "external-secrets", "app.kubernetes.io/instance": releaseName },
    webhook: { "app.kubernetes.io/name": "external-secrets-webhook", "app.kubernetes.io/instance": releaseName },
    certController: { "app.kubernetes.io/name": "external-secrets-cert-controller", "app.kubernetes.io/instance": releaseName },
  } as const;
}

/**
 * The operator on the `system` nodes, HA when `replicas > 1` (leader election, zone spread,
 * PodDisruptionBudgets). Its own service account gets no AWS identity: every `SecretStore` names the
 * service account (with its own IRSA role) that the operator authenticates as, so a store in one
 * namespace can never borrow another namespace's access (see `secret-store.ts`).
 */
export function externalSecretsValues(input: ExternalSecretsValuesInput): Record<string, unknown> {
  assertReplicas("external-secrets", input.replicas);
  const labels = externalSecretsPodLabels(input.releaseName);
  const ha = isReplicated(input.replicas);
  return {
    installCRDs: true,
    replicaCount: input.replicas,
    leaderElect: ha,
    tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
    topologySpreadConstraints: zoneSpreadFor(input.replicas, labels.controller),
    podDisruptionBudget: { enabled: ha, minAvailable: 1 },
    serviceAccount: chartServiceAccount(input.releaseName),
    resources: input.resources.controller,
    webhook: {
      replicaCount: input.replicas,
      topologySpreadConstraints: zoneSpreadFor(input.replicas, labels.webhook),
      podDisruptionBudget: { enabled: ha, minAvailable: 1 },
      tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
      resources: input.resources.webhook,
    },
    // Renews the webhook's serving certificate; one replica is enough (the certificate outlives an outage).
    certController: {
      replicaCount: 1,
      tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
      resources: input.resources.certController,
    },
    // No ServiceMonitor (templates/servicemonitor.yaml): the operator installs before the monitoring
    // CRDs (see index.ts); kube-prometheus-stack creates `externalSecretsPodMonitor` instead.
    serviceMonitor: { enabled: false },
  };
}

/**
 * A PodMonitor (kube-prometheus-stack's `prometheus.additionalPodMonitors` form) scraping the
 * controller's metrics: pods `external-secrets.selectorLabels` (app.kubernetes.io/name
 * `external-secrets`, instance = release), container port `metrics` (templates/deployment.yaml,
 * `metrics.listen.port` 8080), where the `externalsecret_*` metrics are served.
 */
export function externalSecretsPodMonitor(releaseName: string, namespace: string) {
  return {
    name: "external-secrets",
    namespaceSelector: { matchNames: [namespace] },
    selector: { matchLabels: { "app.kubernetes.io/name": "external-secrets", "app.kubernetes.io/instance": releaseName } },
    podMetricsEndpoints: [{ port: "metrics", path: "/metrics" }],
  };
}
