/**
 * Test environments built from the real ones, so that no test hard-codes the list of environments
 * or their positions: deep copies to break, and an extra environment to add.
 */
import { environments } from "../../environments";
import type { EnvironmentInput } from "../../environments/schema";
import { ConfigIssue, ConfigValidationError, inPromotionOrder, validatePlatform } from "../../environments/validate";
import { ciRoleNames } from "../../modules/github/ci-policies";
import { cidrsOverlap } from "../../modules/network/cidr";
import { PLATFORM } from "../../stacks/naming";

/** A deep copy of the real environments that a test may change, by name. */
export function environmentInputs(): Record<string, any> {
  return Object.fromEntries(structuredClone(environments).map((e) => [e.name, e]));
}

/** The problems of the real environments after `mutate` changed a deep copy of them (by name); [] when valid. */
export function issuesAfter(mutate: (envs: Record<string, any>) => void): readonly ConfigIssue[] {
  const envs = environmentInputs();
  mutate(envs);
  try {
    validatePlatform(Object.values(envs));
    return [];
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.issues;
    throw e;
  }
}

/** The real environments' names in promotion order. */
export function namesInPromotionOrder(): string[] {
  return inPromotionOrder(validatePlatform(environments)).map((e) => e.name);
}

/** `preferred` if no environment has that name yet, else `preferred` with the first free digit suffix. */
export function unusedName(preferred: string, envs: readonly EnvironmentInput[] = environments): string {
  const taken = new Set(envs.map((e) => e.name));
  for (let i = 0; ; i++) {
    const name = i === 0 ? preferred : `${preferred}${i}`;
    if (!taken.has(name)) return name;
  }
}

/** The first /16 in 10.0.0.0/8 that overlaps no environment's VPC or pod CIDR. */
export function freeVpcCidr(envs: readonly EnvironmentInput[] = environments): string {
  const used = envs.flatMap((e) => [e.network.vpcCidr, ...(e.network.podCidr ? [e.network.podCidr] : [])]);
  for (let i = 0; i < 256; i++) {
    const cidr = `10.${i}.0.0/16`;
    if (!used.some((u) => cidrsOverlap(u, cidr))) return cidr;
  }
  throw new Error("no free /16 in 10.0.0.0/8");
}

export interface ExtraEnvironmentOptions {
  readonly name: string;
  /** Place in the promotion order. @default - halfway between the first two environments */
  readonly promotionOrder?: number;
  /** Availability zones: the first ones of the template's. @default 2 */
  readonly azCount?: number;
  /** @default - the first free /16 in 10.0.0.0/8 */
  readonly vpcCidr?: string;
}

/**
 * A new nonprod environment (like `qa`): a copy of the first nonprod environment in promotion
 * order with its own name, place, VPC, hostnames and AZ count.
 */
export function extraEnvironment(options: ExtraEnvironmentOptions): EnvironmentInput {
  const validated = validatePlatform(environments);
  const template = validated.find((e) => e.stage === "nonprod")!;
  const input = structuredClone(environments.find((e) => e.name === template.name)!) as any;
  const [first, second] = validated;
  const promotionOrder = options.promotionOrder ?? Math.floor((first!.promotionOrder + second!.promotionOrder) / 2);
  const domain = `${options.name}.platform.example.com`;
  // The template's CI deploy role becomes the new environment's own (validation refuses another's).
  const ownDeployRole = (arn: string) => arn.replace(`/${ciRoleNames(PLATFORM).deploy(template.name)}`, `/${ciRoleNames(PLATFORM).deploy(options.name)}`);
  const access = input.cluster.access;
  return {
    ...input,
    cluster: {
      ...input.cluster,
      access: {
        ...access,
        admins: Object.fromEntries(Object.entries(access.admins as Record<string, string>).map(([k, arn]) => [k, ownDeployRole(arn)])),
        ...(access.viewers ? { viewers: Object.fromEntries(Object.entries(access.viewers as Record<string, string>).map(([k, arn]) => [k, ownDeployRole(arn)])) } : {}),
      },
    },
    name: options.name,
    promotionOrder,
    availabilityZones: input.availabilityZones.slice(0, options.azCount ?? 2),
    tags: { ...input.tags, CostCenter: `platform-${options.name}` },
    network: { ...input.network, vpcCidr: options.vpcCidr ?? freeVpcCidr() },
    addons: {
      ...input.addons,
      auth: { ...input.addons.auth, hostname: `sso.${domain}` },
      ...(input.addons.dns ? { dns: { ...input.addons.dns, domain } } : {}),
    },
  };
}

/**
 * An added nonprod environment (see {@link extraEnvironment}) whose add-on roles use EKS Pod
 * Identity instead of IRSA (`cluster.workloadIdentity`).
 */
export function podIdentityEnvironment(name: string = unusedName("podid")): EnvironmentInput {
  const env = extraEnvironment({ name });
  return { ...env, cluster: { ...env.cluster, workloadIdentity: "pod-identity" } };
}
