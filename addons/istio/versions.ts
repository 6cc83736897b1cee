/**
 * The Istio versions the platform can install, one row each: the chart version of the three
 * upstream charts (base, istiod, cni: one Istio release publishes all three with its own version)
 * and the Kubernetes minors Istio supports for that release. An environment installs one or two of
 * them side by side as istiod revisions (`addons.mesh.revisions`, environments/schema.ts); an
 * upgrade is a new row here, then the canary runbook (docs/gitops-and-mesh.md).
 *
 * Pure data: no cdktf.
 */

/** One Istio release as the platform pins it. */
export interface IstioVersion {
  /** Exact version of the base, istiod and cni charts (https://istio-release.storage.googleapis.com/charts). */
  readonly chartVersion: string;
  /** Commit of https://github.com/istio/istio (the release tag) whose charts' values.yaml and templates the values follow. */
  readonly commit: string;
  /** Kubernetes minors (`1.NN`) Istio supports for this release. */
  readonly kubernetesMinors: readonly string[];
  /** Where `kubernetesMinors` was read. */
  readonly kubernetesSource: string;
}

/** Every pinned Istio version, by version. */
export const ISTIO_VERSIONS = {
  "1.30.3": {
    chartVersion: "1.30.3",
    commit: "56df41f63e513f834c9a3af33d8aed82d1d961f2",
    kubernetesMinors: ["1.32", "1.33", "1.34", "1.35", "1.36"],
    kubernetesSource:
      "https://istio.io/latest/docs/releases/supported-releases/#support-status-of-istio-releases (Istio 1.30: Kubernetes >=1.32.0 <1.37.0, as republished at https://cloud.ibm.com/docs/containers?topic=containers-supported-cluster-addon-versions); minimum confirmed by istioctl/pkg/install/k8sversion/version.go MinK8SVersion = 32 at 56df41f63e513f834c9a3af33d8aed82d1d961f2",
  },
} as const satisfies Record<string, IstioVersion>;

/** A version of {@link ISTIO_VERSIONS}. */
export type IstioVersionName = keyof typeof ISTIO_VERSIONS;

/** The versions of the table, oldest first. */
export const ISTIO_VERSION_NAMES = Object.keys(ISTIO_VERSIONS).sort(compareVersions) as [IstioVersionName, ...IstioVersionName[]];

/**
 * What an environment without `addons.mesh` installs. Changing it would replace the istiod of every
 * such environment in one apply (no canary): upgrade by setting `addons.mesh.revisions` in each
 * environment (docs/gitops-and-mesh.md, "Canarying an istiod upgrade"); change this only when its
 * row is removed, by then every environment names its revisions.
 */
export const ISTIO_INITIAL_VERSION: IstioVersionName = "1.30.3";

/** The pinned row of a version. */
export function istioVersion(version: IstioVersionName): IstioVersion {
  return ISTIO_VERSIONS[version];
}

/**
 * The istiod revision name of a version: dots become dashes (`1.30.3` → `1-30-3`), as Istio's canary
 * upgrade guide names revisions (a revision is part of object names and label values).
 */
export function revisionName(version: string): string {
  return version.replaceAll(".", "-");
}

/** Orders `major.minor.patch` versions numerically (`1.9.0` before `1.30.3`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest of the versions (the one whose base chart installs the CRDs). @throws Error on an empty list */
export function newestVersion<V extends string>(versions: readonly V[]): V {
  if (versions.length === 0) throw new Error("no Istio version given");
  return [...versions].sort(compareVersions)[versions.length - 1];
}
