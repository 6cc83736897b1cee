/**
 * `npm run teardown -- <env> [--execute] [--empty-buckets] [--lift-protection] [--i-know-this-is-prod]`:
 * the ordered destroy of one environment. A dry run by default (prints every command); `--execute`
 * asks for the environment's name on stdin, then runs the commands one by one and stops at the first
 * failure. A prod environment is refused without `--i-know-this-is-prod`. Exit codes: 0 done (or dry
 * run printed), 1 refused, aborted or a command failed, 2 usage error.
 */
import { spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { environments } from "../../environments";
import { validatePlatform } from "../../environments/validate";
import type { StackSet } from "../diff/types";
import { synthesizeStacks } from "../cost/stacks";
import { renderTeardown, type TeardownFlags, teardownRefusal, teardownSteps } from "./plan";

export const USAGE = `Usage: npm run teardown -- <env> [--execute] [--empty-buckets] [--lift-protection] [--i-know-this-is-prod]

Destroys an environment in a safe order: load balancers, Karpenter nodes and volumes outside
Terraform first, then <env>-addons, <env>-cluster, <env>-network. Prints the commands (dry run)
unless --execute, which asks for the environment's name first.
  --execute              run the commands (asks to type the environment's name)
  --empty-buckets        delete every object version of the environment's buckets (Velero backups, logs)
  --lift-protection      turn off deletion protection and drop prevent_destroy before destroying
  --i-know-this-is-prod  required for a prod environment, on top of the flags above
  -h, --help             this text`;

const FLAGS: Readonly<Record<string, keyof TeardownFlags>> = {
  "--execute": "execute",
  "--empty-buckets": "emptyBuckets",
  "--lift-protection": "liftProtection",
  "--i-know-this-is-prod": "iKnowThisIsProd",
};

export function parseTeardownArgs(argv: readonly string[]): { env: string; flags: TeardownFlags } | "help" {
  let env: string | undefined;
  const flags: Record<keyof TeardownFlags, boolean> = { execute: false, emptyBuckets: false, liftProtection: false, iKnowThisIsProd: false };
  for (const arg of argv) {
    if (arg === "-h" || arg === "--help") return "help";
    const flag = FLAGS[arg];
    if (flag !== undefined) flags[flag] = true;
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else if (env === undefined) env = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (env === undefined) throw new Error("name the environment");
  return { env, flags };
}

export interface TeardownIo {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly inputs?: readonly unknown[];
  readonly synth?: (inputs: readonly unknown[], env: string) => StackSet;
  /** Reads one line (the confirmation). @default - stdin */
  readonly readLine?: (prompt: string) => Promise<string>;
  /** Runs one shell command; returns its exit code. @default - bash -c, output inherited */
  readonly run?: (command: string) => number;
}

const stdinLine = (prompt: string): Promise<string> =>
  new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.question(prompt, (answer) => {
      rl.close();
      resolve(answer);
    });
  });

const bash = (command: string): number => spawnSync("bash", ["-euo", "pipefail", "-c", command], { stdio: "inherit" }).status ?? 1;

export async function runTeardownCli(argv: readonly string[], io: TeardownIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  let parsed: ReturnType<typeof parseTeardownArgs>;
  try {
    parsed = parseTeardownArgs(argv);
  } catch (e) {
    stderr(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed === "help") {
    stdout(`${USAGE}\n`);
    return 0;
  }
  const { env: name, flags } = parsed;
  const inputs = io.inputs ?? environments;
  try {
    const env = validatePlatform(inputs).find((e) => e.name === name);
    if (env === undefined) {
      stderr(`unknown environment ${JSON.stringify(name)}\n`);
      return 2;
    }
    const refusal = teardownRefusal(env, flags);
    if (refusal !== undefined) {
      stderr(`teardown: ${refusal}\n`);
      return 1;
    }
    const steps = teardownSteps(env, (io.synth ?? ((i, e) => synthesizeStacks(i, [e])))(inputs, name), flags);
    stdout(renderTeardown(name, steps, flags.execute));
    if (!flags.execute) return 0;
    const typed = (await (io.readLine ?? stdinLine)(`Type the name of the environment to destroy (${name}): `)).trim();
    if (typed !== name) {
      stderr(`teardown: you typed ${JSON.stringify(typed)}, not ${JSON.stringify(name)}: nothing was run\n`);
      return 1;
    }
    const run = io.run ?? bash;
    for (const step of steps) {
      if (step.skipped !== undefined) continue;
      for (const command of step.commands) {
        stderr(`$ ${command}\n`);
        const code = run(command);
        if (code !== 0) {
          stderr(`teardown: stopped at "${step.title}" (exit ${code}); fix it and run again (every step can be repeated)\n`);
          return 1;
        }
      }
    }
    return 0;
  } catch (e) {
    stderr(`teardown: ${(e as Error).message}\n`);
    return 1;
  }
}
