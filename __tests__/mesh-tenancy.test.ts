/**
 * The team side of the mesh (issue 15, item 2): opted-in team namespaces carry the istiod revision
 * label and a STRICT PeerAuthentication, get the network policies sidecars need, and the admission
 * policies admit the sidecar Istio injects; every other team namespace carries none of it.
 */
import { Release } from "@cdktf/provider-helm/lib/release";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { constraints } from "../addons/gatekeeper/constraints";
import { ISTIO_HUB, ISTIO_NAMESPACE, ISTIO_PROXY_IMAGE_REPOSITORY, MESH_REVISION_LABEL } from "../addons/istio/contract";
import { teamMeshRevision } from "../addons/istio/revisions";
import { namespaceRights } from "../environments/access";
import { loadAllocations } from "../environments/ip-allocations";
import { MESH_INJECTION_LABELS, teamMeshLabelProblems } from "../environments/checks/team-mesh";
import { PlatformEnvironment, validatePlatform } from "../environments/validate";
import type { KubernetesObject } from "../modules/helm/custom-resources";
import { ISTIOD_POD_LABELS, ISTIOD_SIDECAR_PORT, meshNetworkPolicies, SIDECAR_METRICS_PORT, strictPeerAuthentication } from "../modules/tenancy/mesh";
import { PLATFORM_NAMESPACES } from "../modules/tenancy/namespaces";
import { MeshMembership, NetworkPolicyPlan, networkPolicies, podSecurityLabels, TEAM_LABEL, teamNamespacePlans } from "../modules/tenancy/plan";
import { TeamNamespaces } from "../modules/tenancy/team-namespaces";
import { buildPlatform, PlatformStacks } from "../stacks/platform";
import {
  addTeamMeshAuthentication,
  MESH_PEERS,
  MESH_POLICY,
  meshedTeamNamespaces,
  meshMembership,
  TEAM_PEER_AUTHENTICATION_RELEASE,
  teamMeshMembership,
} from "../stacks/addons/team-mesh";
import { forceNewChanges, replacementOf } from "../scripts/diff/force-new";
import { environmentInputs, issuesAfter } from "./support/environments";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";

const REVISION = "1-30-3";
const TENANCY_ENV = {
  stage: "prod" as const,
  cluster: { kubernetesVersion: "1.33", tenancy: { quota: { pods: "50" }, limitRange: { default: { memory: "512Mi" } } } },
};

/** Whether a peer of a policy rule admits a pod of `namespace` with `labels` (the rule's own namespace is `self`). */
function peerAdmits(peer: NetworkPolicyPlan["ingress"][number]["peers"][number], from: { namespace: string; labels?: Record<string, string> }, self: string): boolean {
  if ("cidr" in peer) return false;
  if ("sameNamespace" in peer) return from.namespace === self;
  return peer.namespace === from.namespace && Object.entries(peer.podLabels ?? {}).every(([k, v]) => from.labels?.[k] === v);
}

/** Whether any policy of the set allows traffic with `peer` on `port` in `direction` (policies add up; default-deny allows nothing). */
function allows(policies: readonly NetworkPolicyPlan[], direction: "ingress" | "egress", peer: { namespace: string; labels?: Record<string, string> }, port: number, self = "team-ns"): boolean {
  return policies.some((p) =>
    p[direction].some((rule) => rule.peers.some((x) => peerAdmits(x, peer, self)) && (rule.ports === undefined || rule.ports.some((r) => r.protocol === "TCP" && r.port === port))),
  );
}

describe("mesh membership (pure)", () => {
  const base = networkPolicies(["10.0.0.0/24"]);
  const mesh = meshNetworkPolicies({ controlPlaneNamespace: "cp" });
  const istiod = { namespace: "cp", labels: { ...ISTIOD_POD_LABELS, [MESH_REVISION_LABEL]: REVISION } };

  it("lets sidecars reach istiod's pods on the xDS/CA port only, and nothing else of its namespace", () => {
    expect(allows(base, "egress", istiod, ISTIOD_SIDECAR_PORT)).toBe(false);
    expect(allows([...base, ...mesh], "egress", istiod, ISTIOD_SIDECAR_PORT)).toBe(true);
    // Another port of istiod (plaintext xDS, webhook, metrics), another pod of its namespace, or istiod elsewhere: denied.
    for (const port of [15010, 15017, 15014]) expect(allows([...base, ...mesh], "egress", istiod, port), String(port)).toBe(false);
    expect(allows([...base, ...mesh], "egress", { namespace: "cp", labels: { app: "kiali" } }, ISTIOD_SIDECAR_PORT)).toBe(false);
    expect(allows([...base, ...mesh], "egress", { namespace: "gw", labels: istiod.labels }, ISTIOD_SIDECAR_PORT)).toBe(false);
    // Every revision's istiod: while a namespace moves, pods not yet restarted keep their old istiod.
    expect(allows(mesh, "egress", { namespace: "cp", labels: { ...ISTIOD_POD_LABELS, [MESH_REVISION_LABEL]: "1-31-0" } }, ISTIOD_SIDECAR_PORT)).toBe(true);
  });

  it("adds nothing but the control-plane egress (the ingress gateway's namespace is the platform set's, meshed or not)", () => {
    expect(mesh.flatMap((p) => p.ingress)).toEqual([]);
    expect(mesh.flatMap((p) => p.egress).flatMap((r) => r.peers)).toEqual([{ namespace: "cp", podLabels: ISTIOD_POD_LABELS }]);
  });

  it("needs no rule for DNS or Prometheus' scrapes of the sidecar's merged metrics: the platform's set allows them", () => {
    expect(allows(base, "ingress", { namespace: "monitoring", labels: { app: "prometheus" } }, SIDECAR_METRICS_PORT)).toBe(true);
    expect(allows(base, "egress", { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }, 53)).toBe(true);
    expect(mesh.map((p) => p.name)).toEqual(["allow-mesh-control-plane"]);
    expect(mesh.map((p) => p.name).filter((n) => base.some((b) => b.name === n))).toEqual([]);
  });

  it("renders a namespace-wide STRICT PeerAuthentication of security.istio.io/v1", () => {
    expect(strictPeerAuthentication("payments")).toEqual({
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: { name: "default", namespace: "payments" },
      spec: { mtls: { mode: "STRICT" } },
    });
    // No selector: the whole namespace.
    expect(strictPeerAuthentication("x").spec).not.toHaveProperty("selector");
  });

  it("passes Istio's published schema (@kubernetes-models/istio), which refuses an unknown mode", () => {
    expect(() => new PeerAuthentication(strictPeerAuthentication("payments") as any).validate()).not.toThrow();
    expect(() => new PeerAuthentication({ ...strictPeerAuthentication("payments"), spec: { mtls: { mode: "STRICTER" } } } as any).validate()).toThrow(/mode/);
  });

  it("labels a meshed namespace with its revision, never istio-injection, and gives it the sidecars' policies", () => {
    const membership = meshMembership(REVISION);
    expect(membership.labels).toEqual({ [MESH_REVISION_LABEL]: REVISION });
    expect(membership.networkPolicies).toEqual(meshNetworkPolicies(MESH_PEERS));
    expect(MESH_PEERS).toEqual({ controlPlaneNamespace: ISTIO_NAMESPACE });
  });

  it("plans a team with a mesh input: its labels over the team's, the platform's over both, the policies added; without: neither", () => {
    const membership: MeshMembership = meshMembership(REVISION);
    const team = (mesh?: MeshMembership) => ({
      key: "search",
      rights: { search: "edit" as const },
      config: { labels: { [MESH_REVISION_LABEL]: "team-pick", tier: "gold", "pod-security.kubernetes.io/enforce": "privileged" } },
      mesh,
    });
    const [meshed] = teamNamespacePlans(TENANCY_ENV, [team(membership)], ["10.0.0.0/24"]);
    const [plain] = teamNamespacePlans(TENANCY_ENV, [team(undefined)], ["10.0.0.0/24"]);
    expect(meshed!.labels).toEqual({ tier: "gold", [MESH_REVISION_LABEL]: REVISION, [TEAM_LABEL]: "search", ...podSecurityLabels("prod", "1.33") });
    expect(meshed!.networkPolicies).toEqual([...networkPolicies(["10.0.0.0/24"]), ...membership.networkPolicies]);
    expect(meshed!.meshed).toBe(true);
    expect(plain!.labels[MESH_REVISION_LABEL]).toBe("team-pick");
    expect(plain!.networkPolicies).toEqual(networkPolicies(["10.0.0.0/24"]));
    expect(plain!.meshed).toBe(false);
    for (const plan of [meshed!, plain!]) expect(plan.labels).not.toHaveProperty("istio-injection");
  });

  it("keeps a namespace when its revision moves: the label is updated in place, the diff reports no replacement", () => {
    const body = (revision: string) => ({ metadata: { name: "search", labels: { [MESH_REVISION_LABEL]: revision, [TEAM_LABEL]: "search" } } });
    const changes = forceNewChanges("kubernetes_namespace_v1", body("1-30-3"), body("1-31-0"));
    expect(changes).toEqual([]);
    expect(replacementOf(changes)).toBeUndefined();
    // A real check: a renamed namespace is replaced.
    expect(replacementOf(forceNewChanges("kubernetes_namespace_v1", body("1-30-3"), { metadata: { ...body("1-30-3").metadata, name: "search2" } }))).toBe("certain");
  });
});

describe("team mesh membership from the environment config", () => {
  const env = (teams: Record<string, { mesh?: boolean }>) =>
    ({
      addons: { mesh: { revisions: ["1.30.3"] } },
      cluster: { access: { teams: Object.fromEntries(Object.entries(teams).map(([k, t]) => [k, { roleArn: "arn", namespaces: [`${k}-a`, `${k}-b`], ...t }])) } },
    }) as any;

  it("is the revision's membership for a team with mesh: true, nothing for mesh false, unset or an unknown team", () => {
    const e = env({ in: { mesh: true }, off: { mesh: false }, unset: {} });
    expect(teamMeshMembership(e, "in")).toEqual(meshMembership(teamMeshRevision(e, "in")!));
    for (const team of ["off", "unset", "nobody"]) expect(teamMeshMembership(e, team), team).toBeUndefined();
  });

  it("lists the namespaces of the opted-in teams, sorted", () => {
    expect(meshedTeamNamespaces(env({ zeta: { mesh: true }, off: {}, alpha: { mesh: true } }))).toEqual(["alpha-a", "alpha-b", "zeta-a", "zeta-b"]);
    expect(meshedTeamNamespaces(env({ off: {} }))).toEqual([]);
  });
});

describe("the mesh's labels in the team config", () => {
  /** Every problem validation reports after `labels` were set on the first team of every environment. */
  const problems = (labels: Record<string, string>) => {
    const paths: string[] = [];
    const found = issuesAfter((inputs) => {
      for (const [name, env] of Object.entries(inputs)) {
        const [first] = Object.keys(env.cluster.access.teams);
        env.cluster.access.teams[first!].labels = labels;
        paths.push(...Object.keys(labels).map((label) => `${name}.cluster.access.teams.${first}.labels.${label}`));
      }
    }).map((i) => i.path);
    return { found, paths };
  };

  it("are refused on a team (it joins with mesh: true), other labels are not", () => {
    for (const label of MESH_INJECTION_LABELS) {
      const { found, paths } = problems({ [label]: "enabled", tier: "gold" });
      expect(found, label).toEqual(paths.filter((p) => p.endsWith(label)));
    }
    expect(MESH_INJECTION_LABELS).toEqual([MESH_REVISION_LABEL, "istio-injection"]);
    expect(problems({ tier: "gold", "istio.io/other": "x" }).found).toEqual([]);
  });

  it("name the label and the way in", () => {
    const [issue] = teamMeshLabelProblems({ cluster: { access: { teams: { search: { labels: { "istio-injection": "enabled" } } } } } } as any);
    expect(issue).toEqual({
      path: "cluster.access.teams.search.labels.istio-injection",
      message: `is the platform's mesh label; a team joins the mesh with mesh: true (which sets ${MESH_REVISION_LABEL}, never istio-injection)`,
      received: "enabled",
    });
    expect(teamMeshLabelProblems({ cluster: { access: { teams: { search: {} } } } } as any)).toEqual([]);
  });
});

describe("the PeerAuthentication release", () => {
  const build = (teams: Record<string, { mesh?: boolean }>) => {
    const stack = new TerraformStack(Testing.app(), "mesh");
    const env = {
      addons: { mesh: { revisions: ["1.30.3"] } },
      cluster: { access: { teams: Object.fromEntries(Object.entries(teams).map(([k, t]) => [k, { roleArn: "arn", namespaces: [k], ...t }])) } },
    } as any;
    const input = Object.keys(teams).map((key) => ({ key, config: {}, rights: { [key]: "edit" as const } }));
    const namespaces = new TeamNamespaces(stack, "teams", { plans: teamNamespacePlans(TENANCY_ENV, input, []) });
    const base = new Release(stack, "istio-base", { name: "istio-base", chart: "base", namespace: ISTIO_NAMESPACE });
    const release = addTeamMeshAuthentication(stack, env, namespaces, [base]);
    return { release, json: JSON.parse(Testing.synth(stack)) as SynthesizedStack };
  };

  it("renders one STRICT PeerAuthentication per meshed namespace, after Istio's CRDs and those namespaces", () => {
    const { release, json } = build({ pay: { mesh: true }, search: {} });
    expect(release?.resources).toEqual([strictPeerAuthentication("pay")]);
    const config = Object.values(resources(json, "helm_release")).find((r) => r.name === TEAM_PEER_AUTHENTICATION_RELEASE)!;
    expect(config.namespace).toBe(ISTIO_NAMESPACE);
    expect((parse(config.values[0]) as { resources: KubernetesObject[] }).resources).toEqual([strictPeerAuthentication("pay")]);
    const namespaceAddress = Object.keys(resources(json, "kubernetes_namespace_v1")).find((k) => k.includes("pay"));
    expect(config.depends_on).toEqual(["helm_release.istio-base", `kubernetes_namespace_v1.${namespaceAddress}`]);
    expect(config.depends_on.some((d: string) => d.includes("search"))).toBe(false);
  });

  it("is not created when no team opts in", () => {
    const { release, json } = build({ search: {} });
    expect(release).toBeUndefined();
    expect(Object.values(resources(json, "helm_release")).map((r) => r.name)).toEqual(["istio-base"]);
  });
});

/** A container as the admission checks below read it. */
interface Container {
  readonly name: string;
  readonly image: string;
  readonly ports?: readonly { readonly containerPort: number; readonly hostPort?: number }[];
  readonly securityContext?: {
    readonly privileged?: boolean;
    readonly allowPrivilegeEscalation?: boolean;
    readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
    readonly runAsNonRoot?: boolean;
    readonly runAsUser?: number;
    readonly seccompProfile?: { readonly type: string };
  };
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
}

/** The istiod values the injected containers depend on. */
interface SidecarValues {
  readonly hub: string;
  readonly tag: string;
  readonly cni: boolean;
  readonly seccompProfile?: { readonly type: string };
  readonly resources?: Container["resources"];
}

/** Istio's values.yaml `global.proxy.resources` at the pinned commit. */
const CHART_PROXY_RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "2000m", memory: "1024Mi" } };

/**
 * The containers Istio 1.30.3 injects (istio/istio@56df41f63e513f834c9a3af33d8aed82d1d961f2,
 * manifests/charts/istio-control/istio-discovery/files/injection-template.yaml), for a pod without
 * sidecar annotations: the init container (`istio-validation` with the CNI node agent, else
 * `istio-init` with NET_ADMIN/NET_RAW as root) and `istio-proxy` (a native sidecar or not: the same
 * fields). Both run `.ProxyImage` = `<global.hub>/proxyv2:<global.tag>` and `global.proxy.resources`;
 * `seccompProfile` only when `global.proxy.seccompProfile` is set. Volumes are emptyDir, projected,
 * configMap and downwardAPI only.
 */
function injectedContainers(v: SidecarValues): Container[] {
  const image = `${v.hub}/proxyv2:${v.tag}`;
  const resources = v.resources ?? CHART_PROXY_RESOURCES;
  const seccomp = v.seccompProfile ? { seccompProfile: v.seccompProfile } : {};
  const unprivileged = { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, runAsUser: 1337, ...seccomp };
  const init = v.cni
    ? { name: "istio-validation", image, resources, securityContext: unprivileged }
    : {
        name: "istio-init",
        image,
        resources,
        securityContext: { allowPrivilegeEscalation: false, privileged: false, capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] }, runAsNonRoot: false, runAsUser: 0, ...seccomp },
      };
  return [init, { name: "istio-proxy", image, ports: [{ containerPort: 15090 }], resources, securityContext: unprivileged }];
}

/** The Pod Security Standard `restricted` for one container of a pod without pod-level security settings. */
function restrictedProblems(c: Container): string[] {
  const s = c.securityContext ?? {};
  return [
    s.privileged === true ? "privileged" : "",
    s.allowPrivilegeEscalation !== false ? "allowPrivilegeEscalation" : "",
    !(s.capabilities?.drop ?? []).includes("ALL") ? "drop ALL" : "",
    (s.capabilities?.add ?? []).some((a) => a !== "NET_BIND_SERVICE") ? "capabilities added" : "",
    s.runAsNonRoot !== true || s.runAsUser === 0 ? "runAsNonRoot" : "",
    !["RuntimeDefault", "Localhost"].includes(s.seccompProfile?.type ?? "") ? "seccompProfile" : "",
    (c.ports ?? []).some((p) => p.hostPort !== undefined) ? "hostPort" : "",
  ].filter((p) => p !== "");
}

/**
 * Each constraint kind's rule for the fields an injected container sets, restated from the
 * template's rego at the library commit (addons/gatekeeper/library.ts); kinds that read only
 * pod-level fields (host namespaces, host paths, the service account: the app's pod spec, which
 * injection does not change) check the container's host ports or nothing.
 */
const CONTAINER_RULES: Readonly<Record<string, (c: Container, p: any) => boolean>> = {
  K8sPSPPrivilegedContainer: (c) => c.securityContext?.privileged !== true,
  K8sPSPAllowPrivilegeEscalationContainer: (c) => c.securityContext?.allowPrivilegeEscalation === false,
  K8sPSPCapabilities: (c, p) =>
    p.requiredDropCapabilities.every((d: string) => (c.securityContext?.capabilities?.drop ?? []).includes(d)) &&
    (c.securityContext?.capabilities?.add ?? []).every((a) => p.allowedCapabilities.includes(a)),
  K8sPSPHostNamespace: () => true,
  K8sPSPHostNetworkingPorts: (c, p) => (c.ports ?? []).every((port) => port.hostPort === undefined || (port.hostPort >= p.min && port.hostPort <= p.max)),
  K8sPSPHostFilesystem: () => true,
  K8sPSPAllowedUsers: (c) => c.securityContext?.runAsNonRoot === true && c.securityContext.runAsUser !== 0,
  K8sPSPSeccomp: (c, p) => p.allowedProfiles.includes(c.securityContext?.seccompProfile?.type ?? "not configured"),
  K8sForbiddenServiceAccounts: () => true,
  K8sRequiredResources: (c, p) => p.requests.every((r: string) => c.resources?.requests?.[r]) && p.limits.every((r: string) => c.resources?.limits?.[r]),
  K8sAllowedRepos: (c, p) => p.repos.some((prefix: string) => c.image.startsWith(prefix)),
  K8sDisallowedTags: (c, p) => /:[^/]+$/.test(c.image) && !p.tags.some((t: string) => c.image.endsWith(`:${t}`)),
};

/** Whether a constraint applies to a pod in a namespace with `labels` (name exemptions and the label selector). */
function appliesTo(constraint: any, namespace: string, labels: Record<string, string>): boolean {
  const { excludedNamespaces, namespaceSelector } = constraint.spec.match;
  if (excludedNamespaces.includes(namespace)) return false;
  return (namespaceSelector?.matchExpressions ?? []).every((e: { key: string; operator: string }) => (e.operator === "Exists") === Object.hasOwn(labels, e.key));
}

/** The names of the constraints that reject one of `containers` in a namespace with `labels`. */
function rejections(all: readonly KubernetesObject[], containers: readonly Container[], labels: Record<string, string>): string[] {
  return all
    .filter((c) => appliesTo(c, "team-ns", labels))
    .filter((c: any) => containers.some((container) => !CONTAINER_RULES[c.kind]!(container, c.spec.parameters)))
    .map((c) => c.metadata.name);
}

describe("admission of the injected sidecar", () => {
  const registries = ["111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/"];
  const withMesh = constraints({ enforcement: "deny", allowedRegistries: registries, exemptNamespaces: PLATFORM_NAMESPACES, mesh: MESH_POLICY });
  const withoutMesh = constraints({ enforcement: "deny", allowedRegistries: registries, exemptNamespaces: PLATFORM_NAMESPACES });
  const meshed = { [MESH_REVISION_LABEL]: REVISION };
  const platformValues: SidecarValues = { hub: "docker.io/istio", tag: "1.30.3", cni: true, seccompProfile: { type: "RuntimeDefault" } };
  const app: Container = {
    name: "app",
    image: `${registries[0]}orders:1.0.0`,
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  };

  it("has a rule for every kind of constraint", () => {
    expect(Object.keys(CONTAINER_RULES).sort()).toEqual([...new Set(withMesh.map((c) => c.kind))].sort());
  });

  it("splits only the registry policy, by the revision label: proxy images in meshed namespaces, nowhere else", () => {
    const split = withMesh.filter((c: any) => c.spec.match.namespaceSelector);
    expect(split.map((c: any) => [c.metadata.name, c.spec.match.namespaceSelector])).toEqual([
      ["allowed-registries", { matchExpressions: [{ key: MESH_REVISION_LABEL, operator: "DoesNotExist" }] }],
      ["allowed-registries-mesh", { matchExpressions: [{ key: MESH_REVISION_LABEL, operator: "Exists" }] }],
    ]);
    expect((split[0] as any).spec.parameters.repos).toEqual(registries);
    expect((split[1] as any).spec.parameters.repos).toEqual([...registries, `${ISTIO_PROXY_IMAGE_REPOSITORY}:`]);
    // Without a mesh: one constraint per policy, none with a selector; the others identical either way.
    expect(withoutMesh.some((c: any) => c.spec.match.namespaceSelector)).toBe(false);
    expect(withMesh.filter((c: any) => !c.spec.match.namespaceSelector)).toEqual(withoutMesh.filter((c) => c.metadata.name !== "allowed-registries"));
    expect(new Set(withMesh.map((c) => c.metadata.name)).size).toBe(withMesh.length);
    // Every pod meets exactly one of the two registry constraints.
    for (const labels of [meshed, {}]) expect(withMesh.filter((c) => c.kind === "K8sAllowedRepos" && appliesTo(c, "team-ns", labels))).toHaveLength(1);
  });

  it("admits the app with its sidecar in a meshed namespace, and meets restricted Pod Security", () => {
    const pod = [app, ...injectedContainers(platformValues)];
    expect(rejections(withMesh, pod, meshed)).toEqual([]);
    for (const c of pod) expect(restrictedProblems(c), c.name).toEqual([]);
  });

  it("rejects the proxy image outside the mesh, another image of its registry, and a look-alike repository", () => {
    expect(rejections(withMesh, injectedContainers(platformValues), {})).toEqual(["allowed-registries"]);
    expect(rejections(withoutMesh, injectedContainers(platformValues), meshed)).toEqual(["allowed-registries"]);
    for (const image of ["docker.io/istio/pilot:1.30.3", "docker.io/istio/proxyv2-evil:1.30.3", "docker.io/library/nginx:1.29"]) {
      expect(rejections(withMesh, [{ ...app, image }], meshed), image).toEqual(["allowed-registries-mesh"]);
    }
  });

  it("would reject the sidecar without the CNI node agent, without a seccomp profile or without resources (the values istiod must keep)", () => {
    expect(rejections(withMesh, injectedContainers({ ...platformValues, cni: false }), meshed)).toEqual(["drop-all-capabilities", "run-as-non-root"]);
    expect(restrictedProblems(injectedContainers({ ...platformValues, cni: false })[0]!)).toEqual(["capabilities added", "runAsNonRoot"]);
    const noSeccomp = injectedContainers({ ...platformValues, seccompProfile: undefined });
    expect(rejections(withMesh, noSeccomp, meshed)).toEqual(["seccomp-runtime-default"]);
    expect(restrictedProblems(noSeccomp[1]!)).toEqual(["seccompProfile"]);
    expect(rejections(withMesh, injectedContainers({ ...platformValues, resources: { requests: { cpu: "100m" } } }), meshed)).toEqual(["require-requests-and-memory-limits"]);
    expect(rejections(withMesh, injectedContainers({ ...platformValues, tag: "latest" }), meshed)).toEqual(["no-latest-tag"]);
  });
});

/** The real environments, each with its first team opted in: the committed ones may have no meshed team. */
function meshedPlatform(): { envs: PlatformEnvironment[]; stacks: PlatformStacks } {
  const inputs = environmentInputs();
  for (const env of Object.values(inputs)) {
    const [first] = Object.keys(env.cluster.access.teams);
    if (first !== undefined) env.cluster.access.teams[first].mesh = true;
  }
  const envs = validatePlatform(Object.values(inputs), { allocations: loadAllocations() });
  return { envs, stacks: buildPlatform(Testing.app(), envs) };
}

const platforms = { committed: platform(), "first team of each environment opted in": meshedPlatform() };

it("the test platform has meshed and unmeshed team namespaces", () => {
  const { envs } = platforms["first team of each environment opted in"];
  const teams = envs.flatMap((env) => Object.keys(env.cluster.access.teams).map((team) => teamMeshRevision(env, team) !== undefined));
  expect(teams).toContain(true);
  expect(teams).toContain(false);
});

describe.each(Object.entries(platforms).flatMap(([label, p]) => p.envs.map((env) => [`${env.name} (${label})`, env, p.stacks] as const)))("the mesh in %s", (_, env, stacks) => {
  const json = synth(stacks.environments[env.name]!.addons);
  const namespaces = Object.values(resources(json, "kubernetes_namespace_v1")).filter((n) => n.metadata.labels?.[TEAM_LABEL]);
  /** The policies of a namespace: they name it by reference to its resource. */
  const policiesOf = (ns: string) => {
    const [key] = Object.entries(resources(json, "kubernetes_namespace_v1")).find(([, n]) => n.metadata.name === ns)!;
    return Object.values(resources(json, "kubernetes_network_policy_v1"))
      .filter((p) => p.metadata.namespace.includes(`kubernetes_namespace_v1.${key}.`))
      .map((p) => p.metadata.name as string);
  };
  const releases = Object.entries(resources(json, "helm_release")).map(([key, config]) => ({ address: `helm_release.${key}`, config }));
  const rendered = (name: string) => (parse(releases.find((r) => r.config.name === name)!.config.values[0]) as { resources: KubernetesObject[] }).resources;

  it("labels exactly the opted-in teams' namespaces with their revision (never istio-injection) and gives them the sidecars' policies", () => {
    for (const [team, config] of Object.entries(env.cluster.access.teams)) {
      const revision = teamMeshRevision(env, team);
      for (const ns of Object.keys(namespaceRights(config))) {
        const labels = namespaces.find((n) => n.metadata.name === ns)!.metadata.labels;
        expect(labels[MESH_REVISION_LABEL], ns).toBe(revision);
        expect(labels, ns).not.toHaveProperty("istio-injection");
        const meshPolicies = meshNetworkPolicies(MESH_PEERS).map((p) => p.name);
        expect(meshPolicies.filter((p) => policiesOf(ns).includes(p)), ns).toEqual(revision === undefined ? [] : meshPolicies);
      }
    }
    expect(namespaces.filter((n) => n.metadata.labels[MESH_REVISION_LABEL] !== undefined).map((n) => n.metadata.name).sort()).toEqual(meshedTeamNamespaces(env));
  });

  it("gives exactly the meshed namespaces a STRICT PeerAuthentication, after Istio's CRDs and those namespaces", () => {
    const release = releases.find((r) => r.config.name === TEAM_PEER_AUTHENTICATION_RELEASE);
    const meshed = meshedTeamNamespaces(env);
    expect(release === undefined ? [] : rendered(TEAM_PEER_AUTHENTICATION_RELEASE)).toEqual(meshed.map(strictPeerAuthentication));
    if (release === undefined) return;
    const base = releases.find((r) => r.config.chart === "base" && r.config.namespace === ISTIO_NAMESPACE)!;
    const namespaceAddresses = Object.entries(resources(json, "kubernetes_namespace_v1"))
      .filter(([, n]) => meshed.includes(n.metadata.name))
      .map(([key]) => `kubernetes_namespace_v1.${key}`);
    expect(release.config.depends_on).toEqual(expect.arrayContaining([base.address, ...namespaceAddresses]));
  });

  it("allows the proxy image in meshed namespaces only", () => {
    const registry = rendered("gatekeeper-constraints").filter((c) => c.kind === "K8sAllowedRepos") as any[];
    expect(registry.map((c) => c.metadata.name)).toEqual(["allowed-registries", "allowed-registries-mesh"]);
    expect(registry[1].spec.parameters.repos).toEqual([...registry[0].spec.parameters.repos, `${ISTIO_PROXY_IMAGE_REPOSITORY}:`]);
  });

  it("injects, from every istiod revision's values, a sidecar the admission policies and the namespaces' Pod Security level admit", () => {
    const all = rendered("gatekeeper-constraints");
    for (const { config } of releases.filter((r) => r.config.chart === "istiod")) {
      const values = parse(config.values[0]) as any;
      // The hub is set, not left to the published chart's default: the registry policy names it.
      expect(values.global.hub, config.name).toBe(ISTIO_HUB);
      const containers = injectedContainers({
        hub: values.global.hub,
        tag: values.global?.tag ?? config.version,
        cni: values.cni?.enabled === true,
        seccompProfile: values.global?.proxy?.seccompProfile,
        resources: values.global?.proxy?.resources,
      });
      expect(rejections(all, containers, { [MESH_REVISION_LABEL]: values.revision }), config.name).toEqual([]);
      for (const c of containers) expect(restrictedProblems(c), `${config.name} ${c.name}`).toEqual([]);
    }
  });
});
