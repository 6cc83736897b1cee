/**
 * What the account's CI plan role may read in an environment's add-on namespaces. Its access entry
 * (`cluster.access.viewers`, created by `<env>-cluster`) gives it `AmazonEKSViewPolicy` on the
 * cluster: no Secrets, while Helm keeps each release's record in a Secret of the release's
 * namespace. This association adds `AmazonEKSAdminViewPolicy` (read everything, Secrets included)
 * scoped to the namespaces of the add-ons this stack renders, derived from its Helm releases, and
 * never to a team namespace. Plans that use it run only on the in-VPC runners, in the protected
 * `<env>-plan` GitHub environment or on `main` (docs/ci.md, residual risks).
 */
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { teamGrants } from "../../environments/access";
import type { PlatformEnvironment } from "../../environments/validate";
import { ACCESS_POLICIES } from "../../modules/eks/control-plane";
import { ciRoleNames } from "../../modules/github/ci-policies";
import { partitionOf } from "../../modules/irsa/policy-document";
import { PLATFORM } from "../naming";

/** The namespaces of the Helm releases under `scope`, sorted, each once. */
export function releaseNamespaces(scope: IConstruct): string[] {
  const namespaces = new Set<string>();
  for (const node of scope.node.findAll()) {
    if (!(node instanceof Release)) continue;
    const namespace = node.namespaceInput;
    if (namespace === undefined || Token.isUnresolved(namespace)) {
      throw new Error(`${node.node.path}: a release's namespace must be a plain name to scope the plan role's access`);
    }
    namespaces.add(namespace);
  }
  return [...namespaces].sort();
}

/** The ARN of the account's plan role if the environment lists it among its viewers (else undefined). */
export function planRoleViewer(env: PlatformEnvironment): string | undefined {
  const arn = `arn:${partitionOf(env.region)}:iam::${env.account.id}:role/${ciRoleNames(PLATFORM).plan}`;
  return Object.values(env.cluster.access.viewers).includes(arn) ? arn : undefined;
}

/**
 * The add-on namespaces the plan role may read Secrets in.
 * @throws Error when an add-on namespace is also a team's namespace
 */
export function planRoleNamespaces(env: PlatformEnvironment, addonNamespaces: readonly string[]): string[] {
  const teams = new Set(Object.values(env.cluster.access.teams).flatMap((team) => teamGrants(team).flatMap((g) => g.namespaces)));
  const shared = addonNamespaces.filter((ns) => teams.has(ns));
  if (shared.length > 0) {
    throw new Error(`${env.name}: add-on namespaces ${shared.join(", ")} are also team namespaces; the CI plan role must not read team Secrets`);
  }
  return [...addonNamespaces];
}

/**
 * Adds the plan role's `AmazonEKSAdminViewPolicy` on the add-on namespaces of `stack` (call it after
 * every add-on is added). Nothing when the environment does not list the plan role as a viewer.
 */
export function grantPlanRoleAddonNamespaces(stack: Construct, env: PlatformEnvironment, clusterName: string): EksAccessPolicyAssociation | undefined {
  const principalArn = planRoleViewer(env);
  if (principalArn === undefined) return undefined;
  const namespaces = planRoleNamespaces(env, releaseNamespaces(stack));
  if (namespaces.length === 0) return undefined;
  return new EksAccessPolicyAssociation(stack, "ci-plan-addon-namespaces", {
    clusterName,
    principalArn,
    policyArn: `arn:${partitionOf(env.region)}:eks::aws:cluster-access-policy/${ACCESS_POLICIES["admin-view"]}`,
    accessScope: { type: "namespace", namespaces },
  });
}
