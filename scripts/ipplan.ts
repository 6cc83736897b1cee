/**
 * `npm run ipplan -- [<env>...] [options]`: the IP plan of the environments against their recorded
 * allocations (`environments/ip-allocations/<env>.json`).
 *
 *   (no option)        the capacity report: pinned subnets and reserved blocks against the peak, headroom,
 *                      the assumptions, and what the plan would add to the recorded allocation
 *   --json             the same as JSON
 *   --write            records the allocation: a new environment's layout, or what the plan adds to an
 *                      existing one (a new AZ, an extra private subnet). Never moves what is recorded.
 *   --relayout         records a NEW layout for the named environments, ignoring what was recorded:
 *                      every subnet may move (replaced on the next deploy). Only for an environment you
 *                      can rebuild; needs the environment names.
 *   --check            exits 1 when any environment's plan adds something not recorded (CI)
 *   --base <git-ref>   compares each environment's recorded allocation at <git-ref> with the plan now
 *
 * Exit codes: 0 ok, 1 invalid configuration or --check found unrecorded allocations, 2 bad usage.
 */
import { execFileSync } from "node:child_process";
import { environments } from "../environments";
import { ALLOCATIONS_DIR, loadAllocations, writeAllocation } from "../environments/ip-allocations";
import { ConfigValidationError, PlatformEnvironment, validatePlatform } from "../environments/validate";
import { capacityReport, formatCapacityReport, IpAllocation, SUBNET_TIERS } from "../modules/network/ip-plan";

interface Args {
  readonly names: string[];
  readonly json: boolean;
  readonly write: boolean;
  readonly relayout: boolean;
  readonly check: boolean;
  readonly base?: string;
}

function parseArgs(argv: readonly string[]): Args | { error: string } {
  const names: string[] = [];
  const flags = new Set<string>();
  let base: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--base") {
      base = argv[++i];
      if (base === undefined || base.startsWith("--")) return { error: "--base needs a git ref, e.g. --base origin/main" };
    } else if (["--json", "--write", "--relayout", "--check"].includes(arg)) flags.add(arg);
    else if (arg.startsWith("--")) return { error: `unknown option ${arg}; see the header of scripts/ipplan.ts` };
    else names.push(arg);
  }
  if (flags.has("--write") && flags.has("--relayout")) return { error: "--write and --relayout exclude each other" };
  if (flags.has("--relayout") && names.length === 0) return { error: "--relayout re-lays out only the environments you name, e.g. npm run ipplan -- qa --relayout" };
  return { names, json: flags.has("--json"), write: flags.has("--write"), relayout: flags.has("--relayout"), check: flags.has("--check"), ...(base !== undefined ? { base } : {}) };
}

function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  if ("error" in args) {
    process.stderr.write(`${args.error}\n`);
    return 2;
  }
  const recorded = loadAllocations();
  const allocations = args.relayout ? Object.fromEntries(Object.entries(recorded).filter(([name]) => !args.names.includes(name))) : recorded;
  let envs: PlatformEnvironment[];
  try {
    envs = validatePlatform(environments, { allocations });
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const unknown = args.names.filter((n) => !envs.some((e) => e.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown environment(s): ${unknown.join(", ")}; known: ${envs.map((e) => e.name).join(", ")}\n`);
    return 2;
  }
  const selected = args.names.length === 0 ? envs : envs.filter((e) => args.names.includes(e.name));

  if (args.write || args.relayout) {
    for (const env of selected) {
      const unchanged = !args.relayout && env.ipPlan.additions.length === 0 && recorded[env.name] !== undefined;
      if (unchanged) {
        process.stdout.write(`${env.name}: up to date (${ALLOCATIONS_DIR}/${env.name}.json)\n`);
        continue;
      }
      const file = writeAllocation(env.name, env.ipPlan.allocation);
      const what = args.relayout ? "re-laid out (every subnet may move: review the diff)" : recorded[env.name] === undefined ? "recorded (new)" : `extended: ${env.ipPlan.additions.join("; ")}`;
      process.stdout.write(`${env.name}: ${what} -> ${file}\n`);
    }
    return 0;
  }
  if (args.check) {
    const stale = selected.filter((e) => e.ipPlan.additions.length > 0 || recorded[e.name] === undefined);
    for (const env of stale) {
      process.stderr.write(`${env.name}: the IP plan is not recorded (${env.ipPlan.additions.join("; ") || "no allocation file"}); run: npm run ipplan -- ${env.name} --write\n`);
    }
    return stale.length > 0 ? 1 : 0;
  }
  if (args.base !== undefined) {
    for (const env of selected) process.stdout.write(`${compareWithBase(env, args.base)}\n`);
    return 0;
  }
  if (args.json) {
    const report = Object.fromEntries(selected.map((e) => [e.name, { plan: e.ipPlan, capacity: capacityReport(e.ipPlan) }]));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  for (const env of selected) {
    process.stdout.write(`### ${env.name} (${env.network.vpcCidr}${env.network.podCidr ? ` + ${env.network.podCidr}` : ""}, ${env.cluster.podNetworking})\n\n`);
    process.stdout.write(`${formatCapacityReport(env.ipPlan)}\n\n`);
  }
  return 0;
}

/** The recorded allocation of `env` at `ref` against the plan now, subnet by subnet. */
function compareWithBase(env: PlatformEnvironment, ref: string): string {
  let before: IpAllocation | undefined;
  try {
    const text = execFileSync("git", ["show", `${ref}:${ALLOCATIONS_DIR}/${env.name}.json`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    before = JSON.parse(text) as IpAllocation;
  } catch {
    before = undefined;
  }
  const lines = [`### ${env.name}: IP allocation at ${ref} -> now`, ""];
  if (before === undefined) lines.push(`(no recorded allocation at ${ref}: every subnet below is new)`);
  const after = env.ipPlan.allocation;
  for (const tier of SUBNET_TIERS) {
    const azs = [...new Set([...Object.keys(before?.tiers[tier] ?? {}), ...Object.keys(after.tiers[tier] ?? {})])];
    for (const az of azs) {
      const old = (before?.tiers[tier]?.[az]?.subnets ?? []).map((s) => s.cidr);
      const now = (after.tiers[tier]?.[az]?.subnets ?? []).map((s) => s.cidr);
      for (const cidr of now) lines.push(`${old.includes(cidr) ? "  unchanged" : "+ added    "} ${tier}/${az} ${cidr}`);
      for (const cidr of old.filter((c) => !now.includes(c))) lines.push(`- REMOVED   ${tier}/${az} ${cidr} (the subnet is destroyed)`);
    }
  }
  return lines.join("\n");
}

process.exitCode = main(process.argv.slice(2));
