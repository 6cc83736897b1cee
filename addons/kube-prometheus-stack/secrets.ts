/**
 * The monitoring namespace's secrets, pulled from AWS Secrets Manager by the External Secrets Operator
 * before kube-prometheus-stack installs: Alertmanager's receiver credentials and Grafana's database
 * user. Terraform holds only the secrets' ARNs.
 *
 * One Helm release of the repository's `platform-resources` chart (release record in the operator's
 * namespace) renders the monitoring Namespace (adopted when kube-prometheus-stack created it earlier;
 * `helm.sh/resource-policy: keep`, so uninstalling never deletes it), the store's ServiceAccount (IRSA),
 * a SecretStore limited to the listed secrets, and the ExternalSecrets. It declares
 * `external-secrets-crds`; kube-prometheus-stack waits for it, so Grafana's pods find their Secret.
 */
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { externalSecretsPolicy } from "../external-secrets/iam-policy";
import { awsSecretsManagerStore, externalSecret, RemoteValue } from "../external-secrets/manifests";
import { AddonComposition } from "../../modules/helm/composition";
import { CustomResources, KubernetesObject } from "../../modules/helm/custom-resources";
import { IrsaRole, OidcIdentity } from "../../modules/irsa/irsa-role";
import { resourcesOf } from "../../modules/terraform/resources";

/** An ExternalSecret of the monitoring namespace: the Secret's name and its values. */
export interface MonitoringSecret {
  readonly name: string;
  readonly data: readonly RemoteValue[];
}

export interface MonitoringSecretsProps {
  /** The monitoring namespace (created here if missing). */
  readonly namespace: string;
  /** Namespace of the release record: the External Secrets Operator's (exists before this release). */
  readonly releaseNamespace: string;
  readonly oidc: OidcIdentity;
  readonly region: string;
  /** Name of the store's IRSA role. */
  readonly roleName: string;
  /** The Secrets to materialize. */
  readonly secrets: readonly MonitoringSecret[];
  /**
   * Customer managed keys of those secrets (the RDS-managed secret's key).
   * @default []
   */
  readonly kmsKeyArns?: readonly string[];
  /**
   * Further resources the release waits for (in a stack without an `AddonComposition`: the operator).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Name of the store and of its ServiceAccount. */
export const MONITORING_SECRET_STORE = "aws-secrets-manager";
export const MONITORING_SECRETS_SERVICE_ACCOUNT = "monitoring-secrets";

/** The objects of the release, in order (pure, for tests). */
export function monitoringSecretObjects(args: {
  readonly namespace: string;
  readonly region: string;
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  readonly secrets: readonly MonitoringSecret[];
}): KubernetesObject[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: args.namespace, annotations: { "helm.sh/resource-policy": "keep" } } },
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: MONITORING_SECRETS_SERVICE_ACCOUNT, namespace: args.namespace, annotations: { ...args.serviceAccountAnnotations } },
      // Nothing runs as this account: the operator only requests tokens for it.
      automountServiceAccountToken: false,
    },
    awsSecretsManagerStore({ name: MONITORING_SECRET_STORE, namespace: args.namespace, region: args.region, serviceAccountName: MONITORING_SECRETS_SERVICE_ACCOUNT }),
    ...args.secrets.map((s) => externalSecret({ name: s.name, namespace: args.namespace, storeName: MONITORING_SECRET_STORE, data: s.data })),
  ];
}

/** The store, its identity and the ExternalSecrets (see the module comment). */
export class MonitoringSecrets extends Construct {
  readonly role: IrsaRole;
  readonly resources: CustomResources;

  constructor(scope: Construct, id: string, props: MonitoringSecretsProps) {
    super(scope, id);
    const secretArns = [...new Set(props.secrets.flatMap((s) => s.data.map((d) => d.key)))].sort();
    this.role = new IrsaRole(this, "role", {
      oidc: props.oidc,
      namespace: props.namespace,
      serviceAccount: MONITORING_SECRETS_SERVICE_ACCOUNT,
      roleName: props.roleName,
      description: `External Secrets store ${props.namespace}/${MONITORING_SECRET_STORE}: read ${secretArns.length} named secret(s)`,
      policyStatements: externalSecretsPolicy({ secretArns, kmsKeyArns: props.kmsKeyArns }),
    });
    this.resources = new CustomResources(this, "resources", {
      releaseName: "monitoring-secrets",
      namespace: props.releaseNamespace,
      resources: monitoringSecretObjects({
        namespace: props.namespace,
        region: props.region,
        serviceAccountAnnotations: this.role.serviceAccountAnnotations,
        secrets: props.secrets,
      }),
      // The role and its inline policy: a store that can assume the role but not yet read is not Ready.
      dependsOn: [...resourcesOf(this.role), ...(props.dependsOn ?? [])],
    });
    AddonComposition.of(this)?.register({
      name: `${props.releaseNamespace}/monitoring-secrets`,
      needs: ["external-secrets-crds"],
      provides: [],
      waiter: this.resources.release,
      dependables: [this.resources.release],
    });
  }
}
