/**
 * Renders a `DiffReport` as a pull-request comment (Markdown: risks first, then a summary table
 * per stack, the subnets whose address changes (IP plan before → after) when there are any, then
 * collapsed details) or as JSON (the report object itself). Pure.
 */
import { stackCounts } from "./report";
import type { AttributeChange, DiffReport, EntityChange, EntitySummary, RiskFlag, StackDiff } from "./types";

export interface MarkdownOptions {
  /** Longest value shown in a table cell before it is cut. */
  readonly maxValueLength?: number;
  /** Most attribute changes listed per entity. */
  readonly maxChangesPerEntity?: number;
  /** Size budget of the whole comment (GitHub rejects comments over 65,536 characters). */
  readonly maxChars?: number;
}

const DEFAULTS = { maxValueLength: 160, maxChangesPerEntity: 40, maxChars: 60_000 } as const;

/** Cuts a text to `max` characters, saying how much was left out. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, Math.max(0, max - 1))}… (+${value.length - max + 1} chars)`;
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Inline code that survives table cells (pipes, newlines, backticks). */
function code(value: string, max = DEFAULTS.maxValueLength as number): string {
  return `<code>${escapeHtml(truncate(value, max)).replace(/\|/g, "&#124;").replace(/\r?\n/g, "⏎")}</code>`;
}

/** A value as reviewers read it: JSON (strings quoted, lists compact), `(absent)` when unset. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "(absent)";
  return JSON.stringify(value) ?? String(value);
}

/** Plain text for table cells: pipes escaped, backtick spans kept, newlines flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

const ICON: Readonly<Record<RiskFlag["severity"], string>> = { high: "🔴 high", medium: "🟠 medium" };

function risksSection(report: DiffReport, maxValueLength: number): string[] {
  const lines = [`### ⚠️ Risks (${report.risks.length})`, ""];
  if (report.risks.length === 0) return [...lines, "No risky change found (deletions, replacements, renames, version jumps, IAM widening).", ""];
  lines.push("| Severity | Stack | Address | Risk |", "|---|---|---|---|");
  for (const risk of report.risks) {
    const details = (risk.details ?? []).slice(0, 8).map((d) => code(d, maxValueLength));
    const more = (risk.details?.length ?? 0) > 8 ? [`… ${(risk.details?.length ?? 0) - 8} more`] : [];
    const text = [cell(risk.message), ...details, ...more].join("<br>");
    lines.push(`| ${ICON[risk.severity]} | ${code(risk.stack)} | ${code(risk.address)} | ${text} |`);
  }
  return [...lines, ""];
}

function subnetsSection(report: DiffReport): string[] {
  if (report.subnets.length === 0) return [];
  const lines = [`### Subnets: IP plan before → after (${report.subnets.length})`, "", "| Stack | Subnet | AZ | Before | After | Change |", "|---|---|---|---|---|---|"];
  for (const s of report.subnets) {
    const az = s.azBefore !== undefined && s.azAfter !== undefined && s.azBefore !== s.azAfter ? `${s.azBefore} → ${s.azAfter}` : (s.azAfter ?? s.azBefore ?? "");
    const cidr = (v: string | undefined) => (v === undefined ? "_(none)_" : code(v));
    lines.push(`| ${code(s.stack)} | ${code(s.name ?? s.address)} | ${cell(az)} | ${cidr(s.before)} | ${cidr(s.after)} | ${s.status} |`);
  }
  return [...lines, ""];
}

function statusLabel(diff: StackDiff): string {
  return diff.status === "added" ? " (new stack)" : diff.status === "removed" ? " (stack removed)" : "";
}

function summarySection(report: DiffReport): string[] {
  const risksByStack = new Map<string, number>();
  for (const r of report.risks) risksByStack.set(r.stack, (risksByStack.get(r.stack) ?? 0) + 1);
  const changed = report.stacks.filter((s) => s.status !== "unchanged");
  const unchanged = report.stacks.filter((s) => s.status === "unchanged");
  const lines = ["### Summary", ""];
  if (changed.length === 0) lines.push("No stack changes.");
  else {
    lines.push("| Stack | + added | ~ changed | − removed | Risks |", "|---|--:|--:|--:|--:|");
    for (const s of changed) {
      const c = stackCounts(s);
      lines.push(`| ${code(s.stack)}${statusLabel(s)} | +${c.added} | ~${c.changed} | −${c.removed} | ${risksByStack.get(s.stack) ?? 0} |`);
    }
  }
  if (unchanged.length > 0) lines.push("", `Unchanged: ${unchanged.map((s) => code(s.stack)).join(", ")}`);
  return [...lines, ""];
}

function summaryItem(e: EntitySummary): string {
  return `- ${code(e.address)}${e.identity ? ` — ${code(e.identity)}` : ""}`;
}

function changeTable(changes: readonly AttributeChange[], options: Required<MarkdownOptions>): string[] {
  const lines = ["| Attribute | Old | New |", "|---|---|---|"];
  for (const c of changes.slice(0, options.maxChangesPerEntity)) {
    const note = c.note ? ` (${cell(truncate(c.note, 80))})` : "";
    const old = c.kind === "added" ? "_(absent)_" : code(formatValue(c.old), options.maxValueLength);
    const now = c.kind === "removed" ? "_(absent)_" : code(formatValue(c.new), options.maxValueLength);
    lines.push(`| ${code(c.path || "(whole value)")}${note} | ${old} | ${now} |`);
  }
  if (changes.length > options.maxChangesPerEntity) {
    lines.push(`| … ${changes.length - options.maxChangesPerEntity} more (see \`--format json\`) | | |`);
  }
  return lines;
}

/** How a changed resource is applied, after its address in the details. */
const REPLACE_NOTE: Readonly<Record<NonNullable<EntityChange["replace"]> | "update", string>> = {
  update: "",
  certain: " — **replaced** (destroyed and created again)",
  possible: " — **may be replaced** (a force-new attribute takes a value known at plan time)",
};

function stackDetails(diff: StackDiff, options: Required<MarkdownOptions>): string[] {
  const c = stackCounts(diff);
  const lines = ["<details>", `<summary>${code(diff.stack)}${statusLabel(diff)}: +${c.added} ~${c.changed} −${c.removed}</summary>`, ""];
  if (diff.added.length > 0) lines.push("**+ Added**", "", ...diff.added.map(summaryItem), "");
  if (diff.removed.length > 0) lines.push("**− Removed**", "", ...diff.removed.map(summaryItem), "");
  if (diff.forgotten.length > 0) lines.push("**⊘ Forgotten** (removed from the state by a `removed` block, not destroyed)", "", ...diff.forgotten.map(summaryItem), "");
  if (diff.renamed.length > 0) {
    lines.push("**↻ Probably renamed** (destroy + create unless state is moved)", "");
    for (const r of diff.renamed) {
      lines.push(`- ${code(r.from)} → ${code(r.to)} (matched on ${cell(r.matchedOn)})`);
      if (r.changes.length > 0) lines.push("", ...changeTable(r.changes, options), "");
    }
    lines.push("");
  }
  if (diff.changed.length > 0) {
    lines.push("**~ Changed**", "");
    for (const e of diff.changed) {
      lines.push(`${code(e.address)}${e.movedFrom ? ` (moved from ${code(e.movedFrom)})` : ""}${REPLACE_NOTE[e.replace ?? "update"]}`, "");
      lines.push(...(e.changes.length > 0 ? changeTable(e.changes, options) : ["(address moved, no attribute change)"]), "");
    }
  }
  return [...lines, "</details>", ""];
}

/** The pull-request comment: risks, summary, then one collapsed block per changed stack. */
export function renderMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const opts: Required<MarkdownOptions> = { ...DEFAULTS, ...options };
  const s = report.summary;
  const head = [
    `## Synth diff ${code(report.base)} → ${code(report.head)}`,
    "",
    `${s.stacksChanged} of ${s.stacks} stack(s) changed: **+${s.added} ~${s.changed} −${s.removed}** · ` +
      `**${s.risks.high}** high and **${s.risks.medium}** medium risk(s)`,
    "",
    ...report.notes.flatMap((n) => [`> **Note:** ${cell(n)}`, ""]),
    ...risksSection(report, opts.maxValueLength),
    ...summarySection(report),
    ...subnetsSection(report),
  ];
  let out = head.join("\n");
  const changed = report.stacks.filter((st) => st.status !== "unchanged");
  if (changed.length === 0) return `${out}\n`;
  out += "\n### Details\n\n";
  let omitted = 0;
  for (const diff of changed) {
    const block = stackDetails(diff, opts).join("\n");
    if (omitted > 0 || out.length + block.length > opts.maxChars) omitted++;
    else out += `${block}\n`;
  }
  if (omitted > 0) out += `_Details of ${omitted} stack(s) omitted to fit a comment; run with \`--format json\` for everything._\n`;
  return out;
}

/** The JSON output: the report object, indented. */
export function renderJson(report: DiffReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
