/**
 * What can still be checked in an environment with schema errors. The environment's fields (and the
 * fields of its sections such as `network`, `cluster` and `addons`) are parsed one by one; each rule
 * declares the fields it reads and runs when they all parsed, so one run reports the schema errors
 * and every problem the rest of the environment has.
 */
import { z } from "zod";

/** A field path at most two levels deep: `region`, `cluster.access`, `addons.backup`. */
export type FieldPath = string;

/** An environment parsed field by field. */
export interface FieldParse {
  /** The parsed fields (defaults filled in); a field that failed is absent. */
  readonly value: Record<string, unknown>;
  /** Paths that parsed, a section included when all its fields did. */
  readonly parsed: ReadonlySet<FieldPath>;
}

/**
 * Parses each field of `schema` on its own, and each field of a field that is itself an object
 * schema, one level down. Unknown keys are ignored here (the whole-schema parse reports them); only
 * the schema's own keys are read, so keys such as `__proto__` in the input are never touched.
 */
export function parseFields(schema: z.ZodObject, input: unknown): FieldParse {
  const parsed = new Set<FieldPath>();
  const value = parseObject(schema, input, "", parsed, 2);
  return { value, parsed };
}

function parseObject(schema: z.ZodObject, input: unknown, prefix: string, parsed: Set<FieldPath>, depth: number): Record<string, unknown> {
  const raw = input !== null && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const path = `${prefix}${key}`;
    const fieldInput = Object.hasOwn(raw, key) ? raw[key] : undefined;
    if (depth > 1 && field instanceof z.ZodObject) {
      const inner = new Set<FieldPath>();
      value[key] = parseObject(field, fieldInput, `${path}.`, inner, depth - 1);
      inner.forEach((p) => parsed.add(p));
      if (Object.keys(field.shape).every((k) => inner.has(`${path}.${k}`))) parsed.add(path);
      continue;
    }
    const result = field.safeParse(fieldInput);
    if (result.success) {
      value[key] = result.data;
      parsed.add(path);
    }
  }
  return value;
}

/** A rule over one environment and the fields it reads. */
export interface EnvironmentRule<Env, Issue> {
  /** Fields the rule reads (see {@link FieldPath}); it runs only when all of them parsed. */
  readonly reads: readonly FieldPath[];
  readonly check: (env: Env) => Issue[];
}

/** The problems of every rule whose fields all parsed. */
export function runRules<Env, Issue>(rules: readonly EnvironmentRule<Env, Issue>[], fields: FieldParse): Issue[] {
  return rules.filter((rule) => rule.reads.every((path) => fields.parsed.has(path))).flatMap((rule) => rule.check(fields.value as Env));
}
