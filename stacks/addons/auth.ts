import { EksIdentityProviderConfig } from "@cdktf/provider-aws/lib/eks-identity-provider-config";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import { ExternalSecrets } from "../../addons/external-secrets";
import { Keycloak } from "../../addons/keycloak";
import { grafanaOidcValues, GrafanaOidcIni } from "../../addons/keycloak/grafana-oidc";
import { grafanaServerIni } from "../../addons/kube-prometheus-stack/values";
import { eksOidcIdentityProvider } from "../../addons/keycloak/kubernetes-oidc";
import { GRAFANA_CLIENT_ID, KUBERNETES_CLIENT_ID } from "../../addons/keycloak/realm";
import { KeycloakDatabase } from "../../addons/keycloak-database";
import type { PlatformEnvironment } from "../../environments/validate";

/**
 * Where users reach Grafana. The platform exposes Grafana only through
 * `kubectl port-forward ... 3000:80`, so its root URL (and the OIDC redirect registered in the realm)
 * is on localhost. Grafana's `server.root_url` and the realm's redirect URI are both derived from it.
 */
export const GRAFANA_ROOT_URL = "http://localhost:3000";

/** What single sign-on gives the rest of the platform. */
export interface AuthAddons {
  /** OIDC issuer of the realm: `https://<hostname>/realms/<realm>`. */
  readonly issuerUrl: string;
  /** Grafana's root URL the realm's `grafana` client redirects to. */
  readonly grafanaRootUrl: string;
  /**
   * Grafana's Keycloak login and root URL (`[server] root_url`, from which Grafana builds the redirect
   * URI the realm must list): merge under the Grafana chart's `grafana.ini` value (in
   * kube-prometheus-stack: `grafana: { "grafana.ini": ... }`).
   */
  readonly grafanaIni: GrafanaOidcIni & ReturnType<typeof grafanaServerIni>;
  /** Keycloak's Helm release (for anything that needs the issuer up). */
  readonly keycloak: readonly ITerraformDependable[];
}

/**
 * Single sign-on of an environment: Keycloak on RDS for PostgreSQL, the External Secrets Operator
 * bringing the database (and LDAP bind) secrets into the cluster, the cluster trusting the realm for
 * `kubectl` (usernames and groups prefixed `oidc:`), and Grafana's login settings.
 */
export function addAuth(scope: Construct, ctx: AddonContext, env: PlatformEnvironment): AuthAddons {
  const auth = env.addons.auth;
  const protect = ctx.protectStatefulResources;

  const database = new KeycloakDatabase(scope, "keycloak-database", {
    identifier: `${ctx.namePrefix}-keycloak`,
    scope: ctx.scope,
    vpcId: ctx.vpcId,
    subnetIds: ctx.databaseSubnetIds,
    allowedSecurityGroups: { cluster: ctx.clusterSecurityGroupId },
    engineVersion: auth.database.engineVersion,
    instanceClass: auth.database.instanceClass,
    allocatedStorage: auth.database.allocatedStorageGiB,
    multiAz: auth.database.multiAz,
    backupRetentionPeriod: auth.database.backupRetentionDays,
    // On everywhere unless the environment gives its reason not to (dev); prevent_destroy in prod.
    deletionProtection: auth.database.deletionProtectionOffReason === undefined ? true : { disabledBecause: auth.database.deletionProtectionOffReason },
    preventDestroy: protect,
    logRetentionDays: env.addons.logging.retentionDays,
    performanceInsightsEnabled: protect,
  });

  // Highly available when Keycloak is: the store's ExternalSecrets re-sync rotated passwords.
  const externalSecrets = new ExternalSecrets(scope, "external-secrets", {
    replicas: auth.replicas > 1 ? 2 : 1,
    overrides: env.addons.overrides["external-secrets"],
  });

  const keycloak = new Keycloak(scope, "keycloak", {
    hostname: auth.hostname,
    certificateArn: auth.certificateArn,
    replicas: auth.replicas,
    realm: auth.realm,
    grafanaRootUrl: GRAFANA_ROOT_URL,
    ...(auth.ldap ? { ldap: { ...auth.ldap } } : {}),
    databaseAddress: database.address,
    databasePort: database.port,
    databaseName: database.dbName,
    databaseSecretArn: database.masterUserSecretArn,
    databaseSecretKmsKeyArn: database.kmsKeyArn,
    oidc: ctx.oidc,
    region: ctx.scope.region,
    secretStoreRoleName: `${ctx.namePrefix}-keycloak-secrets`,
    externalSecretsOperator: [externalSecrets.helm.release],
    overrides: env.addons.overrides["keycloak"],
    reloaderOverrides: env.addons.overrides["reloader"],
  });

  new EksIdentityProviderConfig(scope, "keycloak-oidc", {
    clusterName: ctx.clusterName,
    oidc: eksOidcIdentityProvider({ issuerUrl: keycloak.issuerUrl, clientId: KUBERNETES_CLIENT_ID }),
    dependsOn: [keycloak.helm.release],
  });

  return {
    issuerUrl: keycloak.issuerUrl,
    grafanaRootUrl: GRAFANA_ROOT_URL,
    grafanaIni: {
      ...grafanaOidcValues({ issuerUrl: keycloak.issuerUrl, clientId: GRAFANA_CLIENT_ID, rootUrl: GRAFANA_ROOT_URL }),
      ...grafanaServerIni(GRAFANA_ROOT_URL),
    },
    keycloak: [keycloak.helm.release],
  };
}
