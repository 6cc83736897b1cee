import { Construct } from "constructs";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { IrsaRole, OidcIdentity } from "../../modules/irsa/irsa-role";
import type { AwsScope, PolicyStatement } from "../../modules/irsa/policy-document";
import { PlatformKey } from "../../modules/kms/platform-key";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { EncryptedLogGroups } from "../../modules/logs/log-groups";
import { FLUENT_BIT_CHART } from "./chart";
import { fluentBitCloudWatchPolicy, fluentBitOpenSearchPolicy } from "./iam-policy";
import { FLUENT_BIT_LOG_KINDS, FluentBitLogGroupNames, fluentBitLogGroupNames, fluentBitValues } from "./values";

export { FLUENT_BIT_CHART } from "./chart";

/** Requests and memory limit of each Fluent Bit pod unless the props say otherwise. */
export const FLUENT_BIT_DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { memory: "512Mi" },
};

export interface FluentBitProps extends ReleaseOptions {
  /** EKS cluster name (names the log groups `/aws/eks/<clusterName>/<kind>`). */
  readonly clusterName: string;
  /** Prefix of the IAM role name and KMS alias, e.g. `eks-idp-dev`. */
  readonly namePrefix: string;
  /** The cluster's OIDC identity (IRSA). */
  readonly oidc: OidcIdentity;
  /** Account, region and partition. */
  readonly scope: AwsScope;
  /** Retention of the log groups, in days (a value CloudWatch Logs accepts). */
  readonly retentionInDays: number;
  /**
   * Endpoint (host name, no scheme) of an Amazon OpenSearch Service domain to ship logs to as well.
   * Give `openSearchDomainArn` with it.
   * @default - CloudWatch Logs only
   */
  readonly openSearchEndpoint?: string;
  /**
   * ARN of that domain (scopes the role's `es:ESHttpPost`).
   * @default - CloudWatch Logs only
   */
  readonly openSearchDomainArn?: string;
  /**
   * Index prefix in OpenSearch: indices are `<prefix>-<kind>-YYYY.MM.DD`.
   * @default "eks"
   */
  readonly openSearchIndexPrefix?: string;
  /**
   * In-cluster Loki gateway (host and port) to ship logs to as well.
   * @default - no Loki
   */
  readonly loki?: { readonly host: string; readonly port: number };
  /**
   * Create the chart's ServiceMonitor (output errors and retries in Prometheus); the release then
   * needs the monitoring CRDs.
   * @default false
   */
  readonly serviceMonitor?: boolean;
  /**
   * Namespace of the release.
   * @default "logging"
   */
  readonly namespace?: string;
  /**
   * Name of the ServiceAccount (set in the chart and trusted by the IRSA role).
   * @default "fluent-bit"
   */
  readonly serviceAccountName?: string;
  /**
   * Resources of each pod.
   * @default FLUENT_BIT_DEFAULT_RESOURCES
   */
  readonly resources?: ContainerResources;
  /**
   * `prevent_destroy` on the KMS key and the log groups.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * Fluent Bit as a DaemonSet on every node, shipping container, node (journal) and dataplane logs to
 * three KMS-encrypted CloudWatch log groups it owns, and optionally to an OpenSearch domain.
 */
export class FluentBit extends Construct {
  readonly key: PlatformKey;
  readonly logGroups: EncryptedLogGroups;
  readonly logGroupNames: FluentBitLogGroupNames;
  readonly role: IrsaRole;
  readonly release: HelmAddon;
  /** ARN of the IRSA role (to grant it access to the OpenSearch domain). */
  readonly roleArn: string;
  /** Namespace of the release (created by it). */
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: FluentBitProps) {
    super(scope, id);
    if ((props.openSearchEndpoint === undefined) !== (props.openSearchDomainArn === undefined)) {
      throw new Error("FluentBit: openSearchEndpoint and openSearchDomainArn go together");
    }
    const namespace = props.namespace ?? "logging";
    this.namespace = namespace;
    const serviceAccount = props.serviceAccountName ?? "fluent-bit";
    this.logGroupNames = fluentBitLogGroupNames(props.clusterName);
    const arns = EncryptedLogGroups.arnsOf(props.scope, this.logGroupNames);
    const logGroupArns = FLUENT_BIT_LOG_KINDS.map((kind) => arns[kind]!);

    this.key = new PlatformKey(this, "key", {
      alias: `${props.namePrefix}-fluent-bit`,
      description: `Encrypts the Fluent Bit log groups of ${props.clusterName}`,
      scope: props.scope,
      cloudWatchLogGroupArns: logGroupArns,
      preventDestroy: props.preventDestroy,
    });
    this.logGroups = new EncryptedLogGroups(this, "log-groups", {
      scope: props.scope,
      logGroupNames: this.logGroupNames,
      retentionInDays: props.retentionInDays,
      kmsKeyArn: this.key.arn,
      preventDestroy: props.preventDestroy,
    });

    const statements: PolicyStatement[] = [...fluentBitCloudWatchPolicy({ scope: props.scope, logGroupArns })];
    if (props.openSearchDomainArn !== undefined) {
      statements.push(...fluentBitOpenSearchPolicy({ domainArn: props.openSearchDomainArn }));
    }
    this.role = new IrsaRole(this, "irsa", {
      oidc: props.oidc,
      namespace,
      serviceAccount,
      roleName: `${props.namePrefix}-fluent-bit`,
      policyStatements: statements,
    });
    this.roleArn = this.role.roleArn;

    this.release = new HelmAddon(this, "release", {
      releaseName: "fluent-bit",
      namespace,
      chart: FLUENT_BIT_CHART,
      values: fluentBitValues({
        serviceAccountName: serviceAccount,
        serviceAccountAnnotations: this.role.serviceAccountAnnotations,
        region: props.scope.region,
        logGroupNames: this.logGroupNames,
        openSearch:
          props.openSearchEndpoint !== undefined
            ? { host: props.openSearchEndpoint, region: props.scope.region, indexPrefix: props.openSearchIndexPrefix ?? "eks" }
            : undefined,
        resources: props.resources ?? FLUENT_BIT_DEFAULT_RESOURCES,
        loki: props.loki,
        serviceMonitor: props.serviceMonitor,
      }),
      overrides: props.overrides,
      // templates/service.yaml (the HTTP server: metrics and health).
      createsServices: true,
      needs: props.serviceMonitor ? ["monitoring-crds"] : [],
      irsaRoles: [this.role],
      // The groups too (auto_create_group is off).
      dependsOn: [...Object.values(this.logGroups.logGroups), ...(props.dependsOn ?? [])],
    });
  }
}
