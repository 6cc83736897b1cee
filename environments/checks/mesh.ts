/**
 * Rules of the Istio control plane's revisions (`addons.mesh`, addons/istio) that the schema cannot
 * express. (A version missing from addons/istio/versions.ts is a schema error.)
 */
import { ISTIO_VERSIONS, IstioVersion } from "../../addons/istio/versions";
import type { EnvironmentConfig } from "../schema";
import type { ConfigIssue } from "../validate";

/**
 * - a revision is installed once;
 * - with two revisions, `defaultRevision` names one of them (with one, it may only name that one);
 * - a team's `meshRevision` is installed, and set only on a team with `mesh: true`;
 * - prod installs only versions whose Kubernetes support includes `cluster.kubernetesVersion`.
 */
export function meshRevisionProblems(
  env: Pick<EnvironmentConfig, "stage" | "cluster" | "addons">,
  table: Readonly<Record<string, IstioVersion>> = ISTIO_VERSIONS,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { revisions, defaultRevision } = env.addons.mesh;
  const installed = `installed: ${revisions.join(", ")}`;
  revisions.forEach((version, i) => {
    if (revisions.indexOf(version) !== i) {
      issues.push({ path: `addons.mesh.revisions.${i}`, message: "is listed twice; a revision is installed once", received: version });
    }
  });
  if (defaultRevision === undefined && revisions.length > 1) {
    issues.push({ path: "addons.mesh.defaultRevision", message: `must name the revision team namespaces use when two are installed (${installed})`, received: undefined });
  }
  if (defaultRevision !== undefined && !revisions.includes(defaultRevision)) {
    issues.push({ path: "addons.mesh.defaultRevision", message: `must be an installed revision (${installed})`, received: defaultRevision });
  }
  for (const [team, config] of Object.entries(env.cluster.access.teams)) {
    if (config.meshRevision === undefined) continue;
    const path = `cluster.access.teams.${team}.meshRevision`;
    if (config.mesh !== true) {
      issues.push({ path, message: "applies only to a team with mesh: true", received: config.meshRevision });
    } else if (!revisions.includes(config.meshRevision)) {
      issues.push({ path, message: `must be an installed revision of addons.mesh.revisions (${installed})`, received: config.meshRevision });
    }
  }
  if (env.stage === "prod") {
    const kubernetes = env.cluster.kubernetesVersion;
    revisions.forEach((version, i) => {
      const supported = table[version].kubernetesMinors;
      if (!supported.includes(kubernetes)) {
        issues.push({
          path: `addons.mesh.revisions.${i}`,
          message: `Istio ${version} does not support Kubernetes ${kubernetes} (supported: ${supported.join(", ")}); prod runs only supported pairs`,
          received: version,
        });
      }
    });
  }
  return issues;
}
