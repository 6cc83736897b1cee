/**
 * Argo CD notifications wired to the environment's alert receivers (`observability.alerting`), as
 * values of the argo-cd chart's `notifications.*` and annotations of the teams' AppProjects. Pure:
 * no cdktf.
 *
 * Chart 10.1.1 (templates/argocd-configs/argocd-notifications-cm.yaml): `notifications.notifiers`,
 * `.templates` and `.triggers` are maps whose entries become keys of argocd-notifications-cm as they
 * are (`service.*`, `template.*`, `trigger.*`, each a YAML string), `.subscriptions` becomes its
 * `subscriptions` key, `.argocdUrl` its `context.argocdUrl`; `.secret.create: false` leaves the
 * Secret `argocd-notifications-secret` to the ExternalSecret (argocd-notifications-secret.yaml).
 *
 * Receivers map to notification services (notifications-engine pkg/api/config.go: `service.<type>.<name>`
 * names the service `<name>`, `service.<type>` names it `<type>`; `$<key>` in a service's config is
 * replaced by that key of the Secret):
 *   - slack (an incoming-webhook URL, as Alertmanager uses it) → `service.webhook.<receiver>` posting
 *     Slack's `{channel, text}` payload to `$<receiver>`;
 *   - pagerduty (an Events API v2 routing key) → `service.pagerdutyv2` with `serviceKeys.<receiver>`
 *     = `$<receiver>`, recipient `<receiver>`;
 *   - webhook (a URL) → `service.webhook.<receiver>` posting a JSON event.
 * Credentials stay in Secrets Manager: the ExternalSecret copies each used receiver's secret (the
 * same `secretArn`/`secretProperty` Alertmanager reads) into key `<receiver>` of the Secret.
 *
 * Routing, as Alertmanager routes `team` alerts: each team's AppProject carries the
 * `notifications.argoproj.io/subscriptions` annotation (a YAML list of `{trigger, destinations}`,
 * pkg/subscriptions/annotations.go; Argo CD's notifications controller adds the destinations of the
 * application's AppProject annotations to the application's, notification_controller/controller/
 * controller.go) naming the team's receiver (`alerting.teams.<team>`, else the
 * default receiver); a global subscription sends the events of every application without a `team`
 * label (the platform's own) to the default receiver (selector `!team`, parsed by `labels.Parse`,
 * pkg/subscriptions/global.go). Team applications carry `team: <name>` (the ApplicationSet's template).
 *
 * Triggers follow Argo CD's catalog (docs/operator-manual/notifications/catalog.md): sync failed,
 * health degraded, deployed (once per synced revision).
 */
import { stringify } from "yaml";
import type { AlertingConfig, AlertReceiverConfig } from "../../environments/schema";

/** The Secret the notifications controller reads credentials from (the chart's `notifications.secret.name`). */
export const ARGO_CD_NOTIFICATIONS_SECRET = "argocd-notifications-secret";
/** Annotation of an AppProject or Application listing its subscriptions. */
export const SUBSCRIPTIONS_ANNOTATION = "notifications.argoproj.io/subscriptions";
/** Label of team applications (the ApplicationSet's template); applications without it are the platform's. */
export const TEAM_LABEL = "team";

/** One notified event: its trigger, the template it sends, and how the template reads. */
export interface NotificationEvent {
  readonly trigger: string;
  readonly template: string;
  /** The trigger's condition (Argo CD's catalog). */
  readonly when: string;
  /** Notify once per value of this expression. */
  readonly oncePer?: string;
  /** The message: a `printf` format (`%s` only) and its arguments (Go template fields of `.app` and `.context`). */
  readonly summary: { readonly format: string; readonly args: readonly string[] };
  /** PagerDuty severity. */
  readonly severity: "error" | "info";
}

const NAME = ".app.metadata.name";
const PROJECT = ".app.spec.project";
const LINK = [".context.argocdUrl", NAME];

/** The default events: sync failed, health degraded, deployed. */
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
  {
    trigger: "on-sync-failed",
    template: "app-sync-failed",
    when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
    summary: { format: "Sync of %s (project %s) failed: %s %s/applications/%s", args: [NAME, PROJECT, ".app.status.operationState.message", ...LINK] },
    severity: "error",
  },
  {
    trigger: "on-health-degraded",
    template: "app-health-degraded",
    when: "app.status.health.status == 'Degraded'",
    summary: { format: "%s (project %s) is Degraded %s/applications/%s", args: [NAME, PROJECT, ...LINK] },
    severity: "error",
  },
  {
    trigger: "on-deployed",
    template: "app-deployed",
    when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'",
    oncePer: "app.status.operationState.syncResult.revision",
    summary: { format: "%s (project %s) deployed %s and is Healthy %s/applications/%s", args: [NAME, PROJECT, ".app.status.sync.revision", ...LINK] },
    severity: "info",
  },
];

/** The message as a Go template: each `%s` replaced by its argument. */
export function summaryText(e: NotificationEvent): string {
  let i = 0;
  const text = e.summary.format.replace(/%s/g, () => `{{${e.summary.args[i++]}}}`);
  if (i !== e.summary.args.length || /%[^s]/.test(e.summary.format)) throw new Error(`${e.template}: format and arguments do not match`);
  return text;
}

/** The message as one JSON string value (Sprig's `toJson` escapes what the fields hold). */
export function summaryJson(e: NotificationEvent): string {
  return `{{ printf ${JSON.stringify(e.summary.format)} ${e.summary.args.join(" ")} | toJson }}`;
}

/** Where a receiver's notifications go: the service name and its recipients. */
export interface Destination {
  readonly service: string;
  /** Webhooks take one empty recipient (as an annotation with an empty value does). */
  readonly recipients: readonly string[];
}

/** The Argo CD service of a receiver. */
export function receiverDestination(name: string, receiver: AlertReceiverConfig): Destination {
  return receiver.type === "pagerduty" ? { service: "pagerdutyv2", recipients: [name] } : { service: name, recipients: [""] };
}

/** The receivers Argo CD notifies: the default receiver and each team's (sorted, each once). */
export function usedReceivers(alerting: AlertingConfig, teams: readonly string[]): string[] {
  return [...new Set([alerting.defaultReceiver, ...teams.map((t) => teamReceiver(alerting, t))])].sort();
}

/** A team's receiver: its entry in `alerting.teams`, else the default receiver. */
export function teamReceiver(alerting: AlertingConfig, team: string): string {
  return Object.hasOwn(alerting.teams, team) ? alerting.teams[team]! : alerting.defaultReceiver;
}

function receiver(alerting: AlertingConfig, name: string): AlertReceiverConfig {
  const r = alerting.receivers[name];
  if (r === undefined) throw new Error(`receiver "${name}" is not in alerting.receivers`);
  return r;
}

/** The JSON body a webhook receiver gets for an event (Go template; values JSON-escaped with Sprig's `toJson`). */
function webhookBody(event: NotificationEvent, r: AlertReceiverConfig): string {
  if (r.type === "slack") {
    return `{"channel": ${JSON.stringify(r.channel)}, "text": ${summaryJson(event)}}`;
  }
  return [
    "{",
    `  "source": "argocd",`,
    `  "event": ${JSON.stringify(event.trigger)},`,
    `  "application": {{ .app.metadata.name | toJson }},`,
    `  "project": {{ .app.spec.project | toJson }},`,
    `  "syncStatus": {{ .app.status.sync.status | toJson }},`,
    `  "healthStatus": {{ .app.status.health.status | toJson }},`,
    `  "revision": {{ .app.status.sync.revision | toJson }},`,
    `  "url": {{ printf "%s/applications/%s" .context.argocdUrl .app.metadata.name | toJson }}`,
    "}",
  ].join("\n");
}

/** `service.*` entries of argocd-notifications-cm for the receivers (credentials as `$<receiver>`). */
export function notificationServices(alerting: AlertingConfig, names: readonly string[]): Record<string, string> {
  const services: Record<string, string> = {};
  const pagerduty: Record<string, string> = {};
  for (const name of names) {
    if (receiver(alerting, name).type === "pagerduty") pagerduty[name] = `$${name}`;
    else services[`service.webhook.${name}`] = stringify({ url: `$${name}`, headers: [{ name: "Content-Type", value: "application/json" }] });
  }
  if (Object.keys(pagerduty).length > 0) services["service.pagerdutyv2"] = stringify({ serviceKeys: pagerduty });
  return services;
}

/** `template.*` entries: per event, a message and the part of each service the receivers use. */
export function notificationTemplates(alerting: AlertingConfig, names: readonly string[]): Record<string, string> {
  const webhooks = names.filter((n) => receiver(alerting, n).type !== "pagerduty");
  const pagerduty = names.some((n) => receiver(alerting, n).type === "pagerduty");
  return Object.fromEntries(
    NOTIFICATION_EVENTS.map((e) => [
      `template.${e.template}`,
      stringify({
        message: summaryText(e),
        ...(webhooks.length > 0
          ? { webhook: Object.fromEntries(webhooks.map((n) => [n, { method: "POST", body: webhookBody(e, receiver(alerting, n)) }])) }
          : {}),
        ...(pagerduty ? { pagerdutyv2: { summary: summaryText(e), severity: e.severity, source: "argocd" } } : {}),
      }),
    ]),
  );
}

/** `trigger.*` entries (Argo CD's catalog conditions). */
export function notificationTriggers(): Record<string, string> {
  return Object.fromEntries(
    NOTIFICATION_EVENTS.map((e) => [`trigger.${e.trigger}`, stringify([{ when: e.when, ...(e.oncePer ? { oncePer: e.oncePer } : {}), send: [e.template] }])]),
  );
}

/** The AppProject annotation subscribing a team's applications to every event, at the team's receiver. */
export function teamSubscriptionAnnotations(alerting: AlertingConfig, team: string): Record<string, string> {
  const name = teamReceiver(alerting, team);
  const d = receiverDestination(name, receiver(alerting, name));
  return {
    [SUBSCRIPTIONS_ANNOTATION]: stringify([{ trigger: NOTIFICATION_EVENTS.map((e) => e.trigger), destinations: [{ service: d.service, recipients: [...d.recipients] }] }]),
  };
}

/** The global subscription: applications without a team label notify the default receiver. */
export function platformSubscriptions(alerting: AlertingConfig): { recipients: string[]; triggers: string[]; selector: string }[] {
  const name = alerting.defaultReceiver;
  const d = receiverDestination(name, receiver(alerting, name));
  // Global recipients are `<service>[:<recipient>]` (pkg/api/config.go GetGlobalDestinations).
  const recipients = d.recipients.map((r) => (r === "" ? d.service : `${d.service}:${r}`));
  return [{ recipients, triggers: NOTIFICATION_EVENTS.map((e) => e.trigger), selector: `!${TEAM_LABEL}` }];
}

/** The credentials the notifications Secret holds: key `<receiver>` from the receiver's Secrets Manager secret. */
export function notificationCredentials(alerting: AlertingConfig, names: readonly string[]): { secretKey: string; key: string; property?: string }[] {
  return names.map((name) => {
    const r = receiver(alerting, name);
    return { secretKey: name, key: r.secretArn, ...(r.secretProperty ? { property: r.secretProperty } : {}) };
  });
}

/**
 * The chart's `notifications` values for these receivers and teams (without alerting: the chart's
 * defaults, no service and no subscription).
 */
export function argoCdNotificationsValues(alerting: AlertingConfig | undefined, teams: readonly string[], argocdUrl: string): Record<string, unknown> {
  if (alerting === undefined) return { argocdUrl };
  const names = usedReceivers(alerting, teams);
  return {
    argocdUrl,
    // The ExternalSecret writes the Secret (the chart would otherwise create an empty one it owns).
    secret: { create: false, name: ARGO_CD_NOTIFICATIONS_SECRET },
    notifiers: notificationServices(alerting, names),
    templates: notificationTemplates(alerting, names),
    triggers: notificationTriggers(),
    subscriptions: platformSubscriptions(alerting),
  };
}
