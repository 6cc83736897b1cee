/**
 * The Istio control plane (addons/istio): the version table, revisions (which istiod serves which
 * team), their validation on every branch, and the synthesized wiring in every environment. The
 * charts' values and the telemetry objects are checked without synthesis in rules/mesh-values.test.ts.
 */
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ISTIO_CHART_REPOSITORY } from "../addons/istio/chart";
import { ISTIO_NAMESPACE } from "../addons/istio/contract";
import { traceSamplingPercent } from "../addons/istio/telemetry";
import { OTEL_TRACING_PROVIDER } from "../addons/istio/values";
import { OTLP_GRPC_PORT } from "../addons/opentelemetry-collector/values";
import { serviceHost } from "../modules/kubernetes/resources";
import { PLATFORM_NAMESPACES } from "../modules/tenancy/namespaces";
import { highlyAvailable } from "../stacks/addons/core";
import { addMesh } from "../stacks/addons/mesh";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";
import { environments } from "../environments";
import { meshRevisionProblems } from "../environments/checks/mesh";
import { environmentSchema, type EnvironmentConfig } from "../environments/schema";
import { PlatformEnvironment, validatePlatform } from "../environments/validate";
import {
  clusterWideMeshVersion,
  defaultMeshRevision,
  defaultMeshVersion,
  installedMeshVersions,
  teamMeshRevision,
} from "../addons/istio/revisions";
import { compareVersions, ISTIO_INITIAL_VERSION, ISTIO_VERSION_NAMES, ISTIO_VERSIONS, IstioVersion, IstioVersionName, newestVersion, revisionName } from "../addons/istio/versions";
import { KUBERNETES_VERSION_PATTERN } from "../environments/schema";
import { issuesAfter } from "./support/environments";

const valid = validatePlatform(environments);


/** A version table with two rows (the table may hold one), for the two-revision rules. */
const OLD = "1.29.9" as IstioVersionName;
const NEW = "1.30.3" as IstioVersionName;
const row = (version: string, minors: string[]): IstioVersion => ({ chartVersion: version, commit: "c", kubernetesMinors: minors, kubernetesSource: "k" });
const TABLE: Record<string, IstioVersion> = { "1.29.9": row("1.29.9", ["1.31", "1.32"]), "1.30.3": row("1.30.3", ["1.32", "1.33"]) };

/** An environment (parsed, any real one) with the given mesh, teams and Kubernetes version. */
function meshEnv(
  mesh: { revisions: IstioVersionName[]; defaultRevision?: IstioVersionName },
  teams: Record<string, { mesh?: boolean; meshRevision?: IstioVersionName }> = {},
  over: { stage?: "prod" | "nonprod"; kubernetesVersion?: string } = {},
): EnvironmentConfig {
  const base = valid[0]!;
  const teamEntries = Object.entries(teams).map(([name, t]) => [name, { roleArn: "arn:aws:iam::111122223333:role/x", namespaces: [name], ...t }]);
  return {
    ...base,
    stage: over.stage ?? base.stage,
    cluster: { ...base.cluster, kubernetesVersion: over.kubernetesVersion ?? base.cluster.kubernetesVersion, access: { ...base.cluster.access, teams: Object.fromEntries(teamEntries) } },
    addons: { ...base.addons, mesh },
  } as EnvironmentConfig;
}

describe("Istio version table", () => {
  it.each(ISTIO_VERSION_NAMES)("%s: exact chart version, a source at a commit, Kubernetes minors with their source", (version) => {
    const v = ISTIO_VERSIONS[version];
    expect(v.chartVersion).toBe(version);
    expect(v.chartVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(v.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(v.kubernetesMinors.length).toBeGreaterThan(0);
    for (const minor of v.kubernetesMinors) expect(minor).toMatch(KUBERNETES_VERSION_PATTERN);
    expect(v.kubernetesSource).toMatch(/^https:\/\//);
  });

  it("the initial version is in the table", () => {
    expect(ISTIO_VERSION_NAMES).toContain(ISTIO_INITIAL_VERSION);
  });

  it("revision names: dots become dashes, a valid label value and name suffix", () => {
    expect(revisionName("1.30.3")).toBe("1-30-3");
    for (const v of ISTIO_VERSION_NAMES) expect(revisionName(v)).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it("versions order numerically, not as text", () => {
    expect(compareVersions("1.9.0", "1.30.3")).toBeLessThan(0);
    expect(compareVersions("1.30.3", "1.30.3")).toBe(0);
    expect(compareVersions("1.30.10", "1.30.3")).toBeGreaterThan(0);
    expect(newestVersion(["1.30.10", "1.9.0", "1.30.3"])).toBe("1.30.10");
    expect(() => newestVersion([])).toThrow(/no Istio version/);
  });
});

describe("revisions: which istiod serves whom", () => {
  it("an environment without addons.mesh installs the initial version", () => {
    const input = structuredClone(environments[0]!) as Record<string, any>;
    delete input.addons.mesh;
    expect(environmentSchema.parse(input).addons.mesh).toEqual({ revisions: [ISTIO_INITIAL_VERSION] });
  });

  it("the default is the only revision, or defaultRevision with two", () => {
    expect(defaultMeshVersion(meshEnv({ revisions: [NEW] }))).toBe(NEW);
    expect(defaultMeshVersion(meshEnv({ revisions: [NEW, OLD], defaultRevision: OLD }))).toBe(OLD);
    expect(defaultMeshRevision(meshEnv({ revisions: [NEW, OLD], defaultRevision: OLD }))).toBe(revisionName(OLD));
  });

  it("installed versions oldest first; the cluster-wide parts (CRDs, CNI) follow the newest", () => {
    const env = meshEnv({ revisions: [NEW, OLD], defaultRevision: OLD });
    expect(installedMeshVersions(env)).toEqual([OLD, NEW]);
    expect(clusterWideMeshVersion(env)).toBe(NEW);
  });

  it("teamMeshRevision: undefined unless the team opts in; its own revision wins over the default", () => {
    const env = meshEnv({ revisions: [OLD, NEW], defaultRevision: OLD }, { a: {}, b: { mesh: false }, c: { mesh: true }, d: { mesh: true, meshRevision: NEW } });
    expect(teamMeshRevision(env, "a")).toBeUndefined();
    expect(teamMeshRevision(env, "b")).toBeUndefined();
    expect(teamMeshRevision(env, "c")).toBe(revisionName(OLD));
    expect(teamMeshRevision(env, "d")).toBe(revisionName(NEW));
    expect(teamMeshRevision(env, "nobody")).toBeUndefined();
    expect(teamMeshRevision(env, "constructor")).toBeUndefined();
  });

  it("every team of every environment: a revision exactly when mesh is true, and an installed one", () => {
    for (const env of valid) {
      const installed = env.addons.mesh.revisions.map(revisionName);
      for (const [team, config] of Object.entries(env.cluster.access.teams)) {
        const revision = teamMeshRevision(env, team);
        if (config.mesh === true) expect(installed).toContain(revision);
        else expect(revision).toBeUndefined();
      }
    }
  });
});

describe("revision rules (environments/checks/mesh.ts)", () => {
  const problems = (env: EnvironmentConfig) => meshRevisionProblems(env, TABLE);
  const paths = (env: EnvironmentConfig) => problems(env).map((i) => i.path);

  it("one or two distinct revisions; a repeat is refused", () => {
    expect(problems(meshEnv({ revisions: [NEW] }))).toEqual([]);
    expect(problems(meshEnv({ revisions: [OLD, NEW], defaultRevision: NEW }))).toEqual([]);
    expect(problems(meshEnv({ revisions: [NEW, NEW], defaultRevision: NEW }))).toEqual([
      { path: "addons.mesh.revisions.1", message: "is listed twice; a revision is installed once", received: NEW },
    ]);
  });

  it("a default must be named with two revisions, and be installed", () => {
    expect(paths(meshEnv({ revisions: [OLD, NEW] }))).toEqual(["addons.mesh.defaultRevision"]);
    expect(problems(meshEnv({ revisions: [NEW], defaultRevision: OLD }))).toEqual([
      { path: "addons.mesh.defaultRevision", message: `must be an installed revision (installed: ${NEW})`, received: OLD },
    ]);
    expect(problems(meshEnv({ revisions: [NEW], defaultRevision: NEW }))).toEqual([]);
  });

  it("a team's revision must be installed, and only on a team in the mesh", () => {
    const mesh = { revisions: [OLD, NEW], defaultRevision: OLD };
    expect(problems(meshEnv(mesh, { t: { mesh: true, meshRevision: NEW } }))).toEqual([]);
    expect(problems(meshEnv({ revisions: [OLD] }, { t: { mesh: true, meshRevision: NEW } }))).toEqual([
      { path: "cluster.access.teams.t.meshRevision", message: `must be an installed revision of addons.mesh.revisions (installed: ${OLD})`, received: NEW },
    ]);
    for (const off of [{}, { mesh: false }]) {
      expect(problems(meshEnv(mesh, { t: { ...off, meshRevision: NEW } }))).toEqual([
        { path: "cluster.access.teams.t.meshRevision", message: "applies only to a team with mesh: true", received: NEW },
      ]);
    }
  });

  it("prod: every installed version supports the cluster's Kubernetes (both ends of the range); nonprod is not held to it", () => {
    const mesh = { revisions: [OLD, NEW], defaultRevision: OLD };
    expect(problems(meshEnv(mesh, {}, { stage: "prod", kubernetesVersion: "1.32" }))).toEqual([]);
    expect(paths(meshEnv(mesh, {}, { stage: "prod", kubernetesVersion: "1.31" }))).toEqual(["addons.mesh.revisions.1"]);
    expect(paths(meshEnv(mesh, {}, { stage: "prod", kubernetesVersion: "1.33" }))).toEqual(["addons.mesh.revisions.0"]);
    expect(problems(meshEnv({ revisions: [NEW] }, {}, { stage: "prod", kubernetesVersion: "1.34" }))[0]!.message).toBe(
      `Istio ${NEW} does not support Kubernetes 1.34 (supported: 1.32, 1.33); prod runs only supported pairs`,
    );
    expect(problems(meshEnv(mesh, {}, { stage: "nonprod", kubernetesVersion: "1.31" }))).toEqual([]);
  });

  it("reaches validatePlatform with the environment's path (an unknown version is a schema error naming the table)", () => {
    const env = valid.find((e) => Object.keys(e.cluster.access.teams).length > 0) ?? valid[0]!;
    const team = Object.keys(env.cluster.access.teams)[0];
    const issues = issuesAfter((envs) => {
      envs[env.name].addons.mesh = { revisions: [ISTIO_INITIAL_VERSION, ISTIO_INITIAL_VERSION], defaultRevision: ISTIO_INITIAL_VERSION };
      if (team) envs[env.name].cluster.access.teams[team] = { ...envs[env.name].cluster.access.teams[team], mesh: false, meshRevision: ISTIO_INITIAL_VERSION };
    });
    expect(issues.map((i) => i.path)).toEqual([`${env.name}.addons.mesh.revisions.1`, ...(team ? [`${env.name}.cluster.access.teams.${team}.meshRevision`] : [])]);
    const unknown = issuesAfter((envs) => {
      envs[env.name].addons.mesh = { revisions: ["0.0.1"] };
    });
    expect(unknown.map((i) => i.path)).toEqual([`${env.name}.addons.mesh.revisions.0`]);
    expect(unknown[0]!.message).toContain(ISTIO_INITIAL_VERSION);
  });

  it("every prod environment runs versions that support its Kubernetes", () => {
    for (const env of valid.filter((e) => e.stage === "prod")) {
      for (const version of env.addons.mesh.revisions) expect(ISTIO_VERSIONS[version].kubernetesMinors).toContain(env.cluster.kubernetesVersion);
    }
  });
});

describe("synthesized: the control plane of every environment", () => {
  const stacks = () => platform().envs.map((env) => [env, synth(platform().stacks.environments[env.name]!.addons)] as const);
  const releases = (stack: SynthesizedStack) => Object.values(resources(stack, "helm_release")) as any[];

  it("every environment: base, cni and one istiod per installed revision in istio-system, pinned to the table, ordered base → cni → istiod", () => {
    for (const [env, stack] of stacks()) {
      const rs = releases(stack).filter((r) => r.namespace === ISTIO_NAMESPACE && r.repository === ISTIO_CHART_REPOSITORY);
      const byName = Object.fromEntries(rs.map((r) => [r.name, r]));
      const newest = clusterWideMeshVersion(env);
      expect(byName["istio-base"]).toMatchObject({ chart: "base", version: ISTIO_VERSIONS[newest].chartVersion });
      expect(byName["istio-cni"]).toMatchObject({ chart: "cni", version: ISTIO_VERSIONS[newest].chartVersion });
      expect(byName["istio-cni"].depends_on.join()).toContain("istio-base");
      const istiods = rs.filter((r) => r.chart === "istiod");
      expect(istiods.map((r) => r.name).sort()).toEqual(installedMeshVersions(env).map((v) => `istiod-${revisionName(v)}`).sort());
      for (const r of istiods) {
        expect(r.depends_on.join()).toContain("istio-base");
        expect(r.depends_on.join()).toContain("istio-cni");
        const values = parse(r.values[0]);
        expect(r.name).toBe(`istiod-${values.revision}`);
        expect(values.autoscaleEnabled).toBe(highlyAvailable(env));
      }
      expect(parse(byName["istio-base"].values[0]).defaultRevision).toBe(defaultMeshRevision(env));
    }
  });

  it("prod: every istiod revision is HA (at least 2 behind the HPA)", () => {
    for (const [env, stack] of stacks().filter(([e]) => e.stage === "prod")) {
      for (const r of releases(stack).filter((r) => r.chart === "istiod")) expect(parse(r.values[0]).autoscaleMin, env.name).toBeGreaterThanOrEqual(2);
    }
  });

  it("every environment: the Telemetry and monitors after every istiod and the monitoring CRDs, sampled for its stage", () => {
    for (const [env, stack] of stacks()) {
      const telemetry = releases(stack).find((r) => r.name === "istio-telemetry");
      expect(telemetry, env.name).toBeDefined();
      const deps = telemetry.depends_on.join();
      for (const v of installedMeshVersions(env)) expect(deps).toContain(`istiod-${revisionName(v)}`);
      expect(deps).toContain("kube-prometheus-stack");
      const objects = parse(telemetry.values[0]).resources;
      expect(objects.map((o: any) => o.kind).sort()).toEqual(["PodMonitor", "ServiceMonitor", "Telemetry"]);
      expect(objects.find((o: any) => o.kind === "Telemetry").spec.tracing[0].randomSamplingPercentage).toBe(traceSamplingPercent(env.stage));
    }
  });

  it("every environment: tracing points at the environment's OpenTelemetry collector Service", () => {
    for (const [env, stack] of stacks()) {
      const collector = releases(stack).find((r) => r.chart === "opentelemetry-collector");
      const host = serviceHost(collector.name, collector.namespace);
      for (const r of releases(stack).filter((r) => r.chart === "istiod")) {
        expect(parse(r.values[0]).meshConfig.extensionProviders, env.name).toEqual([{ name: OTEL_TRACING_PROVIDER, opentelemetry: { service: host, port: OTLP_GRPC_PORT } }]);
      }
    }
  });

  it("two revisions run side by side: one istiod release each, base and cni from the newest, the default validates", () => {
    const prod = valid.find((e) => e.stage === "prod") ?? valid[0]!;
    const env = { ...prod, addons: { ...prod.addons, mesh: { revisions: [NEW, OLD], defaultRevision: OLD } } } as PlatformEnvironment;
    const app = Testing.app();
    const stack = new TerraformStack(app, "mesh");
    const mesh = addMesh(stack, env, { service: "otel.example.svc.cluster.local", port: 4317 }, TABLE);
    expect(Object.keys(mesh.istiods).sort()).toEqual([revisionName(OLD), revisionName(NEW)].sort());
    const synthesized = JSON.parse(Testing.synth(stack)) as SynthesizedStack;
    const rs = releases(synthesized);
    const istiods = rs.filter((r) => r.chart === "istiod");
    expect(istiods.map((r) => [r.name, r.version]).sort()).toEqual([
      [`istiod-${revisionName(OLD)}`, TABLE[OLD]!.chartVersion],
      [`istiod-${revisionName(NEW)}`, TABLE[NEW]!.chartVersion],
    ]);
    expect(rs.find((r) => r.name === "istio-base")).toMatchObject({ version: TABLE[NEW]!.chartVersion });
    expect(parse(rs.find((r) => r.name === "istio-base").values[0]).defaultRevision).toBe(revisionName(OLD));
    expect(rs.find((r) => r.name === "istio-cni")).toMatchObject({ version: TABLE[NEW]!.chartVersion });
    expect(() => addMesh(new TerraformStack(app, "unknown"), { ...env, addons: { ...env.addons, mesh: { revisions: ["9.9.9" as IstioVersionName] } } }, { service: "s", port: 1 }, TABLE)).toThrow(
      /9\.9\.9 has no row/,
    );
  });

  it("istio-system is a platform namespace (no team may own it; policies exempt it)", () => {
    expect(PLATFORM_NAMESPACES).toContain(ISTIO_NAMESPACE);
  });
});
