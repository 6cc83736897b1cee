/**
 * The platform's own alert rules, as Prometheus rule groups (the `spec.groups` of a PrometheusRule).
 * Pure data: no cdktf. Every metric name was read in the component's source or documentation; the
 * source of each group is the comment above it. Velero's rules ship with its chart
 * (`VELERO_ALERT_RULES` in addons/velero/values.ts, `metrics.prometheusRule`), so they are not
 * repeated here.
 *
 * Labels: `severity` only (`critical` goes to the critical receiver, the rest to the default one; see
 * the Alertmanager routes). Platform alerts carry no `team` label; teams route their own rules with
 * `team="<key>"`.
 */

/** One alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: "critical" | "warning" | "info" };
  readonly annotations: { readonly summary: string; readonly description?: string };
}

/** A rule group (`spec.groups[]` of a PrometheusRule). */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** Where each group's metric names come from (also listed in docs/alerts-and-dashboards.md). */
export const RULE_SOURCES: Readonly<Record<string, string>> = {
  karpenter:
    "https://karpenter.sh/docs/reference/metrics/ (karpenter_cloudprovider_errors_total, karpenter_interruption_received_messages_total, karpenter_interruption_deleted_messages_total, karpenter_interruption_message_queue_duration_seconds)",
  "cert-manager": "cert-manager pkg/metrics (certmanager_certificate_expiration_timestamp_seconds, certmanager_certificate_ready_status)",
  "external-secrets": "https://external-secrets.io/latest/api/metrics/ (externalsecret_sync_calls_error, externalsecret_status_condition)",
  keycloak:
    "https://www.keycloak.org/observability/metrics-for-troubleshooting-keycloak (keycloak_user_events_total with event-metrics-user-enabled) and Quarkus Agroal (agroal_awaiting_count)",
  "aws-load-balancer-controller":
    "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/metrics/prometheus/ (controller-runtime controller_runtime_reconcile_errors_total)",
  "fluent-bit": "https://docs.fluentbit.io/manual/administration/monitoring (fluentbit_output_errors_total, fluentbit_output_retries_failed_total)",
  "opentelemetry-collector":
    "https://opentelemetry.io/docs/collector/internal-telemetry/ (otelcol_receiver_refused_spans; `_total` suffix on Prometheus export since the OTel SDK exporter)",
  "amp-remote-write":
    "prometheus/prometheus CHANGELOG 2.15 (#6815: prometheus_remote_storage_samples_failed_total, prometheus_remote_storage_samples_dropped_total)",
};

/** The platform rule groups. */
export const PLATFORM_RULE_GROUPS: readonly RuleGroup[] = [
  {
    name: "karpenter",
    rules: [
      {
        alert: "KarpenterCloudProviderErrors",
        // NodeClaimNotFoundError is expected during termination (Karpenter's upgrade guide).
        expr: 'sum by (controller, method, error) (increase(karpenter_cloudprovider_errors_total{error!="NodeClaimNotFoundError"}[10m])) > 0',
        for: "15m",
        labels: { severity: "warning" },
        annotations: { summary: "Karpenter cannot provision: {{ $labels.method }} fails with {{ $labels.error }}." },
      },
      {
        alert: "KarpenterInterruptionBacklog",
        expr: "sum(rate(karpenter_interruption_received_messages_total[15m])) - sum(rate(karpenter_interruption_deleted_messages_total[15m])) > 0",
        for: "30m",
        labels: { severity: "warning" },
        annotations: { summary: "Karpenter receives interruption messages faster than it handles them." },
      },
      {
        alert: "KarpenterInterruptionMessagesSlow",
        expr: "histogram_quantile(0.99, sum by (le) (rate(karpenter_interruption_message_queue_duration_seconds_bucket[10m]))) > 60",
        for: "10m",
        labels: { severity: "critical" },
        annotations: { summary: "Interruption messages wait more than a minute in the queue: nodes may be reclaimed before they are drained." },
      },
    ],
  },
  {
    name: "cert-manager",
    rules: [
      {
        alert: "CertificateExpiresSoon",
        expr: "(certmanager_certificate_expiration_timestamp_seconds - time()) < 14 * 86400",
        for: "1h",
        labels: { severity: "warning" },
        annotations: { summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within 14 days and was not renewed." },
      },
      {
        alert: "CertificateExpiresImminently",
        expr: "(certmanager_certificate_expiration_timestamp_seconds - time()) < 3 * 86400",
        for: "10m",
        labels: { severity: "critical" },
        annotations: { summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within 3 days." },
      },
      {
        alert: "CertificateNotReady",
        expr: 'certmanager_certificate_ready_status{condition="False"} == 1',
        for: "30m",
        labels: { severity: "warning" },
        annotations: { summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} is not ready." },
      },
    ],
  },
  {
    name: "external-secrets",
    rules: [
      {
        alert: "ExternalSecretSyncErrors",
        expr: "sum by (namespace, name) (increase(externalsecret_sync_calls_error[15m])) > 0",
        for: "15m",
        labels: { severity: "warning" },
        annotations: { summary: "ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} fails to sync from Secrets Manager." },
      },
      {
        alert: "ExternalSecretNotReady",
        expr: 'externalsecret_status_condition{condition="Ready", status="False"} == 1',
        for: "30m",
        labels: { severity: "critical" },
        annotations: { summary: "ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} is not Ready: its Secret is stale or missing." },
      },
    ],
  },
  {
    name: "keycloak",
    rules: [
      {
        alert: "KeycloakLoginFailures",
        expr: 'sum by (realm) (rate(keycloak_user_events_total{event="login", error!=""}[5m])) > 1',
        for: "10m",
        labels: { severity: "warning" },
        annotations: { summary: "More than one failed login per second in realm {{ $labels.realm }} (attack or broken client)." },
      },
      {
        alert: "KeycloakDatabasePoolExhausted",
        expr: "max by (namespace, pod) (agroal_awaiting_count) > 0",
        for: "5m",
        labels: { severity: "critical" },
        annotations: { summary: "Keycloak {{ $labels.pod }} waits for database connections (pool exhausted)." },
      },
    ],
  },
  {
    name: "aws-load-balancer-controller",
    rules: [
      {
        alert: "LoadBalancerControllerReconcileErrors",
        expr: 'sum by (controller) (increase(controller_runtime_reconcile_errors_total{job=~".*aws-load-balancer-controller"}[10m])) > 0',
        for: "15m",
        labels: { severity: "warning" },
        annotations: { summary: "The load balancer controller fails to reconcile {{ $labels.controller }} objects (Ingress, Service or TargetGroupBinding)." },
      },
    ],
  },
  {
    name: "fluent-bit",
    rules: [
      {
        alert: "FluentBitOutputErrors",
        expr: "sum by (pod, name) (rate(fluentbit_output_errors_total[5m])) > 0",
        for: "15m",
        labels: { severity: "warning" },
        annotations: { summary: "Fluent Bit output {{ $labels.name }} on {{ $labels.pod }} returns errors." },
      },
      {
        alert: "FluentBitOutputRetriesExhausted",
        expr: "sum by (pod, name) (increase(fluentbit_output_retries_failed_total[10m])) > 0",
        for: "5m",
        labels: { severity: "critical" },
        annotations: { summary: "Fluent Bit output {{ $labels.name }} on {{ $labels.pod }} drops logs after its last retry." },
      },
    ],
  },
  {
    name: "opentelemetry-collector",
    rules: [
      {
        alert: "OtelCollectorRefusedSpans",
        expr: 'sum by (receiver, transport) (rate({__name__=~"otelcol_receiver_refused_spans(_total)?"}[5m])) > 0',
        for: "10m",
        labels: { severity: "warning" },
        annotations: { summary: "The OpenTelemetry collector refuses spans on {{ $labels.receiver }} (memory limit or a full exporter queue)." },
      },
    ],
  },
  {
    name: "amp-remote-write",
    rules: [
      {
        alert: "AmpRemoteWriteFailures",
        expr: "sum by (pod, remote_name) (rate(prometheus_remote_storage_samples_failed_total[5m])) > 0",
        for: "15m",
        labels: { severity: "critical" },
        annotations: { summary: "Prometheus {{ $labels.pod }} cannot write samples to AMP ({{ $labels.remote_name }}): long-term metrics have a gap." },
      },
      {
        alert: "AmpRemoteWriteDropping",
        expr: "sum by (pod, remote_name) (rate(prometheus_remote_storage_samples_dropped_total[5m])) > 0",
        for: "15m",
        labels: { severity: "warning" },
        annotations: { summary: "Prometheus {{ $labels.pod }} drops samples before sending them to AMP." },
      },
    ],
  },
];
