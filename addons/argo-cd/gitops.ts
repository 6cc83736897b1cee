/**
 * The Argo CD objects of the platform's teams and the GitOps bridge, as Kubernetes objects for the
 * in-repo chart (modules/helm/custom-resources.ts). Pure: no cdktf.
 *
 * - One AppProject per team: sources limited to the team's repositories, destinations to the team's
 *   namespaces on this cluster, no cluster-scoped kind, and none of the kinds the platform manages in
 *   team namespaces (quota, limit range, network policies, role bindings: modules/tenancy). Its
 *   `member` role is given to the team's Keycloak groups.
 * - One ApplicationSet per team: a matrix of the clusters generator (the cluster Secret below,
 *   selected by the environment label) and a list generator of the team's repositories, one
 *   Application each, every repository a Helm chart that receives the cluster's metadata as values
 *   (`platform.*`) from the Secret's annotations, so workloads never hard-code AWS ids.
 * - The GitOps bridge (as the gitops-bridge project does it): the in-cluster Secret
 *   (`argocd.argoproj.io/secret-type: cluster`) whose annotations carry environment, region,
 *   account, VPC, cluster name and the role ARNs of add-ons teams consume, written by Terraform.
 *
 * Fields follow the CRDs of the chart's Argo CD (argoproj/argo-cd v3.4: AppProject
 * `sourceRepos`/`destinations`/`clusterResourceWhitelist`/`namespaceResourceBlacklist`/`roles`,
 * ApplicationSet `goTemplate`/`generators.matrix`/`clusters.selector`/`list.elements`/`template`).
 */
import type { KubernetesObject } from "../../modules/helm/custom-resources";
import { ARGO_CD_NAMESPACE } from "./chart";
import { TEAM_LABEL } from "./notifications";

/** The cluster Secret's name and the in-cluster API server Argo CD deploys to. */
export const IN_CLUSTER = { name: "in-cluster", server: "https://kubernetes.default.svc" } as const;

/** A team as Argo CD sees it. */
export interface GitOpsTeam {
  /** Team key (`cluster.access.teams.<key>`): the AppProject's and ApplicationSet's name. */
  readonly name: string;
  readonly namespaces: readonly string[];
  /** Keycloak groups given the project's `member` role (group names as in the `groups` claim). */
  readonly groups: readonly string[];
  readonly repositories: readonly GitOpsRepository[];
  /**
   * Annotations of the team's AppProject (its notification subscriptions, notifications.ts).
   * @default {}
   */
  readonly projectAnnotations?: Readonly<Record<string, string>>;
  /**
   * ARNs of the team's workload roles (IRSA) by role name, passed to every chart of the team as the
   * Helm values `platform.roleArns.<name>` (for a service account's `eks.amazonaws.com/role-arn`).
   * @default {} - no `platform.roleArns`
   */
  readonly roleArns?: Readonly<Record<string, string>>;
}

export interface GitOpsRepository {
  readonly name: string;
  readonly url: string;
  /** @default "." */
  readonly path?: string;
  /** @default "HEAD" */
  readonly revision?: string;
  readonly namespace: string;
}

/** What the bridge writes about the cluster (annotation values; tokens allowed). */
export interface ClusterMetadata {
  readonly environment: string;
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  /**
   * Role ARNs of add-ons teams consume, by annotation suffix (`aws_<key>_role_arn`).
   * @default {}
   */
  readonly roleArns?: Readonly<Record<string, string>>;
}

/** Kinds a team may not manage in its namespaces: the platform's tenancy objects. */
export const PLATFORM_OWNED_KINDS = [
  { group: "", kind: "ResourceQuota" },
  { group: "", kind: "LimitRange" },
  { group: "networking.k8s.io", kind: "NetworkPolicy" },
  { group: "rbac.authorization.k8s.io", kind: "RoleBinding" },
  { group: "rbac.authorization.k8s.io", kind: "Role" },
  { group: "security.istio.io", kind: "PeerAuthentication" },
] as const;

/** Annotations of the cluster Secret: `environment`, `aws_region`, `aws_account_id`, `aws_vpc_id`, `aws_cluster_name`, `aws_<key>_role_arn`. */
export function clusterAnnotations(m: ClusterMetadata): Record<string, string> {
  const roles = Object.entries(m.roleArns ?? {}).sort(([a], [b]) => a.localeCompare(b));
  for (const [key] of roles) if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new Error(`role key "${key}" must be snake_case`);
  return {
    environment: m.environment,
    aws_cluster_name: m.clusterName,
    aws_region: m.region,
    aws_account_id: m.accountId,
    aws_vpc_id: m.vpcId,
    ...Object.fromEntries(roles.map(([key, arn]) => [`aws_${key}_role_arn`, arn])),
  };
}

/** The in-cluster Secret with the bridge's labels and annotations (no credential: Argo CD uses its service account). */
export function clusterSecret(m: ClusterMetadata): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: IN_CLUSTER.name,
      namespace: ARGO_CD_NAMESPACE,
      labels: { "argocd.argoproj.io/secret-type": "cluster", environment: m.environment },
      annotations: clusterAnnotations(m),
    },
    type: "Opaque",
    stringData: { name: IN_CLUSTER.name, server: IN_CLUSTER.server },
  };
}

/** The team's AppProject. @throws Error when a repository deploys outside the team's namespaces */
export function appProject(team: GitOpsTeam): KubernetesObject {
  for (const r of team.repositories) {
    if (!team.namespaces.includes(r.namespace)) throw new Error(`team ${team.name}: repository ${r.name} deploys to ${r.namespace}, not a namespace of the team`);
  }
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: {
      name: team.name,
      namespace: ARGO_CD_NAMESPACE,
      ...(team.projectAnnotations && Object.keys(team.projectAnnotations).length > 0 ? { annotations: { ...team.projectAnnotations } } : {}),
    },
    spec: {
      description: `Applications of team ${team.name}`,
      sourceRepos: [...new Set(team.repositories.map((r) => r.url))].sort(),
      destinations: [...team.namespaces].sort().map((namespace) => ({ server: IN_CLUSTER.server, namespace })),
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: PLATFORM_OWNED_KINDS.map((k) => ({ ...k })),
      roles: [
        {
          name: "member",
          description: `Members of team ${team.name}`,
          policies: [
            `p, proj:${team.name}:member, applications, *, ${team.name}/*, allow`,
            `p, proj:${team.name}:member, logs, get, ${team.name}/*, allow`,
          ],
          groups: [...team.groups],
        },
      ],
    },
  };
}

/**
 * The team's ApplicationSet: one Application per repository on the environment's cluster, with the
 * GitOps bridge's cluster metadata and the team's workload role ARNs as Helm values (`platform.*`).
 */
export function applicationSet(team: GitOpsTeam, environment: string): KubernetesObject {
  const meta = (key: string) => `{{ index .metadata.annotations "${key}" }}`;
  const roleArns = Object.entries(team.roleArns ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: team.name, namespace: ARGO_CD_NAMESPACE },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [
        {
          matrix: {
            generators: [
              { clusters: { selector: { matchLabels: { "argocd.argoproj.io/secret-type": "cluster", environment } } } },
              {
                list: {
                  elements: team.repositories.map((r) => ({
                    app: r.name,
                    repoURL: r.url,
                    path: r.path ?? ".",
                    revision: r.revision ?? "HEAD",
                    namespace: r.namespace,
                  })),
                },
              },
            ],
          },
        },
      ],
      template: {
        metadata: { name: `${team.name}-{{ .app }}`, labels: { [TEAM_LABEL]: team.name } },
        spec: {
          project: team.name,
          source: {
            repoURL: "{{ .repoURL }}",
            targetRevision: "{{ .revision }}",
            path: "{{ .path }}",
            helm: {
              valuesObject: {
                platform: {
                  environment: meta("environment"),
                  clusterName: meta("aws_cluster_name"),
                  region: meta("aws_region"),
                  accountId: meta("aws_account_id"),
                  vpcId: meta("aws_vpc_id"),
                  ...(roleArns.length > 0 ? { roleArns: Object.fromEntries(roleArns) } : {}),
                },
              },
            },
          },
          destination: { server: "{{ .server }}", namespace: "{{ .namespace }}" },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=false"] },
        },
      },
    },
  };
}
