/**
 * Reference integrity of a synthesized stack: every `${...}` expression may only name resources
 * and data sources declared in the same stack, so broken wiring is caught at synth time rather than
 * by `terraform validate`. Pure: no cdktf.
 */
import type { StackJson } from "./terraform-json";

/** A reference to a block the stack does not declare. */
export interface DanglingReference {
  /** Where it was found: `resource.<type>.<name>.<attribute path>`. */
  readonly at: string;
  readonly reference: string;
}

const EXPRESSION = /\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g;
const REFERENCE = /(?<![\w.])(data\.)?((?:aws|helm|kubernetes|tls|random|null|time)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

/** The `type.name` / `data.type.name` addresses an expression string refers to. */
export function referencesIn(value: string): string[] {
  const found: string[] = [];
  for (const expression of value.matchAll(EXPRESSION)) {
    const body = expression[1]!.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    for (const m of body.matchAll(REFERENCE)) found.push(`${m[1] ?? ""}${m[2]}.${m[3]}`);
  }
  return found;
}

/** Every declared address of a stack: `type.name` for resources, `data.type.name` for data sources. */
export function declaredAddresses(stack: StackJson): Set<string> {
  const declared = new Set<string>();
  for (const [kind, prefix] of [["resource", ""], ["data", "data."]] as const) {
    const blocks = (stack[kind] ?? {}) as Record<string, Record<string, unknown>>;
    for (const [type, byName] of Object.entries(blocks)) {
      for (const name of Object.keys(byName)) declared.add(`${prefix}${type}.${name}`);
    }
  }
  return declared;
}

/** Every reference in the stack's resources, data sources, providers and outputs that names nothing declared. */
export function danglingReferences(stack: StackJson): DanglingReference[] {
  const declared = declaredAddresses(stack);
  const dangling: DanglingReference[] = [];
  const walk = (value: unknown, at: string): void => {
    if (typeof value === "string") {
      for (const reference of referencesIn(value)) if (!declared.has(reference)) dangling.push({ at, reference });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}[${i}]`));
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) if (k !== "//") walk(v, `${at}.${k}`);
    }
  };
  for (const section of ["resource", "data", "provider", "output", "locals"]) walk(stack[section], section);
  // depends_on lists plain addresses without ${}.
  for (const kind of ["resource", "data"] as const) {
    const blocks = (stack[kind] ?? {}) as Record<string, Record<string, { depends_on?: string[] }>>;
    for (const [type, byName] of Object.entries(blocks)) {
      for (const [name, config] of Object.entries(byName)) {
        for (const dep of config.depends_on ?? []) {
          if (!declared.has(dep)) dangling.push({ at: `${kind}.${type}.${name}.depends_on`, reference: dep });
        }
      }
    }
  }
  return dangling;
}
