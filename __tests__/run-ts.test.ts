import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const RUNNER = join(root, "scripts", "run-ts.cjs");
// Entries live under the project (esbuild and the runner's copies resolve node_modules from there);
// the cache is this test's own, so a stale or concurrent cache elsewhere never decides the result.
mkdirSync(join(root, "node_modules", ".cache"), { recursive: true });
const dir = mkdtempSync(join(root, "node_modules", ".cache", "run-ts-test-"));
const cache = join(dir, "cache");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { cacheKey, BUILD_OPTIONS } = createRequire(__filename)(RUNNER) as {
  cacheKey: (input: { runnerSource: string; esbuildVersion: string; buildOptions: object; entryPath: string; typecheckPath?: string }) => string;
  BUILD_OPTIONS: Record<string, unknown>;
};

function write(file: string, text: string): string {
  const path = join(dir, file);
  mkdirSync(resolve(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const run = (entry: string, args: string[] = [], runner = RUNNER) =>
  JSON.parse(execFileSync("node", [runner, entry, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, RUN_TS_CACHE_DIR: cache } }));
const bundles = () => readdirSync(cache).filter((f) => f.endsWith(".js")).sort();

describe("the synth runner (scripts/run-ts.cjs)", () => {
  it("runs TypeScript with the entry's own arguments and rebuilds when any input changes", () => {
    const helper = write("helper.ts", "export const answer: number = 41;\n");
    const entry = write("entry.ts", 'import { answer } from "./helper";\nconsole.log(JSON.stringify({ answer, args: process.argv.slice(2) }));\n');
    expect(run(entry, ["dev", "--json"])).toEqual({ answer: 41, args: ["dev", "--json"] });
    expect(run(entry)).toEqual({ answer: 41, args: [] });
    writeFileSync(helper, "export const answer: number = 42;\n");
    expect(run(entry)).toEqual({ answer: 42, args: [] });
  });

  it("keeps two entries of one file name in different folders apart", () => {
    const a = write("a/main.ts", 'console.log(JSON.stringify("a"));\n');
    const b = write("b/main.ts", 'console.log(JSON.stringify("b"));\n');
    expect(run(a)).toBe("a");
    expect(run(b)).toBe("b");
    expect(run(a)).toBe("a");
  });

  it("rebuilds when the runner itself changes", () => {
    const entry = write("runner-change/entry.ts", 'console.log(JSON.stringify("ok"));\n');
    const copy = join(dir, "run-ts-copy.cjs");
    copyFileSync(RUNNER, copy);
    expect(run(entry, [], copy)).toBe("ok");
    const before = bundles();
    writeFileSync(copy, `${readFileSync(RUNNER, "utf8")}\n// a change to the runner\n`);
    expect(run(entry, [], copy)).toBe("ok");
    expect(bundles().length).toBe(before.length + 1);
  });
});

describe("the runner's cache key", () => {
  const input = { runnerSource: "runner v1", esbuildVersion: "0.28.2", buildOptions: BUILD_OPTIONS, entryPath: join(root, "main.ts") };
  const key = cacheKey(input);

  it("is stable for the same inputs and readable by its entry", () => {
    expect(cacheKey({ ...input })).toBe(key);
    expect(key.startsWith("main.ts-")).toBe(true);
  });
  it.each([
    ["the runner's code", { runnerSource: "runner v2" }],
    ["esbuild's version", { esbuildVersion: "0.28.3" }],
    ["a build option", { buildOptions: { ...BUILD_OPTIONS, target: "node22" } }],
    ["the entry's folder", { entryPath: join(root, "examples", "main.ts") }],
    ["the checked project", { typecheckPath: join(root, "tsconfig.environments.json") }],
  ])("changes with %s", (_what, change) => {
    expect(cacheKey({ ...input, ...change })).not.toBe(key);
  });
});
