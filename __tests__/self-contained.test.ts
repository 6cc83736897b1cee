/**
 * The project builds and tests from its own files: nothing it runs reads the workplace's shared
 * folder (`../shared`), which its users and CI do not have.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");
const CODE = /\.(ts|mts|cjs|mjs|js|json|yml|yaml)$/;

/**
 * The project's code and config files: git's tracked files in a checkout; in a copy without `.git`
 * (a source archive, the bench's snapshot of a revision) every file outside the folders .gitignore
 * names as folders (node_modules, cdktf.out, the Stryker temp folders, ...).
 */
function projectFiles(): string[] {
  if (existsSync(join(ROOT, ".git"))) {
    return execFileSync("git", ["ls-files", "*.ts", "*.mts", "*.cjs", "*.mjs", "*.js", "*.json", "*.yml", "*.yaml"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => f !== "");
  }
  const ignoredDirs = readFileSync(join(ROOT, ".gitignore"), "utf8")
    .split("\n")
    .filter((line) => line.endsWith("/"))
    .map((line) => new RegExp(`^${line.slice(0, -1).replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const path = relative(ROOT, join(dir, e.name));
      if (e.isDirectory()) return e.name === ".git" || ignoredDirs.some((re) => re.test(path) || re.test(e.name)) ? [] : walk(join(dir, e.name));
      return CODE.test(e.name) ? [path] : [];
    });
  return walk(ROOT);
}

describe("self-contained", () => {
  it("no tracked code or config reads ../shared", () => {
    const files = projectFiles().filter((f) => f !== "__tests__/self-contained.test.ts");
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((f) => {
      const code = readFileSync(join(ROOT, f), "utf8")
        .split("\n")
        .filter((line) => !/^\s*(\/\/|\*|#)/.test(line)) // comments may cite where a fact was read
        .join("\n");
      return /(\.\.\/)+shared\/|\/work\/shared/.test(code);
    });
    expect(offenders, "keep facts in the project's own data files, with their source noted").toEqual([]);
  });
});
