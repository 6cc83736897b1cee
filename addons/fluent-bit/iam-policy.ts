/**
 * IAM permissions of Fluent Bit's AWS outputs (`cloudwatch_logs` and `opensearch` with `aws_auth`),
 * kept as data.
 *
 * Sources (read from the public repositories, not retyped from memory):
 *   CloudWatch Logs output
 *     repository: fluent/fluent-bit-docs
 *     ref:        master at commit f92ae08080ee108c2d1a2969f9d7e3d3b4c35950 (docs of Fluent Bit v4.x)
 *     path:       pipeline/outputs/cloudwatch.md, section "Permissions"
 *     The page lists `logs:CreateLogStream`, `logs:CreateLogGroup`, `logs:PutLogEvents` and
 *     `logs:PutRetentionPolicy` on `*`. It does not list `logs:DescribeLogStreams`, and the plugin's
 *     source calls only those four APIs (fluent/fluent-bit, plugins/out_cloudwatch_logs/cloudwatch_api.c
 *     at commit 0003f7acf88a8bf77010e624570cd2ef24f821fd: `CreateLogGroup`, `PutRetentionPolicy`,
 *     `CreateLogStream`, `PutLogEvents`). `DescribeLogStreams` was needed only by the retired Go
 *     plugin (`cloudwatch`).
 *     Applied here: log groups are created by Terraform, so `auto_create_group` stays `false`
 *     (`logs:CreateLogGroup` omitted) and `log_retention_days` stays `0` (`logs:PutRetentionPolicy`
 *     omitted). `logs:CreateLogStream` is granted on `<log group ARN>:*` and `logs:PutLogEvents` on
 *     `<log group ARN>:log-stream:*`, for the given log groups only.
 *   OpenSearch output
 *     repository: fluent/fluent-bit-docs, same commit, path pipeline/outputs/opensearch.md, section
 *     "Fluent Bit and Amazon OpenSearch Service": requests are SigV4-signed (`aws_auth on`) but the
 *     page names no IAM actions. The plugin's source sends one kind of request, an HTTP `POST` to
 *     `<path>/_bulk` (fluent/fluent-bit, plugins/out_opensearch/opensearch.c at commit
 *     043f92e3960f8ec45ca8e94394a0163431c6cc22, `cb_opensearch_flush`), which Amazon OpenSearch
 *     Service authorizes as `es:ESHttpPost`. Only that action is granted, on `<domain ARN>/*`. (With
 *     fine-grained access control the role must also be mapped to an OpenSearch role that may write
 *     the indices.)
 */
import type { AwsScope, PolicyStatement } from "../../modules/irsa/policy-document";

/** Where {@link fluentBitCloudWatchPolicy} and {@link fluentBitOpenSearchPolicy} come from. */
export const FLUENT_BIT_POLICY_SOURCE = {
  cloudWatchLogs: {
    repository: "fluent/fluent-bit-docs",
    ref: "master",
    commit: "f92ae08080ee108c2d1a2969f9d7e3d3b4c35950",
    path: "pipeline/outputs/cloudwatch.md",
    section: "Permissions",
    pluginSource: {
      repository: "fluent/fluent-bit",
      commit: "0003f7acf88a8bf77010e624570cd2ef24f821fd",
      path: "plugins/out_cloudwatch_logs/cloudwatch_api.c",
    },
  },
  openSearch: {
    repository: "fluent/fluent-bit-docs",
    ref: "master",
    commit: "f92ae08080ee108c2d1a2969f9d7e3d3b4c35950",
    path: "pipeline/outputs/opensearch.md",
    section: "Fluent Bit and Amazon OpenSearch Service",
    pluginSource: {
      repository: "fluent/fluent-bit",
      commit: "043f92e3960f8ec45ca8e94394a0163431c6cc22",
      path: "plugins/out_opensearch/opensearch.c",
    },
  },
  appVersion: "4.x",
} as const;

export interface FluentBitCloudWatchPolicyArgs {
  /** Not used in the ARNs (they come whole in `logGroupArns`); kept for a uniform signature. */
  readonly scope: AwsScope;
  /**
   * ARNs of the log groups Fluent Bit writes to, without a trailing `:*`
   * (`aws_cloudwatch_log_group.arn`: `arn:<p>:logs:<region>:<account>:log-group:<name>`).
   */
  readonly logGroupArns: readonly string[];
}

/**
 * Statements for the `cloudwatch_logs` output writing to existing log groups
 * (`auto_create_group false`, no `log_retention_days`).
 *
 * @throws Error when `logGroupArns` is empty (a statement without resources is not a valid policy)
 */
export function fluentBitCloudWatchPolicy(args: FluentBitCloudWatchPolicyArgs): PolicyStatement[] {
  const { logGroupArns } = args;
  if (logGroupArns.length === 0) {
    throw new Error("fluentBitCloudWatchPolicy: at least one log group ARN is required");
  }
  return [
    {
      Sid: "CreateLogStreamsInOwnGroups",
      Effect: "Allow",
      Action: ["logs:CreateLogStream"],
      Resource: logGroupArns.map((arn) => `${arn}:*`),
    },
    {
      Sid: "PutLogEventsToOwnStreams",
      Effect: "Allow",
      Action: ["logs:PutLogEvents"],
      Resource: logGroupArns.map((arn) => `${arn}:log-stream:*`),
    },
  ];
}

export interface FluentBitOpenSearchPolicyArgs {
  /** ARN of the Amazon OpenSearch Service domain (`arn:<p>:es:<region>:<account>:domain/<name>`). */
  readonly domainArn: string;
}

/** Statements for the `opensearch` output with `aws_auth on` (bulk indexing only). */
export function fluentBitOpenSearchPolicy(args: FluentBitOpenSearchPolicyArgs): PolicyStatement[] {
  return [
    {
      Sid: "BulkIndexIntoDomain",
      Effect: "Allow",
      Action: ["es:ESHttpPost"],
      Resource: [`${args.domainArn}/*`],
    },
  ];
}
