/**
 * The platform's alert rules and dashboards as code, delivered without a CRD at plan time: one Helm
 * release of the repository's `platform-resources` chart holding a PrometheusRule per rule group and a
 * ConfigMap per dashboard (labelled for the Grafana sidecar). The release declares `monitoring-crds`,
 * so the stack's `AddonComposition` installs it after kube-prometheus-stack.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Construct } from "constructs";
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from "../kube-prometheus-stack/values";
import { AddonComposition } from "../../modules/helm/composition";
import { CustomResources, KubernetesObject } from "../../modules/helm/custom-resources";
import type { RuleGroup } from "./rules";

export * from "./rules";
export * from "./ip-headroom";

/** Folder of the dashboards kept as JSON files in the repository, relative to the package root. */
export const DASHBOARD_DIR = join("addons", "platform-alerts", "dashboards");

/** Grafana folder of the platform dashboards. */
export const PLATFORM_DASHBOARD_FOLDER = "Platform";

/**
 * The dashboards of {@link DASHBOARD_DIR} by name (file name without `.json`), parsed, in name order.
 * The folder is found from this module's folder upwards (sources, `dist/`, or the synth bundle under
 * node_modules/.cache), like the platform-resources chart.
 *
 * @throws Error when a file is not JSON or has no `uid` and `title`
 */
export function repositoryDashboards(dir: string = dashboardDir()): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const parsed = JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
    if (typeof parsed.uid !== "string" || typeof parsed.title !== "string") throw new Error(`dashboard ${file} needs a uid and a title`);
    out[file.replace(/\.json$/, "")] = parsed;
  }
  return out;
}

/** The dashboards folder: {@link DASHBOARD_DIR} under the first folder above `from` that has it. */
export function dashboardDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, DASHBOARD_DIR);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`dashboards folder ${DASHBOARD_DIR} not found above ${from}`);
  }
}

/** A PrometheusRule holding rule groups (Prometheus Operator `monitoring.coreos.com/v1`). */
export function prometheusRule(name: string, namespace: string, groups: readonly RuleGroup[]): KubernetesObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name, namespace, labels: { "app.kubernetes.io/part-of": "platform-alerts" } },
    spec: { groups: groups.map((g) => ({ name: g.name, rules: g.rules.map((r) => ({ ...r })) })) },
  };
}

/** A dashboard ConfigMap the Grafana sidecar provisions (label `grafana_dashboard: "1"`, folder annotation). */
export function dashboardConfigMap(name: string, namespace: string, dashboard: Record<string, unknown>, folder = PLATFORM_DASHBOARD_FOLDER): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: `dashboard-${name}`,
      namespace,
      labels: { [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value, "app.kubernetes.io/part-of": "platform-alerts" },
      annotations: { [GRAFANA_FOLDER_ANNOTATION]: folder },
    },
    data: { [`${name}.json`]: JSON.stringify(dashboard, null, 2) },
  };
}

export interface PlatformAlertsProps {
  /** Namespace of the objects and the release (the monitoring namespace). */
  readonly namespace: string;
  /** Rule groups; one PrometheusRule each. */
  readonly ruleGroups: readonly RuleGroup[];
  /** Dashboards by name (the repository's and generated ones); one ConfigMap each. */
  readonly dashboards: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * Helm release name.
   * @default "platform-alerts"
   */
  readonly releaseName?: string;
}

/** The rules and dashboards as one release (see the module comment). */
export class PlatformAlerts extends Construct {
  readonly resources: CustomResources;

  constructor(scope: Construct, id: string, props: PlatformAlertsProps) {
    super(scope, id);
    const releaseName = props.releaseName ?? "platform-alerts";
    const names = new Set<string>();
    for (const g of props.ruleGroups) {
      if (names.has(g.name)) throw new Error(`platform alerts: rule group "${g.name}" is listed twice`);
      names.add(g.name);
    }
    this.resources = new CustomResources(this, "resources", {
      releaseName,
      namespace: props.namespace,
      resources: [
        ...props.ruleGroups.map((g) => prometheusRule(`platform-${g.name}`, props.namespace, [g])),
        ...Object.keys(props.dashboards)
          .sort()
          .map((name) => dashboardConfigMap(name, props.namespace, props.dashboards[name]!)),
      ],
      dependsOn: [],
    });
    AddonComposition.of(this)?.register({
      name: `${props.namespace}/${releaseName}`,
      needs: ["monitoring-crds"],
      provides: [],
      waiter: this.resources.release,
      dependables: [this.resources.release],
    });
  }
}
