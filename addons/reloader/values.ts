/**
 * Values of the Reloader chart 2.2.16 (see `RELOADER_CHART`). Pure: no cdktf. Every key exists in
 * the chart's values.yaml under `reloader.` and is read by templates/deployment.yaml:
 * - `watchGlobally: false` without `namespaces`: the chart sets `KUBERNETES_NAMESPACE` to the
 *   release namespace (deployment.yaml) and creates a namespaced Role instead of a ClusterRole, so
 *   this Reloader sees only the Secrets of its own namespace;
 * - `ignoreConfigMaps: true` → `--resources-to-ignore=configmaps` (only Secrets roll workloads);
 * - `ignoreJobs` / `ignoreCronJobs` → `--resources-to-ignore=jobs,cronjobs`;
 * - `deployment.tolerations`, `deployment.resources`, `deployment.containerSecurityContext`;
 * - `reloadStrategy: default` (the chart's default): Reloader adds an environment variable with the
 *   Secret's hash to the pod template, a normal rolling update that honours the workload's own
 *   update strategy and PodDisruptionBudget.
 * `reloader.service` stays `{}`: templates/service.yaml renders nothing, so no Service.
 */
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { CRITICAL_ADDONS_TOLERATION } from "../context";

/** Requests of Reloader (the chart sets none). */
export const RELOADER_RESOURCES: ContainerResources = { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } };

/** The chart values: one namespace, Secrets only. */
export function reloaderValues(resources: ContainerResources = RELOADER_RESOURCES): Record<string, unknown> {
  return {
    reloader: {
      watchGlobally: false,
      ignoreConfigMaps: true,
      ignoreJobs: true,
      ignoreCronJobs: true,
      reloadStrategy: "default",
      readOnlyRootFileSystem: true,
      deployment: {
        replicas: 1,
        tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
        resources,
        containerSecurityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          readOnlyRootFilesystem: true,
        },
      },
    },
  };
}
