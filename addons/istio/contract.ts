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
 * (https://istio.io/latest/docs/setup/upgrade/canary/).
 */
export const MESH_REVISION_LABEL = "istio.io/rev";

/**
 * The revision tag every mesh namespace carries (`istio.io/rev=stable`). The tag points at one
 * istiod revision; an upgrade moves the tag to the new revision, never the namespaces' labels
 * (https://istio.io/latest/docs/setup/upgrade/canary/#stable-revision-labels).
 */
export const MESH_STABLE_TAG = "stable";
