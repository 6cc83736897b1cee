import { Construct } from "constructs";
import { AddonComposition } from "../../modules/helm/composition";
import { CustomResources } from "../../modules/helm/custom-resources";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { GATEKEEPER_NAMESPACE } from "../../modules/tenancy/namespaces";
import { GATEKEEPER_CHART } from "./chart";
import { constraints, constraintSpecs, constraintTemplates, EnforcementAction, MeshPolicyInput } from "./constraints";
import { gatekeeperPodMonitor, gatekeeperViolationsRule } from "./monitoring";
import { gatekeeperValues } from "./values";

export * from "./chart";
export * from "./constraints";
export * from "./monitoring";
export * from "./values";

export interface GatekeeperProps extends ReleaseOptions {
  /** What a violation does in this environment. */
  readonly enforcement: EnforcementAction;
  /** Registry prefixes team images may come from. */
  readonly allowedRegistries: readonly string[];
  /**
   * The service mesh: its proxy image repositories are allowed in its namespaces only.
   * @default - no mesh: `allowedRegistries` in every namespace
   */
  readonly mesh?: MeshPolicyInput;
  /** Namespaces no constraint applies to (modules/tenancy/namespaces.ts `PLATFORM_NAMESPACES`). */
  readonly exemptNamespaces: readonly string[];
  /** Webhook replicas (at least 2). */
  readonly replicas: number;
  /** Labels of the system node group the webhook and audit run on. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /**
   * Whether to alert on audit violations (PrometheusRule `GatekeeperAuditViolations`).
   * @default false
   */
  readonly alertOnViolations?: boolean;
}

/**
 * OPA Gatekeeper with the platform's constraint set, three releases in order:
 *   1. the upstream chart (webhook, audit, CRDs of ConstraintTemplate and friends);
 *   2. `gatekeeper-templates`: the ConstraintTemplates, through the repository chart (nothing needs
 *      a CRD at plan time);
 *   3. `gatekeeper-constraints`: one constraint per template. Their kinds are CRDs that Gatekeeper
 *      creates from the templates a few seconds after (2); on a new cluster the first apply can
 *      reach (3) before that and fail with "no matches for kind": the release is not atomic, and
 *      the next `cdktf deploy` installs it (README, "Policies").
 * Plus `gatekeeper-monitoring` (PodMonitor, and the alert when asked), which declares that it needs
 * the monitoring CRDs, so the stack's composition orders it after kube-prometheus-stack.
 */
export class Gatekeeper extends Construct {
  static readonly NAMESPACE = GATEKEEPER_NAMESPACE;
  readonly helm: HelmAddon;
  readonly templates: CustomResources;
  readonly constraints: CustomResources;
  readonly monitoring: CustomResources;

  constructor(scope: Construct, id: string, props: GatekeeperProps) {
    super(scope, id);
    const namespace = Gatekeeper.NAMESPACE;
    this.helm = new HelmAddon(this, "release", {
      releaseName: "gatekeeper",
      namespace,
      chart: GATEKEEPER_CHART,
      values: gatekeeperValues({ replicas: props.replicas, nodeSelector: props.nodeSelector }),
      overrides: props.overrides,
      // templates/gatekeeper-webhook-service-service.yaml.
      createsServices: true,
      dependsOn: props.dependsOn,
    });
    const specs = constraintSpecs(props);
    this.templates = new CustomResources(this, "templates", {
      releaseName: "gatekeeper-templates",
      namespace,
      resources: constraintTemplates(specs),
      dependsOn: [this.helm.release],
    });
    this.constraints = new CustomResources(this, "constraints", {
      releaseName: "gatekeeper-constraints",
      namespace,
      resources: constraints({ ...props }),
      dependsOn: [this.templates.release],
    });
    this.monitoring = new CustomResources(this, "monitoring", {
      releaseName: "gatekeeper-monitoring",
      namespace,
      resources: [gatekeeperPodMonitor(namespace), ...(props.alertOnViolations ? [gatekeeperViolationsRule(namespace)] : [])],
      dependsOn: [this.helm.release],
    });
    AddonComposition.of(this)?.register({
      name: `${namespace}/gatekeeper-monitoring`,
      needs: ["monitoring-crds"],
      provides: [],
      waiter: this.monitoring.release,
      dependables: [this.monitoring.release],
    });
  }
}
