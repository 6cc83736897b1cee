import type { ChartPin } from "../../modules/helm/helm-addon";
import { ISTIO_VERSION_NAMES, ISTIO_VERSIONS, IstioVersion, newestVersion } from "./versions";

/** Istio's Helm repository (every Istio release publishes base, istiod and cni there). */
export const ISTIO_CHART_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";

/** The three upstream charts the control plane is built from, by chart name, with their folder in istio/istio. */
export const ISTIO_CHART_PATHS = {
  base: "manifests/charts/base",
  istiod: "manifests/charts/istio-control/istio-discovery",
  cni: "manifests/charts/istio-cni",
} as const;

/** Chart name of one of {@link ISTIO_CHART_PATHS}. */
export type IstioChartName = keyof typeof ISTIO_CHART_PATHS;

/**
 * The pin of one Istio chart at one version of addons/istio/versions.ts. Values (keys used in
 * values.ts) were read from the chart's values.yaml and templates at the commit in `source`
 * (istiod and base take their values at the top level: `_internal_defaults_do_not_set` only holds
 * the defaults, merged by templates/zzz_profile.yaml).
 *
 * @throws Error when the table has no row for the version
 */
export function istioChart(chart: IstioChartName, version: string, table: Readonly<Record<string, IstioVersion>> = ISTIO_VERSIONS): ChartPin {
  if (!Object.hasOwn(table, version)) throw new Error(`Istio ${version} has no row in addons/istio/versions.ts`);
  const row = table[version];
  return {
    repository: ISTIO_CHART_REPOSITORY,
    chart,
    version: row.chartVersion,
    source: `https://github.com/istio/istio ${ISTIO_CHART_PATHS[chart]}@${row.commit} (Istio ${version})`,
  };
}

/** The newest version of the table: the pins below (what the override registry names). */
const NEWEST = newestVersion(ISTIO_VERSION_NAMES);

/** `base` (Istio's CRDs as templates, the default revision's validating webhook) at the newest version. */
export const ISTIO_BASE_CHART: ChartPin = istioChart("base", NEWEST);
/** `istiod` (one revision of the control plane) at the newest version; each revision pins its own. */
export const ISTIOD_CHART: ChartPin = istioChart("istiod", NEWEST);
/** `cni` (the Istio CNI node agent) at the newest version. */
export const ISTIO_CNI_CHART: ChartPin = istioChart("cni", NEWEST);
