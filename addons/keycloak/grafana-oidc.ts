/**
 * Grafana's login through Keycloak, as `grafana.ini` settings. Pure: no cdktf.
 *
 * Keys are Grafana's `[auth.generic_oauth]` options (conf/defaults.ini and the generic OAuth docs;
 * Grafana 13, the `grafana` subchart of kube-prometheus-stack 88.5.3). The client is public: PKCE
 * (`use_pkce`) replaces a client secret, and `auth_style = InParams` sends `client_id` in the token
 * request body without a secret. Roles come from the `groups` claim (see realm.ts).
 */

export interface GrafanaOidcInput {
  /** Issuer of the realm, `https://<host>/realms/<realm>`. */
  readonly issuerUrl: string;
  /** Public client id of Grafana in the realm. */
  readonly clientId: string;
  /**
   * Grafana's root URL; when given, logging out of Grafana also ends the Keycloak session and
   * returns to `<root>/login`.
   * @default - Grafana-only logout
   */
  readonly rootUrl?: string;
  /**
   * Group whose members are Grafana Admins.
   * @default "platform-admins"
   */
  readonly adminGroup?: string;
  /**
   * Group whose members are Grafana Editors.
   * @default "platform-developers"
   */
  readonly editorGroup?: string;
  /**
   * Button label on Grafana's login page.
   * @default "Keycloak"
   */
  readonly name?: string;
}

/** The `grafana.ini` sections to merge under the Grafana chart's `grafana.ini` value. */
export interface GrafanaOidcIni {
  readonly "auth.generic_oauth": Readonly<Record<string, string | boolean>>;
}

const GROUP = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/;

/**
 * `[auth.generic_oauth]` for a public PKCE client of Keycloak: everyone who can log in to the
 * realm may sign in (as Viewer unless in the admin or editor group).
 *
 * @throws Error when the issuer is not an https Keycloak realm URL or a group name could break the
 *   JMESPath expression
 */
export function grafanaOidcValues(input: GrafanaOidcInput): GrafanaOidcIni {
  const issuer = input.issuerUrl.replace(/\/+$/, "");
  if (!/^https:\/\/[^/]+\/(.+\/)?realms\/[^/]+$/.test(issuer)) {
    throw new Error(`issuerUrl must be https://<host>/realms/<realm>, got "${input.issuerUrl}"`);
  }
  const admins = input.adminGroup ?? "platform-admins";
  const editors = input.editorGroup ?? "platform-developers";
  for (const g of [admins, editors]) if (!GROUP.test(g)) throw new Error(`group name "${g}" is not allowed in role_attribute_path`);
  const oidc = `${issuer}/protocol/openid-connect`;
  const settings: Record<string, string | boolean> = {
    enabled: true,
    name: input.name ?? "Keycloak",
    icon: "signin",
    allow_sign_up: true,
    auto_login: false,
    client_id: input.clientId,
    scopes: "openid profile email",
    use_pkce: true,
    auth_style: "InParams",
    use_refresh_token: true,
    auth_url: `${oidc}/auth`,
    token_url: `${oidc}/token`,
    api_url: `${oidc}/userinfo`,
    login_attribute_path: "preferred_username",
    email_attribute_path: "email",
    name_attribute_path: "name",
    groups_attribute_path: "groups",
    role_attribute_path: `contains(groups[*], '${admins}') && 'Admin' || contains(groups[*], '${editors}') && 'Editor' || 'Viewer'`,
    role_attribute_strict: false,
    allow_assign_grafana_admin: false,
    skip_org_role_sync: false,
  };
  if (input.rootUrl !== undefined) {
    const back = encodeURIComponent(`${input.rootUrl.replace(/\/+$/, "")}/login`);
    settings.signout_redirect_url = `${oidc}/logout?client_id=${encodeURIComponent(input.clientId)}&post_logout_redirect_uri=${back}`;
  }
  return { "auth.generic_oauth": settings };
}
