/**
 * Provider and backend wiring shared by the stacks. Sources are written as `namespace/type`, the
 * global address both Terraform and OpenTofu resolve against their own registry (cdktf would write
 * the legacy bare `aws`).
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { Layer, STATE_KMS_ALIAS, stateBucketName, stateKey } from "./naming";

/** Terraform / OpenTofu versions the synthesized JSON is written for (native S3 locking needs 1.10). */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.10.0";

/** Writes the fully qualified source of a provider used in `stack`. */
export function qualifyProviderSource(stack: TerraformStack, localName: string, source: string): void {
  stack.addOverride(`terraform.required_providers.${localName}.source`, source);
}

/** Pins the Terraform version of a stack. */
export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
}

export interface StateBackendProps {
  readonly accountId: string;
  readonly region: string;
  readonly env: string;
  readonly layer: Layer;
}

/**
 * The remote state of one environment layer: its own key in the account's state bucket,
 * SSE-KMS with the state key, and S3-native locking (`use_lockfile`, Terraform >= 1.10; cdktf 0.21
 * has no option for it, so it is an override).
 */
export function configureStateBackend(stack: TerraformStack, props: StateBackendProps): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: stateBucketName(props.accountId),
    key: stateKey(props.env, props.layer),
    region: props.region,
    encrypt: true,
    kmsKeyId: `arn:aws:kms:${props.region}:${props.accountId}:${STATE_KMS_ALIAS}`,
    allowedAccountIds: [props.accountId],
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return backend;
}

export interface AwsProviderProps {
  readonly region: string;
  readonly accountId: string;
  /** Default tags on every taggable resource. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The AWS provider of a stack: refuses any other account, tags everything. */
export function awsProvider(scope: Construct, props: AwsProviderProps): AwsProvider {
  const provider = new AwsProvider(scope, "aws", {
    region: props.region,
    allowedAccountIds: [props.accountId],
    defaultTags: [{ tags: { ...props.tags } }],
  });
  qualifyProviderSource(TerraformStack.of(scope), "aws", "hashicorp/aws");
  return provider;
}
