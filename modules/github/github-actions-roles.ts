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
  deployGuardStatements,
  deployPolicyStatements,
  deployStateStatements,
  planStateStatements,
  StateLocation,
} from "./ci-policies";
import { environmentSubject, GITHUB_OIDC_URL, githubRepository, githubTrustStatement, pullRequestSubject } from "./github-oidc";

export interface GithubActionsRolesProps {
  /** The repository whose workflows may assume the roles, `owner/name` (exact). */
  readonly repository: string;
  /**
   * GitHub environments whose jobs may assume the deploy role (the platform environments of the
   * account; the deploy workflow's jobs are named after them).
   */
  readonly environments: readonly string[];
  /** Account, region, name prefix and platform tag the policies are scoped to. */
  readonly scope: CiPolicyScope;
  /** The account's Terraform state. */
  readonly state: StateLocation;
  /**
   * Longest session of the deploy role, in seconds (creating a cluster or a search domain takes a while).
   * @default 7200
   */
  readonly deployMaxSessionDurationSeconds?: number;
}

/**
 * The account's GitHub Actions identity provider and the two roles the CI workflows assume with it:
 * `<prefix>-github-plan` (read-only, for `pull_request` runs) and `<prefix>-github-deploy` (writes
 * the platform, only for jobs of the account's GitHub environments). Both trusts are exact
 * `StringEquals` on `aud` and `sub`.
 */
export class GithubActionsRoles extends Construct {
  readonly provider: IamOpenidConnectProvider;
  readonly planRole: IamRole;
  readonly deployRole: IamRole;

  constructor(scope: Construct, id: string, props: GithubActionsRolesProps) {
    super(scope, id);
    const repository = githubRepository(props.repository);
    const { partition } = props.scope;
    const names = ciRoleNames(props.scope.namePrefix);
    const readOnly = `arn:${partition}:iam::aws:policy/ReadOnlyAccess`;
    const inline = (statements: readonly PolicyStatement[]) => JSON.stringify(policyDocument(statements));

    // AWS provider 6 no longer needs thumbprint_list: IAM verifies GitHub's certificate against its trusted CAs.
    this.provider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: GITHUB_OIDC_URL,
      clientIdList: [STS_AUDIENCE],
    });

    this.planRole = new IamRole(this, "plan-role", {
      name: names.plan,
      description: `Terraform plan from pull requests of ${repository} (read-only)`,
      assumeRolePolicy: trustPolicy([githubTrustStatement(this.provider.arn, [pullRequestSubject(repository)])]),
      maxSessionDuration: 3600,
    });
    new IamRolePolicyAttachment(this, "plan-read-only", { role: this.planRole.name, policyArn: readOnly });
    new IamRolePolicy(this, "plan-state", {
      role: this.planRole.id,
      name: "terraform-state-read-and-lock",
      policy: inline(planStateStatements(props.scope, props.state)),
    });

    const environments = [...new Set(props.environments)].sort();
    this.deployRole = new IamRole(this, "deploy-role", {
      name: names.deploy,
      description: `Terraform apply of ${environments.join(", ")} from ${repository}'s deploy workflow`,
      assumeRolePolicy: trustPolicy([
        githubTrustStatement(
          this.provider.arn,
          environments.map((env) => environmentSubject(repository, env)),
        ),
      ]),
      maxSessionDuration: props.deployMaxSessionDurationSeconds ?? 7200,
    });
    new IamRolePolicyAttachment(this, "deploy-read-only", { role: this.deployRole.name, policyArn: readOnly });
    new IamRolePolicy(this, "deploy-state", {
      role: this.deployRole.id,
      name: "terraform-state",
      policy: inline(deployStateStatements(props.scope, props.state, environments)),
    });
    new IamRolePolicy(this, "deploy-guards", {
      role: this.deployRole.id,
      name: "guards",
      policy: inline(deployGuardStatements(props.scope, props.state)),
    });
    for (const [layer, statements] of Object.entries(deployPolicyStatements(props.scope))) {
      const policy = new IamPolicy(this, `deploy-${layer}`, {
        name: `${names.deploy}-${layer}`,
        description: `Writes of the ${layer} layer for ${names.deploy}`,
        policy: inline(statements),
      });
      new IamRolePolicyAttachment(this, `deploy-${layer}-attachment`, { role: this.deployRole.name, policyArn: policy.arn });
    }
  }
}
