/**
 * Prometheus scraping of Gatekeeper's audit and webhook (metrics port `metrics`, 8888, on both
 * deployments: charts/gatekeeper/templates/*-deployment.yaml) and the prod alert on audit
 * violations (`gatekeeper_violations{enforcement_action}`, a gauge of the last audit's violations:
 * website/docs/metrics.md at the chart's commit).
 */
import type { KubernetesObject } from "../../modules/helm/custom-resources";

/** Labels both Gatekeeper deployments' pods carry (the chart's templates). */
export const GATEKEEPER_SYSTEM_LABELS = { "gatekeeper.sh/system": "yes" } as const;

/** The PodMonitor of the webhook and the audit. */
export function gatekeeperPodMonitor(namespace: string): KubernetesObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name: "gatekeeper", namespace },
    spec: {
      namespaceSelector: { matchNames: [namespace] },
      selector: { matchLabels: { ...GATEKEEPER_SYSTEM_LABELS } },
      podMetricsEndpoints: [{ port: "metrics", path: "/metrics" }],
    },
  };
}

/**
 * The alert on violations the audit finds: objects admitted while the webhook failed open, or that
 * existed before a constraint. Fires after 15 minutes (15 audits), so a pod replaced by a fix in
 * the meantime does not page.
 */
export function gatekeeperViolationsRule(namespace: string): KubernetesObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "gatekeeper-violations", namespace },
    spec: {
      groups: [
        {
          name: "gatekeeper",
          rules: [
            {
              alert: "GatekeeperAuditViolations",
              expr: 'sum by (enforcement_action) (gatekeeper_violations{enforcement_action="deny"}) > 0',
              for: "15m",
              labels: { severity: "warning" },
              annotations: {
                summary: "Gatekeeper's audit finds objects that violate a deny constraint",
                description:
                  "{{ $value }} violations. List them with `kubectl get constraints -o json | jq '.items[] | {kind, name: .metadata.name, violations: .status.violations}'`.",
              },
            },
          ],
        },
      ],
    },
  };
}
