/**
 * Synth-scaling probe of `npm run bench` (not a test, not run in CI). Run it the way `npm run synth`
 * runs main.ts, through the cached esbuild bundle:
 *
 *   node scripts/run-ts.cjs scripts/bench-synth-n.ts <N> [--from dev[,prd,...]] [--env <name>]
 *
 * Generates N valid environments (scripts/fleet.ts, cloned alternately from `--from`, default every
 * real environment) and runs `synthesizePlatform` on them exactly as main.ts does: every environment
 * validated, the stacks of all of them (or of `--env` only, with its account's bootstrap stack)
 * built, guardrails checked, synthesized into `CDKTF_OUTDIR` (a fresh temp dir, removed afterwards,
 * when unset).
 * Prints one JSON line: the number of environments and of stacks written and the time of each
 * phase (ms). Exits with synthesizePlatform's code.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environments } from "../environments";
import { synthesizePlatform, SynthPhase } from "../stacks/synthesize";
import { cloneEnvironments } from "./fleet";

function main(argv: readonly string[]): number {
  const n = Number(argv[0]);
  const option = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] ?? "" : undefined;
  };
  const names = option("--from")?.split(",").filter(Boolean) ?? environments.map((e) => e.name);
  const sources = names.map((sourceName) => {
    const env = environments.find((e) => e.name === sourceName);
    if (!env) throw new Error(`unknown environment ${sourceName}; known: ${environments.map((e) => e.name).join(", ")}`);
    return env;
  });
  const selected = option("--env");

  const ownOutdir = process.env.CDKTF_OUTDIR === undefined;
  const outdir = process.env.CDKTF_OUTDIR ?? mkdtempSync(join(tmpdir(), "eks-idp-synth-n-"));
  try {
    const ms: Partial<Record<SynthPhase | "total", number>> = {};
    const code = synthesizePlatform(cloneEnvironments(n, sources), {
      outdir,
      report: (message) => process.stderr.write(`${message}\n`),
      environments: selected === undefined ? undefined : [selected],
      onPhase: (phase, duration) => {
        ms[phase] = Math.round(duration);
      },
    });
    if (code !== 0) return code;
    ms.total = Object.values(ms).reduce((a, b) => a + b, 0);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: object };
    const result = { environments: n, from: names, selected: selected ?? null, stacks: Object.keys(manifest.stacks).length, ms };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    if (ownOutdir) rmSync(outdir, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
