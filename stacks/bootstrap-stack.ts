import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { GithubActionsRoles } from "../modules/github/github-actions-roles";
import { awsScope } from "../modules/irsa/policy-document";
import { PlatformKey } from "../modules/kms/platform-key";
import { SecureBucket } from "../modules/s3/secure-bucket";
import { bootstrapStackName, PLATFORM, STATE_KMS_ALIAS, stateBucketName } from "./naming";
import { awsProvider, requireTerraformVersion } from "./providers";

export interface BootstrapStackProps {
  readonly accountAlias: string;
  readonly accountId: string;
  readonly region: string;
  /** Owner tag value. */
  readonly owner: string;
  /**
   * GitHub Actions access: the account's `token.actions.githubusercontent.com` identity provider,
   * a read-only plan role for the repository's pull requests and a deploy role for the jobs of the
   * given GitHub environments (the platform environments of this account).
   * @default - no GitHub Actions identity provider or roles
   */
  readonly github?: {
    /** `owner/name` of the repository (exact). */
    readonly repository: string;
    /** GitHub environments that may deploy to this account, e.g. `["dev", "stg"]`. */
    readonly environments: readonly string[];
  };
}

/**
 * `bootstrap-<account>`: the state bucket (and its KMS key) that every other stack of the account
 * keeps its state in. It runs first, once per account, on local state (there is no bucket yet);
 * see the README for moving its own state into the bucket afterwards.
 */
export class BootstrapStack extends TerraformStack {
  readonly bucket: SecureBucket;
  readonly key: PlatformKey;
  readonly accountAlias: string;
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
    this.bucket = new SecureBucket(this, "state-bucket", {
      bucketName: stateBucketName(props.accountId),
      kmsKeyArn: this.key.arn,
      noncurrentVersionExpirationDays: 365,
      preventDestroy: true,
    });

    new TerraformOutput(this, "state_bucket", { value: this.bucket.name, description: "Terraform state bucket" });
    new TerraformOutput(this, "state_kms_key_arn", { value: this.key.arn, description: "KMS key of the state bucket" });

    if (props.github) {
      this.github = new GithubActionsRoles(this, "github-actions", {
        repository: props.github.repository,
        environments: props.github.environments,
        scope: { ...aws, namePrefix: PLATFORM, managedByTag: { key: "ManagedBy", value: managedBy } },
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
      new TerraformOutput(this, "github_deploy_role_arn", {
        value: this.github.deployRole.arn,
        description: "Role the deploy workflow assumes for terraform apply (GitHub environments of this account only)",
      });
    }
  }
}
