import { Construct } from "constructs";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { ARGO_CD_NAMESPACE } from "../argo-cd/chart";
import { ARGO_ROLLOUTS_CHART } from "./chart";
import { argoRolloutsValues, ArgoRolloutsValuesInput } from "./values";

export { ARGO_ROLLOUTS_CHART } from "./chart";

export interface ArgoRolloutsProps extends ArgoRolloutsValuesInput, ReleaseOptions {}

/**
 * Argo Rollouts (upstream chart 2.41.0) for Blue-Green and Canary deployments of team workloads
 * (`Rollout` instead of `Deployment` in the team's chart), in the GitOps namespace `argocd`, with
 * its dashboard reached by port-forward.
 */
export class ArgoRollouts extends Construct {
  readonly helm: HelmAddon;

  constructor(scope: Construct, id: string, props: ArgoRolloutsProps) {
    super(scope, id);
    this.helm = new HelmAddon(this, "release", {
      releaseName: "argo-rollouts",
      namespace: ARGO_CD_NAMESPACE,
      chart: ARGO_ROLLOUTS_CHART,
      values: argoRolloutsValues(props),
      overrides: props.overrides,
      // templates/dashboard/service.yaml, templates/controller/metrics-service.yaml
      createsServices: true,
      needs: props.serviceMonitors === false ? [] : ["monitoring-crds"],
      dependsOn: props.dependsOn,
    });
  }
}
