import type { ChartPin } from "../../modules/helm/helm-addon";
import { ISTIO_CHART_REPOSITORY } from "../istio/chart";
import { istioVersion, IstioVersionName } from "../istio/versions";

/**
 * The Kubernetes Gateway API version the platform installs: the one Istio 1.30.3 is built and
 * conformance-tested against (`sigs.k8s.io/gateway-api v1.5.1` in go.mod, and the CRDs its
 * integration tests install, `tests/integration/pilot/testdata/gateway-api-crd.yaml`
 * `bundle-version: v1.5.1`, both at istio/istio@56df41f63e513f834c9a3af33d8aed82d1d961f2, tag 1.30.3).
 */
export const GATEWAY_API_VERSION = "v1.5.1";

/**
 * Envoy Gateway's `gateway-crds-helm` chart: the kubernetes-sigs project ships no chart, this one
 * renders the upstream Gateway API CRDs (templates/standard-gatewayapi-crds.yaml and
 * experimental-gatewayapi-crds.yaml, copied from kubernetes-sigs/gateway-api, chosen by
 * `crds.gatewayAPI.{enabled,channel}`) and, separately, Envoy Gateway's own CRDs
 * (`crds.envoyGateway.enabled`). v1.8.3 is the newest release whose bundle is Gateway API v1.5.1
 * (v1.8.0-v1.8.3 bundle v1.5.1, v1.7.x v1.4.1, v1.9.0 v1.6.1: `bundle-version` annotations and
 * go.mod at each tag). Published as `oci://docker.io/envoyproxy/gateway-crds-helm` with the release tag as
 * chart version (tools/make/helm.mk: CHART_VERSION = RELEASE_VERSION = VERSION file).
 *
 * Installed as the dependency of the repository's `charts/gateway-api-crds` wrapper, never as a
 * release of its own: see that chart's description (release Secret size).
 */
export const GATEWAY_API_CRDS_CHART: ChartPin = {
  repository: "oci://docker.io/envoyproxy",
  chart: "gateway-crds-helm",
  version: "v1.8.3",
  source: "https://github.com/envoyproxy/gateway charts/gateway-crds-helm@94850d4323922cba7c67b5b5ad23de9c715f8048 (tag v1.8.3, Gateway API v1.5.1)",
};

/** The wrapper chart kept in the repository (`charts/gateway-api-crds/Chart.yaml`). */
export const GATEWAY_API_CRDS_WRAPPER = { name: "gateway-api-crds", version: "1.0.0" } as const;

/**
 * Istio's `gateway` chart of one Istio release (published with the base, istiod and cni charts under
 * the same version). Keys used in `values.ts` read from manifests/charts/gateway/values.yaml,
 * values.schema.json and templates/ at the commit of that release's row in `ISTIO_VERSIONS`
 * (the chart's Chart.yaml says 1.0.0: istio/release-builder stamps the release version when it
 * publishes).
 */
export function istioGatewayChart(version: IstioVersionName): ChartPin {
  const row = istioVersion(version);
  return {
    repository: ISTIO_CHART_REPOSITORY,
    chart: "gateway",
    version: row.chartVersion,
    source: `https://github.com/istio/istio manifests/charts/gateway@${row.commit} (Istio ${version})`,
  };
}
