import type { OidcIdentity } from "../modules/irsa/irsa-role";
import type { AwsScope } from "../modules/irsa/policy-document";

/**
 * What every add-on needs to know about the cluster it runs on. Built by the add-ons stack from
 * the existing cluster (data sources), or by another team from its own cluster.
 */
export interface AddonContext {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** Prefix for AWS resource names the add-on creates (buckets, roles, log groups), e.g. `eks-idp-dev`. */
  readonly namePrefix: string;
  /** The cluster's OIDC identity, for IRSA roles. */
  readonly oidc: OidcIdentity;
  /** Account, region and partition. */
  readonly scope: AwsScope;
  /** VPC of the cluster. */
  readonly vpcId: string;
  /** Private subnets (nodes), in AZ order. */
  readonly privateSubnetIds: readonly string[];
  /** Database subnets, in AZ order. */
  readonly databaseSubnetIds: readonly string[];
  /** The cluster security group EKS attaches to the control plane and managed nodes. */
  readonly clusterSecurityGroupId: string;
  /** Number of availability zones (for replica counts and topology spread). */
  readonly availabilityZones: number;
  /** Protect stateful resources (buckets, databases, domains) from deletion. */
  readonly protectStatefulResources: boolean;
}

/** Pod topology spread across zones: replicas of `labels` spread evenly, never stacked in one AZ. */
export function zoneSpread(labels: Readonly<Record<string, string>>, whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway" = "ScheduleAnyway") {
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable,
      labelSelector: { matchLabels: { ...labels } },
    },
  ];
}

/** Toleration of the `system` node group's taint, for platform add-ons. */
export const CRITICAL_ADDONS_TOLERATION = { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" } as const;
