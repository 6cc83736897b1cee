import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { AwsScope, PolicyStatement, policyDocument } from "../irsa/policy-document";

/** Actions a service needs to use a key for envelope encryption, without wildcards. */
export const KMS_USE_ACTIONS = [
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
] as const;

export interface PlatformKeyProps {
  /** Alias without the `alias/` prefix, e.g. `eks-idp-dev-flow-logs`. */
  readonly alias: string;
  readonly description: string;
  /** Account, region and partition the key lives in. */
  readonly scope: AwsScope;
  /**
   * Log group ARNs (or ARN patterns) whose CloudWatch Logs encryption may use the key.
   * @default - CloudWatch Logs may not use the key
   */
  readonly cloudWatchLogGroupArns?: readonly string[];
  /**
   * Further key policy statements (service principals, roles).
   * @default - none
   */
  readonly additionalStatements?: readonly PolicyStatement[];
  /**
   * Waiting period before a scheduled deletion, in days (7-30).
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Adds `prevent_destroy` so that Terraform refuses to delete the key.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * A customer managed KMS key with rotation on and an alias. Its policy keeps AWS's default
 * statement (the account root may administer the key, so IAM policies decide who uses it) and adds
 * only the service principals passed in, each limited by encryption context or source account.
 */
export class PlatformKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  /** ARN of the key. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    const { partition, region, accountId } = props.scope;
    const statements: PolicyStatement[] = [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: ["kms:*"],
        Resource: ["*"],
      },
    ];
    if (props.cloudWatchLogGroupArns && props.cloudWatchLogGroupArns.length > 0) {
      statements.push({
        Sid: "CloudWatchLogsUsesKey",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: [...KMS_USE_ACTIONS],
        Resource: ["*"],
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": [...props.cloudWatchLogGroupArns] } },
      });
    }
    statements.push(...(props.additionalStatements ?? []));

    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: JSON.stringify(policyDocument(statements)),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
