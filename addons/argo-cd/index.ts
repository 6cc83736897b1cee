import { Construct } from "constructs";
import { CustomResources } from "../../modules/helm/custom-resources";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { ARGO_CD_CHART, ARGO_CD_NAMESPACE } from "./chart";
import { appProject, applicationSet, ClusterMetadata, clusterSecret, GitOpsTeam } from "./gitops";
import { argoCdValues, ArgoCdValuesInput } from "./values";

export { ARGO_CD_CHART, ARGO_CD_NAMESPACE } from "./chart";
export { ARGO_CD_LOCAL_URL } from "./values";

export interface ArgoCdProps extends ArgoCdValuesInput, ReleaseOptions {
  /** The environment's name (the cluster Secret's `environment` label, which the ApplicationSets select). */
  readonly environment: string;
  /** What the GitOps bridge writes into the cluster Secret's annotations. */
  readonly cluster: Omit<ClusterMetadata, "environment">;
  /**
   * The teams: an AppProject and an ApplicationSet each.
   * @default []
   */
  readonly teams?: readonly GitOpsTeam[];
}

/**
 * Argo CD (upstream chart 10.1.1, namespace `argocd`): SSO through the platform realm (public PKCE
 * client, no Dex), RBAC from Keycloak groups, HA in production (2 replicas of controller, server,
 * repo-server and ApplicationSet controller with PDBs, Redis HA), ServiceMonitors; then, through
 * the in-repo chart (no CRD needed at plan time), the GitOps bridge's cluster Secret and each
 * team's AppProject and ApplicationSet (gitops.ts).
 */
export class ArgoCd extends Construct {
  readonly helm: HelmAddon;
  /** The cluster Secret, AppProjects and ApplicationSets. */
  readonly resources: CustomResources;

  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    this.helm = new HelmAddon(this, "release", {
      releaseName: "argocd",
      namespace: ARGO_CD_NAMESPACE,
      chart: ARGO_CD_CHART,
      values: argoCdValues(props),
      overrides: props.overrides,
      // templates/argocd-server/service.yaml, argocd-repo-server/service.yaml, redis/service.yaml, ...
      createsServices: true,
      needs: props.serviceMonitors === false ? [] : ["monitoring-crds"],
      dependsOn: props.dependsOn,
    });
    const teams = [...(props.teams ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    this.resources = new CustomResources(this, "resources", {
      releaseName: "argocd-resources",
      namespace: ARGO_CD_NAMESPACE,
      resources: [
        clusterSecret({ ...props.cluster, environment: props.environment }),
        ...teams.flatMap((team) => [appProject(team), applicationSet(team, props.environment)]),
      ],
      dependsOn: [this.helm.release],
    });
  }
}
