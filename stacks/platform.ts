import { App } from "cdktf";
import { GITHUB_REPOSITORY } from "../environments/github";
import type { PlatformEnvironment } from "../environments/validate";
import { applyGuardrails } from "../modules/guardrails/guardrails";
import { AddonsStack } from "./addons-stack";
import { BootstrapStack } from "./bootstrap-stack";
import { ClusterStack } from "./cluster-stack";
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
 * Adds every stack of the validated environments to `app`: one bootstrap stack per account, then
 * the layer stacks of each environment, each depending on the layer below it.
 */
export function buildPlatform(app: App, envs: readonly PlatformEnvironment[]): PlatformStacks {
  const accounts = new Map<string, PlatformEnvironment>();
  for (const env of envs) if (!accounts.has(env.account.alias)) accounts.set(env.account.alias, env);
  const bootstrap = [...accounts.values()].map(
    (env) =>
      new BootstrapStack(app, {
        accountAlias: env.account.alias,
        accountId: env.account.id,
        region: env.region,
        owner: env.owner,
        github: {
          repository: GITHUB_REPOSITORY,
          environments: envs.filter((e) => e.account.alias === env.account.alias).map((e) => e.name),
        },
      }),
  );
  const environments: Record<string, EnvironmentStacks> = {};
  for (const env of envs) {
    const network = new NetworkStack(app, env);
    const cluster = new ClusterStack(app, env, network);
    const addons = new AddonsStack(app, env, cluster);
    environments[env.name] = { network, cluster, addons };
    for (const stack of [network, cluster, addons]) applyGuardrails(stack, env.stage);
  }
  for (const stack of bootstrap) {
    const stage = envs.find((e) => e.account.alias === stack.accountAlias)!.stage;
    applyGuardrails(stack, stage);
  }
  return { bootstrap, environments };
}
