/**
 * Values of the `external-dns` chart 1.21.1 (AWS Route 53 provider), built from plain inputs (no
 * cdktf). Every key set here exists in that chart version's `values.yaml` and passes its
 * `values.schema.json` (see `chart.ts`).
 */
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import type { Values } from "../../modules/helm/values";
import { chartServiceAccount } from "../../modules/kubernetes/chart-values";
import type { ContainerResources } from "../../modules/kubernetes/resources";

/** How ExternalDNS treats records: `sync` also deletes, `upsert-only` never deletes. */
export type ExternalDnsPolicy = "sync" | "upsert-only" | "create-only";

/** Requests of ExternalDNS (templates/deployment.yaml: `resources`; the chart sets none). */
export const EXTERNAL_DNS_RESOURCES: ContainerResources = { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "256Mi" } };

export interface ExternalDnsValuesInput {
  /** Domains ExternalDNS may manage records in (`--domain-filter`). */
  readonly domainFilters: readonly string[];
  /** Hosted zones ExternalDNS may change (`--zone-id-filter`), the same its IAM policy names. */
  readonly hostedZoneIds: readonly string[];
  /** Owner id written into the TXT registry records, unique per cluster. */
  readonly txtOwnerId: string;
  readonly policy: ExternalDnsPolicy;
  readonly serviceAccountName: string;
  /** Annotations of the service account (the IRSA role ARN). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
}

/**
 * ExternalDNS values: the AWS provider limited to the given domains and hosted zones, TXT registry
 * owned by this cluster, IRSA service account, tolerating the `system` taint. The chart runs one
 * replica (its schema caps `replicaCount` at 1).
 *
 * @throws Error when no domain or hosted zone is given
 */
export function externalDnsValues(input: ExternalDnsValuesInput): Values {
  if (input.domainFilters.length === 0 || input.hostedZoneIds.length === 0) {
    throw new Error("external-dns: at least one domain filter and one hosted zone id are required");
  }
  return {
    provider: { name: "aws" },
    policy: input.policy,
    registry: "txt",
    txtOwnerId: input.txtOwnerId,
    domainFilters: [...input.domainFilters],
    extraArgs: { "zone-id-filter": [...input.hostedZoneIds] },
    serviceAccount: chartServiceAccount(input.serviceAccountName, input.serviceAccountAnnotations),
    priorityClassName: "system-cluster-critical",
    tolerations: [CRITICAL_ADDONS_TOLERATION],
    resources: EXTERNAL_DNS_RESOURCES,
  };
}
