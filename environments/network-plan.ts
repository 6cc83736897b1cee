/**
 * From an environment to its IP plan: the planner's input (node groups, Karpenter's worst case,
 * load balancers, endpoints) and the recorded allocation it must keep. Pure: the caller reads the
 * allocation files (see `ip-allocations.ts`).
 */
import { allowedInstanceTypes, DEFAULT_NODE_POOL_REQUIREMENTS, karpenterCpuLimit } from "../addons/karpenter/instance-types";
import { PREFIX_DELEGATION_MAX_PODS } from "../addons/karpenter/values";
import { IpAllocation, IpAllocationError, IpPlan, IpPlanError, IpPlanInput, planSubnets, TierTooLargeError } from "../modules/network/ip-plan";
import type { EnvironmentConfig } from "./schema";

/** One problem of an environment's IP plan, with its path below the environment. */
export interface NetworkPlanIssue {
  readonly path: string;
  readonly message: string;
  readonly received: unknown;
}

/**
 * The planner's input for an environment: every managed node group at its max and, with Karpenter,
 * the NodePool of one AZ (its share of the CPU limit and every instance type its requirements allow;
 * `stacks/addons/core.ts` creates one NodePool per AZ with the same split).
 */
export function ipPlanInput(env: EnvironmentConfig): IpPlanInput {
  const workloads = env.cluster.nodeGroups.workloads;
  return {
    vpcCidr: env.network.vpcCidr,
    ...(env.network.podCidr !== undefined ? { podCidr: env.network.podCidr } : {}),
    azs: env.availabilityZones,
    nodeGroups: Object.entries(env.cluster.nodeGroups).map(([name, g]) => ({ name, instanceTypes: g.instanceTypes, maxNodesPerAz: g.maxNodesPerAz })),
    ...(env.addons.autoscaler === "karpenter"
      ? {
          karpenter: {
            cpuLimitPerAz: Math.ceil(karpenterCpuLimit(workloads, env.availabilityZones.length) / env.availabilityZones.length),
            instanceTypes: allowedInstanceTypes(DEFAULT_NODE_POOL_REQUIREMENTS, workloads.amiType),
            ...(env.cluster.podNetworking === "prefix-delegation" ? { maxPods: PREFIX_DELEGATION_MAX_PODS } : {}),
          },
        }
      : {}),
    podNetworking: env.cluster.podNetworking,
    upgrade: env.cluster.upgrade,
    publicLoadBalancersPerAz: env.network.publicLoadBalancersPerAz,
    internalLoadBalancersPerAz: env.network.internalLoadBalancersPerAz,
    addressesPerLoadBalancer: env.network.addressesPerLoadBalancer,
    interfaceEndpoints: env.network.interfaceEndpoints.length,
    databaseAddressesPerAz: env.network.databaseAddressesPerAz,
    growthFactor: env.network.growthFactor,
  };
}

/**
 * Plans an environment's subnets on top of its recorded allocation; what cannot be planned becomes
 * issues (every shortfall of the recorded allocation, or a new layout that does not fit).
 * @param recorded the environment's recorded allocation. @default - none: a new layout
 */
export function planNetwork(env: EnvironmentConfig, recorded?: IpAllocation): { plan: IpPlan } | { issues: NetworkPlanIssue[] } {
  try {
    return { plan: planSubnets(ipPlanInput(env), recorded) };
  } catch (e) {
    if (e instanceof IpPlanError) {
      const path = e.tier === "pods" ? "network.podCidr" : "network.vpcCidr";
      return { issues: [{ path, message: `the IP plan does not fit: ${e.message}`, received: e.cidr }] };
    }
    if (e instanceof TierTooLargeError) {
      return { issues: [{ path: "cluster.nodeGroups", message: `the IP plan does not fit: ${e.message}`, received: e.tier }] };
    }
    if (e instanceof IpAllocationError) {
      return {
        issues: e.problems.map((p) => ({
          path: `network.ipAllocation.${p.tier}.${p.az}`,
          message: p.message.replace(/<env>/g, env.name),
          received: p.pinned,
        })),
      };
    }
    throw e;
  }
}
