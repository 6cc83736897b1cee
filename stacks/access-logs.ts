/**
 * The per-account S3 access-log bucket: its name (every stack of the account derives it, so the
 * add-ons layer needs no output of the bootstrap stack) and which buckets may log to it.
 */
import { PLATFORM } from "./naming";

/** The access-log bucket of an account: `eks-idp-s3-access-logs-<account id>` (created by `bootstrap-<account>`). */
export function accessLogBucketName(accountId: string): string {
  return `${PLATFORM}-s3-access-logs-${accountId}`;
}

/** The buckets allowed to deliver access logs to it: the platform's own (`eks-idp-*`), as an ArnLike pattern. */
export function platformBucketArnPattern(partition: string): string {
  return `arn:${partition}:s3:::${PLATFORM}-*`;
}
