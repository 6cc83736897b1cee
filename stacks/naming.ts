/**
 * Names shared by every stack. Changing any of them moves state or renames real resources, so
 * they are constants, not options.
 */

/** Prefix of platform-wide resource names. */
export const PLATFORM = "eks-idp";

/** The layers of one environment, in deploy order. */
export const LAYERS = ["network", "cluster", "addons"] as const;
export type Layer = (typeof LAYERS)[number];

/** `dev-network`, `prd-cluster`, ... */
export function stackName(env: string, layer: Layer): string {
  return `${env}-${layer}`;
}

/** The bootstrap stack of an account: `bootstrap-nonprod`, `bootstrap-prod`. */
export function bootstrapStackName(accountAlias: string): string {
  return `bootstrap-${accountAlias}`;
}

/** One state bucket per account; the account id keeps the global bucket name unique. */
export function stateBucketName(accountId: string): string {
  return `${PLATFORM}-tfstate-${accountId}`;
}

/** KMS alias of the key that encrypts the state bucket. */
export const STATE_KMS_ALIAS = `alias/${PLATFORM}-tfstate`;

/** The state object of one stack: `dev/network/terraform.tfstate`. */
export function stateKey(env: string, layer: Layer): string {
  return `${env}/${layer}/terraform.tfstate`;
}

/** EKS cluster name of an environment. */
export function clusterName(env: string): string {
  return `${PLATFORM}-${env}`;
}
