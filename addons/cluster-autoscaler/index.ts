import { Construct } from "constructs";
import type { AddonContext } from "../context";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { IrsaRole } from "../../modules/irsa/irsa-role";
import { CLUSTER_AUTOSCALER_CHART } from "./chart";
import { clusterAutoscalerPolicy } from "./iam-policy";
import { clusterAutoscalerValues } from "./values";

export interface ClusterAutoscalerProps extends ReleaseOptions {
  /**
   * Image tag of the autoscaler; use the release of the cluster's Kubernetes minor version
   * (`clusterAutoscalerImageTag`).
   * @default - the chart's appVersion (v1.35.0)
   */
  readonly imageTag?: string;
  /**
   * Replicas (leader-elected; more than one only for availability).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Labels of the nodes the autoscaler runs on, e.g. the `system` node group's labels.
   * @default {} - any node
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/**
 * The Kubernetes Cluster Autoscaler in `kube-system` for the cluster's managed node groups, with an
 * IRSA role that may only scale Auto Scaling groups tagged as this cluster's (`iam-policy.ts`).
 */
export class ClusterAutoscaler extends Construct {
  static readonly NAMESPACE = "kube-system";
  static readonly SERVICE_ACCOUNT = "cluster-autoscaler";
  static readonly RELEASE_NAME = "cluster-autoscaler";

  readonly role: IrsaRole;
  readonly helm: HelmAddon;

  constructor(scope: Construct, id: string, context: AddonContext, props: ClusterAutoscalerProps = {}) {
    super(scope, id);
    const { NAMESPACE, SERVICE_ACCOUNT, RELEASE_NAME } = ClusterAutoscaler;

    this.role = new IrsaRole(this, "irsa", {
      oidc: context.oidc,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      roleName: `${context.namePrefix}-cluster-autoscaler`,
      description: `Cluster Autoscaler of ${context.clusterName}`,
      policyStatements: clusterAutoscalerPolicy({ scope: context.scope, clusterName: context.clusterName }),
    });

    this.helm = new HelmAddon(this, "chart", {
      releaseName: RELEASE_NAME,
      namespace: NAMESPACE,
      chart: CLUSTER_AUTOSCALER_CHART,
      values: clusterAutoscalerValues({
        releaseName: RELEASE_NAME,
        clusterName: context.clusterName,
        region: context.scope.region,
        serviceAccountName: SERVICE_ACCOUNT,
        serviceAccountAnnotations: this.role.serviceAccountAnnotations,
        replicas: props.replicas ?? 1,
        imageTag: props.imageTag ?? "v1.35.0",
        nodeSelector: props.nodeSelector ?? {},
      }),
      overrides: props.overrides ?? {},
      // templates/service.yaml (metrics, `service.create` defaults to true).
      createsServices: true,
      irsaRoles: [this.role],
      dependsOn: props.dependsOn ?? [],
    });
  }
}
