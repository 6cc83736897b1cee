/**
 * The Istio control plane in sidecar mode, from Istio's own charts (addons/istio/chart.ts), in
 * namespace `istio-system`:
 *   - `IstioBase`: Istio's CRDs (as templates, so upgrades reach them) and the cluster-wide
 *     validating webhook of the default revision;
 *   - `IstioCni`: the Istio CNI node agent, a DaemonSet on every node chained after the VPC CNI, which
 *     sets up each injected pod's traffic redirection, so pods need no privileged `istio-init`;
 *   - `Istiod`: one istiod revision (`istiod-<revision>`), selected by namespaces labelled
 *     `istio.io/rev=<revision>`. Two revisions run side by side while an upgrade is canaried.
 * stacks/addons/mesh.ts composes them from the environment config.
 */
import { Construct } from "constructs";
import { HelmAddon, ChartPin, ReleaseOptions } from "../../modules/helm/helm-addon";
import { ISTIO_NAMESPACE } from "./contract";
import { istioBaseValues, istioCniValues, istiodValues, IstiodValuesInput } from "./values";

export * from "./chart";
export * from "./contract";
export * from "./revisions";
export * from "./telemetry";
export * from "./values";
export * from "./versions";

export interface IstioBaseProps extends ReleaseOptions {
  /** The base chart, at the newest installed version (its CRDs serve every installed revision). */
  readonly chart: ChartPin;
  /** The revision whose istiod validates Istio config cluster-wide. */
  readonly defaultRevision: string;
}

/** Istio's CRDs and the default revision's validating webhook (release `istio-base`). */
export class IstioBase extends Construct {
  readonly helm: HelmAddon;

  constructor(scope: Construct, id: string, props: IstioBaseProps) {
    super(scope, id);
    this.helm = new HelmAddon(this, "release", {
      releaseName: "istio-base",
      namespace: ISTIO_NAMESPACE,
      chart: props.chart,
      values: istioBaseValues({ defaultRevision: props.defaultRevision }),
      overrides: props.overrides,
      // CRDs, a ServiceAccount and a ValidatingWebhookConfiguration: no Service.
      createsServices: false,
      dependsOn: props.dependsOn,
    });
  }
}

export interface IstioCniProps extends ReleaseOptions {
  /** The cni chart, at the newest installed version. */
  readonly chart: ChartPin;
}

/** The Istio CNI node agent on every node, chained after the VPC CNI (release `istio-cni`). */
export class IstioCni extends Construct {
  readonly helm: HelmAddon;

  constructor(scope: Construct, id: string, props: IstioCniProps) {
    super(scope, id);
    this.helm = new HelmAddon(this, "release", {
      releaseName: "istio-cni",
      namespace: ISTIO_NAMESPACE,
      chart: props.chart,
      values: istioCniValues(),
      overrides: props.overrides,
      // A DaemonSet, its ConfigMap and RBAC: no Service.
      createsServices: false,
      dependsOn: props.dependsOn,
    });
  }
}

export interface IstiodProps extends IstiodValuesInput, ReleaseOptions {
  /** The istiod chart at this revision's version. */
  readonly chart: ChartPin;
}

/** One istiod revision (release `istiod-<revision>`). */
export class Istiod extends Construct {
  readonly helm: HelmAddon;
  /** Name of the revision's Service and Deployment. */
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: IstiodProps) {
    super(scope, id);
    this.serviceName = `istiod-${props.revision}`;
    this.helm = new HelmAddon(this, "release", {
      releaseName: this.serviceName,
      namespace: ISTIO_NAMESPACE,
      chart: props.chart,
      values: istiodValues(props),
      overrides: props.overrides,
      // templates/service.yaml (istiod-<revision>: xDS, CA, webhooks, metrics).
      createsServices: true,
      dependsOn: props.dependsOn,
    });
  }
}
