import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { IrsaRole } from "../irsa/irsa-role";
import { resourcesOf } from "../terraform/resources";
import { AddonComposition, Capability } from "./composition";
import { mergeValues, renderValues, Values } from "./values";

/** A chart pinned to one exact version, with where its values were read from. */
export interface ChartPin {
  /** `https://` chart repository or `oci://` registry path. */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version (no ranges). */
  readonly version: string;
  /** The chart's source (repository, path, commit) whose values.yaml the typed values follow. */
  readonly source: string;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+$/;

/** Throws unless the pin is an exact version from an https or oci repository. */
export function assertPinned(pin: ChartPin): void {
  if (!EXACT_VERSION.test(pin.version)) {
    throw new Error(`chart ${pin.chart} must be pinned to an exact version, got "${pin.version}"`);
  }
  if (!/^(https|oci):\/\//.test(pin.repository)) {
    throw new Error(`chart ${pin.chart} must come from an https:// or oci:// repository, got "${pin.repository}"`);
  }
}

/** What every add-on construct accepts for its release, besides its own settings. */
export interface ReleaseOptions {
  /**
   * Chart value overrides, merged last (they win over the add-on's values).
   * @default {}
   */
  readonly overrides?: Values;
  /**
   * Further resources the release waits for (other add-ons it uses). In a stack with an
   * `AddonComposition` the load balancer webhook, storage classes and monitoring CRDs come from the
   * add-on's declarations; in another stack, pass them here.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export interface HelmAddonProps {
  /** Helm release name. */
  readonly releaseName: string;
  /** Namespace of the release (created by Helm if missing). */
  readonly namespace: string;
  readonly chart: ChartPin;
  /**
   * Whether the chart's templates, with these values, create a Service (say which template in a
   * comment where it is set). Such a release needs the load balancer webhook, which admits every new
   * Service: in a stack with an {@link AddonComposition} it then waits for the controller.
   */
  readonly createsServices: boolean;
  /**
   * Further capabilities the release needs from other add-ons of its stack (storage classes for its
   * volumes, monitoring CRDs for its ServiceMonitor / PrometheusRule objects); resolved by the
   * stack's {@link AddonComposition}.
   * @default []
   */
  readonly needs?: readonly Capability[];
  /**
   * Capabilities the release supplies to the other add-ons of its stack.
   * @default []
   */
  readonly provides?: readonly Capability[];
  /**
   * IRSA roles of the release's service accounts: the release waits for each role AND its policies
   * (a pod that starts before its inline policy exists gets AccessDenied).
   * @default []
   */
  readonly irsaRoles?: readonly IrsaRole[];
  /** The add-on's typed values. */
  readonly values: Values;
  /**
   * Per-environment overrides, merged last (they win).
   * @default {}
   */
  readonly overrides?: Values;
  /**
   * Seconds Helm waits for the release to become ready before rolling back.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * Further resources the release waits for (buckets, other releases whose CRDs it uses); IRSA roles
   * go in `irsaRoles`, capabilities in `needs`.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** What a release needs: the load balancer webhook when its chart creates Services, then its declared needs. */
export function releaseNeeds(props: Pick<HelmAddonProps, "createsServices" | "needs">): Capability[] {
  return [...new Set<Capability>([...(props.createsServices ? (["load-balancer-webhook"] as const) : []), ...(props.needs ?? [])])];
}

/** The release's own `depends_on`: every resource of its IRSA roles (role and policies), then `dependsOn`. */
function releaseDependsOn(props: HelmAddonProps): ITerraformDependable[] | undefined {
  const all = [...(props.irsaRoles ?? []).flatMap((role) => resourcesOf(role)), ...(props.dependsOn ?? [])];
  return all.length > 0 ? all : undefined;
}

/**
 * The one way the platform installs a Helm chart: pinned chart, values rendered to YAML with
 * overrides merged last, atomic upgrades that roll back on failure, waiting for workloads and jobs,
 * a bounded history.
 */
export class HelmAddon extends Construct {
  readonly release: Release;
  /** The values as rendered into the release (what reviewers see in the plan). */
  readonly renderedValues: string;

  constructor(scope: Construct, id: string, props: HelmAddonProps) {
    super(scope, id);
    assertPinned(props.chart);
    this.renderedValues = renderValues(mergeValues(props.values, props.overrides ?? {}));
    this.release = new Release(this, "release", {
      name: props.releaseName,
      namespace: props.namespace,
      createNamespace: true,
      repository: props.chart.repository,
      chart: props.chart.chart,
      version: props.chart.version,
      values: [this.renderedValues],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      waitForJobs: true,
      timeout: props.timeoutSeconds ?? 600,
      maxHistory: 10,
      dependsOn: releaseDependsOn(props),
    });
    AddonComposition.of(this)?.register({
      name: `${props.namespace}/${props.releaseName}`,
      needs: releaseNeeds(props),
      provides: props.provides ?? [],
      waiter: this.release,
      dependables: [this.release],
    });
  }
}
