/**
 * Values of the argo-rollouts chart 2.41.0 (see `ARGO_ROLLOUTS_CHART`). Pure: no cdktf. Keys, all in
 * the chart's values.yaml: `controller.{replicas,resources,tolerations,topologySpreadConstraints,
 * pdb.{enabled,minAvailable},metrics.{enabled,serviceMonitor.enabled}}` (templates/controller/),
 * `dashboard.{enabled,replicas,resources,tolerations}` (templates/dashboard/). A spread constraint
 * without `labelSelector` gets the controller's selector labels from the deployment template.
 *
 * The dashboard has no login of its own: it is reached only by port-forward
 * (`kubectl -n argocd port-forward svc/argo-rollouts-dashboard 3100:3100`), which only those
 * allowed to port-forward in `argocd` (cluster admins) can do.
 */
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { CRITICAL_ADDONS_TOLERATION, zoneSpread } from "../context";

export const ARGO_ROLLOUTS_RESOURCES = {
  controller: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  dashboard: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
} as const satisfies Record<string, ContainerResources>;

export interface ArgoRolloutsValuesInput {
  /** Two controller replicas (leader election) with a PDB, spread across zones. */
  readonly highlyAvailable: boolean;
  /**
   * Whether to render the controller's ServiceMonitor (needs the Prometheus Operator CRDs).
   * @default true
   */
  readonly serviceMonitors?: boolean;
}

/** The chart values. */
export function argoRolloutsValues(input: ArgoRolloutsValuesInput): Record<string, unknown> {
  const tolerations = [{ ...CRITICAL_ADDONS_TOLERATION }];
  const replicas = input.highlyAvailable ? 2 : 1;
  return {
    controller: {
      replicas,
      resources: ARGO_ROLLOUTS_RESOURCES.controller,
      tolerations,
      topologySpreadConstraints: zoneSpread({}).map(({ labelSelector: _unused, ...c }) => c),
      pdb: replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
      metrics: { enabled: true, serviceMonitor: { enabled: input.serviceMonitors ?? true } },
    },
    dashboard: { enabled: true, replicas: 1, resources: ARGO_ROLLOUTS_RESOURCES.dashboard, tolerations },
  };
}
