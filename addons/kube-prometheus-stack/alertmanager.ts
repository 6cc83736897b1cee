/**
 * Alertmanager's configuration (kube-prometheus-stack's `alertmanager.config`, rendered by the chart
 * into the Alertmanager Secret) built from an environment's `observability.alerting`, and an
 * `amtool check-config`-style check of the result. Pure: no cdktf.
 *
 * Credentials never enter the configuration: each receiver reads its Slack webhook URL
 * (`api_url_file`), PagerDuty routing key (`routing_key_file`) or webhook URL (`url_file`) from a file
 * of the Secret {@link ALERTMANAGER_RECEIVER_SECRET}, which an ExternalSecret fills from Secrets
 * Manager and the Prometheus Operator mounts under `/etc/alertmanager/secrets/<secret>/` (the
 * Alertmanager CRD's `spec.secrets`, the chart's `alertmanager.alertmanagerSpec.secrets`). Field names
 * from https://prometheus.io/docs/alerting/latest/configuration/ (`slack_config`, `pagerduty_config`,
 * `webhook_config`, `route`, `inhibit_rule`, matcher syntax).
 */
import type { AlertingConfig, AlertReceiverConfig } from "../../environments/schema";

/** Secret (in the monitoring namespace) holding one file per receiver: the receiver's credential. */
export const ALERTMANAGER_RECEIVER_SECRET = "alertmanager-receivers";

/** Where the Prometheus Operator mounts a Secret listed in the Alertmanager's `spec.secrets`. */
export function alertmanagerSecretPath(secret: string, key: string): string {
  return `/etc/alertmanager/secrets/${secret}/${key}`;
}

/** Receiver that drops what it gets (no integration): the end of routes nobody should hear. */
export const NULL_RECEIVER = "null";

/** The always-firing alert of kube-prometheus-stack's default rules (the dead-man's switch). */
export const WATCHDOG_ALERT = "Watchdog";

/** One Alertmanager receiver as it goes into the configuration. */
export interface AlertmanagerReceiver {
  readonly name: string;
  readonly slack_configs?: readonly Record<string, unknown>[];
  readonly pagerduty_configs?: readonly Record<string, unknown>[];
  readonly webhook_configs?: readonly Record<string, unknown>[];
}

/** A route of the routing tree (Alertmanager's `route`). */
export interface AlertmanagerRoute {
  readonly receiver?: string;
  readonly matchers?: readonly string[];
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly continue?: boolean;
  readonly routes?: readonly AlertmanagerRoute[];
}

export interface AlertmanagerInhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  readonly equal?: readonly string[];
}

export interface AlertmanagerConfig {
  readonly global: { readonly resolve_timeout: string };
  readonly route: AlertmanagerRoute;
  readonly receivers: readonly AlertmanagerReceiver[];
  readonly inhibit_rules: readonly AlertmanagerInhibitRule[];
  readonly templates: readonly string[];
}

/** One integration of a receiver, credentials by file. */
function integration(name: string, receiver: AlertReceiverConfig): AlertmanagerReceiver {
  const file = alertmanagerSecretPath(ALERTMANAGER_RECEIVER_SECRET, name);
  switch (receiver.type) {
    case "slack":
      return {
        name,
        slack_configs: [
          {
            api_url_file: file,
            channel: receiver.channel,
            send_resolved: true,
            title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.cluster }})',
            text: "{{ range .Alerts }}{{ .Annotations.summary }}{{ if .Annotations.description }}: {{ .Annotations.description }}{{ end }}\n{{ end }}",
          },
        ],
      };
    case "pagerduty":
      return { name, pagerduty_configs: [{ routing_key_file: file, send_resolved: true }] };
    case "webhook":
      return { name, webhook_configs: [{ url_file: file, send_resolved: true }] };
  }
}

/**
 * Inhibitions: a critical alert silences the warning and info alerts of the same alert name and
 * namespace, a warning the info ones (kube-prometheus-stack's own defaults), and a cluster that
 * cannot reach its nodes (`KubeNodeNotReady`) silences the per-pod alerts of that node.
 */
export const INHIBIT_RULES: readonly AlertmanagerInhibitRule[] = [
  { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ["namespace", "alertname"] },
  { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: ["namespace", "alertname"] },
  { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ["namespace"] },
  { source_matchers: ['alertname="KubeNodeNotReady"'], target_matchers: ['alertname=~"KubePodNotReady|KubePodCrashLooping|KubeContainerWaiting"'], equal: ["node"] },
];

/**
 * The whole configuration: one receiver per configured receiver (plus `null`), and the routing tree
 *   1. `Watchdog` → the watchdog receiver every minute (a heartbeat), or `null` without one;
 *   2. `InfoInhibitor` → `null` (it only inhibits);
 *   3. `team="<key>"` → that team's receiver, for each team;
 *   4. `severity="critical"` → the critical receiver (when it differs from the default);
 *   5. everything else → the default receiver.
 */
export function alertmanagerConfig(alerting: AlertingConfig): AlertmanagerConfig {
  const names = Object.keys(alerting.receivers).sort();
  const routes: AlertmanagerRoute[] = [
    alerting.watchdogReceiver
      ? { receiver: alerting.watchdogReceiver, matchers: [`alertname="${WATCHDOG_ALERT}"`], group_wait: "0s", group_interval: "1m", repeat_interval: "1m" }
      : { receiver: NULL_RECEIVER, matchers: [`alertname="${WATCHDOG_ALERT}"`] },
    { receiver: NULL_RECEIVER, matchers: ['alertname="InfoInhibitor"'] },
    ...Object.keys(alerting.teams)
      .sort()
      .map((team) => ({ receiver: alerting.teams[team]!, matchers: [`team="${team}"`] })),
    ...(alerting.criticalReceiver && alerting.criticalReceiver !== alerting.defaultReceiver
      ? [{ receiver: alerting.criticalReceiver, matchers: ['severity="critical"'], repeat_interval: "4h" }]
      : []),
  ];
  return {
    global: { resolve_timeout: "5m" },
    route: {
      receiver: alerting.defaultReceiver,
      group_by: ["cluster", "namespace", "alertname"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "12h",
      routes,
    },
    receivers: [{ name: NULL_RECEIVER }, ...names.map((name) => integration(name, alerting.receivers[name]!))],
    inhibit_rules: INHIBIT_RULES,
    templates: ["/etc/alertmanager/config/*.tmpl"],
  };
}

/** The receivers whose credential the Secret must hold, with where Secrets Manager keeps it. */
export function receiverCredentials(alerting: AlertingConfig): { key: string; secretArn: string; property?: string }[] {
  return Object.keys(alerting.receivers)
    .sort()
    .map((key) => {
      const r = alerting.receivers[key]!;
      return { key, secretArn: r.secretArn, ...(r.secretProperty ? { property: r.secretProperty } : {}) };
    });
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** `name op value`, value quoted (Go escapes) or bare (no quotes, braces, commas or operators). */
const MATCHER = /^\s*([^\s=!~]+)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^"{}=!~,\s][^"{}=!~,]*?)?\s*$/;

/**
 * Problems with one matcher as Alertmanager's parser reads it (`pkg/labels/parse.go`): a label name,
 * one of `=`, `!=`, `=~`, `!~`, a value (quoted or bare), and for the regex operators a value that
 * compiles. JavaScript's regex engine stands in for Go's RE2 (close for the expressions used here).
 */
export function matcherProblem(matcher: string): string | undefined {
  const m = MATCHER.exec(matcher);
  if (!m) return `matcher ${JSON.stringify(matcher)} is not <label><op><value> with op one of =, !=, =~, !~`;
  const [, name, op, raw = ""] = m;
  if (!LABEL_NAME.test(name!)) return `matcher ${JSON.stringify(matcher)}: "${name}" is not a label name`;
  let value = raw;
  if (raw.startsWith('"')) {
    try {
      value = JSON.parse(raw) as string;
    } catch {
      return `matcher ${JSON.stringify(matcher)}: the quoted value does not parse`;
    }
  }
  if (op === "=~" || op === "!~") {
    try {
      new RegExp(`^(?:${value})$`);
    } catch (e) {
      return `matcher ${JSON.stringify(matcher)}: ${(e as Error).message}`;
    }
  }
  return undefined;
}

/**
 * What `amtool check-config` would refuse, as messages (empty when the configuration is fine):
 * receivers without a name or named twice, a root route without a receiver, any route naming a
 * receiver that is not defined, matchers (routes and inhibitions) that do not parse, and receivers
 * that no route uses (dead configuration).
 */
export function checkAlertmanagerConfig(config: AlertmanagerConfig): string[] {
  const problems: string[] = [];
  const defined = new Set<string>();
  for (const r of config.receivers) {
    if (!r.name) problems.push("a receiver has no name");
    else if (defined.has(r.name)) problems.push(`receiver "${r.name}" is defined twice`);
    defined.add(r.name);
  }
  if (!config.route.receiver) problems.push("the root route has no receiver");
  const used = new Set<string>();
  const walk = (route: AlertmanagerRoute, path: string) => {
    if (route.receiver !== undefined) {
      used.add(route.receiver);
      if (!defined.has(route.receiver)) problems.push(`${path} names receiver "${route.receiver}", which is not defined`);
    }
    for (const m of route.matchers ?? []) {
      const p = matcherProblem(m);
      if (p) problems.push(`${path}: ${p}`);
    }
    (route.routes ?? []).forEach((child, i) => walk(child, `${path}.routes[${i}]`));
  };
  walk(config.route, "route");
  config.inhibit_rules.forEach((rule, i) => {
    for (const m of [...rule.source_matchers, ...rule.target_matchers]) {
      const p = matcherProblem(m);
      if (p) problems.push(`inhibit_rules[${i}]: ${p}`);
    }
  });
  for (const name of defined) if (!used.has(name)) problems.push(`receiver "${name}" is not used by any route`);
  return problems;
}
