import { describe, expect, it } from "vitest";
import { ISTIO_INGRESS_NAMESPACE } from "../addons/istio/contract";
import { ingressGatewayNamespacesOf } from "../stacks/addons/gateway";
import { namespaceRights } from "../environments/access";
import { environments } from "../environments";
import { isPlatformNamespace, PLATFORM_NAMESPACES } from "../modules/tenancy/namespaces";
import { mergeLimitRange, networkPolicies, podSecurityLabels, POD_IDENTITY_AGENT, TEAM_LABEL, teamNamespacePlans } from "../modules/tenancy/plan";
import { peerBlock } from "../modules/tenancy/team-namespaces";
import { NETWORK_POLICY_AGENT, vpcCniConfigurationValues } from "../modules/eks/data/vpc-cni-config";
import { issuesAfter } from "./support/environments";
import { platform, resources, synth } from "./support/platform";

/** The Helm releases of a synthesized stack: address and configuration. */
const releasesOf = (json: any) => Object.entries(resources(json, "helm_release")).map(([name, config]) => ({ address: `helm_release.${name}`, config }));

const TENANCY = {
  quota: { "requests.cpu": "4", pods: "50" },
  limitRange: { defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } },
};

describe("team namespace plan (pure)", () => {
  it("enforces restricted in prod, baseline elsewhere, and warns and audits at restricted everywhere, pinned to the cluster version", () => {
    for (const stage of ["prod", "nonprod"] as const) {
      const labels = podSecurityLabels(stage, "1.33");
      expect(labels["pod-security.kubernetes.io/enforce"]).toBe(stage === "prod" ? "restricted" : "baseline");
      expect(labels["pod-security.kubernetes.io/warn"]).toBe("restricted");
      expect(labels["pod-security.kubernetes.io/audit"]).toBe("restricted");
      expect(Object.entries(labels).filter(([k]) => k.endsWith("-version")).map(([, v]) => v)).toEqual(["v1.33", "v1.33", "v1.33"]);
    }
  });

  it("merges the team's quota and limit range over the environment's, and keeps the platform's labels over the team's", () => {
    const env = { stage: "prod" as const, cluster: { kubernetesVersion: "1.33", tenancy: TENANCY } };
    const [plan] = teamNamespacePlans(
      env,
      [
        {
          key: "search",
          rights: { search: "view" },
          config: {
            quota: { pods: "200" },
            limitRange: { default: { memory: "1Gi" } },
            labels: { "pod-security.kubernetes.io/enforce": "privileged", tier: "gold", [TEAM_LABEL]: "other" },
          },
        },
      ],
      ["10.0.0.0/24"],
    );
    expect(plan!.quota).toEqual({ "requests.cpu": "4", pods: "200" });
    expect(plan!.limitRange).toEqual({ defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "1Gi" } });
    expect(plan!.labels).toMatchObject({ tier: "gold", [TEAM_LABEL]: "search", "pod-security.kubernetes.io/enforce": "restricted" });
    expect(plan!.groups).toEqual(["oidc:team-search"]);
    expect(plan!.right).toBe("view");
  });

  it("merges a limit range without a base section", () => {
    expect(mergeLimitRange({}, { max: { cpu: "2" } })).toEqual({ max: { cpu: "2" } });
    expect(mergeLimitRange(TENANCY.limitRange, undefined)).toEqual(TENANCY.limitRange);
  });

  it("denies everything, then allows DNS to CoreDNS, the namespace itself, monitoring, the load balancers' subnets and the Pod Identity agent", () => {
    const policies = networkPolicies(["10.0.0.0/24", "10.0.1.0/24"]);
    const byName = Object.fromEntries(policies.map((p) => [p.name, p]));
    expect(byName["default-deny"]).toEqual({ name: "default-deny", policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] });
    expect(byName["allow-dns"]!.egress[0]).toEqual({
      peers: [{ namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } }],
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    });
    expect(byName["allow-same-namespace"]!.ingress[0]!.peers).toEqual([{ sameNamespace: true }]);
    expect(byName["allow-monitoring"]!.ingress[0]!.peers).toEqual([{ namespace: "monitoring" }]);
    expect(byName["allow-load-balancers"]!.ingress[0]!.peers).toEqual([{ cidr: "10.0.0.0/24" }, { cidr: "10.0.1.0/24" }]);
    expect(byName["allow-pod-identity-agent"]!.egress[0]).toEqual({ peers: [{ cidr: POD_IDENTITY_AGENT.cidr }], ports: [{ protocol: "TCP", port: 80 }] });
    // Only the default-deny policy is without rules; every other one allows something.
    expect(policies.filter((p) => p.ingress.length + p.egress.length === 0).map((p) => p.name)).toEqual(["default-deny"]);
  });

  it("admits the ingress gateways' namespaces on any port only when there are some", () => {
    const without = networkPolicies(["10.0.0.0/24"]);
    const withGateways = networkPolicies(["10.0.0.0/24"], ["istio-ingress", "edge"]);
    expect(without.map((p) => p.name)).not.toContain("allow-ingress-gateways");
    expect(withGateways.filter((p) => !without.some((w) => w.name === p.name))).toEqual([
      { name: "allow-ingress-gateways", policyTypes: ["Ingress"], ingress: [{ peers: [{ namespace: "istio-ingress" }, { namespace: "edge" }] }], egress: [] },
    ]);
    expect(networkPolicies(["10.0.0.0/24"], [])).toEqual(without);
  });

  it("names the ingress gateway's namespace only for an environment with an ingress gateway (addons.dns)", () => {
    const env = platform().envs[0]!;
    expect(ingressGatewayNamespacesOf({ addons: { ...env.addons, dns: { hostedZoneId: "Z1", domain: "example.com" } } })).toEqual([ISTIO_INGRESS_NAMESPACE]);
    expect(ingressGatewayNamespacesOf({ addons: { ...env.addons, dns: undefined } })).toEqual([]);
  });

  it("renders peers in the provider's block shape", () => {
    expect(peerBlock({ cidr: "10.0.0.0/24" })).toEqual({ ipBlock: { cidr: "10.0.0.0/24" } });
    expect(peerBlock({ sameNamespace: true })).toEqual({ podSelector: {} });
    expect(peerBlock({ namespace: "monitoring" })).toEqual({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } });
  });
});

describe("the VPC CNI network policy agent", () => {
  it.each(["secondary-ip", "prefix-delegation"] as const)("is on in %s mode (the policies are enforced only with it)", (mode) => {
    expect(vpcCniConfigurationValues({ mode, region: "ap-northeast-2" })).toMatchObject(NETWORK_POLICY_AGENT);
  });

  it("is on in every environment's cluster", () => {
    for (const stacks of Object.values(platform().stacks.environments)) {
      const addon = Object.values(resources(synth(stacks.cluster), "aws_eks_addon")).find((a) => a.addon_name === "vpc-cni");
      expect(JSON.parse(addon!.configuration_values)).toMatchObject({ enableNetworkPolicy: "true" });
    }
  });
});

describe.each(platform().envs.map((e) => [e.name, e] as const))("team namespaces of %s", (name, env) => {
  const json = synth(platform().stacks.environments[name]!.addons);
  const byNamespace = (type: string) => {
    const out = new Map<string, any[]>();
    for (const r of Object.values(resources(json, type))) {
      const ns = String(r.metadata.namespace ?? r.metadata.name);
      const owner = Object.entries(resources(json, "kubernetes_namespace_v1")).find(([key, n]) => ns.includes(`kubernetes_namespace_v1.${key}.`) || n.metadata.name === ns)?.[1].metadata.name;
      out.set(owner, [...(out.get(owner) ?? []), r]);
    }
    return out;
  };
  const teamNamespaces = Object.values(env.cluster.access.teams).flatMap((t) => Object.entries(namespaceRights(t)));

  it("gives each team namespace PSA labels, quota, limit range, default-deny policy, a non-automounting default service account and its RBAC", () => {
    const namespaces = Object.values(resources(json, "kubernetes_namespace_v1")).filter((n) => n.metadata.labels?.[TEAM_LABEL]);
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(teamNamespaces.map(([ns]) => ns).sort());
    const quotas = byNamespace("kubernetes_resource_quota_v1");
    const limits = byNamespace("kubernetes_limit_range_v1");
    const policies = byNamespace("kubernetes_network_policy_v1");
    const accounts = byNamespace("kubernetes_default_service_account_v1");
    const bindings = byNamespace("kubernetes_role_binding_v1");
    for (const [ns, right] of teamNamespaces) {
      const labels = namespaces.find((n) => n.metadata.name === ns)!.metadata.labels;
      expect(labels["pod-security.kubernetes.io/enforce"], ns).toBe(env.stage === "prod" ? "restricted" : "baseline");
      expect(quotas.get(ns)?.[0].spec.hard, ns).toEqual(expect.objectContaining(env.cluster.tenancy.quota));
      expect(limits.get(ns)?.[0].spec.limit[0].type, ns).toBe("Container");
      const deny = policies.get(ns)?.find((p) => p.metadata.name === "default-deny");
      expect(deny?.spec, ns).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"], ingress: [], egress: [] });
      expect(accounts.get(ns)?.[0].automount_service_account_token, ns).toBe(false);
      const [binding] = bindings.get(ns) ?? [];
      expect(binding.role_ref, ns).toEqual({ api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: right });
      expect(binding.subject.every((s: any) => s.kind === "Group" && s.name.startsWith("oidc:")), ns).toBe(true);
    }
  });

  it("admits the ingress gateway's namespace into every team namespace exactly when the environment has an ingress gateway", () => {
    const gateway = releasesOf(json).find((r) => r.config.namespace === ISTIO_INGRESS_NAMESPACE && r.config.chart === "gateway");
    const policies = byNamespace("kubernetes_network_policy_v1");
    for (const [ns] of teamNamespaces) {
      const admit = policies.get(ns)?.find((p) => p.metadata.name === "allow-ingress-gateways");
      if (gateway) expect(admit?.spec.ingress, ns).toEqual([{ from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": ISTIO_INGRESS_NAMESPACE } } }] }]);
      else expect(admit, ns).toBeUndefined();
    }
  });

  it("creates no cluster-wide binding", () => {
    expect(resources(json, "kubernetes_cluster_role_binding_v1")).toEqual({});
  });

  it("creates the namespaces after Gatekeeper's constraints", () => {
    const constraints = releasesOf(json).find((r) => r.config.name === "gatekeeper-constraints")!;
    for (const n of Object.values(resources(json, "kubernetes_namespace_v1")).filter((x) => x.metadata.labels?.[TEAM_LABEL])) {
      expect(n.depends_on).toContain(constraints.address);
    }
  });
});

describe("platform namespaces", () => {
  it("list every namespace a release of any environment installs into", () => {
    for (const stacks of Object.values(platform().stacks.environments)) {
      for (const r of releasesOf(synth(stacks.addons))) expect(isPlatformNamespace(r.config.namespace), `${r.config.name} in ${r.config.namespace}`).toBe(true);
    }
    expect([...PLATFORM_NAMESPACES]).toEqual([...PLATFORM_NAMESPACES].sort());
  });
});

describe("team validation", () => {
  const problems = (mutate: (envs: Record<string, any>) => void) => issuesAfter(mutate).map((i) => `${i.path}: ${i.message}`);
  const name = environments[0]!.name;

  it("accepts the real environments", () => {
    expect(problems(() => undefined)).toEqual([]);
  });

  it("lists an unknown right and a quota that does not parse in one environment, and a namespace clash in another, in one error", () => {
    const [first, second] = platform().envs.map((e) => e.name);
    const found = problems((envs) => {
      envs[first!].cluster.access.teams = {
        b: { roleArn: "arn:aws:iam::111122223333:role/team-b", namespaces: { own: "owner" } },
        c: { roleArn: "arn:aws:iam::111122223333:role/team-c", namespaces: ["c"], quota: { "requests.cpu": "two" } },
      };
      envs[second!].cluster.access.teams = {
        a: { roleArn: "arn:aws:iam::111122223333:role/team-a", namespaces: ["shared"] },
        d: { roleArn: "arn:aws:iam::111122223333:role/team-d", namespaces: ["shared", "kube-system"] },
      };
    });
    expect(found).toEqual([
      `${first}.cluster.access.teams.b.namespaces: must be a list of namespace names, or a map of namespace name to a right (admin, edit, view)`,
      `${first}.cluster.access.teams.c.quota.requests.cpu: must be a Kubernetes quantity such as "500m", "2", "4Gi"`,
      `${second}.cluster.access.teams.d.namespaces: shared already belongs to team a; a namespace has one team`,
      `${second}.cluster.access.teams.d.namespaces: kube-system is a platform namespace (${PLATFORM_NAMESPACES.join(", ")}); choose another name`,
    ]);
  });

  it("reports clashes of teams whose schema parsed", () => {
    const found = problems((envs) => {
      envs[name].cluster.access.teams = {
        a: { roleArn: "arn:aws:iam::111122223333:role/team-a", namespaces: ["shared", "monitoring"] },
        b: { roleArn: "arn:aws:iam::111122223333:role/team-b", namespaces: ["shared"] },
      };
    });
    expect(found).toEqual([
      `${name}.cluster.access.teams.a.namespaces: monitoring is a platform namespace (${PLATFORM_NAMESPACES.join(", ")}); choose another name`,
      `${name}.cluster.access.teams.b.namespaces: shared already belongs to team a; a namespace has one team`,
    ]);
  });

  it.each([
    ["500m", true],
    ["2", true],
    ["1.5Gi", true],
    ["1e3", true],
    ["128974848", true],
    ["-1", false],
    ["two", false],
    ["1GB", false],
    ["", false],
  ])("quota %j parses: %s", (quantity, ok) => {
    const found = problems((envs) => {
      const [key] = Object.keys(envs[name].cluster.access.teams);
      envs[name].cluster.access.teams[key!].quota = { pods: quantity };
    });
    expect(found.length === 0).toBe(ok);
  });

  it("refuses a prod environment that only warns", () => {
    const prod = platform().envs.find((e) => e.stage === "prod")!;
    const found = problems((envs) => {
      envs[prod.name].addons.policy = { enforcement: "warn" };
    });
    expect(found).toEqual([`${prod.name}.addons.policy.enforcement: prod environments must "deny" what the policies forbid`]);
    expect(problems((envs) => void (envs[prod.name].addons.policy = { enforcement: "deny" }))).toEqual([]);
  });
});
