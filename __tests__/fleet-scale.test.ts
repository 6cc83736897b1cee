/**
 * Fleet scale: selecting environments on the synth command line, the generated fleet the bench
 * synthesizes, and cdktf's token stack traces (captured only with CDK_DEBUG).
 */
import { Lazy } from "cdktf";
import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import { validatePlatform } from "../environments/validate";
import { cloneEnvironments, cloneName, MAX_ENVIRONMENTS } from "../scripts/fleet";
import { ENV_SELECTION_VARIABLE, parseSynthArgs, unknownEnvironments } from "../stacks/synthesize";
import { debugMode, DISABLED_TRACE, limitTokenStackTraces } from "../stacks/token-stack-traces";

const names = environments.map((e) => e.name);

describe("parseSynthArgs", () => {
  it("selects every environment without --env or PLATFORM_ENV", () => {
    expect(parseSynthArgs([], {})).toEqual({});
    expect(parseSynthArgs([], { [ENV_SELECTION_VARIABLE]: "" })).toEqual({});
    expect(parseSynthArgs([], { [ENV_SELECTION_VARIABLE]: " , " })).toEqual({});
  });

  it("takes --env repeated, as a comma list and as --env=, without duplicates", () => {
    expect(parseSynthArgs(["--env", "a"], {})).toEqual({ environments: ["a"] });
    expect(parseSynthArgs(["--env", "a,b", "--env", "c", "--env=a"], {})).toEqual({ environments: ["a", "b", "c"] });
  });

  it("reads PLATFORM_ENV (the cdktf CLI path) and lets the command line win over it", () => {
    expect(parseSynthArgs([], { [ENV_SELECTION_VARIABLE]: "a, b" })).toEqual({ environments: ["a", "b"] });
    expect(parseSynthArgs(["--env", "c"], { [ENV_SELECTION_VARIABLE]: "a" })).toEqual({ environments: ["c"] });
  });

  it("refuses unknown arguments and --env without a value", () => {
    for (const argv of [["dev"], ["--environment", "dev"], ["--env"], ["--env", "--env", "dev"], ["--env="], ["--env", ","]]) {
      const result = parseSynthArgs(argv, {});
      expect("error" in result && result.error).toMatch(/^(unknown argument|--env needs a value)[^]*usage: npm run synth/);
    }
  });
});

describe("unknownEnvironments", () => {
  it("accepts known names and names every unknown one with the known list", () => {
    expect(unknownEnvironments(names, environments)).toBeUndefined();
    expect(unknownEnvironments([names[0]!, "nope", "nada"], environments)).toBe(
      `unknown environments "nope", "nada"; environments: ${names.join(", ")}. Nothing was synthesized.`,
    );
    expect(unknownEnvironments(["nope"], environments)).toMatch(/^unknown environment "nope";/);
  });

  it("refuses an empty selection", () => {
    expect(unknownEnvironments([], environments)).toMatch(/^no environment selected/);
  });
});

describe("the generated fleet (scripts/fleet.ts)", () => {
  it("gives 100 environments that validate together, cloned from every real environment", () => {
    const fleet = cloneEnvironments(100, environments);
    const envs = validatePlatform(fleet);
    expect(envs.map((e) => e.name).sort()).toEqual(Array.from({ length: 100 }, (_, i) => cloneName(i)).sort());
    expect(new Set(envs.map((e) => e.network.vpcCidr)).size).toBe(100);
    expect(new Set(envs.map((e) => e.stage))).toEqual(new Set(environments.map((e) => e.stage)));
  });

  it("names clones e01 ... e100", () => {
    expect([0, 8, 98, 99].map(cloneName)).toEqual(["e01", "e09", "e99", "e100"]);
  });

  it("refuses a count outside 1..MAX_ENVIRONMENTS and an empty source list", () => {
    expect(() => cloneEnvironments(0, environments)).toThrow(/from 1 to/);
    expect(() => cloneEnvironments(MAX_ENVIRONMENTS + 1, environments)).toThrow(/from 1 to/);
    expect(cloneEnvironments(MAX_ENVIRONMENTS, environments)).toHaveLength(MAX_ENVIRONMENTS);
    expect(() => cloneEnvironments(1, [])).toThrow(/source/);
  });
});

describe("token stack traces", () => {
  it("are captured in debug mode only (CDK_DEBUG true or 1, as aws-cdk reads it)", () => {
    for (const value of ["1", "true", "TRUE"]) expect(debugMode({ CDK_DEBUG: value })).toBe(true);
    for (const value of [undefined, "", "0", "false", "yes"]) expect(debugMode({ CDK_DEBUG: value })).toBe(false);
    expect(limitTokenStackTraces({ CDK_DEBUG: "1" })).toBe(false);
  });

  it("record a hint instead of the stack once limited", () => {
    expect(limitTokenStackTraces({})).toBe(true);
    const lazy = Lazy.anyValue({ produce: () => "x" }) as unknown as { creationStack: string[] };
    expect(lazy.creationStack).toEqual([...DISABLED_TRACE]);
  });
});
