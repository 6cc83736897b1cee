/**
 * Reads a synthesized `stacks` folder (`<dir>/<stack>/cdk.tf.json`) into a `StackSet`.
 * Accepts the `stacks` folder itself or the cdktf output folder that contains it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { StackSet, TfJson } from "./types";

/** `<dir>/stacks` when it exists (a cdktf output folder), else `dir`. */
export function stacksDir(dir: string): string {
  const nested = join(dir, "stacks");
  return existsSync(nested) && statSync(nested).isDirectory() ? nested : dir;
}

export function loadStacks(dir: string): StackSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`not a directory: ${dir}`);
  const root = stacksDir(dir);
  const stacks: Record<string, TfJson> = {};
  for (const name of readdirSync(root).sort()) {
    const file = join(root, name, "cdk.tf.json");
    if (!existsSync(file)) continue;
    try {
      stacks[name] = JSON.parse(readFileSync(file, "utf8")) as TfJson;
    } catch (e) {
      throw new Error(`cannot parse ${file}: ${(e as Error).message}`);
    }
  }
  return stacks;
}
