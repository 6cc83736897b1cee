/**
 * Argo CD (addons/argo-cd): values against the chart's keys, SSO, HA by input, and the GitOps
 * objects (AppProject, ApplicationSet, the bridge's cluster Secret) as rules over any team.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { appProject, applicationSet, clusterAnnotations, clusterSecret, IN_CLUSTER, PLATFORM_OWNED_KINDS } from "../addons/argo-cd/gitops";
import { argoCdValues } from "../addons/argo-cd/values";
import { argoCdClient, ARGO_CD_CLI_REDIRECT_URI, ARGO_CD_CLIENT_ID, keycloakRealm } from "../addons/keycloak/realm";
import { environmentSchema } from "../environments/schema";
import { gitOpsTeams } from "../stacks/addons/gitops";
import { environments } from "../environments";
import { ArgoCd, notificationSecretObjects } from "../addons/argo-cd";
import {
  ARGO_CD_NOTIFICATIONS_SECRET,
  argoCdNotificationsValues,
  NOTIFICATION_EVENTS,
  notificationCredentials,
  notificationServices,
  notificationTemplates,
  notificationTriggers,
  platformSubscriptions,
  receiverDestination,
  SUBSCRIPTIONS_ANNOTATION,
  summaryJson,
  summaryText,
  TEAM_LABEL,
  teamReceiver,
  teamSubscriptionAnnotations,
  usedReceivers,
} from "../addons/argo-cd/notifications";
import type { AlertingConfig } from "../environments/schema";
import { Testing, TerraformStack } from "cdktf";
import { platform, resources, synth } from "./support/platform";

const ISSUER = "https://sso.example.com/realms/platform";
const team = {
  name: "search",
  namespaces: ["search", "search-jobs"],
  groups: ["team-search"],
  repositories: [
    { name: "api", url: "https://git.example.com/search/api.git", namespace: "search" },
    { name: "indexer", url: "ssh://git@git.example.com/search/indexer.git", path: "chart", revision: "v1.2.0", namespace: "search-jobs" },
  ],
};

describe("Argo CD's realm client", () => {
  it("has a realm client whose redirects are Argo CD's PKCE, server and CLI callbacks", () => {
    const client = argoCdClient("https://cd.example.com/");
    expect(client.redirectUris).toEqual(["https://cd.example.com/pkce/verify", "https://cd.example.com/auth/callback", ARGO_CD_CLI_REDIRECT_URI]);
    const realm = keycloakRealm({ realm: "platform", grafanaRootUrl: "http://localhost:3000", argoCdUrl: "https://cd.example.com" });
    expect(realm.clients.find((c) => c.clientId === ARGO_CD_CLIENT_ID)!.rootUrl).toBe("https://cd.example.com");
  });
});

describe("GitOps objects", () => {
  it("limits a team's AppProject to its repositories and namespaces, with no cluster-scoped kind and none of the platform's", () => {
    const spec = appProject(team).spec as any;
    expect(spec.sourceRepos).toEqual(team.repositories.map((r) => r.url).sort());
    expect(spec.destinations).toEqual(team.namespaces.map((namespace) => ({ server: IN_CLUSTER.server, namespace })));
    expect(spec.clusterResourceWhitelist).toEqual([]);
    expect(spec.namespaceResourceBlacklist).toEqual(PLATFORM_OWNED_KINDS.map((k) => ({ ...k })));
    expect(spec.roles[0].groups).toEqual(team.groups);
    for (const p of spec.roles[0].policies) expect(p).toContain(`${team.name}/*`);
    expect(() => appProject({ ...team, repositories: [{ ...team.repositories[0]!, namespace: "kube-system" }] })).toThrow(/not a namespace of the team/);
  });

  it("makes one Application per repository on the environment's cluster, in the team's project", () => {
    const set = applicationSet(team, "dev") as any;
    const [clusters, list] = set.spec.generators[0].matrix.generators;
    expect(clusters.clusters.selector.matchLabels.environment).toBe("dev");
    expect(list.list.elements.map((e: any) => [e.app, e.path, e.revision, e.namespace])).toEqual([
      ["api", ".", "HEAD", "search"],
      ["indexer", "chart", "v1.2.0", "search-jobs"],
    ]);
    expect(set.spec.template.spec.project).toBe(team.name);
    expect(set.spec.template.spec.destination.server).toBe("{{ .server }}");
    expect(set.spec.goTemplate).toBe(true);
  });

  it("writes the cluster's metadata into the cluster Secret's annotations (the GitOps bridge), and no credential", () => {
    const m = { environment: "dev", clusterName: "c", region: "r", accountId: "111122223333", vpcId: "vpc-1", roleArns: { external_dns: "arn:aws:iam::111122223333:role/x" } };
    expect(clusterAnnotations(m)).toEqual({ environment: "dev", aws_cluster_name: "c", aws_region: "r", aws_account_id: "111122223333", aws_vpc_id: "vpc-1", aws_external_dns_role_arn: "arn:aws:iam::111122223333:role/x" });
    const secret = clusterSecret(m) as any;
    expect(secret.metadata.labels).toEqual({ "argocd.argoproj.io/secret-type": "cluster", environment: "dev" });
    expect(Object.keys(secret.stringData).sort()).toEqual(["name", "server"]);
    expect(() => clusterAnnotations({ ...m, roleArns: { "Bad-Key": "x" } })).toThrow(/snake_case/);
    // Every annotation the ApplicationSet template reads is written.
    const template = JSON.stringify(applicationSet(team, "dev"));
    for (const key of template.match(/index \.metadata\.annotations \\"([a-z_]+)\\"/g) ?? []) {
      expect(Object.keys(clusterAnnotations(m))).toContain(key.split('\\"')[1]);
    }
  });
});

describe("teams' repositories in the environment config", () => {
  it("takes every configured team with its default group", () => {
    for (const env of environments) {
      const teams = gitOpsTeams(env.cluster.access.teams ?? {});
      expect(teams.map((t) => t.name)).toEqual(Object.keys(env.cluster.access.teams ?? {}).sort());
      for (const t of teams) expect(t.groups.length).toBeGreaterThan(0);
    }
  });

  it("refuses a repository that deploys outside the team's namespaces, and a repeated application name, in any environment", () => {
    for (const base of environments) {
      const withTeam = (repositories: unknown[]) => ({
        ...base,
        cluster: { ...base.cluster, access: { ...base.cluster.access, teams: { search: { roleArn: "arn:aws:iam::111122223333:role/search", namespaces: ["search"], repositories } } } },
      });
      const repo = { name: "api", url: "https://git.example.com/a.git", namespace: "search" };
      expect(environmentSchema.safeParse(withTeam([repo])).success, base.name).toBe(true);
      const outside = environmentSchema.safeParse(withTeam([{ ...repo, namespace: "other" }]));
      expect(outside.success, base.name).toBe(false);
      expect(JSON.stringify(outside.error?.issues)).toContain("namespace");
      expect(environmentSchema.safeParse(withTeam([repo, { ...repo, url: "https://git.example.com/b.git" }])).success, base.name).toBe(false);
    }
  });
});

describe("Argo CD notifications", () => {
  const arn = (n: string) => `arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:alerting/${n}-AbCdEf`;
  const alerting: AlertingConfig = {
    receivers: {
      "platform-slack": { type: "slack", channel: "#platform-alerts", secretArn: arn("slack") },
      "search-pagerduty": { type: "pagerduty", secretArn: arn("pd"), secretProperty: "routing_key" },
      hook: { type: "webhook", secretArn: arn("hook") },
      unused: { type: "webhook", secretArn: arn("unused") },
    },
    defaultReceiver: "platform-slack",
    teams: { search: "search-pagerduty", payments: "hook" },
  };
  const TEAMS = ["payments", "search", "web"];
  const values = argoCdNotificationsValues(alerting, TEAMS, "http://localhost:8080") as any;

  it("uses only the chart's notifications keys, and leaves the Secret to the ExternalSecret", () => {
    const chart = (JSON.parse(readFileSync(`${__dirname}/upstream/argo-cd-values-keys.json`, "utf8")) as { keys: any }).keys.notifications;
    for (const key of Object.keys(values)) expect(Object.keys(chart), key).toContain(key);
    expect(values.secret).toEqual({ create: false, name: ARGO_CD_NOTIFICATIONS_SECRET });
    // Without receivers: only the URL, the chart's defaults otherwise.
    expect(argoCdNotificationsValues(undefined, TEAMS, "http://localhost:8080")).toEqual({ argocdUrl: "http://localhost:8080" });
    const full = argoCdValues({ highlyAvailable: false, issuerUrl: ISSUER, clientId: "argocd", alerting, notifiedTeams: TEAMS }) as any;
    expect(full.notifications).toMatchObject({ resources: expect.anything(), ...values });
  });

  it("maps each receiver kind to its service: Slack and webhooks to webhook services, PagerDuty to pagerdutyv2, credentials as $<receiver>", () => {
    const services = notificationServices(alerting, ["hook", "platform-slack", "search-pagerduty"]);
    expect(Object.keys(services).sort()).toEqual(["service.pagerdutyv2", "service.webhook.hook", "service.webhook.platform-slack"]);
    expect(parse(services["service.webhook.platform-slack"]!)).toEqual({ url: "$platform-slack", headers: [{ name: "Content-Type", value: "application/json" }] });
    expect(parse(services["service.webhook.hook"]!).url).toBe("$hook");
    expect(parse(services["service.pagerdutyv2"]!)).toEqual({ serviceKeys: { "search-pagerduty": "$search-pagerduty" } });
    expect(notificationServices(alerting, ["hook"])).not.toHaveProperty("service.pagerdutyv2");
    expect(receiverDestination("search-pagerduty", alerting.receivers["search-pagerduty"]!)).toEqual({ service: "pagerdutyv2", recipients: ["search-pagerduty"] });
    expect(receiverDestination("hook", alerting.receivers.hook!)).toEqual({ service: "hook", recipients: [""] });
    expect(() => notificationServices(alerting, ["missing"])).toThrow(/not in alerting.receivers/);
  });

  it("writes per event a message, a Slack payload to the channel, a JSON event to webhooks and a PagerDuty summary", () => {
    const templates = notificationTemplates(alerting, ["hook", "platform-slack", "search-pagerduty"]);
    expect(Object.keys(templates).sort()).toEqual(NOTIFICATION_EVENTS.map((e) => `template.${e.template}`).sort());
    for (const e of NOTIFICATION_EVENTS) {
      const t = parse(templates[`template.${e.template}`]!);
      expect(t.message).toBe(summaryText(e));
      expect(t.message).not.toMatch(/%s/);
      expect(t.webhook["platform-slack"]).toEqual({ method: "POST", body: `{"channel": "#platform-alerts", "text": ${summaryJson(e)}}` });
      expect(t.webhook.hook.body).toContain(`"event": "${e.trigger}"`);
      expect(t.webhook.hook.body).toContain("| toJson");
      expect(t.pagerdutyv2).toEqual({ summary: summaryText(e), severity: e.severity, source: "argocd" });
    }
    const slackOnly = parse(notificationTemplates(alerting, ["platform-slack"])["template.app-deployed"]!);
    expect(slackOnly).not.toHaveProperty("pagerdutyv2");
    const pagerOnly = parse(notificationTemplates(alerting, ["search-pagerduty"])["template.app-deployed"]!);
    expect(pagerOnly).not.toHaveProperty("webhook");
    expect(() => summaryText({ ...NOTIFICATION_EVENTS[0]!, summary: { format: "%s %s", args: ["a"] } })).toThrow(/do not match/);
    expect(() => summaryText({ ...NOTIFICATION_EVENTS[0]!, summary: { format: "%d", args: [] } })).toThrow(/do not match/);
  });

  it("triggers on sync failed, health degraded and deployed (once per synced revision)", () => {
    const triggers = notificationTriggers();
    expect(Object.keys(triggers)).toEqual(["trigger.on-sync-failed", "trigger.on-health-degraded", "trigger.on-deployed"]);
    expect(parse(triggers["trigger.on-sync-failed"]!)).toEqual([{ when: expect.stringContaining("['Error', 'Failed']"), send: ["app-sync-failed"] }]);
    expect(parse(triggers["trigger.on-health-degraded"]!)[0].when).toBe("app.status.health.status == 'Degraded'");
    expect(parse(triggers["trigger.on-deployed"]!)[0]).toMatchObject({ oncePer: "app.status.operationState.syncResult.revision", send: ["app-deployed"] });
  });

  it("routes a team's applications to its receiver (else the default) through its AppProject, and the rest to the default receiver", () => {
    expect(teamReceiver(alerting, "search")).toBe("search-pagerduty");
    expect(teamReceiver(alerting, "web")).toBe("platform-slack");
    expect(teamReceiver(alerting, "constructor")).toBe("platform-slack");
    const triggers = NOTIFICATION_EVENTS.map((e) => e.trigger);
    expect(parse(teamSubscriptionAnnotations(alerting, "search")[SUBSCRIPTIONS_ANNOTATION]!)).toEqual([{ trigger: triggers, destinations: [{ service: "pagerdutyv2", recipients: ["search-pagerduty"] }] }]);
    expect(parse(teamSubscriptionAnnotations(alerting, "payments")[SUBSCRIPTIONS_ANNOTATION]!)).toEqual([{ trigger: triggers, destinations: [{ service: "hook", recipients: [""] }] }]);
    expect(parse(teamSubscriptionAnnotations(alerting, "web")[SUBSCRIPTIONS_ANNOTATION]!)[0].destinations).toEqual([{ service: "platform-slack", recipients: [""] }]);
    // Applications without the team label (the ApplicationSets set it) go to the default receiver.
    expect(values.subscriptions).toEqual([{ recipients: ["platform-slack"], triggers, selector: `!${TEAM_LABEL}` }]);
    expect(platformSubscriptions({ ...alerting, defaultReceiver: "search-pagerduty" })[0]!.recipients).toEqual(["pagerdutyv2:search-pagerduty"]);
    expect((applicationSet(team, "dev") as any).spec.template.metadata.labels[TEAM_LABEL]).toBe(team.name);
    const project = appProject({ ...team, projectAnnotations: teamSubscriptionAnnotations(alerting, "search") }) as any;
    expect(project.metadata.annotations).toHaveProperty(SUBSCRIPTIONS_ANNOTATION);
    expect((appProject(team) as any).metadata).not.toHaveProperty("annotations");
  });

  it("keeps credentials by reference: the Secret holds each used receiver's secret (by ARN), no value anywhere", () => {
    const used = usedReceivers(alerting, TEAMS);
    expect(used).toEqual(["hook", "platform-slack", "search-pagerduty"]);
    const credentials = notificationCredentials(alerting, used);
    expect(credentials).toEqual([
      { secretKey: "hook", key: arn("hook") },
      { secretKey: "platform-slack", key: arn("slack") },
      { secretKey: "search-pagerduty", key: arn("pd"), property: "routing_key" },
    ]);
    const [sa, store, es] = notificationSecretObjects("ap-northeast-2", { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/r" }, credentials) as any[];
    expect([sa.kind, store.kind, es.kind]).toEqual(["ServiceAccount", "SecretStore", "ExternalSecret"]);
    expect(es.spec.target.name).toBe(ARGO_CD_NOTIFICATIONS_SECRET);
    expect(es.spec.data.map((d: any) => d.remoteRef.key)).toEqual(credentials.map((c) => c.key));
    // Every credential in the configuration is a $reference to a key of that Secret.
    const text = JSON.stringify(values);
    for (const m of text.matchAll(/\$([\w-]+)/g)) expect(used).toContain(m[1]);
    expect(text).not.toMatch(/secretsmanager|hooks\.slack\.com|https?:\/\/(?!localhost)/);
  });

  it("refuses alerting without a store for its credentials", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    const cluster = { clusterName: "c", region: "ap-northeast-2", accountId: "111122223333", vpcId: "vpc-1" };
    expect(() => new ArgoCd(stack, "argo-cd", { environment: "dev", highlyAvailable: false, issuerUrl: ISSUER, clientId: "argocd", cluster, alerting })).toThrow(/notificationSecrets/);
  });

  const { envs, stacks } = platform();
  it.each(envs.map((e) => [e.name, e] as const))("%s: the chart's notifications match the environment's alerting, team projects subscribe, the Secret comes by ARN", (_n, env) => {
    const stack = synth(stacks.environments[env.name]!.addons);
    const releases = resources(stack, "helm_release");
    const argocd = Object.values(releases).find((r: any) => r.name === "argocd") as any;
    const notifications = parse(argocd.values[0]).notifications;
    const alertingOf = env.addons.observability.alerting;
    const teams = Object.keys(env.cluster.access.teams);
    const secrets = Object.values(releases).find((r: any) => r.name === "argocd-notification-secrets") as any;
    if (!alertingOf) {
      expect(notifications).not.toHaveProperty("notifiers");
      expect(secrets).toBeUndefined();
      return;
    }
    expect(notifications.subscriptions).toEqual(platformSubscriptions(alertingOf));
    const objects = parse(secrets.values[0]).resources as any[];
    const es = objects.find((o) => o.kind === "ExternalSecret");
    expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(usedReceivers(alertingOf, teams));
    expect(es.spec.data.map((d: any) => d.remoteRef.key)).toEqual(usedReceivers(alertingOf, teams).map((n) => alertingOf.receivers[n]!.secretArn));
    const projects = (parse((Object.values(releases).find((r: any) => r.name === "argocd-resources") as any).values[0]).resources as any[]).filter((o) => o.kind === "AppProject");
    for (const p of projects) expect(p.metadata.annotations[SUBSCRIPTIONS_ANNOTATION]).toBe(teamSubscriptionAnnotations(alertingOf, p.metadata.name)[SUBSCRIPTIONS_ANNOTATION]);
    expect(argocd.values[0]).not.toMatch(/secretsmanager/);
  });
});
