import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const dir = join(root, "node_modules", ".cache", "run-ts-test");
const entry = join(dir, "entry.ts");
const helper = join(dir, "helper.ts");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  JSON.parse(execFileSync("node", ["scripts/run-ts.cjs", "node_modules/.cache/run-ts-test/entry.ts", ...args], { cwd: root, encoding: "utf8" }));

describe("the synth runner (scripts/run-ts.cjs)", () => {
  it("runs TypeScript with the entry's own arguments and rebuilds when any input changes", () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(helper, "export const answer: number = 41;\n");
    writeFileSync(entry, 'import { answer } from "./helper";\nconsole.log(JSON.stringify({ answer, args: process.argv.slice(2) }));\n');
    expect(run("dev", "--json")).toEqual({ answer: 41, args: ["dev", "--json"] });
    expect(run()).toEqual({ answer: 41, args: [] });
    writeFileSync(helper, "export const answer: number = 42;\n");
    expect(run()).toEqual({ answer: 42, args: [] });
  });
});
