/**
 * Custom resources through a Helm release of the repository's `charts/platform-resources` chart,
 * whose one template renders each entry of `.Values.resources` as a YAML document. Terraform plans
 * a Helm release without asking the API server for the objects' CRDs, so custom resources of a
 * chart installed in the same stack (Karpenter NodePools, External Secrets stores, ...) apply in the
 * same run as that chart: `cdktf deploy <env>-addons` is one command on a new cluster. A
 * `kubernetes_manifest` would need the CRD at plan time.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable, Lazy, TerraformAsset, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ForgottenResource } from "../terraform/removed";
import { groupKind } from "./chart-crds";
import { renderValues, Values } from "./values";

/** The chart kept in the repository (`charts/platform-resources/Chart.yaml`). */
export const PLATFORM_RESOURCES_CHART = { name: "platform-resources", version: "1.0.0" } as const;

/** A Kubernetes object as the chart renders it (custom resources and built-in kinds alike). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Group, kind, namespace and name: what Kubernetes keeps unique. */
function objectKey(o: KubernetesObject): string {
  return `${groupKind(o.apiVersion, o.kind)} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

/**
 * The release's values: `{ resources: [...] }` in the given order (the chart renders them in that
 * order, Helm applies them sorted by kind).
 *
 * @throws Error when there is no object, or two objects share group, kind, namespace and name
 */
export function customResourcesValues(objects: readonly KubernetesObject[]): Values {
  if (objects.length === 0) throw new Error("custom resources: nothing to render (a release needs at least one object)");
  const seen = new Set<string>();
  for (const o of objects) {
    const key = objectKey(o);
    if (seen.has(key)) throw new Error(`custom resources: ${key} is listed twice`);
    seen.add(key);
  }
  return { resources: [...objects] };
}

/**
 * The folder of a chart kept in the repository, `charts/<name>` of the package root, found from
 * `from` upwards (the sources run from `modules/helm`, the built package from `dist/modules/helm`).
 */
export function repositoryChartPath(name: string, from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "charts", name);
    if (existsSync(join(candidate, "Chart.yaml"))) return candidate;
    if (dirname(dir) === dir) throw new Error(`chart ${name} not found above ${from}`);
  }
}

/** The folder of `charts/platform-resources` (see {@link repositoryChartPath}). */
export function platformResourcesChartPath(from: string = __dirname): string {
  return repositoryChartPath(PLATFORM_RESOURCES_CHART.name, from);
}

const ASSET_ID = "platform-resources-chart";

/**
 * The chart copied into the stack's output folder (`assets/<id>/<hash>/`), once per stack, so that
 * `cdktf deploy` and `terraform apply` in `cdktf.out/stacks/<stack>` both find it by a relative path.
 */
function chartAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(ASSET_ID);
  return existing instanceof TerraformAsset ? existing : new TerraformAsset(stack, ASSET_ID, { path: platformResourcesChartPath() });
}

export interface CustomResourcesProps {
  /** Helm release name (unique in its namespace, at most 53 characters). */
  readonly releaseName: string;
  /** Namespace of the release record; must exist. Namespaced objects name theirs in `metadata.namespace`. */
  readonly namespace: string;
  /**
   * The objects. More can be added with `add` until synthesis.
   * @default []
   */
  readonly resources?: readonly KubernetesObject[];
  /** The release that installs the objects' CRDs (and its webhooks), and whatever else they need first. */
  readonly dependsOn: readonly ITerraformDependable[];
  /**
   * Seconds Helm waits on install, and on destroy for the objects to be gone (finalizers included).
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * IDs (in this construct's parent scope) of `kubernetes_manifest`s these objects were applied with
   * before: a `removed` block (destroy = false) for each makes Terraform forget them without deleting
   * the objects, and the release takes them over, so a running environment migrates in one apply.
   * @default []
   */
  readonly replacesManifests?: readonly string[];
}

/**
 * Custom resources as one Helm release of the repository's `platform-resources` chart.
 *
 * - The release depends on `dependsOn` (the release installing the CRDs), so a destroy uninstalls
 *   these objects first and waits until they are gone (`wait`): a controller still running can act
 *   on its finalizers (e.g. Karpenter drains and terminates its nodes).
 * - `take_ownership`: objects that exist without Helm's ownership labels (applied before by
 *   `kubernetes_manifest`) are adopted instead of failing the install.
 * - Not atomic: a failed install must not uninstall objects it has just adopted; the next apply
 *   retries as an upgrade.
 * - Helm does not wait for custom resources to report Ready; whatever consumes their result (the
 *   Secret of an ExternalSecret) must tolerate its arrival a little later.
 */
export class CustomResources extends Construct {
  readonly release: Release;
  private readonly objects: KubernetesObject[];

  constructor(scope: Construct, id: string, props: CustomResourcesProps) {
    super(scope, id);
    this.objects = [...(props.resources ?? [])];
    for (const manifestId of props.replacesManifests ?? []) {
      new ForgottenResource(scope, manifestId, "kubernetes_manifest");
    }
    const chart = chartAsset(this);
    this.release = new Release(this, "release", {
      name: props.releaseName,
      namespace: props.namespace,
      chart: `./${chart.path}`,
      version: PLATFORM_RESOURCES_CHART.version,
      values: [Lazy.stringValue({ produce: () => renderValues(customResourcesValues(this.objects)) })],
      takeOwnership: true,
      atomic: false,
      wait: true,
      timeout: props.timeoutSeconds ?? 600,
      maxHistory: 10,
      dependsOn: [...props.dependsOn],
    });
  }

  /** Adds an object to the release. */
  add(object: KubernetesObject): void {
    this.objects.push(object);
  }

  /** The objects as rendered (a copy). */
  get resources(): readonly KubernetesObject[] {
    return [...this.objects];
  }
}
