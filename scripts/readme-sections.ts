/**
 * Generated README sections, kept true by a test: `npm run docs` rewrites them in place,
 * `__tests__/readme.test.ts` fails when they are stale. Each is derived from the environments.
 */
import { environments } from "../environments";
import { loadAllocations } from "../environments/ip-allocations";
import { accountsOf, deployOrder } from "../environments/derived";
import { PlatformEnvironment, validatePlatform } from "../environments/validate";
import { formatCapacityReport } from "../modules/network/ip-plan";
import { planEnvironmentName } from "../modules/github/github-oidc";
import { bootstrapStackName } from "../stacks/naming";

/** The IP plan report of every environment, as README Markdown. */
export function ipPlanSection(envs: readonly PlatformEnvironment[]): string {
  return envs
    .map((env) => {
      const cidrs = env.network.podCidr ? `${env.network.vpcCidr} + ${env.network.podCidr}` : env.network.vpcCidr;
      return `#### ${env.name} (${cidrs}, ${env.cluster.podNetworking}, ${env.cluster.upgrade.strategy} upgrades)\n\n${formatCapacityReport(env.ipPlan)}`;
    })
    .join("\n\n");
}

/** A Markdown table with one column per environment. */
function table(envs: readonly PlatformEnvironment[], rows: readonly [string, (env: PlatformEnvironment) => string][]): string {
  return [
    `| | ${envs.map((e) => e.name).join(" | ")} |`,
    `| --- |${" --- |".repeat(envs.length)}`,
    ...rows.map(([label, cell]) => `| ${label} | ${envs.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** The environments side by side, in promotion order. */
export function environmentsSection(envs: readonly PlatformEnvironment[]): string {
  const order = deployOrder(envs);
  return table(envs, [
    ["promotion order", (e) => String(e.promotionOrder)],
    ["deployed after", (e) => order.find((s) => s.environment === e.name)!.after ?? "(first)"],
    ["stage", (e) => e.stage],
    ["account", (e) => e.account.alias],
    ["Kubernetes", (e) => e.cluster.kubernetesVersion],
    ["AZs", (e) => String(e.availabilityZones.length)],
    ["VPC / pods", (e) => (e.network.podCidr ? `${e.network.vpcCidr} + ${e.network.podCidr}` : e.network.vpcCidr)],
    ["NAT", (e) => (e.network.natGateways === "single" ? "single" : "one per AZ")],
    ["pod networking", (e) => e.cluster.podNetworking.replace("-", " ")],
    ["node upgrades", (e) => (e.cluster.upgrade.strategy === "rolling" ? "rolling" : "blue/green")],
    ["API endpoint", (e) => (e.cluster.endpointPublicAccessCidrs.length > 0 ? "private + allow-listed public" : "private only")],
  ]);
}

/** The GitHub environments the deploy workflow uses and the bootstrap stack whose deploy role trusts each. */
export function githubEnvironmentsSection(envs: readonly PlatformEnvironment[]): string {
  const order = deployOrder(envs);
  const accounts = accountsOf(envs);
  const rows = order.map((step) => {
    const account = accounts.find((a) => a.environments.includes(step.environment))!;
    // Deploy workflow: `plan <env>-network` runs after the previous environment's last apply.
    const after = step.after === undefined ? "`synth`" : `\`apply ${step.after}-addons\``;
    const environments = `\`${step.environment}\` (applies), \`${planEnvironmentName(step.environment)}\` (held plans)`;
    return `| ${environments} | ${after} | \`${bootstrapStackName(account.alias)}\` (${account.id}) |`;
  });
  return ["| GitHub environments | its first plan job waits for | its deploy role and plan role are in |", "| --- | --- | --- |", ...rows].join("\n");
}

/** Replaces the lines between the line holding `begin` and the line holding `end` with `body`. */
export function replaceLines(document: string, begin: string, end: string, body: string): string {
  const start = document.indexOf(begin);
  const stop = start < 0 ? -1 : document.indexOf(end, start);
  if (start < 0 || stop < 0) throw new Error(`no ${begin} ... ${end} section`);
  const from = document.indexOf("\n", start) + 1;
  const to = document.lastIndexOf("\n", stop) + 1;
  return `${document.slice(0, from)}${body}\n${document.slice(to)}`;
}

/** Replaces the text between `<!-- name:begin -->` and `<!-- name:end -->`. */
export function replaceSection(document: string, name: string, body: string): string {
  return replaceLines(document, `<!-- ${name}:begin -->`, `<!-- ${name}:end -->`, body);
}

/** The README with every generated section brought up to date (from `envs`, by default the platform's). */
export function renderReadme(document: string, envs: readonly PlatformEnvironment[] = validatePlatform(environments, { allocations: loadAllocations() })): string {
  const sections: Record<string, string> = {
    environments: environmentsSection(envs),
    "github-environments": githubEnvironmentsSection(envs),
    ipplan: ipPlanSection(envs),
  };
  return Object.entries(sections).reduce((doc, [name, body]) => replaceSection(doc, name, body), document);
}
