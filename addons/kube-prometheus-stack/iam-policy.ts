/**
 * IAM permissions for Amazon Managed Service for Prometheus (AMP), kept as data.
 *
 * Sources (AWS's published managed policies, read from the AWS Managed Policy reference):
 *   AmazonPrometheusRemoteWriteAccess  - `aps:RemoteWrite` on `*`
 *     https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonPrometheusRemoteWriteAccess.html
 *   AmazonPrometheusQueryAccess (v1)   - `aps:GetLabels`, `aps:GetMetricMetadata`, `aps:GetSeries`,
 *                                        `aps:QueryMetrics` on `*`
 *     https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonPrometheusQueryAccess.html
 *   The Service Authorization Reference for `aps` lists the `workspace` resource type
 *   (`arn:<partition>:aps:<region>:<account>:workspace/<id>`) as required for all five actions, so the
 *   same actions are granted here on one workspace ARN instead of `*`.
 *
 * Encryption: the workspace may be encrypted with a customer managed key. AMP uses the KMS grant it
 * creates when the workspace is created (by the Terraform caller) to encrypt and decrypt the data, so
 * the writer and reader roles get no KMS permissions.
 */
import type { PolicyStatement } from "../../modules/irsa/policy-document";

/** Actions Prometheus needs to remote-write into a workspace (AmazonPrometheusRemoteWriteAccess). */
export const AMP_REMOTE_WRITE_ACTIONS = ["aps:RemoteWrite"] as const;

/** Actions a query client (Grafana) needs on a workspace (AmazonPrometheusQueryAccess). */
export const AMP_QUERY_ACTIONS = ["aps:GetLabels", "aps:GetMetricMetadata", "aps:GetSeries", "aps:QueryMetrics"] as const;

/** Remote write into exactly one workspace. */
export function ampRemoteWritePolicy(workspaceArn: string): PolicyStatement[] {
  return [{ Sid: "RemoteWrite", Effect: "Allow", Action: [...AMP_REMOTE_WRITE_ACTIONS], Resource: [workspaceArn] }];
}

/** Read-only queries against exactly one workspace. */
export function ampQueryPolicy(workspaceArn: string): PolicyStatement[] {
  return [{ Sid: "QueryMetrics", Effect: "Allow", Action: [...AMP_QUERY_ACTIONS], Resource: [workspaceArn] }];
}
