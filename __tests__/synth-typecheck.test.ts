/**
 * `npm run synth` type-checks the environment files before it synthesizes, so a mistake only
 * TypeScript sees (a key written twice in one object literal: the second silently wins) stops it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { environments } from "../environments";

const root = resolve(__dirname, "..");
const dir = join(root, "node_modules", ".cache", `synth-typecheck-test-${process.pid}`);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // The runner's cached bundles of this test's entries (scripts/run-ts.cjs keys them by entry and project).
  const cache = join(root, "node_modules", ".cache", "run-ts");
  const key = relative(root, dir).replace(/[^A-Za-z0-9_.-]/g, "_");
  for (const file of existsSync(cache) ? readdirSync(cache) : []) if (file.startsWith(key)) rmSync(join(cache, file), { force: true });
});

const TYPECHECK = ["--typecheck", "tsconfig.environments.json"];

/** A copy of a real environment file (imports pointed back at environments/), edited by `edit`. */
function writeEnvironment(file: string, edit: (source: string) => string): void {
  const source = readFileSync(join(root, "environments", `${environments.find(() => true)!.name}.ts`), "utf8");
  const back = relative(dir, join(root, "environments")).replace(/\\/g, "/");
  writeFileSync(join(dir, file), edit(source.replace(/from "\.\/(\w+)"/g, `from "${back}/$1"`)));
}

/** Runs the synth runner on a tiny entry with the environment copy as the checked project. */
function run(name: string, edit: (source: string) => string) {
  mkdirSync(dir, { recursive: true });
  writeEnvironment(`${name}.ts`, edit);
  writeFileSync(join(dir, `${name}.tsconfig.json`), JSON.stringify({ extends: "../../../tsconfig.json", compilerOptions: { noEmit: true, declaration: false, rootDir: "../../.." }, files: [`${name}.ts`], include: [] }));
  writeFileSync(join(dir, `${name}-entry.ts`), 'console.log("synthesized");\n');
  const rel = (f: string) => relative(root, join(dir, f));
  return spawnSync("node", ["scripts/run-ts.cjs", "--typecheck", rel(`${name}.tsconfig.json`), rel(`${name}-entry.ts`)], { cwd: root, encoding: "utf8" });
}

describe("type errors in the environment files stop synth", () => {
  it("a key written twice in an object literal exits 1 naming the file and line, and runs nothing", () => {
    const result = run("duplicate", (s) => s.replace(/\n(\s+)owner: /, (m, indent: string) => `\n${indent}owner: "someone-else",${m}`));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/duplicate\.ts\(\d+,\d+\): error TS1117: An object literal cannot have multiple properties with the same name/);
    expect(result.stderr).toMatch(/nothing was synthesized/);
    expect(result.stdout).not.toContain("synthesized");
  });

  it("the same file without the duplicate runs", () => {
    const result = run("clean", (s) => s);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("synthesized\n");
  });

  it("npm run synth and the cdktf app both check the registered environment files", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const cdktf = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
    for (const command of [pkg.scripts.synth, cdktf.app]) expect(command).toBe(`node scripts/run-ts.cjs ${TYPECHECK.join(" ")} main.ts`);
    const project = JSON.parse(readFileSync(join(root, "tsconfig.environments.json"), "utf8"));
    expect(project.files).toEqual(["environments/index.ts"]);
    expect(existsSync(join(root, project.files[0]))).toBe(true);
  });
});
