/**
 * The permissions boundary of every IAM role the platform's stacks create: one customer managed
 * policy per account (created by the bootstrap stack), `<prefix>-permissions-boundary`.
 *
 * A boundary grants nothing; it caps what a role's own policies can grant (IAM User Guide,
 * "Permissions boundaries for IAM entities"). This one allows everything except:
 * - IAM writes (`iam:Create*`, `Put*`, `Attach*`, `Delete*`, `Update*`, ...) on anything but instance
 *   profiles and service-linked roles: Karpenter's published controller policy creates, tags and
 *   deletes instance profiles and adds its node role to them (`iam:CreateInstanceProfile`,
 *   `iam:TagInstanceProfile`, `iam:AddRoleToInstanceProfile`, `iam:RemoveRoleFromInstanceProfile`,
 *   `iam:DeleteInstanceProfile`, addons/karpenter/iam-policy.ts), and the AWS Load Balancer
 *   Controller and `AmazonEKSClusterPolicy` create the Elastic Load Balancing service-linked role
 *   (`iam:CreateServiceLinkedRole`). No role can create or change a role, user, group or policy, and
 *   none can remove a boundary (`iam:DeleteRolePermissionsBoundary`) or change this policy
 *   (`iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`, `iam:DeletePolicy`).
 * - `iam:PassRole` of any role but the platform's node roles (`<prefix>-*-node`: the managed node
 *   groups' and Karpenter's). `iam:AddRoleToInstanceProfile` also needs `iam:PassRole` on the role
 *   (Service Authorization Reference, IAM, dependent actions), so only a node role can end up in an
 *   instance profile.
 * - AWS Organizations and account settings (`organizations:*`, `account:*`).
 *
 * The CI deploy roles may write a role only with this boundary (`iam:PermissionsBoundary`
 * condition, modules/github/ci-policies.ts), and `PermissionsBoundaryAspect` puts it on every
 * `aws_iam_role` of a stack.
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Aspects, IAspect } from "cdktf";
import { IConstruct } from "constructs";
import type { AwsScope, PolicyStatement } from "../irsa/policy-document";

/** A statement of the boundary: `NotResource` keeps the exceptions in the deny itself. */
export type BoundaryStatement =
  | PolicyStatement
  | (Omit<PolicyStatement, "Resource"> & { readonly NotResource: readonly string[] });

/** IAM write actions (every IAM action that is not a read, list or simulation), by verb. */
export const IAM_WRITE_ACTIONS = [
  "iam:Add*",
  "iam:Attach*",
  "iam:Change*",
  "iam:Create*",
  "iam:Deactivate*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:Disable*",
  "iam:Enable*",
  "iam:Put*",
  "iam:Remove*",
  "iam:Reset*",
  "iam:Resync*",
  "iam:Set*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:Update*",
  "iam:Upload*",
] as const;

/** Name of the boundary policy of an account. */
export function permissionsBoundaryName(namePrefix: string): string {
  return `${namePrefix}-permissions-boundary`;
}

/** ARN of the boundary policy of the scope's account (customer managed policies have no region). */
export function permissionsBoundaryArn(scope: AwsScope, namePrefix: string): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:policy/${permissionsBoundaryName(namePrefix)}`;
}

/** ARNs of the roles workload roles may pass: the platform's node roles (`<prefix>-<env>-node`, `<prefix>-<env>-karpenter-node`). */
export function passableRoleArns(scope: AwsScope, namePrefix: string): string[] {
  return [`arn:${scope.partition}:iam::${scope.accountId}:role/${namePrefix}-*-node`];
}

/** The boundary policy's statements (see the module comment). */
export function permissionsBoundaryStatements(scope: AwsScope, namePrefix: string): BoundaryStatement[] {
  const iam = (resource: string) => `arn:${scope.partition}:iam::${scope.accountId}:${resource}`;
  return [
    // A boundary only caps: the role's own (least-privilege) policies still decide what it may do.
    { Sid: "CapOnly", Effect: "Allow", Action: ["*"], Resource: ["*"] },
    {
      Sid: "DenyIamWritesButInstanceProfilesAndServiceLinkedRoles",
      Effect: "Deny",
      Action: [...IAM_WRITE_ACTIONS],
      NotResource: [iam("instance-profile/*"), iam("role/aws-service-role/*")],
    },
    { Sid: "DenyPassingOtherRoles", Effect: "Deny", Action: ["iam:PassRole"], NotResource: passableRoleArns(scope, namePrefix) },
    { Sid: "DenyOrganizationsAndAccount", Effect: "Deny", Action: ["account:*", "organizations:*"], Resource: ["*"] },
  ];
}

/** The boundary policy document, as IAM takes it. */
export function permissionsBoundaryDocument(scope: AwsScope, namePrefix: string): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: permissionsBoundaryStatements(scope, namePrefix) });
}

/**
 * Puts `boundaryArn` on every `aws_iam_role` below the scope it is added to (a role that sets it
 * already keeps it); a role with another boundary fails validation (synth names its path).
 */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof IamRole)) return;
    const current = node.permissionsBoundaryInput;
    if (current === undefined) node.permissionsBoundary = this.boundaryArn;
    else if (current !== this.boundaryArn) {
      const message = `IAM role has the permissions boundary ${current}; every platform role must have ${this.boundaryArn}`;
      node.node.addValidation({ validate: () => [message] });
    }
  }
}

/** Adds {@link PermissionsBoundaryAspect} to `scope` (usually a stack). */
export function requirePermissionsBoundary(scope: IConstruct, boundaryArn: string): void {
  Aspects.of(scope).add(new PermissionsBoundaryAspect(boundaryArn));
}
