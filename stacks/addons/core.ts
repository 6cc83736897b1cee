import { Construct } from "constructs";
import { AwsLoadBalancerController } from "../../addons/aws-load-balancer-controller";
import { CertManager } from "../../addons/cert-manager";
import { ClusterAutoscaler } from "../../addons/cluster-autoscaler";
import type { AddonContext } from "../../addons/context";
import { ExternalDns } from "../../addons/external-dns";
import { Karpenter } from "../../addons/karpenter";
import { karpenterCpuLimit as karpenterLimit } from "../../addons/karpenter/instance-types";
import { StorageClasses } from "../../addons/storage-classes";
import type { PlatformEnvironment } from "../../environments/validate";
import { clusterAutoscalerImageTag, karpenterAmiAlias } from "../../modules/eks/data/kubernetes-versions";
import { AmiType, amiArchitecture } from "../../modules/eks/node-user-data";
import type { Values } from "../../modules/helm/values";
import { environmentTags } from "../environment-stack";

/**
 * Whether the environment runs its controllers highly available (2 replicas spread across AZs):
 * production and every environment with at least 3 AZs (staging has production's shape).
 */
export function highlyAvailable(env: PlatformEnvironment): boolean {
  return env.stage === "prod" || env.availabilityZones.length >= 3;
}

/** vCPU ceiling of Karpenter's default NodePool (see {@link karpenterLimit}). */
export function karpenterCpuLimit(env: PlatformEnvironment): number {
  return karpenterLimit(env.cluster.nodeGroups.workloads, env.availabilityZones.length);
}

/** CPU architecture of an EKS AMI type. */
function architectureOf(amiType: AmiType): "amd64" | "arm64" {
  // Kubernetes' name for EC2's x86_64.
  return amiArchitecture(amiType) === "arm64" ? "arm64" : "amd64";
}

/**
 * Load balancing, node autoscaling, DNS, certificates and storage classes of an environment.
 *
 * Order: the load balancer controller provides the `load-balancer-webhook` capability (its webhook
 * admits every new Service, `failurePolicy: Fail`) and the storage classes `storage-classes`; every
 * release that declares a need for them waits for them (the stack's `AddonComposition`). Destroys run
 * the other way round, so the controller is still there to delete the load balancers of Services and
 * Ingresses being removed.
 */
export function addCoreAddons(scope: Construct, ctx: AddonContext, env: PlatformEnvironment): { readonly certManager: CertManager } {
  const prod = env.stage === "prod";
  const replicas = highlyAvailable(env) ? 2 : 1;
  const overrides = (addon: string): Values => env.addons.overrides[addon] ?? {};
  const tags = environmentTags(env, "addons");
  const system = env.cluster.nodeGroups.system;
  const workloads = env.cluster.nodeGroups.workloads;
  const dns = env.addons.dns;

  new StorageClasses(scope, "storage-classes", { reclaimPolicy: prod ? "Retain" : "Delete" });

  new AwsLoadBalancerController(scope, "aws-load-balancer-controller", ctx, {
    replicas: 2,
    defaultTags: tags,
    overrides: overrides("aws-load-balancer-controller"),
  });

  if (env.addons.autoscaler === "karpenter") {
    new Karpenter(scope, "karpenter", ctx, {
      replicas,
      controllerNodeSelector: system.labels,
      podNetworking: env.cluster.podNetworking,
      cpuLimit: karpenterCpuLimit(env),
      zones: env.availabilityZones,
      capacityTypes: prod ? ["on-demand"] : ["spot", "on-demand"],
      architecture: architectureOf(workloads.amiType),
      amiAlias: karpenterAmiAlias(env.cluster.kubernetesVersion, architectureOf(workloads.amiType), env.cluster.nodeAmiReleaseVersions),
      rootVolumeSizeGiB: workloads.diskSizeGiB,
      nodeLabels: workloads.labels,
      tags,
      overrides: overrides("karpenter"),
    });
  } else {
    new ClusterAutoscaler(scope, "cluster-autoscaler", ctx, {
      imageTag: clusterAutoscalerImageTag(env.cluster.kubernetesVersion),
      replicas,
      nodeSelector: system.labels,
      overrides: overrides("cluster-autoscaler"),
    });
  }

  const certManager = new CertManager(scope, "cert-manager", ctx, {
    hostedZoneIds: dns ? [dns.hostedZoneId] : [],
    replicas,
    overrides: overrides("cert-manager"),
  });

  if (dns) {
    new ExternalDns(scope, "external-dns", ctx, {
      hostedZoneId: dns.hostedZoneId,
      domainName: dns.domain,
      policy: prod ? "upsert-only" : "sync",
      overrides: overrides("external-dns"),
    });
  }
  return { certManager };
}
