/**
 * `npm run upgrade-plan`: every blocker rule at its boundary on small inputs, the chart constraint
 * reader, the API-removal scan and the step order on fixture stacks (no cdktf), then the command on
 * the real environments (blockers) and one real plan between the two newest rows of the version
 * table (environments re-versioned for the test, never their current values).
 */
import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import { inPromotionOrder, validatePlatform } from "../environments/validate";
import { KUBERNETES_VERSIONS, supportedKubernetesVersions } from "../modules/eks/data/kubernetes-versions";
import { synthesizeStacks } from "../scripts/cost/stacks";
import type { StackSet, TfJson } from "../scripts/diff/types";
import { buildPlan, parsePlanArgs, renderPlan, runPlanCli, withVersion } from "../scripts/upgrade-plan/cli";
import { API_REMOVALS } from "../scripts/upgrade-plan/data/api-removals";
import { ISTIO_VERSIONS } from "../addons/istio/versions";
import { CHART_KUBE_VERSIONS, ISTIO_VERSION_BOUND_CHARTS, istioChartRows, type ChartKubeVersions } from "../scripts/upgrade-plan/data/chart-kube-versions";
import { apiRemovalsHit, chartBlockers, chartPins, satisfies, upgradeBlockers, upgradeSteps } from "../scripts/upgrade-plan/plan";

const [older, newer] = supportedKubernetesVersions().slice(-2) as [string, string];
const minor = (v: string) => Number(v.split(".")[1]);
const next = (v: string) => `1.${minor(v) + 1}`;
const env = (name: string, promotionOrder: number, kubernetesVersion: string) => ({ name, promotionOrder, cluster: { kubernetesVersion } });

describe("Istio's charts are version-bound by Istio's support table", () => {
  const row = { chartVersion: "1.40.0", commit: "c", kubernetesMinors: [older, newer], kubernetesSource: "s" };
  const table = istioChartRows({ "1.40.0": row });

  it("allows a supported minor and blocks the next one, for every chart of the release", () => {
    for (const chart of ISTIO_VERSION_BOUND_CHARTS) {
      expect(chartBlockers({ chart, version: "1.40.0" }, newer, table), chart).toEqual([]);
      expect(chartBlockers({ chart, version: "1.40.0" }, next(newer), table), chart).toEqual([`chart ${chart} 1.40.0: its compatibility table has no entry for Kubernetes ${next(newer)}`]);
    }
  });

  it("has a row for every pinned Istio version and each of its charts, with that version's minors", () => {
    for (const [version, pinned] of Object.entries(ISTIO_VERSIONS)) {
      for (const chart of ISTIO_VERSION_BOUND_CHARTS) {
        const found = CHART_KUBE_VERSIONS.find((r) => r.chart === chart && r.version === pinned.chartVersion);
        expect(Object.keys(found?.minimumForKubernetes ?? {}), `${chart} ${version}`).toEqual([...pinned.kubernetesMinors]);
      }
    }
  });
});

describe("blockers", () => {
  it("needs two rows in the version table for these tests", () => {
    expect(minor(newer)).toBe(minor(older) + 1);
  });

  it("allows exactly one minor step up, with a complete row", () => {
    const envs = [env("a", 1, older)];
    expect(upgradeBlockers(envs, "a", newer, [])).toEqual([]);
    expect(upgradeBlockers(envs, "a", older, [])).toEqual([`a is already at ${older}`]);
    expect(upgradeBlockers([env("a", 1, `1.${minor(newer) - 2}`)], "a", newer, [], KUBERNETES_VERSIONS)[0]).toMatch(/one minor version at a time/);
    expect(upgradeBlockers(envs, "a", "1.x", [])).toEqual([`"1.x" is not a Kubernetes minor version such as "1.35"`]);
  });

  it("needs every environment earlier in promotion order at the target already (at or above it is fine)", () => {
    expect(upgradeBlockers([env("a", 1, older), env("b", 2, older)], "b", newer, [])).toEqual([expect.stringMatching(/^a comes before b in promotion order \(1 < 2\) and is at .*: upgrade a to .* first$/)]);
    expect(upgradeBlockers([env("a", 1, newer), env("b", 2, older)], "b", newer, [])).toEqual([]);
    // Later environments do not block.
    expect(upgradeBlockers([env("a", 1, older), env("b", 2, older)], "a", newer, [])).toEqual([]);
  });

  it("names the version table when the target has no complete row, and lists every blocker at once", () => {
    const beyond = next(supportedKubernetesVersions().at(-1)!);
    const blockers = upgradeBlockers([env("a", 1, newer), env("b", 2, older)], "b", beyond, []);
    expect(blockers.some((b) => /one minor version at a time/.test(b))).toBe(true);
    expect(blockers.some((b) => b.startsWith(`a comes before b`))).toBe(true);
    expect(blockers.some((b) => b.startsWith(`modules/eks/data/kubernetes-versions.ts: Kubernetes ${beyond} has no row`))).toBe(true);
  });

  it("checks the version-bound charts: a recorded row, the compatibility table and kubeVersion", () => {
    const table: ChartKubeVersions[] = [
      { chart: "matrix", version: "1.5.0", minimumForKubernetes: { [older]: "1.0.0", [newer]: "1.5.0" }, source: "test" },
      { chart: "matrix", version: "1.4.0", minimumForKubernetes: { [older]: "1.0.0", [newer]: "1.5.0" }, source: "test" },
      { chart: "ranged", version: "2.0.0", kubeVersion: `>=1.19.0-0 <${newer}.0-0`, source: "test" },
    ];
    expect(chartBlockers({ chart: "not-version-bound", version: "9" }, newer, table)).toEqual([]);
    expect(chartBlockers({ chart: "matrix", version: "1.5.0" }, newer, table)).toEqual([]);
    expect(chartBlockers({ chart: "matrix", version: "1.4.0" }, newer, table)).toEqual([`chart matrix 1.4.0: Kubernetes ${newer} needs matrix >= 1.5.0`]);
    expect(chartBlockers({ chart: "matrix", version: "1.5.0" }, next(newer), table)).toEqual([`chart matrix 1.5.0: its compatibility table has no entry for Kubernetes ${next(newer)}`]);
    expect(chartBlockers({ chart: "matrix", version: "1.6.0" }, newer, table)[0]).toMatch(/has no recorded kubeVersion\/compatibility row/);
    expect(chartBlockers({ chart: "ranged", version: "2.0.0" }, older, table)).toEqual([]);
    expect(chartBlockers({ chart: "ranged", version: "2.0.0" }, newer, table)[0]).toMatch(/does not admit Kubernetes/);
  });

  it("has a sourced row for each version-bound chart, and reads the pins from the synthesized releases", () => {
    for (const row of CHART_KUBE_VERSIONS) expect(row.source.length).toBeGreaterThan(10);
    expect(chartPins({ "e-addons": { resource: { helm_release: { k: { chart: "karpenter", version: "1.14.1" } } } } })).toEqual([{ chart: "karpenter", version: "1.14.1" }]);
  });
});

describe("kubeVersion constraints", () => {
  it("reads comparators and refuses what it cannot read", () => {
    expect(satisfies("1.34.0", ">=1.19.0-0")).toBe(true);
    expect(satisfies("1.18.9", ">=1.19.0-0")).toBe(false);
    expect(satisfies("1.34.0", ">=1.19.0-0 <1.34.0-0")).toBe(false);
    expect(satisfies("1.33.0", ">=1.19.0-0, <1.34.0-0")).toBe(true);
    expect(satisfies("1.33.0", "1.33.0")).toBe(true);
    expect(satisfies("1.33.0", ">1.33.0")).toBe(false);
    expect(satisfies("1.33.0", "<=1.33.0")).toBe(true);
    expect(() => satisfies("1.33.0", "^1.19")).toThrow(/cannot read/);
  });
});

const manifest = (apiVersion: string, kind: string) => ({ manifest: { apiVersion, kind, metadata: { name: "x" } } });

describe("API removals", () => {
  it("comes from the upstream guide, each row with a replacement", () => {
    for (const r of API_REMOVALS) {
      expect(r.removedIn).toMatch(/^1\.\d+$/);
      expect(r.kinds.length).toBeGreaterThan(0);
      expect(r.replacement.length).toBeGreaterThan(0);
    }
  });

  it("finds removed APIs in manifests and chart values up to the target, not later ones", () => {
    const stacks: StackSet = {
      "e-addons": {
        resource: {
          kubernetes_manifest: { pdb: manifest("policy/v1beta1", "PodDisruptionBudget"), ok: manifest("policy/v1", "PodDisruptionBudget") },
          helm_release: { r: { chart: "c", values: ["extraObjects:\n  - apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\n    kind: FlowSchema\n"] } },
        },
      },
    };
    expect(apiRemovalsHit(stacks, "1.24")).toEqual([]);
    expect(apiRemovalsHit(stacks, "1.25").map((h) => h.where)).toEqual(["e-addons: kubernetes_manifest.pdb"]);
    expect(apiRemovalsHit(stacks, "1.31").map((h) => h.kind)).toEqual(["PodDisruptionBudget"]);
    expect(apiRemovalsHit(stacks, "1.32").map((h) => `${h.apiVersion} ${h.kind}`)).toEqual(["policy/v1beta1 PodDisruptionBudget", "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema"]);
  });
});

describe("steps", () => {
  const clusterStack = (version: string, prefix: (g: string) => string, addon: string, release: string): TfJson => ({
    resource: {
      aws_eks_cluster: { c: { version } },
      aws_eks_addon: { cni: { addon_name: "vpc-cni", addon_version: addon }, dns: { addon_name: "coredns", addon_version: addon } },
      aws_eks_node_group: {
        rolling: { node_group_name_prefix: `${prefix("rolling")}`, version, release_version: release, update_config: { max_unavailable: 2 }, depends_on: ["aws_eks_addon.cni"] },
      },
    },
  });
  const addons = (tag: string): TfJson => ({ resource: { helm_release: { ca: { chart: "cluster-autoscaler", version: "9", values: [`image:\n  tag: ${tag}\n`] } } } });

  it("orders config, control plane, the add-ons the nodes need, node groups, other add-ons, Helm releases, API removals", () => {
    const current = { "e-cluster": clusterStack(older, (g) => `${g}-`, "v1", "r1"), "e-addons": addons("a") };
    const target = { "e-cluster": clusterStack(newer, (g) => `${g}-`, "v2", "r2"), "e-addons": addons("b") };
    const steps = upgradeSteps("e", older, newer, current, target);
    expect(steps.map((s) => s.title)).toEqual([
      "Configuration",
      "Control plane",
      "Managed add-ons the nodes need (after the control plane, before the node groups)",
      "Node groups",
      "Other managed add-ons (after the node groups)",
      "Helm releases and custom resources",
      `Kubernetes APIs removed up to ${newer} that the manifests and chart values use`,
    ]);
    expect(steps[2]!.details).toEqual(["vpc-cni: v1 → v2"]);
    expect(steps[3]!.details).toEqual([`rolling (rolling, 2 node(s) at a time): ${older}/r1 → ${newer}/r2`]);
    expect(steps[4]!.details).toEqual(["coredns: v1 → v2"]);
    expect(steps[5]!.details).toEqual(['cluster-autoscaler 9: values[0]<yaml>.image.tag: "a" → "b"']);
    expect(steps[1]!.command).toBe("cdktf deploy e-cluster");
    expect(steps[5]!.command).toBe("cdktf deploy e-addons");
  });

  it("calls a node group whose name prefix changes blue/green: new group first, then the old one drained", () => {
    const current = { "e-cluster": clusterStack(older, (g) => `${g}-${older.replace(".", "-")}-`, "v1", "r1") };
    const target = { "e-cluster": clusterStack(newer, (g) => `${g}-${newer.replace(".", "-")}-`, "v1", "r2") };
    const [detail] = upgradeSteps("e", older, newer, current, target)[3]!.details;
    expect(detail).toMatch(/\(blue\/green\): a new group .* is created at .*, then the old group .* is drained and deleted/);
  });
});

describe("npm run upgrade-plan", () => {
  it("parses its arguments", () => {
    expect(parsePlanArgs(["dev", "1.35", "--json"])).toEqual({ env: "dev", version: "1.35", json: true });
    expect(() => parsePlanArgs(["dev"])).toThrow(/environment and the target version/);
    expect(() => parsePlanArgs(["dev", "1.35", "--x"])).toThrow(/unknown option/);
  });

  const ordered = inPromotionOrder(validatePlatform(environments));

  it("gives the next minor of the first and the last environment in promotion order a plan or one list of blockers", () => {
    for (const e of [ordered[0]!, ordered.at(-1)!]) {
      let out = "";
      const target = next(e.cluster.kubernetesVersion);
      const code = runPlanCli([e.name, target, "--json"], { stdout: (t) => (out += t), stderr: () => {}, synth: () => ({}) });
      const plan = JSON.parse(out);
      const expectedBlockers = upgradeBlockers(ordered, e.name, target, []);
      if (expectedBlockers.length > 0) {
        expect(code).toBe(1);
        expect(plan.blockers).toEqual(expectedBlockers);
        expect(renderPlan(plan)).toContain("is blocked:");
      } else {
        expect(plan.blockers).toEqual([]);
      }
    }
  });

  it("blocks the last environment when an earlier one is below the target", () => {
    const last = ordered.at(-1)!;
    const inputs = environments.map((input) => ({ ...input, cluster: { ...input.cluster, kubernetesVersion: older } }));
    const plan = buildPlan(inputs, last.name, newer, () => ({}));
    expect(plan.blockers.filter((b) => b.includes("comes before"))).toHaveLength(ordered.length - 1);
  });

  it("exits 2 for an unknown environment", () => {
    let err = "";
    expect(runPlanCli(["no-such-env", newer], { stdout: () => {}, stderr: (t) => (err += t), synth: () => ({}) })).toBe(2);
    expect(err).toMatch(/unknown environment "no-such-env"/);
  });

  it("plans the last environment from the older to the newer row for real (every earlier environment at the newer)", () => {
    const last = ordered.at(-1)!;
    const inputs = withVersion(
      environments.map((input) => ({ ...input, cluster: { ...input.cluster, kubernetesVersion: newer } })),
      last.name,
      older,
    );
    const plan = buildPlan(inputs, last.name, newer, (i, e) => synthesizeStacks(i, [e]));
    expect(plan.blockers).toEqual([]);
    expect(plan.steps[1]!.details[0]).toContain(`"${older}" → "${newer}"`);
    expect(plan.steps[3]!.details).toHaveLength(Object.keys(last.cluster.nodeGroups).length);
    const strategy = last.cluster.upgrade.strategy === "blue-green" ? "blue/green" : "rolling";
    for (const d of plan.steps[3]!.details) expect(d).toContain(`(${strategy}`);
  });
});
