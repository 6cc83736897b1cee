import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { partitionOf } from "../modules/irsa/policy-document";
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

  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, bootstrapStackName(props.accountAlias));
    this.accountAlias = props.accountAlias;
    requireTerraformVersion(this);
    // Outside cdktf.out (which synthesis rewrites): <repo>/bootstrap-state/<stack>.tfstate.
    new LocalBackend(this, { path: `../../../bootstrap-state/${bootstrapStackName(props.accountAlias)}.tfstate` });
    awsProvider(this, {
      region: props.region,
      accountId: props.accountId,
      tags: { Layer: "bootstrap", Owner: props.owner, ManagedBy: `cdktf/${PLATFORM}` },
    });

    this.key = new PlatformKey(this, "state-key", {
      alias: STATE_KMS_ALIAS.replace(/^alias\//, ""),
      description: `Encrypts the Terraform state of ${PLATFORM} in account ${props.accountAlias}`,
      scope: { partition: partitionOf(props.region), region: props.region, accountId: props.accountId },
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
  }
}
