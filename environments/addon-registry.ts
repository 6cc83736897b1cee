/**
 * The add-ons whose chart values an environment may override (`addons.overrides.<name>`), each with
 * its pinned chart. Keys are the names the add-ons stacks look overrides up by
 * (stacks/addons/*.ts); a test sets an override for every name and finds it in the rendered values
 * of a release of that chart, so the list cannot drift from what the stacks read.
 */
import { ARGO_CD_CHART } from "../addons/argo-cd/chart";
import { ARGO_ROLLOUTS_CHART } from "../addons/argo-rollouts/chart";
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from "../addons/aws-load-balancer-controller/chart";
import { CERT_MANAGER_CHART } from "../addons/cert-manager/chart";
import { CLUSTER_AUTOSCALER_CHART } from "../addons/cluster-autoscaler/chart";
import { EXTERNAL_DNS_CHART } from "../addons/external-dns/chart";
import { EXTERNAL_SECRETS_CHART } from "../addons/external-secrets/chart";
import { FLUENT_BIT_CHART } from "../addons/fluent-bit/chart";
import { GATEKEEPER_CHART } from "../addons/gatekeeper/chart";
import { istioGatewayChart } from "../addons/ingress-gateway/chart";
import { ISTIO_BASE_CHART, ISTIO_CNI_CHART, ISTIOD_CHART } from "../addons/istio/chart";
import { ISTIO_INITIAL_VERSION } from "../addons/istio/versions";
import { JAEGER_CHART } from "../addons/jaeger/chart";
import { KARPENTER_CHART } from "../addons/karpenter/chart";
import { KEYCLOAKX_CHART } from "../addons/keycloak/chart";
import { KIALI_CHART } from "../addons/kiali/chart";
import { KUBE_PROMETHEUS_STACK_CHART } from "../addons/kube-prometheus-stack/chart";
import { LOKI_CHART } from "../addons/loki/chart";
import { METRICS_SERVER_CHART } from "../addons/metrics-server/chart";
import { OPENTELEMETRY_COLLECTOR_CHART } from "../addons/opentelemetry-collector/chart";
import { RELOADER_CHART } from "../addons/reloader/chart";
import { VELERO_CHART } from "../addons/velero/chart";
import type { ChartPin } from "../modules/helm/helm-addon";

export const ADDON_CHARTS = {
  "argo-cd": ARGO_CD_CHART,
  "argo-rollouts": ARGO_ROLLOUTS_CHART,
  "aws-load-balancer-controller": AWS_LOAD_BALANCER_CONTROLLER_CHART,
  "cert-manager": CERT_MANAGER_CHART,
  "cluster-autoscaler": CLUSTER_AUTOSCALER_CHART,
  "external-dns": EXTERNAL_DNS_CHART,
  "external-secrets": EXTERNAL_SECRETS_CHART,
  "fluent-bit": FLUENT_BIT_CHART,
  gatekeeper: GATEKEEPER_CHART,
  // Istio: every revision of an environment takes the `istiod` overrides.
  "istio-base": ISTIO_BASE_CHART,
  "istio-cni": ISTIO_CNI_CHART,
  // The ingress gateway's chart follows the default revision's version; the override applies to any.
  "istio-gateway": istioGatewayChart(ISTIO_INITIAL_VERSION),
  istiod: ISTIOD_CHART,
  jaeger: JAEGER_CHART,
  karpenter: KARPENTER_CHART,
  keycloak: KEYCLOAKX_CHART,
  kiali: KIALI_CHART,
  "kube-prometheus-stack": KUBE_PROMETHEUS_STACK_CHART,
  loki: LOKI_CHART,
  "metrics-server": METRICS_SERVER_CHART,
  "opentelemetry-collector": OPENTELEMETRY_COLLECTOR_CHART,
  reloader: RELOADER_CHART,
  velero: VELERO_CHART,
} as const satisfies Readonly<Record<string, ChartPin>>;

/** Name of an add-on whose values may be overridden. */
export type AddonName = keyof typeof ADDON_CHARTS;

/** Every add-on name, sorted. */
export const ADDON_NAMES = Object.keys(ADDON_CHARTS).sort() as AddonName[];

/** Whether `name` is an add-on's name (own keys only: `constructor` is not an add-on). */
export function isAddonName(name: string): name is AddonName {
  return Object.hasOwn(ADDON_CHARTS, name);
}
