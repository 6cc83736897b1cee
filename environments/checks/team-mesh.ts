/**
 * The mesh's namespace labels belong to the platform: a team's own `labels` may not carry them.
 *   - `istio.io/rev` comes from `mesh` / `meshRevision` (stacks/addons/team-mesh.ts); set by hand on
 *     a team that has not opted in, it would inject sidecars into namespaces without the network
 *     policies they need or their STRICT PeerAuthentication.
 *   - `istio-injection` switches revision-based injection off: istiod's injection webhook selects
 *     namespaces with `istio.io/rev=<revision>` only where `istio-injection` does not exist
 *     (istio/istio@56df41f63e513f834c9a3af33d8aed82d1d961f2
 *     manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml).
 */
import { MESH_REVISION_LABEL } from "../../addons/istio/contract";
import type { EnvironmentConfig } from "../schema";
import type { ConfigIssue } from "../validate";

/** The namespace labels that select sidecar injection. */
export const MESH_INJECTION_LABELS: readonly string[] = [MESH_REVISION_LABEL, "istio-injection"];

/** A team label that is one of {@link MESH_INJECTION_LABELS}. */
export function teamMeshLabelProblems(env: Pick<EnvironmentConfig, "cluster">): ConfigIssue[] {
  return Object.entries(env.cluster.access.teams).flatMap(([key, team]) =>
    Object.entries(team.labels ?? {})
      .filter(([label]) => MESH_INJECTION_LABELS.includes(label))
      .map(([label, value]) => ({
        path: `cluster.access.teams.${key}.labels.${label}`,
        message: `is the platform's mesh label; a team joins the mesh with mesh: true (which sets ${MESH_REVISION_LABEL}, never istio-injection)`,
        received: value,
      })),
  );
}
