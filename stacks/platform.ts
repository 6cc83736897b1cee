import { App } from "cdktf";
import { accountsOf } from "../environments/derived";
import { GITHUB_REPOSITORY } from "../environments/github";
import type { PlatformEnvironment } from "../environments/validate";
import { applyGuardrails } from "../modules/guardrails/guardrails";
import { permissionsBoundaryArn, requirePermissionsBoundary } from "../modules/iam/permissions-boundary";
import { AddonsStack } from "./addons-stack";
import { grantPlanRoleAddonNamespaces } from "./addons/ci-plan-access";
import { BootstrapStack } from "./bootstrap-stack";
import { ClusterStack } from "./cluster-stack";
import { clusterName, PLATFORM } from "./naming";
import { NetworkStack } from "./network-stack";

/** The stacks of one environment, by layer. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly addons: AddonsStack;
}

/** Every stack of the platform. */
export interface PlatformStacks {
  readonly bootstrap: readonly BootstrapStack[];
  readonly environments: Readonly<Record<string, EnvironmentStacks>>;
}

/**
 * Adds the stacks of the validated environments to `app`: one bootstrap stack per account, then
 * the layer stacks of each environment, each depending on the layer below it. With `selected`, only
 * the layer stacks of those environments and the bootstrap stacks of their accounts are built; a
 * bootstrap stack still trusts every environment of its account, so each stack built is the same as
 * in a build of everything. The layer stacks depend on nothing outside their environment.
 * @param selected names of the environments to build (@default - every environment)
 */
export function buildPlatform(app: App, envs: readonly PlatformEnvironment[], selected?: readonly string[]): PlatformStacks {
  const built = selected === undefined ? envs : envs.filter((env) => selected.includes(env.name));
  // Every account with a built environment; its bootstrap stack trusts all of the account's
  // environments (of all, not only the built ones) and takes region and owner from the first.
  const bootstrap = accountsOf(envs)
    .filter((account) => built.some((env) => env.account.alias === account.alias))
    .map(
      (account) =>
        new BootstrapStack(app, {
          accountAlias: account.alias,
          accountId: account.id,
          region: account.region,
          owner: account.owner,
          github: {
            repository: GITHUB_REPOSITORY,
            environments: account.environments,
            // No pull request may reach a prod account: its plans wait in the `<env>-plan` GitHub environments.
            planTrust: account.stage === "prod" ? "plan-environments" : "pull-request",
          },
        }),
    );
  const environments: Record<string, EnvironmentStacks> = {};
  for (const env of built) {
    const network = new NetworkStack(app, env);
    const cluster = new ClusterStack(app, env, network);
    const addons = new AddonsStack(app, env, cluster);
    // The CI plan role reads the add-on namespaces (Helm release Secrets), never team namespaces;
    // after every add-on of the stack exists, since the namespaces come from its releases.
    grantPlanRoleAddonNamespaces(addons, env, clusterName(env.name));
    environments[env.name] = { network, cluster, addons };
    for (const stack of [network, cluster, addons]) {
      // Every IAM role of the stack gets the account's boundary (created by its bootstrap stack).
      requirePermissionsBoundary(stack, permissionsBoundaryArn(stack.scope, PLATFORM));
      applyGuardrails(stack, env.stage);
    }
  }
  for (const stack of bootstrap) {
    const stage = envs.find((e) => e.account.alias === stack.accountAlias)!.stage;
    applyGuardrails(stack, stage);
  }
  return { bootstrap, environments };
}
