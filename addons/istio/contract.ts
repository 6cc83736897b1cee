/**
 * What the mesh's parts agree on: the Istio control plane (addons/istio), the team namespaces that
 * opt in (modules/tenancy through stacks/addons), the ingress gateway and Kiali. One place, so a
 * rename is one edit.
 */

/** Namespace of istiod, the Istio CNI node agent and Kiali. */
export const ISTIO_NAMESPACE = "istio-system";

/** Namespace of the Istio ingress gateway (the Gateway API `Gateway` and its Deployment). */
export const ISTIO_INGRESS_NAMESPACE = "istio-ingress";

/**
 * The namespace label that selects the control plane a namespace's sidecars are injected by
 * (https://istio.io/latest/docs/setup/upgrade/canary/). Its values are istiod revision names derived
 * from the Istio version (`1.30.3` → `1-30-3`, `revisionName` in versions.ts); which one a team's
 * namespaces carry comes from `teamMeshRevision` (revisions.ts). No revision tag: moving a team or
 * the default is a label change in the environment config, and nothing has to move between two
 * istiod Helm releases.
 */
export const MESH_REVISION_LABEL = "istio.io/rev";

/**
 * Where Istio's release images come from (`global.hub` of the istiod and cni charts; istiod injects
 * `<hub>/proxyv2:<version>` as the sidecar). "Releases are published to docker hub under 'istio'
 * project" (istiod values.yaml at istio/istio@56df41f63e513f834c9a3af33d8aed82d1d961f2, whose own
 * default is a testing registry the release pipeline replaces).
 */
export const ISTIO_HUB = "docker.io/istio";

/** The sidecar's image repository (`global.proxy.image` default `proxyv2`, under {@link ISTIO_HUB}). */
export const ISTIO_PROXY_IMAGE_REPOSITORY = `${ISTIO_HUB}/proxyv2`;
