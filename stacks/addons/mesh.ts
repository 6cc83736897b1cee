import { Construct } from "constructs";
import {
  clusterWideMeshVersion,
  defaultMeshRevision,
  installedMeshVersions,
  ISTIO_NAMESPACE,
  IstioBase,
  istioChart,
  IstioCni,
  Istiod,
  istiodServiceMonitor,
  meshTelemetry,
  revisionName,
  sidecarPodMonitor,
  traceSamplingPercent,
} from "../../addons/istio";
import { ISTIO_VERSIONS, IstioVersion } from "../../addons/istio/versions";
import type { PlatformEnvironment } from "../../environments/validate";
import { AddonComposition } from "../../modules/helm/composition";
import { CustomResources } from "../../modules/helm/custom-resources";
import { highlyAvailable } from "./core";

/** Where the sidecars send spans: the OpenTelemetry collector's OTLP gRPC Service. */
export interface MeshTracingTarget {
  /** In-cluster host of the collector's Service, e.g. `otel-collector.tracing.svc.cluster.local`. */
  readonly service: string;
  /** Its OTLP gRPC port. */
  readonly port: number;
}

/** What the mesh layer gives the rest of the stack. */
export interface MeshAddons {
  readonly base: IstioBase;
  readonly cni: IstioCni;
  /** The istiod revisions by revision name (`1-30-3`). */
  readonly istiods: Readonly<Record<string, Istiod>>;
  /** The mesh-wide Telemetry and the Prometheus monitors of istiod and the sidecars. */
  readonly telemetry: CustomResources;
}

/**
 * The Istio control plane of an environment, in order: base (CRDs, from the newest installed
 * version) → cni (node agent, newest version) → one istiod per installed revision → the mesh-wide
 * Telemetry (tracing to the collector, sampled less in prod) with the monitors of istiod and the
 * sidecars, after the monitoring CRDs. Access logs go to each sidecar's stdout as JSON (meshConfig),
 * where Fluent Bit picks them up.
 *
 * @param table the version table (tests pass one with two versions)
 */
export function addMesh(
  scope: Construct,
  env: PlatformEnvironment,
  tracing: MeshTracingTarget,
  table: Readonly<Record<string, IstioVersion>> = ISTIO_VERSIONS,
): MeshAddons {
  const overrides = env.addons.overrides;
  const clusterWide = clusterWideMeshVersion(env);
  const base = new IstioBase(scope, "istio-base", {
    chart: istioChart("base", clusterWide, table),
    defaultRevision: defaultMeshRevision(env),
    overrides: overrides["istio-base"],
  });
  const cni = new IstioCni(scope, "istio-cni", {
    chart: istioChart("cni", clusterWide, table),
    overrides: overrides["istio-cni"],
    dependsOn: [base.helm.release],
  });
  const istiods: Record<string, Istiod> = {};
  for (const version of installedMeshVersions(env)) {
    const revision = revisionName(version);
    istiods[revision] = new Istiod(scope, `istiod-${revision}`, {
      chart: istioChart("istiod", version, table),
      revision,
      highlyAvailable: highlyAvailable(env),
      nodeSelector: env.cluster.nodeGroups.system.labels,
      tracing,
      overrides: overrides["istiod"],
      // The CRDs first; and the node agent, since this istiod injects pods that rely on it.
      dependsOn: [base.helm.release, cni.helm.release],
    });
  }
  const telemetry = new CustomResources(scope, "istio-telemetry", {
    releaseName: "istio-telemetry",
    namespace: ISTIO_NAMESPACE,
    resources: [meshTelemetry(traceSamplingPercent(env.stage)), istiodServiceMonitor(), sidecarPodMonitor()],
    // The Telemetry CRD (base) and the validating webhook's istiod.
    dependsOn: [base.helm.release, ...Object.values(istiods).map((i) => i.helm.release)],
  });
  AddonComposition.of(scope)?.register({
    name: `${ISTIO_NAMESPACE}/istio-telemetry`,
    needs: ["monitoring-crds"],
    provides: [],
    waiter: telemetry.release,
    dependables: [telemetry.release],
  });
  return { base, cni, istiods, telemetry };
}
