import { Construct } from "constructs";
import { ArgoCd } from "../../addons/argo-cd";
import { ArgoRollouts } from "../../addons/argo-rollouts";
import type { GitOpsTeam } from "../../addons/argo-cd/gitops";
import { teamSubscriptionAnnotations } from "../../addons/argo-cd/notifications";
import type { AddonContext } from "../../addons/context";
import { ARGO_CD_CLIENT_ID } from "../../addons/keycloak/realm";
import type { AlertingConfig, EnvironmentConfig } from "../../environments/schema";
import type { PlatformEnvironment } from "../../environments/validate";
import type { TeamWorkloadRoles } from "../../modules/tenancy/workload-roles";
import { highlyAvailable } from "./core";

/**
 * The teams of `cluster.access.teams` as Argo CD sees them (sorted by key); with alerting, each
 * AppProject subscribes the team's applications to the team's receiver; `roleArns` are the ARNs of
 * the teams' workload roles by team, then role name (`@default {}`).
 */
export function gitOpsTeams(
  teams: EnvironmentConfig["cluster"]["access"]["teams"],
  alerting?: AlertingConfig,
  roleArns: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): GitOpsTeam[] {
  return Object.entries(teams)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, team]) => ({
      name,
      namespaces: Array.isArray(team.namespaces) ? [...team.namespaces] : Object.keys(team.namespaces),
      // The same default as the team's RoleBindings (modules/tenancy/plan.ts), without the `oidc:` prefix.
      groups: team.groups ?? [`team-${name}`],
      repositories: (team.repositories ?? []).map((r) => ({ ...r })),
      ...(alerting ? { projectAnnotations: teamSubscriptionAnnotations(alerting, name) } : {}),
      ...(roleArns[name] ? { roleArns: { ...roleArns[name] } } : {}),
    }));
}

/** The workload roles' ARNs by team, then role name (the roles are keyed `<team>/<role>`). */
export function workloadRoleArnsByTeam(workloadRoles: Pick<TeamWorkloadRoles, "roles">): Record<string, Record<string, string>> {
  const byTeam: Record<string, Record<string, string>> = {};
  for (const [key, role] of Object.entries(workloadRoles.roles)) {
    const [team, name] = key.split("/") as [string, string];
    (byTeam[team] ??= {})[name] = role.roleArn;
  }
  return byTeam;
}

/** What the GitOps layer gives the rest of the stack. */
export interface GitOpsAddons {
  readonly argoCd: ArgoCd;
  readonly argoRollouts: ArgoRollouts;
}

/**
 * GitOps of an environment: Argo CD with its Keycloak login (the realm's `argocd` client), an
 * AppProject and an ApplicationSet per team, notifications to the alert receivers (a team's
 * applications to the team's receiver, the rest to the default one), and the GitOps bridge's cluster Secret (environment,
 * region, account, VPC, cluster name) with each team's workload role ARNs as its charts' values;
 * Argo Rollouts for progressive delivery.
 */
export function addGitOps(
  scope: Construct,
  ctx: AddonContext,
  env: PlatformEnvironment,
  auth: { readonly issuerUrl: string },
  workloadRoles: Pick<TeamWorkloadRoles, "roles">,
): GitOpsAddons {
  const argoCd = new ArgoCd(scope, "argo-cd", {
    environment: env.name,
    highlyAvailable: highlyAvailable(env),
    issuerUrl: auth.issuerUrl,
    clientId: ARGO_CD_CLIENT_ID,
    nodeSelector: env.cluster.nodeGroups.system.labels,
    cluster: { clusterName: ctx.clusterName, region: ctx.scope.region, accountId: ctx.scope.accountId, vpcId: ctx.vpcId },
    teams: gitOpsTeams(env.cluster.access.teams, env.addons.observability.alerting, workloadRoleArnsByTeam(workloadRoles)),
    // Notifications to the environment's alert receivers (their credentials by reference).
    alerting: env.addons.observability.alerting,
    notificationSecrets: { oidc: ctx.oidc, region: ctx.scope.region, roleName: `${ctx.namePrefix}-argocd-notifications` },
    overrides: env.addons.overrides["argo-cd"],
  });
  const argoRollouts = new ArgoRollouts(scope, "argo-rollouts", {
    highlyAvailable: highlyAvailable(env),
    overrides: env.addons.overrides["argo-rollouts"],
    // The namespace `argocd` is Argo CD's release's (created with it).
    dependsOn: [argoCd.helm.release],
  });
  return { argoCd, argoRollouts };
}
