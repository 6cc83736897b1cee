/**
 * The project builds and tests from its own files: nothing it runs reads the workplace's shared
 * folder (`../shared`), which its users and CI do not have.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("self-contained", () => {
  it("no tracked code or config reads ../shared", () => {
    const files = execFileSync("git", ["ls-files", "*.ts", "*.mts", "*.cjs", "*.mjs", "*.js", "*.json", "*.yml", "*.yaml"], { encoding: "utf8" })
      .split("\n")
      .filter((f) => f !== "" && f !== "__tests__/self-contained.test.ts");
    const offenders = files.filter((f) => {
      const code = readFileSync(f, "utf8")
        .split("\n")
        .filter((line) => !/^\s*(\/\/|\*|#)/.test(line)) // comments may cite where a fact was read
        .join("\n");
      return /(\.\.\/)+shared\/|\/work\/shared/.test(code);
    });
    expect(offenders, "keep facts in the project's own data files, with their source noted").toEqual([]);
  });
});
