/**
 * The team side of the Istio mesh (issue 15, item 2): a team opts in with
 * `cluster.access.teams.<team>.mesh: true`, and each of its namespaces then
 *   - carries `istio.io/rev=<revision>` (addons/istio/revisions.ts `teamMeshRevision`), never
 *     `istio-injection`, so istiod of that revision injects the sidecar (a label change: the
 *     namespace is updated in place when the revision moves);
 *   - gets the network policies its sidecars need (modules/tenancy/mesh.ts `meshNetworkPolicies`);
 *   - gets a STRICT `PeerAuthentication` (through the repository chart: no Istio CRD at plan time).
 */
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { MeshPolicyInput } from "../../addons/gatekeeper/constraints";
import { ISTIO_NAMESPACE, ISTIO_PROXY_IMAGE_REPOSITORY, MESH_REVISION_LABEL } from "../../addons/istio/contract";
import { MeshEnvironment, teamMeshRevision } from "../../addons/istio/revisions";
import { namespaceRights } from "../../environments/access";
import { CustomResources } from "../../modules/helm/custom-resources";
import { MeshPeers, meshNetworkPolicies, strictPeerAuthentication } from "../../modules/tenancy/mesh";
import type { MeshMembership } from "../../modules/tenancy/plan";
import type { TeamNamespaces } from "../../modules/tenancy/team-namespaces";

/**
 * What the admission policies allow in the mesh's namespaces only: the tags of the sidecar image istiod
 * injects (addons/istio/contract.ts, the `global.hub` istiod is given), nothing else of its registry.
 */
export const MESH_POLICY: MeshPolicyInput = { namespaceLabel: MESH_REVISION_LABEL, proxyImageRepositories: [`${ISTIO_PROXY_IMAGE_REPOSITORY}:`] };

/** Where the sidecars' peers run: the mesh's own namespaces. */
export const MESH_PEERS: MeshPeers = { controlPlaneNamespace: ISTIO_NAMESPACE };

/** The membership of a namespace injected by istiod `revision`: its revision label and the sidecars' network policies. */
export function meshMembership(revision: string): MeshMembership {
  return { labels: { [MESH_REVISION_LABEL]: revision }, networkPolicies: meshNetworkPolicies(MESH_PEERS) };
}

/** The team's membership of the mesh, or `undefined` when it does not opt in. */
export function teamMeshMembership(env: MeshEnvironment, team: string): MeshMembership | undefined {
  const revision = teamMeshRevision(env, team);
  return revision === undefined ? undefined : meshMembership(revision);
}

/** The namespaces of the teams that opt in, sorted. */
export function meshedTeamNamespaces(env: MeshEnvironment): string[] {
  return Object.entries(env.cluster.access.teams)
    .filter(([team]) => teamMeshRevision(env, team) !== undefined)
    .flatMap(([, config]) => Object.keys(namespaceRights(config)))
    .sort();
}

/** Helm release of the meshed namespaces' PeerAuthentications (its record lives in istiod's namespace). */
export const TEAM_PEER_AUTHENTICATION_RELEASE = "team-peer-authentication";

/**
 * The STRICT PeerAuthentication of every meshed team namespace, as one release of the repository
 * chart after the team namespaces and `istioCrds` (the release of Istio's base chart, which installs
 * the PeerAuthentication CRD); none when no team opts in (a release needs an object).
 */
export function addTeamMeshAuthentication(
  scope: Construct,
  env: MeshEnvironment,
  teams: TeamNamespaces,
  istioCrds: readonly ITerraformDependable[],
): CustomResources | undefined {
  const namespaces = meshedTeamNamespaces(env);
  if (namespaces.length === 0) return undefined;
  return new CustomResources(scope, "team-mesh-authentication", {
    releaseName: TEAM_PEER_AUTHENTICATION_RELEASE,
    namespace: ISTIO_NAMESPACE,
    resources: namespaces.map(strictPeerAuthentication),
    dependsOn: [...istioCrds, ...namespaces.map((ns) => teams.namespaces[ns]!)],
  });
}
