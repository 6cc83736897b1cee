/**
 * A plain IAM policy document, in AWS's own JSON shape. Policies are kept as data (not as
 * `data.aws_iam_policy_document` blocks) so that they are readable in the plan, testable without
 * cdktf and checkable by the guardrails.
 */
export type ConditionOperator =
  | "StringEquals"
  | "StringLike"
  | "StringNotEquals"
  | "StringNotLike"
  | "ArnEquals"
  | "ArnLike"
  | "Bool"
  | "Null"
  | "NumericLessThanEquals"
  | "ForAnyValue:StringEquals"
  | "ForAnyValue:StringLike"
  | "ForAllValues:StringEquals";

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  /** Only in resource policies (key, bucket and trust policies). */
  readonly Principal?: "*" | Readonly<Partial<Record<"AWS" | "Service" | "Federated", string | readonly string[]>>>;
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Wraps statements in a versioned policy document. */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * Where a policy is evaluated: the pieces every ARN needs. Values may be Terraform tokens
 * (e.g. `${data.aws_partition.current.partition}`), so builders only concatenate them.
 */
export interface AwsScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** A statement of a role's trust policy: who may assume it (no `Resource`). */
export interface TrustStatement {
  readonly Sid?: string;
  readonly Effect: "Allow";
  readonly Principal: Readonly<Partial<Record<"AWS" | "Service" | "Federated", string | readonly string[]>>>;
  readonly Action: readonly string[];
  readonly Condition?: PolicyStatement["Condition"];
}

/** Renders a trust (assume-role) policy. */
export function trustPolicy(statements: readonly TrustStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Trust for an AWS service principal. With `sourceAccount`, only calls made on behalf of that
 * account (`aws:SourceAccount`) may assume the role, against the confused-deputy problem; pass it
 * only for services that set the key (VPC flow logs do; EC2 instance profiles do not).
 */
export function serviceTrustPolicy(service: string, sourceAccount?: string): string {
  return trustPolicy([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: ["sts:AssumeRole"],
      ...(sourceAccount !== undefined ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
    },
  ]);
}

/** The scope of an account in a region, with the partition derived from the region. */
export function awsScope(region: string, accountId: string): AwsScope {
  return { partition: partitionOf(region), region, accountId };
}

/** The AWS partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
