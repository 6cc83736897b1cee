import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import { Gatekeeper } from "../../addons/gatekeeper";
import type { EnforcementAction } from "../../addons/gatekeeper/constraints";
import type { MeshEnvironment } from "../../addons/istio/revisions";
import { namespaceRights } from "../../environments/access";
import type { EnvironmentConfig } from "../../environments/schema";
import type { PlatformEnvironment } from "../../environments/validate";
import { subnetsOf } from "../../modules/network/ip-plan";
import { PLATFORM_NAMESPACES } from "../../modules/tenancy/namespaces";
import { TeamInput, teamNamespacePlans } from "../../modules/tenancy/plan";
import { TeamNamespaces } from "../../modules/tenancy/team-namespaces";
import { TeamWorkloadRoles } from "../../modules/tenancy/workload-roles";
import { highlyAvailable } from "./core";
import { ingressGatewayNamespacesOf } from "./gateway";
import { MESH_POLICY, teamMeshMembership } from "./team-mesh";

/** The environment's enforcement: as configured, else `deny` in prod and `warn` elsewhere. */
export function enforcementOf(env: Pick<EnvironmentConfig, "stage" | "addons">): EnforcementAction {
  return env.addons.policy.enforcement ?? (env.stage === "prod" ? "deny" : "warn");
}

/** The registries team images may come from: as configured, else the environment's own ECR and public.ecr.aws. */
export function allowedRegistriesOf(env: Pick<EnvironmentConfig, "account" | "region" | "addons">): string[] {
  return [...(env.addons.policy.allowedRegistries ?? [`${env.account.id}.dkr.ecr.${env.region}.amazonaws.com/`, "public.ecr.aws/"])];
}

/** The teams of `cluster.access.teams` as the tenancy planner reads them, with their mesh membership (stacks/addons/team-mesh.ts). */
export function teamInputs(env: MeshEnvironment): TeamInput[] {
  return Object.entries(env.cluster.access.teams).map(([key, config]) => ({ key, config, rights: namespaceRights(config), mesh: teamMeshMembership(env, key) }));
}

/** What the policy layer gives the rest of the stack. */
export interface PolicyAddons {
  readonly gatekeeper: Gatekeeper;
  readonly teams: TeamNamespaces;
  readonly workloadRoles: TeamWorkloadRoles;
}

/**
 * Admission policy and team namespaces of an environment:
 *   - OPA Gatekeeper and the constraint set (addons/gatekeeper), enforcing `enforcementOf(env)`, with
 *     the platform's namespaces (modules/tenancy/namespaces.ts) exempt by name, the violation alert
 *     in prod;
 *   - per team namespace of `cluster.access.teams`: namespace with Pod Security labels, quota, limit
 *     range, default-deny network policies with the platform's allowances (the ingress gateway's
 *     namespace among them when the environment has one), a non-automounting
 *     `default` service account and the RoleBinding of the team's Keycloak groups
 *     (modules/tenancy). The namespaces wait for Gatekeeper's constraints, so no team pod starts
 *     before the policies are in place. Teams with `mesh: true` also get the istiod revision label
 *     and the sidecars' network policies (stacks/addons/team-mesh.ts), and Gatekeeper allows the
 *     sidecar's image in their namespaces only;
 *   - the workload roles of the teams (`workloadRoles`, modules/tenancy/workload-roles.ts), kept on
 *     the team's own resources by validation.
 */
export function addPolicy(scope: Construct, ctx: AddonContext, env: PlatformEnvironment): PolicyAddons {
  const gatekeeper = new Gatekeeper(scope, "gatekeeper", {
    enforcement: enforcementOf(env),
    allowedRegistries: allowedRegistriesOf(env),
    mesh: MESH_POLICY,
    exemptNamespaces: PLATFORM_NAMESPACES,
    replicas: highlyAvailable(env) ? 3 : 2,
    nodeSelector: env.cluster.nodeGroups.system.labels,
    alertOnViolations: env.stage === "prod",
    overrides: env.addons.overrides["gatekeeper"],
  });
  const loadBalancerCidrs = subnetsOf(env.ipPlan, "public").map((s) => s.cidr);
  const teams = new TeamNamespaces(scope, "teams", {
    plans: teamNamespacePlans(env, teamInputs(env), loadBalancerCidrs, ingressGatewayNamespacesOf(env)),
    dependsOn: [gatekeeper.constraints.release],
  });
  const workloadRoles = new TeamWorkloadRoles(scope, "team-workload-roles", {
    namePrefix: ctx.namePrefix,
    oidc: ctx.oidc,
    teams: Object.fromEntries(Object.entries(env.cluster.access.teams).map(([key, team]) => [key, team.workloadRoles ?? {}])),
  });
  return { gatekeeper, teams, workloadRoles };
}
