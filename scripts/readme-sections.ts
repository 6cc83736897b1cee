/**
 * Generated README sections, kept true by a test: `npm run docs` rewrites them in place,
 * `__tests__/readme.test.ts` fails when they are stale.
 */
import { environments } from "../environments";
import { validatePlatform } from "../environments/validate";
import { formatCapacityReport } from "../modules/network/ip-plan";

/** The IP plan report of every environment, as README Markdown. */
export function ipPlanSection(): string {
  return validatePlatform(environments)
    .map((env) => {
      const cidrs = env.network.podCidr ? `${env.network.vpcCidr} + ${env.network.podCidr}` : env.network.vpcCidr;
      return `#### ${env.name} (${cidrs}, ${env.cluster.podNetworking}, ${env.cluster.upgrade.strategy} upgrades)\n\n${formatCapacityReport(env.ipPlan)}`;
    })
    .join("\n\n");
}

/** Replaces the text between `<!-- name:begin -->` and `<!-- name:end -->`. */
export function replaceSection(document: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const start = document.indexOf(begin);
  const stop = document.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`README has no ${begin} ... ${end} section`);
  return `${document.slice(0, start + begin.length)}\n${body}\n${document.slice(stop)}`;
}

/** The README with every generated section brought up to date. */
export function renderReadme(document: string): string {
  return replaceSection(document, "ipplan", ipPlanSection());
}
