import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { STS_AUDIENCE } from "../irsa/irsa-role";
import { PolicyStatement, policyDocument, trustPolicy } from "../irsa/policy-document";
import {
  CiPolicyScope,
  ciRoleNames,
  DeployScope,
  deployGuardStatements,
  deployPolicyStatements,
  deployStateStatements,
  planStateStatements,
  StateLocation,
} from "./ci-policies";
import {
  branchSubject,
  environmentSubject,
  GITHUB_OIDC_URL,
  githubRepository,
  githubTrustStatement,
  planEnvironmentName,
  pullRequestSubject,
} from "./github-oidc";

/**
 * Who may assume the plan role of an account:
 * - `"pull-request"`: jobs of the repository's pull requests (`repo:<repo>:pull_request`), for
 *   accounts that hold no prod environment;
 * - `"plan-environments"`: only jobs of the GitHub environments `<env>-plan`, whose protection
 *   rules (required reviewers) hold them, for prod accounts: no pull request reaches them unreviewed.
 */
export type PlanTrust = "pull-request" | "plan-environments";

export interface GithubActionsRolesProps {
  /** The repository whose workflows may assume the roles, `owner/name` (exact). */
  readonly repository: string;
  /**
   * The platform environments of the account: each gets its own deploy role, trusted only by the
   * GitHub environment of the same name (the deploy workflow's job of that environment).
   */
  readonly environments: readonly string[];
  /** Who may assume the plan role. */
  readonly planTrust: PlanTrust;
  /** Account, region, name prefix and platform tag the policies are scoped to. */
  readonly scope: CiPolicyScope;
  /** The tag key whose value names the environment on each of its resources, e.g. `Environment`. */
  readonly environmentTagKey: string;
  /** The account's permissions boundary policy: the plan role carries it, every role a deploy role writes must. */
  readonly permissionsBoundary: IamPolicy;
  /** Its ARN as a plain string (what the deploy policies' `iam:PermissionsBoundary` conditions compare with). */
  readonly permissionsBoundaryArn: string;
  /** The account's Terraform state. */
  readonly state: StateLocation;
  /**
   * Longest session of a deploy role, in seconds (creating a cluster or a search domain takes a while).
   * @default 7200
   */
  readonly deployMaxSessionDurationSeconds?: number;
}

/** The branch whose pushes the deploy workflow plans (and applies after approval). */
export const DEPLOY_BRANCH = "main";

/**
 * The subjects the plan role of an account trusts: the `<env>-plan` GitHub environments of its
 * environments (held pull-request plans: prod stacks, and add-ons stacks, which read the add-on
 * namespaces' Secrets), pushes to `main` (the deploy workflow's plans of reviewed code), and, in an
 * account without prod (`"pull-request"`), every pull request (network and cluster plans).
 */
export function planSubjects(repository: string, environments: readonly string[], trust: PlanTrust): string[] {
  return [
    ...(trust === "pull-request" ? [pullRequestSubject(repository)] : []),
    ...environments.map((env) => environmentSubject(repository, planEnvironmentName(env))),
    branchSubject(repository, DEPLOY_BRANCH),
  ];
}

/**
 * The account's GitHub Actions identity provider and the roles the CI workflows assume with it:
 * `<prefix>-github-plan` (read-only, see {@link PlanTrust}) and one `<prefix>-github-deploy-<env>`
 * per environment (writes that environment only, for the deploy job of its GitHub environment).
 * Every trust is exact `StringEquals` on `aud` and `sub`.
 */
export class GithubActionsRoles extends Construct {
  readonly provider: IamOpenidConnectProvider;
  readonly planRole: IamRole;
  /** The deploy role of each environment, by environment name. */
  readonly deployRoles: Readonly<Record<string, IamRole>>;

  constructor(scope: Construct, id: string, props: GithubActionsRolesProps) {
    super(scope, id);
    const repository = githubRepository(props.repository);
    const { partition } = props.scope;
    const names = ciRoleNames(props.scope.namePrefix);
    const readOnly = `arn:${partition}:iam::aws:policy/ReadOnlyAccess`;
    const inline = (statements: readonly PolicyStatement[]) => JSON.stringify(policyDocument(statements));
    const environments = [...new Set(props.environments)].sort();

    // AWS provider 6 no longer needs thumbprint_list: IAM verifies GitHub's certificate against its trusted CAs.
    this.provider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: GITHUB_OIDC_URL,
      clientIdList: [STS_AUDIENCE],
    });

    this.planRole = new IamRole(this, "plan-role", {
      name: names.plan,
      description:
        `Terraform plan (read-only) from ${repository}: ${props.planTrust === "pull-request" ? "pull requests, " : ""}` +
        `GitHub environments ${environments.map(planEnvironmentName).join(", ")}, pushes to ${DEPLOY_BRANCH}`,
      assumeRolePolicy: trustPolicy([githubTrustStatement(this.provider.arn, planSubjects(repository, environments, props.planTrust))]),
      maxSessionDuration: 3600,
      permissionsBoundary: props.permissionsBoundary.arn,
    });
    new IamRolePolicyAttachment(this, "plan-read-only", { role: this.planRole.name, policyArn: readOnly });
    new IamRolePolicy(this, "plan-state", {
      role: this.planRole.id,
      name: "terraform-state-read",
      policy: inline(planStateStatements(props.scope, props.state)),
    });

    const deployRoles: Record<string, IamRole> = {};
    for (const environment of environments) {
      const roleName = names.deploy(environment);
      const deployScope: DeployScope = {
        ...props.scope,
        environment,
        environmentTagKey: props.environmentTagKey,
        permissionsBoundaryArn: props.permissionsBoundaryArn,
      };
      // A deploy role writes IAM roles, so it cannot carry the boundary that forbids that; its own
      // policies require the boundary on every role it writes and deny changing the CI roles.
      const role = new IamRole(this, `deploy-${environment}-role`, {
        name: roleName,
        description: `Terraform apply of ${environment} from ${repository}'s deploy workflow`,
        assumeRolePolicy: trustPolicy([githubTrustStatement(this.provider.arn, [environmentSubject(repository, environment)])]),
        maxSessionDuration: props.deployMaxSessionDurationSeconds ?? 7200,
      });
      new IamRolePolicyAttachment(this, `deploy-${environment}-read-only`, { role: role.name, policyArn: readOnly });
      new IamRolePolicy(this, `deploy-${environment}-state`, {
        role: role.id,
        name: "terraform-state",
        policy: inline(deployStateStatements(deployScope, props.state)),
      });
      new IamRolePolicy(this, `deploy-${environment}-guards`, {
        role: role.id,
        name: "guards",
        policy: inline(deployGuardStatements(deployScope, props.state)),
      });
      for (const [layer, statements] of Object.entries(deployPolicyStatements(deployScope))) {
        const policy = new IamPolicy(this, `deploy-${environment}-${layer}`, {
          name: `${roleName}-${layer}`,
          description: `Writes of the ${layer} layer of ${environment} for ${roleName}`,
          policy: inline(statements),
        });
        new IamRolePolicyAttachment(this, `deploy-${environment}-${layer}-attachment`, { role: role.name, policyArn: policy.arn });
      }
      deployRoles[environment] = role;
    }
    this.deployRoles = deployRoles;
  }
}
