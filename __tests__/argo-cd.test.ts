/**
 * Argo CD (addons/argo-cd): values against the chart's keys, SSO, HA by input, and the GitOps
 * objects (AppProject, ApplicationSet, the bridge's cluster Secret) as rules over any team.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { appProject, applicationSet, clusterAnnotations, clusterSecret, IN_CLUSTER, PLATFORM_OWNED_KINDS } from "../addons/argo-cd/gitops";
import { argoRolloutsValues } from "../addons/argo-rollouts/values";
import { argoCdOidcConfig, argoCdPolicyCsv, argoCdValues, replicated } from "../addons/argo-cd/values";
import { argoCdClient, ARGO_CD_CLI_REDIRECT_URI, ARGO_CD_CLIENT_ID, keycloakRealm } from "../addons/keycloak/realm";
import { environmentSchema } from "../environments/schema";
import { gitOpsTeams } from "../stacks/addons/gitops";
import { environments } from "../environments";

const ISSUER = "https://sso.example.com/realms/platform";
const team = {
  name: "search",
  namespaces: ["search", "search-jobs"],
  groups: ["team-search"],
  repositories: [
    { name: "api", url: "https://git.example.com/search/api.git", namespace: "search" },
    { name: "indexer", url: "ssh://git@git.example.com/search/indexer.git", path: "chart", revision: "v1.2.0", namespace: "search-jobs" },
  ],
};

/** Every dotted path of leaves in `values` (objects descended, arrays and scalars are leaves). */
function paths(values: unknown, prefix = ""): string[] {
  if (typeof values !== "object" || values === null || Array.isArray(values)) return [prefix];
  return Object.entries(values).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k));
}

describe("Argo CD values", () => {
  // The key tree of the chart's values.yaml (argo-helm@af0a931, kept as data with its source).
  const chart = (JSON.parse(readFileSync(`${__dirname}/upstream/argo-cd-values-keys.json`, "utf8")) as { keys: unknown }).keys;
  const FREE_FORM = [/^configs\.(cm|params|rbac)\./, /^redis-ha\./, /\.nodeSelector\./];

  it.each([true, false])("uses only keys of the chart (HA %s); free-form maps and the redis-ha subchart aside", (ha) => {
    const values = argoCdValues({ highlyAvailable: ha, issuerUrl: ISSUER, clientId: "argocd", nodeSelector: { role: "system" } });
    const unknown = paths(values)
      .filter((p) => !FREE_FORM.some((f) => f.test(p)))
      .filter((p) => {
        // A leaf whose parent the chart declares as an empty map/list, or that the chart has, is known.
        const parts = p.split(".");
        for (let i = parts.length; i > 0; i--) {
          const v = parts.slice(0, i).reduce<any>((o, k) => o?.[k], chart);
          if (v !== undefined) return i < parts.length && typeof v === "object" && v !== null && Object.keys(v).length > 0 && !Array.isArray(v);
        }
        return true;
      });
    expect(unknown).toEqual([]);
  });

  it("runs 2 replicas with a PDB of every serving component and Redis HA when highly available, 1 without PDB otherwise", () => {
    const ha = argoCdValues({ highlyAvailable: true, issuerUrl: ISSUER, clientId: "argocd" }) as any;
    const single = argoCdValues({ highlyAvailable: false, issuerUrl: ISSUER, clientId: "argocd" }) as any;
    for (const c of ["controller", "server", "repoServer", "applicationSet"]) {
      expect(ha[c].replicas, c).toBe(2);
      expect(ha[c].pdb, c).toEqual({ enabled: true, minAvailable: 1 });
      expect(single[c].replicas, c).toBe(1);
      expect(single[c].pdb.enabled, c).toBe(false);
    }
    expect(ha["redis-ha"].enabled).toBe(true);
    expect(single["redis-ha"].enabled).toBe(false);
    expect(replicated(2).pdb.enabled).toBe(true);
    expect(replicated(1).pdb.enabled).toBe(false);
  });

  it("logs in through Keycloak only: PKCE, groups claim, no local admin, deny by default", () => {
    const values = argoCdValues({ highlyAvailable: false, issuerUrl: ISSUER, clientId: "argocd" }) as any;
    const oidc = parse(values.configs.cm["oidc.config"]);
    expect(oidc).toMatchObject({ issuer: ISSUER, clientID: "argocd", enablePKCEAuthentication: true, requestedIDTokenClaims: { groups: { essential: true } } });
    expect(oidc.clientSecret).toBeUndefined();
    expect(values.configs.cm["admin.enabled"]).toBe(false);
    expect(values.configs.rbac["policy.default"]).toBe("");
    expect(values.dex.enabled).toBe(false);
    expect(() => argoCdOidcConfig("http://sso.example.com/realms/platform", "argocd")).toThrow(/https/);
    expect(argoCdPolicyCsv(["admins"], ["viewers"])).toBe("g, admins, role:admin\ng, viewers, role:readonly\n");
    expect(() => argoCdPolicyCsv(["a, role:admin"], [])).toThrow(/policy.csv/);
  });

  it("has a realm client whose redirects are Argo CD's PKCE, server and CLI callbacks", () => {
    const client = argoCdClient("https://cd.example.com/");
    expect(client.redirectUris).toEqual(["https://cd.example.com/pkce/verify", "https://cd.example.com/auth/callback", ARGO_CD_CLI_REDIRECT_URI]);
    const realm = keycloakRealm({ realm: "platform", grafanaRootUrl: "http://localhost:3000", argoCdUrl: "https://cd.example.com" });
    expect(realm.clients.find((c) => c.clientId === ARGO_CD_CLIENT_ID)!.rootUrl).toBe("https://cd.example.com");
  });
});

describe("GitOps objects", () => {
  it("limits a team's AppProject to its repositories and namespaces, with no cluster-scoped kind and none of the platform's", () => {
    const spec = appProject(team).spec as any;
    expect(spec.sourceRepos).toEqual(team.repositories.map((r) => r.url).sort());
    expect(spec.destinations).toEqual(team.namespaces.map((namespace) => ({ server: IN_CLUSTER.server, namespace })));
    expect(spec.clusterResourceWhitelist).toEqual([]);
    expect(spec.namespaceResourceBlacklist).toEqual(PLATFORM_OWNED_KINDS.map((k) => ({ ...k })));
    expect(spec.roles[0].groups).toEqual(team.groups);
    for (const p of spec.roles[0].policies) expect(p).toContain(`${team.name}/*`);
    expect(() => appProject({ ...team, repositories: [{ ...team.repositories[0]!, namespace: "kube-system" }] })).toThrow(/not a namespace of the team/);
  });

  it("makes one Application per repository on the environment's cluster, in the team's project", () => {
    const set = applicationSet(team, "dev") as any;
    const [clusters, list] = set.spec.generators[0].matrix.generators;
    expect(clusters.clusters.selector.matchLabels.environment).toBe("dev");
    expect(list.list.elements.map((e: any) => [e.app, e.path, e.revision, e.namespace])).toEqual([
      ["api", ".", "HEAD", "search"],
      ["indexer", "chart", "v1.2.0", "search-jobs"],
    ]);
    expect(set.spec.template.spec.project).toBe(team.name);
    expect(set.spec.template.spec.destination.server).toBe("{{ .server }}");
    expect(set.spec.goTemplate).toBe(true);
  });

  it("writes the cluster's metadata into the cluster Secret's annotations (the GitOps bridge), and no credential", () => {
    const m = { environment: "dev", clusterName: "c", region: "r", accountId: "111122223333", vpcId: "vpc-1", roleArns: { external_dns: "arn:aws:iam::111122223333:role/x" } };
    expect(clusterAnnotations(m)).toEqual({ environment: "dev", aws_cluster_name: "c", aws_region: "r", aws_account_id: "111122223333", aws_vpc_id: "vpc-1", aws_external_dns_role_arn: "arn:aws:iam::111122223333:role/x" });
    const secret = clusterSecret(m) as any;
    expect(secret.metadata.labels).toEqual({ "argocd.argoproj.io/secret-type": "cluster", environment: "dev" });
    expect(Object.keys(secret.stringData).sort()).toEqual(["name", "server"]);
    expect(() => clusterAnnotations({ ...m, roleArns: { "Bad-Key": "x" } })).toThrow(/snake_case/);
    // Every annotation the ApplicationSet template reads is written.
    const template = JSON.stringify(applicationSet(team, "dev"));
    for (const key of template.match(/index \.metadata\.annotations \\"([a-z_]+)\\"/g) ?? []) {
      expect(Object.keys(clusterAnnotations(m))).toContain(key.split('\\"')[1]);
    }
  });
});

describe("teams' repositories in the environment config", () => {
  it("takes every configured team with its default group", () => {
    for (const env of environments) {
      const teams = gitOpsTeams(env.cluster.access.teams ?? {});
      expect(teams.map((t) => t.name)).toEqual(Object.keys(env.cluster.access.teams ?? {}).sort());
      for (const t of teams) expect(t.groups.length).toBeGreaterThan(0);
    }
  });

  it("refuses a repository that deploys outside the team's namespaces, and a repeated application name", () => {
    const base = environments[0]!;
    const withTeam = (repositories: unknown[]) => ({
      ...base,
      cluster: { ...base.cluster, access: { ...base.cluster.access, teams: { search: { roleArn: "arn:aws:iam::111122223333:role/search", namespaces: ["search"], repositories } } } },
    });
    const repo = { name: "api", url: "https://git.example.com/a.git", namespace: "search" };
    expect(environmentSchema.safeParse(withTeam([repo])).success).toBe(true);
    const outside = environmentSchema.safeParse(withTeam([{ ...repo, namespace: "other" }]));
    expect(outside.success).toBe(false);
    expect(JSON.stringify(outside.error?.issues)).toContain("namespace");
    expect(environmentSchema.safeParse(withTeam([repo, { ...repo, url: "https://git.example.com/b.git" }])).success).toBe(false);
  });
});

describe("Argo Rollouts values", () => {
  it("runs two controllers with a PDB when highly available, one without PDB otherwise; requests and the system toleration on both components", () => {
    const ha = argoRolloutsValues({ highlyAvailable: true }) as any;
    const single = argoRolloutsValues({ highlyAvailable: false }) as any;
    expect([ha.controller.replicas, ha.controller.pdb]).toEqual([2, { enabled: true, minAvailable: 1 }]);
    expect([single.controller.replicas, single.controller.pdb.enabled]).toEqual([1, false]);
    for (const c of [ha.controller, ha.dashboard]) {
      expect(c.resources.requests.cpu).toBeTruthy();
      expect(c.tolerations).toContainEqual(expect.objectContaining({ key: "CriticalAddonsOnly" }));
    }
    expect(argoRolloutsValues({ highlyAvailable: true, serviceMonitors: false })).toMatchObject({ controller: { metrics: { serviceMonitor: { enabled: false } } } });
  });
});
