import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * Loki's open-source chart. In 2026 Grafana moved the open-source `loki` chart to the
 * grafana-community chart repository (the grafana/loki repository keeps the 7.x line for its own
 * releases); the platform follows the community chart. Its values (the keys used in `values.ts`) were
 * read from the chart's values.yaml at the commit in `source` (appVersion 3.7.6).
 */
export const LOKI_CHART: ChartPin = {
  repository: "https://grafana-community.github.io/helm-charts",
  chart: "loki",
  version: "18.11.0",
  source: "https://github.com/grafana-community/helm-charts charts/loki@3386a1156177c6bcd7fdb1ad4c6b1dda094296e0 (app 3.7.6)",
};
