/**
 * The Kubernetes upgrade runbook of one environment as data (pure: configuration and synthesized
 * Terraform JSON in, plan out; no cdktf). `upgradeBlockers` says what stops the upgrade, in one list;
 * `upgradeSteps` compares the environment's stacks at the current and at the target version and
 * orders what changes: the configuration, the control plane, the managed add-ons, the node groups,
 * the Helm releases and custom resources, and the removed Kubernetes APIs the manifests still use.
 */
import { KUBERNETES_VERSIONS, KUBERNETES_VERSIONS_FILE, type KubernetesVersionRow, rowProblems } from "../../modules/eks/data/kubernetes-versions";
import { kubernetesObjects } from "../cost/objects";
import { diffValues } from "../diff/compare";
import { normalizeBody } from "../diff/normalize";
import type { StackSet } from "../diff/types";
import { API_REMOVALS, type ApiRemoval } from "./data/api-removals";
import { CHART_KUBE_VERSIONS, type ChartKubeVersions } from "./data/chart-kube-versions";

/** What the planner needs of an environment. */
export interface PlannedEnvironment {
  readonly name: string;
  readonly promotionOrder: number;
  readonly cluster: { readonly kubernetesVersion: string };
}

/** A chart release pinned in the environment's add-ons stack. */
export interface ChartPinInUse {
  readonly chart: string;
  readonly version: string;
}

const MINOR = /^1\.(\d+)$/;

/** The minor number of "1.NN", or undefined. */
export function minorOf(version: string): number | undefined {
  const match = MINOR.exec(version);
  return match ? Number(match[1]) : undefined;
}

/** Numeric parts of a version ("v1.14.1" → [1, 14, 1]; pre-release suffixes ignored). */
function parts(version: string): number[] {
  return version.replace(/^v/, "").split("-")[0]!.split(".").map((p) => Number(p) || 0);
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/**
 * Whether `version` satisfies a Chart.yaml `kubeVersion` constraint made of comparators
 * (`>=1.19.0-0`, `<1.36.0-0`, `=1.30.0`), all of which must hold.
 * @throws Error for a comparator it cannot read (`^`, `~`, `||`), rather than guessing
 */
export function satisfies(version: string, constraint: string): boolean {
  return constraint
    .split(/[\s,]+/)
    .filter(Boolean)
    .every((comparator) => {
      const match = /^(>=|<=|>|<|=)?v?(\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)$/.exec(comparator);
      if (!match) throw new Error(`cannot read the kubeVersion comparator ${JSON.stringify(comparator)} of ${JSON.stringify(constraint)}`);
      const c = compareVersions(version, match[2]!);
      return { ">=": c >= 0, "<=": c <= 0, ">": c > 0, "<": c < 0, "=": c === 0 }[match[1] ?? "="]!;
    });
}

/** Why a version-bound chart pin does not support Kubernetes `target` (empty when it does or is not version-bound). */
export function chartBlockers(pin: ChartPinInUse, target: string, table: readonly ChartKubeVersions[] = CHART_KUBE_VERSIONS): string[] {
  if (!table.some((row) => row.chart === pin.chart)) return [];
  const row = table.find((r) => r.chart === pin.chart && r.version === pin.version);
  if (row === undefined) {
    return [`chart ${pin.chart} ${pin.version} has no recorded kubeVersion/compatibility row (scripts/upgrade-plan/data/chart-kube-versions.ts): read its Chart.yaml and add one`];
  }
  const problems: string[] = [];
  if (row.kubeVersion !== undefined && !satisfies(`${target}.0`, row.kubeVersion)) {
    problems.push(`chart ${pin.chart} ${pin.version}: its kubeVersion "${row.kubeVersion}" does not admit Kubernetes ${target}`);
  }
  if (row.minimumForKubernetes !== undefined) {
    const minimum = row.minimumForKubernetes[target];
    if (minimum === undefined) problems.push(`chart ${pin.chart} ${pin.version}: its compatibility table has no entry for Kubernetes ${target}`);
    else if (compareVersions(pin.version, minimum) < 0) problems.push(`chart ${pin.chart} ${pin.version}: Kubernetes ${target} needs ${pin.chart} >= ${minimum}`);
  }
  return problems;
}

/**
 * Everything that stops `envName` from going to `target`, in one list (empty: go ahead):
 * not one minor step, an environment earlier in promotion order not at the target yet, pins missing
 * for the target, a version-bound chart that does not support it.
 * @param envs every environment, in promotion order
 */
export function upgradeBlockers(
  envs: readonly PlannedEnvironment[],
  envName: string,
  target: string,
  charts: readonly ChartPinInUse[],
  table: Readonly<Record<string, KubernetesVersionRow>> = KUBERNETES_VERSIONS,
  chartTable: readonly ChartKubeVersions[] = CHART_KUBE_VERSIONS,
): string[] {
  const index = envs.findIndex((e) => e.name === envName);
  if (index === -1) return [`unknown environment ${JSON.stringify(envName)}; environments: ${envs.map((e) => e.name).join(", ")}`];
  const env = envs[index]!;
  const current = env.cluster.kubernetesVersion;
  const to = minorOf(target);
  if (to === undefined) return [`${JSON.stringify(target)} is not a Kubernetes minor version such as "1.35"`];
  const from = minorOf(current)!;
  const blockers: string[] = [];
  if (to === from) blockers.push(`${envName} is already at ${current}`);
  else if (to !== from + 1) blockers.push(`${envName} is at ${current}: upgrade one minor version at a time (next: 1.${from + 1}), not ${target}`);
  for (const before of envs.slice(0, index)) {
    const at = minorOf(before.cluster.kubernetesVersion)!;
    if (at < to) blockers.push(`${before.name} comes before ${envName} in promotion order (${before.promotionOrder} < ${env.promotionOrder}) and is at ${before.cluster.kubernetesVersion}: upgrade ${before.name} to ${target} first`);
  }
  for (const problem of rowProblems(target, table)) blockers.push(`${KUBERNETES_VERSIONS_FILE}: Kubernetes ${target} ${problem}`);
  for (const pin of charts) blockers.push(...chartBlockers(pin, target, chartTable));
  return blockers;
}

/** The chart releases of a set of stacks (helm_release chart and version). */
export function chartPins(stacks: StackSet): ChartPinInUse[] {
  return Object.values(stacks).flatMap((tf) =>
    Object.values(((tf.resource as Record<string, Record<string, { chart?: string; version?: string }>> | undefined)?.helm_release ?? {})).map((r) => ({ chart: String(r.chart), version: String(r.version) })),
  );
}

/** One step of the runbook. */
export interface UpgradeStep {
  readonly title: string;
  /** The command to run, when there is one. */
  readonly command?: string;
  readonly details: readonly string[];
}

/** A use of a removed API in the synthesized manifests or chart values. */
export interface ApiRemovalHit extends ApiRemoval {
  readonly where: string;
  readonly kind: string;
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const resourcesOf = (stacks: StackSet, stack: string): Resources => ((stacks[stack]?.resource ?? {}) as Resources);

/** Changed leaves between two resource bodies, as "path: old → new" (at most `limit`). */
function changedLeaves(before: unknown, after: unknown, type: string, limit = 6): string[] {
  const changes = diffValues(normalizeBody(before, type), normalizeBody(after, type));
  const shown = changes.slice(0, limit).map((c) => `${c.path}: ${JSON.stringify(c.old)} → ${JSON.stringify(c.new)}`);
  return changes.length > limit ? [...shown, `… ${changes.length - limit} more`] : shown;
}

/** Uses of APIs removed in or before `target` in the manifests and chart values of `stacks`. */
export function apiRemovalsHit(stacks: StackSet, target: string, removals: readonly ApiRemoval[] = API_REMOVALS): ApiRemovalHit[] {
  const to = minorOf(target)!;
  const objects = Object.entries(stacks).flatMap(([stack, tf]) => kubernetesObjects(tf).map((o) => ({ ...o, where: `${stack}: ${o.resource}${o.in === "values" ? " values" : ""}` })));
  return objects.flatMap((o) =>
    removals.filter((r) => minorOf(r.removedIn)! <= to && r.apiVersion === o.apiVersion && r.kinds.includes(o.kind)).map((r) => ({ ...r, where: o.where, kind: o.kind })),
  );
}

/**
 * The ordered steps of the upgrade of `env` from `from` to `to`, from its stacks synthesized at both
 * versions (`current`, `next`).
 */
export function upgradeSteps(env: string, from: string, to: string, current: StackSet, next: StackSet): UpgradeStep[] {
  const cluster = `${env}-cluster`;
  const addons = `${env}-addons`;
  const [before, after] = [resourcesOf(current, cluster), resourcesOf(next, cluster)];
  const steps: UpgradeStep[] = [
    {
      title: "Configuration",
      details: [`environments/${env}.ts: cluster.kubernetesVersion "${from}" → "${to}" (pins from modules/eks/data/kubernetes-versions.ts, row ${to})`],
    },
  ];
  const controlPlane = Object.entries(after.aws_eks_cluster ?? {}).map(([name, r]) => `aws_eks_cluster.${name}: version ${JSON.stringify(before.aws_eks_cluster?.[name]?.version)} → ${JSON.stringify(r.version)} (in place, one minor version)`);
  // Node groups declare the add-ons they need first (depends_on); the other add-ons wait for the nodes.
  const neededByNodes = new Set(Object.values(after.aws_eks_node_group ?? {}).flatMap((g) => (g.depends_on as string[] | undefined) ?? []));
  const addonChanges = (first: boolean) =>
    Object.entries(after.aws_eks_addon ?? {}).flatMap(([name, r]) => {
      const old = before.aws_eks_addon?.[name]?.addon_version;
      if (neededByNodes.has(`aws_eks_addon.${name}`) !== first || old === r.addon_version) return [];
      return [`${String(r.addon_name)}: ${String(old)} → ${String(r.addon_version)}`];
    });
  const orNone = (details: string[]) => (details.length > 0 ? details : ["none change"]);
  steps.push(
    { title: "Control plane", command: `cdktf deploy ${cluster}`, details: [...controlPlane, "the same apply then updates what references the cluster, in the order of the steps below"] },
    { title: "Managed add-ons the nodes need (after the control plane, before the node groups)", details: orNone(addonChanges(true)) },
  );
  const nodeGroups = Object.entries(after.aws_eks_node_group ?? {}).map(([name, r]) => {
    const old = before.aws_eks_node_group?.[name] ?? {};
    const [was, now] = [`${String(old.version)}/${String(old.release_version)}`, `${String(r.version)}/${String(r.release_version)}`];
    const label = String(r.node_group_name_prefix ?? name).replace(/-$/, "");
    if (old.node_group_name_prefix !== undefined && old.node_group_name_prefix !== r.node_group_name_prefix) {
      return `${label} (blue/green): a new group ${String(r.node_group_name_prefix)}* is created at ${now}, then the old group ${String(old.node_group_name_prefix)}* (${was}) is drained and deleted`;
    }
    const release = `${was} → ${now}`;
    const update = (r.update_config ?? {}) as { max_unavailable?: number; max_unavailable_percentage?: number };
    const pace = update.max_unavailable !== undefined ? `${update.max_unavailable} node(s) at a time` : update.max_unavailable_percentage !== undefined ? `${update.max_unavailable_percentage}% of the nodes at a time` : "EKS's default pace";
    return `${label} (rolling, ${pace}): ${release}`;
  });
  steps.push(
    { title: "Node groups", details: nodeGroups.length > 0 ? nodeGroups : ["none"] },
    { title: "Other managed add-ons (after the node groups)", details: orNone(addonChanges(false)) },
  );
  const [addonsBefore, addonsAfter] = [resourcesOf(current, addons), resourcesOf(next, addons)];
  const changed = (type: string, label: (r: Record<string, unknown>, name: string) => string) =>
    Object.entries(addonsAfter[type] ?? {}).flatMap(([name, r]) => {
      const old = addonsBefore[type]?.[name];
      if (old === undefined) return [`${label(r, name)}: new`];
      const leaves = changedLeaves(old, r, type);
      return leaves.length === 0 ? [] : [`${label(r, name)}: ${leaves.join("; ")}`];
    });
  const releases = changed("helm_release", (r) => `${String(r.chart)} ${String(r.version)}`);
  const manifests = changed("kubernetes_manifest", (r, name) => `${String((r.manifest as { kind?: string }).kind)} ${name}`);
  steps.push({ title: "Helm releases and custom resources", command: `cdktf deploy ${addons}`, details: orNone([...releases, ...manifests]) });
  const hits = apiRemovalsHit(next, to);
  steps.push({
    title: `Kubernetes APIs removed up to ${to} that the manifests and chart values use`,
    details: hits.length > 0 ? hits.map((h) => `${h.apiVersion} ${h.kind} (removed in ${h.removedIn}; use ${h.replacement}) in ${h.where}`) : ["none (upstream deprecation guide, scripts/upgrade-plan/data/api-removals.ts)"],
  });
  return steps;
}
