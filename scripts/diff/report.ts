/**
 * Builds the diff report of two revisions' synthesized stacks: structural diff + risk flags.
 * Pure; the CLI feeds it the stacks read from disk, the tests feed it objects.
 */
import { compareStacks } from "./compare";
import { sortRisks, stackRisks } from "./risk";
import type { DiffReport, StackCounts, StackDiff, StackSet } from "./types";

export interface ReportOptions {
  /** How the base is named in the report (a git ref, a directory). */
  readonly base?: string;
  /** How the head is named in the report. */
  readonly head?: string;
  /** Caveats to print at the top. */
  readonly notes?: readonly string[];
}

/** Counts as `terraform plan` would show them: a probable rename is one destroy and one create. */
export function stackCounts(diff: StackDiff): StackCounts {
  const renamedResources = diff.renamed.filter((r) => r.kind === "resource").length;
  return {
    added: diff.added.length + renamedResources,
    changed: diff.changed.length,
    removed: diff.removed.length + renamedResources,
  };
}

export function buildReport(base: StackSet, head: StackSet, options: ReportOptions = {}): DiffReport {
  const comparisons = compareStacks(base, head);
  const stacks = comparisons.map((c) => c.diff);
  const risks = sortRisks(comparisons.flatMap(stackRisks));
  const counts = stacks.map(stackCounts);
  return {
    base: options.base ?? "base",
    head: options.head ?? "head",
    notes: [...(options.notes ?? [])],
    summary: {
      stacks: stacks.length,
      stacksChanged: stacks.filter((s) => s.status !== "unchanged").length,
      added: counts.reduce((n, c) => n + c.added, 0),
      changed: counts.reduce((n, c) => n + c.changed, 0),
      removed: counts.reduce((n, c) => n + c.removed, 0),
      risks: { high: risks.filter((r) => r.severity === "high").length, medium: risks.filter((r) => r.severity === "medium").length },
    },
    risks,
    stacks,
  };
}
