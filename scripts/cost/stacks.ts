/**
 * Synthesizes environments in-process into a temporary folder and reads the stacks back (the same
 * `synthesizePlatform` as `npm run synth`: validation, guardrails, then the Terraform JSON; the
 * user's `cdktf.out` is never touched). Shared by `npm run cost` and `npm run upgrade-plan`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAllocations } from "../../environments/ip-allocations";
import { EXIT, synthesizePlatform } from "../../stacks/synthesize";
import { loadStacks } from "../diff/load";
import type { StackSet } from "../diff/types";

/**
 * The synthesized stacks of `environments` (names) built from `inputs` (every environment input,
 * as `environments/index.ts` exports them).
 * @throws Error with every problem synthesis reported when the configuration is invalid
 */
export function synthesizeStacks(inputs: readonly unknown[], environments: readonly string[], projectDir: string = process.cwd()): StackSet {
  const outdir = mkdtempSync(join(tmpdir(), "platform-synth-"));
  const problems: string[] = [];
  try {
    const code = synthesizePlatform(inputs, { outdir, report: (m) => problems.push(m), environments, allocations: loadAllocations(projectDir) });
    if (code !== EXIT.ok) throw new Error(problems.join("\n") || `synthesis failed (exit ${code})`);
    return loadStacks(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
