/**
 * Release ordering derived from the add-ons' declarations, and the rules every addons stack must
 * keep: Services after the load balancer webhook, monitors after the monitoring CRDs, pods after
 * their IAM policies, requests on everything that runs on the system nodes.
 */
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AwsLoadBalancerController } from "../addons/aws-load-balancer-controller";
import { awsLoadBalancerControllerPodLabels, METRICS_PORT_NAME } from "../addons/aws-load-balancer-controller/values";
import { CRITICAL_ADDONS_TOLERATION } from "../addons/context";
import { GRAFANA_CLIENT_ID } from "../addons/keycloak/realm";
import { POD_READINESS_GATE_LABEL } from "../addons/keycloak/values";
import { grafanaOAuthRedirectUri, grafanaServerIni } from "../addons/kube-prometheus-stack/values";
import { Velero } from "../addons/velero";
import { AddonComposition, Declaration, findCycle, resolveNeeds } from "../modules/helm/composition";
import { HelmAddon, releaseNeeds } from "../modules/helm/helm-addon";
import type { AddonsStack } from "../stacks/addons-stack";
import { GRAFANA_ROOT_URL } from "../stacks/addons/auth";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";

const pin = { repository: "https://charts.example.com", chart: "demo", version: "1.2.3", source: "example/demo@abc charts/demo" };

describe("resolveNeeds (pure)", () => {
  const lbc: Declaration = { name: "kube-system/lbc", needs: ["load-balancer-webhook"], provides: ["load-balancer-webhook"] };
  const kps: Declaration = { name: "monitoring/kps", needs: ["load-balancer-webhook", "storage-classes"], provides: ["monitoring-crds"] };
  const storage: Declaration = { name: "storage-classes", needs: [], provides: ["storage-classes"] };

  it("makes each release wait for the supplier of every need, never for itself", () => {
    const velero: Declaration = { name: "velero/velero", needs: ["load-balancer-webhook", "monitoring-crds", "monitoring-crds"], provides: [] };
    const { edges, problems } = resolveNeeds([lbc, kps, storage, velero]);
    expect(problems).toEqual([]);
    expect(edges).toEqual([
      ["monitoring/kps", "kube-system/lbc"],
      ["monitoring/kps", "storage-classes"],
      ["velero/velero", "kube-system/lbc"],
      ["velero/velero", "monitoring/kps"],
    ]);
  });

  it("reports a need nothing supplies, a capability supplied twice, and a cycle", () => {
    const velero: Declaration = { name: "velero/velero", needs: ["monitoring-crds"], provides: [] };
    expect(resolveNeeds([lbc, velero]).problems).toEqual([expect.stringMatching(/^velero\/velero needs monitoring-crds \(.*Prometheus Operator CRDs.*\), but no add-on/)]);
    expect(resolveNeeds([lbc, { ...lbc, name: "other/lbc" }]).problems).toEqual(["load-balancer-webhook is provided by both kube-system/lbc and other/lbc"]);
    const lbcScraped: Declaration = { ...lbc, needs: ["load-balancer-webhook", "monitoring-crds"] };
    expect(resolveNeeds([lbcScraped, kps, storage]).problems).toEqual(["release ordering has a cycle: kube-system/lbc -> monitoring/kps -> kube-system/lbc"]);
  });

  it("finds cycles, and none in a chain", () => {
    expect(findCycle([["a", "b"], ["b", "c"]])).toBeUndefined();
    expect(findCycle([["a", "b"], ["b", "c"], ["c", "b"]])).toEqual(["b", "c", "b"]);
    expect(findCycle([])).toBeUndefined();
  });

  it("derives the load balancer webhook need from createsServices", () => {
    expect(releaseNeeds({ createsServices: true })).toEqual(["load-balancer-webhook"]);
    expect(releaseNeeds({ createsServices: false, needs: ["storage-classes"] })).toEqual(["storage-classes"]);
    expect(releaseNeeds({ createsServices: true, needs: ["load-balancer-webhook"] })).toEqual(["load-balancer-webhook"]);
  });
});

describe("AddonComposition", () => {
  const demo = (stack: TerraformStack, id: string, extra: Partial<ConstructorParameters<typeof HelmAddon>[2]>) =>
    new HelmAddon(stack, id, { releaseName: id, namespace: id, chart: pin, values: {}, createsServices: false, ...extra });

  it("adds the supplier's release to depends_on of a release that needs it", () => {
    const stack = new TerraformStack(Testing.app(), "composed");
    const composition = AddonComposition.attach(stack);
    const webhook = demo(stack, "webhook", { createsServices: true, provides: ["load-balancer-webhook"] });
    const app = demo(stack, "app", { createsServices: true });
    composition.resolve();
    const json = JSON.parse(Testing.synth(stack)) as SynthesizedStack;
    const release = (h: HelmAddon) => resources(json, "helm_release")[stack.getLogicalId(h.release)];
    expect(release(app).depends_on).toEqual([`helm_release.${stack.getLogicalId(webhook.release)}`]);
    expect(release(webhook).depends_on).toBeUndefined();
  });

  it("fails loudly when Velero's monitors have no monitoring CRDs to wait for", () => {
    const stack = new TerraformStack(Testing.app(), "no-monitoring");
    const composition = AddonComposition.attach(stack);
    new Velero(stack, "velero", {
      clusterName: "c",
      namePrefix: "p",
      oidc: { providerArn: "arn:aws:iam::111122223333:oidc-provider/oidc.example", issuer: "oidc.example" },
      scope: { partition: "aws", region: "eu-west-1", accountId: "111122223333" },
      protectStatefulResources: false,
      expirationDays: 30,
    });
    expect(() => composition.resolve()).toThrow(/velero\/velero needs monitoring-crds/);
  });

  it("refuses an add-on registered after resolution, and a second composition", () => {
    const stack = new TerraformStack(Testing.app(), "late");
    const composition = AddonComposition.attach(stack);
    composition.resolve();
    expect(() => demo(stack, "late", {})).toThrow(/added after the add-on composition was resolved/);
    expect(() => AddonComposition.attach(stack)).toThrow(/already has an add-on composition/);
  });
});

// ---------------------------------------------------------------------------------------------
// Rules over every addons stack of every environment, on the synthesized JSON.

interface Release {
  readonly address: string;
  readonly config: Record<string, any>;
  readonly values: any;
}

function releasesOf(json: SynthesizedStack): Release[] {
  return Object.entries(resources(json, "helm_release")).map(([name, config]) => ({
    address: `helm_release.${name}`,
    config,
    values: parse(config.values?.[0] ?? "{}") ?? {},
  }));
}

const addonStacks = (): [string, AddonsStack, SynthesizedStack][] =>
  Object.entries(platform().stacks.environments).map(([env, stacks]) => [env, stacks.addons, synth(stacks.addons)]);

/** The release of `namespace/name`. */
function releaseNamed(releases: readonly Release[], qualified: string): Release {
  const [namespace, name] = qualified.split("/");
  const found = releases.find((r) => r.config.namespace === namespace && r.config.name === name);
  expect(found, qualified).toBeDefined();
  return found!;
}

/** Whether a toleration list lets a pod onto the `system` nodes (their taint, or every taint). */
function toleratesSystem(tolerations: unknown): boolean {
  return (
    Array.isArray(tolerations) &&
    tolerations.some((t) => (t.key === CRITICAL_ADDONS_TOLERATION.key && t.operator === "Exists") || (t.key === undefined && t.operator === "Exists"))
  );
}

/** Every object in a value tree, with its dotted path. */
function* objectsOf(value: unknown, path = ""): Generator<[string, Record<string, any>]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* objectsOf(item, `${path}[${i}]`);
  } else if (typeof value === "object" && value !== null) {
    yield [path, value as Record<string, any>];
    for (const [key, child] of Object.entries(value)) yield* objectsOf(child, path ? `${path}.${key}` : key);
  }
}

/**
 * Where a chart reads the containers' resources when it is not next to `tolerations` (the pod-level
 * key): karpenter's templates/deployment.yaml takes `tolerations` from the top and the controller's
 * resources from `controller.resources`.
 */
const RESOURCES_ELSEWHERE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  karpenter: { "": "controller.resources" },
  argocd: { "redis-ha": "redis-ha.redis.resources" },
};

const get = (root: any, dotted: string) => dotted.split(".").reduce((o, k) => o?.[k], root);

/** Keys under which charts switch on a ServiceMonitor, PodMonitor or PrometheusRule. */
const MONITOR_KEYS = /^(serviceMonitor|servicemonitor|podMonitor|podmonitor|prometheusRule)$/;

describe.each(addonStacks())("addons stack of %s", (_env, stack, json) => {
  const releases = releasesOf(json);
  const declared = stack.composition.declarations;
  const webhookSupplier = declared.find((d) => d.provides.includes("load-balancer-webhook"))!;
  const monitoringSupplier = declared.find((d) => d.provides.includes("monitoring-crds"))!;
  const lbc = releaseNamed(releases, webhookSupplier.name);
  const kps = releaseNamed(releases, monitoringSupplier.name);

  it("declares every Helm add-on release (so none escapes the rules below)", () => {
    const names = new Set(declared.map((d) => d.name));
    // Releases of the repository's own chart (custom resources) are not add-ons: no Service, no pod.
    const addonReleases = releases.filter((r) => !String(r.config.chart).startsWith("./"));
    for (const r of addonReleases) expect(names.has(`${r.config.namespace}/${r.config.name}`), r.address).toBe(true);
    expect(webhookSupplier.name).toBe(`${AwsLoadBalancerController.NAMESPACE}/${AwsLoadBalancerController.RELEASE_NAME}`);
  });

  it("installs every release whose chart creates a Service after the load balancer controller", () => {
    const creatingServices = declared.filter((d) => d.needs.includes("load-balancer-webhook") && d !== webhookSupplier);
    expect(creatingServices.map((d) => d.name)).toEqual(expect.arrayContaining(["external-secrets/external-secrets", "velero/velero"]));
    for (const d of creatingServices) expect(releaseNamed(releases, d.name).config.depends_on, d.name).toContain(lbc.address);
  });

  it("installs every release that creates monitors after the monitoring CRDs (explicitly, not autodetected)", () => {
    const monitoring = releases.filter((r) => r !== kps && [...objectsOf(r.values)].some(([path, o]) => MONITOR_KEYS.test(path.split(".").pop()!) && o.enabled === true));
    expect(monitoring.map((r) => r.config.name)).toEqual(expect.arrayContaining(["velero", "cert-manager", "fluent-bit", "keycloak"]));
    for (const r of monitoring) {
      expect(r.config.depends_on, r.config.name).toContain(kps.address);
      for (const [path, o] of objectsOf(r.values)) {
        if (MONITOR_KEYS.test(path.split(".").pop()!)) expect(o.autodetect, `${r.config.name}: ${path}`).not.toBe(true);
      }
    }
    const velero = releases.find((r) => r.config.name === "velero")!;
    expect(velero.values.metrics.serviceMonitor).toMatchObject({ enabled: true, autodetect: false });
    expect(velero.values.metrics.prometheusRule).toMatchObject({ enabled: true, autodetect: false });
    expect(velero.values.metrics.prometheusRule.spec.map((r: any) => r.alert)).toEqual(["VeleroBackupFailed", "VeleroNoRecentBackup"]);
  });

  it("starts every release with an IRSA role after the role and all its policies", () => {
    const roles = resources(json, "aws_iam_role");
    const policies = [
      ...Object.entries(resources(json, "aws_iam_role_policy")).map(([n, p]) => [`aws_iam_role_policy.${n}`, p.role] as const),
      ...Object.entries(resources(json, "aws_iam_role_policy_attachment")).map(([n, p]) => [`aws_iam_role_policy_attachment.${n}`, p.role] as const),
    ];
    let checked = 0;
    for (const r of releases) {
      for (const role of Object.keys(roles).filter((n) => r.config.values[0].includes(`\${aws_iam_role.${n}.arn}`))) {
        const own = policies.filter(([, ref]) => ref === `\${aws_iam_role.${role}.id}` || ref === `\${aws_iam_role.${role}.name}`).map(([a]) => a);
        expect(own.length, `${role} has policies`).toBeGreaterThan(0);
        expect(r.config.depends_on, `${r.config.name} -> ${role}`).toEqual(expect.arrayContaining([`aws_iam_role.${role}`, ...own]));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    const kpsRoles = Object.keys(roles).filter((n) => kps.config.values[0].includes(`\${aws_iam_role.${n}.arn}`));
    expect(kpsRoles).toHaveLength(2);
  });

  it("sets requests on every component that runs on the system nodes", () => {
    let components = 0;
    for (const r of releases) {
      if (String(r.config.chart).startsWith("./")) {
        // The repository chart renders whole objects: check each pod template's containers.
        for (const object of (r.values.resources ?? []) as any[]) {
          const pod = object?.spec?.template?.spec ?? object?.spec?.jobTemplate?.spec?.template?.spec;
          if (pod === undefined || !toleratesSystem(pod.tolerations)) continue;
          for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
            const at = `${object.kind}/${object.metadata.name}: ${container.name}.resources`;
            expect(container.resources?.requests?.cpu, `${r.config.name}: ${at}.requests.cpu`).toBeTruthy();
            expect(container.resources?.requests?.memory, `${r.config.name}: ${at}.requests.memory`).toBeTruthy();
            components++;
          }
        }
        continue;
      }
      for (const [path, o] of objectsOf(r.values)) {
        if (!toleratesSystem(o.tolerations)) continue;
        const at = RESOURCES_ELSEWHERE[r.config.name]?.[path] ?? (path ? `${path}.resources` : "resources");
        const requests = get(r.values, at)?.requests;
        expect(requests?.cpu, `${r.config.name}: ${at}.requests.cpu`).toBeTruthy();
        expect(requests?.memory, `${r.config.name}: ${at}.requests.memory`).toBeTruthy();
        components++;
      }
    }
    expect(components).toBeGreaterThan(releases.length);
    const kpsValues = kps.values;
    for (const at of ["prometheus-node-exporter.resources", "grafana.sidecar.resources", "grafana.initChownData.resources", "prometheusOperator.prometheusConfigReloader.resources"]) {
      expect(get(kpsValues, at)?.requests, at).toBeDefined();
    }
  });

  it("sets Grafana's root URL, and the realm's Grafana client redirects exactly there", () => {
    const server = kps.values.grafana["grafana.ini"].server;
    expect(server).toEqual({ root_url: GRAFANA_ROOT_URL, domain: new URL(GRAFANA_ROOT_URL).hostname });
    const realmMap = Object.values(resources(json, "kubernetes_config_map_v1")).find((m: any) => m.metadata.name === "keycloak-realm") as any;
    const realm = JSON.parse(Object.values(realmMap.data as Record<string, string>)[0]!);
    const grafana = realm.clients.find((c: any) => c.clientId === GRAFANA_CLIENT_ID);
    expect(grafana.redirectUris).toContain(grafanaOAuthRedirectUri(server.root_url));
  });

  it("labels Keycloak's namespace for the load balancer's pod readiness gate (ip targets)", () => {
    const keycloak = releases.find((r) => r.config.name === "keycloak")!;
    expect(keycloak.values.ingress.annotations["alb.ingress.kubernetes.io/target-type"]).toBe("ip");
    const namespace = Object.values(resources(json, "kubernetes_namespace_v1")).find((n: any) => n.metadata.name === keycloak.config.namespace) as any;
    expect(namespace.metadata.labels).toMatchObject(POD_READINESS_GATE_LABEL);
  });

  it("scrapes the metrics of Keycloak, cert-manager, the load balancer controller, Karpenter and External Secrets", () => {
    const values = (name: string) => releases.find((r) => r.config.name === name)?.values;
    expect(values("keycloak").serviceMonitor.enabled).toBe(true);
    expect(values("cert-manager").prometheus).toMatchObject({ enabled: true, servicemonitor: { enabled: true } });
    // The operator installs before the monitoring CRDs (kube-prometheus-stack waits for its Secrets):
    // no ServiceMonitor of its own, a PodMonitor created by kube-prometheus-stack instead.
    expect(values("external-secrets").serviceMonitor).toEqual({ enabled: false });
    const eso = releases.find((r) => r.config.name === "external-secrets")!;
    expect(eso.config.depends_on ?? []).not.toContain(kps.address);
    expect(kps.values.prometheus.additionalPodMonitors).toContainEqual(
      expect.objectContaining({ name: "external-secrets", podMetricsEndpoints: [expect.objectContaining({ port: "metrics" })] }),
    );
    const karpenter = values("karpenter");
    if (karpenter) expect(karpenter.serviceMonitor.enabled).toBe(true);
    expect(kps.values.prometheus.additionalPodMonitors).toContainEqual(
      expect.objectContaining({
        namespaceSelector: { matchNames: [lbc.config.namespace] },
        selector: { matchLabels: awsLoadBalancerControllerPodLabels(lbc.config.name) },
        podMetricsEndpoints: [expect.objectContaining({ port: METRICS_PORT_NAME })],
      }),
    );
  });
});

describe("grafanaServerIni", () => {
  it("sets root_url without a trailing slash and the host as domain", () => {
    expect(grafanaServerIni("https://grafana.example.com/")).toEqual({ server: { root_url: "https://grafana.example.com", domain: "grafana.example.com" } });
    expect(grafanaOAuthRedirectUri("http://localhost:3000/")).toBe("http://localhost:3000/login/generic_oauth");
  });

  it("refuses anything but an absolute http(s) URL", () => {
    for (const bad of ["localhost:3000", "/grafana", "ftp://grafana.example.com", ""]) {
      expect(() => grafanaServerIni(bad), bad).toThrow(/absolute http\(s\) URL/);
    }
  });
});
