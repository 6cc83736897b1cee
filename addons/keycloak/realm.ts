/**
 * The realm Keycloak imports at startup (`--import-realm`), as data. Pure: no cdktf.
 *
 * - Only public clients with the authorization code flow and PKCE (S256): no client secret exists
 *   anywhere. `kubernetes` serves `kubectl oidc-login` (kubelogin), `grafana` Grafana's login,
 *   `argocd` Argo CD's UI and CLI (`enablePKCEAuthentication`), `kiali` Kiali's UI (always PKCE).
 * - A `groups` claim (group names, no path) in the ID token, access token and userinfo of both
 *   clients, from a group-membership mapper on each client. It is not a realm client scope on
 *   purpose: a realm file that lists `clientScopes` replaces all of Keycloak's built-in scopes
 *   (`basic`, which writes `sub`, `profile`, `email`, ...), since `RealmManager.importRealm` creates
 *   them only when `clientScopes` is absent.
 * - Optional LDAP / Active Directory federation, read-only, whose bind password is a vault
 *   reference (`${vault.ldap-bind-credential}`) resolved from a mounted Kubernetes Secret: no
 *   credential in this file.
 *
 * Keycloak imports a realm only if it does not exist yet (existing realms are left alone), so this
 * file bootstraps the realm; later changes are made in the admin console or by a config tool.
 */

import { ARGO_CD_LOCAL_URL } from "../argo-cd/values";
import { KIALI_LOCAL_URL, kialiRedirectUri } from "../kiali/values";
import { BRUTE_FORCE_FAILURE_FACTOR } from "./brute-force";

/** Client id of the `kubectl oidc-login` client (also the `aud` the API server checks). */
export const KUBERNETES_CLIENT_ID = "kubernetes";
/** Client id of Grafana's login. */
export const GRAFANA_CLIENT_ID = "grafana";
/** Client id of Argo CD's login (UI with PKCE, and `argocd login --sso`). */
export const ARGO_CD_CLIENT_ID = "argocd";
/** Client id of Kiali's login (its ID tokens also carry the `kubernetes` audience, see `kialiClient`). */
export const KIALI_CLIENT_ID = "kiali";
/** Where `argocd login --sso` listens for the redirect (the CLI's default `--sso-port` 8085). */
export const ARGO_CD_CLI_REDIRECT_URI = "http://localhost:8085/auth/callback";
/** Where kubelogin listens for the redirect (its defaults: 8000, then 18000 if 8000 is taken). */
export const KUBELOGIN_REDIRECT_URIS = ["http://localhost:8000", "http://localhost:18000"] as const;
/** Name of the token claim carrying group names. */
export const GROUPS_CLAIM = "groups";
/** Vault key of the LDAP bind password: `${vault.ldap-bind-credential}`. */
export const LDAP_BIND_CREDENTIAL_VAULT_KEY = "ldap-bind-credential";

/**
 * Groups the realm starts with; their names reach Kubernetes as `oidc:<name>` and Grafana as they are.
 * - `platform-admins`: Grafana Admin; bind `oidc:platform-admins` to `cluster-admin` if wanted.
 * - `platform-developers`: Grafana Editor.
 * - `platform-viewers`: Grafana Viewer (everyone else is a Viewer too).
 */
export const PLATFORM_GROUPS = ["platform-admins", "platform-developers", "platform-viewers"] as const;

/** Scopes Keycloak creates in every realm, attached by default / on request to the clients. */
const DEFAULT_CLIENT_SCOPES = ["basic", "profile", "email", "roles", "web-origins", "acr"];
const OPTIONAL_CLIENT_SCOPES = ["offline_access"];

/** LDAP / Active Directory federation of the realm. */
export interface RealmLdap {
  /** `ldaps://host[:port]`. */
  readonly connectionUrl: string;
  /** Base DN of the users, e.g. `OU=Users,DC=corp,DC=example,DC=com`. */
  readonly usersDn: string;
  /** DN Keycloak binds as (its password comes from the vault). */
  readonly bindDn: string;
  /**
   * Directory flavour: attribute names and object classes follow Keycloak's defaults for it.
   * @default "ad"
   */
  readonly vendor?: "ad" | "other";
  /**
   * Base DN of the groups to import as realm groups (read-only).
   * @default - no group mapper: group membership is managed in Keycloak
   */
  readonly groupsDn?: string;
}

export interface KeycloakRealmInput {
  /** Realm name (also the issuer path: `/realms/<realm>`). */
  readonly realm: string;
  /**
   * Display name on the login page.
   * @default - the realm name
   */
  readonly displayName?: string;
  /** Grafana's root URL, without trailing slash (its redirect is `<root>/login/generic_oauth`). */
  readonly grafanaRootUrl: string;
  /**
   * Argo CD's URL (`url` of argocd-cm), without trailing slash: redirects to `<url>/pkce/verify`
   * (the UI's PKCE callback) and `<url>/auth/callback`.
   * @default ARGO_CD_LOCAL_URL
   */
  readonly argoCdUrl?: string;
  /**
   * Kiali's URL (its web root, e.g. `http://localhost:20001/kiali`): Kiali's OIDC redirect.
   * @default KIALI_LOCAL_URL
   */
  readonly kialiUrl?: string;
  /**
   * Redirect URIs of the `kubernetes` client.
   * @default KUBELOGIN_REDIRECT_URIS
   */
  readonly kubernetesRedirectUris?: readonly string[];
  /**
   * Groups created with the realm.
   * @default PLATFORM_GROUPS
   */
  readonly groups?: readonly string[];
  /**
   * LDAP / AD user federation.
   * @default - local users only
   */
  readonly ldap?: RealmLdap;
}

/** A Keycloak realm representation (the JSON Keycloak imports). */
export type RealmRepresentation = Record<string, unknown> & {
  readonly realm: string;
  readonly clients: readonly ClientRepresentation[];
};

export type ClientRepresentation = Record<string, unknown> & {
  readonly clientId: string;
  readonly publicClient: boolean;
  readonly redirectUris: readonly string[];
  readonly attributes: Readonly<Record<string, string>>;
};

/** The group-membership mapper writing group names (no path) to the `groups` claim. */
export function groupsMapper() {
  return {
    name: GROUPS_CLAIM,
    protocol: "openid-connect",
    protocolMapper: "oidc-group-membership-mapper",
    consentRequired: false,
    config: {
      "claim.name": GROUPS_CLAIM,
      "full.path": "false",
      "id.token.claim": "true",
      "access.token.claim": "true",
      "userinfo.token.claim": "true",
      "introspection.token.claim": "true",
    },
  };
}

/** A public OIDC client: authorization code flow with PKCE (S256) only, no secret, no other grant. */
export function publicPkceClient(args: {
  readonly clientId: string;
  readonly name: string;
  readonly description: string;
  readonly redirectUris: readonly string[];
  readonly rootUrl?: string;
  readonly postLogoutRedirectUris?: readonly string[];
}): ClientRepresentation {
  return {
    clientId: args.clientId,
    name: args.name,
    description: args.description,
    enabled: true,
    protocol: "openid-connect",
    publicClient: true,
    bearerOnly: false,
    consentRequired: false,
    standardFlowEnabled: true,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
    frontchannelLogout: true,
    fullScopeAllowed: false,
    ...(args.rootUrl === undefined ? {} : { rootUrl: args.rootUrl }),
    redirectUris: [...args.redirectUris],
    webOrigins: [],
    attributes: {
      "pkce.code.challenge.method": "S256",
      "oauth2.device.authorization.grant.enabled": "false",
      "oidc.ciba.grant.enabled": "false",
      // Keycloak separates several values of this attribute with "##".
      ...(args.postLogoutRedirectUris === undefined ? {} : { "post.logout.redirect.uris": args.postLogoutRedirectUris.join("##") }),
    },
    defaultClientScopes: [...DEFAULT_CLIENT_SCOPES],
    optionalClientScopes: [...OPTIONAL_CLIENT_SCOPES],
    protocolMappers: [groupsMapper()],
  };
}

/** Attribute names and object classes of a directory flavour (Keycloak's own defaults for it). */
export function ldapVendorSettings(vendor: "ad" | "other") {
  return vendor === "ad"
    ? {
        vendor: "ad",
        usernameLDAPAttribute: "sAMAccountName",
        rdnLDAPAttribute: "cn",
        uuidLDAPAttribute: "objectGUID",
        userObjectClasses: "person, organizationalPerson, user",
        firstNameLDAPAttribute: "givenName",
        groupObjectClasses: "group",
        groupsRetrieveStrategy: "LOAD_GROUPS_BY_MEMBER_ATTRIBUTE_RECURSIVELY",
      }
    : {
        vendor: "other",
        usernameLDAPAttribute: "uid",
        rdnLDAPAttribute: "uid",
        uuidLDAPAttribute: "entryUUID",
        userObjectClasses: "inetOrgPerson, organizationalPerson",
        firstNameLDAPAttribute: "cn",
        groupObjectClasses: "groupOfNames",
        groupsRetrieveStrategy: "LOAD_GROUPS_BY_MEMBER_ATTRIBUTE",
      };
}

const one = (value: string) => [value];

function attributeMapper(name: string, ldapAttribute: string, userModelAttribute: string, mandatory: boolean) {
  return {
    name,
    providerId: "user-attribute-ldap-mapper",
    subComponents: {},
    config: {
      "ldap.attribute": one(ldapAttribute),
      "user.model.attribute": one(userModelAttribute),
      "read.only": one("true"),
      "always.read.value.from.ldap": one("false"),
      "is.mandatory.in.ldap": one(String(mandatory)),
    },
  };
}

/**
 * The LDAP user storage component (`components` of the realm), read-only, with its mappers written
 * out: an imported component does not get the default mappers Keycloak adds when one is created in
 * the admin console.
 */
export function ldapComponent(ldap: RealmLdap) {
  if (!/^ldaps:\/\//.test(ldap.connectionUrl)) throw new Error(`LDAP must use TLS (ldaps://), got "${ldap.connectionUrl}"`);
  const v = ldapVendorSettings(ldap.vendor ?? "ad");
  const mappers: Record<string, unknown>[] = [
    attributeMapper("username", v.usernameLDAPAttribute, "username", true),
    attributeMapper("email", "mail", "email", false),
    attributeMapper("first name", v.firstNameLDAPAttribute, "firstName", false),
    attributeMapper("last name", "sn", "lastName", false),
  ];
  if (v.vendor === "ad") {
    mappers.push({ name: "MSAD account controls", providerId: "msad-user-account-control-mapper", subComponents: {}, config: {} });
  }
  if (ldap.groupsDn !== undefined) {
    mappers.push({
      name: "groups",
      providerId: "group-ldap-mapper",
      subComponents: {},
      config: {
        "groups.dn": one(ldap.groupsDn),
        "group.name.ldap.attribute": one("cn"),
        "group.object.classes": one(v.groupObjectClasses),
        "preserve.group.inheritance": one("false"),
        "membership.ldap.attribute": one("member"),
        "membership.attribute.type": one("DN"),
        "membership.user.ldap.attribute": one(v.usernameLDAPAttribute),
        "memberof.ldap.attribute": one("memberOf"),
        mode: one("READ_ONLY"),
        "user.roles.retrieve.strategy": one(v.groupsRetrieveStrategy),
        "groups.path": one("/"),
        "ignore.missing.groups": one("false"),
        "drop.non.existing.groups.during.sync": one("false"),
      },
    });
  }
  return {
    name: "ldap",
    providerId: "ldap",
    subComponents: { "org.keycloak.storage.ldap.mappers.LDAPStorageMapper": mappers },
    config: {
      enabled: one("true"),
      priority: one("0"),
      vendor: one(v.vendor),
      connectionUrl: one(ldap.connectionUrl),
      startTls: one("false"),
      useTruststoreSpi: one("always"),
      connectionPooling: one("true"),
      authType: one("simple"),
      bindDn: one(ldap.bindDn),
      bindCredential: one(`\${vault.${LDAP_BIND_CREDENTIAL_VAULT_KEY}}`),
      usersDn: one(ldap.usersDn),
      searchScope: one("2"),
      usernameLDAPAttribute: one(v.usernameLDAPAttribute),
      rdnLDAPAttribute: one(v.rdnLDAPAttribute),
      uuidLDAPAttribute: one(v.uuidLDAPAttribute),
      userObjectClasses: one(v.userObjectClasses),
      editMode: one("READ_ONLY"),
      importEnabled: one("true"),
      syncRegistrations: one("false"),
      trustEmail: one("true"),
      pagination: one("true"),
      fullSyncPeriod: one("-1"),
      changedSyncPeriod: one("-1"),
      cachePolicy: one("DEFAULT"),
    },
  };
}

/**
 * Argo CD's client (argo-cd operator manual, user-management/keycloak.md, "Keycloak and ArgoCD with
 * PKCE"): the UI's PKCE callback `/pkce/verify`, the server's `/auth/callback`, the CLI's port 8085.
 */
export function argoCdClient(url: string): ClientRepresentation {
  const root = url.replace(/\/+$/, "");
  return publicPkceClient({
    clientId: ARGO_CD_CLIENT_ID,
    name: "Argo CD",
    description: "Argo CD login (UI and argocd CLI, OIDC with PKCE)",
    rootUrl: root,
    redirectUris: [`${root}/pkce/verify`, `${root}/auth/callback`, ARGO_CD_CLI_REDIRECT_URI],
    postLogoutRedirectUris: [`${root}/applications`],
  });
}

/** A mapper adding a client id to the `aud` of the ID and access tokens (Keycloak's `oidc-audience-mapper`). */
export function audienceMapper(clientId: string) {
  return {
    name: `audience-${clientId}`,
    protocol: "openid-connect",
    protocolMapper: "oidc-audience-mapper",
    consentRequired: false,
    config: {
      "included.client.audience": clientId,
      "id.token.claim": "true",
      "access.token.claim": "true",
      "introspection.token.claim": "true",
    },
  };
}

/**
 * Kiali's client: Kiali 2.29 always sends a PKCE challenge and, without a client secret, its
 * `client_id` in the token request (handlers/authentication/openid_auth_controller.go @ v2.29.0), so
 * the client is public. Its redirect is Kiali's own URL (the web root). Kiali calls the API server
 * with the user's ID token, which the cluster accepts only if its `aud` contains the cluster's client
 * id (`kubernetes`, kubernetes-oidc.ts; the API server's OIDC check is "aud contains the client id",
 * coreos/go-oidc verify.go): an audience mapper adds it. Kiali itself accepts a token whose audience
 * list contains `kiali` (verifyAudienceClaim).
 */
export function kialiClient(url: string): ClientRepresentation {
  const redirect = kialiRedirectUri(url);
  const client = publicPkceClient({
    clientId: KIALI_CLIENT_ID,
    name: "Kiali",
    description: "Kiali login (OIDC with PKCE); its ID tokens are accepted by the Kubernetes API server",
    rootUrl: redirect,
    redirectUris: [redirect],
  });
  return { ...client, protocolMappers: [...(client.protocolMappers as object[]), audienceMapper(KUBERNETES_CLIENT_ID)] };
}

/** The realm representation Keycloak imports. */
export function keycloakRealm(input: KeycloakRealmInput): RealmRepresentation {
  const grafanaRoot = input.grafanaRootUrl.replace(/\/+$/, "");
  return {
    realm: input.realm,
    displayName: input.displayName ?? input.realm,
    enabled: true,
    sslRequired: "external",
    registrationAllowed: false,
    // Usernames reach Kubernetes (preferred_username): users may not change theirs.
    editUsernameAllowed: false,
    duplicateEmailsAllowed: false,
    loginWithEmailAllowed: true,
    resetPasswordAllowed: false,
    rememberMe: false,
    bruteForceProtected: true,
    failureFactor: BRUTE_FORCE_FAILURE_FACTOR,
    permanentLockout: false,
    accessTokenLifespan: 300,
    groups: (input.groups ?? PLATFORM_GROUPS).map((name) => ({ name, path: `/${name}` })),
    clients: [
      publicPkceClient({
        clientId: KUBERNETES_CLIENT_ID,
        name: "Kubernetes",
        description: "kubectl oidc-login (kubelogin): tokens for the EKS API server",
        redirectUris: input.kubernetesRedirectUris ?? KUBELOGIN_REDIRECT_URIS,
      }),
      publicPkceClient({
        clientId: GRAFANA_CLIENT_ID,
        name: "Grafana",
        description: "Grafana login (generic OAuth with PKCE)",
        rootUrl: grafanaRoot,
        redirectUris: [`${grafanaRoot}/login/generic_oauth`],
        postLogoutRedirectUris: [`${grafanaRoot}/login`],
      }),
      argoCdClient(input.argoCdUrl ?? ARGO_CD_LOCAL_URL),
      kialiClient(input.kialiUrl ?? KIALI_LOCAL_URL),
    ],
    ...(input.ldap === undefined ? {} : { components: { "org.keycloak.storage.UserStorageProvider": [ldapComponent(input.ldap)] } }),
  };
}

/**
 * Name of the vault file holding a realm's secret under the default `REALM_UNDERSCORE_KEY`
 * resolver: `<realm>_<key>`, underscores in either doubled.
 */
export function vaultFileName(realm: string, key: string): string {
  const escape = (s: string) => s.replace(/_/g, "__");
  return `${escape(realm)}_${escape(key)}`;
}
