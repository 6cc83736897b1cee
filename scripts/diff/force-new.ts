/**
 * Which attribute changes make Terraform destroy and recreate a resource: `ForceNew` in an SDKv2
 * provider schema, a `RequiresReplace` plan modifier in a plugin-framework provider, a
 * `RequiresReplace` path returned by a low-level provider's plan, and resources without an Update
 * function (every argument forces a new resource). The facts, with where each was read, are in
 * `data/force-new-table.ts`; this module applies them to two bodies of a resource. Pure.
 */
import { canonical, hasToken, isPlainObject, isScalar, valuesAt } from "./normalize";
import { substituteReferences } from "./compare";
import { FORCE_NEW_TABLE, type ForceNewRule } from "./data/force-new-table";

export type { ForceNewRule } from "./data/force-new-table";

/** The force-new facts by resource type (every type the stacks synthesize has an entry). */
export const FORCE_NEW: Readonly<Record<string, ForceNewRule>> = FORCE_NEW_TABLE;

/**
 * Terraform meta-arguments and blocks that live in the configuration, not in the provider schema:
 * a change to them never replaces the resource by itself (`timeouts` is a provider block that is
 * never force-new).
 */
export const META_ARGUMENTS: readonly string[] = ["count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection", "timeouts"];

/** A force-new attribute whose value changes. */
export interface ForceNewChange {
  readonly attribute: string;
  readonly old: unknown;
  readonly new: unknown;
  /** The old or new value is a Terraform expression: the real values are known at plan time. */
  readonly reference: boolean;
}

function comparable(value: unknown, isSet: boolean): string {
  if (isSet && Array.isArray(value) && value.every(isScalar)) return canonical([...value].map((v) => canonical(v)).sort());
  return canonical(value);
}

/**
 * `lifecycle.ignore_changes` of a body as dotted attribute paths (`scaling_config[0].desired_size`
 * → `scaling_config.desired_size`); `["all"]` when every attribute is ignored.
 */
export function ignoredPaths(body: unknown): string[] {
  const raw = valuesAt(body, ["lifecycle", "ignore_changes"]);
  if (raw === "all") return ["all"];
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((v): v is string => typeof v === "string")
    .map((v) => v.replace(/\[(\d+|"[^"]*")\]/g, "").replace(/^\s+|\s+$/g, ""));
}

function isIgnored(attribute: string, ignored: readonly string[]): boolean {
  return ignored.some((p) => p === "all" || attribute === p || attribute.startsWith(`${p}.`));
}

/** Top-level arguments of a body that a provider receives (meta-arguments left out). */
function argumentsOf(body: unknown): string[] {
  return isPlainObject(body) ? Object.keys(body).filter((k) => !META_ARGUMENTS.includes(k)) : [];
}

/**
 * The force-new attributes that change between two normalised bodies of a resource, as Terraform
 * would plan them: references to renamed entities are rewritten first (a renamed data source is
 * not a new subnet), and attributes under the head's `lifecycle.ignore_changes` are skipped.
 */
export function forceNewChanges(
  type: string,
  oldBody: unknown,
  newBody: unknown,
  renames: ReadonlyMap<string, string> = new Map(),
): ForceNewChange[] {
  const rule = FORCE_NEW[type];
  if (!rule) return [];
  const before = substituteReferences(oldBody, renames);
  const ignored = ignoredPaths(newBody);
  const attributes = rule.noUpdate
    ? [...new Set([...argumentsOf(before), ...argumentsOf(newBody)])].sort()
    : rule.attributes;
  const result: ForceNewChange[] = [];
  for (const attribute of attributes) {
    if (isIgnored(attribute, ignored)) continue;
    const path = attribute.split(".");
    const oldValue = valuesAt(before, path);
    const newValue = valuesAt(newBody, path);
    const isSet = rule.sets?.includes(attribute) ?? false;
    if (comparable(oldValue, isSet) === comparable(newValue, isSet)) continue;
    result.push({ attribute, old: valuesAt(oldBody, path), new: newValue, reference: hasToken(oldValue) || hasToken(newValue) });
  }
  for (const attribute of rule.whenRemoved ?? []) {
    if (isIgnored(attribute, ignored)) continue;
    const path = attribute.split(".");
    const oldValue = valuesAt(before, path);
    const newValue = valuesAt(newBody, path);
    if (oldValue !== undefined && newValue === undefined) result.push({ attribute, old: oldValue, new: undefined, reference: false });
  }
  return result;
}

/** How sure the report is that a changed resource is replaced. */
export type Replacement = "certain" | "possible";

/**
 * `certain` when a force-new attribute changes to another literal value, `possible` when only
 * references change (the values are known at plan time), `undefined` for an in-place update.
 */
export function replacementOf(changes: readonly ForceNewChange[]): Replacement | undefined {
  if (changes.length === 0) return undefined;
  return changes.every((c) => c.reference) ? "possible" : "certain";
}
