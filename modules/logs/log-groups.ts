import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";
import type { AwsScope } from "../irsa/policy-document";

/**
 * ARN of a log group from its name, without the trailing `:*` (the form `aws_cloudwatch_log_group.arn`
 * has). Known before apply, so key policies and IAM policies can name the group before it exists.
 */
export function logGroupArn(scope: AwsScope, logGroupName: string): string {
  return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${logGroupName}`;
}

export interface EncryptedLogGroupsProps {
  readonly scope: AwsScope;
  /**
   * Log group names by a stable key. The key names the construct (`<key>`), so renaming a key
   * replaces the log group.
   */
  readonly logGroupNames: Readonly<Record<string, string>>;
  /** Retention of every group, in days (one of the values CloudWatch Logs accepts). */
  readonly retentionInDays: number;
  /**
   * ARN of the KMS key that encrypts the groups. The key policy must let CloudWatch Logs use it for
   * exactly these groups (`PlatformKey` with `cloudWatchLogGroupArns: Object.values(arns)`).
   */
  readonly kmsKeyArn: string;
  /**
   * Adds `prevent_destroy` so that Terraform refuses to delete the groups (and the logs in them).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/** A set of CloudWatch log groups with one retention, encrypted with one customer managed key. */
export class EncryptedLogGroups extends Construct {
  /** The log groups, by key. */
  readonly logGroups: Readonly<Record<string, CloudwatchLogGroup>>;
  /** ARNs of the groups by key (computed from the names, without `:*`). */
  readonly arns: Readonly<Record<string, string>>;

  /** ARNs of the groups `names` would get, by key (for a key policy written before the groups). */
  static arnsOf(scope: AwsScope, logGroupNames: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(logGroupNames).map(([key, name]) => [key, logGroupArn(scope, name)]));
  }

  constructor(scope: Construct, id: string, props: EncryptedLogGroupsProps) {
    super(scope, id);
    const groups: Record<string, CloudwatchLogGroup> = {};
    for (const [key, name] of Object.entries(props.logGroupNames)) {
      groups[key] = new CloudwatchLogGroup(this, key, {
        name,
        retentionInDays: props.retentionInDays,
        kmsKeyId: props.kmsKeyArn,
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      });
    }
    this.logGroups = groups;
    this.arns = EncryptedLogGroups.arnsOf(props.scope, props.logGroupNames);
  }
}
