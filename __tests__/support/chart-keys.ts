/**
 * Values against a chart's key tree (its values.yaml reduced to keys, kept as data in
 * __tests__/upstream/<chart>-values-keys.json with its source, plus the keys its templates read that
 * values.yaml leaves out or comments out): a key the chart does not read is silently ignored by Helm,
 * so a misspelt or moved key is a setting that never applies.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A chart's key tree: scalars null, lists [], maps their keys. */
export type KeyTree = { readonly [key: string]: KeyTree | null | readonly [] };

/** What a chart reads: its values.yaml's key tree and the dotted paths its templates read besides (each with everything under it). */
export interface ChartKeys {
  readonly keys: KeyTree;
  readonly templateKeys?: { readonly paths: readonly string[] };
}

/** The chart keys kept in __tests__/upstream/<file>. */
export function chartKeys(file: string): ChartKeys {
  return JSON.parse(readFileSync(join(__dirname, "..", "upstream", file), "utf8")) as ChartKeys;
}

/** The key paths of every leaf of `values` (maps descended; lists and scalars are leaves). */
export function leafPaths(values: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof values !== "object" || values === null || Array.isArray(values)) return [[...prefix]];
  return Object.entries(values).flatMap(([key, v]) => leafPaths(v, [...prefix, key]));
}

/**
 * The leaves of `values` the chart has no key for, dotted. A leaf is known when the chart has its
 * path, or when the deepest part of its path the chart has is a map it leaves empty, a list or a
 * scalar (free-form: annotations, labels, `resources`…), or when it is (under) a template key.
 * `freeForm` lists further paths whose
 * content the chart passes on as is (a subchart's values, a config file as a map), with the reason
 * kept by the caller.
 */
export function unknownKeys(values: unknown, { keys: chart, templateKeys }: ChartKeys, freeForm: readonly RegExp[] = []): string[] {
  const read = templateKeys?.paths ?? [];
  return leafPaths(values)
    .filter((path) => !read.some((p) => path.join(".") === p || path.join(".").startsWith(`${p}.`)))
    .filter((path) => {
      for (let depth = path.length; depth > 0; depth--) {
        const node = path.slice(0, depth).reduce<unknown>((tree, key) => (tree !== null && typeof tree === "object" && !Array.isArray(tree) && Object.hasOwn(tree, key) ? (tree as KeyTree)[key] : undefined), chart);
        if (node === undefined) continue;
        const declaredMap = node !== null && typeof node === "object" && !Array.isArray(node) && Object.keys(node).length > 0;
        return depth < path.length && declaredMap;
      }
      return true;
    })
    .map((path) => path.join("."))
    .filter((path) => !freeForm.some((f) => f.test(path)));
}
