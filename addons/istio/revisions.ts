/**
 * Which istiod revision serves what, from the environment config (`addons.mesh`,
 * `cluster.access.teams.<team>.{mesh,meshRevision}`). Pure: no cdktf.
 *
 * Namespaces carry the revision itself (`istio.io/rev=1-30-3`), not a revision tag: moving a team
 * or the default is a change of the environment config that Terraform shows as a label change, and
 * no tag object has to move between two Helm releases (which Helm refuses while both own it).
 */
import type { EnvironmentConfig } from "../../environments/schema";
import { compareVersions, IstioVersionName, newestVersion, revisionName } from "./versions";

/** The part of an environment the mesh reads. */
export type MeshEnvironment = Pick<EnvironmentConfig, "addons" | "cluster">;

/** The Istio version of the default revision (the only one, or `defaultRevision` with two). */
export function defaultMeshVersion(env: Pick<EnvironmentConfig, "addons">): IstioVersionName {
  return env.addons.mesh.defaultRevision ?? env.addons.mesh.revisions[0];
}

/** The revision name of the default revision (`istio.io/rev` of namespaces without their own). */
export function defaultMeshRevision(env: Pick<EnvironmentConfig, "addons">): string {
  return revisionName(defaultMeshVersion(env));
}

/** The installed versions, oldest first. */
export function installedMeshVersions(env: Pick<EnvironmentConfig, "addons">): IstioVersionName[] {
  return [...new Set(env.addons.mesh.revisions)].sort(compareVersions);
}

/**
 * The version whose base chart installs the CRDs (and the CNI node agent): the newest installed,
 * since Istio's CRDs stay backward compatible and the older istiod keeps working with newer ones
 * (https://istio.io/latest/docs/setup/upgrade/helm/#canary-upgrade-recommended: upgrade base first).
 */
export function clusterWideMeshVersion(env: Pick<EnvironmentConfig, "addons">): IstioVersionName {
  return newestVersion(env.addons.mesh.revisions);
}

/**
 * The value of the `istio.io/rev` label of the team's namespaces: the team's own revision or the
 * environment's default; `undefined` when the team does not opt in (`mesh` is not `true`) or is
 * not a team of the environment.
 */
export function teamMeshRevision(env: MeshEnvironment, team: string): string | undefined {
  const teams = env.cluster.access.teams;
  if (!Object.hasOwn(teams, team)) return undefined;
  const config = teams[team];
  if (config.mesh !== true) return undefined;
  return revisionName(config.meshRevision ?? defaultMeshVersion(env));
}
