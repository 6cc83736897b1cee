/**
 * A generated fleet of environments for `npm run bench` (scripts/bench-synth-n.ts) and the tests:
 * N valid environments cloned from real ones.
 *
 * Clones are named `e01`, `e02`, ... (`e100` and up past 99) with VPC `10.<i>.0.0/16`; their DNS
 * names and tags follow the new name. With several sources (`dev,prd`) the clones alternate between
 * them (each keeps its source's stage and account) and all run the oldest source's Kubernetes
 * version; promotion order is the clone order, nonprod clones before every prod clone, so the
 * promotion rules stay valid. No clone has a recorded IP allocation: each gets the planner's
 * deterministic in-memory layout.
 */
import type { EnvironmentInput } from "../environments/schema";

/** The most clones: one /16 per clone inside 10.0.0.0/8, leaving 10.0.0.0/16 out. */
export const MAX_ENVIRONMENTS = 200;

/** Promotion order offset of prod clones: after every nonprod clone (at most MAX_ENVIRONMENTS). */
const PROD_PROMOTION_OFFSET = 500;

/** N environments cloned from `sources` (alternating), valid together. */
export function cloneEnvironments(n: number, sources: readonly EnvironmentInput[]): EnvironmentInput[] {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ENVIRONMENTS) {
    throw new Error(`N must be an integer from 1 to ${MAX_ENVIRONMENTS}, got ${n}`);
  }
  if (sources.length === 0) throw new Error("at least one source environment is needed");
  const version = sources
    .map((s) => s.cluster.kubernetesVersion)
    .reduce((a, b) => (minor(b) < minor(a) ? b : a));
  return Array.from({ length: n }, (_, index) => {
    const source = sources[index % sources.length]!;
    const name = cloneName(index);
    const env = structuredClone(source) as EnvironmentInput & Record<string, unknown>;
    const rename = (text: string): string => renameLabel(text, source.name, name);
    env.name = name;
    env.promotionOrder = (source.stage === "prod" ? PROD_PROMOTION_OFFSET : 0) + index + 1;
    env.network.vpcCidr = `10.${index + 1}.0.0/16`;
    env.cluster.kubernetesVersion = version;
    if (env.tags) env.tags = Object.fromEntries(Object.entries(env.tags).map(([k, v]) => [k, rename(v)]));
    env.addons.auth.hostname = rename(env.addons.auth.hostname);
    if (env.addons.dns) env.addons.dns.domain = rename(env.addons.dns.domain);
    return env;
  });
}

/** Name of the clone at `index` (0-based): `e01`, `e02`, ..., `e100`. */
export function cloneName(index: number): string {
  return `e${String(index + 1).padStart(2, "0")}`;
}

/** Replaces `from` where it is a whole `.`- or `-`-separated label of `text`. */
function renameLabel(text: string, from: string, to: string): string {
  return text
    .split(".")
    .map((label) => label.split("-").map((part) => (part === from ? to : part)).join("-"))
    .join(".");
}

function minor(version: string): number {
  return Number(version.split(".")[1]);
}
