/**
 * IAM roles of team workloads (`cluster.access.teams.<team>.workloadRoles`): the rules that keep a
 * team's statements on the team's own resources (checked by environments/checks/teams.ts) and the
 * roles themselves (one `IrsaRole` per service account).
 *
 * A resource is the team's own when its ARN is in the environment's partition and, except S3
 * (whose ARNs carry neither), in the environment's region and account, and its resource name
 * starts with `eks-idp-<env>-team-<team>-` (the `team-` infix keeps every team name apart from the
 * platform's own `eks-idp-<env>-<component>-` resources: a team called `karpenter` or `keycloak`
 * never matches the platform's queue or database secret):
 *   - S3: the bucket name, e.g. `arn:aws:s3:::eks-idp-dev-team-payments-*` or `.../eks-idp-dev-team-payments-data/*`;
 *   - other services: the resource part, after at most one resource type (`<type>/` or `<type>:`),
 *     e.g. `arn:aws:sqs:<region>:<account>:eks-idp-dev-team-payments-orders`,
 *     `arn:aws:dynamodb:<region>:<account>:table/eks-idp-dev-team-payments-*`,
 *     `arn:aws:secretsmanager:<region>:<account>:secret:eks-idp-dev-team-payments-*`.
 * Resources named by id only (KMS keys) cannot be the team's own by name: grant them through the
 * key policy instead. A name that also starts with the longer prefix of another team of the
 * environment (team `pay` and team `pay-ops`) belongs to that team.
 */
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { IrsaRole, OidcIdentity } from "../irsa/irsa-role";

/** One workload role as configured. */
export interface WorkloadRoleConfig {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly statements: readonly { readonly actions: readonly string[]; readonly resources: readonly string[] }[];
}

/** Longest IAM role name (IAM User Guide, "IAM and AWS STS quotas": role name, 64 characters). */
export const IAM_ROLE_NAME_MAX = 64;

/** Services whose actions no team role may hold: they would let it leave its own resources. */
export const FORBIDDEN_SERVICES: readonly string[] = ["iam", "sts", "organizations"];

const ACTION = /^([a-z0-9-]+):[A-Za-z0-9*]+$/;

/** `<namePrefix>-team-<team>-<role>`, with the environment's name prefix `eks-idp-<env>`. */
export function workloadRoleName(namePrefix: string, team: string, role: string): string {
  return `${namePrefix}-team-${team}-${role}`;
}

/** The prefix of the names of a team's resources: `<namePrefix>-team-<team>-` (`eks-idp-<env>-team-<team>-`). */
export function teamResourcePrefix(namePrefix: string, team: string): string {
  return `${namePrefix}-team-${team}-`;
}

/** Why an action is refused, or undefined. */
export function workloadActionProblem(action: string): string | undefined {
  const match = ACTION.exec(action);
  if (match === null) return 'must be "<service>:<Action>" (no "*" alone)';
  if (FORBIDDEN_SERVICES.includes(match[1]!)) return `must not be an action of ${FORBIDDEN_SERVICES.join(", ")}`;
  return undefined;
}

/** Where a team's resources live. */
export interface TeamResourceScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The team's prefix ({@link teamResourcePrefix}). */
  readonly prefix: string;
  /** The prefixes of the environment's other teams. */
  readonly otherPrefixes: readonly string[];
}

/** Why a resource is not the team's own (see the file comment), or undefined. */
export function workloadResourceProblem(resource: string, scope: TeamResourceScope): string | undefined {
  if (resource === "*") return 'must be an ARN of the team\'s own resources, not "*"';
  const parts = resource.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return "must be an ARN";
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  const name = parts.slice(5).join(":");
  if (partition !== scope.partition) return `must be in partition ${scope.partition}`;
  const global = service === "s3";
  if (region !== (global ? "" : scope.region)) return global ? "S3 ARNs have no region" : `must be in region ${scope.region}`;
  if (account !== (global ? "" : scope.accountId)) return global ? "S3 ARNs have no account" : `must be in account ${scope.accountId}`;
  const typed = global ? undefined : /^[A-Za-z0-9-]+[/:](.*)$/.exec(name)?.[1];
  const ownName = [name, ...(typed === undefined ? [] : [typed])].find((n) => n.startsWith(scope.prefix));
  if (ownName === undefined) return `resource name must start with ${scope.prefix}`;
  const other = scope.otherPrefixes.find((p) => p.length > scope.prefix.length && ownName.startsWith(p));
  if (other !== undefined) return `resource name starts with ${other}, another team's prefix`;
  return undefined;
}

export interface TeamWorkloadRolesProps {
  /** The environment's name prefix, `eks-idp-<env>`. */
  readonly namePrefix: string;
  readonly oidc: OidcIdentity;
  /** Workload roles by team key, then role name. */
  readonly teams: Readonly<Record<string, Readonly<Record<string, WorkloadRoleConfig>>>>;
}

/**
 * One IAM role per team workload role (construct ID `<team>/<role>`), trusting exactly its
 * service account, with its statements inline; the permissions boundary comes from the stack's
 * aspect. Team workloads stay on IRSA in a Pod Identity environment (modules/pod-identity/support.ts
 * lists no team service account: their SDKs are unknown). The ARN is the stack output
 * `team_<team>_<role>_role_arn`, for the team's `eks.amazonaws.com/role-arn` annotation.
 */
export class TeamWorkloadRoles extends Construct {
  /** The roles by `<team>/<role>`. */
  readonly roles: Readonly<Record<string, IrsaRole>>;

  constructor(scope: Construct, id: string, props: TeamWorkloadRolesProps) {
    super(scope, id);
    const roles: Record<string, IrsaRole> = {};
    for (const [team, workloadRoles] of Object.entries(props.teams)) {
      const teamScope = new Construct(this, team);
      for (const [name, config] of Object.entries(workloadRoles)) {
        const role = new IrsaRole(teamScope, name, {
          oidc: props.oidc,
          namespace: config.namespace,
          serviceAccount: config.serviceAccount,
          roleName: workloadRoleName(props.namePrefix, team, name),
          description: `Workload role ${name} of team ${team} (${config.namespace}/${config.serviceAccount})`,
          policyStatements: config.statements.map((s) => ({ Effect: "Allow", Action: [...s.actions], Resource: [...s.resources] })),
        });
        new TerraformOutput(teamScope, `${name}-output`, {
          value: role.roleArn,
          description: `IAM role of ${config.namespace}/${config.serviceAccount} (team ${team})`,
        }).overrideLogicalId(`team_${team}_${name}_role_arn`);
        roles[`${team}/${name}`] = role;
      }
    }
    this.roles = roles;
  }
}
