import { describe, expect, it } from "vitest";
import { platform, resources, synth } from "./support/platform";

const { envs, stacks } = platform();

describe.each(envs.map((env) => [env.name, env] as const))("%s-network", (name, env) => {
  const json = synth(stacks.environments[name]!.network);

  it("keeps its own encrypted, locked state in the account's state bucket", () => {
    expect(json.terraform?.backend?.s3).toEqual({
      bucket: `eks-idp-tfstate-${env.account.id}`,
      key: `${name}/network/terraform.tfstate`,
      region: env.region,
      encrypt: true,
      kms_key_id: `arn:aws:kms:${env.region}:${env.account.id}:alias/eks-idp-tfstate`,
      allowed_account_ids: [env.account.id],
      use_lockfile: true,
    });
    expect(json.terraform?.required_version).toBe(">= 1.10.0");
  });

  it("locks the AWS provider to the environment's account and tags everything", () => {
    expect(json.terraform?.required_providers?.aws).toEqual({ source: "hashicorp/aws", version: "6.25.0" });
    const [provider] = json.provider!.aws!;
    expect(provider!.allowed_account_ids).toEqual([env.account.id]);
    expect(provider!.default_tags[0].tags).toMatchObject({
      Environment: name,
      Layer: "network",
      Owner: env.owner,
      ManagedBy: "cdktf/eks-idp",
    });
  });

  it("creates exactly the planned subnets, with literal CIDRs and discovery tags", () => {
    const subnets = Object.values(resources(json, "aws_subnet"));
    expect(subnets.map((s) => [s.availability_zone, s.cidr_block]).sort()).toEqual(
      env.ipPlan.subnets.map((s) => [s.az, s.cidr]).sort(),
    );
    for (const subnet of subnets) {
      const tier = subnet.tags["platform.io/subnet-tier"];
      expect(subnet.map_public_ip_on_launch).toBe(false);
      expect(subnet.tags["kubernetes.io/role/elb"]).toBe(tier === "public" ? "1" : undefined);
      expect(subnet.tags["kubernetes.io/role/internal-elb"]).toBe(tier === "private" ? "1" : undefined);
      expect(subnet.tags["karpenter.sh/discovery"]).toBe(tier === "private" ? `eks-idp-${name}` : undefined);
    }
  });

  it("puts pod subnets in the secondary CIDR only with custom networking", () => {
    const association = Object.values(resources(json, "aws_vpc_ipv4_cidr_block_association"));
    if (env.cluster.podNetworking === "custom-networking") {
      expect(association.map((a) => a.cidr_block)).toEqual([env.network.podCidr]);
    } else {
      expect(association).toEqual([]);
    }
  });

  it("has NAT gateways per the strategy and private routes through them", () => {
    const nats = Object.values(resources(json, "aws_nat_gateway"));
    expect(nats).toHaveLength(env.network.natGateways === "single" ? 1 : env.availabilityZones.length);
    const privateDefaults = Object.values(resources(json, "aws_route")).filter((r) => r.nat_gateway_id);
    expect(privateDefaults).toHaveLength(env.availabilityZones.length);
  });

  it("logs every flow to a KMS-encrypted group with retention", () => {
    const [flowLog] = Object.values(resources(json, "aws_flow_log"));
    expect(flowLog).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    const [group] = Object.values(resources(json, "aws_cloudwatch_log_group"));
    expect(group.retention_in_days).toBe(env.network.flowLogRetentionDays);
    expect(group.kms_key_id).toMatch(/aws_kms_key\./);
    const [key] = Object.values(resources(json, "aws_kms_key"));
    expect(key.enable_key_rotation).toBe(true);
  });

  it("locks the default security group down to no rules", () => {
    const [sg] = Object.values(resources(json, "aws_default_security_group"));
    expect(sg).toMatchObject({ ingress: [], egress: [] });
  });

  it("has the S3 gateway endpoint and the configured interface endpoints", () => {
    const endpoints = Object.values(resources(json, "aws_vpc_endpoint"));
    const names = endpoints.map((e) => e.service_name).sort();
    expect(names).toEqual(
      [...env.network.interfaceEndpoints, "s3"].map((s) => `com.amazonaws.${env.region}.${s}`).sort(),
    );
    for (const endpoint of endpoints.filter((e) => e.vpc_endpoint_type === "Interface")) {
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.subnet_ids).toHaveLength(env.availabilityZones.length);
    }
  });

  it("publishes the contract the cluster layer reads", () => {
    expect(Object.keys(json.output ?? {})).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/vpc_id/),
        expect.stringMatching(/private_subnet_ids/),
        expect.stringMatching(/intra_subnet_ids/),
      ]),
    );
  });
});

describe("bootstrap stacks", () => {
  it("exist once per account with a hardened, undeletable state bucket on local state", () => {
    expect(stacks.bootstrap.map((s) => s.node.id)).toEqual(["bootstrap-nonprod", "bootstrap-prod"]);
    const json = synth(stacks.bootstrap[1]!);
    expect(json.terraform?.backend?.local).toBeDefined();
    // The state bucket's resources (the account's access-log bucket sits next to them).
    const state = (type: string) => Object.entries(resources(json, type)).filter(([name]) => name.startsWith("state-bucket_")).map(([, r]) => r as any);
    const [bucket] = state("aws_s3_bucket");
    expect(bucket).toMatchObject({ bucket: "eks-idp-tfstate-444455556666", lifecycle: { prevent_destroy: true } });
    expect(state("aws_s3_bucket_versioning")[0].versioning_configuration.status).toBe("Enabled");
    const [sse] = state("aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(state("aws_s3_bucket_public_access_block")[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const policy = JSON.parse(state("aws_s3_bucket_policy")[0].policy);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    const [key] = Object.values(resources(json, "aws_kms_key"));
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
  });
});
