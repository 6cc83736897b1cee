import { Construct } from "constructs";
import type { PlatformEnvironment } from "../environments/validate";
import { Network } from "../modules/network/network";
import { EnvironmentStack } from "./environment-stack";
import { clusterName, PLATFORM } from "./naming";

/**
 * `<env>-network`: the VPC of one environment, sized by its IP plan. Its outputs (VPC id, subnet
 * ids and CIDRs per tier and AZ) are the contract of the cluster layer.
 */
export class NetworkStack extends EnvironmentStack {
  readonly network: Network;

  constructor(scope: Construct, env: PlatformEnvironment) {
    super(scope, env, "network");
    this.network = new Network(this, "network", {
      name: `${PLATFORM}-${env.name}`,
      plan: env.ipPlan,
      scope: this.scope,
      natGateways: env.network.natGateways,
      interfaceEndpoints: env.network.interfaceEndpoints,
      flowLogRetentionDays: env.network.flowLogRetentionDays,
      clusterName: clusterName(env.name),
    });
  }
}
