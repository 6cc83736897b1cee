/**
 * The Kubernetes objects of the team namespaces (built-in kinds only, so plain `kubernetes_*`
 * resources: their schemas are in the provider, nothing waits for a CRD at plan time).
 * Construct IDs are `<namespace>/<object>`: a namespace keeps its resources when teams are added
 * or removed around it.
 */
import { DefaultServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/default-service-account-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1, NetworkPolicyV1SpecIngressFrom } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { NetworkPeer, PeerRule, TeamNamespacePlan } from "./plan";

/** A peer in the provider's block shape (`from` and `to` blocks share it). */
export function peerBlock(peer: NetworkPeer): NetworkPolicyV1SpecIngressFrom {
  if ("cidr" in peer) return { ipBlock: { cidr: peer.cidr } };
  if ("sameNamespace" in peer) return { podSelector: {} };
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } },
    ...(peer.podLabels ? { podSelector: { matchLabels: { ...peer.podLabels } } } : {}),
  };
}

function ports(rule: PeerRule) {
  return rule.ports?.map((p) => ({ protocol: p.protocol, port: String(p.port) }));
}

export interface TeamNamespacesProps {
  readonly plans: readonly TeamNamespacePlan[];
  /**
   * What the namespaces wait for (the admission webhooks that must see their pods).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Namespace, quota, limit range, network policies, default service account and RBAC of each team namespace. */
export class TeamNamespaces extends Construct {
  /** The namespaces by name. */
  readonly namespaces: Readonly<Record<string, NamespaceV1>>;

  constructor(scope: Construct, id: string, props: TeamNamespacesProps) {
    super(scope, id);
    const namespaces: Record<string, NamespaceV1> = {};
    for (const plan of props.plans) {
      const root = new Construct(this, plan.namespace);
      const ns = new NamespaceV1(root, "namespace", {
        metadata: { name: plan.namespace, labels: { ...plan.labels }, annotations: { ...plan.annotations } },
        dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      });
      namespaces[plan.namespace] = ns;
      const metadata = (name: string) => ({ name, namespace: ns.metadata.name });
      new ResourceQuotaV1(root, "quota", { metadata: metadata("team-quota"), spec: { hard: { ...plan.quota } } });
      const lr = plan.limitRange;
      new LimitRangeV1(root, "limit-range", {
        metadata: metadata("team-limits"),
        spec: {
          limit: [
            {
              type: "Container",
              ...(lr.default ? { default: { ...lr.default } } : {}),
              ...(lr.defaultRequest ? { defaultRequest: { ...lr.defaultRequest } } : {}),
              ...(lr.max ? { max: { ...lr.max } } : {}),
            },
          ],
        },
      });
      for (const policy of plan.networkPolicies) {
        new NetworkPolicyV1(root, `network-policy-${policy.name}`, {
          metadata: metadata(policy.name),
          spec: {
            podSelector: {},
            policyTypes: [...policy.policyTypes],
            ingress: policy.ingress.map((rule) => ({ from: rule.peers.map(peerBlock), ports: ports(rule) })),
            egress: policy.egress.map((rule) => ({ to: rule.peers.map(peerBlock), ports: ports(rule) })),
          },
        });
      }
      new DefaultServiceAccountV1(root, "default-service-account", {
        metadata: { namespace: ns.metadata.name },
        automountServiceAccountToken: false,
      });
      new RoleBindingV1(root, "role-binding", {
        metadata: metadata(`team-${plan.team}-${plan.right}`),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: plan.right },
        subject: plan.groups.map((name) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name })),
      });
    }
    this.namespaces = namespaces;
  }
}
