import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
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
   * Resources the release waits for (the load balancer webhook, storage classes, CRDs).
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
   * Resources the release waits for (IRSA roles, buckets, other releases whose CRDs it uses).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
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
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
