/**
 * How another team uses the platform's modules in its own cdktf project, without any of this
 * repository's environments: plan a VPC for its cluster, build the VPC and an EKS cluster in one
 * stack, and install one add-on (metrics-server) from a second stack that finds the cluster by name.
 *
 * A stock `cdktf init --template=typescript` project (its tsconfig.json, `module: CommonJS`, is the
 * template's, unchanged) that imports everything through the package's public `exports`
 * (`@platform/eks-idp/modules/...`, `@platform/eks-idp/addons/...`) after the install line of
 * package.json. The tests pack the package, install the tarball into a copy of this folder outside
 * the repository, compile it with tsc and run it.
 */
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { MetricsServer } from "@platform/eks-idp/addons/metrics-server";
import { EksCluster } from "@platform/eks-idp/modules/eks/eks-cluster";
import { planSubnets, subnetsOf } from "@platform/eks-idp/modules/network/ip-plan";
import { Network } from "@platform/eks-idp/modules/network/network";
import { App, Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";

const region = "eu-west-1";
const scope = { partition: "aws", region, accountId: "123456789012" };
const name = "team-analytics";

/** The team's VPC and cluster. */
export class ClusterStack extends TerraformStack {
  constructor(app: Construct, id: string) {
    super(app, id);
    new AwsProvider(this, "aws", { region, allowedAccountIds: [scope.accountId] });

    const plan = planSubnets({
      vpcCidr: "10.99.0.0/20",
      azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      nodeGroups: [{ name: "default", instanceTypes: ["m7i.large"], maxNodesPerAz: 4 }],
      podNetworking: "secondary-ip",
      upgrade: { strategy: "rolling", maxUnavailable: 1 },
      interfaceEndpoints: 0,
    });
    const network = new Network(this, "network", { name, plan, scope, natGateways: "single", clusterName: name });
    const ids = (tier: "private" | "intra") => subnetsOf(plan, tier).map((s) => network.subnets[tier][s.az]!.id);

    new EksCluster(this, "eks", {
      clusterName: name,
      kubernetesVersion: "1.34",
      scope,
      controlPlaneSubnetIds: ids("intra"),
      nodeSubnetIds: ids("private"),
      podNetworking: "secondary-ip",
      nodeGroups: { default: { instanceTypes: ["m7i.large"], minSize: 3, maxSize: 12 } },
      upgrade: { strategy: "rolling", maxUnavailable: 1 },
      access: { admins: { principalArn: `arn:aws:iam::${scope.accountId}:role/TeamAdmin`, policy: "cluster-admin" } },
    });
  }
}

/** One add-on, in its own stack, talking to the existing cluster with short-lived tokens. */
export class AddonStack extends TerraformStack {
  constructor(app: Construct, id: string) {
    super(app, id);
    new AwsProvider(this, "aws", { region, allowedAccountIds: [scope.accountId] });
    const cluster = new DataAwsEksCluster(this, "cluster", { name });
    new HelmProvider(this, "helm", {
      kubernetes: {
        host: cluster.endpoint,
        clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
        exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", name] },
      },
    });
    new MetricsServer(this, "metrics-server", { replicas: 2 });
  }
}

// As in the template: `cdktf synth` runs this file; the App writes to CDKTF_OUTDIR (default cdktf.out).
const app = new App();
const clusterStack = new ClusterStack(app, "team-cluster");
new AddonStack(app, "team-addons").addDependency(clusterStack);
app.synth();
