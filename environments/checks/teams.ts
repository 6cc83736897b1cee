/**
 * Rules of the teams of `cluster.access.teams` that the schema cannot express: a namespace belongs
 * to one team and never to the platform, and a prod environment denies what its policies forbid.
 * (Unknown rights and quantities that do not parse are schema errors: `TEAM_RIGHTS`,
 * `QUANTITY_PATTERN` in environments/schema.ts.)
 */
import { partitionOf } from "../../modules/irsa/policy-document";
import { PLATFORM_NAMESPACES } from "../../modules/tenancy/namespaces";
import {
  IAM_ROLE_NAME_MAX,
  teamResourcePrefix,
  workloadActionProblem,
  workloadResourceProblem,
  workloadRoleName,
} from "../../modules/tenancy/workload-roles";
import { PLATFORM } from "../../stacks/naming";
import { namespaceRights } from "../access";
import type { EnvironmentConfig } from "../schema";
import type { ConfigIssue } from "../validate";

/** Namespaces claimed by two teams, or by a team and the platform. */
export function teamNamespaceProblems(env: Pick<EnvironmentConfig, "cluster">): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const owner = new Map<string, string>();
  for (const [key, team] of Object.entries(env.cluster.access.teams)) {
    for (const namespace of Object.keys(namespaceRights(team))) {
      const path = `cluster.access.teams.${key}.namespaces`;
      if (PLATFORM_NAMESPACES.includes(namespace)) {
        issues.push({ path, message: `${namespace} is a platform namespace (${PLATFORM_NAMESPACES.join(", ")}); choose another name`, received: namespace });
        continue;
      }
      const first = owner.get(namespace);
      if (first === undefined) owner.set(namespace, key);
      else if (first !== key) issues.push({ path, message: `${namespace} already belongs to team ${first}; a namespace has one team`, received: namespace });
    }
  }
  return issues;
}

/** Prod environments deny violations of the admission policies (addons/gatekeeper). */
export function policyEnforcementProblems(env: Pick<EnvironmentConfig, "stage" | "addons">): ConfigIssue[] {
  const enforcement = env.addons.policy.enforcement;
  if (env.stage === "prod" && enforcement !== undefined && enforcement !== "deny") {
    return [{ path: "addons.policy.enforcement", message: 'prod environments must "deny" what the policies forbid', received: enforcement }];
  }
  return [];
}

/**
 * Workload roles that reach beyond their team: a namespace that is not the team's, an action that
 * is not `<service>:<Action>` or belongs to IAM, STS or Organizations, a resource that is not the
 * team's own (modules/tenancy/workload-roles.ts), or a role name over IAM's 64 characters.
 */
export function teamWorkloadRoleProblems(env: Pick<EnvironmentConfig, "name" | "region" | "account" | "cluster">): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const teams = Object.entries(env.cluster.access.teams);
  const namePrefix = `${PLATFORM}-${env.name}`;
  const prefixes = Object.fromEntries(teams.map(([key]) => [key, teamResourcePrefix(namePrefix, key)]));
  for (const [key, team] of teams) {
    const namespaces = Object.keys(namespaceRights(team));
    const scope = {
      partition: partitionOf(env.region),
      region: env.region,
      accountId: env.account.id,
      prefix: prefixes[key]!,
      otherPrefixes: Object.entries(prefixes).filter(([other]) => other !== key).map(([, p]) => p),
    };
    for (const [name, role] of Object.entries(team.workloadRoles ?? {})) {
      const path = `cluster.access.teams.${key}.workloadRoles.${name}`;
      const roleName = workloadRoleName(namePrefix, key, name);
      if (roleName.length > IAM_ROLE_NAME_MAX) {
        issues.push({ path, message: `role name ${roleName} is longer than ${IAM_ROLE_NAME_MAX} characters; choose a shorter name`, received: name });
      }
      if (!namespaces.includes(role.namespace)) {
        issues.push({ path: `${path}.namespace`, message: `must be one of the team's namespaces (${namespaces.join(", ")})`, received: role.namespace });
      }
      role.statements.forEach((statement, i) => {
        statement.actions.forEach((action, j) => {
          const problem = workloadActionProblem(action);
          if (problem !== undefined) issues.push({ path: `${path}.statements.${i}.actions.${j}`, message: problem, received: action });
        });
        statement.resources.forEach((resource, j) => {
          const problem = workloadResourceProblem(resource, scope);
          if (problem !== undefined) issues.push({ path: `${path}.statements.${i}.resources.${j}`, message: problem, received: resource });
        });
      });
    }
  }
  return issues;
}
