/**
 * Turns a synthesized `cdk.tf.json` into comparable entities: one per resource, data source,
 * output, provider… with cdktf's metadata (`//`) removed and embedded documents (JSON policy
 * strings, Helm `values` YAML) parsed, so that a diff shows the changed statement or key rather
 * than one huge string. Pure: no I/O.
 */
import { parse as parseYaml } from "yaml";
import type { Entity, EntityKind, TfJson } from "./types";

/** A string attribute that held a JSON or YAML document, kept parsed. */
export class Embedded {
  constructor(
    readonly format: "json" | "yaml",
    readonly value: unknown,
  ) {}
}

/** One step of an attribute path. `{ key, value }` is a list element matched by its key. */
export type PathSegment =
  | string
  | number
  | { readonly key: string; readonly value: string }
  | { readonly embedded: "json" | "yaml" };

/** cdktf's metadata key (construct path, unique id, stack metadata): never a real setting. */
export const METADATA_KEY = "//";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Embedded);
}

/** `true` for values that are not containers (string, number, boolean, null). */
export function isScalar(value: unknown): boolean {
  return value === null || (typeof value !== "object" && typeof value !== "function");
}

/** Attributes whose string values are YAML documents, by resource type (`*`: any type). */
const YAML_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  helm_release: ["values"],
  "*": ["yaml_body"],
};

function isYamlAttribute(type: string | undefined, attribute: string | undefined): boolean {
  if (attribute === undefined) return false;
  return (YAML_ATTRIBUTES["*"] ?? []).includes(attribute) || (type !== undefined && (YAML_ATTRIBUTES[type] ?? []).includes(attribute));
}

function parseEmbedded(text: string, yamlAllowed: boolean): Embedded | undefined {
  const trimmed = text.trim();
  if ((trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"))) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === "object" && parsed !== null) return new Embedded("json", normalizeValue(parsed, undefined, undefined));
    } catch {
      // not JSON: fall through
    }
  }
  if (yamlAllowed && trimmed.length > 0) {
    try {
      const parsed: unknown = parseYaml(text);
      if (typeof parsed === "object" && parsed !== null) return new Embedded("yaml", normalizeValue(parsed, undefined, undefined));
    } catch {
      // not YAML either: keep the string
    }
  }
  return undefined;
}

/**
 * Normalises a value: strings holding JSON objects/arrays (and YAML for the attributes listed in
 * `YAML_ATTRIBUTES`) become `Embedded`; everything else is copied as is.
 */
export function normalizeValue(value: unknown, type: string | undefined, attribute: string | undefined): unknown {
  if (typeof value === "string") return parseEmbedded(value, isYamlAttribute(type, attribute)) ?? value;
  if (Array.isArray(value)) return value.map((v) => normalizeValue(v, type, attribute));
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) result[key] = normalizeValue(value[key], type, attribute);
    return result;
  }
  return value;
}

/** Normalises a block body: drops the metadata key, parses embedded documents per attribute. */
export function normalizeBody(body: unknown, type?: string): unknown {
  if (!isPlainObject(body)) return normalizeValue(body, type, undefined);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(body).sort()) {
    if (key === METADATA_KEY) continue;
    result[key] = normalizeValue(body[key], type, key);
  }
  return result;
}

function entity(kind: EntityKind, address: string, name: string, body: unknown, type?: string): Entity {
  return type === undefined ? { kind, address, name, body: normalizeBody(body) } : { kind, type, address, name, body: normalizeBody(body, type) };
}

function typedBlocks(kind: "resource" | "data", block: unknown, out: Map<string, Entity>): void {
  if (!isPlainObject(block)) return;
  for (const type of Object.keys(block)) {
    const byName = block[type];
    if (!isPlainObject(byName)) continue;
    for (const name of Object.keys(byName)) {
      const address = kind === "resource" ? `${type}.${name}` : `data.${type}.${name}`;
      out.set(address, entity(kind, address, name, byName[name], type));
    }
  }
}

function namedBlocks(kind: EntityKind, prefix: string, block: unknown, out: Map<string, Entity>): void {
  if (!isPlainObject(block)) return;
  for (const name of Object.keys(block)) {
    if (name === METADATA_KEY) continue;
    out.set(`${prefix}.${name}`, entity(kind, `${prefix}.${name}`, name, block[name]));
  }
}

/**
 * Every addressable block of a stack, by address. `terraform` is split per key
 * (`terraform.backend`, `terraform.required_providers`) so that backend changes stand out;
 * `moved` blocks are read separately (see `movedBlocks`).
 */
export function entitiesOf(tf: TfJson): Map<string, Entity> {
  const out = new Map<string, Entity>();
  for (const key of Object.keys(tf).sort()) {
    const block = tf[key];
    switch (key) {
      case METADATA_KEY:
      case "moved":
        break;
      case "resource":
      case "data":
        typedBlocks(key, block, out);
        break;
      case "output":
        namedBlocks("output", "output", block, out);
        break;
      case "provider":
        namedBlocks("provider", "provider", block, out);
        break;
      case "module":
        namedBlocks("module", "module", block, out);
        break;
      case "variable":
        namedBlocks("variable", "var", block, out);
        break;
      case "locals":
        namedBlocks("local", "local", block, out);
        break;
      case "terraform":
        namedBlocks("terraform", "terraform", block, out);
        break;
      default:
        out.set(key, entity("other", key, key, block));
    }
  }
  return out;
}

/** The `moved { from, to }` blocks of a stack (cdktf: `moveTo`, `moveFromId`). */
export function movedBlocks(tf: TfJson): { from: string; to: string }[] {
  const moved = tf["moved"];
  if (!Array.isArray(moved)) return [];
  return moved.filter(
    (m): m is { from: string; to: string } => isPlainObject(m) && typeof m["from"] === "string" && typeof m["to"] === "string",
  );
}

/**
 * Addresses that `removed` blocks take out of the state without destroying the object
 * (`lifecycle { destroy = false }`): Terraform forgets them, the object lives on.
 */
export function forgottenAddresses(tf: TfJson): Set<string> {
  const removed = tf["removed"];
  if (!Array.isArray(removed)) return new Set();
  return new Set(
    removed
      .filter((r): r is { from: string; lifecycle: { destroy: false } } => isPlainObject(r) && typeof r["from"] === "string" && isPlainObject(r["lifecycle"]) && r["lifecycle"]["destroy"] === false)
      .map((r) => r.from),
  );
}

/** Deterministic text form of a normalised value (sorted keys), for equality and hashing. */
export function canonical(value: unknown): string {
  if (value instanceof Embedded) return `{"$${value.format}":${canonical(value.value)}}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return value === undefined ? "undefined" : JSON.stringify(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return a === b || canonical(a) === canonical(b);
}

/** The value with embedded documents replaced by their parsed content (for reports). */
export function plain(value: unknown): unknown {
  if (value instanceof Embedded) return plain(value.value);
  if (Array.isArray(value)) return value.map(plain);
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) result[key] = plain(value[key]);
    return result;
  }
  return value;
}

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Renders a path: `a.b[0]`, `labels["app.kubernetes.io/name"]`, `Statement[Sid=Read]`, `policy<json>`. */
export function renderPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string") out += SIMPLE_KEY.test(segment) ? (out === "" ? segment : `.${segment}`) : `[${JSON.stringify(segment)}]`;
    else if ("embedded" in segment) out += `<${segment.embedded}>`;
    else out += `[${segment.key}=${segment.value}]`;
  }
  return out;
}

/** `true` when a string contains a Terraform expression (`${…}`), i.e. a value known at plan time. */
export function hasToken(value: unknown): boolean {
  if (typeof value === "string") return value.includes("${");
  if (value instanceof Embedded) return hasToken(value.value);
  if (Array.isArray(value)) return value.some(hasToken);
  if (isPlainObject(value)) return Object.values(value).some(hasToken);
  return false;
}

/**
 * The values found at a dotted attribute path (`encryption_config.provider.key_arn`), descending
 * into lists of blocks (Terraform JSON allows a block as an object or a list of objects) and
 * embedded documents. Missing steps give `undefined`.
 */
export function valuesAt(value: unknown, path: readonly string[]): unknown {
  if (value instanceof Embedded) return valuesAt(value.value, path);
  if (path.length === 0) return value;
  if (Array.isArray(value)) return value.map((v) => valuesAt(v, path));
  if (!isPlainObject(value)) return undefined;
  const [head, ...rest] = path;
  return valuesAt(value[head as string], rest);
}
