import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { PlatformEnvironment } from "../environments/validate";
import { AwsScope, awsScope } from "../modules/irsa/policy-document";
import { Layer, PLATFORM, stackName } from "./naming";
import { awsProvider, configureStateBackend, requireTerraformVersion } from "./providers";

/** Tags every resource of an environment layer carries. */
export function environmentTags(env: PlatformEnvironment, layer: Layer): Record<string, string> {
  return {
    ...env.tags,
    Environment: env.name,
    Layer: layer,
    Owner: env.owner,
    ManagedBy: `cdktf/${PLATFORM}`,
  };
}

/**
 * Base of the per-environment layer stacks: `<env>-<layer>`, its own remote state, an AWS provider
 * locked to the environment's account and default tags.
 */
export abstract class EnvironmentStack extends TerraformStack {
  /** Partition, region and account of the environment, for ARNs. */
  readonly scope: AwsScope;

  protected constructor(
    scope: Construct,
    readonly env: PlatformEnvironment,
    readonly layer: Layer,
  ) {
    super(scope, stackName(env.name, layer));
    this.scope = awsScope(env.region, env.account.id);
    requireTerraformVersion(this);
    configureStateBackend(this, { accountId: env.account.id, region: env.region, env: env.name, layer });
    awsProvider(this, { region: env.region, accountId: env.account.id, tags: environmentTags(env, layer) });
  }
}
