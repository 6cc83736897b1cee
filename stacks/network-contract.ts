import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Construct } from "constructs";
import type { PlatformEnvironment } from "../environments/validate";
import { SubnetTier, subnetsOf } from "../modules/network/ip-plan";
import { subnetKey } from "../modules/network/network";
import { PLATFORM } from "./naming";

/**
 * How an upper layer finds the network layer of its environment: the VPC by its `Name` tag and each
 * subnet by VPC and literal CIDR from the IP plan (both known at synth time). No remote state is
 * read, so the layers share no state file; if the network layer is not deployed yet, the plan fails
 * at once saying the VPC was not found.
 */
export class NetworkLookup extends Construct {
  readonly vpc: DataAwsVpc;
  /** Ids of the first subnet of each tier, by tier, then by AZ name (only tiers the plan has). */
  readonly subnetIds: Readonly<Record<SubnetTier, Readonly<Record<string, string>>>>;
  private readonly all: Readonly<Record<SubnetTier, readonly string[]>>;

  constructor(scope: Construct, id: string, env: PlatformEnvironment) {
    super(scope, id);
    this.vpc = new DataAwsVpc(this, "vpc", {
      filter: [{ name: "tag:Name", values: [`${PLATFORM}-${env.name}`] }],
      state: "available",
    });
    const byTier: Record<SubnetTier, Record<string, string>> = { public: {}, private: {}, pods: {}, intra: {}, database: {} };
    const all: Record<SubnetTier, string[]> = { public: [], private: [], pods: [], intra: [], database: [] };
    for (const subnet of env.ipPlan.subnets) {
      const found = new DataAwsSubnet(this, `subnet-${subnetKey(subnet)}`, {
        vpcId: this.vpc.id,
        cidrBlock: subnet.cidr,
        availabilityZone: subnet.az,
      });
      if (subnet.ordinal === 1) byTier[subnet.tier][subnet.az] = found.id;
      all[subnet.tier].push(found.id);
    }
    this.subnetIds = byTier;
    this.all = all;
  }

  /** Ids of the first subnet of a tier in each AZ, in AZ order (one per AZ, e.g. for OpenSearch). */
  ids(tier: SubnetTier, env: PlatformEnvironment): string[] {
    return subnetsOf(env.ipPlan, tier).filter((s) => s.ordinal === 1).map((s) => this.subnetIds[tier][s.az]!);
  }

  /** Ids of every subnet of a tier (extra private subnets included), in the plan's order. */
  allIds(tier: SubnetTier): string[] {
    return [...this.all[tier]];
  }
}
