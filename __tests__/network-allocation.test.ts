/**
 * The Network construct renders what the IP plan allocates: extra private subnets (with their own
 * ids, route table association and discovery tags) and prefix reservations.
 */
import { App, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { IpPlanInput, planSubnets } from "../modules/network/ip-plan";
import { Network } from "../modules/network/network";

const input: IpPlanInput = {
  vpcCidr: "10.40.0.0/16",
  azs: ["eu-west-1a", "eu-west-1b"],
  nodeGroups: [{ name: "workloads", instanceTypes: ["m6i.xlarge"], maxNodesPerAz: 4 }],
  podNetworking: "prefix-delegation",
  upgrade: { strategy: "rolling", maxUnavailable: 1 },
};

function render(plan: ReturnType<typeof planSubnets>): Record<string, Record<string, any>> {
  const stack = new TerraformStack(new App(), "network");
  new Network(stack, "network", {
    name: "idp-test",
    plan,
    scope: { partition: "aws", region: "eu-west-1", accountId: "111122223333" },
    natGateways: "single",
    clusterName: "idp-test",
  });
  return JSON.parse(Testing.synth(stack)).resource;
}

describe("Network from a recorded allocation", () => {
  const recorded = planSubnets(input).allocation;
  const grown = planSubnets({ ...input, nodeGroups: [{ ...input.nodeGroups[0]!, maxNodesPerAz: 12 }] }, recorded);
  const resource = render(grown);

  it("keeps the first subnets' addresses and adds the extra ones under new keys", () => {
    const extra = grown.subnets.filter((s) => s.ordinal > 1);
    expect(extra.length).toBeGreaterThan(0);
    for (const az of input.azs) {
      expect(Object.values(resource.aws_subnet!).find((s: any) => s.tags.Name === `idp-test-private-${az}`)).toMatchObject({
        cidr_block: recorded.tiers.private![az]!.subnets[0]!.cidr,
      });
    }
    for (const s of extra) {
      const subnet = Object.values(resource.aws_subnet!).find((r: any) => r.tags.Name === `idp-test-private-${s.az}-${s.ordinal}`) as any;
      expect(subnet).toMatchObject({ cidr_block: s.cidr, availability_zone: s.az });
      expect(subnet.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": "idp-test" });
    }
    // Every private subnet routes through its AZ's private route table.
    const associations = Object.values(resource.aws_route_table_association!).length;
    expect(associations).toBe(grown.subnets.filter((s) => s.tier !== "pods").length);
  });

  it("reserves each private subnet's prefix block for prefix delegation", () => {
    const reservations = Object.values(resource.aws_ec2_subnet_cidr_reservation!) as any[];
    const privateSubnets = grown.subnets.filter((s) => s.tier === "private");
    expect(reservations.map((r) => r.cidr_block).sort()).toEqual(privateSubnets.map((s) => s.prefixReservation).sort());
    for (const r of reservations) expect(r.reservation_type).toBe("prefix");
  });
});
