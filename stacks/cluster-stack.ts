import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { teamGrants } from "../environments/access";
import type { PlatformEnvironment } from "../environments/validate";
import { GITHUB_REPOSITORY } from "../environments/github";
import { CodebuildRunner } from "../modules/ci-runner/codebuild-runner";
import { EksCluster } from "../modules/eks/eks-cluster";
import { ClusterAccess } from "../modules/eks/control-plane";
import { EnvironmentStack } from "./environment-stack";
import { clusterName, PLATFORM } from "./naming";
import { NetworkLookup } from "./network-contract";
import type { NetworkStack } from "./network-stack";

/** Access entries of an environment: admins get cluster admin, viewers read-all without Secrets, teams their namespaces only. */
export function clusterAccess(env: PlatformEnvironment): Record<string, ClusterAccess> {
  const access: Record<string, ClusterAccess> = {};
  for (const [key, arn] of Object.entries(env.cluster.access.admins)) {
    access[`admin-${key}`] = { principalArn: arn, policy: "cluster-admin" };
  }
  for (const [key, arn] of Object.entries(env.cluster.access.viewers)) {
    access[`viewer-${key}`] = { principalArn: arn, policy: "view" };
  }
  for (const [key, team] of Object.entries(env.cluster.access.teams)) {
    // The strongest right is the primary association, so a team's address does not move when a
    // weaker right on another namespace is added.
    const [primary, ...more] = teamGrants(team);
    access[`team-${key}`] = {
      principalArn: team.roleArn,
      policy: primary!.right,
      namespaces: primary!.namespaces,
      ...(more.length > 0 ? { additionalPolicies: Object.fromEntries(more.map((g) => [g.right, g.namespaces])) } : {}),
    };
  }
  return access;
}

/**
 * `<env>-cluster`: the EKS cluster of one environment on the network layer's subnets, with its
 * managed add-ons and node groups. Deployed after `<env>-network`.
 */
export class ClusterStack extends EnvironmentStack {
  readonly network: NetworkLookup;
  readonly eks: EksCluster;
  readonly runner: CodebuildRunner;

  constructor(scope: Construct, env: PlatformEnvironment, networkStack: NetworkStack) {
    super(scope, env, "cluster");
    this.addDependency(networkStack);
    this.network = new NetworkLookup(this, "network", env);
    const azCount = env.availabilityZones.length;
    const custom = env.cluster.podNetworking === "custom-networking";

    this.eks = new EksCluster(this, "eks", {
      clusterName: clusterName(env.name),
      kubernetesVersion: env.cluster.kubernetesVersion,
      scope: this.scope,
      controlPlaneSubnetIds: this.network.ids("intra", env),
      nodeSubnetIds: this.network.allIds("private"),
      podNetworking: env.cluster.podNetworking,
      ...(custom ? { podSubnetIds: this.network.subnetIds.pods } : {}),
      nodeGroups: Object.fromEntries(
        Object.entries(env.cluster.nodeGroups).map(([key, g]) => [
          key,
          {
            instanceTypes: g.instanceTypes,
            capacityType: g.capacityType,
            minSize: g.minNodesPerAz * azCount,
            maxSize: g.maxNodesPerAz * azCount,
            amiType: g.amiType,
            diskSizeGiB: g.diskSizeGiB,
            labels: g.labels,
            taints: g.taints,
          },
        ]),
      ),
      upgrade: env.cluster.upgrade,
      nodeAmiReleaseVersions: env.cluster.nodeAmiReleaseVersions,
      publicAccessCidrs: env.cluster.endpointPublicAccessCidrs,
      access: clusterAccess(env),
      logRetentionDays: env.cluster.controlPlaneLogRetentionDays,
      deletionProtection: env.stage === "prod",
      zonalShift: env.stage === "prod",
    });

    const cp = this.eks.controlPlane;
    // The GitHub Actions runners of the add-ons plans and applies, inside the VPC (docs/ci.md).
    this.runner = new CodebuildRunner(this, "github-runner", {
      environmentPrefix: `${PLATFORM}-${env.name}`,
      repository: GITHUB_REPOSITORY,
      scope: this.scope,
      vpcId: this.network.vpc.id,
      subnetIds: this.network.ids("private", env),
      clusterSecurityGroupId: cp.cluster.vpcConfig.clusterSecurityGroupId,
    });
    new TerraformOutput(this, "cluster_name", { value: cp.cluster.name, description: "EKS cluster name" });
    new TerraformOutput(this, "cluster_endpoint", { value: cp.cluster.endpoint, description: "API server endpoint" });
    new TerraformOutput(this, "oidc_provider_arn", { value: cp.oidcProvider.arn, description: "IAM OIDC provider for IRSA" });
    new TerraformOutput(this, "node_role_arn", { value: this.eks.nodeRole.arn, description: "IAM role of the nodes" });
  }
}
