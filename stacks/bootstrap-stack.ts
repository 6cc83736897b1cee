import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { GithubActionsRoles, PlanTrust } from "../modules/github/github-actions-roles";
import { suppress } from "../modules/guardrails/guardrails";
import { permissionsBoundaryArn, permissionsBoundaryDocument, permissionsBoundaryName } from "../modules/iam/permissions-boundary";
import { awsScope } from "../modules/irsa/policy-document";
import { PlatformKey } from "../modules/kms/platform-key";
import { AccessLogBucket } from "../modules/s3/access-log-bucket";
import { SecureBucket } from "../modules/s3/secure-bucket";
import { accessLogBucketName, platformBucketArnPattern } from "./access-logs";
import { bootstrapStackName, PLATFORM, STATE_KMS_ALIAS, stateBucketName } from "./naming";
import { awsProvider, requireTerraformVersion } from "./providers";

/**
 * The default tag whose value names the environment on every resource of its stacks
 * (`environmentTags` in stacks/environment-stack.ts; a test keeps the two in step): the deploy
 * roles' KMS statements match on it.
 */
export const ENVIRONMENT_TAG_KEY = "Environment";

export interface BootstrapStackProps {
  readonly accountAlias: string;
  readonly accountId: string;
  readonly region: string;
  /** Owner tag value. */
  readonly owner: string;
  /**
   * GitHub Actions access: the account's `token.actions.githubusercontent.com` identity provider,
   * a read-only plan role and one deploy role per environment, each trusted only by the GitHub
   * environment of the same name (see `GithubActionsRoles`).
   * @default - no GitHub Actions identity provider or roles
   */
  readonly github?: {
    /** `owner/name` of the repository (exact). */
    readonly repository: string;
    /** The platform environments of this account, e.g. `["dev", "stg"]`: one deploy role each. */
    readonly environments: readonly string[];
    /** Who may assume the plan role: `"plan-environments"` in an account with a prod environment. */
    readonly planTrust: PlanTrust;
  };
}

/**
 * `bootstrap-<account>`: the state bucket (and its KMS key) that every other stack of the account
 * keeps its state in. It runs first, once per account, on local state (there is no bucket yet);
 * see the README for moving its own state into the bucket afterwards.
 */
export class BootstrapStack extends TerraformStack {
  readonly bucket: SecureBucket;
  /** The account's S3 server access-log bucket (state and Velero buckets log to it). */
  readonly accessLogs: AccessLogBucket;
  readonly key: PlatformKey;
  readonly accountAlias: string;
  /** The permissions boundary every role of the account's platform stacks carries (modules/iam/permissions-boundary.ts). */
  readonly permissionsBoundary: IamPolicy;
  /** The GitHub Actions provider and roles, when `github` is set. */
  readonly github?: GithubActionsRoles;

  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, bootstrapStackName(props.accountAlias));
    this.accountAlias = props.accountAlias;
    const aws = awsScope(props.region, props.accountId);
    requireTerraformVersion(this);
    // Outside cdktf.out (which synthesis rewrites): <repo>/bootstrap-state/<stack>.tfstate.
    new LocalBackend(this, { path: `../../../bootstrap-state/${bootstrapStackName(props.accountAlias)}.tfstate` });
    const managedBy = `cdktf/${PLATFORM}`;
    awsProvider(this, {
      region: props.region,
      accountId: props.accountId,
      tags: { Layer: "bootstrap", Owner: props.owner, ManagedBy: managedBy },
    });

    this.key = new PlatformKey(this, "state-key", {
      alias: STATE_KMS_ALIAS.replace(/^alias\//, ""),
      description: `Encrypts the Terraform state of ${PLATFORM} in account ${props.accountAlias}`,
      scope: aws,
      preventDestroy: true,
    });
    this.accessLogs = new AccessLogBucket(this, "access-log-bucket", {
      bucketName: accessLogBucketName(props.accountId),
      scope: aws,
      sourceBucketArns: [platformBucketArnPattern(aws.partition)],
      preventDestroy: true,
    });
    this.bucket = new SecureBucket(this, "state-bucket", {
      bucketName: stateBucketName(props.accountId),
      kmsKeyArn: this.key.arn,
      noncurrentVersionExpirationDays: 365,
      preventDestroy: true,
      accessLogging: { targetBucket: this.accessLogs.name },
    });

    this.permissionsBoundary = new IamPolicy(this, "permissions-boundary", {
      name: permissionsBoundaryName(PLATFORM),
      description: `Permissions boundary of every IAM role of ${PLATFORM}: no IAM, Organizations or account changes`,
      policy: permissionsBoundaryDocument(aws, PLATFORM),
    });
    const boundaryReason =
      "A permissions boundary grants nothing: its Allow * is the ceiling that its explicit denies (IAM writes, iam:PassRole of other roles, Organizations, account) cut down; each role's own least-privilege policy decides what it may do.";
    suppress(this.permissionsBoundary, "IAM-NO-ADMIN", boundaryReason);
    suppress(this.permissionsBoundary, "IAM-NO-WILDCARD-ACTION", boundaryReason);

    new TerraformOutput(this, "state_bucket", { value: this.bucket.name, description: "Terraform state bucket" });
    new TerraformOutput(this, "state_kms_key_arn", { value: this.key.arn, description: "KMS key of the state bucket" });

    if (props.github) {
      this.github = new GithubActionsRoles(this, "github-actions", {
        repository: props.github.repository,
        environments: props.github.environments,
        planTrust: props.github.planTrust,
        scope: { ...aws, namePrefix: PLATFORM, managedByTag: { key: "ManagedBy", value: managedBy } },
        environmentTagKey: ENVIRONMENT_TAG_KEY,
        permissionsBoundary: this.permissionsBoundary,
        permissionsBoundaryArn: permissionsBoundaryArn(aws, PLATFORM),
        state: {
          bucketName: stateBucketName(props.accountId),
          keyArn: this.key.arn,
          keyAliasArn: `arn:${aws.partition}:kms:${aws.region}:${aws.accountId}:${STATE_KMS_ALIAS}`,
        },
      });
      new TerraformOutput(this, "github_oidc_provider_arn", {
        value: this.github.provider.arn,
        description: "IAM OIDC provider of GitHub Actions",
      });
      new TerraformOutput(this, "github_plan_role_arn", {
        value: this.github.planRole.arn,
        description: "Role the pull-request workflow assumes for terraform plan (read-only)",
      });
      new TerraformOutput(this, "github_deploy_role_arns", {
        value: Object.fromEntries(Object.entries(this.github.deployRoles).map(([env, role]) => [env, role.arn])),
        description: "Role of each environment the deploy workflow assumes for terraform apply (its GitHub environment only)",
      });
    }
  }
}
