/**
 * Builds the real platform once per test file and hands out the synthesized JSON of its stacks,
 * parsed, so that tests assert on what Terraform will read.
 */
import { App, Testing } from "cdktf";
import { TerraformStack } from "cdktf";
import { loadAllocations } from "../../environments/ip-allocations";
import { environments } from "../../environments";
import { PlatformEnvironment, validatePlatform } from "../../environments/validate";
import { buildPlatform, PlatformStacks } from "../../stacks/platform";

export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, Record<string, any>>;
  readonly provider?: Record<string, Record<string, any>[]>;
  readonly terraform?: Record<string, any>;
  readonly [key: string]: unknown;
}

let cached: { envs: PlatformEnvironment[]; stacks: PlatformStacks; app: App } | undefined;
const synthCache = new Map<TerraformStack, SynthesizedStack>();

/** The validated environments and their stacks (built once). */
export function platform(): { envs: PlatformEnvironment[]; stacks: PlatformStacks } {
  if (!cached) {
    const envs = validatePlatform(environments, { allocations: loadAllocations() });
    const app = Testing.app();
    cached = { envs, stacks: buildPlatform(app, envs), app };
  }
  return cached;
}

/** Synthesizes one stack (with validations on) and parses it; cached. */
export function synth(stack: TerraformStack): SynthesizedStack {
  let result = synthCache.get(stack);
  if (!result) {
    result = JSON.parse(Testing.synth(stack, true)) as SynthesizedStack;
    synthCache.set(stack, result);
  }
  return result;
}

/** All resources of a type in a synthesized stack, by logical name. */
export function resources(stack: SynthesizedStack, type: string): Record<string, any> {
  return stack.resource?.[type] ?? {};
}
