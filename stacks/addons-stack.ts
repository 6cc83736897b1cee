import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { AddonContext } from "../addons/context";
import type { PlatformEnvironment } from "../environments/validate";
import { addAuth } from "./addons/auth";
import { addBackup } from "./addons/backup";
import { addCoreAddons } from "./addons/core";
import { addGateway } from "./addons/gateway";
import { addGitOps } from "./addons/gitops";
import { addKiali } from "./addons/kiali";
import { addLogging } from "./addons/logging";
import { addMesh } from "./addons/mesh";
import { addObservability } from "./addons/observability";
import { addPolicy } from "./addons/policy";
import { addTeamMeshAuthentication } from "./addons/team-mesh";
import { addTracing } from "./addons/tracing";
import { EnvironmentStack } from "./environment-stack";
import type { ClusterStack } from "./cluster-stack";
import { clusterName, PLATFORM } from "./naming";
import { NetworkLookup } from "./network-contract";
import { qualifyProviderSource } from "./providers";
import { AddonComposition } from "../modules/helm/composition";
import { serviceHost } from "../modules/kubernetes/resources";
import { OTLP_GRPC_PORT } from "../addons/opentelemetry-collector/values";
import { configureWorkloadIdentity } from "../modules/pod-identity/pod-identity";

/**
 * The exec credential every Kubernetes client of this stack uses: a short-lived token from
 * `aws eks get-token`, fetched when Terraform runs, never stored in state.
 */
export function eksExecAuth(name: string, region: string) {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", name, "--region", region, "--output", "json"],
  };
}

/**
 * `<env>-addons`: the Helm add-ons of one environment with their IRSA roles and AWS resources.
 * The Helm and Kubernetes providers find the existing cluster by name (a data source) and
 * authenticate with `aws eks get-token`; nothing here is configured from a resource created in
 * the same state. Deployed after `<env>-cluster`.
 */
export class AddonsStack extends EnvironmentStack {
  readonly cluster: DataAwsEksCluster;
  readonly context: AddonContext;
  /** The add-ons' declarations and the release ordering derived from them. */
  readonly composition: AddonComposition;

  constructor(scope: Construct, env: PlatformEnvironment, clusterStack: ClusterStack) {
    super(scope, env, "addons");
    this.addDependency(clusterStack);
    const name = clusterName(env.name);

    this.cluster = new DataAwsEksCluster(this, "cluster", { name });
    const host = this.cluster.endpoint;
    const ca = Fn.base64decode(this.cluster.certificateAuthority.get(0).data);
    const exec = eksExecAuth(name, env.region);
    new HelmProvider(this, "helm", { kubernetes: { host, clusterCaCertificate: ca, exec } });
    qualifyProviderSource(this, "helm", "hashicorp/helm");
    new KubernetesProvider(this, "kubernetes", { host, clusterCaCertificate: ca, exec: [exec] });
    qualifyProviderSource(this, "kubernetes", "hashicorp/kubernetes");

    const network = new NetworkLookup(this, "network", env);
    const issuer = Fn.replace(this.cluster.identity.get(0).oidc.get(0).issuer, "https://", "");
    this.context = {
      clusterName: name,
      namePrefix: `${PLATFORM}-${env.name}`,
      oidc: { providerArn: `arn:${this.scope.partition}:iam::${env.account.id}:oidc-provider/${issuer}`, issuer },
      scope: this.scope,
      vpcId: network.vpc.id,
      privateSubnetIds: network.ids("private", env),
      databaseSubnetIds: network.ids("database", env),
      clusterSecurityGroupId: this.cluster.vpcConfig.get(0).clusterSecurityGroupId,
      availabilityZones: env.availabilityZones.length,
      protectStatefulResources: env.stage === "prod",
    };

    // IRSA or EKS Pod Identity for every add-on role of the stack (modules/pod-identity).
    configureWorkloadIdentity(this, { mode: env.cluster.workloadIdentity, clusterName: name });
    // Release ordering comes from what each add-on declares (see modules/helm/composition.ts).
    this.composition = AddonComposition.attach(this);
    const core = addCoreAddons(this, this.context, env);
    const auth = addAuth(this, this.context, env);
    const observability = addObservability(this, this.context, env, { grafanaIni: { ...auth.grafanaIni } });
    const opensearch = addLogging(this, this.context, env);
    const tracing = addTracing(this, this.context, env, opensearch);
    addBackup(this, this.context, env);
    const policy = addPolicy(this, this.context, env);
    addGitOps(this, this.context, env, auth, policy.workloadRoles);
    const mesh = addMesh(this, env, { service: serviceHost(tracing.collector.serviceName, tracing.collector.namespace), port: OTLP_GRPC_PORT });
    addTeamMeshAuthentication(this, env, policy.teams, [mesh.base.helm.release]);
    addGateway(this, this.context, env, { istiods: mesh.istiods, certManager: core.certManager.helm.release });
    addKiali(this, env, { issuerUrl: auth.issuerUrl, monitoringNamespace: observability.kubePrometheusStack.namespace, mesh });
    this.composition.resolve();
  }
}
