/**
 * `npm run ipplan -- <env> [--json]`: prints the capacity report of an environment's IP plan
 * (subnet, CIDR, usable addresses, projected peak at max scale and during an upgrade, headroom).
 */
import { environments } from "../environments";
import { ConfigValidationError, validatePlatform } from "../environments/validate";
import { capacityReport, formatCapacityReport } from "../modules/network/ip-plan";

function main(argv: readonly string[]): number {
  const json = argv.includes("--json");
  const names = argv.filter((a) => !a.startsWith("--"));
  let envs;
  try {
    envs = validatePlatform(environments);
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const unknown = names.filter((n) => !envs.some((e) => e.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown environment(s): ${unknown.join(", ")}; known: ${envs.map((e) => e.name).join(", ")}\n`);
    return 2;
  }
  const selected = names.length === 0 ? envs : envs.filter((e) => names.includes(e.name));
  if (json) {
    const report = Object.fromEntries(selected.map((e) => [e.name, { plan: e.ipPlan, capacity: capacityReport(e.ipPlan) }]));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const env of selected) {
      process.stdout.write(`### ${env.name} (${env.network.vpcCidr}${env.network.podCidr ? ` + ${env.network.podCidr}` : ""}, ${env.cluster.podNetworking})\n\n`);
      process.stdout.write(`${formatCapacityReport(env.ipPlan)}\n\n`);
    }
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
