import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CustomResources } from "../../modules/helm/custom-resources";
import { HelmAddon } from "../../modules/helm/helm-addon";
import type { Values } from "../../modules/helm/values";
import type { OidcIdentity } from "../../modules/irsa/irsa-role";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { ForgottenResource } from "../../modules/terraform/removed";
import { AwsSecretsManagerSecretStore } from "../external-secrets/secret-store";
import { generatedPasswordSecret, passwordGenerator, RemoteValue } from "../external-secrets/manifests";
import { Reloader } from "../reloader";
import { KEYCLOAKX_CHART } from "./chart";
import { hardeningJob } from "./hardening";
import { realmIssuerUrl } from "./kubernetes-oidc";
import { keycloakRealm, LDAP_BIND_CREDENTIAL_VAULT_KEY, RealmLdap, vaultFileName } from "./realm";
import { keycloakNamespaceLabels, keycloakValues } from "./values";

/** How often the database Secret is read again from Secrets Manager (rotation reaches Keycloak within this). */
export const DATABASE_SECRET_REFRESH = "5m";

const DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } };

/** LDAP / AD federation of the realm, with where its bind password lives. */
export interface KeycloakLdapProps extends RealmLdap {
  /** Secrets Manager secret holding the bind password (its whole value, or one JSON property). */
  readonly bindCredentialSecretArn: string;
  /**
   * JSON property of the secret holding the password.
   * @default - the secret's whole value is the password
   */
  readonly bindCredentialSecretProperty?: string;
  /**
   * Customer managed key the bind secret is encrypted with.
   * @default - the AWS managed `aws/secretsmanager` key (no KMS permission needed)
   */
  readonly bindCredentialKmsKeyArn?: string;
}

export interface KeycloakProps {
  /**
   * Namespace of Keycloak (created here).
   * @default "keycloak"
   */
  readonly namespace?: string;
  /**
   * Helm release name.
   * @default "keycloak"
   */
  readonly releaseName?: string;
  /** Public host name of Keycloak, e.g. `sso.example.com`. */
  readonly hostname: string;
  /** ACM certificate of the host name (ALB HTTPS listener). */
  readonly certificateArn: string;
  /** Keycloak replicas (spread across zones, clustered caches through the database, when > 1). */
  readonly replicas: number;
  /** Realm imported at first start. */
  readonly realm: string;
  /** Grafana's root URL (its OIDC redirect is `<root>/login/generic_oauth`). */
  readonly grafanaRootUrl: string;
  /**
   * LDAP / AD federation of the realm.
   * @default - local users only
   */
  readonly ldap?: KeycloakLdapProps;
  /** Host name of the PostgreSQL database. */
  readonly databaseAddress: string;
  readonly databasePort: number;
  readonly databaseName: string;
  /** ARN of the RDS-managed master user secret (`username`, `password`). */
  readonly databaseSecretArn: string;
  /** Key the database secret is encrypted with. */
  readonly databaseSecretKmsKeyArn: string;
  /** The cluster's OIDC identity (IRSA of the secret store). */
  readonly oidc: OidcIdentity;
  /** Region of the secrets. */
  readonly region: string;
  /** Name of the IAM role of Keycloak's secret store. */
  readonly secretStoreRoleName: string;
  /** The External Secrets Operator release (CRDs and webhook before the store and ExternalSecrets). */
  readonly externalSecretsOperator: readonly ITerraformDependable[];
  /**
   * Container resources of Keycloak.
   * @default - 500m CPU and 1Gi requested, 2Gi memory limit
   */
  readonly resources?: ContainerResources;
  /**
   * Per-environment chart value overrides, merged last.
   * @default {}
   */
  readonly overrides?: Values;
  /**
   * Per-environment value overrides of Reloader's chart, merged last.
   * @default {}
   */
  readonly reloaderOverrides?: Values;
}

/**
 * Keycloak (chart keycloakx 7.1.11, upstream image) on an external PostgreSQL database:
 * - its namespace, a secret store with its own IRSA role reading only the database secret (and the
 *   LDAP bind secret), ExternalSecrets materializing them, and an in-cluster generated password for
 *   the temporary admin: no secret value passes through Terraform;
 * - the realm (public PKCE clients `kubernetes` and `grafana`, groups claim, optional LDAP) in a
 *   ConfigMap, imported at first start;
 * - an internet-facing ALB (HTTPS, TLS 1.2+) forwarding only `/realms/<realm>` and `/resources/`
 *   (not the master realm, not the admin console: administration with `kcadm.sh` in the pod);
 * - brute-force protection in every realm (a `kcadm.sh` Job, master included);
 * - Reloader in the namespace, which rolls Keycloak when the rotated database password arrives.
 */
export class Keycloak extends Construct {
  readonly helm: HelmAddon;
  /** Rolls Keycloak when its database (or vault) Secret changes. */
  readonly reloader: Reloader;
  /** The Job that turns on brute-force protection in every realm. */
  readonly hardening: CustomResources;
  readonly namespace: string;
  readonly secretStore: AwsSecretsManagerSecretStore;
  /** `https://<hostname>/realms/<realm>`: the OIDC issuer of the realm. */
  readonly issuerUrl: string;
  /** The realm as imported. */
  readonly realmJson: string;

  constructor(scope: Construct, id: string, props: KeycloakProps) {
    super(scope, id);
    this.namespace = props.namespace ?? "keycloak";
    const releaseName = props.releaseName ?? "keycloak";
    const ldap = props.ldap;
    this.issuerUrl = realmIssuerUrl(props.hostname, props.realm);

    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: this.namespace, labels: keycloakNamespaceLabels() },
    });
    const eso = [...props.externalSecretsOperator, namespace];

    this.secretStore = new AwsSecretsManagerSecretStore(this, "secret-store", {
      namespace: this.namespace,
      serviceAccountName: "keycloak-secrets",
      roleName: props.secretStoreRoleName,
      oidc: props.oidc,
      region: props.region,
      secretArns: [props.databaseSecretArn, ...(ldap ? [ldap.bindCredentialSecretArn] : [])],
      kmsKeyArns: [props.databaseSecretKmsKeyArn, ...(ldap?.bindCredentialKmsKeyArn ? [ldap.bindCredentialKmsKeyArn] : [])],
      dependsOn: eso,
    });

    const databaseSecretName = "keycloak-db";
    // Refreshed every 5 minutes (not the default hour): after RDS rotates the password, Keycloak is
    // rolled (Reloader) as soon as the new value arrives; until then new connections fail.
    this.secretStore.addExternalSecret(
      "database-secret",
      databaseSecretName,
      [
        { secretKey: "username", key: props.databaseSecretArn, property: "username" },
        { secretKey: "password", key: props.databaseSecretArn, property: "password" },
      ],
      DATABASE_SECRET_REFRESH,
    );

    const adminSecretName = "keycloak-bootstrap-admin";
    // In the store's release (same namespace and operator); kubernetes_manifests in earlier versions.
    this.secretStore.resources.add(passwordGenerator({ name: adminSecretName, namespace: this.namespace }));
    this.secretStore.resources.add(generatedPasswordSecret({ name: adminSecretName, namespace: this.namespace, generatorName: adminSecretName }));
    for (const formerId of ["admin-password-generator", "bootstrap-admin-secret"]) new ForgottenResource(this, formerId, "kubernetes_manifest");

    const secrets: ITerraformDependable[] = [this.secretStore.resources.release];
    let vaultSecretName: string | undefined;
    if (ldap) {
      vaultSecretName = "keycloak-vault";
      const bind: RemoteValue = {
        secretKey: vaultFileName(props.realm, LDAP_BIND_CREDENTIAL_VAULT_KEY),
        key: ldap.bindCredentialSecretArn,
        ...(ldap.bindCredentialSecretProperty ? { property: ldap.bindCredentialSecretProperty } : {}),
      };
      this.secretStore.addExternalSecret("vault-secret", vaultSecretName, [bind]);
    }

    const realm = keycloakRealm({
      realm: props.realm,
      grafanaRootUrl: props.grafanaRootUrl,
      ...(ldap
        ? { ldap: { connectionUrl: ldap.connectionUrl, usersDn: ldap.usersDn, bindDn: ldap.bindDn, vendor: ldap.vendor, groupsDn: ldap.groupsDn } }
        : {}),
    });
    this.realmJson = JSON.stringify(realm, null, 2);
    const realmConfigMapName = "keycloak-realm";
    const realmConfigMap = new ConfigMapV1(this, "realm", {
      metadata: { name: realmConfigMapName, namespace: this.namespace },
      data: { [`${props.realm}-realm.json`]: this.realmJson },
      dependsOn: [namespace],
    });

    this.helm = new HelmAddon(this, "helm", {
      releaseName,
      namespace: this.namespace,
      chart: KEYCLOAKX_CHART,
      values: keycloakValues({
        releaseName,
        replicas: props.replicas,
        hostname: props.hostname,
        realm: props.realm,
        certificateArn: props.certificateArn,
        database: { host: props.databaseAddress, port: props.databasePort, name: props.databaseName, secretName: databaseSecretName },
        realmConfigMapName,
        bootstrapAdminSecretName: adminSecretName,
        vaultSecretName,
        resources: props.resources ?? DEFAULT_RESOURCES,
        // RDS rotates the master password (every 7 days); the ExternalSecret refreshes the Secret and
        // Reloader rolls Keycloak, which reads the password only at start.
        restartOnSecrets: [databaseSecretName, ...(vaultSecretName ? [vaultSecretName] : [])],
      }),
      overrides: props.overrides,
      // First start builds Keycloak (vault, cache and database options) and creates the schema.
      timeoutSeconds: 900,
      // templates/service-http.yaml and service-headless.yaml; the ServiceMonitor needs the
      // Prometheus Operator CRDs.
      createsServices: true,
      needs: ["monitoring-crds"],
      dependsOn: [...secrets, realmConfigMap],
    });

    this.reloader = new Reloader(this, "reloader", { namespace: this.namespace, overrides: props.reloaderOverrides, dependsOn: [namespace] });

    // Brute-force protection in every realm, master included (Keycloak creates it without).
    this.hardening = new CustomResources(this, "realm-hardening", {
      releaseName: "keycloak-realm-hardening",
      namespace: this.namespace,
      resources: [hardeningJob({ namespace: this.namespace, bootstrapAdminSecretName: adminSecretName })],
      dependsOn: [this.helm.release],
    });
  }
}
