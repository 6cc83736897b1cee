import { Construct } from "constructs";
import { AddonComposition } from "../../modules/helm/composition";
import { CustomResources, KubernetesObject } from "../../modules/helm/custom-resources";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { IrsaRole, OidcIdentity } from "../../modules/irsa/irsa-role";
import { resourcesOf } from "../../modules/terraform/resources";
import { externalSecretsPolicy } from "../external-secrets/iam-policy";
import { awsSecretsManagerStore, externalSecret, RemoteValue } from "../external-secrets/manifests";
import { ARGO_CD_CHART, ARGO_CD_NAMESPACE } from "./chart";
import { appProject, applicationSet, ClusterMetadata, clusterSecret, GitOpsTeam } from "./gitops";
import { ARGO_CD_NOTIFICATIONS_SECRET, notificationCredentials, usedReceivers } from "./notifications";
import { argoCdValues, ArgoCdValuesInput } from "./values";

export { ARGO_CD_CHART, ARGO_CD_NAMESPACE } from "./chart";
export { ARGO_CD_LOCAL_URL } from "./values";

/** The store of the notification credentials and the service account it authenticates as. */
export const NOTIFICATION_SECRET_STORE = "notification-secrets";
export const NOTIFICATION_SECRETS_SERVICE_ACCOUNT = "notification-secrets";

/** The store's service account (IRSA annotations), the store, and the ExternalSecret writing `argocd-notifications-secret`. */
export function notificationSecretObjects(region: string, serviceAccountAnnotations: Readonly<Record<string, string>>, credentials: readonly RemoteValue[]): KubernetesObject[] {
  return [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: NOTIFICATION_SECRETS_SERVICE_ACCOUNT, namespace: ARGO_CD_NAMESPACE, annotations: { ...serviceAccountAnnotations } },
      // Nothing runs as this account: the operator only requests tokens for it.
      automountServiceAccountToken: false,
    },
    awsSecretsManagerStore({ name: NOTIFICATION_SECRET_STORE, namespace: ARGO_CD_NAMESPACE, region, serviceAccountName: NOTIFICATION_SECRETS_SERVICE_ACCOUNT }),
    externalSecret({ name: ARGO_CD_NOTIFICATIONS_SECRET, namespace: ARGO_CD_NAMESPACE, storeName: NOTIFICATION_SECRET_STORE, data: credentials }),
  ];
}

/** Where the notification credentials' store gets its identity (with `alerting`). */
export interface NotificationSecretsProps {
  /** The cluster's OIDC identity (IRSA of the store). */
  readonly oidc: OidcIdentity;
  /** Region of the receivers' secrets. */
  readonly region: string;
  /** Name of the store's IAM role. */
  readonly roleName: string;
}

export interface ArgoCdProps extends Omit<ArgoCdValuesInput, "notifiedTeams">, ReleaseOptions {
  /** The environment's name (the cluster Secret's `environment` label, which the ApplicationSets select). */
  readonly environment: string;
  /** What the GitOps bridge writes into the cluster Secret's annotations. */
  readonly cluster: Omit<ClusterMetadata, "environment">;
  /**
   * The teams: an AppProject and an ApplicationSet each.
   * @default []
   */
  readonly teams?: readonly GitOpsTeam[];
  /**
   * The store of the notification credentials; required with `alerting`.
   * @default - none (no alerting)
   */
  readonly notificationSecrets?: NotificationSecretsProps;
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
  /** The store (with its service account) and the ExternalSecret of the notification credentials (with `alerting`). */
  readonly notificationSecrets?: CustomResources;

  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    const teams = [...(props.teams ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    this.helm = new HelmAddon(this, "release", {
      releaseName: "argocd",
      namespace: ARGO_CD_NAMESPACE,
      chart: ARGO_CD_CHART,
      values: argoCdValues({ ...props, notifiedTeams: teams.map((t) => t.name) }),
      overrides: props.overrides,
      // templates/argocd-server/service.yaml, argocd-repo-server/service.yaml, redis/service.yaml, ...
      createsServices: true,
      needs: props.serviceMonitors === false ? [] : ["monitoring-crds"],
      dependsOn: props.dependsOn,
    });
    this.resources = new CustomResources(this, "resources", {
      releaseName: "argocd-resources",
      namespace: ARGO_CD_NAMESPACE,
      resources: [
        clusterSecret({ ...props.cluster, environment: props.environment }),
        ...teams.flatMap((team) => [appProject(team), applicationSet(team, props.environment)]),
      ],
      dependsOn: [this.helm.release],
    });
    if (props.alerting) {
      if (!props.notificationSecrets) throw new Error("Argo CD: alerting needs notificationSecrets (the store of the receivers' credentials)");
      const credentials = notificationCredentials(props.alerting, usedReceivers(props.alerting, teams.map((t) => t.name)));
      const secretArns = [...new Set(credentials.map((c) => c.key))].sort();
      // The receivers' secrets, read by the same ARNs as Alertmanager's, with an identity of their own.
      const role = new IrsaRole(this, "notification-secrets-role", {
        oidc: props.notificationSecrets.oidc,
        namespace: ARGO_CD_NAMESPACE,
        serviceAccount: NOTIFICATION_SECRETS_SERVICE_ACCOUNT,
        roleName: props.notificationSecrets.roleName,
        description: `External Secrets store ${ARGO_CD_NAMESPACE}/${NOTIFICATION_SECRET_STORE}: read ${secretArns.length} named secret(s)`,
        policyStatements: externalSecretsPolicy({ secretArns }),
      });
      this.notificationSecrets = new CustomResources(this, "notification-secrets", {
        releaseName: "argocd-notification-secrets",
        namespace: ARGO_CD_NAMESPACE,
        resources: notificationSecretObjects(props.notificationSecrets.region, role.serviceAccountAnnotations, credentials),
        // The namespace (Argo CD's release), the role and its inline policy.
        dependsOn: [this.helm.release, ...resourcesOf(role)],
      });
      AddonComposition.of(this)?.register({
        name: `${ARGO_CD_NAMESPACE}/argocd-notification-secrets`,
        needs: ["external-secrets-crds"],
        provides: [],
        waiter: this.notificationSecrets.release,
        dependables: [this.notificationSecrets.release],
      });
    }
  }
}
