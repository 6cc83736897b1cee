import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Ec2SubnetCidrReservation } from "@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcIpv4CidrBlockAssociation } from "@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AwsScope, policyDocument, serviceTrustPolicy } from "../irsa/policy-document";
import { PlatformKey } from "../kms/platform-key";
import { IpPlan, PlannedSubnet, SubnetTier, subnetsOf } from "./ip-plan";

/** Tags that tell EKS, the AWS Load Balancer Controller and Karpenter what a subnet is for. */
export function subnetRoleTags(tier: SubnetTier, clusterName: string | undefined): Record<string, string> {
  const tags: Record<string, string> = { "platform.io/subnet-tier": tier };
  if (tier === "public") tags["kubernetes.io/role/elb"] = "1";
  if (tier === "private") tags["kubernetes.io/role/internal-elb"] = "1";
  if (clusterName !== undefined && tier === "private") tags["karpenter.sh/discovery"] = clusterName;
  return tags;
}

export interface NetworkProps {
  /** Prefix of resource names and `Name` tags, e.g. `eks-idp-dev`. */
  readonly name: string;
  /** The subnet plan from `planSubnets`; its literal CIDRs become the subnets. */
  readonly plan: IpPlan;
  /** Account, region and partition (for the flow-log key and endpoint service names). */
  readonly scope: AwsScope;
  /** One NAT gateway for the whole VPC, or one per AZ. */
  readonly natGateways: "single" | "one-per-az";
  /**
   * Interface endpoints to create, as service names after `com.amazonaws.<region>.`.
   * @default - none
   */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * Retention of the flow log group, in days.
   * @default 90
   */
  readonly flowLogRetentionDays?: number;
  /**
   * Cluster that will run in this VPC: adds Karpenter's discovery tag to the private subnets.
   * @default - no cluster discovery tags
   */
  readonly clusterName?: string;
}

/**
 * A VPC built from an IP plan: subnets per tier and AZ with the EKS discovery tags, an internet
 * gateway, NAT per strategy, route tables per AZ, an S3 gateway endpoint, interface endpoints,
 * flow logs to a KMS-encrypted log group, and a default security group with no rules.
 *
 * Construct ids are keyed by tier and AZ name (never by position), so adding an AZ or a tier
 * never renames existing subnets.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  /** The first subnet of each tier, by tier, then by AZ name. */
  readonly subnets: Readonly<Record<SubnetTier, Readonly<Record<string, Subnet>>>>;
  /** Every subnet of each tier (extra private subnets included), in the plan's order. */
  readonly allSubnets: Readonly<Record<SubnetTier, readonly Subnet[]>>;
  readonly flowLogGroup: CloudwatchLogGroup;
  /** Security group of the interface endpoints (HTTPS from the VPC). */
  readonly endpointSecurityGroup: SecurityGroup | undefined;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { plan, name } = props;
    const azs = [...new Set(plan.subnets.map((s) => s.az))];

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: plan.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: name },
    });
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${name}-default-do-not-use` },
    });

    const secondary =
      plan.podCidr !== undefined && subnetsOf(plan, "pods").length > 0
        ? new VpcIpv4CidrBlockAssociation(this, "pod-cidr", { vpcId: this.vpc.id, cidrBlock: plan.podCidr })
        : undefined;

    const subnets: Record<SubnetTier, Record<string, Subnet>> = {
      public: {},
      private: {},
      pods: {},
      intra: {},
      database: {},
    };
    const allSubnets: Record<SubnetTier, Subnet[]> = { public: [], private: [], pods: [], intra: [], database: [] };
    const extras: { planned: PlannedSubnet; subnet: Subnet }[] = [];
    for (const planned of plan.subnets) {
      const subnet = this.subnet(planned, props, secondary);
      allSubnets[planned.tier].push(subnet);
      if (planned.ordinal === 1) subnets[planned.tier][planned.az] = subnet;
      else extras.push({ planned, subnet });
      if (planned.prefixReservation !== undefined) {
        // Prefix delegation needs free, aligned /28 blocks: reserve them so that single addresses
        // (ENI primaries, load balancers, endpoints) never fragment that part of the subnet.
        new Ec2SubnetCidrReservation(this, `prefix-reservation-${subnetKey(planned)}`, {
          subnetId: subnet.id,
          cidrBlock: planned.prefixReservation,
          reservationType: "prefix",
          description: "VPC CNI prefix delegation (/28 prefixes)",
        });
      }
    }
    this.subnets = subnets;
    this.allSubnets = allSubnets;

    // Internet egress: IGW for public subnets, NAT gateways for private and pod subnets.
    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: { Name: name } });
    const publicRoutes = new RouteTable(this, "rt-public", { vpcId: this.vpc.id, tags: { Name: `${name}-public` } });
    new Route(this, "rt-public-default", {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    for (const az of azs) this.associate(`public-${az}`, subnets.public[az], publicRoutes);

    const natAzs = props.natGateways === "single" ? [azs[0]!] : azs;
    const nats: Record<string, NatGateway> = {};
    for (const az of natAzs) {
      const eip = new Eip(this, `nat-eip-${az}`, { domain: "vpc", tags: { Name: `${name}-nat-${az}` } });
      nats[az] = new NatGateway(this, `nat-${az}`, {
        allocationId: eip.id,
        subnetId: requireSubnet(subnets.public, az, "public").id,
        tags: { Name: `${name}-${az}` },
        dependsOn: [igw],
      });
    }

    const privateRouteTables: RouteTable[] = [];
    for (const az of azs) {
      const table = new RouteTable(this, `rt-private-${az}`, {
        vpcId: this.vpc.id,
        tags: { Name: `${name}-private-${az}` },
      });
      new Route(this, `rt-private-${az}-default`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: (nats[az] ?? nats[natAzs[0]!]!).id,
      });
      this.associate(`private-${az}`, subnets.private[az], table);
      this.associate(`pods-${az}`, subnets.pods[az], table);
      for (const extra of extras.filter((e) => e.planned.az === az && e.planned.tier === "private")) {
        this.associate(subnetKey(extra.planned), extra.subnet, table);
      }
      privateRouteTables.push(table);
    }
    // Intra (control-plane ENIs) and database subnets have no route to the internet.
    const isolatedRoutes = new RouteTable(this, "rt-isolated", { vpcId: this.vpc.id, tags: { Name: `${name}-isolated` } });
    for (const az of azs) {
      this.associate(`intra-${az}`, subnets.intra[az], isolatedRoutes);
      this.associate(`database-${az}`, subnets.database[az], isolatedRoutes);
    }

    const { region, partition, accountId } = props.scope;
    new VpcEndpoint(this, "endpoint-s3", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...privateRouteTables.map((t) => t.id), isolatedRoutes.id],
      tags: { Name: `${name}-s3` },
    });
    this.endpointSecurityGroup = this.interfaceEndpoints(props, subnets.private, azs);

    // Flow logs: every accepted and rejected flow, to an encrypted log group with retention.
    const logGroupName = `/aws/vpc/${name}/flow-logs`;
    const logGroupArn = `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName}`;
    const key = new PlatformKey(this, "flow-log-key", {
      alias: `${name}-flow-logs`,
      description: `Encrypts the VPC flow logs of ${name}`,
      scope: props.scope,
      cloudWatchLogGroupArns: [logGroupArn],
    });
    this.flowLogGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      name: logGroupName,
      retentionInDays: props.flowLogRetentionDays ?? 90,
      kmsKeyId: key.arn,
    });
    const flowLogRole = new IamRole(this, "flow-log-role", {
      name: `${name}-vpc-flow-logs`,
      assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", accountId),
    });
    new IamRolePolicy(this, "flow-log-role-policy", {
      role: flowLogRole.id,
      name: "write-flow-logs",
      policy: JSON.stringify(
        policyDocument([
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            Resource: [logGroupArn, `${logGroupArn}:log-stream:*`],
          },
          // AWS's documented flow-log role policy also lists logs:DescribeLogGroups (VPC user guide,
          // flow-logs-iam-role); it lists groups, so it is scoped to this account and region.
          {
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups"],
            Resource: [`arn:${partition}:logs:${region}:${accountId}:log-group:*`],
          },
        ]),
      ),
    });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
      tags: { Name: name },
    });

    this.outputs(plan);
  }

  private subnet(planned: PlannedSubnet, props: NetworkProps, secondary: VpcIpv4CidrBlockAssociation | undefined): Subnet {
    return new Subnet(this, `subnet-${subnetKey(planned)}`, {
      vpcId: planned.tier === "pods" && secondary ? secondary.vpcId : this.vpc.id,
      cidrBlock: planned.cidr,
      availabilityZone: planned.az,
      mapPublicIpOnLaunch: false,
      tags: { Name: `${props.name}-${subnetKey(planned)}`, ...subnetRoleTags(planned.tier, props.clusterName) },
      dependsOn: planned.tier === "pods" && secondary ? [secondary] : undefined,
    });
  }

  private associate(id: string, subnet: Subnet | undefined, table: RouteTable): void {
    if (subnet === undefined) return;
    new RouteTableAssociation(this, `rta-${id}`, { subnetId: subnet.id, routeTableId: table.id });
  }

  private interfaceEndpoints(
    props: NetworkProps,
    privateSubnets: Record<string, Subnet>,
    azs: readonly string[],
  ): SecurityGroup | undefined {
    const services = props.interfaceEndpoints ?? [];
    if (services.length === 0) return undefined;
    const group = new SecurityGroup(this, "endpoint-sg", {
      name: `${props.name}-vpc-endpoints`,
      description: "HTTPS from the VPC to interface endpoints",
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-vpc-endpoints` },
    });
    const sources = [props.plan.vpcCidr, ...(subnetsOf(props.plan, "pods").length > 0 && props.plan.podCidr ? [props.plan.podCidr] : [])];
    sources.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `endpoint-sg-https-${i === 0 ? "vpc" : "pods"}`, {
        securityGroupId: group.id,
        description: `HTTPS from ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });
    for (const service of [...services].sort()) {
      new VpcEndpoint(this, `endpoint-${service.replace(/\./g, "-")}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.scope.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: azs.map((az) => requireSubnet(privateSubnets, az, "private").id),
        securityGroupIds: [group.id],
        tags: { Name: `${props.name}-${service}` },
      });
    }
    return group;
  }

  /** The contract the cluster layer consumes: ids and CIDRs per tier and AZ. */
  private outputs(plan: IpPlan): void {
    new TerraformOutput(this, "vpc_id", { value: this.vpc.id, description: "VPC id" });
    new TerraformOutput(this, "vpc_cidr", { value: plan.vpcCidr, description: "Primary VPC CIDR" });
    for (const tier of Object.keys(this.subnets) as SubnetTier[]) {
      const byAz = this.subnets[tier];
      if (Object.keys(byAz).length === 0) continue;
      new TerraformOutput(this, `${tier}_subnet_ids`, {
        value: Object.fromEntries(Object.entries(byAz).map(([az, s]) => [az, s.id])),
        description: `${tier} subnet ids by availability zone`,
      });
      new TerraformOutput(this, `${tier}_subnet_cidrs`, {
        value: Object.fromEntries(subnetsOf(plan, tier).filter((s) => s.ordinal === 1).map((s) => [s.az, s.cidr])),
        description: `${tier} subnet CIDRs by availability zone`,
      });
    }
  }
}

/**
 * The stable key of a planned subnet in construct ids and names: `<tier>-<az>` for the first subnet
 * of its tier in its AZ, `<tier>-<az>-<ordinal>` for extra ones (never renumbered).
 */
export function subnetKey(planned: Pick<PlannedSubnet, "tier" | "az" | "ordinal">): string {
  return planned.ordinal === 1 ? `${planned.tier}-${planned.az}` : `${planned.tier}-${planned.az}-${planned.ordinal}`;
}

function requireSubnet(byAz: Record<string, Subnet>, az: string, tier: SubnetTier): Subnet {
  const subnet = byAz[az];
  if (subnet === undefined) throw new Error(`the IP plan has no ${tier} subnet in ${az}`);
  return subnet;
}
