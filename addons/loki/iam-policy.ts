/**
 * IAM policy of Loki on S3, kept as data.
 *
 * Source: Grafana's "Deploy the Loki Helm chart on AWS" guide
 * (https://grafana.com/docs/loki/latest/setup/install/helm/deployment-guides/aws/, "Create the
 * LokiS3AccessPolicy"): `s3:ListBucket` on the bucket, `s3:PutObject`, `s3:GetObject`,
 * `s3:DeleteObject` on its objects. The guide's policy names two buckets (chunks and ruler); the
 * platform keeps both prefixes in one bucket, so the statements name that one bucket.
 *
 * SSE-KMS: the bucket encrypts with a customer managed key; the Amazon S3 User Guide ("Using
 * server-side encryption with AWS KMS keys (SSE-KMS)", Permissions) says writing and reading such
 * objects needs `kms:GenerateDataKey` and `kms:Decrypt` on the key: those two, on that key only.
 */
import type { PolicyStatement } from "../../modules/irsa/policy-document";

export const LOKI_BUCKET_ACTIONS = ["s3:ListBucket"] as const;
export const LOKI_OBJECT_ACTIONS = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"] as const;
export const LOKI_KMS_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"] as const;

/** Read, write and delete (retention) in exactly one bucket, with its key. */
export function lokiPolicy(bucketArn: string, kmsKeyArn: string): PolicyStatement[] {
  return [
    { Sid: "ListBucket", Effect: "Allow", Action: [...LOKI_BUCKET_ACTIONS], Resource: [bucketArn] },
    { Sid: "ReadWriteObjects", Effect: "Allow", Action: [...LOKI_OBJECT_ACTIONS], Resource: [`${bucketArn}/*`] },
    { Sid: "BucketKey", Effect: "Allow", Action: [...LOKI_KMS_ACTIONS], Resource: [kmsKeyArn] },
  ];
}
