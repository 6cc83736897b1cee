import type { ChartPin } from "../../modules/helm/helm-addon";

/**
 * The upstream Fluent Bit chart (image `cr.fluentbit.io/fluent/fluent-bit`, tag = appVersion 5.1.1).
 *
 * Keys read from the chart's values.yaml at this commit and used by `fluentBitValues`:
 *   `kind` (DaemonSet | Deployment), `serviceAccount.{create,name,annotations}`, `rbac.create`,
 *   `testFramework.enabled`, `priorityClassName`, `tolerations`, `resources`, `securityContext`,
 *   `daemonSetVolumes`, `daemonSetVolumeMounts` (host paths of the DaemonSet; the chart's default
 *   list is replaced whole), `config.inputs`, `config.filters`, `config.outputs` (classic-mode
 *   sections, strings). `config.service` is left at the chart default (HTTP server on 2020, health
 *   check, `Parsers_File` for the built-in and `config.customParsers` parsers). This chart version
 *   has no YAML-config keys: its config map is classic mode (`fluent-bit.conf`).
 */
export const FLUENT_BIT_CHART: ChartPin = {
  repository: "https://fluent.github.io/helm-charts",
  chart: "fluent-bit",
  version: "0.58.1",
  source: "https://github.com/fluent/helm-charts charts/fluent-bit@5b81bf7a5a5d9f7c3513810efdef47cdb4e28239 (app 5.1.1)",
};
