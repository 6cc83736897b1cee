/**
 * What depends on the list of environments, derived from the validated environments in promotion
 * order: the deploy order and the GitHub environments each
 * account's CI deploy role trusts. The stacks, the workflows (`npm run docs`) and the README use
 * these, so adding an environment file changes all of them together.
 */
import { inPromotionOrder, type PlatformEnvironment } from "./validate";

/** One AWS account and the environments that live in it, in promotion order. */
export interface AccountEnvironments {
  readonly alias: string;
  readonly id: string;
  /** Region of the account's bootstrap stack (that of its first environment in promotion order). */
  readonly region: string;
  /** Owner tag of the bootstrap stack (that of its first environment). */
  readonly owner: string;
  /** Stage of the account's environments (validation keeps prod and nonprod in different accounts). */
  readonly stage: PlatformEnvironment["stage"];
  /** Names of the account's environments: the GitHub environments its deploy role trusts. */
  readonly environments: readonly string[];
}

/** Every account of the platform, in the promotion order of its first environment. */
export function accountsOf(envs: readonly PlatformEnvironment[]): AccountEnvironments[] {
  const accounts = new Map<string, AccountEnvironments & { environments: string[] }>();
  for (const env of inPromotionOrder(envs)) {
    const account = accounts.get(env.account.alias);
    if (account) account.environments.push(env.name);
    else accounts.set(env.account.alias, { ...env.account, region: env.region, owner: env.owner, stage: env.stage, environments: [env.name] });
  }
  return [...accounts.values()];
}

/** One deploy job of the deploy workflow: an environment and the job it waits for. */
export interface DeployStep {
  readonly environment: string;
  /** The environment deployed just before (the job this one needs), or undefined for the first. */
  readonly after?: string;
}

/** The deploy order: each environment after the one before it in promotion order. */
export function deployOrder(envs: readonly PlatformEnvironment[]): DeployStep[] {
  const ordered = inPromotionOrder(envs);
  return ordered.map((env, i) => (i === 0 ? { environment: env.name } : { environment: env.name, after: ordered[i - 1]!.name }));
}
