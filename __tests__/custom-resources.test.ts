/**
 * Custom resources through the repository's `platform-resources` chart (issue 13, item 6): no
 * `kubernetes_manifest` waits for a CRD that a release of its own stack installs, every rendered
 * custom resource validates against its upstream schema, and the chart renders its values as given.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { TerraformAsset, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { environments } from "../environments";
import { loadAllocations } from "../environments/ip-allocations";
import { validatePlatform } from "../environments/validate";
import { evaluate } from "../modules/guardrails/engine";
import { CHART_CRDS, crdKindsOf, groupKind, isRepositoryChart, manifestsNeedingCrdsOfTheirStack, wrappedChartOf } from "../modules/helm/chart-crds";
import {
  CustomResources,
  customResourcesValues,
  type KubernetesObject,
  PLATFORM_RESOURCES_CHART,
  platformResourcesChartPath,
} from "../modules/helm/custom-resources";
import { buildPlatform } from "../stacks/platform";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";

const CHART_DIR = platformResourcesChartPath();
/** The chart's one template, exactly: each entry of `resources` as one YAML document. */
const TEMPLATE = "{{- range .Values.resources }}\n---\n{{ toYaml . }}\n{{- end }}\n";

/** Every stack of the platform, synthesized. */
function allStacks(): SynthesizedStack[] {
  const { stacks } = platform();
  return [...stacks.bootstrap, ...Object.values(stacks.environments).flatMap((e) => [e.network, e.cluster, e.addons])].map(synth);
}
/** The releases of the repository's platform-resources chart in a stack (not the wrappers of upstream charts), by logical name. */
function repositoryChartReleases(stack: SynthesizedStack): [string, any][] {
  return Object.entries(resources(stack, "helm_release")).filter(([, r]) => isRepositoryChart(r) && wrappedChartOf(r) === undefined);
}
/** What the chart renders for a release's values, as Helm would: its `resources`, one document each. */
function rendered(release: any): unknown[] {
  return parse(release.values[0]).resources;
}
const object = (kind: string, name: string, namespace?: string): KubernetesObject => ({
  apiVersion: "karpenter.sh/v1",
  kind,
  metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
});

describe("the platform-resources chart", () => {
  it("is a v2 application chart at the pinned version, with no CRDs and one trivial template", () => {
    const chart = parse(readFileSync(join(CHART_DIR, "Chart.yaml"), "utf8"));
    expect(chart).toMatchObject({ apiVersion: "v2", name: PLATFORM_RESOURCES_CHART.name, version: PLATFORM_RESOURCES_CHART.version, type: "application" });
    expect(readdirSync(CHART_DIR).sort()).toEqual(["Chart.yaml", "templates", "values.yaml"]);
    expect(readdirSync(join(CHART_DIR, "templates"))).toEqual(["resources.yaml"]);
    expect(readFileSync(join(CHART_DIR, "templates", "resources.yaml"), "utf8")).toBe(TEMPLATE);
    expect(parse(readFileSync(join(CHART_DIR, "values.yaml"), "utf8"))).toEqual({ resources: [] });
  });

  it("is found from the sources and from the built package, and nowhere else", () => {
    const root = dirname(dirname(CHART_DIR));
    expect(CHART_DIR).toBe(join(root, "charts", "platform-resources"));
    expect(platformResourcesChartPath(join(root, "modules", "helm"))).toBe(CHART_DIR);
    expect(platformResourcesChartPath(join(root, "dist", "modules", "helm"))).toBe(CHART_DIR);
    expect(() => platformResourcesChartPath("/")).toThrow(/platform-resources not found above \//);
    // Module consumers get the chart with the package.
    const files: string[] = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).files;
    expect(files.some((f) => `charts/${PLATFORM_RESOURCES_CHART.name}/Chart.yaml`.startsWith(`${f.replace(/\/$/, "")}/`))).toBe(true);
  });

  it("gets its objects as `resources`, in the given order, each once", () => {
    const objects = [object("NodePool", "b"), object("NodePool", "a"), object("NodeClaim", "a"), object("NodePool", "a", "other")];
    expect(customResourcesValues(objects)).toEqual({ resources: objects });
    // The template's output for these values: one document per object, unchanged.
    const documents = parseAllDocuments(objects.map((o) => `---\n${stringify(o)}`).join("")).map((d) => d.toJSON());
    expect(documents).toEqual(objects);
    expect(() => customResourcesValues([])).toThrow(/nothing to render/);
    expect(() => customResourcesValues([object("NodePool", "a"), object("NodePool", "a")])).toThrow(/karpenter.sh\/NodePool \/a is listed twice/);
    expect(() => customResourcesValues([object("NodePool", "a", "n"), { ...object("NodePool", "a", "n"), apiVersion: "karpenter.sh/v1beta1" }])).toThrow(/listed twice/);
  });

  it("gets the same values from every synthesis of the platform, as a list of whole objects", () => {
    const envs = validatePlatform(environments, { allocations: loadAllocations() });
    const again = buildPlatform(Testing.app(), envs);
    let releases = 0;
    for (const [name, stacks] of Object.entries(platform().stacks.environments)) {
      const first = repositoryChartReleases(synth(stacks.addons));
      const second = repositoryChartReleases(JSON.parse(Testing.synth(again.environments[name]!.addons)));
      expect(second).toEqual(first);
      for (const [, release] of first) {
        expect(Object.keys(parse(release.values[0]))).toEqual(["resources"]);
        for (const o of rendered(release) as KubernetesObject[]) expect(o).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String), metadata: { name: expect.any(String) } });
        releases++;
      }
    }
    expect(releases).toBeGreaterThan(0);
  });
});

describe("CustomResources", () => {
  function build(configure: (stack: TerraformStack) => void): { stack: TerraformStack; json: any } {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    configure(stack);
    return { stack, json: JSON.parse(Testing.synth(stack)) };
  }

  it("installs the chart from the stack's asset folder, after what it depends on, adopting existing objects", () => {
    const { stack, json } = build((s) => {
      const first = new CustomResources(s, "first", { releaseName: "first", namespace: "kube-system", resources: [object("NodePool", "a")], dependsOn: [] });
      new CustomResources(s, "second", { releaseName: "second", namespace: "ns", resources: [object("NodePool", "b", "ns")], dependsOn: [first.release] });
    });
    const releases = Object.values(json.resource.helm_release) as any[];
    expect(releases).toHaveLength(2);
    for (const release of releases) {
      expect(isRepositoryChart(release)).toBe(true);
      expect(release).toMatchObject({ version: PLATFORM_RESOURCES_CHART.version, take_ownership: true, atomic: false, wait: true, max_history: 10, timeout: 600 });
      expect(release).not.toHaveProperty("repository");
      expect(release).not.toHaveProperty("create_namespace");
    }
    expect(releases[1].depends_on).toEqual([`helm_release.${Object.keys(json.resource.helm_release)[0]}`]);
    // One copy of the chart per stack.
    expect(stack.node.children.filter((c) => c instanceof TerraformAsset)).toHaveLength(1);
    expect(releases[0].chart).toBe(releases[1].chart);
  });

  it("renders objects added after construction", () => {
    const { json } = build((s) => {
      const r = new CustomResources(s, "r", { releaseName: "r", namespace: "n", dependsOn: [] });
      r.add(object("NodePool", "late"));
      expect(r.resources).toEqual([object("NodePool", "late")]);
    });
    expect(rendered(Object.values(json.resource.helm_release)[0])).toEqual([object("NodePool", "late")]);
  });

  it("fails synthesis with nothing to render", () => {
    expect(() => build((s) => void new CustomResources(s, "r", { releaseName: "r", namespace: "n", dependsOn: [] }))).toThrow(/nothing to render/);
  });

  it("forgets the kubernetes_manifests it replaces, at their exact former addresses, without destroying them", () => {
    const { json } = build((s) => {
      new CustomResources(s, "r", { releaseName: "r", namespace: "n", resources: [object("NodePool", "a")], dependsOn: [], replacesManifests: ["node-class", "node-pool"] });
    });
    // What a kubernetes_manifest at the same construct paths was called.
    const { json: before } = build((s) => {
      for (const id of ["node-class", "node-pool"]) new Manifest(s, id, { manifest: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: id } } });
    });
    const formerAddresses = Object.keys(before.resource.kubernetes_manifest).map((name) => `kubernetes_manifest.${name}`);
    expect(json.removed).toEqual(formerAddresses.map((from) => ({ from, lifecycle: { destroy: false } })));
    expect(json.resource.kubernetes_manifest).toBeUndefined();
  });

  it("writes the chart into the stack's folder, where `cdktf deploy` and `terraform apply` run", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "deployable");
    new HelmProvider(stack, "helm", {});
    new CustomResources(stack, "r", { releaseName: "r", namespace: "n", resources: [object("NodePool", "a")], dependsOn: [] });
    const outdir = Testing.fullSynth(stack);
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "deployable", "cdk.tf.json"), "utf8"));
    const chart: string = (Object.values(json.resource.helm_release)[0] as any).chart;
    const copied = join(outdir, "stacks", "deployable", chart);
    for (const file of ["Chart.yaml", "values.yaml", join("templates", "resources.yaml")]) {
      expect(readFileSync(join(copied, file), "utf8")).toBe(readFileSync(join(CHART_DIR, file), "utf8"));
    }
  });
});

describe("kubernetes_manifest and the CRDs of its own stack", () => {
  const release = (chart: string, extra: Record<string, unknown> = {}) => ({ chart, repository: "oci://example", version: "1.0.0", ...extra });
  const manifest = (apiVersion: string, kind: string) => ({ manifest: { apiVersion, kind, metadata: { name: "x" } } });

  it("flags a custom resource whose CRD a release of the stack installs, and nothing else", () => {
    const nodePool = manifest("karpenter.sh/v1", "NodePool");
    expect(manifestsNeedingCrdsOfTheirStack({ resource: { helm_release: { crds: release("karpenter-crd") }, kubernetes_manifest: { pool: nodePool } } })).toEqual([
      "kubernetes_manifest.pool: karpenter.sh/NodePool (CRD from helm_release.crds)",
    ]);
    // The CRD from elsewhere (another stack, an EKS add-on): plannable.
    expect(manifestsNeedingCrdsOfTheirStack({ resource: { kubernetes_manifest: { pool: nodePool } } })).toEqual([]);
    expect(manifestsNeedingCrdsOfTheirStack({ resource: { helm_release: { eso: release("external-secrets") }, kubernetes_manifest: { pool: nodePool } } })).toEqual([]);
    // Same kind name in another group, and built-in kinds.
    expect(manifestsNeedingCrdsOfTheirStack({ resource: { helm_release: { crds: release("karpenter-crd") }, kubernetes_manifest: { p: manifest("example.com/v1", "NodePool"), s: manifest("storage.k8s.io/v1", "StorageClass"), c: manifest("v1", "ConfigMap") } } })).toEqual([]);
    // The repository's chart installs no CRD; a chart nobody declared is an error, not a pass.
    expect(manifestsNeedingCrdsOfTheirStack({ resource: { helm_release: { r: { chart: "./assets/platform-resources-chart/ABC123", version: "1.0.0" } }, kubernetes_manifest: { pool: nodePool } } })).toEqual([]);
    expect(() => manifestsNeedingCrdsOfTheirStack({ resource: { helm_release: { r: release("unknown-chart") } } })).toThrow(/unknown-chart.*CHART_CRDS/);
  });

  it("finds none in any stack of the platform", () => {
    for (const stack of allStacks()) expect(manifestsNeedingCrdsOfTheirStack(stack)).toEqual([]);
  });

  it("knows the CRDs of exactly the chart versions the platform installs", () => {
    const installed = new Set<string>();
    for (const stack of allStacks()) {
      for (const r of Object.values(resources(stack, "helm_release")).filter((r) => !isRepositoryChart(r))) {
        const entry = CHART_CRDS[r.chart];
        expect(entry && [entry.version, ...(entry.alsoVersions ?? [])], `CHART_CRDS["${r.chart}"] was read from another version`).toContain(r.version);
        installed.add(`${r.chart}@${r.version}`);
      }
    }
    for (const [chart, entry] of Object.entries(CHART_CRDS)) {
      // A version kept for a canary goes with the release that installed it.
      for (const version of entry.alsoVersions ?? []) expect(installed, `CHART_CRDS["${chart}"].alsoVersions`).toContain(`${chart}@${version}`);
      expect(entry.source, chart).toMatch(/@[0-9a-f]{40}:/);
      expect(new Set(crdKindsOf(chart)).size, `${chart}: a kind twice`).toBe(crdKindsOf(chart).length);
    }
    expect(groupKind("karpenter.sh/v1", "NodePool")).toBe("karpenter.sh/NodePool");
    expect(groupKind("v1", "ConfigMap")).toBe("ConfigMap");
  });

  it("lets the HELM-PINNED guardrail accept the repository's chart, and nothing else without a repository", () => {
    const helmPinned = (h: Record<string, unknown>) => evaluate({ resource: { helm_release: { h } } } as any, "nonprod").filter((v) => v.rule === "HELM-PINNED");
    expect(helmPinned({ chart: "./assets/platform-resources-chart/ABC123", version: "1.0.0" })).toEqual([]);
    expect(helmPinned({ chart: "./charts/platform-resources", version: "1.0.0" })).toHaveLength(1);
    expect(helmPinned({ chart: "./assets/platform-resources-chart/ABC123", repository: "http://charts.example.com", version: "1.0.0" })).toHaveLength(1);
    expect(helmPinned({ chart: "./assets/platform-resources-chart/ABC123", version: "~1.0" })).toHaveLength(1);
  });
});

describe("rendered custom resources and their upstream schemas", () => {
  /** The @kubernetes-models package of each API group (devDependencies, generated from the projects' CRDs). */
  const MODEL_PACKAGES: Readonly<Record<string, string>> = {
    "karpenter.sh": "karpenter",
    "karpenter.k8s.aws": "karpenter",
    "external-secrets.io": "external-secrets",
    "generators.external-secrets.io": "external-secrets",
    "cert-manager.io": "cert-manager",
    "acme.cert-manager.io": "cert-manager",
    "gateway.networking.k8s.io": "gateway-api",
    "telemetry.istio.io": "istio",
  };
  /** Kubernetes' own API groups with a dot in their name (kubernetes-models has them, like the dotless ones). */
  const BUILT_IN_DOTTED_GROUPS: ReadonlySet<string> = new Set(["rbac.authorization.k8s.io"]);
  /**
   * Groups without a @kubernetes-models package whose objects another test checks against their own
   * schemas: Gatekeeper's ConstraintTemplates (the library's, verbatim) and constraints (parameters
   * against each template's openAPIV3Schema) in __tests__/gatekeeper.test.ts; the platform's
   * PrometheusRules (rule fields, durations, severities) in __tests__/observability-operations.test.ts;
   * Argo CD's AppProjects and ApplicationSets (the rules they encode, not a schema: no
   * @kubernetes-models/argo-cd devDependency yet) in __tests__/argo-cd.test.ts.
   */
  const CHECKED_ELSEWHERE: ReadonlySet<string> = new Set(["templates.gatekeeper.sh", "constraints.gatekeeper.sh", "monitoring.coreos.com", "argoproj.io"]);
  /** Plausible values for the Terraform references in the values (what they resolve to at apply time). */
  const PLACEHOLDERS: readonly [RegExp, string][] = [
    [/^\$\{data\.aws_eks_cluster\.[^}]+\.cluster_security_group_id\}$/, "sg-0123456789abcdef0"],
    [/^\$\{data\.aws_vpc\.[^}]+\.id\}$/, "vpc-0123456789abcdef0"],
    [/^\$\{aws_db_instance\.[^}]+\.master_user_secret\[0\]\.secret_arn\}$/, "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:rds!db-1234-AbCdEf"],
    // The monitoring secrets' store role (its ServiceAccount is one of the release's objects).
    [/^\$\{aws_iam_role\.kube-prometheus-stack_secrets_role_[0-9A-F]+\.arn\}$/, "arn:aws:iam::111122223333:role/eks-idp-dev-monitoring-secrets"],
    // The store role of Argo CD's notification credentials (its ServiceAccount is one of the release's objects).
    [/^\$\{aws_iam_role\.argo-cd_notification-secrets-role_[0-9A-F]+\.arn\}$/, "arn:aws:iam::111122223333:role/eks-idp-dev-argocd-notifications"],
  ];
  function resolveReferences(value: unknown): unknown {
    if (typeof value === "string" && value.includes("${")) {
      const placeholder = PLACEHOLDERS.find(([pattern]) => pattern.test(value));
      if (!placeholder) throw new Error(`no placeholder for the reference ${value}: add one to PLACEHOLDERS`);
      return placeholder[1];
    }
    if (Array.isArray(value)) return value.map(resolveReferences);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v)]));
    return value;
  }
  async function validate(o: KubernetesObject): Promise<void> {
    const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0]! : "";
    // Built-in API groups (core "v1", and groups without a dot such as batch) are in kubernetes-models.
    const builtIn = !group.includes(".") || BUILT_IN_DOTTED_GROUPS.has(group);
    const pkg = MODEL_PACKAGES[group];
    if (CHECKED_ELSEWHERE.has(group)) return;
    if (pkg === undefined && !builtIn) throw new Error(`no schema package for ${o.apiVersion} ${o.kind}: add one to MODEL_PACKAGES`);
    const module = await import(builtIn ? `kubernetes-models/${o.apiVersion}/${o.kind}` : `@kubernetes-models/${pkg}/${o.apiVersion}/${o.kind}`);
    new module[o.kind](resolveReferences(o)).validate();
  }

  it("validates every object of every environment's releases", async () => {
    const kinds = new Set<string>();
    for (const stacks of Object.values(platform().stacks.environments)) {
      for (const [name, release] of repositoryChartReleases(synth(stacks.addons))) {
        for (const o of rendered(release) as KubernetesObject[]) {
          await expect(validate(o), `${name}: ${o.kind} ${o.metadata.name}`).resolves.toBeUndefined();
          kinds.add(groupKind(o.apiVersion, o.kind));
        }
      }
    }
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(["external-secrets.io/ExternalSecret", "external-secrets.io/SecretStore", "generators.external-secrets.io/Password", "karpenter.k8s.aws/EC2NodeClass", "karpenter.sh/NodePool"]),
    );
  });

  it("is a real check: an object the schema forbids fails", async () => {
    const nodePool = { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "p" }, spec: { template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "d" }, requirements: [{ key: "k", operator: "Sometimes", values: ["v"] }] } } } };
    await expect(validate(nodePool)).rejects.toThrow(/operator/);
    const store = { apiVersion: "external-secrets.io/v1", kind: "SecretStore", metadata: { name: "s", namespace: "n" }, spec: { provider: { aws: { service: "Vault", region: "r" } } } };
    await expect(validate(store)).rejects.toThrow(/service/);
    await expect(validate({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" } })).rejects.toThrow(/MODEL_PACKAGES/);
    expect(() => resolveReferences("${aws_iam_role.x.arn}")).toThrow(/PLACEHOLDERS/);
  });
});
