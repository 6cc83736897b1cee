/**
 * A read-only view of a synthesized stack (the resolved Terraform JSON), for rules that check
 * resources and the references between them. Pure: no cdktf.
 */

/** A resource config as Terraform reads it (snake_case, references as `${type.name.attr}`). */
export type Config = Record<string, any>;

/** One resource of a stack. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  /** `type.name`, the Terraform address. */
  readonly address: string;
  /** The construct path cdktf records in `//.metadata.path`. */
  readonly path: string;
  readonly config: Config;
}

/** The parts of `cdk.tf.json` the rules read. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Config>>;
  readonly [key: string]: unknown;
}

/** All resources of a stack, sorted by address. */
export function resourcesOf(stack: StackJson): ResourceView[] {
  const views: ResourceView[] = [];
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      views.push({ type, name, address: `${type}.${name}`, path: String(config["//"]?.metadata?.path ?? `${type}.${name}`), config });
    }
  }
  return views.sort((a, b) => a.address.localeCompare(b.address));
}

/** True when `value` (a string or anything containing strings) references `address`. */
export function refersTo(value: unknown, address: string): boolean {
  if (typeof value === "string") return value.includes(`\${${address}.`) || value.includes(`\${${address}}`);
  if (Array.isArray(value)) return value.some((v) => refersTo(v, address));
  if (value !== null && typeof value === "object") return Object.values(value).some((v) => refersTo(v, address));
  return false;
}

/** Resources of `type` whose `attribute` references `target`. */
export function referencing(all: readonly ResourceView[], type: string, attribute: string, target: ResourceView): ResourceView[] {
  return all.filter((r) => r.type === type && refersTo(r.config[attribute], target.address));
}

/** A nested block as Terraform JSON may write it: an object, or a list of one. */
export function block(value: unknown): Config | undefined {
  if (Array.isArray(value)) return value[0] as Config | undefined;
  return value !== null && typeof value === "object" ? (value as Config) : undefined;
}

/** Nested blocks as a list, however they were written. */
export function blocks(value: unknown): Config[] {
  if (Array.isArray(value)) return value as Config[];
  return value !== null && typeof value === "object" ? [value as Config] : [];
}

/** True for a literal `true` or `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** True when an attribute is set to something (a literal or a reference). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/** Parses a JSON policy string; undefined when it is not literal JSON. */
export function parsePolicy(value: unknown): { Statement?: any[] | any } | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The statements of a policy document, always as a list. */
export function statementsOf(value: unknown): any[] {
  const doc = parsePolicy(value);
  if (!doc || doc.Statement === undefined) return [];
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

/** A field that may be a string or a list of strings, as a list. */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}
