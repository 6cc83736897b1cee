import { Aspects, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { evaluate, formatViolations, ruleLabel, Suppression, Violation } from "./engine";
import { RULES } from "./rules";

/** Thrown by `assertGuardrails` with every violation of every stack. */
export class GuardrailViolationError extends Error {
  constructor(readonly violations: readonly Violation[]) {
    super(formatViolations(violations));
    this.name = "GuardrailViolationError";
  }
}

const STAGE = new WeakMap<TerraformStack, "prod" | "nonprod">();
/** Stacks `assertGuardrails` found clean; the Aspect need not evaluate them again during synth. */
const CHECKED_CLEAN = new WeakSet<TerraformStack>();

/**
 * The guardrails as an Aspect: on synthesis, each violation becomes a validation error of the
 * offending construct, so `synth` (with validations on) fails with the path and rule id of every
 * violation.
 */
export class Guardrails implements IAspect {
  constructor(private readonly stage: "prod" | "nonprod") {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack) || CHECKED_CLEAN.has(node)) return;
    for (const v of evaluate(node.toTerraform(), this.stage)) {
      const target = node.node.findAll().find((c) => c.node.path === v.path) ?? node;
      const message = `[${ruleLabel(v.rule, v.checkov)}] ${v.message}. Fix: ${v.fix}`;
      target.node.addValidation({ validate: () => [message] });
    }
  }
}

/** Applies the guardrails to a stack (once). */
export function applyGuardrails(stack: TerraformStack, stage: "prod" | "nonprod"): void {
  if (STAGE.has(stack)) return;
  STAGE.set(stack, stage);
  Aspects.of(stack).add(new Guardrails(stage));
}

/** Every violation in every stack of `app` that has guardrails applied. */
export function findViolations(app: Construct): Violation[] {
  return guardedStacks(app).flatMap((stack) => evaluate(stack.toTerraform(), STAGE.get(stack)!));
}

function guardedStacks(app: Construct): TerraformStack[] {
  return app.node.findAll().filter((c): c is TerraformStack => c instanceof TerraformStack && STAGE.has(c));
}

/**
 * Checks every stack before anything is written: throws one error listing every violation of the
 * whole platform.
 */
export function assertGuardrails(app: Construct): void {
  const violations = findViolations(app);
  if (violations.length > 0) throw new GuardrailViolationError(violations);
  for (const stack of guardedStacks(app)) CHECKED_CLEAN.add(stack);
}

/**
 * Suppresses one rule on a construct's resources (the construct and everything below it), with the reason reviewers will read in the
 * synthesized JSON (`//.guardrails.suppressions`, each entry with the checkov checks the rule covers).
 */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  const rule = RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`unknown guardrail rule "${ruleId}"`);
  if (reason.trim().length < 10) throw new Error(`a suppression of ${ruleId} needs a reason`);
  const elements = construct.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource);
  for (const element of elements) {
    const existing = SUPPRESSIONS.get(element) ?? [];
    existing.push({ rule: ruleId, reason, checkov: [...rule.checkov] });
    SUPPRESSIONS.set(element, existing);
    element.addOverride("//.guardrails.suppressions", [...existing]);
  }
}

const SUPPRESSIONS = new WeakMap<TerraformResource, Suppression[]>();
