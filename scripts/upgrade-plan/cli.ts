/**
 * `npm run upgrade-plan -- <env> <version> [--json]`: the Kubernetes upgrade runbook of one
 * environment, or one list of what blocks it. Reads the one version table
 * (modules/eks/data/kubernetes-versions.ts) and the environments in promotion order, synthesizes the
 * environment's stacks in-process at the current and at the target version and compares them.
 * Exit codes: 0 plan printed, 1 blocked (or the configuration is invalid), 2 usage error.
 */
import { environments } from "../../environments";
import { validatePlatform } from "../../environments/validate";
import type { StackSet } from "../diff/types";
import { synthesizeStacks } from "../cost/stacks";
import { apiRemovalsHit, chartPins, upgradeBlockers, upgradeSteps, type UpgradeStep } from "./plan";

export const USAGE = `Usage: npm run upgrade-plan -- <env> <version> [--json]

Plans the Kubernetes upgrade of <env> to <version> ("1.35"): checks the promotion order, the one-minor
step, the pins of the target in modules/eks/data/kubernetes-versions.ts, the version-bound charts and
the removed Kubernetes APIs, then prints the ordered steps. Offline; changes nothing.
  --json      print {"env","from","to","blockers":[...],"steps":[{"title","command","details"}]}
  -h, --help  this text`;

export interface PlanOptions {
  readonly env: string;
  readonly version: string;
  readonly json: boolean;
}

export function parsePlanArgs(argv: readonly string[]): PlanOptions | "help" {
  const positional: string[] = [];
  let json = false;
  for (const arg of argv) {
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--json") json = true;
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 2) throw new Error("give the environment and the target version, e.g. dev 1.35");
  return { env: positional[0]!, version: positional[1]!, json };
}

export interface PlanResult {
  readonly env: string;
  readonly from: string;
  readonly to: string;
  readonly blockers: readonly string[];
  readonly steps: readonly UpgradeStep[];
}

export function renderPlan(plan: PlanResult): string {
  if (plan.blockers.length > 0) {
    return `Upgrade of ${plan.env} from ${plan.from} to ${plan.to} is blocked:\n${plan.blockers.map((b) => `  - ${b}`).join("\n")}\n`;
  }
  const lines = [`Upgrade of ${plan.env} from ${plan.from} to ${plan.to}:`];
  plan.steps.forEach((step, i) => {
    lines.push("", `${i + 1}. ${step.title}${step.command !== undefined ? `   $ ${step.command}` : ""}`, ...step.details.map((d) => `   - ${d}`));
  });
  return `${lines.join("\n")}\n`;
}

export interface PlanIo {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** Every environment input. @default - environments/index.ts */
  readonly inputs?: readonly unknown[];
  /** Synthesizes the stacks of one environment from inputs. @default - in-process synthesis */
  readonly synth?: (inputs: readonly unknown[], env: string) => StackSet;
}

/** The inputs with `env` at `version` (nothing else changes). */
export function withVersion(inputs: readonly unknown[], env: string, version: string): unknown[] {
  return inputs.map((input) => {
    const i = input as { name?: unknown; cluster?: Record<string, unknown> };
    return i.name === env ? { ...i, cluster: { ...i.cluster, kubernetesVersion: version } } : input;
  });
}

/** Builds the plan (blockers or steps). */
export function buildPlan(inputs: readonly unknown[], env: string, version: string, synth: (inputs: readonly unknown[], env: string) => StackSet): PlanResult {
  const envs = validatePlatform(inputs);
  const found = envs.find((e) => e.name === env);
  if (found === undefined) throw new UsageError(`unknown environment ${JSON.stringify(env)}; environments: ${envs.map((e) => e.name).join(", ")}`);
  const from = found.cluster.kubernetesVersion;
  const current = synth(inputs, env);
  const blockers = [
    ...upgradeBlockers(envs, env, version, chartPins(current)),
    ...(/^1\.\d+$/.test(version) ? apiRemovalsHit(current, version).map((h) => `${h.where} uses ${h.apiVersion} ${h.kind}, removed in ${h.removedIn}: use ${h.replacement}`) : []),
  ];
  if (blockers.length > 0) return { env, from, to: version, blockers, steps: [] };
  let next: StackSet;
  try {
    next = synth(withVersion(inputs, env, version), env);
  } catch (e) {
    return { env, from, to: version, blockers: [`the configuration with ${env} at ${version} does not synthesize:\n${(e as Error).message}`], steps: [] };
  }
  return { env, from, to: version, blockers: [], steps: upgradeSteps(env, from, version, current, next) };
}

class UsageError extends Error {}

export function runPlanCli(argv: readonly string[], io: PlanIo = {}): number {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  let options: PlanOptions | "help";
  try {
    options = parsePlanArgs(argv);
  } catch (e) {
    stderr(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === "help") {
    stdout(`${USAGE}\n`);
    return 0;
  }
  const synth = io.synth ?? ((inputs: readonly unknown[], env: string) => synthesizeStacks(inputs, [env]));
  try {
    const plan = buildPlan(io.inputs ?? environments, options.env, options.version, synth);
    stdout(options.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlan(plan));
    return plan.blockers.length > 0 ? 1 : 0;
  } catch (e) {
    stderr(`upgrade-plan: ${(e as Error).message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}
