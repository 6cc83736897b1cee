/**
 * Runs the rule pack over a stack's resolved Terraform JSON. Suppressions travel with the resource
 * in its `//` metadata (`//.guardrails.suppressions`), so reviewers see every one in the
 * synthesized JSON. Pure: no cdktf.
 */
import { CheckovId, Rule, RULES } from "./rules";
import { resourcesOf, StackJson } from "./terraform-json";

/** A suppression of one rule on one resource, with the reason a reviewer reads. */
export interface Suppression {
  readonly rule: string;
  readonly reason: string;
  /** The checkov checks the rule covers, recorded with the suppression for reviewers (`suppress` adds them). */
  readonly checkov?: readonly string[];
}

/** A suppression as found in a stack: which resource, which rule (and checkov checks), why. */
export interface SuppressionRecord extends Suppression {
  /** Construct path of the resource. */
  readonly path: string;
  /** Terraform address of the resource. */
  readonly address: string;
}

/** One rule broken by one resource. */
export interface Violation {
  readonly rule: string;
  /** The checkov checks the rule covers (none for the suppression-format check). */
  readonly checkov: readonly CheckovId[];
  /** Construct path of the offending resource. */
  readonly path: string;
  /** Terraform address of the offending resource. */
  readonly address: string;
  readonly message: string;
  readonly fix: string;
}

/** The suppressions recorded on a resource config. */
export function suppressionsOf(config: Record<string, any>): Suppression[] {
  const list = config["//"]?.guardrails?.suppressions;
  return Array.isArray(list) ? list : [];
}

/**
 * Every violation in a stack, sorted by path then rule. Suppressed findings are left out; a
 * suppression without a reason, or naming an unknown rule, is itself a violation.
 */
export function evaluate(stack: StackJson, stage: "prod" | "nonprod", rules: readonly Rule[] = RULES): Violation[] {
  const resources = resourcesOf(stack);
  const violations: Violation[] = [];
  const known = new Set(rules.map((r) => r.id));
  for (const resource of resources) {
    for (const s of suppressionsOf(resource.config)) {
      if (!known.has(s.rule) || typeof s.reason !== "string" || s.reason.trim().length < 10) {
        violations.push({
          rule: "GUARDRAIL-SUPPRESSION",
          checkov: [],
          path: resource.path,
          address: resource.address,
          message: `suppression of "${s.rule}" must name a known rule and give a reason`,
          fix: "suppress(construct, ruleId, reason) with a real rule id and a sentence of reason",
        });
      }
    }
  }
  for (const rule of rules) {
    for (const { resource, message } of rule.check({ resources, stage })) {
      if (suppressionsOf(resource.config).some((s) => s.rule === rule.id)) continue;
      violations.push({ rule: rule.id, checkov: rule.checkov, path: resource.path, address: resource.address, message, fix: rule.fix });
    }
  }
  return violations.sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule));
}

/**
 * Every suppression recorded in a stack, sorted by path then rule, with the checkov checks of its
 * rule (from the rule pack, so a suppression written by hand shows them too).
 */
export function suppressionsIn(stack: StackJson, rules: readonly Rule[] = RULES): SuppressionRecord[] {
  const checkovOf = new Map(rules.map((r) => [r.id, r.checkov]));
  return resourcesOf(stack)
    .flatMap((r) => suppressionsOf(r.config).map((s) => ({ rule: s.rule, checkov: checkovOf.get(s.rule) ?? [], reason: s.reason, path: r.path, address: r.address })))
    .sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule));
}

/** `RULE` or `RULE ~ CKV_AWS_1, CKV2_AWS_2`: the rule id with the checkov checks it answers. */
export function ruleLabel(rule: string, checkov: readonly string[] = []): string {
  return checkov.length > 0 ? `${rule} ~ ${checkov.join(", ")}` : rule;
}

/** One line per suppression, for reviewers: rule (checkov checks), resource, reason. */
export function formatSuppressions(suppressions: readonly SuppressionRecord[]): string {
  return suppressions.map((s) => `  - [${ruleLabel(s.rule, s.checkov)}] ${s.path} (${s.address}): ${s.reason}`).join("\n");
}

/** The one error message listing every violation. */
export function formatViolations(violations: readonly Violation[]): string {
  const lines = violations.map((v) => `  - [${ruleLabel(v.rule, v.checkov)}] ${v.path} (${v.address}): ${v.message}. Fix: ${v.fix}`);
  return `Guardrails failed (${violations.length} violation${violations.length === 1 ? "" : "s"}); nothing was synthesized:\n${lines.join("\n")}`;
}
