import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IrsaRole, OidcIdentity } from "../../modules/irsa/irsa-role";
import { resourcesOf } from "../../modules/terraform/resources";
import { externalSecretsPolicy } from "./iam-policy";
import { awsSecretsManagerStore, externalSecret, RemoteValue } from "./manifests";

export interface AwsSecretsManagerSecretStoreProps {
  /** Namespace of the store, its service account and the ExternalSecrets that use it (must exist). */
  readonly namespace: string;
  /**
   * Name of the `SecretStore`.
   * @default "aws-secrets-manager"
   */
  readonly storeName?: string;
  /**
   * Name of the service account the operator authenticates as for this store.
   * @default "external-secrets"
   */
  readonly serviceAccountName?: string;
  /** Name of the store's IRSA role. */
  readonly roleName: string;
  /** The cluster's OIDC identity (IRSA). */
  readonly oidc: OidcIdentity;
  /** Region of the secrets. */
  readonly region: string;
  /** Full ARNs of the only secrets this store may read. */
  readonly secretArns: readonly string[];
  /**
   * Customer managed keys those secrets are encrypted with.
   * @default - none (secrets under the AWS managed key)
   */
  readonly kmsKeyArns?: readonly string[];
  /** What the store waits for: the operator's Helm release (CRDs, webhook) and the namespace. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * A namespaced AWS Secrets Manager `SecretStore` with its own identity: a service account in the
 * store's namespace whose IRSA role reads exactly the listed secrets. The operator requests a token
 * for that service account (`auth.jwt.serviceAccountRef`) for every call, so the operator itself
 * holds no AWS permissions and a store created in another namespace (the `edit` role may create
 * SecretStores) cannot reach these secrets.
 *
 * Custom resources are `kubernetes_manifest`s: the operator's CRDs must exist when Terraform plans
 * them (see docs/auth.md, "First deployment").
 */
export class AwsSecretsManagerSecretStore extends Construct {
  readonly role: IrsaRole;
  readonly serviceAccount: ServiceAccountV1;
  readonly store: Manifest;
  readonly storeName: string;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: AwsSecretsManagerSecretStoreProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.storeName = props.storeName ?? "aws-secrets-manager";
    const serviceAccountName = props.serviceAccountName ?? "external-secrets";

    this.role = new IrsaRole(this, "role", {
      oidc: props.oidc,
      namespace: props.namespace,
      serviceAccount: serviceAccountName,
      roleName: props.roleName,
      description: `External Secrets store ${props.namespace}/${this.storeName}: read ${props.secretArns.length} named secret(s)`,
      policyStatements: externalSecretsPolicy({ secretArns: props.secretArns, kmsKeyArns: props.kmsKeyArns }),
    });
    this.serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: {
        name: serviceAccountName,
        namespace: props.namespace,
        annotations: { ...this.role.serviceAccountAnnotations },
      },
      // Nothing runs as this account: the operator only requests tokens for it.
      automountServiceAccountToken: false,
      dependsOn: [...props.dependsOn],
    });
    this.store = new Manifest(this, "store", {
      manifest: awsSecretsManagerStore({
        name: this.storeName,
        namespace: props.namespace,
        region: props.region,
        serviceAccountName,
      }),
      // The role and its inline policy: a store that can assume the role but not yet read is not Ready.
      dependsOn: [...props.dependsOn, this.serviceAccount, ...resourcesOf(this.role)],
    });
  }

  /**
   * An `ExternalSecret` in the store's namespace materializing `data` into the Secret `name`; Terraform
   * waits until the operator reports it Ready (the Secret exists).
   */
  addExternalSecret(id: string, name: string, data: readonly RemoteValue[], refreshInterval?: string): Manifest {
    return new Manifest(this, id, {
      manifest: externalSecret({ name, namespace: this.namespace, storeName: this.storeName, data, refreshInterval }),
      wait: { condition: [{ type: "Ready", status: "True" }] },
      dependsOn: [this.store],
    });
  }
}
