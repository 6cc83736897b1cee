import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmAddon } from "../../modules/helm/helm-addon";
import type { Values } from "../../modules/helm/values";
import { RELOADER_CHART } from "./chart";
import { reloaderValues } from "./values";

export { RELOADER_SECRET_ANNOTATION } from "./chart";

export interface ReloaderProps {
  /** The namespace whose Secrets it watches (it is installed there and sees nothing else). */
  readonly namespace: string;
  /**
   * Helm release name.
   * @default "reloader"
   */
  readonly releaseName?: string;
  /**
   * Per-environment chart value overrides, merged last.
   * @default {}
   */
  readonly overrides?: Values;
  /**
   * Resources the release waits for (the namespace).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Stakater Reloader (upstream chart 2.2.16) scoped to one namespace: when a Secret named in a
 * workload's `secret.reloader.stakater.com/reload` annotation changes (e.g. the ExternalSecret
 * refreshes a rotated database password), it rolls that workload.
 */
export class Reloader extends Construct {
  readonly helm: HelmAddon;

  constructor(scope: Construct, id: string, props: ReloaderProps) {
    super(scope, id);
    this.helm = new HelmAddon(this, "helm", {
      releaseName: props.releaseName ?? "reloader",
      namespace: props.namespace,
      chart: RELOADER_CHART,
      values: reloaderValues(),
      overrides: props.overrides,
      // templates/service.yaml renders only when `reloader.service` is set; it is not.
      createsServices: false,
      dependsOn: props.dependsOn,
    });
  }
}
