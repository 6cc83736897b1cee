import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  ALERTMANAGER_POD_LABELS,
  AMP_DATASOURCE_PLUGIN,
  GRAFANA_ADMIN_SECRET,
  GRAFANA_POD_LABELS,
  GRAFANA_SERVICE_ACCOUNT,
  GRAFANA_SUBCHART,
  grafanaIni,
  KUBE_PROMETHEUS_STACK_CHART,
  kubePrometheusStackValues,
  KubePrometheusStackValuesInput,
  PROMETHEUS_POD_LABELS,
  PROMETHEUS_SERVICE_ACCOUNT,
  validateKubePrometheusStackProps,
} from "../addons/kube-prometheus-stack";
import { METRICS_SERVER_CHART, METRICS_SERVER_POD_LABELS, metricsServerValues } from "../addons/metrics-server";
import { durationDays } from "../environments/validate";
import { platform, resources, synth, SynthesizedStack } from "./support/platform";

const ZONE = "topology.kubernetes.io/zone";
const NAMESPACE = "monitoring";

/**
 * The one resource of `type` whose logical name is `logicalPrefix` plus cdktf's hash (the construct
 * path joined with `_`; `Testing.synth` writes no construct-path metadata), with that name.
 */
function named(json: SynthesizedStack, type: string, logicalPrefix: string): { name: string; resource: any } {
  const pattern = new RegExp(`^${logicalPrefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}_[0-9A-F]{8}$`);
  const matches = Object.entries(resources(json, type)).filter(([logicalName]) => pattern.test(logicalName));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${logicalPrefix}_<hash>, found ${matches.length}`);
  const [name, resource] = matches[0]!;
  return { name, resource };
}

/** `${type.name.attr}` as Terraform sees a reference in the synthesized JSON. */
const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;

const ha: KubePrometheusStackValuesInput = {
  clusterName: "eks-idp-prd",
  region: "ap-northeast-2",
  storageClassName: "gp3",
  prometheusReplicas: 3,
  prometheusRetention: "15d",
  prometheusStorageGiB: 200,
  prometheusRoleArn: "arn:aws:iam::444455556666:role/eks-idp-prd-prometheus",
  remoteWriteUrl: "https://aps-workspaces.ap-northeast-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write",
  alertmanagerReplicas: 3,
  alertmanagerStorageGiB: 10,
  grafanaReplicas: 2,
  grafanaStorageGiB: 10,
  grafanaRoleArn: "arn:aws:iam::444455556666:role/eks-idp-prd-grafana",
  ampQueryUrl: "https://aps-workspaces.ap-northeast-2.amazonaws.com/workspaces/ws-1",
};
const single: KubePrometheusStackValuesInput = {
  ...ha,
  prometheusReplicas: 1,
  prometheusRetention: "2d",
  prometheusStorageGiB: 20,
  alertmanagerReplicas: 1,
  grafanaReplicas: 1,
};

describe("chart pins", () => {
  it("pins kube-prometheus-stack 88.5.3 from the prometheus-community repository", () => {
    expect(KUBE_PROMETHEUS_STACK_CHART).toMatchObject({
      repository: "https://prometheus-community.github.io/helm-charts",
      chart: "kube-prometheus-stack",
      version: "88.5.3",
    });
    expect(KUBE_PROMETHEUS_STACK_CHART.source).toContain("cf408a290aec489277a94450bb3511432477a53a");
    expect(GRAFANA_SUBCHART.version).toBe("12.11.1");
  });

  it("pins metrics-server 3.13.1 from the kubernetes-sigs repository", () => {
    expect(METRICS_SERVER_CHART).toMatchObject({
      repository: "https://kubernetes-sigs.github.io/metrics-server/",
      chart: "metrics-server",
      version: "3.13.1",
    });
    expect(METRICS_SERVER_CHART.source).toContain("5ed5d3a2cf940a8c7541cfbac19af822f4c97844");
  });
});

describe("kubePrometheusStackValues", () => {
  const values = kubePrometheusStackValues(ha) as any;
  const one = kubePrometheusStackValues(single) as any;

  it("runs HA Prometheus spread across zones, on soft host anti-affinity, with a PDB", () => {
    const spec = values.prometheus.prometheusSpec;
    expect(spec.replicas).toBe(3);
    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: PROMETHEUS_POD_LABELS } },
    ]);
    expect(spec.podAntiAffinity).toBe("soft");
    expect(spec.podAntiAffinityTopologyKey).toBe("kubernetes.io/hostname");
    expect(values.prometheus.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  });

  it("runs one Prometheus, Alertmanager and Grafana without spread or PDB when asked for one", () => {
    expect(one.prometheus.prometheusSpec.replicas).toBe(1);
    expect(one.prometheus.prometheusSpec.topologySpreadConstraints).toEqual([]);
    expect(one.prometheus.podDisruptionBudget.enabled).toBe(false);
    expect(one.alertmanager.alertmanagerSpec.topologySpreadConstraints).toEqual([]);
    expect(one.alertmanager.podDisruptionBudget.enabled).toBe(false);
    expect(one.grafana.topologySpreadConstraints).toEqual([]);
    expect(one.grafana.podDisruptionBudget).toEqual({});
  });

  it("keeps Prometheus data on gp3 volumes with the local retention", () => {
    const spec = values.prometheus.prometheusSpec;
    expect(spec.retention).toBe("15d");
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({
      storageClassName: "gp3",
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "200Gi" } },
    });
  });

  it("remote-writes to AMP with SigV4 and the labels AMP deduplicates HA replicas by", () => {
    const spec = values.prometheus.prometheusSpec;
    expect(spec.remoteWrite).toEqual([{ name: "amp", url: ha.remoteWriteUrl, sigv4: { region: "ap-northeast-2" } }]);
    expect(spec.externalLabels).toEqual({ cluster: "eks-idp-prd" });
    expect(spec.replicaExternalLabelName).toBe("__replica__");
  });

  it("names the IRSA service accounts explicitly and annotates them with their roles", () => {
    expect(values.prometheus.serviceAccount).toEqual({
      create: true,
      name: PROMETHEUS_SERVICE_ACCOUNT,
      annotations: { "eks.amazonaws.com/role-arn": ha.prometheusRoleArn },
    });
    expect(values.grafana.serviceAccount).toEqual({
      create: true,
      name: GRAFANA_SERVICE_ACCOUNT,
      annotations: { "eks.amazonaws.com/role-arn": ha.grafanaRoleArn },
    });
  });

  it("runs HA Alertmanager with persistence", () => {
    const spec = values.alertmanager.alertmanagerSpec;
    expect(spec.replicas).toBe(3);
    expect(spec.storage.volumeClaimTemplate.spec.storageClassName).toBe("gp3");
    expect(spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe("10Gi");
    expect(spec.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(ALERTMANAGER_POD_LABELS);
    expect(values.alertmanager.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  });

  it("runs Grafana as a StatefulSet with a gp3 volume per replica, default dashboards and rules", () => {
    const g = values.grafana;
    expect(g.replicas).toBe(2);
    expect(g.persistence).toEqual({ enabled: true, type: "sts", storageClassName: "gp3", accessModes: ["ReadWriteOnce"], size: "10Gi" });
    expect(g.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(GRAFANA_POD_LABELS);
    expect(g.podDisruptionBudget).toEqual({ minAvailable: 1 });
    expect(g.defaultDashboardsEnabled).toBe(true);
    expect(values.defaultRules.create).toBe(true);
  });

  it("provisions an AMP data source with SigV4 from the default (IRSA) credential chain", () => {
    expect(values.grafana.additionalDataSources).toEqual([
      expect.objectContaining({
        type: AMP_DATASOURCE_PLUGIN.id,
        access: "proxy",
        url: ha.ampQueryUrl,
        jsonData: expect.objectContaining({ httpMethod: "POST", sigV4Auth: true, sigV4AuthType: "default", sigV4Region: "ap-northeast-2" }),
      }),
    ]);
    expect(values.grafana.plugins).toEqual([`${AMP_DATASOURCE_PLUGIN.id}@${AMP_DATASOURCE_PLUGIN.version}`]);
    expect(values.grafana["grafana.ini"].auth.sigv4_auth_enabled).toBe(true);
  });

  it("never sets a Grafana admin password: the chart generates it into its Secret", () => {
    expect(values.grafana.adminPassword).toBeUndefined();
    expect(values.grafana.admin).toBeUndefined();
    expect(JSON.stringify(values)).not.toMatch(/adminPassword|admin-password|GF_SECURITY_ADMIN_PASSWORD/);
    expect(GRAFANA_ADMIN_SECRET).toEqual({ name: "kube-prometheus-stack-grafana", userKey: "admin-user", passwordKey: "admin-password" });
  });

  it("tolerates the system node group's taint everywhere it runs pods", () => {
    const toleration = { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" };
    for (const tolerations of [
      values.prometheus.prometheusSpec.tolerations,
      values.alertmanager.alertmanagerSpec.tolerations,
      values.grafana.tolerations,
      values.prometheusOperator.tolerations,
      values.prometheusOperator.admissionWebhooks.patch.tolerations,
      values["kube-state-metrics"].tolerations,
    ]) {
      expect(tolerations).toEqual([toleration]);
    }
  });

  it("selects every team's monitors and rules, not only the release's own", () => {
    expect(values.prometheus.prometheusSpec).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      probeSelectorNilUsesHelmValues: false,
      scrapeConfigSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
    });
  });

  it("does not scrape the control-plane components EKS manages", () => {
    for (const component of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) {
      expect(values[component]).toEqual({ enabled: false });
    }
  });
});

describe("grafanaIni", () => {
  it("keeps the platform defaults and merges further settings (e.g. single sign-on) into one place", () => {
    const ini = grafanaIni({ "auth.generic_oauth": { enabled: true }, auth: { disable_login_form: true } }) as any;
    expect(ini.auth).toEqual({ sigv4_auth_enabled: true, disable_login_form: true });
    expect(ini["auth.generic_oauth"]).toEqual({ enabled: true });
    expect(ini.aws).toEqual({ allowed_auth_providers: "default" });
  });
});

describe("validateKubePrometheusStackProps", () => {
  it("names every bad prop", () => {
    const errors = validateKubePrometheusStackProps({
      context: undefined as never,
      prometheusReplicas: 0,
      prometheusRetention: "15 days",
      prometheusStorageGiB: 20,
      alertmanagerReplicas: 1,
      grafanaReplicas: 1,
      retentionPeriodInDays: 2000,
    });
    expect(errors).toHaveLength(3);
    expect(errors.join("\n")).toMatch(/prometheusReplicas.*retentionPeriodInDays.*prometheusRetention/s);
  });
});

describe("metricsServerValues", () => {
  it("runs two replicas spread across zones with a PodDisruptionBudget", () => {
    const values = metricsServerValues({ replicas: 2 }) as any;
    expect(values.replicas).toBe(2);
    expect(values.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(values.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: METRICS_SERVER_POD_LABELS } },
    ]);
  });

  it("runs one replica without spread or PDB", () => {
    const values = metricsServerValues({ replicas: 1 }) as any;
    expect(values.replicas).toBe(1);
    expect(values.podDisruptionBudget).toEqual({ enabled: false });
    expect(values.topologySpreadConstraints).toEqual([]);
  });
});

const { envs, stacks } = platform();

describe.each(envs.map((env) => [env.name, env] as const))("%s-addons observability", (name, env) => {
  const json = synth(stacks.environments[name]!.addons);
  const o = env.addons.observability;
  const release = named(json, "helm_release", "kube-prometheus-stack_release").resource;
  const values = parse(release.values[0]);
  const metricsServer = named(json, "helm_release", "metrics-server_release").resource;
  const msValues = parse(metricsServer.values[0]);
  const workspace = named(json, "aws_prometheus_workspace", "kube-prometheus-stack_amp-workspace");
  const workspaceArn = ref("aws_prometheus_workspace", workspace.name, "arn");
  const key = named(json, "aws_kms_key", "kube-prometheus-stack_amp-key");
  const ha = o.prometheusReplicas > 1;

  it("installs each release from its pinned chart", () => {
    expect(release).toMatchObject({
      name: "kube-prometheus-stack",
      namespace: NAMESPACE,
      repository: KUBE_PROMETHEUS_STACK_CHART.repository,
      chart: "kube-prometheus-stack",
      version: "88.5.3",
      atomic: true,
    });
    expect(metricsServer).toMatchObject({
      name: "metrics-server",
      namespace: "kube-system",
      repository: METRICS_SERVER_CHART.repository,
      chart: "metrics-server",
      version: "3.13.1",
    });
  });

  it("sizes Prometheus, Alertmanager and Grafana from the environment", () => {
    const spec = values.prometheus.prometheusSpec;
    expect(spec.replicas).toBe(o.prometheusReplicas);
    expect(spec.retention).toBe(o.prometheusRetention);
    expect(spec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe("gp3");
    expect(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe(`${o.prometheusStorageGiB}Gi`);
    expect(values.alertmanager.alertmanagerSpec.replicas).toBe(o.alertmanagerReplicas);
    expect(values.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName).toBe("gp3");
    expect(values.grafana.replicas).toBe(o.grafanaReplicas);
    expect(values.grafana.persistence).toMatchObject({ enabled: true, storageClassName: "gp3", size: `${o.grafanaStorageGiB}Gi` });
  });

  it("spreads replicated components across zones, and only those", () => {
    const spread = (constraints: any[]) => constraints.map((c) => c.topologyKey);
    expect(spread(values.prometheus.prometheusSpec.topologySpreadConstraints)).toEqual(o.prometheusReplicas > 1 ? [ZONE] : []);
    expect(spread(values.alertmanager.alertmanagerSpec.topologySpreadConstraints)).toEqual(o.alertmanagerReplicas > 1 ? [ZONE] : []);
    expect(spread(values.grafana.topologySpreadConstraints)).toEqual(o.grafanaReplicas > 1 ? [ZONE] : []);
    expect(values.prometheus.podDisruptionBudget.enabled).toBe(o.prometheusReplicas > 1);
  });

  it("runs metrics-server HA (2 replicas, zone spread, PDB) where Prometheus is HA, 1 replica otherwise", () => {
    expect(msValues.replicas).toBe(ha ? 2 : 1);
    expect(msValues.podDisruptionBudget.enabled).toBe(ha);
    expect(msValues.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(ha ? [ZONE] : []);
  });

  it("creates a KMS-encrypted AMP workspace with logging and the environment's retention", () => {
    expect(workspace.resource.kms_key_arn).toBe(ref("aws_kms_key", key.name, "arn"));
    expect(key.resource.enable_key_rotation).toBe(true);
    const logGroup = named(json, "aws_cloudwatch_log_group", "kube-prometheus-stack_amp-log-group");
    expect(workspace.resource.logging_configuration.log_group_arn).toBe(`${ref("aws_cloudwatch_log_group", logGroup.name, "arn")}:*`);
    expect(logGroup.resource.kms_key_id).toBe(ref("aws_kms_key", key.name, "arn"));
    expect(logGroup.resource.retention_in_days).toBe(env.addons.logging.retentionDays);
    const configuration = named(json, "aws_prometheus_workspace_configuration", "kube-prometheus-stack_amp-workspace-configuration");
    expect(configuration.resource).toMatchObject({
      workspace_id: ref("aws_prometheus_workspace", workspace.name, "id"),
      retention_period_in_days: o.longTermRetentionDays,
    });
  });

  it("protects the workspace and its key from deletion in prod only", () => {
    const prod = env.stage === "prod";
    expect(workspace.resource.lifecycle?.prevent_destroy === true).toBe(prod);
    expect(key.resource.lifecycle?.prevent_destroy === true).toBe(prod);
  });

  it("writes to and queries AMP through the workspace's endpoint", () => {
    const endpoint = `\${trimsuffix(aws_prometheus_workspace.${workspace.name}.prometheus_endpoint, "/")}`;
    expect(values.prometheus.prometheusSpec.remoteWrite).toEqual([
      { name: "amp", url: `${endpoint}/api/v1/remote_write`, sigv4: { region: env.region } },
    ]);
    expect(values.prometheus.prometheusSpec.externalLabels).toEqual({ cluster: `eks-idp-${name}` });
    const [datasource] = values.grafana.additionalDataSources;
    expect(datasource).toMatchObject({ type: "grafana-amazonprometheus-datasource", url: endpoint });
    expect(datasource.jsonData).toMatchObject({ httpMethod: "POST", sigV4Auth: true, sigV4AuthType: "default", sigV4Region: env.region });
  });

  describe.each([
    ["prometheus", PROMETHEUS_SERVICE_ACCOUNT, ["aps:RemoteWrite"]],
    ["grafana", GRAFANA_SERVICE_ACCOUNT, ["aps:GetLabels", "aps:GetMetricMetadata", "aps:GetSeries", "aps:QueryMetrics"]],
  ] as const)("%s IRSA", (component, serviceAccount, actions) => {
    const role = named(json, "aws_iam_role", `kube-prometheus-stack_${component}-irsa_role`);
    const policy = named(json, "aws_iam_role_policy", `kube-prometheus-stack_${component}-irsa_policy`);

    it("annotates the chart's service account with the role ARN", () => {
      const sa = values[component].serviceAccount;
      expect(sa.name).toBe(serviceAccount);
      expect(sa.annotations).toEqual({ "eks.amazonaws.com/role-arn": ref("aws_iam_role", role.name, "arn") });
    });

    it("trusts exactly that service account with the STS audience (StringEquals)", () => {
      // The issuer is a Terraform expression (quotes inside), so it is replaced before parsing.
      const issuer = /\$\{replace\([^}]*\)\}/g;
      const trust = JSON.parse(String(role.resource.assume_role_policy).replace(issuer, "ISSUER"));
      expect(trust.Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::${env.account.id}:oidc-provider/ISSUER` },
          Action: ["sts:AssumeRoleWithWebIdentity"],
          Condition: {
            StringEquals: {
              "ISSUER:sub": `system:serviceaccount:${NAMESPACE}:${serviceAccount}`,
              "ISSUER:aud": "sts.amazonaws.com",
            },
          },
        },
      ]);
    });

    it("may only do its AMP actions, on this workspace only", () => {
      expect(policy.resource.role).toBe(ref("aws_iam_role", role.name, "id"));
      const document = JSON.parse(policy.resource.policy);
      expect(document.Statement).toEqual([expect.objectContaining({ Effect: "Allow", Action: [...actions], Resource: [workspaceArn] })]);
    });
  });

  it("puts no Grafana admin password in the synthesized JSON", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/adminPassword|GF_SECURITY_ADMIN_PASSWORD/);
    expect(values.grafana.admin).toBeUndefined();
  });
});

describe("prod environments keep at least as much metrics data as nonprod ones", () => {
  // A rule between stages, over every environment: no environment's values are restated here
  // (replicas per environment follow its config, tested above; prod HA in platform-rules.test.ts).
  const kept = (env: string) => {
    const json = synth(stacks.environments[env]!.addons);
    const kps = parse(named(json, "helm_release", "kube-prometheus-stack_release").resource.values[0]);
    const spec = kps.prometheus.prometheusSpec;
    return {
      env,
      ampDays: Number(named(json, "aws_prometheus_workspace_configuration", "kube-prometheus-stack_amp-workspace-configuration").resource.retention_period_in_days),
      localDays: durationDays(String(spec.retention)),
      storageGi: parseInt(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, 10),
    };
  };
  const prods = envs.filter((e) => e.stage === "prod").map((e) => e.name);
  const nonprods = envs.filter((e) => e.stage !== "prod").map((e) => e.name);
  const pairs = prods.flatMap((p) => nonprods.map((n) => [p, n] as const));

  it.each(pairs)("%s keeps metrics as long and as much as %s", (p, n) => {
    const [prod, nonprod] = [kept(p), kept(n)];
    expect(prod.ampDays).toBeGreaterThanOrEqual(nonprod.ampDays);
    expect(prod.localDays).toBeGreaterThanOrEqual(nonprod.localDays);
    expect(prod.storageGi).toBeGreaterThanOrEqual(nonprod.storageGi);
  });
});

