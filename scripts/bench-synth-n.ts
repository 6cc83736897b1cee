/**
 * Synth-scaling probe of `npm run bench` (not a test, not run in CI):
 *
 *   tsx scripts/bench-synth-n.ts <N> [--from dev[,prd,...]]
 *
 * Builds N valid environments by cloning real ones (default: `dev`), validates them with
 * `validatePlatform`, builds every stack with `buildPlatform`, checks the guardrails and synthesizes
 * into `CDKTF_OUTDIR` (a fresh temp dir, removed afterwards, when unset) exactly as `main.ts` does.
 * Prints one JSON line: the number of environments and stacks and the time of each phase (ms).
 *
 * Clones are named `e01`, `e02`, ... with VPC `10.<i>.0.0/16`; their DNS names and tags follow the
 * new name. With several sources (`--from dev,prd`) the clones alternate between them (each keeps
 * its source's stage and account) and all run the oldest source's Kubernetes version, so the
 * promotion order stays valid.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { App, TerraformStack } from "cdktf";
import { environments } from "../environments";
import type { EnvironmentInput } from "../environments/schema";
import { validatePlatform } from "../environments/validate";
import { assertGuardrails } from "../modules/guardrails/guardrails";
import { buildPlatform } from "../stacks/platform";

/** The most clones: one /16 per clone inside 10.0.0.0/8, leaving 10.0.0.0/16 out. */
export const MAX_ENVIRONMENTS = 200;

/** N environments cloned from `sources` (alternating), valid together. */
export function cloneEnvironments(n: number, sources: readonly EnvironmentInput[]): EnvironmentInput[] {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ENVIRONMENTS) {
    throw new Error(`N must be an integer from 1 to ${MAX_ENVIRONMENTS}, got ${n}`);
  }
  if (sources.length === 0) throw new Error("at least one source environment is needed");
  const version = sources
    .map((s) => s.cluster.kubernetesVersion)
    .reduce((a, b) => (minor(b) < minor(a) ? b : a));
  return Array.from({ length: n }, (_, index) => {
    const source = sources[index % sources.length]!;
    const name = `e${String(index + 1).padStart(2, "0")}`;
    const env = structuredClone(source) as EnvironmentInput & Record<string, unknown>;
    const rename = (text: string): string => renameLabel(text, source.name, name);
    env.name = name;
    env.network.vpcCidr = `10.${index + 1}.0.0/16`;
    env.cluster.kubernetesVersion = version;
    if (env.tags) env.tags = Object.fromEntries(Object.entries(env.tags).map(([k, v]) => [k, rename(v)]));
    env.addons.auth.hostname = rename(env.addons.auth.hostname);
    if (env.addons.dns) env.addons.dns.domain = rename(env.addons.dns.domain);
    return env;
  });
}

/** Replaces `from` where it is a whole `.`- or `-`-separated label of `text`. */
function renameLabel(text: string, from: string, to: string): string {
  return text
    .split(".")
    .map((label) => label.split("-").map((part) => (part === from ? to : part)).join("-"))
    .join(".");
}

function minor(version: string): number {
  return Number(version.split(".")[1]);
}

function main(argv: readonly string[]): void {
  const n = Number(argv[0]);
  const fromIndex = argv.indexOf("--from");
  const names = (fromIndex >= 0 ? argv[fromIndex + 1] ?? "" : "dev").split(",").filter(Boolean);
  const sources = names.map((sourceName) => {
    const env = environments.find((e) => e.name === sourceName);
    if (!env) throw new Error(`unknown environment ${sourceName}; known: ${environments.map((e) => e.name).join(", ")}`);
    return env;
  });

  const t0 = performance.now();
  const envs = validatePlatform(cloneEnvironments(n, sources));
  const t1 = performance.now();
  const ownOutdir = process.env.CDKTF_OUTDIR === undefined;
  const outdir = process.env.CDKTF_OUTDIR ?? mkdtempSync(join(tmpdir(), "eks-idp-synth-n-"));
  try {
    const app = new App({ outdir });
    buildPlatform(app, envs);
    const t2 = performance.now();
    assertGuardrails(app);
    const t3 = performance.now();
    app.synth();
    const t4 = performance.now();
    const round = (ms: number): number => Math.round(ms);
    const result = {
      environments: envs.length,
      from: names,
      stacks: app.node.children.filter((c) => TerraformStack.isStack(c)).length,
      ms: { validate: round(t1 - t0), build: round(t2 - t1), guardrails: round(t3 - t2), synth: round(t4 - t3), total: round(t4 - t0) },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (ownOutdir) rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) main(process.argv.slice(2));
