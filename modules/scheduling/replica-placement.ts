/**
 * Where the replicas of a platform add-on go: spread across availability zones when there is more
 * than one, preferably on different nodes. Pure data, in the Kubernetes shapes charts pass through
 * (`topologySpreadConstraints`, `affinity`).
 */
import { zoneSpread } from "../../addons/context";

export type PodLabels = Readonly<Record<string, string>>;

/**
 * Zone spread for a replicated workload, none for a single replica. `DoNotSchedule` by default: a
 * replica that cannot go to its own zone waits (the node autoscaler adds capacity) instead of
 * stacking up in one AZ, which for pods with EBS volumes would be permanent.
 */
export function zoneSpreadFor(
  replicas: number,
  labels: PodLabels,
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway" = "DoNotSchedule",
): ReturnType<typeof zoneSpread> | [] {
  return replicas > 1 ? zoneSpread(labels, whenUnsatisfiable) : [];
}

/** Preferred (soft) anti-affinity: replicas of `labels` rather not on the same node. */
export function preferDifferentNodes(labels: PodLabels) {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { ...labels } } },
        },
      ],
    },
  };
}

/** Whether a workload of `replicas` needs a PodDisruptionBudget (one replica can always be evicted). */
export function isReplicated(replicas: number): boolean {
  return replicas > 1;
}
