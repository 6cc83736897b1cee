/**
 * The recorded IP allocations: one committed JSON file per environment,
 * `environments/ip-allocations/<env>.json`, written only by `npm run ipplan -- <env> --write` and
 * read by synthesis (which never writes). Like a lock file: review it, never edit it by hand.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { IpAllocation } from "../modules/network/ip-plan";

/** The folder of the allocation files, relative to the project root. */
export const ALLOCATIONS_DIR = path.join("environments", "ip-allocations");

const HEADER = "Recorded IP allocation: written by `npm run ipplan -- <env> --write`, read by synthesis. Never edit by hand; nothing recorded ever moves.";

/** The allocation file of an environment. @param root the project root. @default - the working directory */
export function allocationFile(envName: string, root: string = process.cwd()): string {
  return path.join(root, ALLOCATIONS_DIR, `${envName}.json`);
}

/**
 * Every recorded allocation under `root`, by environment name (none when the folder is missing).
 * @throws Error naming the file when one is not valid JSON
 */
export function loadAllocations(root: string = process.cwd()): Record<string, IpAllocation> {
  const dir = path.join(root, ALLOCATIONS_DIR);
  if (!fs.existsSync(dir)) return {};
  const result: Record<string, IpAllocation> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    try {
      const { comment: _comment, ...allocation } = JSON.parse(text) as IpAllocation & { comment?: string };
      result[file.slice(0, -".json".length)] = allocation;
    } catch (e) {
      throw new Error(`${path.join(ALLOCATIONS_DIR, file)} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return result;
}

/** The text of an allocation file: stable key order, two-space indent, a closing newline. */
export function formatAllocation(allocation: IpAllocation): string {
  return `${JSON.stringify({ comment: HEADER, ...allocation }, null, 2)}\n`;
}

/** Writes an environment's allocation file. @param root the project root. @default - the working directory */
export function writeAllocation(envName: string, allocation: IpAllocation, root: string = process.cwd()): string {
  const file = allocationFile(envName, root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, formatAllocation(allocation));
  return file;
}
