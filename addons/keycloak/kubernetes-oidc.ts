/**
 * The EKS API server's trust in the Keycloak realm (`aws_eks_identity_provider_config`), as data.
 * Pure: no cdktf.
 *
 * Users are `oidc:<preferred_username>` and their groups `oidc:<group>`: the prefix keeps every
 * Keycloak identity out of the `system:` names (EKS rejects `system:` prefixes) and apart from IAM
 * identities, so a Keycloak user named `admin` or a group named `system:masters` grants nothing.
 * `preferred_username` rather than `email`: users cannot change it (`editUsernameAllowed: false`),
 * and Kubernetes rejects email claims whose `email_verified` is false.
 */

/** Prefix of every Kubernetes user and group name coming from Keycloak. */
export const OIDC_PREFIX = "oidc:";

export interface EksOidcInput {
  /** `https://<host>/realms/<realm>`. */
  readonly issuerUrl: string;
  /** The realm's client for kubectl (the token's `aud`). */
  readonly clientId: string;
  /**
   * Name of the identity provider configuration on the cluster (changing it replaces it).
   * @default "keycloak"
   */
  readonly name?: string;
}

/** The `oidc` block of `aws_eks_identity_provider_config`, in cdktf's property names. */
export function eksOidcIdentityProvider(input: EksOidcInput) {
  if (!/^https:\/\/[^/]+\/realms\/[^/]+$/.test(input.issuerUrl)) {
    throw new Error(`issuerUrl must be https://<host>/realms/<realm>, got "${input.issuerUrl}"`);
  }
  return {
    identityProviderConfigName: input.name ?? "keycloak",
    issuerUrl: input.issuerUrl,
    clientId: input.clientId,
    usernameClaim: "preferred_username",
    usernamePrefix: OIDC_PREFIX,
    groupsClaim: "groups",
    groupsPrefix: OIDC_PREFIX,
  };
}

/** The issuer of a realm served at `https://<hostname>/` (relative path `/`). */
export function realmIssuerUrl(hostname: string, realm: string): string {
  return `https://${hostname}/realms/${realm}`;
}
