import { Construct } from "constructs";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { METRICS_SERVER_CHART } from "./chart";
import { METRICS_SERVER_RELEASE, metricsServerValues } from "./values";

export * from "./chart";
export * from "./values";

export interface MetricsServerProps extends ReleaseOptions {
  /**
   * Replicas; more than one are spread across AZs and get a PodDisruptionBudget.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Namespace of the release.
   * @default "kube-system"
   */
  readonly namespace?: string;
}

/** metrics-server: the `metrics.k8s.io` API behind `kubectl top` and the Horizontal Pod Autoscaler. */
export class MetricsServer extends Construct {
  readonly release: HelmAddon;

  constructor(scope: Construct, id: string, props: MetricsServerProps = {}) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    this.node.addValidation({
      validate: () => (Number.isInteger(replicas) && replicas >= 1 ? [] : [`replicas must be a positive integer, got ${replicas}`]),
    });
    this.release = new HelmAddon(this, "release", {
      releaseName: METRICS_SERVER_RELEASE,
      namespace: props.namespace ?? "kube-system",
      chart: METRICS_SERVER_CHART,
      values: metricsServerValues({ replicas }),
      overrides: props.overrides,
      // templates/service.yaml (the APIService's backend).
      createsServices: true,
      dependsOn: props.dependsOn,
    });
  }
}
