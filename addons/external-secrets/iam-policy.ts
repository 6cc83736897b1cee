/**
 * IAM policy of the External Secrets Operator's AWS Secrets Manager provider (read-only), kept as
 * data.
 *
 * Source (read from the public repository, not retyped from memory):
 *   repository: external-secrets/external-secrets
 *   ref:        tag v2.9.0 (commit 378bdb622ed9712ef4a58370f6a17af033b7d343; app v2.9.0)
 *   path:       docs/provider/aws-secrets-manager.md, section "IAM Policy"
 *
 * Published policy: `secretsmanager:ListSecrets` and `secretsmanager:BatchGetSecretValue` on `*`, and
 * `secretsmanager:GetResourcePolicy`, `secretsmanager:GetSecretValue`,
 * `secretsmanager:DescribeSecret`, `secretsmanager:ListSecretVersionIds` on a secret ARN pattern
 * (`arn:aws:secretsmanager:us-west-2:111122223333:secret:dev-*`). PushSecret permissions are documented
 * separately and are not granted here.
 *
 * Applied here (read-only, named secrets):
 *   - `GetSecretValue`, `DescribeSecret`, `ListSecretVersionIds` on exactly the given secret ARNs.
 *     Pass full ARNs, including the random 6-character suffix Secrets Manager appends
 *     (`aws_secretsmanager_secret.arn`).
 *   - `GetResourcePolicy` is left out: the provider calls it only when pushing a secret with a
 *     `resourcePolicy` (providers/v1/aws/secretsmanager/secretsmanager.go at v2.9.0).
 *   - `ListSecrets` / `BatchGetSecretValue` (on `*`) are left out: they serve `dataFrom.find`
 *     (search by name or tags), which this policy does not support; ExternalSecrets must name their
 *     secrets (`data[].remoteRef.key` / `dataFrom.extract`).
 *   - `kms:Decrypt` on the given customer managed keys, for secrets encrypted with one
 *     (secrets under the AWS managed `aws/secretsmanager` key need no KMS permission).
 */
import type { PolicyStatement } from "../../modules/irsa/policy-document";

/** Where {@link externalSecretsPolicy} comes from, and the release it matches. */
export const EXTERNAL_SECRETS_POLICY_SOURCE = {
  repository: "external-secrets/external-secrets",
  ref: "v2.9.0",
  commit: "378bdb622ed9712ef4a58370f6a17af033b7d343",
  path: "docs/provider/aws-secrets-manager.md",
  section: "IAM Policy",
  appVersion: "v2.9.0",
} as const;

export interface ExternalSecretsPolicyArgs {
  /** Full ARNs of the secrets the operator may read (with the random suffix). */
  readonly secretArns: readonly string[];
  /**
   * ARNs of the customer managed KMS keys those secrets are encrypted with.
   * @default - none (secrets use the AWS managed key)
   */
  readonly kmsKeyArns?: readonly string[];
}

/**
 * The operator's read-only statements on exactly the given secrets (and their keys).
 *
 * @throws Error when `secretArns` is empty (a statement without resources is not a valid policy)
 */
export function externalSecretsPolicy(args: ExternalSecretsPolicyArgs): PolicyStatement[] {
  const { secretArns, kmsKeyArns = [] } = args;
  if (secretArns.length === 0) {
    throw new Error("externalSecretsPolicy: at least one secret ARN is required");
  }
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadNamedSecrets",
      Effect: "Allow",
      Action: [
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
        "secretsmanager:ListSecretVersionIds",
      ],
      Resource: [...secretArns],
    },
  ];
  if (kmsKeyArns.length > 0) {
    statements.push({
      Sid: "DecryptNamedSecrets",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [...kmsKeyArns],
    });
  }
  return statements;
}
