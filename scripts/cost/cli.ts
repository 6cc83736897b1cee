/**
 * `npm run cost -- <env> [--json] [--base <git-ref>]`: the monthly cost estimate of one environment
 * from its synthesized stacks and the pinned price table, itemized per stack and resource, with every
 * assumption. With `--base`, the delta between the base revision and the working tree (markdown, for
 * the pull-request comment). Exit codes: 0 done, 1 estimate impossible (missing prices, synth
 * failed), 2 usage error.
 */
import { environments } from "../../environments";
import { addWorktree, type Runner, spawnRunner, synthProject, tempRoot } from "../diff/synth";
import { loadStacks } from "../diff/load";
import type { StackSet } from "../diff/types";
import { type CostItem, type CostReport, estimateCost, type MonthlyRange } from "./estimate";
import { synthesizeStacks } from "./stacks";

export const USAGE = `Usage: npm run cost -- <env> [--json] [--base <git-ref>]

Monthly cost estimate (USD, on-demand list prices pinned in scripts/cost/data/prices.ts) of the
environment's synthesized stacks, at min and at max scale, with every assumption. Offline.
  --json          print {"env","currency","monthly":{"min","max"},"items":[...],"assumptions":[...]}
  --base <ref>    also synthesize <ref> (temporary git worktree) and print the delta to the working tree
  -h, --help      this text`;

export interface CostOptions {
  readonly env: string;
  readonly json: boolean;
  readonly base?: string;
}

/** Parses the arguments; throws a usage error message. */
export function parseCostArgs(argv: readonly string[]): CostOptions | "help" {
  let env: string | undefined;
  let json = false;
  let base: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--json") json = true;
    else if (arg === "--base" || arg.startsWith("--base=")) {
      base = arg === "--base" ? argv[++i] : arg.slice("--base=".length);
      if (base === undefined || base === "" || base.startsWith("--")) throw new Error("--base needs a git revision");
    } else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else if (env === undefined) env = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (env === undefined) throw new Error("name the environment");
  return { env, json, ...(base !== undefined ? { base } : {}) };
}

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const range = (m: MonthlyRange) => (m.min === m.max ? usd(m.min) : `${usd(m.min)} – ${usd(m.max)}`);
const signed = (n: number) => `${n < 0 ? "-" : "+"}${usd(Math.abs(n))}`;

/** The estimate as text: one line per item, grouped by stack, then the total and the assumptions. */
export function renderCost(report: CostReport): string {
  const lines = [`Monthly cost estimate of ${report.env} (${report.region}, ${report.currency}): ${range(report.monthly)} (min – max scale)`, ""];
  for (const stack of [...new Set(report.items.map((i) => i.stack))]) {
    const items = report.items.filter((i) => i.stack === stack);
    const total = { min: items.reduce((s, i) => s + i.monthly.min, 0), max: items.reduce((s, i) => s + i.monthly.max, 0) };
    lines.push(`${stack}: ${range(total)}`);
    for (const i of items) lines.push(`  ${range(i.monthly).padStart(21)}  ${i.description}  [${i.resource}]`);
    lines.push("");
  }
  lines.push("Assumptions:", ...report.assumptions.map((a) => `  - ${a}`));
  return `${lines.join("\n")}\n`;
}

/** Items added, removed or changed between two estimates (by stack, resource and description). */
export function costDelta(base: CostReport, head: CostReport): { readonly monthly: MonthlyRange; readonly changes: readonly { change: "+" | "-" | "~"; item: CostItem; delta: MonthlyRange }[] } {
  const key = (i: CostItem) => `${i.stack}\u0000${i.resource}\u0000${i.description}`;
  const before = new Map(base.items.map((i) => [key(i), i]));
  const after = new Map(head.items.map((i) => [key(i), i]));
  const diff = (a: MonthlyRange, b: MonthlyRange): MonthlyRange => ({ min: Math.round((b.min - a.min) * 100) / 100, max: Math.round((b.max - a.max) * 100) / 100 });
  const zero = { min: 0, max: 0 };
  const changes: { change: "+" | "-" | "~"; item: CostItem; delta: MonthlyRange }[] = [];
  for (const [k, i] of after) {
    const old = before.get(k);
    if (old === undefined) changes.push({ change: "+", item: i, delta: diff(zero, i.monthly) });
    else if (old.monthly.min !== i.monthly.min || old.monthly.max !== i.monthly.max) changes.push({ change: "~", item: i, delta: diff(old.monthly, i.monthly) });
  }
  for (const [k, i] of before) if (!after.has(k)) changes.push({ change: "-", item: i, delta: diff(i.monthly, zero) });
  return { monthly: diff(base.monthly, head.monthly), changes };
}

/** The delta as markdown (the pull-request comment section). */
export function renderDelta(base: CostReport, head: CostReport, baseLabel: string): string {
  const { monthly, changes } = costDelta(base, head);
  const lines = [
    `### Cost estimate of ${head.env} (${head.currency}/month)`,
    "",
    `| | min | max |`,
    `|---|---:|---:|`,
    `| base (${baseLabel}) | ${usd(base.monthly.min)} | ${usd(base.monthly.max)} |`,
    `| this change | ${usd(head.monthly.min)} | ${usd(head.monthly.max)} |`,
    `| delta | ${signed(monthly.min)} | ${signed(monthly.max)} |`,
    "",
  ];
  if (changes.length === 0) lines.push("No priced resource changed.");
  else {
    lines.push("| | stack | item | delta min | delta max |", "|---|---|---|---:|---:|");
    for (const c of changes) lines.push(`| ${c.change} | ${c.item.stack} | ${c.item.description} | ${signed(c.delta.min)} | ${signed(c.delta.max)} |`);
  }
  lines.push("", "Assumptions: " + head.assumptions.join("; "));
  return `${lines.join("\n")}\n`;
}

export interface CostIo {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly cwd?: string;
  readonly runner?: Runner;
  /** Synthesizes the working tree's stacks of an environment. @default - in-process synthesis */
  readonly synth?: (env: string) => StackSet;
}

/** Runs the command; returns the exit code. */
export async function runCostCli(argv: readonly string[], io: CostIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const cwd = io.cwd ?? process.cwd();
  let options: CostOptions | "help";
  try {
    options = parseCostArgs(argv);
  } catch (e) {
    stderr(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === "help") {
    stdout(`${USAGE}\n`);
    return 0;
  }
  const { env, json, base } = options as CostOptions;
  const synth = io.synth ?? ((name: string) => synthesizeStacks(environments, [name], cwd));
  try {
    const head = estimateCost(synth(env), env);
    if (base === undefined) {
      stdout(json ? `${JSON.stringify({ env: head.env, currency: head.currency, monthly: head.monthly, items: head.items, assumptions: head.assumptions }, null, 2)}\n` : renderCost(head));
      return 0;
    }
    const root = tempRoot();
    try {
      const run = io.runner ?? spawnRunner;
      const withEnv: Runner = (command, args, opts) => run(command, args, { ...opts, env: { ...(opts.env ?? process.env), PLATFORM_ENV: env } });
      const worktree = await addWorktree(cwd, base, root.path, "base-src", run);
      try {
        const baseReport = estimateCost(loadStacks(await synthProject(worktree.projectDir, `${root.path}/base-out`, withEnv, true)), env);
        const label = `${base} (${worktree.commit.slice(0, 8)})`;
        stdout(json ? `${JSON.stringify({ env, currency: "USD", base: { ref: label, monthly: baseReport.monthly }, head: { monthly: head.monthly }, ...costDelta(baseReport, head) }, null, 2)}\n` : renderDelta(baseReport, head, label));
      } finally {
        worktree.remove();
      }
    } finally {
      root.dispose();
    }
    return 0;
  } catch (e) {
    stderr(`cost: ${(e as Error).message}\n`);
    return 1;
  }
}
