/**
 * The platform alert rules only fire if the metrics they read are exposed and scraped: the add-ons
 * whose metrics need switching on (Keycloak's user event metrics, the OpenTelemetry collector's own
 * telemetry) switch them on, and their scrape objects wait for the monitoring CRDs.
 */
import { describe, expect, it } from "vitest";
import { platform, resources, synth } from "./support/platform";

const { envs, stacks } = platform();

describe.each(envs.map((e) => [e.name] as const))("%s-addons", (name) => {
  const json = synth(stacks.environments[name]!.addons);
  const releases = Object.values(resources(json, "helm_release")) as any[];
  const release = (chart: string) => releases.find((r) => r.chart === chart);
  const monitoring = Object.entries(resources(json, "helm_release")).find(([, r]: [string, any]) => r.chart === "kube-prometheus-stack")![0];

  it("turns on Keycloak's user event metrics (keycloak_user_events_total)", () => {
    const env = release("keycloakx").values.join("\n");
    expect(env).toMatch(/name: "?KC_FEATURES"?\s+value: "?user-event-metrics"?/);
    expect(env).toMatch(/name: "?KC_EVENT_METRICS_USER_ENABLED"?\s+value: "true"/);
  });

  it("serves and scrapes the collector's own telemetry (otelcol_*), after the monitoring CRDs", () => {
    const otel = release("opentelemetry-collector");
    const values = otel.values.join("\n");
    expect(values).toMatch(/metrics:\s+enabled: true/);
    expect(values).toMatch(/serviceMonitor:\s+enabled: true/);
    expect(otel.depends_on).toContain(`helm_release.${monitoring}`);
  });
});
