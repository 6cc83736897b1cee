import { Testing, TerraformResource, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EXTERNAL_SECRETS_CHART } from "../addons/external-secrets/chart";
import { awsSecretsManagerStore, externalSecret, generatedPasswordSecret, passwordGenerator } from "../addons/external-secrets/manifests";
import { externalSecretsValues } from "../addons/external-secrets/values";
import { Keycloak } from "../addons/keycloak";
import { KEYCLOAK_IMAGE, KEYCLOAKX_CHART } from "../addons/keycloak/chart";
import { grafanaOidcValues } from "../addons/keycloak/grafana-oidc";
import { eksOidcIdentityProvider, OIDC_PREFIX, realmIssuerUrl } from "../addons/keycloak/kubernetes-oidc";
import {
  ARGO_CD_CLIENT_ID,
  KIALI_CLIENT_ID,
  GRAFANA_CLIENT_ID,
  KUBELOGIN_REDIRECT_URIS,
  KUBERNETES_CLIENT_ID,
  keycloakRealm,
  ldapComponent,
  vaultFileName,
  type ClientRepresentation,
} from "../addons/keycloak/realm";
import { ALB_SSL_POLICY, keycloakValues, MASTER_REALM, publicPaths, type KeycloakValuesInput } from "../addons/keycloak/values";
import { BRUTE_FORCE_SETTINGS, hardeningJob, hardeningScript } from "../addons/keycloak/hardening";
import { RELOADER_CHART, RELOADER_SECRET_ANNOTATION } from "../addons/reloader/chart";
import type { KeycloakDatabase } from "../addons/keycloak-database";
import { checkDatabaseSettings, postgresParameterGroupFamily, rdsLogGroupName } from "../addons/keycloak-database/settings";
import type { PlatformEnvironment } from "../environments/validate";
import { GRAFANA_ROOT_URL } from "../stacks/addons/auth";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";

const { envs, stacks } = platform();

/**
 * Top-level keys of keycloakx 7.1.11's values.yaml (codecentric/helm-charts charts/keycloakx @
 * 57c2f8e0) and of external-secrets 2.9.0's (external-secrets/external-secrets
 * deploy/charts/external-secrets @ cc5bfbc2), so that a misspelt key fails here instead of being
 * silently ignored by Helm.
 */
const KEYCLOAKX_KEYS = new Set([
  "fullnameOverride", "nameOverride", "replicas", "image", "imagePullSecrets", "hostAliases", "enableServiceLinks",
  "podManagementPolicy", "updateStrategy", "revisionHistoryLimit", "restartPolicy", "serviceAccount", "rbac",
  "podSecurityContext", "securityContext", "extraInitContainers", "skipInitContainers", "extraContainers",
  "lifecycleHooks", "terminationGracePeriodSeconds", "clusterDomain", "command", "args", "extraEnv", "extraEnvFrom",
  "priorityClassName", "affinity", "topologySpreadConstraints", "nodeSelector", "tolerations", "podLabels",
  "podAnnotations", "livenessProbe", "readinessProbe", "startupProbe", "resources", "extraVolumes",
  "volumeClaimTemplates", "extraVolumeMounts", "extraPorts", "podDisruptionBudget", "statefulsetAnnotations",
  "statefulsetLabels", "secrets", "service", "serviceHeadless", "httpRoute", "ingress", "networkPolicy", "route",
  "dbchecker", "database", "cache", "proxy", "metrics", "health", "http", "serviceMonitor", "extraServiceMonitor",
  "prometheusRule", "autoscaling", "test", "extraManifests",
]);
const KEYCLOAKX_DATABASE_KEYS = new Set(["existingSecret", "existingSecretKey", "vendor", "hostname", "port", "database", "username", "password"]);
const KEYCLOAKX_INGRESS_KEYS = new Set(["enabled", "ingressClassName", "servicePort", "annotations", "labels", "rules", "tls", "console"]);
const EXTERNAL_SECRETS_KEYS = new Set([
  "global", "replicaCount", "bitwarden-sdk-server", "revisionHistoryLimit", "image", "installCRDs", "crds",
  "imagePullSecrets", "nameOverride", "fullnameOverride", "namespaceOverride", "commonLabels", "leaderElect",
  "leaderElectionID", "leaderElectionLeaseDuration", "leaderElectionRenewDeadline", "leaderElectionRetryPeriod",
  "controllerClass", "extendedMetricLabels", "scopedNamespace", "scopedRBAC", "openshiftFinalizers",
  "systemAuthDelegator", "processClusterExternalSecret", "processClusterPushSecret", "processClusterStore",
  "processSecretStore", "storeRequeueInterval", "processClusterGenerator", "processPushSecret", "genericTargets",
  "createOperator", "enableHTTP2", "vault", "concurrent", "log", "service", "serviceAccount", "rbac", "extraEnv",
  "extraArgs", "extraVolumes", "extraObjects", "extraVolumeMounts", "extraInitContainers", "extraContainers",
  "deploymentAnnotations", "strategy", "podAnnotations", "podLabels", "podSecurityContext", "securityContext",
  "resources", "serviceMonitor", "metrics", "grafanaDashboard", "livenessProbe", "readinessProbe", "nodeSelector",
  "tolerations", "topologySpreadConstraints", "affinity", "priorityClassName", "schedulerName", "runtimeClassName",
  "podDisruptionBudget", "hostNetwork", "hostUsers", "networkPolicy", "webhook", "certController", "dnsPolicy",
  "dnsConfig", "podSpecExtra",
]);

const RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } };
const VALUES_INPUT: KeycloakValuesInput = {
  releaseName: "keycloak",
  replicas: 3,
  hostname: "sso.example.com",
  realm: "platform",
  certificateArn: "arn:aws:acm:ap-northeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
  database: { host: "db.example.internal", port: 5432, name: "keycloak", secretName: "keycloak-db" },
  realmConfigMapName: "keycloak-realm",
  bootstrapAdminSecretName: "keycloak-bootstrap-admin",
  resources: RESOURCES,
};

/** Every client of a realm is public, code flow + PKCE S256 only, and carries no secret. */
function expectPublicPkceClients(clients: readonly ClientRepresentation[]) {
  expect(clients.length).toBeGreaterThan(0);
  for (const c of clients) {
    expect(c.publicClient, c.clientId).toBe(true);
    expect(c.attributes["pkce.code.challenge.method"], c.clientId).toBe("S256");
    expect(c.standardFlowEnabled, c.clientId).toBe(true);
    expect(c.implicitFlowEnabled, c.clientId).toBe(false);
    expect(c.directAccessGrantsEnabled, c.clientId).toBe(false);
    expect(c.serviceAccountsEnabled, c.clientId).toBe(false);
    expect(c, c.clientId).not.toHaveProperty("secret");
    expect(c.clientAuthenticatorType, c.clientId).toBeUndefined();
    expect(c.redirectUris.every((u) => !u.includes("*")), c.clientId).toBe(true);
  }
}

describe("Keycloak database settings (pure)", () => {
  it("derives the parameter group family from the engine version", () => {
    expect(postgresParameterGroupFamily("17.6")).toBe("postgres17");
    expect(postgresParameterGroupFamily("16.10")).toBe("postgres16");
    expect(() => postgresParameterGroupFamily("17")).toThrow(/<major>.<minor>/);
    expect(() => postgresParameterGroupFamily("11.22")).toThrow(/end of life/);
  });

  it("names the log group RDS writes to", () => {
    expect(rdsLogGroupName("eks-idp-dev-keycloak")).toBe("/aws/rds/instance/eks-idp-dev-keycloak/postgresql");
  });

  it("rejects short backups, one subnet, no allowed group and a bad identifier, all at once", () => {
    const ok = {
      identifier: "eks-idp-dev-keycloak",
      subnetIds: ["a", "b"],
      allowedSecurityGroupKeys: ["cluster"],
      backupRetentionPeriod: 7,
      engineVersion: "17.6",
      allocatedStorage: 20,
    };
    expect(checkDatabaseSettings(ok)).toEqual([]);
    const problems = checkDatabaseSettings({ ...ok, identifier: "Bad_Name", subnetIds: ["a"], allowedSecurityGroupKeys: [], backupRetentionPeriod: 3 });
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).toMatch(/identifier/);
    expect(problems.join("\n")).toMatch(/two AZs/);
    expect(problems.join("\n")).toMatch(/allowedSecurityGroups is empty/);
    expect(problems.join("\n")).toMatch(/backupRetentionPeriod must be 7-35/);
  });
});

describe("Keycloak realm (pure)", () => {
  const realm = keycloakRealm({ realm: "platform", grafanaRootUrl: "http://localhost:3000/" });

  it("has only public PKCE clients: kubernetes (kubelogin), grafana, argocd and kiali", () => {
    expectPublicPkceClients(realm.clients);
    expect(realm.clients.map((c) => c.clientId)).toEqual([KUBERNETES_CLIENT_ID, GRAFANA_CLIENT_ID, ARGO_CD_CLIENT_ID, KIALI_CLIENT_ID]);
    const [kubernetes, grafana] = realm.clients;
    expect(kubernetes!.redirectUris).toEqual([...KUBELOGIN_REDIRECT_URIS]);
    expect(kubernetes!.redirectUris).toContain("http://localhost:8000");
    expect(grafana!.redirectUris).toEqual(["http://localhost:3000/login/generic_oauth"]);
  });

  it("emits group names in a groups claim of ID token, access token and userinfo", () => {
    for (const client of realm.clients) {
      const mappers = client.protocolMappers as any[];
      const groups = mappers.find((m) => m.protocolMapper === "oidc-group-membership-mapper");
      expect(groups.config).toMatchObject({
        "claim.name": "groups",
        "full.path": "false",
        "id.token.claim": "true",
        "access.token.claim": "true",
        "userinfo.token.claim": "true",
      });
    }
  });

  it("keeps Keycloak's built-in client scopes (no clientScopes list that would replace them)", () => {
    expect(realm).not.toHaveProperty("clientScopes");
    for (const client of realm.clients) expect(client.defaultClientScopes).toContain("basic");
  });

  it("does not let users rename themselves (usernames reach Kubernetes)", () => {
    expect(realm.editUsernameAllowed).toBe(false);
    expect(realm.registrationAllowed).toBe(false);
    expect(realm).not.toHaveProperty("components");
  });

  it("federates LDAP read-only over ldaps with the bind password from the vault", () => {
    const ldap = { connectionUrl: "ldaps://dc.corp.example.com", usersDn: "OU=Users,DC=corp", bindDn: "CN=keycloak,OU=Svc,DC=corp" };
    const withLdap = keycloakRealm({ realm: "platform", grafanaRootUrl: GRAFANA_ROOT_URL, ldap: { ...ldap, groupsDn: "OU=Groups,DC=corp" } });
    const [component] = (withLdap.components as any)["org.keycloak.storage.UserStorageProvider"];
    expect(component.providerId).toBe("ldap");
    expect(component.config).toMatchObject({
      connectionUrl: [ldap.connectionUrl],
      usersDn: [ldap.usersDn],
      bindDn: [ldap.bindDn],
      bindCredential: ["${vault.ldap-bind-credential}"],
      editMode: ["READ_ONLY"],
      vendor: ["ad"],
      usernameLDAPAttribute: ["sAMAccountName"],
    });
    const mappers = component.subComponents["org.keycloak.storage.ldap.mappers.LDAPStorageMapper"].map((m: any) => m.providerId);
    expect(mappers).toEqual(expect.arrayContaining(["user-attribute-ldap-mapper", "msad-user-account-control-mapper", "group-ldap-mapper"]));
    expect(JSON.stringify(withLdap)).not.toMatch(/"bindCredential":\["[^$]/);
    expect(ldapComponent({ ...ldap, vendor: "other" }).config.uuidLDAPAttribute).toEqual(["entryUUID"]);
    expect(() => ldapComponent({ ...ldap, connectionUrl: "ldap://dc.corp.example.com" })).toThrow(/ldaps/);
  });

  it("names vault files as Keycloak's REALM_UNDERSCORE_KEY resolver reads them", () => {
    expect(vaultFileName("platform", "ldap-bind-credential")).toBe("platform_ldap-bind-credential");
    expect(vaultFileName("my_realm", "a_key")).toBe("my__realm_a__key");
  });
});

describe("Grafana and Kubernetes OIDC settings (pure)", () => {
  const issuer = realmIssuerUrl("sso.example.com", "platform");

  it("configures Grafana's generic OAuth for a public PKCE client", () => {
    const ini = grafanaOidcValues({ issuerUrl: issuer, clientId: GRAFANA_CLIENT_ID })["auth.generic_oauth"];
    expect(ini).toMatchObject({
      enabled: true,
      client_id: "grafana",
      use_pkce: true,
      auth_style: "InParams",
      auth_url: "https://sso.example.com/realms/platform/protocol/openid-connect/auth",
      token_url: "https://sso.example.com/realms/platform/protocol/openid-connect/token",
      api_url: "https://sso.example.com/realms/platform/protocol/openid-connect/userinfo",
      groups_attribute_path: "groups",
    });
    expect(ini).not.toHaveProperty("client_secret");
    expect(ini.scopes).toContain("openid");
    expect(ini.role_attribute_path).toBe(
      "contains(groups[*], 'platform-admins') && 'Admin' || contains(groups[*], 'platform-developers') && 'Editor' || 'Viewer'",
    );
    expect(() => grafanaOidcValues({ issuerUrl: "http://sso.example.com/realms/platform", clientId: "grafana" })).toThrow(/https/);
    expect(() => grafanaOidcValues({ issuerUrl: issuer, clientId: "grafana", adminGroup: "x') || 'Admin" })).toThrow(/not allowed/);
  });

  it("ends the Keycloak session on Grafana logout when the root URL is known", () => {
    const ini = grafanaOidcValues({ issuerUrl: issuer, clientId: "grafana", rootUrl: "http://localhost:3000" })["auth.generic_oauth"];
    expect(ini.signout_redirect_url).toBe(
      "https://sso.example.com/realms/platform/protocol/openid-connect/logout?client_id=grafana&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Flogin",
    );
  });

  it("prefixes Kubernetes users and groups with oidc: so that Keycloak can never name a system identity", () => {
    expect(OIDC_PREFIX).toBe("oidc:");
    expect(eksOidcIdentityProvider({ issuerUrl: issuer, clientId: KUBERNETES_CLIENT_ID })).toEqual({
      identityProviderConfigName: "keycloak",
      issuerUrl: issuer,
      clientId: "kubernetes",
      usernameClaim: "preferred_username",
      usernamePrefix: "oidc:",
      groupsClaim: "groups",
      groupsPrefix: "oidc:",
    });
    expect(() => eksOidcIdentityProvider({ issuerUrl: "https://sso.example.com", clientId: "kubernetes" })).toThrow(/realms/);
  });
});

describe("Chart values (pure)", () => {
  it("keycloakx: only keys the chart has, upstream image, jdbc-ping caches, xforwarded proxy headers", () => {
    const v = keycloakValues(VALUES_INPUT) as Record<string, any>;
    for (const key of Object.keys(v)) expect(KEYCLOAKX_KEYS.has(key), `keycloakx has no value "${key}"`).toBe(true);
    for (const key of Object.keys(v.database)) expect(KEYCLOAKX_DATABASE_KEYS.has(key), `database.${key}`).toBe(true);
    for (const key of Object.keys(v.ingress)) expect(KEYCLOAKX_INGRESS_KEYS.has(key), `ingress.${key}`).toBe(true);
    expect(v.image).toEqual({ repository: "quay.io/keycloak/keycloak", tag: KEYCLOAK_IMAGE.tag });
    expect(KEYCLOAK_IMAGE.tag).toMatch(/^26\./);
    expect(v.cache).toEqual({ stack: "default" });
    expect(v.proxy).toEqual({ enabled: true, mode: "xforwarded", http: { enabled: true } });
    expect(v.args).toEqual(["start", "--import-realm"]);
    expect(v.database).toMatchObject({ vendor: "postgres", existingSecret: "keycloak-db", existingSecretKey: "password" });
    expect(v.database).not.toHaveProperty("password");
    for (const key of ["extraEnv", "extraVolumes", "extraVolumeMounts", "topologySpreadConstraints"]) expect(typeof v[key], key).toBe("string");
    const env = parse(v.extraEnv) as any[];
    expect(env.find((e) => e.name === "KC_HOSTNAME").value).toBe("https://sso.example.com");
    for (const e of env.filter((x) => /PASSWORD|USERNAME$/.test(x.name) && x.name !== "KC_BOOTSTRAP_ADMIN_USERNAME")) {
      expect(e.valueFrom?.secretKeyRef, e.name).toBeDefined();
      expect(e).not.toHaveProperty("value");
    }
  });

  it("keycloakx: vault only with LDAP, mounted read-only", () => {
    expect(keycloakValues(VALUES_INPUT).extraEnv).not.toMatch(/KC_VAULT/);
    const v = keycloakValues({ ...VALUES_INPUT, vaultSecretName: "keycloak-vault" }) as Record<string, any>;
    const env = parse(v.extraEnv) as any[];
    expect(env).toEqual(expect.arrayContaining([{ name: "KC_VAULT", value: "file" }, { name: "KC_VAULT_DIR", value: "/opt/keycloak/vault" }]));
    expect(parse(v.extraVolumeMounts)).toEqual(expect.arrayContaining([{ name: "vault", mountPath: "/opt/keycloak/vault", readOnly: true }]));
  });

  it("keycloakx: only the platform realm and the static resources are public; the master realm is refused as the public realm", () => {
    expect(publicPaths("platform")).toEqual(["/realms/platform", "/resources/"]);
    expect(() => publicPaths(MASTER_REALM)).toThrow(/master/);
    expect(() => keycloakValues({ ...VALUES_INPUT, realm: MASTER_REALM })).toThrow(/master/);
  });

  it("keycloakx: one hostname (KC_HOSTNAME, full URL), no split admin hostname", () => {
    const env = parse(keycloakValues(VALUES_INPUT).extraEnv as string) as any[];
    expect(env.filter((e) => e.name.startsWith("KC_HOSTNAME"))).toEqual([{ name: "KC_HOSTNAME", value: "https://sso.example.com" }]);
  });

  it("keycloakx: Reloader's annotation names the Secrets to restart on, sorted, and is absent without any", () => {
    const v = keycloakValues({ ...VALUES_INPUT, restartOnSecrets: ["keycloak-vault", "keycloak-db"] }) as Record<string, any>;
    expect(v.statefulsetAnnotations).toEqual({ [RELOADER_SECRET_ANNOTATION]: "keycloak-db,keycloak-vault" });
    expect(keycloakValues(VALUES_INPUT)).not.toHaveProperty("statefulsetAnnotations");
    expect(keycloakValues({ ...VALUES_INPUT, restartOnSecrets: [] })).not.toHaveProperty("statefulsetAnnotations");
  });

  it("hardening: every realm gets brute-force protection, master included; the Job's name follows its script", () => {
    const script = hardeningScript("http://keycloak-http.keycloak.svc:80");
    expect(script).toMatch(/--realm master/);
    expect(script).toMatch(/for realm in \$\("\$kcadm" get realms .*--fields realm --format csv --noquotes\)/);
    for (const [k, v] of Object.entries(BRUTE_FORCE_SETTINGS)) expect(script).toContain(`-s ${k}=${v}`);
    expect(BRUTE_FORCE_SETTINGS.bruteForceProtected).toBe(true);
    const job = hardeningJob({ namespace: "keycloak", bootstrapAdminSecretName: "keycloak-bootstrap-admin" }) as any;
    expect(job.metadata.name).toMatch(/^keycloak-realm-hardening-[0-9a-f]{8}$/);
    expect(hardeningJob({ namespace: "keycloak", bootstrapAdminSecretName: "keycloak-bootstrap-admin" }).metadata.name).toBe(job.metadata.name);
    expect(hardeningJob({ namespace: "sso", bootstrapAdminSecretName: "x" }).metadata.name).not.toBe(job.metadata.name);
    expect(job.spec.template.spec.containers[0].command[2]).toContain("http://keycloak-http.keycloak.svc:80");
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it("keycloakx: one replica has no spread and no PodDisruptionBudget", () => {
    const v = keycloakValues({ ...VALUES_INPUT, replicas: 1 }) as Record<string, any>;
    expect(v).not.toHaveProperty("topologySpreadConstraints");
    expect(v).not.toHaveProperty("podDisruptionBudget");
  });

  it("external-secrets: only keys the chart has, no AWS identity on the operator, HA with leader election", () => {
    const resources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };
    const v = externalSecretsValues({ releaseName: "external-secrets", replicas: 2, resources: { controller: resources, webhook: resources, certController: resources } }) as Record<string, any>;
    for (const key of Object.keys(v)) expect(EXTERNAL_SECRETS_KEYS.has(key), `external-secrets has no value "${key}"`).toBe(true);
    expect(v.installCRDs).toBe(true);
    expect(v.leaderElect).toBe(true);
    expect(v.serviceAccount).toEqual({ create: true, name: "external-secrets" });
    // Per component (the chart reads `<component>.tolerations`, falling back to `global.tolerations`),
    // next to each component's resources.
    for (const component of [v, v.webhook, v.certController]) {
      expect(component.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
    }
    // kube-prometheus-stack scrapes it with a PodMonitor (the operator installs before the monitoring CRDs).
    expect(v.serviceMonitor).toEqual({ enabled: false });
    expect(v.topologySpreadConstraints[0].topologyKey).toBe("topology.kubernetes.io/zone");
    expect(v.webhook.podDisruptionBudget.enabled).toBe(true);
  });
});

describe("External Secrets manifests (pure)", () => {
  it("a namespaced store authenticates as its own service account (IRSA), with no namespace override", () => {
    const store = awsSecretsManagerStore({ name: "s", namespace: "keycloak", region: "ap-northeast-2", serviceAccountName: "keycloak-secrets" });
    expect(store.apiVersion).toBe("external-secrets.io/v1");
    expect(store.spec).toEqual({
      provider: { aws: { service: "SecretsManager", region: "ap-northeast-2", auth: { jwt: { serviceAccountRef: { name: "keycloak-secrets" } } } } },
    });
  });

  it("an ExternalSecret names its remote values; a generated password is created once", () => {
    const es = externalSecret({ name: "db", namespace: "keycloak", storeName: "s", data: [{ secretKey: "password", key: "arn:x", property: "password" }] });
    expect(es.spec).toMatchObject({ secretStoreRef: { kind: "SecretStore", name: "s" }, target: { name: "db" }, refreshInterval: "1h" });
    expect(() => externalSecret({ name: "db", namespace: "keycloak", storeName: "s", data: [] })).toThrow(/no data/);
    expect(() => externalSecret({ name: "db", namespace: "keycloak", storeName: "s", data: [{ secretKey: "a/b", key: "k" }] })).toThrow(/not a valid/);
    expect(passwordGenerator({ name: "p", namespace: "keycloak" }).kind).toBe("Password");
    expect(generatedPasswordSecret({ name: "a", namespace: "keycloak", generatorName: "p" }).spec).toMatchObject({ refreshPolicy: "CreatedOnce" });
  });
});

/** Parses a policy whose Terraform expressions may hold unescaped quotes (swapped for single quotes first). */
/** The `helm_release` named `name` (logical ID and config) and the objects its `CustomResources` values render. */
function customResourcesRelease(json: SynthesizedStack, name: string): { id: string; release: any; objects: any[] } {
  const [id, release] = Object.entries(resources(json, "helm_release")).find(([, r]: [string, any]) => r.name === name)! as [string, any];
  return { id, release, objects: parse(release.values[0]).resources };
}

function parsePolicy(document: string): any {
  return JSON.parse(document.replace(/\$\{[^}]*\}/g, (expr) => expr.replace(/"/g, "'")));
}

/** The auth resources of an environment's add-ons stack, by logical id. */
function authOf(env: PlatformEnvironment) {
  const stack = stacks.environments[env.name]!.addons;
  const json = synth(stack);
  const id = (r: TerraformResource) => stack.getLogicalId(r);
  const get = (type: string, r: TerraformResource) => {
    const found = resources(json, type)[id(r)];
    expect(found, `${type}.${id(r)}`).toBeDefined();
    return found;
  };
  const database = stack.node.findChild("keycloak-database") as KeycloakDatabase;
  const keycloak = stack.node.findChild("keycloak") as Keycloak;
  const release = get("helm_release", keycloak.helm.release);
  const roleId = id(keycloak.secretStore.role.role);
  return {
    stack,
    json,
    id,
    database,
    keycloak,
    instanceId: id(database.instance),
    db: get("aws_db_instance", database.instance),
    securityGroup: get("aws_security_group", database.securityGroup),
    release,
    values: parse(release.values[0]) as Record<string, any>,
    role: get("aws_iam_role", keycloak.secretStore.role.role),
    policy: parsePolicy((Object.values(resources(json, "aws_iam_role_policy")) as any[]).find((p) => p.role === `\${aws_iam_role.${roleId}.id}`).policy),
  };
}

describe.each(envs.map((e) => [e.name, e] as const))("auth in %s", (_name, env) => {
  const a = authOf(env);
  const auth = env.addons.auth;
  const prod = env.stage === "prod";

  it("runs RDS for PostgreSQL encrypted with its own key, backups per env, gp3, TLS forced", () => {
    const keyArn = `\${aws_kms_key.${a.id(a.database.key.key)}.arn}`;
    expect(a.db).toMatchObject({
      engine: "postgres",
      engine_version: auth.database.engineVersion,
      instance_class: auth.database.instanceClass,
      allocated_storage: auth.database.allocatedStorageGiB,
      storage_type: "gp3",
      storage_encrypted: true,
      kms_key_id: keyArn,
      publicly_accessible: false,
      backup_retention_period: auth.database.backupRetentionDays,
      enabled_cloudwatch_logs_exports: ["postgresql"],
    });
    expect(a.db.backup_retention_period).toBeGreaterThanOrEqual(7);
    const [params] = Object.values(resources(a.json, "aws_db_parameter_group")) as any[];
    expect(a.db.parameter_group_name).toContain("aws_db_parameter_group.");
    expect(params.family).toBe(postgresParameterGroupFamily(auth.database.engineVersion));
    expect(params.parameter).toEqual([{ name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" }]);
    const logGroup = resources(a.json, "aws_cloudwatch_log_group")[a.id(a.database.logGroup)];
    expect(logGroup.lifecycle?.prevent_destroy ?? false).toBe(prod);
    expect(logGroup).toMatchObject({ name: rdsLogGroupName(`eks-idp-${env.name}-keycloak`), kms_key_id: keyArn, retention_in_days: env.addons.logging.retentionDays });
    expect(a.db.depends_on).toContain(`aws_cloudwatch_log_group.${a.id(a.database.logGroup)}`);
  });

  it("lets RDS manage the master password in Secrets Manager with the database's key (no password in the config)", () => {
    expect(a.db.manage_master_user_password).toBe(true);
    expect(a.db.master_user_secret_kms_key_id).toBe(`\${aws_kms_key.${a.id(a.database.key.key)}.arn}`);
    expect(a.db).not.toHaveProperty("password");
    expect(a.db).not.toHaveProperty("password_wo");
  });

  // Deletion protection everywhere unless the environment says why not (dev); prevent_destroy in prod.
  const deletable = auth.database.deletionProtectionOffReason !== undefined;
  it(prod ? "is Multi-AZ, deletion-protected, kept on destroy, with a final snapshot" : "follows the environment's Multi-AZ setting, deletion-protected unless the environment gives a reason", () => {
    expect(a.db.multi_az).toBe(auth.database.multiAz);
    expect(a.db.deletion_protection).toBe(!deletable);
    expect(a.db.skip_final_snapshot).toBe(deletable);
    const key = resources(a.json, "aws_kms_key")[a.id(a.database.key.key)];
    if (prod) {
      expect(a.db.multi_az).toBe(true);
      expect(a.db.lifecycle).toEqual({ prevent_destroy: true });
      expect(a.db.final_snapshot_identifier).toBe("eks-idp-prd-keycloak-final");
      expect(a.db.delete_automated_backups).toBe(false);
      expect(key.lifecycle).toEqual({ prevent_destroy: true });
      expect(a.db.performance_insights_enabled).toBe(true);
      expect(a.db.performance_insights_kms_key_id).toBe(`\${aws_kms_key.${a.id(a.database.key.key)}.arn}`);
    } else {
      expect(a.db.lifecycle).toBeUndefined();
      expect(a.db.final_snapshot_identifier).toBe(deletable ? undefined : `eks-idp-${env.name}-keycloak-final`);
    }
  });

  it("sits in the database subnets and admits 5432 only from the cluster security group", () => {
    const subnetGroup = Object.values(resources(a.json, "aws_db_subnet_group"))[0] as any;
    expect(a.db.db_subnet_group_name).toContain("aws_db_subnet_group.");
    // The network lookup names each subnet data source after its tier and AZ.
    const databaseSubnets = env.availabilityZones.map((az) => {
      const name = Object.keys(a.json.data?.aws_subnet ?? {}).find((n) => n.startsWith(`network_subnet-database-${az}_`));
      expect(name, `database subnet of ${az}`).toBeDefined();
      return `\${data.aws_subnet.${name}.id}`;
    });
    expect([...subnetGroup.subnet_ids].sort()).toEqual(databaseSubnets.sort());

    expect(a.securityGroup).not.toHaveProperty("ingress");
    expect(a.securityGroup).not.toHaveProperty("egress");
    const sgRef = `\${aws_security_group.${a.id(a.database.securityGroup)}.id}`;
    expect(a.db.vpc_security_group_ids).toEqual([sgRef]);
    const rules = Object.values(resources(a.json, "aws_vpc_security_group_ingress_rule")).filter((r: any) => r.security_group_id === sgRef) as any[];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ ip_protocol: "tcp", from_port: 5432, to_port: 5432 });
    expect(rules[0].referenced_security_group_id).toMatch(/^\$\{data\.aws_eks_cluster\.cluster\.vpc_config\[0\]\.cluster_security_group_id\}$/);
    expect(rules[0]).not.toHaveProperty("cidr_ipv4");
    const egress = Object.values(resources(a.json, "aws_vpc_security_group_egress_rule")).filter((r: any) => r.security_group_id === sgRef);
    expect(egress).toHaveLength(0);
  });

  it("gives the Keycloak secret store read access to exactly the RDS-managed secret and its key", () => {
    const secretArn = `\${aws_db_instance.${a.instanceId}.master_user_secret[0].secret_arn}`;
    expect(a.policy.Statement).toEqual([
      {
        Sid: "ReadNamedSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"],
        Resource: auth.ldap ? [secretArn, auth.ldap.bindCredentialSecretArn] : [secretArn],
      },
      { Sid: "DecryptNamedSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [`\${aws_kms_key.${a.id(a.database.key.key)}.arn}`] },
    ]);
    const trust = parsePolicy(a.role.assume_role_policy).Statement;
    expect(trust).toHaveLength(1);
    const sub = Object.entries(trust[0].Condition.StringEquals).find(([k]) => k.endsWith(":sub"))![1];
    expect(sub).toBe("system:serviceaccount:keycloak:keycloak-secrets");
  });

  it("installs External Secrets (no AWS identity) and materializes the database credentials from the secret's ARN", () => {
    const releases = Object.values(resources(a.json, "helm_release")) as any[];
    const eso = releases.find((r) => r.chart === "external-secrets");
    expect(eso).toMatchObject({ repository: EXTERNAL_SECRETS_CHART.repository, version: "2.9.0", namespace: "external-secrets" });
    const esoValues = parse(eso.values[0]);
    expect(esoValues.serviceAccount).not.toHaveProperty("annotations");
    expect(esoValues.replicaCount).toBe(auth.replicas > 1 ? 2 : 1);
    const esoRef = Object.entries(resources(a.json, "helm_release")).find(([, r]: [string, any]) => r.chart === "external-secrets")![0];

    // The store and its ExternalSecrets: one release of the platform-resources chart, in Keycloak's namespace.
    const storeRelease = customResourcesRelease(a.json, "secret-store-aws-secrets-manager");
    expect(storeRelease.release.namespace).toBe("keycloak");
    const store = storeRelease.objects.find((o) => o.kind === "SecretStore");
    expect(store.metadata).toEqual({ name: "aws-secrets-manager", namespace: "keycloak" });
    expect(store.spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: "keycloak-secrets" } } });
    expect(storeRelease.release.depends_on).toContain(`helm_release.${esoRef}`);
    const policyRef = Object.entries(resources(a.json, "aws_iam_role_policy")).find(([, p]: [string, any]) => p.role === `\${aws_iam_role.${a.id(a.keycloak.secretStore.role.role)}.id}`)![0];
    expect(storeRelease.release.depends_on).toContain(`aws_iam_role_policy.${policyRef}`);
    const sa = Object.values(resources(a.json, "kubernetes_service_account_v1")).find((s: any) => s.metadata.name === "keycloak-secrets") as any;
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(`\${aws_iam_role.${a.id(a.keycloak.secretStore.role.role)}.arn}`);

    const db = storeRelease.objects.find((o) => o.kind === "ExternalSecret" && o.metadata.name === "keycloak-db");
    const secretArn = `\${aws_db_instance.${a.instanceId}.master_user_secret[0].secret_arn}`;
    expect(db.spec.data).toEqual([
      { secretKey: "username", remoteRef: { key: secretArn, property: "username" } },
      { secretKey: "password", remoteRef: { key: secretArn, property: "password" } },
    ]);
  });

  it("pins keycloakx, sizes replicas per environment and spreads them across zones when HA", () => {
    expect(a.release).toMatchObject({ chart: "keycloakx", version: "7.1.11", repository: "https://codecentric.github.io/helm-charts", namespace: "keycloak" });
    expect(KEYCLOAKX_CHART.source).toContain("57c2f8e06c91fc85d9a661468e0587bf8abdb94f");
    expect(a.values.replicas).toBe(auth.replicas);
    if (prod) expect(auth.replicas).toBeGreaterThanOrEqual(2);
    if (auth.replicas > 1) {
      const spread = parse(a.values.topologySpreadConstraints);
      expect(spread).toEqual([
        expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", maxSkew: 1 }),
      ]);
      expect(a.values.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
      expect(a.values.cache).toEqual({ stack: "default" });
    } else {
      expect(a.values).not.toHaveProperty("topologySpreadConstraints");
    }
    expect(a.values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
    expect(a.values.database.hostname).toBe(`\${aws_db_instance.${a.instanceId}.address}`);
  });

  it("publishes Keycloak through an internet-facing ALB: HTTPS with the env's certificate, TLS 1.2+, no admin paths", () => {
    const ingress = a.values.ingress;
    expect(ingress.enabled).toBe(true);
    expect(ingress.ingressClassName).toBe("alb");
    expect(ingress.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/certificate-arn": auth.certificateArn,
      "alb.ingress.kubernetes.io/ssl-policy": ALB_SSL_POLICY,
    });
    expect(ALB_SSL_POLICY).toMatch(/TLS13-1-2/);
    expect(ingress.rules).toEqual([{ host: auth.hostname, paths: publicPaths(auth.realm).map((path) => ({ path, pathType: "Prefix" })) }]);
    expect(JSON.stringify(ingress.rules)).not.toMatch(/admin/);
    // Only the platform realm is routed: /realms/master (and every other realm) reaches no ALB rule.
    const paths: string[] = ingress.rules[0].paths.map((p: { path: string }) => p.path);
    expect(paths.filter((p) => p.startsWith("/realms"))).toEqual([`/realms/${auth.realm}`]);
    expect(paths.some((p) => `/realms/${MASTER_REALM}/protocol/openid-connect/token`.startsWith(p))).toBe(false);
    expect(ingress.console ?? { enabled: false }).toMatchObject({ enabled: false });
    const env_ = parse(a.values.extraEnv) as any[];
    expect(env_.find((e) => e.name === "KC_HOSTNAME").value).toBe(`https://${auth.hostname}`);
    expect(env_.map((e) => e.name)).not.toContain("KC_HOSTNAME_ADMIN");
  });

  it("rolls Keycloak when its database Secret changes (Reloader in its namespace only)", () => {
    expect(a.values.statefulsetAnnotations[RELOADER_SECRET_ANNOTATION].split(",")).toContain(a.values.database.existingSecret);
    const reloader = (Object.values(resources(a.json, "helm_release")) as any[]).find((r) => r.chart === RELOADER_CHART.chart)!;
    expect(reloader).toMatchObject({ repository: RELOADER_CHART.repository, version: RELOADER_CHART.version, namespace: a.release.namespace });
    expect(parse(reloader.values[0]).reloader).toMatchObject({ watchGlobally: false, ignoreConfigMaps: true });
  });

  it("runs the brute-force hardening Job of every realm after Keycloak, as the generated temporary admin", () => {
    const job = (Object.values(resources(a.json, "helm_release")) as any[]).find((r) => r.name === "keycloak-realm-hardening")!;
    expect(job.depends_on).toContain(`helm_release.${Object.entries(resources(a.json, "helm_release")).find(([, r]: any) => r === a.release)![0]}`);
    const [object] = parse(job.values[0]).resources;
    expect(object.kind).toBe("Job");
    const env_ = object.spec.template.spec.containers[0].env;
    expect(env_.find((e: any) => e.name === "KC_ADMIN_PASSWORD").valueFrom.secretKeyRef.name).toBe("keycloak-bootstrap-admin");
  });

  it("waits for the load balancer controller, the secrets and the realm before installing Keycloak", () => {
    const deps: string[] = a.release.depends_on ?? [];
    expect(deps).toContain(`helm_release.${customResourcesRelease(a.json, "secret-store-aws-secrets-manager").id}`);
    expect(deps.some((d) => d.startsWith("kubernetes_config_map_v1."))).toBe(true);
    const lbc = Object.entries(resources(a.json, "helm_release")).find(([, r]: [string, any]) => r.chart === "aws-load-balancer-controller");
    expect(lbc, "the AWS Load Balancer Controller release").toBeDefined();
    expect(deps).toContain(`helm_release.${lbc![0]}`);
  });

  it("imports a realm with only public PKCE clients and the kubectl / Grafana redirects", () => {
    const configMap = Object.values(resources(a.json, "kubernetes_config_map_v1")).find((c: any) => c.metadata.name === "keycloak-realm") as any;
    const realm = JSON.parse(configMap.data[`${auth.realm}-realm.json`]);
    expect(realm.realm).toBe(auth.realm);
    expectPublicPkceClients(realm.clients);
    expect(realm.clients.find((c: any) => c.clientId === "grafana").redirectUris).toEqual([`${GRAFANA_ROOT_URL}/login/generic_oauth`]);
    expect(realm.clients.find((c: any) => c.clientId === "kubernetes").redirectUris).toContain("http://localhost:8000");
  });

  it("trusts the realm for kubectl: issuer, kubernetes client, oidc:-prefixed users and groups", () => {
    const [config] = Object.values(resources(a.json, "aws_eks_identity_provider_config")) as any[];
    expect(config.cluster_name).toBe(`eks-idp-${env.name}`);
    expect(config.oidc).toEqual({
      identity_provider_config_name: "keycloak",
      issuer_url: `https://${auth.hostname}/realms/${auth.realm}`,
      client_id: "kubernetes",
      username_claim: "preferred_username",
      username_prefix: "oidc:",
      groups_claim: "groups",
      groups_prefix: "oidc:",
    });
    expect(config.depends_on).toContain(`helm_release.${a.id(a.keycloak.helm.release)}`);
  });
});

/** Keys whose value is a secret when it is a literal (not a reference, placeholder or empty). */
const SECRET_KEY = /^(password|passwd|secret|client_?secret|secret_?access_?key|access_?key_?id|bind_?credential|credentials?|token|api_?key|private_?key|master_?password|[a-z0-9_]*_password|[a-z0-9]*Password)$/i;
/** Environment variables whose literal `value` would be a secret. */
const SECRET_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|API_KEY)/;

/** A reference to a value kept elsewhere: Terraform expression, Keycloak vault or env placeholder. */
const isReference = (value: string) => value === "" || /^\$\{[^}]+\}$/.test(value.trim());

/** Every literal secret-looking value in a tree, including inside YAML and JSON strings. */
function literalSecrets(node: unknown, path: string, found: string[]): string[] {
  if (typeof node === "string") {
    const text = node.trim();
    if (text.startsWith("{") || text.startsWith("[")) {
      try {
        return literalSecrets(JSON.parse(text), `${path}<json>`, found);
      } catch {
        // not JSON
      }
    }
    if (/^[\w-]+:\s/m.test(text) || text.startsWith("- ")) {
      try {
        const doc = parse(text);
        if (doc !== null && typeof doc === "object") return literalSecrets(doc, `${path}<yaml>`, found);
      } catch {
        // not YAML
      }
    }
    return found;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => literalSecrets(item, `${path}[${i}]`, found));
    return found;
  }
  if (node !== null && typeof node === "object") {
    const obj = node as Record<string, unknown>;
    if (typeof obj.name === "string" && SECRET_ENV.test(obj.name) && typeof obj.value === "string" && !isReference(obj.value)) {
      found.push(`${path}: env ${obj.name} has a literal value`);
    }
    for (const [key, value] of Object.entries(obj)) {
      if (SECRET_KEY.test(key)) {
        const literals = (Array.isArray(value) ? value : [value]).filter((v) => typeof v === "string" && !isReference(v));
        if (literals.length > 0) found.push(`${path}.${key} is a literal`);
      }
      literalSecrets(value, `${path}.${key}`, found);
    }
  }
  return found;
}

describe("no secret value in any synthesized stack", () => {
  it("the scanner finds literal secrets and accepts references", () => {
    expect(literalSecrets({ password: "hunter2" }, "$", [])).toHaveLength(1);
    expect(literalSecrets({ values: ["adminPassword: s3cret\n"] }, "$", [])).toHaveLength(1);
    expect(literalSecrets({ data: { "realm.json": '{"bindCredential":["plain"]}' } }, "$", [])).toHaveLength(1);
    expect(literalSecrets({ extraEnv: "- name: KC_DB_PASSWORD\n  value: x\n" }, "$", [])).toHaveLength(1);
    expect(literalSecrets({ password: "${aws_secretsmanager_secret_version.x.secret_string}", bindCredential: ["${vault.ldap-bind-credential}"] }, "$", [])).toEqual([]);
    expect(literalSecrets({ existingSecret: "keycloak-db", existingSecretKey: "password", manage_master_user_password: true }, "$", [])).toEqual([]);
  });

  const all: [string, TerraformStack][] = [
    ...stacks.bootstrap.map((s) => [s.node.id, s] as [string, TerraformStack]),
    ...Object.values(stacks.environments).flatMap((e) => [e.network, e.cluster, e.addons].map((s) => [s.node.id, s] as [string, TerraformStack])),
  ];
  it.each(all)("%s has no literal password, secret or credential", (_id, stack) => {
    const json: SynthesizedStack = synth(stack);
    expect(literalSecrets({ resource: json.resource, data: json.data, output: json.output, locals: json.locals }, "$", [])).toEqual([]);
  });
});

describe("LDAP federation (construct)", () => {
  const ldapArn = "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:corp/keycloak-bind-AbCdEf";
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      new Keycloak(scope, "keycloak", {
        hostname: "sso.example.com",
        certificateArn: VALUES_INPUT.certificateArn,
        replicas: 2,
        realm: "platform",
        grafanaRootUrl: GRAFANA_ROOT_URL,
        ldap: {
          connectionUrl: "ldaps://dc.corp.example.com:636",
          usersDn: "OU=Users,DC=corp,DC=example,DC=com",
          bindDn: "CN=keycloak,OU=Service,DC=corp,DC=example,DC=com",
          bindCredentialSecretArn: ldapArn,
        },
        databaseAddress: "db.example.internal",
        databasePort: 5432,
        databaseName: "keycloak",
        databaseSecretArn: "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:rds!db-1234-AbCdEf",
        databaseSecretKmsKeyArn: "arn:aws:kms:ap-northeast-2:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
        oidc: { providerArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.example/id/ABC", issuer: "oidc.eks.example/id/ABC" },
        region: "ap-northeast-2",
        secretStoreRoleName: "test-keycloak-secrets",
        externalSecretsOperator: [],
      });
    }),
  );

  it("brings the bind password from Secrets Manager into Keycloak's file vault, never into the realm", () => {
    const vault = customResourcesRelease(json, "secret-store-aws-secrets-manager").objects.find((o) => o.metadata.name === "keycloak-vault");
    expect(vault.spec.data).toEqual([{ secretKey: "platform_ldap-bind-credential", remoteRef: { key: ldapArn } }]);
    const [policy] = Object.values(json.resource.aws_iam_role_policy) as any[];
    expect(JSON.parse(policy.policy).Statement[0].Resource).toEqual(["arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:rds!db-1234-AbCdEf", ldapArn]);
    const release = (Object.values(json.resource.helm_release) as any[]).find((r) => r.chart === "keycloakx");
    const values = parse(release.values[0]);
    expect(parse(values.extraVolumes)).toEqual(expect.arrayContaining([{ name: "vault", secret: { secretName: "keycloak-vault", defaultMode: 0o440 } }]));
    const [configMap] = Object.values(json.resource.kubernetes_config_map_v1) as any[];
    const realm = JSON.parse(configMap.data["platform-realm.json"]);
    expect(realm.components["org.keycloak.storage.UserStorageProvider"][0].config.bindCredential).toEqual(["${vault.ldap-bind-credential}"]);
    expect(literalSecrets(json.resource, "$", [])).toEqual([]);
  });
});
