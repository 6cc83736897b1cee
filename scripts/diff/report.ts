/**
 * Builds the diff report of two revisions' synthesized stacks: structural diff + risk flags.
 * Pure; the CLI feeds it the stacks read from disk, the tests feed it objects.
 */
import { compareStacks, type StackComparison } from "./compare";
import { FORCE_NEW, forceNewChanges, replacementOf } from "./force-new";
import { sortRisks, stackRisks } from "./risk";
import { subnetChanges } from "./subnets";
import type { DiffReport, EntityChange, StackCounts, StackDiff, StackSet } from "./types";

export interface ReportOptions {
  /** How the base is named in the report (a git ref, a directory). */
  readonly base?: string;
  /** How the head is named in the report. */
  readonly head?: string;
  /** Caveats to print at the top. */
  readonly notes?: readonly string[];
}

/**
 * Counts as `terraform plan` would show them: a probable rename and a certain replacement are one
 * destroy and one create, not a change.
 */
export function stackCounts(diff: StackDiff): StackCounts {
  const renamedResources = diff.renamed.filter((r) => r.kind === "resource").length;
  const replaced = diff.changed.filter((c) => c.replace === "certain").length;
  return {
    added: diff.added.length + renamedResources + replaced,
    changed: diff.changed.length - replaced,
    removed: diff.removed.length + renamedResources + replaced,
  };
}

/** The stack diff with each changed resource marked as replaced where a force-new attribute changes. */
export function withReplacements(cmp: StackComparison): StackDiff {
  const mark = (change: EntityChange): EntityChange => {
    const before = cmp.base.get(change.movedFrom ?? change.address);
    const after = cmp.head.get(change.address);
    if (change.kind !== "resource" || !before || !after || after.type === undefined) return change;
    const replace = replacementOf(forceNewChanges(after.type, before.body, after.body, cmp.renames));
    return replace === undefined ? change : { ...change, replace };
  };
  return { ...cmp.diff, changed: cmp.diff.changed.map(mark) };
}

/**
 * A caveat naming the changed resource types the force-new table does not know: their changes
 * are shown as updates although some may be replacements.
 */
export function unknownTypesNote(stacks: readonly StackDiff[]): string | undefined {
  const unknown = [...new Set(stacks.flatMap((s) => s.changed.filter((c) => c.kind === "resource" && c.type !== undefined && !FORCE_NEW[c.type]).map((c) => c.type as string)))].sort();
  if (unknown.length === 0) return undefined;
  return `no force-new facts for ${unknown.join(", ")}: their changes are shown as updates, but some may replace the resource (add the type to scripts/diff/data/force-new-table.ts from the provider source)`;
}

export function buildReport(base: StackSet, head: StackSet, options: ReportOptions = {}): DiffReport {
  const comparisons = compareStacks(base, head);
  const stacks = comparisons.map(withReplacements);
  const risks = sortRisks(comparisons.flatMap(stackRisks));
  const counts = stacks.map(stackCounts);
  return {
    base: options.base ?? "base",
    head: options.head ?? "head",
    notes: [...(options.notes ?? []), ...[unknownTypesNote(stacks)].filter((n): n is string => n !== undefined)],
    summary: {
      stacks: stacks.length,
      stacksChanged: stacks.filter((s) => s.status !== "unchanged").length,
      added: counts.reduce((n, c) => n + c.added, 0),
      changed: counts.reduce((n, c) => n + c.changed, 0),
      removed: counts.reduce((n, c) => n + c.removed, 0),
      risks: { high: risks.filter((r) => r.severity === "high").length, medium: risks.filter((r) => r.severity === "medium").length },
    },
    risks,
    subnets: subnetChanges(base, head),
    stacks,
  };
}
