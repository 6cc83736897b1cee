import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderReadme } from "../scripts/readme-sections";

describe("README", () => {
  const readme = readFileSync("README.md", "utf8");

  it("shows the current IP plan of every environment (run `npm run docs` after changing one)", () => {
    expect(renderReadme(readme)).toBe(readme);
  });

  it("names the two set-up commands and the test command CI runs", () => {
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test");
    expect(readFileSync(".ci/run", "utf8")).toMatch(/^npm test( |$)/m);
  });
});
