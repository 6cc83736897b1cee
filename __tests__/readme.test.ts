import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import { validatePlatform } from "../environments/validate";
import { renderReadme } from "../scripts/readme-sections";
import { extraEnvironment, unusedName } from "./support/environments";

/** The text of one `##`/`###` section of the README, up to the next heading of the same or a higher level. */
function section(readme: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has no "${heading}"`).toBeGreaterThanOrEqual(0);
  const next = readme.slice(start + heading.length + 2).search(new RegExp(`\\n#{1,${level}} `));
  return readme.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
}

describe("README", () => {
  const readme = readFileSync("README.md", "utf8");

  it("shows the current environments, deploy order, bootstrap trust and IP plans (run `npm run docs` after changing an environment)", () => {
    expect(renderReadme(readme) === readme, "README.md is stale: run `npm run docs`").toBe(true);
  });

  it("generates a column, a deploy step and a trusted GitHub environment for an added environment", () => {
    const qa = unusedName("qa");
    const withQa = validatePlatform([...environments, extraEnvironment({ name: qa })]);
    const rendered = renderReadme(readme, withQa);
    const table = section(rendered, "## Environments");
    expect(table.match(/^\| \| .*$/m)![0]).toBe(`| | ${withQa.map((e) => e.name).join(" | ")} |`);
    const qaAt = withQa.findIndex((e) => e.name === qa);
    // Its GitHub environments (applies, held plans), after the previous environment's last apply.
    const envs = (name: string) => `| \`${name}\` (applies), \`${name}-plan\` (held plans) |`;
    expect(rendered).toContain(`${envs(qa)} \`apply ${withQa[qaAt - 1]!.name}-addons\` | \`bootstrap-${withQa[qaAt]!.account.alias}\` (${withQa[qaAt]!.account.id}) |`);
    expect(rendered).toContain(`${envs(withQa[qaAt + 1]!.name)} \`apply ${qa}-addons\` |`);
  });

  it('says how to add an environment, every step included', () => {
    const steps = section(readme, "### Adding an environment");
    for (const needle of [
      "environments/qa.ts",
      "promotionOrder",
      "environments/index.ts",
      "npm run ipplan -- qa --write",
      "npm run docs",
      "npm test",
      "Settings → Environments",
      "protection rules",
      "bootstrap-",
      "re-apply",
      "'qa-*'",
    ]) {
      expect(steps, needle).toContain(needle);
    }
  });

  it("names the two set-up commands and the test command CI runs", () => {
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test");
    expect(readFileSync(".ci/run", "utf8")).toMatch(/^npm test( |$)/m);
  });
});
