/**
 * The `npm run diff` command line: reads or synthesizes the base and head revisions, builds the
 * report and prints it. `runCli` is the entry point (called in-process by the tests).
 *
 *   npm run diff -- --base <git-ref> [--head <git-ref>] [--format markdown|json] [--out <file>] [--fail-on high|medium]
 *   npm run diff -- --base-dir <dir> --head-dir <dir> [...]
 *
 * Without `--head`/`--head-dir` the head is the working tree (synthesized into a temporary folder).
 * Exit codes: 0 done, 1 error (synth or git failed), 2 usage error, 3 `--fail-on` threshold reached.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { loadStacks } from "./load";
import { renderJson, renderMarkdown } from "./render";
import { buildReport } from "./report";
import { addWorktree, dependenciesDiffer, Runner, spawnRunner, synthProject, tempRoot } from "./synth";
import type { StackSet } from "./types";

export const USAGE = `Usage:
  npm run diff -- --base <git-ref> [--head <git-ref>] [options]
  npm run diff -- --base-dir <dir> --head-dir <dir> [options]

Compares the synthesized Terraform JSON (cdktf.out/stacks/<stack>/cdk.tf.json) of two revisions,
stack by stack, and flags risky changes. Offline: no credentials, no network.

Sources (one base, at most one head; the head defaults to the working tree):
  --base <ref>        git revision to synthesize as the base (temporary git worktree)
  --head <ref>        git revision to synthesize as the head
  --base-dir <dir>    already synthesized stacks folder (or cdktf output folder) for the base
  --head-dir <dir>    same for the head
Options:
  --format <f>        markdown (default, for a PR comment) or json
  --out <file>        write the report to a file instead of stdout
  --fail-on <level>   exit 3 when a risk of this severity or worse is found (high | medium)
  -h, --help          this text`;

export interface CliOptions {
  readonly base?: string;
  readonly head?: string;
  readonly baseDir?: string;
  readonly headDir?: string;
  readonly format: "markdown" | "json";
  readonly out?: string;
  readonly failOn?: "high" | "medium";
  readonly help: boolean;
}

const VALUE_FLAGS = ["--base", "--head", "--base-dir", "--head-dir", "--format", "--out", "--fail-on"] as const;

/** Parses the arguments; throws a usage error message. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h" || arg === "--help") {
      help = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) throw new Error(`unknown argument: ${arg}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "" || (eq < 0 && value.startsWith("--"))) throw new Error(`${flag} needs a value`);
    if (values.has(flag)) throw new Error(`${flag} given twice`);
    values.set(flag, value);
  }
  if (help) return { format: "markdown", help };
  const format = values.get("--format") ?? "markdown";
  if (format !== "markdown" && format !== "json") throw new Error(`--format must be markdown or json, not ${format}`);
  const failOn = values.get("--fail-on");
  if (failOn !== undefined && failOn !== "high" && failOn !== "medium") throw new Error(`--fail-on must be high or medium, not ${failOn}`);
  const options: CliOptions = {
    format,
    help,
    ...(values.has("--base") ? { base: values.get("--base") } : {}),
    ...(values.has("--head") ? { head: values.get("--head") } : {}),
    ...(values.has("--base-dir") ? { baseDir: values.get("--base-dir") } : {}),
    ...(values.has("--head-dir") ? { headDir: values.get("--head-dir") } : {}),
    ...(values.has("--out") ? { out: values.get("--out") } : {}),
    ...(failOn ? { failOn } : {}),
  };
  if ((options.base === undefined) === (options.baseDir === undefined)) throw new Error("give exactly one of --base <ref> or --base-dir <dir>");
  if (options.head !== undefined && options.headDir !== undefined) throw new Error("give at most one of --head <ref> or --head-dir <dir>");
  return options;
}

export interface CliIo {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** The project folder (where main.ts and package.json are); defaults to the current folder. */
  readonly cwd?: string;
  readonly runner?: Runner;
}

interface Loaded {
  readonly stacks: StackSet;
  readonly label: string;
  readonly notes: readonly string[];
}

/** Runs the command; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const cwd = resolve(io.cwd ?? process.cwd());
  const run = io.runner ?? spawnRunner;

  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (e) {
    stderr(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    stdout(`${USAGE}\n`);
    return 0;
  }

  const cleanups: (() => void)[] = [];
  const cleanup = () => {
    while (cleanups.length > 0) {
      try {
        (cleanups.pop() as () => void)();
      } catch {
        // best effort: keep cleaning
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  let tmp: string | undefined;
  const tmpPath = () => {
    if (tmp === undefined) {
      const root = tempRoot();
      cleanups.push(root.dispose);
      tmp = root.path;
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      cleanups.push(() => {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
      });
    }
    return tmp;
  };

  const fromRef = async (ref: string, name: "base" | "head"): Promise<Loaded> => {
    const root = tmpPath();
    const worktree = await addWorktree(cwd, ref, root, `${name}-src`, run);
    cleanups.push(worktree.remove);
    try {
      const stacks = loadStacks(await synthProject(worktree.projectDir, join(root, `${name}-out`), run, true));
      const notes = (await dependenciesDiffer(cwd, worktree.commit, undefined, run))
        ? [`${ref} was synthesized with the working tree's node_modules, but its package.json/package-lock.json differ: some changes may come from dependency versions.`]
        : [];
      return { stacks, label: `${ref} (${worktree.commit.slice(0, 8)})`, notes };
    } finally {
      worktree.remove();
    }
  };
  const fromWorkingTree = async (): Promise<Loaded> => {
    const stacks = loadStacks(await synthProject(cwd, join(tmpPath(), "head-out"), run));
    return { stacks, label: "working tree", notes: [] };
  };
  const fromDir = async (dir: string): Promise<Loaded> => ({ stacks: loadStacks(resolve(cwd, dir)), label: dir, notes: [] });

  try {
    const [base, head] = await Promise.all([
      options.baseDir !== undefined ? fromDir(options.baseDir) : fromRef(options.base as string, "base"),
      options.headDir !== undefined ? fromDir(options.headDir) : options.head !== undefined ? fromRef(options.head, "head") : fromWorkingTree(),
    ]);
    const notes = [...base.notes, ...head.notes];
    if (Object.keys(base.stacks).length === 0) notes.push(`the base (${base.label}) has no synthesized stacks`);
    if (Object.keys(head.stacks).length === 0) notes.push(`the head (${head.label}) has no synthesized stacks`);
    const report = buildReport(base.stacks, head.stacks, { base: base.label, head: head.label, notes });
    const text = options.format === "json" ? renderJson(report) : renderMarkdown(report);
    if (options.out !== undefined) {
      const file = resolve(cwd, options.out);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      stderr(`wrote ${file}: ${report.summary.risks.high} high / ${report.summary.risks.medium} medium risk(s)\n`);
    } else {
      stdout(text);
    }
    const failing = options.failOn === "high" ? report.summary.risks.high : options.failOn === "medium" ? report.summary.risks.high + report.summary.risks.medium : 0;
    return failing > 0 ? 3 : 0;
  } catch (e) {
    stderr(`synth-diff: ${(e as Error).message}\n`);
    return 1;
  } finally {
    cleanup();
  }
}
