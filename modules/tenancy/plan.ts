/**
 * What the platform creates for each team namespace, as data (pure, no cdktf): Pod Security
 * Admission labels, the quota and limit range, the network policies and the RBAC binding. The
 * construct in `team-namespaces.ts` turns the plan into `kubernetes_*` resources; the guardrails
 * check the synthesized result.
 */
import type { EnvironmentConfig } from "../../environments/schema";
import { MONITORING_NAMESPACE } from "./namespaces";

type Tenancy = EnvironmentConfig["cluster"]["tenancy"];
type Team = EnvironmentConfig["cluster"]["access"]["teams"][string];
export type LimitRangeConfig = Tenancy["limitRange"];
/** A right of a team in a namespace: the built-in ClusterRole of the same name (admin, edit, view). */
export type TeamRight = "admin" | "edit" | "view";

/**
 * What a team namespace in a service mesh gets besides the platform's defaults. The mesh's facts come
 * from the caller (for Istio: modules/tenancy/mesh.ts with the names the stack passes), so this
 * planner knows no mesh product.
 */
export interface MeshMembership {
  /** Labels that put the namespace's pods in the mesh, e.g. `{ "istio.io/rev": "1-30-3" }`; they win over the team's own labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Network policies the sidecars need, added to the platform's (modules/tenancy/mesh.ts `meshNetworkPolicies`). */
  readonly networkPolicies: readonly NetworkPolicyPlan[];
}

/** A team as the planner reads it: its key, config and the right of each of its namespaces. */
export interface TeamInput {
  readonly key: string;
  readonly config: Pick<Team, "groups" | "labels" | "annotations" | "quota" | "limitRange">;
  /** Namespace -> right (environments/access.ts `namespaceRights`). */
  readonly rights: Readonly<Record<string, TeamRight>>;
  /**
   * The team's namespaces' membership of the service mesh.
   * @default - not in the mesh: the platform's labels and network policies only
   */
  readonly mesh?: MeshMembership;
}

/** The label every team namespace carries: the team's key. */
export const TEAM_LABEL = "platform.example.com/team";

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-admission/). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/**
 * PSA labels of a team namespace. Prod enforces `restricted`; other stages enforce `baseline` and
 * warn and audit at `restricted`, so a team sees in dev what prod will refuse without being blocked.
 * The policy version is pinned to the cluster's minor version (`v1.33`), so a Kubernetes upgrade
 * does not change what is admitted until the labels move with it.
 */
export function podSecurityLabels(stage: EnvironmentConfig["stage"], kubernetesVersion: string): Record<string, string> {
  const enforce: PodSecurityLevel = stage === "prod" ? "restricted" : "baseline";
  const version = `v${kubernetesVersion}`;
  return {
    "pod-security.kubernetes.io/enforce": enforce,
    "pod-security.kubernetes.io/enforce-version": version,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": version,
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": version,
  };
}

/** One rule of a NetworkPolicy, in Kubernetes' own field names. */
export interface PeerRule {
  readonly peers: readonly NetworkPeer[];
  readonly ports?: readonly { readonly protocol: "TCP" | "UDP"; readonly port: number }[];
}
export type NetworkPeer =
  | { readonly namespace: string; readonly podLabels?: Readonly<Record<string, string>> }
  | { readonly sameNamespace: true }
  | { readonly cidr: string };

/** A NetworkPolicy of a team namespace. */
export interface NetworkPolicyPlan {
  readonly name: string;
  readonly policyTypes: readonly ("Ingress" | "Egress")[];
  readonly ingress: readonly PeerRule[];
  readonly egress: readonly PeerRule[];
}

/**
 * The EKS Pod Identity Agent's link-local address and port (EKS User Guide, "Set up the Amazon EKS
 * Pod Identity Agent": the agent listens on 169.254.170.23 port 80 on each node).
 */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/**
 * The network policies of every team namespace: deny all ingress and egress, then allow DNS to
 * CoreDNS in kube-system, traffic within the namespace, scrapes from the monitoring namespace,
 * load balancer traffic from the public subnets (ALB/NLB nodes with `ip` targets), the Pod
 * Identity agent and, when the cluster has in-cluster ingress gateways (their pods forward requests
 * to the team's pods on the app's own ports), ingress from their namespaces. Anything else a team
 * needs (a database, AWS APIs) is a policy of its own.
 *
 * @param ingressGatewayNamespaces namespaces of the ingress gateways' pods (`allow-ingress-gateways`)
 * @default ingressGatewayNamespaces [] - no such policy
 */
export function networkPolicies(loadBalancerCidrs: readonly string[], ingressGatewayNamespaces: readonly string[] = []): NetworkPolicyPlan[] {
  const gateways: NetworkPolicyPlan[] =
    ingressGatewayNamespaces.length === 0
      ? []
      : [{ name: "allow-ingress-gateways", policyTypes: ["Ingress"], ingress: [{ peers: ingressGatewayNamespaces.map((namespace) => ({ namespace })) }], egress: [] }];
  return [
    { name: "default-deny", policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] },
    {
      name: "allow-dns",
      policyTypes: ["Egress"],
      ingress: [],
      egress: [
        {
          peers: [{ namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    },
    {
      name: "allow-same-namespace",
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ peers: [{ sameNamespace: true }] }],
      egress: [{ peers: [{ sameNamespace: true }] }],
    },
    { name: "allow-monitoring", policyTypes: ["Ingress"], ingress: [{ peers: [{ namespace: MONITORING_NAMESPACE }] }], egress: [] },
    {
      name: "allow-load-balancers",
      policyTypes: ["Ingress"],
      ingress: [{ peers: loadBalancerCidrs.map((cidr) => ({ cidr })) }],
      egress: [],
    },
    {
      name: "allow-pod-identity-agent",
      policyTypes: ["Egress"],
      ingress: [],
      egress: [{ peers: [{ cidr: POD_IDENTITY_AGENT.cidr }], ports: [{ protocol: "TCP", port: POD_IDENTITY_AGENT.port }] }],
    },
    ...gateways,
  ];
}

/** Everything one team namespace gets. */
export interface TeamNamespacePlan {
  readonly team: string;
  readonly namespace: string;
  readonly right: TeamRight;
  /** Subjects of the RoleBinding: `oidc:<group>` for each Keycloak group of the team. */
  readonly groups: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly quota: Readonly<Record<string, string>>;
  readonly limitRange: LimitRangeConfig;
  readonly networkPolicies: readonly NetworkPolicyPlan[];
  /** Whether the namespace is in the service mesh (its team's `mesh` input is set). */
  readonly meshed: boolean;
}

/** Prefix of the Keycloak groups as Kubernetes sees them (addons/keycloak/kubernetes-oidc.ts). */
export const OIDC_GROUP_PREFIX = "oidc:";

/** A limit range with `override`'s fields merged over `base`'s, resource by resource. */
export function mergeLimitRange(base: LimitRangeConfig, override: LimitRangeConfig | undefined): LimitRangeConfig {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override ?? {})) merged[key] = { ...(base as any)[key], ...value };
  return merged as LimitRangeConfig;
}

/** The environment's part of the plan. */
export type TenancyInput = Pick<EnvironmentConfig, "stage"> & {
  readonly cluster: Pick<EnvironmentConfig["cluster"], "tenancy" | "kubernetesVersion">;
};

/**
 * The plan of every team namespace of an environment, in team then namespace order as given.
 * `loadBalancerCidrs` are the subnets load balancers live in (the environment's public subnets),
 * `ingressGatewayNamespaces` the namespaces of in-cluster ingress gateways ({@link networkPolicies}).
 *
 * @default ingressGatewayNamespaces [] - no in-cluster ingress gateway
 */
export function teamNamespacePlans(
  env: TenancyInput,
  teams: readonly TeamInput[],
  loadBalancerCidrs: readonly string[],
  ingressGatewayNamespaces: readonly string[] = [],
): TeamNamespacePlan[] {
  const policies = networkPolicies(loadBalancerCidrs, ingressGatewayNamespaces);
  return teams.flatMap(({ key: team, config, rights, mesh }) =>
    Object.entries(rights).map(([namespace, right]) => ({
      team,
      namespace,
      right,
      groups: (config.groups ?? [`team-${team}`]).map((g) => `${OIDC_GROUP_PREFIX}${g}`),
      // Platform labels last: a team cannot relax its own Pod Security level; the mesh's over the team's.
      labels: { ...config.labels, ...mesh?.labels, [TEAM_LABEL]: team, ...podSecurityLabels(env.stage, env.cluster.kubernetesVersion) },
      annotations: { ...config.annotations },
      quota: { ...env.cluster.tenancy.quota, ...config.quota },
      limitRange: mergeLimitRange(env.cluster.tenancy.limitRange, config.limitRange),
      networkPolicies: [...policies, ...(mesh?.networkPolicies ?? [])],
      meshed: mesh !== undefined,
    })),
  );
}
