/**
 * The custom resource kinds each pinned chart installs CRDs for (its `crds/` folder or CRD
 * templates), read from the chart source at the commit its pin names. A custom resource of one of
 * these kinds cannot be a `kubernetes_manifest` in the stack that installs the chart: Terraform
 * needs the CRD when it plans, before the release exists. Render it through `CustomResources`.
 *
 * A chart bump re-reads its list: the tests compare `version` with the chart pins. Pure: no cdktf.
 */

/** The kinds of one API group, as the CRDs' `spec.group` and `spec.names.kind` spell them. */
export interface CrdGroup {
  readonly group: string;
  readonly kinds: readonly string[];
}

/** What one chart version installs. */
export interface ChartCrds {
  /** The chart version the list was read from. */
  readonly version: string;
  /**
   * Further versions of the chart installed next to `version` whose list was read too and is the
   * same (an istiod revision kept while the next one is canaried: docs/gitops-and-mesh.md).
   * @default []
   */
  readonly alsoVersions?: readonly string[];
  /** Where: repository, commit and path of the CRD files. */
  readonly source: string;
  /** Empty when the chart installs no CRD. */
  readonly crds: readonly CrdGroup[];
}

/** By chart name (`ChartPin.chart`). */
export const CHART_CRDS: Readonly<Record<string, ChartCrds>> = {
  "argo-cd": {
    version: "10.1.1",
    source: "argoproj/argo-helm@af0a9310bacbaa4636018dfe22c801a6d33a5c43:charts/argo-cd/templates/crds/crd-{application,applicationset,appproject}.yaml (crds.install)",
    crds: [{ group: "argoproj.io", kinds: ["AppProject", "Application", "ApplicationSet"] }],
  },
  "argo-rollouts": {
    version: "2.41.0",
    source: "argoproj/argo-helm@af0a9310bacbaa4636018dfe22c801a6d33a5c43:charts/argo-rollouts/templates/crds/ (installCRDs)",
    crds: [{ group: "argoproj.io", kinds: ["AnalysisRun", "AnalysisTemplate", "ClusterAnalysisTemplate", "Experiment", "Rollout"] }],
  },
  "aws-load-balancer-controller": {
    version: "3.5.0",
    source: "aws/eks-charts@5239609242f3430be50fb0b714a24d3ef2b47983:stable/aws-load-balancer-controller/crds/{crds,gateway-crds}.yaml",
    crds: [
      { group: "elbv2.k8s.aws", kinds: ["ALBTargetControlConfig", "IngressClassParams", "TargetGroupBinding"] },
      { group: "aga.k8s.aws", kinds: ["GlobalAccelerator"] },
      { group: "gateway.k8s.aws", kinds: ["ListenerRuleConfiguration", "LoadBalancerConfiguration", "TargetGroupConfiguration"] },
    ],
  },
  "cert-manager": {
    version: "v1.21.1",
    source: "cert-manager/cert-manager@24e33194fb39488eff2bbf10c6dc640f407cad44:deploy/charts/cert-manager/templates/crd-*.yaml (installed with crds.enabled)",
    crds: [
      { group: "cert-manager.io", kinds: ["Certificate", "CertificateRequest", "ClusterIssuer", "Issuer"] },
      { group: "acme.cert-manager.io", kinds: ["Challenge", "Order"] },
    ],
  },
  "cluster-autoscaler": {
    version: "9.59.0",
    source: "kubernetes/autoscaler@55c37cd5eb550756c5ccc5a89e9068d77797e575:cluster-autoscaler/charts/cluster-autoscaler (no crds/, no CRD template)",
    crds: [],
  },
  "external-dns": {
    version: "1.21.1",
    source: "kubernetes-sigs/external-dns@2bf1bf8af2b70f23579f9147c1f7e9394f7f83d5:charts/external-dns/crds/",
    crds: [{ group: "externaldns.k8s.io", kinds: ["DNSEndpoint", "DNSRecord"] }],
  },
  "external-secrets": {
    version: "2.9.0",
    source:
      "external-secrets/external-secrets@cc5bfbc2234ace9cb0caff4ea89c435cf517b27b:config/crds/bases/ (packaged into deploy/charts/external-secrets/templates/crds, installed with installCRDs)",
    crds: [
      {
        group: "external-secrets.io",
        kinds: ["ClusterExternalSecret", "ClusterPushSecret", "ClusterSecretStore", "ExternalSecret", "PushSecret", "SecretStore"],
      },
      {
        group: "generators.external-secrets.io",
        kinds: [
          "ACRAccessToken", "BeyondtrustWorkloadCredentialsDynamicSecret", "CloudsmithAccessToken", "ClusterGenerator",
          "ECRAuthorizationToken", "Fake", "GCRAccessToken", "GeneratorState", "GithubAccessToken", "GitlabDeployToken",
          "Grafana", "MFA", "Password", "QuayAccessToken", "SSHKey", "STSSessionToken", "UUID", "VaultDynamicSecret", "Webhook",
        ],
      },
    ],
  },
  "fluent-bit": {
    version: "0.58.1",
    source: "fluent/helm-charts@5b81bf7a5a5d9f7c3513810efdef47cdb4e28239:charts/fluent-bit (no crds/, no CRD template)",
    crds: [],
  },
  // Istio's ingress gateway chart at the commit of the Istio version (addons/ingress-gateway/chart.ts).
  gateway: {
    version: "1.30.3",
    source: "istio/istio@56df41f63e513f834c9a3af33d8aed82d1d961f2:manifests/charts/gateway (no crds/, no CRD template)",
    crds: [],
  },
  // Installed through the repository's charts/gateway-api-crds wrapper (addons/ingress-gateway), not
  // a release of its own: listed for the kinds a kubernetes_manifest of the add-ons stack cannot use.
  "gateway-crds-helm": {
    version: "v1.8.3",
    source:
      "envoyproxy/gateway@94850d4323922cba7c67b5b5ad23de9c715f8048:charts/gateway-crds-helm/templates/standard-gatewayapi-crds.yaml (Gateway API v1.5.1 standard channel, with crds.gatewayAPI.enabled and channel standard)",
    crds: [
      {
        group: "gateway.networking.k8s.io",
        kinds: ["BackendTLSPolicy", "GRPCRoute", "Gateway", "GatewayClass", "HTTPRoute", "ListenerSet", "ReferenceGrant", "TLSRoute"],
      },
    ],
  },
  gatekeeper: {
    version: "3.23.0",
    source: "open-policy-agent/gatekeeper@cdf332c3f2762c616d4b6f433712a8d7ed62b3d8:charts/gatekeeper/crds/",
    crds: [
      { group: "config.gatekeeper.sh", kinds: ["Config"] },
      { group: "connection.gatekeeper.sh", kinds: ["Connection"] },
      { group: "expansion.gatekeeper.sh", kinds: ["ExpansionTemplate"] },
      { group: "externaldata.gatekeeper.sh", kinds: ["Provider"] },
      { group: "mutations.gatekeeper.sh", kinds: ["Assign", "AssignImage", "AssignMetadata", "ModifySet"] },
      {
        group: "status.gatekeeper.sh",
        kinds: [
          "ConfigPodStatus", "ConnectionPodStatus", "ConstraintPodStatus", "ConstraintTemplatePodStatus",
          "ExpansionTemplatePodStatus", "MutatorPodStatus", "ProviderPodStatus",
        ],
      },
      { group: "syncset.gatekeeper.sh", kinds: ["SyncSet"] },
      { group: "templates.gatekeeper.sh", kinds: ["ConstraintTemplate"] },
    ],
  },
  jaeger: {
    version: "4.11.1",
    source: "jaegertracing/helm-charts@6c602b54a1800ff35ea055d16789a9522166e0a6:charts/jaeger (no crds/, no CRD template; dependency `common` is a library chart)",
    crds: [],
  },
  // The controller chart carries the same CRDs (charts/karpenter/crds/ links to the karpenter-crd
  // templates); the platform installs them through karpenter-crd and the controller release after it.
  karpenter: {
    version: "1.14.1",
    source: "aws/karpenter-provider-aws@1d927085dd81a9df9301e613f371dac5b4d16bfe:charts/karpenter/crds/",
    crds: [
      { group: "karpenter.sh", kinds: ["NodeClaim", "NodeOverlay", "NodePool"] },
      { group: "karpenter.k8s.aws", kinds: ["EC2NodeClass"] },
      { group: "autoscaling.x-k8s.io", kinds: ["CapacityBuffer"] },
    ],
  },
  "karpenter-crd": {
    version: "1.14.1",
    source: "aws/karpenter-provider-aws@1d927085dd81a9df9301e613f371dac5b4d16bfe:charts/karpenter-crd/templates/",
    crds: [
      { group: "karpenter.sh", kinds: ["NodeClaim", "NodeOverlay", "NodePool"] },
      { group: "karpenter.k8s.aws", kinds: ["EC2NodeClass"] },
      { group: "autoscaling.x-k8s.io", kinds: ["CapacityBuffer"] },
    ],
  },
  // Istio's charts, all three at the commit of the Istio version (addons/istio/versions.ts).
  base: {
    version: "1.30.3",
    source: "istio/istio@56df41f63e513f834c9a3af33d8aed82d1d961f2:manifests/charts/base/files/crd-all.gen.yaml (templates/crds.yaml with base.enableCRDTemplates)",
    crds: [
      { group: "extensions.istio.io", kinds: ["TrafficExtension", "WasmPlugin"] },
      {
        group: "networking.istio.io",
        kinds: ["DestinationRule", "EnvoyFilter", "Gateway", "ProxyConfig", "ServiceEntry", "Sidecar", "VirtualService", "WorkloadEntry", "WorkloadGroup"],
      },
      { group: "security.istio.io", kinds: ["AuthorizationPolicy", "PeerAuthentication", "RequestAuthentication"] },
      { group: "telemetry.istio.io", kinds: ["Telemetry"] },
    ],
  },
  cni: {
    version: "1.30.3",
    source: "istio/istio@56df41f63e513f834c9a3af33d8aed82d1d961f2:manifests/charts/istio-cni (no crds/, no CRD template)",
    crds: [],
  },
  istiod: {
    version: "1.30.3",
    source: "istio/istio@56df41f63e513f834c9a3af33d8aed82d1d961f2:manifests/charts/istio-control/istio-discovery (no crds/, no CRD template)",
    crds: [],
  },
  "kiali-server": {
    version: "2.29.0",
    source: "kiali/helm-charts@03256abf169b29bacfd4faeb71a2dd3a06ce13c2:kiali-server (no crds/, no CRD template)",
    crds: [],
  },
  keycloakx: {
    version: "7.1.11",
    source: "codecentric/helm-charts@57c2f8e06c91fc85d9a661468e0587bf8abdb94f:charts/keycloakx (no crds/, no CRD template)",
    crds: [],
  },
  "kube-prometheus-stack": {
    version: "88.5.3",
    source: "prometheus-community/helm-charts@cf408a290aec489277a94450bb3511432477a53a:charts/kube-prometheus-stack/charts/crds/crds/ (installed with crds.enabled)",
    crds: [
      {
        group: "monitoring.coreos.com",
        kinds: [
          "Alertmanager", "AlertmanagerConfig", "PodMonitor", "Probe", "Prometheus", "PrometheusAgent", "PrometheusRule",
          "ScrapeConfig", "ServiceMonitor", "ThanosRuler",
        ],
      },
    ],
  },
  // Dependencies minio and rollout-operator are off (conditions minio.enabled, rollout_operator.enabled);
  // the ServiceMonitor templates render only with monitoring.serviceMonitor.enabled (off).
  loki: {
    version: "18.11.0",
    source: "grafana-community/helm-charts@3386a1156177c6bcd7fdb1ad4c6b1dda094296e0:charts/loki (no crds/, no CRD template)",
    crds: [],
  },
  "metrics-server": {
    version: "3.13.1",
    source: "kubernetes-sigs/metrics-server@5ed5d3a2cf940a8c7541cfbac19af822f4c97844:charts/metrics-server (no crds/, no CRD template)",
    crds: [],
  },
  "opentelemetry-collector": {
    version: "0.170.0",
    source: "open-telemetry/opentelemetry-helm-charts@dd5665c06f376c00a5e2147aa84b70c3d105ecfb:charts/opentelemetry-collector (no crds/, no CRD template)",
    crds: [],
  },
  reloader: {
    version: "2.2.16",
    source: "stakater/Reloader@655a2b3814baadb69d3d1e105242d6cc8875d7cb:deployments/kubernetes/chart/reloader (no crds/, no CRD template)",
    crds: [],
  },
  velero: {
    version: "12.1.0",
    source: "vmware-tanzu/helm-charts@73466ca986bbfe34dbd5c30bbf7d62d545d634a2:charts/velero/crds/",
    crds: [
      {
        group: "velero.io",
        kinds: [
          "Backup", "BackupRepository", "BackupStorageLocation", "DataDownload", "DataUpload", "DeleteBackupRequest",
          "DownloadRequest", "PodVolumeBackup", "PodVolumeRestore", "Restore", "Schedule", "ServerStatusRequest",
          "VolumeSnapshotLocation",
        ],
      },
    ],
  },
};

/**
 * Whether a `helm_release` installs a chart kept in this repository (`CustomResources`): no
 * repository, and the chart as cdktf copied it into the stack's folder, `./assets/<id>/<hash>`.
 */
export function isRepositoryChart(release: { readonly repository?: unknown; readonly chart?: unknown }): boolean {
  return release.repository === undefined && /^\.\/assets\/[^/]+\/[0-9A-F]+$/.test(String(release.chart ?? ""));
}

/**
 * Charts of this repository that only wrap a pinned upstream chart as their dependency, by the
 * folder cdktf copies them to (`./assets/<folder>/<hash>`), with the upstream chart whose CRDs they
 * install: `charts/gateway-api-crds` (addons/ingress-gateway) renders `gateway-crds-helm`.
 */
export const WRAPPED_CHARTS: Readonly<Record<string, string>> = { "gateway-api-crds-chart": "gateway-crds-helm" };

/** The upstream chart a repository chart release wraps ({@link WRAPPED_CHARTS}), if it is such a wrapper. */
export function wrappedChartOf(release: { readonly repository?: unknown; readonly chart?: unknown }): string | undefined {
  if (!isRepositoryChart(release)) return undefined;
  const folder = String(release.chart).split("/")[2]!;
  return Object.hasOwn(WRAPPED_CHARTS, folder) ? WRAPPED_CHARTS[folder] : undefined;
}

/** `group/Kind` (core kinds: `Kind`), the key the checks compare. */
export function groupKind(apiVersion: string, kind: string): string {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0 ? kind : `${apiVersion.slice(0, slash)}/${kind}`;
}

/** The `group/Kind`s whose CRDs a chart installs; throws when the chart has no entry (declare it). */
export function crdKindsOf(chart: string): readonly string[] {
  const entry = CHART_CRDS[chart];
  if (entry === undefined) {
    throw new Error(`chart "${chart}" has no entry in CHART_CRDS (modules/helm/chart-crds.ts): list the kinds its CRDs define`);
  }
  return entry.crds.flatMap((g) => g.kinds.map((kind) => `${g.group}/${kind}`));
}

/** A synthesized stack, as far as the check reads it. */
export interface StackResources {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, any>>>>>;
}

/**
 * The `kubernetes_manifest`s of a stack whose kind's CRD a `helm_release` of the same stack installs,
 * as `<address>: <group/Kind> (CRD from <release address>)`. Terraform cannot plan them until that
 * release exists (the first apply needs `-target`). Releases of a chart kept in the repository
 * ({@link isRepositoryChart}) install no CRD, except wrappers of an upstream chart ({@link wrappedChartOf}).
 *
 * @throws Error when a release's chart has no {@link CHART_CRDS} entry
 */
export function manifestsNeedingCrdsOfTheirStack(stack: StackResources): string[] {
  const crdOwner = new Map<string, string>();
  for (const [name, release] of Object.entries(stack.resource?.["helm_release"] ?? {})) {
    const chart = isRepositoryChart(release) ? wrappedChartOf(release) : String(release["chart"]);
    if (chart === undefined) continue;
    for (const kind of crdKindsOf(chart)) crdOwner.set(kind, `helm_release.${name}`);
  }
  return Object.entries(stack.resource?.["kubernetes_manifest"] ?? {}).flatMap(([name, resource]) => {
    const manifest = resource["manifest"] ?? {};
    const kind = groupKind(String(manifest.apiVersion ?? ""), String(manifest.kind ?? ""));
    const owner = crdOwner.get(kind);
    return owner === undefined ? [] : [`kubernetes_manifest.${name}: ${kind} (CRD from ${owner})`];
  });
}
