/**
 * Rules of the teams of `cluster.access.teams` that the schema cannot express: a namespace belongs
 * to one team and never to the platform, and a prod environment denies what its policies forbid.
 * (Unknown rights and quantities that do not parse are schema errors: `TEAM_RIGHTS`,
 * `QUANTITY_PATTERN` in environments/schema.ts.)
 */
import { PLATFORM_NAMESPACES } from "../../modules/tenancy/namespaces";
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
