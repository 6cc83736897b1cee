import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Construct } from "constructs";
import type { PlatformEnvironment } from "../environments/validate";
import { SubnetTier, subnetsOf } from "../modules/network/ip-plan";
import { PLATFORM } from "./naming";

/**
 * How an upper layer finds the network layer of its environment: the VPC by its `Name` tag and each
 * subnet by VPC and literal CIDR from the IP plan (both known at synth time). No remote state is
 * read, so the layers share no state file; if the network layer is not deployed yet, the plan fails
 * at once saying the VPC was not found.
 */
export class NetworkLookup extends Construct {
  readonly vpc: DataAwsVpc;
  /** Subnet ids by tier, then by AZ name (only tiers the plan has). */
  readonly subnetIds: Readonly<Record<SubnetTier, Readonly<Record<string, string>>>>;

  constructor(scope: Construct, id: string, env: PlatformEnvironment) {
    super(scope, id);
    this.vpc = new DataAwsVpc(this, "vpc", {
      filter: [{ name: "tag:Name", values: [`${PLATFORM}-${env.name}`] }],
      state: "available",
    });
    const byTier: Record<SubnetTier, Record<string, string>> = { public: {}, private: {}, pods: {}, intra: {}, database: {} };
    for (const subnet of env.ipPlan.subnets) {
      const found = new DataAwsSubnet(this, `subnet-${subnet.tier}-${subnet.az}`, {
        vpcId: this.vpc.id,
        cidrBlock: subnet.cidr,
        availabilityZone: subnet.az,
      });
      byTier[subnet.tier][subnet.az] = found.id;
    }
    this.subnetIds = byTier;
  }

  /** Subnet ids of a tier in AZ order. */
  ids(tier: SubnetTier, env: PlatformEnvironment): string[] {
    return subnetsOf(env.ipPlan, tier).map((s) => this.subnetIds[tier][s.az]!);
  }
}
