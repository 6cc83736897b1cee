/**
 * External Secrets Operator custom resources as plain objects (rendered by `CustomResources`, the
 * platform-resources chart). Pure: no cdktf. Shapes follow the operator's v2.9.0 APIs:
 * - `external-secrets.io/v1` `SecretStore` with `spec.provider.aws` (`service`, `region`,
 *   `auth.jwt.serviceAccountRef.name`: in a namespaced store the service account is always the
 *   store's own namespace; `namespace` is only for ClusterSecretStores) and `ExternalSecret`
 *   (`secretStoreRef`, `target`, `refreshInterval` / `refreshPolicy`, `data[].remoteRef`,
 *   `dataFrom[].sourceRef.generatorRef`);
 * - `generators.external-secrets.io/v1alpha1` `Password` (`length`, `digits`, `symbols`,
 *   `noUpper`, `allowRepeat`; the generated value is under the key `password`).
 * No secret value ever appears here: only where to read it from.
 */

export const EXTERNAL_SECRETS_API_VERSION = "external-secrets.io/v1";
export const GENERATORS_API_VERSION = "generators.external-secrets.io/v1alpha1";

/** A namespaced custom resource as the platform-resources chart renders it. */
export type KubernetesObject = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: Record<string, unknown>;
};

export interface AwsSecretsManagerStoreArgs {
  readonly name: string;
  readonly namespace: string;
  readonly region: string;
  /** Service account (same namespace) annotated with the IRSA role the operator assumes for this store. */
  readonly serviceAccountName: string;
}

/** A namespaced `SecretStore` reading AWS Secrets Manager as the given service account's IRSA role. */
export function awsSecretsManagerStore(args: AwsSecretsManagerStoreArgs): KubernetesObject {
  return {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: "SecretStore",
    metadata: { name: args.name, namespace: args.namespace },
    spec: {
      provider: {
        aws: {
          service: "SecretsManager",
          region: args.region,
          auth: { jwt: { serviceAccountRef: { name: args.serviceAccountName } } },
        },
      },
    },
  };
}

/** One key of the Kubernetes Secret, read from a Secrets Manager secret (or one JSON property of it). */
export interface RemoteValue {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** Secrets Manager secret name or ARN. */
  readonly key: string;
  /**
   * JSON property of the secret's value.
   * @default - the whole value
   */
  readonly property?: string;
}

export interface ExternalSecretArgs {
  readonly name: string;
  readonly namespace: string;
  /** The `SecretStore` (same namespace) to read from. */
  readonly storeName: string;
  /**
   * Name of the Kubernetes Secret to create (owned by the ExternalSecret).
   * @default - `name`
   */
  readonly targetName?: string;
  readonly data: readonly RemoteValue[];
  /**
   * How often the Secret is re-read (rotated values arrive within this interval).
   * @default "1h"
   */
  readonly refreshInterval?: string;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * An `ExternalSecret` that materializes named remote values into one Kubernetes Secret.
 *
 * @throws Error when there is no value or a key is not a valid Secret key
 */
export function externalSecret(args: ExternalSecretArgs): KubernetesObject {
  if (args.data.length === 0) throw new Error(`ExternalSecret ${args.namespace}/${args.name} has no data`);
  for (const d of args.data) {
    if (!SECRET_KEY.test(d.secretKey) || d.secretKey.length > 253) throw new Error(`"${d.secretKey}" is not a valid Secret key`);
  }
  return {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: "ExternalSecret",
    metadata: { name: args.name, namespace: args.namespace },
    spec: {
      refreshInterval: args.refreshInterval ?? "1h",
      secretStoreRef: { kind: "SecretStore", name: args.storeName },
      target: { name: args.targetName ?? args.name, creationPolicy: "Owner" },
      data: args.data.map((d) => ({
        secretKey: d.secretKey,
        remoteRef: d.property === undefined ? { key: d.key } : { key: d.key, property: d.property },
      })),
    },
  };
}

export interface PasswordGeneratorArgs {
  readonly name: string;
  readonly namespace: string;
  /**
   * Length of the generated password.
   * @default 32
   */
  readonly length?: number;
}

/** A `Password` generator: random passwords made by the operator inside the cluster (never in Terraform). */
export function passwordGenerator(args: PasswordGeneratorArgs): KubernetesObject {
  return {
    apiVersion: GENERATORS_API_VERSION,
    kind: "Password",
    metadata: { name: args.name, namespace: args.namespace },
    spec: { length: args.length ?? 32, digits: 6, symbols: 0, noUpper: false, allowRepeat: true },
  };
}

export interface GeneratedSecretArgs {
  readonly name: string;
  readonly namespace: string;
  /** Name of the `Password` generator (same namespace). */
  readonly generatorName: string;
  /**
   * Name of the Kubernetes Secret to create.
   * @default - `name`
   */
  readonly targetName?: string;
}

/**
 * An `ExternalSecret` that fills a Secret once from a `Password` generator (key `password`) and never
 * regenerates it (`refreshPolicy: CreatedOnce`).
 */
export function generatedPasswordSecret(args: GeneratedSecretArgs): KubernetesObject {
  return {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: "ExternalSecret",
    metadata: { name: args.name, namespace: args.namespace },
    spec: {
      refreshPolicy: "CreatedOnce",
      target: { name: args.targetName ?? args.name, creationPolicy: "Owner" },
      dataFrom: [{ sourceRef: { generatorRef: { apiVersion: GENERATORS_API_VERSION, kind: "Password", name: args.generatorName } } }],
    },
  };
}
