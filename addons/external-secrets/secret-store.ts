import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CustomResources } from "../../modules/helm/custom-resources";
import { IrsaRole, OidcIdentity } from "../../modules/irsa/irsa-role";
import { ForgottenResource } from "../../modules/terraform/removed";
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
 * The store, its ExternalSecrets and whatever else is added to `resources` are one Helm release of
 * the repository's `platform-resources` chart (`CustomResources`): nothing needs the operator's CRDs
 * when Terraform plans, so they apply in the same run as the operator. Helm does not wait for an
 * ExternalSecret to be Ready: a workload reading its Secret starts once the operator has written it
 * (the kubelet retries a missing Secret).
 */
export class AwsSecretsManagerSecretStore extends Construct {
  readonly role: IrsaRole;
  readonly serviceAccount: ServiceAccountV1;
  /** The release holding the store, its ExternalSecrets and any object added to it. */
  readonly resources: CustomResources;
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
    this.resources = new CustomResources(this, "resources", {
      releaseName: `secret-store-${this.storeName}`,
      namespace: props.namespace,
      resources: [awsSecretsManagerStore({ name: this.storeName, namespace: props.namespace, region: props.region, serviceAccountName })],
      // The role and its inline policy: a store that can assume the role but not yet read is not Ready.
      dependsOn: [...props.dependsOn, this.serviceAccount, ...resourcesOf(this.role)],
      // Applied as kubernetes_manifest by earlier versions: adopted, not deleted and re-created.
      replacesManifests: ["store"],
    });
  }

  /**
   * An `ExternalSecret` in the store's namespace materializing `data` into the Secret `name`, added to
   * the store's release (returned: what consumers of the Secret wait for).
   *
   * @param id the construct ID its `kubernetes_manifest` had in earlier versions (kept and adopted)
   */
  addExternalSecret(id: string, name: string, data: readonly RemoteValue[], refreshInterval?: string): ITerraformDependable {
    this.resources.add(externalSecret({ name, namespace: this.namespace, storeName: this.storeName, data, refreshInterval }));
    new ForgottenResource(this, id, "kubernetes_manifest");
    return this.resources.release;
  }
}
