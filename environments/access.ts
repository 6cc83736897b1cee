/**
 * Cluster access as the config writes it, turned into what EKS needs: one access entry per IAM
 * principal, and per entry one access policy association per right (EKS allows one association per
 * principal and policy, so "edit on A, view on B" is two associations of one entry).
 */
import { TEAM_RIGHTS, type EnvironmentConfig } from "./schema";

export type TeamConfig = EnvironmentConfig["cluster"]["access"]["teams"][string];
export type TeamRight = (typeof TEAM_RIGHTS)[number];

/** One right of a team and the namespaces it applies to. */
export interface TeamGrant {
  readonly right: TeamRight;
  readonly namespaces: readonly string[];
}

/** The right of every namespace of a team; the list form gives each namespace `policy` (default "edit"). */
export function namespaceRights(team: TeamConfig): Readonly<Record<string, TeamRight>> {
  if (!Array.isArray(team.namespaces)) return team.namespaces;
  const right = team.policy ?? "edit";
  return Object.fromEntries(team.namespaces.map((ns) => [ns, right]));
}

/**
 * A team's grants, strongest right first (admin, edit, view), each with its namespaces in the order
 * written. The strongest grant is the team's primary association, whose address never depends on
 * the weaker ones (see `clusterAccess` in stacks/cluster-stack.ts).
 */
export function teamGrants(team: TeamConfig): TeamGrant[] {
  const rights = Object.entries(namespaceRights(team));
  return TEAM_RIGHTS.map((right) => ({ right, namespaces: rights.filter(([, r]) => r === right).map(([ns]) => ns) })).filter(
    (g) => g.namespaces.length > 0,
  );
}

/** Every principal of the cluster's access config with the path it is written at. */
export function accessPrincipals(access: EnvironmentConfig["cluster"]["access"]): { path: string; arn: string }[] {
  return [
    ...Object.entries(access.admins).map(([key, arn]) => ({ path: `cluster.access.admins.${key}`, arn })),
    ...Object.entries(access.viewers).map(([key, arn]) => ({ path: `cluster.access.viewers.${key}`, arn })),
    ...Object.entries(access.teams).map(([key, team]) => ({ path: `cluster.access.teams.${key}.roleArn`, arn: team.roleArn })),
  ];
}
