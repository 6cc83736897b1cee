import { performance } from "node:perf_hooks";
import { App } from "cdktf";
import { ConfigValidationError, PlatformEnvironment, validatePlatform } from "../environments/validate";
import type { IpAllocation } from "../modules/network/ip-plan";
import { assertGuardrails, GuardrailViolationError } from "../modules/guardrails/guardrails";
import { buildPlatform } from "./platform";
import { limitTokenStackTraces } from "./token-stack-traces";

export interface SynthesizeOptions {
  /** Output folder. */
  readonly outdir: string;
  /** Where problems are reported. */
  readonly report: (message: string) => void;
  /**
   * Names of the environments whose stacks are built and written, each with the bootstrap stack of
   * its account. Every environment is still validated (the bootstrap trust and the cross-environment
   * checks need all of them); only the selected ones are built.
   * @default - every environment
   */
  readonly environments?: readonly string[];
  /**
   * Called after each phase with its duration in milliseconds (`npm run bench` reports them).
   * @default - phases are not timed
   */
  readonly onPhase?: (phase: SynthPhase, ms: number) => void;
  /**
   * The recorded IP allocations by environment (`loadAllocations()`); each environment's subnets
   * keep them, and what a plan adds beyond them is reported as a warning.
   * @default - none: every environment gets a new layout, without warnings
   */
  readonly allocations?: Readonly<Record<string, IpAllocation>>;
}

/**
 * One warning per environment whose IP plan adds blocks or subnets its recorded allocation does not
 * have yet (a new environment, a new AZ, an extra private subnet): they are stable, but recording
 * them is what makes them part of the reviewed state.
 */
export function unrecordedAllocations(envs: readonly PlatformEnvironment[]): string[] {
  return envs
    .filter((env) => env.ipPlan.additions.length > 0)
    .map(
      (env) =>
        `warning: ${env.name}: the IP plan adds ${env.ipPlan.additions.length} allocation(s) not recorded in environments/ip-allocations/${env.name}.json ` +
        `(${env.ipPlan.additions.join("; ")}); record them with: npm run ipplan -- ${env.name} --write`,
    );
}

/** The phases of a synth, in order. */
export type SynthPhase = "validate" | "build" | "guardrails" | "synth";

/** Exit codes of `synthesizePlatform` (and so of `npm run synth`). */
export const EXIT = {
  ok: 0,
  /** Invalid configuration or a guardrail violation. */
  invalid: 1,
  /** Bad command line: an unknown option or environment name. */
  usage: 2,
} as const;

/**
 * Validates the environments, builds the stacks (all, or those of `options.environments`), checks
 * the guardrails over all of them and only then writes the Terraform JSON. Token creation stacks
 * are not captured unless `CDK_DEBUG=1` (see token-stack-traces.ts; the JSON is the same). Returns the process exit
 * code (`EXIT`): on any problem, every problem is reported and nothing is written.
 */
export function synthesizePlatform(inputs: readonly unknown[], options: SynthesizeOptions): number {
  if (options.environments !== undefined) {
    const unknown = unknownEnvironments(options.environments, inputs);
    if (unknown !== undefined) {
      options.report(unknown);
      return EXIT.usage;
    }
  }
  limitTokenStackTraces();
  let start = performance.now();
  const phase = <T>(name: SynthPhase, work: () => T): T => {
    const result = work();
    const end = performance.now();
    options.onPhase?.(name, end - start);
    start = end;
    return result;
  };
  try {
    const envs = phase("validate", () => validatePlatform(inputs, options.allocations !== undefined ? { allocations: options.allocations } : {}));
    if (options.allocations !== undefined) for (const warning of unrecordedAllocations(envs)) options.report(warning);
    const app = new App({ outdir: options.outdir });
    phase("build", () => buildPlatform(app, envs, options.environments));
    phase("guardrails", () => assertGuardrails(app));
    phase("synth", () => app.synth());
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ConfigValidationError || e instanceof GuardrailViolationError) {
      options.report(e.message);
      return EXIT.invalid;
    }
    throw e;
  }
}

/**
 * The error message for requested environment names that no input has (or that select nothing),
 * or undefined when every name is known.
 */
export function unknownEnvironments(requested: readonly string[], inputs: readonly unknown[]): string | undefined {
  const known = inputs.map((input) => (input as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === "string");
  if (requested.length === 0) return `no environment selected; environments: ${known.join(", ")}`;
  const missing = requested.filter((name) => !known.includes(name));
  if (missing.length === 0) return undefined;
  const list = missing.map((m) => `"${m}"`).join(", ");
  return `unknown environment${missing.length > 1 ? "s" : ""} ${list}; environments: ${known.join(", ")}. Nothing was synthesized.`;
}

/** Environment variable that selects environments when the command line does not (the `cdktf` CLI path). */
export const ENV_SELECTION_VARIABLE = "PLATFORM_ENV";

export const SYNTH_USAGE = `usage: npm run synth [-- --env <name>[,<name>...] ...]
  --env <names>   synthesize only these environments' stacks (and the bootstrap stack of their
                  accounts); repeatable or a comma list. Without it, ${ENV_SELECTION_VARIABLE}=<names> does the
                  same (for \`cdktf synth/deploy\`, which runs the app without arguments).`;

/**
 * The environment selection of a synth command line: `--env <names>` (repeatable, comma lists),
 * else `PLATFORM_ENV` (a comma list; empty means unset), else undefined (every environment).
 * The command line wins over the variable.
 */
export function parseSynthArgs(
  argv: readonly string[],
  variables: Readonly<Record<string, string | undefined>>,
): { readonly environments?: readonly string[] } | { readonly error: string } {
  const fromArgs: string[] = [];
  let sawEnv = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^--env=(.*)$/.exec(arg);
    if (arg !== "--env" && inline === null) return { error: `unknown argument "${arg}"\n${SYNTH_USAGE}` };
    const value = inline !== null ? inline[1]! : argv[++i];
    if (value === undefined || value.startsWith("--")) return { error: `--env needs a value\n${SYNTH_USAGE}` };
    sawEnv = true;
    fromArgs.push(...splitNames(value));
  }
  if (sawEnv) {
    return fromArgs.length > 0 ? { environments: unique(fromArgs) } : { error: `--env needs a value\n${SYNTH_USAGE}` };
  }
  const variable = splitNames(variables[ENV_SELECTION_VARIABLE] ?? "");
  return variable.length > 0 ? { environments: unique(variable) } : {};
}

function splitNames(list: string): string[] {
  return list.split(",").map((s) => s.trim()).filter(Boolean);
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
