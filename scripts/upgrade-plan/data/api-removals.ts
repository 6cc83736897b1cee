/**
 * Kubernetes API versions removed by release, from the upstream Deprecated API Migration Guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/, source
 * kubernetes/website content/en/docs/reference/using-api/deprecation-guide.md, read 2026-11-26).
 * The guide's newest section is v1.32: no API version is listed as removed in v1.33 or later. Older
 * sections than v1.25 are left out (no supported EKS version is older). Add a row when the guide adds
 * a release.
 */

export interface ApiRemoval {
  /** The Kubernetes minor version that stopped serving it ("1.32"). */
  readonly removedIn: string;
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** The API version to migrate to, or what to do. */
  readonly replacement: string;
}

export const API_REMOVALS_SOURCE = {
  url: "https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
  seen: "2026-11-26",
} as const;

export const API_REMOVALS: readonly ApiRemoval[] = [
  { removedIn: "1.25", apiVersion: "batch/v1beta1", kinds: ["CronJob"], replacement: "batch/v1" },
  { removedIn: "1.25", apiVersion: "discovery.k8s.io/v1beta1", kinds: ["EndpointSlice"], replacement: "discovery.k8s.io/v1" },
  { removedIn: "1.25", apiVersion: "events.k8s.io/v1beta1", kinds: ["Event"], replacement: "events.k8s.io/v1" },
  { removedIn: "1.25", apiVersion: "autoscaling/v2beta1", kinds: ["HorizontalPodAutoscaler"], replacement: "autoscaling/v2" },
  { removedIn: "1.25", apiVersion: "policy/v1beta1", kinds: ["PodDisruptionBudget"], replacement: "policy/v1" },
  { removedIn: "1.25", apiVersion: "policy/v1beta1", kinds: ["PodSecurityPolicy"], replacement: "none: removed (use Pod Security Admission)" },
  { removedIn: "1.25", apiVersion: "node.k8s.io/v1beta1", kinds: ["RuntimeClass"], replacement: "node.k8s.io/v1" },
  { removedIn: "1.26", apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1", kinds: ["FlowSchema", "PriorityLevelConfiguration"], replacement: "flowcontrol.apiserver.k8s.io/v1" },
  { removedIn: "1.26", apiVersion: "autoscaling/v2beta2", kinds: ["HorizontalPodAutoscaler"], replacement: "autoscaling/v2" },
  { removedIn: "1.27", apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIStorageCapacity"], replacement: "storage.k8s.io/v1" },
  { removedIn: "1.29", apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kinds: ["FlowSchema", "PriorityLevelConfiguration"], replacement: "flowcontrol.apiserver.k8s.io/v1" },
  { removedIn: "1.32", apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kinds: ["FlowSchema", "PriorityLevelConfiguration"], replacement: "flowcontrol.apiserver.k8s.io/v1" },
];
