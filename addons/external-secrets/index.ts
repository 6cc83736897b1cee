import { Construct } from "constructs";
import { HelmAddon } from "../../modules/helm/helm-addon";
import type { Values } from "../../modules/helm/values";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { EXTERNAL_SECRETS_CHART } from "./chart";
import { externalSecretsValues } from "./values";

export { AwsSecretsManagerSecretStore, type AwsSecretsManagerSecretStoreProps } from "./secret-store";

const DEFAULT_RESOURCES = {
  controller: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  webhook: { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  certController: { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "256Mi" } },
} as const satisfies Record<string, ContainerResources>;

export interface ExternalSecretsProps {
  /**
   * Namespace of the operator.
   * @default "external-secrets"
   */
  readonly namespace?: string;
  /**
   * Helm release name.
   * @default "external-secrets"
   */
  readonly releaseName?: string;
  /**
   * Replicas of the controller and the webhook (spread across zones when > 1).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Per-environment chart value overrides, merged last.
   * @default {}
   */
  readonly overrides?: Values;
}

/**
 * The External Secrets Operator (chart external-secrets 2.9.0) with its CRDs. It holds no AWS
 * permission of its own: add an `AwsSecretsManagerSecretStore` per namespace that needs secrets.
 */
export class ExternalSecrets extends Construct {
  readonly helm: HelmAddon;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? "external-secrets";
    const releaseName = props.releaseName ?? "external-secrets";
    this.helm = new HelmAddon(this, "helm", {
      releaseName,
      namespace: this.namespace,
      chart: EXTERNAL_SECRETS_CHART,
      values: externalSecretsValues({ releaseName, replicas: props.replicas ?? 1, resources: DEFAULT_RESOURCES }),
      overrides: props.overrides,
      // templates/webhook-service.yaml, service.yaml and cert-controller-service.yaml. No
      // ServiceMonitor: kube-prometheus-stack waits for secrets this operator writes (Grafana's
      // database credentials), so the operator installs first and kube-prometheus-stack scrapes it
      // with a PodMonitor (`externalSecretsPodMonitor`).
      createsServices: true,
      provides: ["external-secrets-crds"],
    });
  }
}
