import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import { FluentBit } from "../../addons/fluent-bit";
import { Loki, LOKI_GATEWAY_PORT, lokiGatewayHost } from "../../addons/loki";
import { adminRoleTrust, OPENSEARCH_WRITE_ACTIONS, OpenSearchAccessGrant, OpenSearchDomain, OpenSearchRetention, RETENTION_ACTIONS } from "../../addons/opensearch";
import type { PlatformEnvironment } from "../../environments/validate";
import { trustPolicy } from "../../modules/irsa/policy-document";
import { accessLogBucketName } from "../access-logs";
import { LOKI_NAMESPACE } from "./observability";

/** An OpenSearch domain that logs and traces are written to. */
export interface OpenSearchTarget {
  /** Domain endpoint host name (no scheme). */
  readonly endpoint: string;
  /** Domain ARN. */
  readonly domainArn: string;
  /**
   * Adds an IAM role to the domain access policy, e.g. the Jaeger role:
   * `target.grant?.({ sid: "JaegerReadsWrites", principalArns: [role.roleArn], actions: [...JAEGER_OPENSEARCH_ACTIONS] })`.
   * The policy is rendered at synthesis, so a role created after `addLogging` is included. Optional
   * so that a target written by hand (a test, another team's domain) needs no implementation; the
   * role's own identity policy on `<domainArn>/*` is enough for IAM in the same account either way.
   */
  readonly grant?: (grant: OpenSearchAccessGrant) => void;
}

/**
 * How the code tells people from machines among the cluster admins: an entry of
 * `cluster.access.admins` whose key starts with `ci-` (e.g. `ci-deploy`) is a CI role; every other
 * key names a role that people assume (e.g. `platform-admins`, an SSO role).
 */
export const CI_ACCESS_KEY_PREFIX = "ci-";

/**
 * The roles of `cluster.access.admins` that people assume (every key without the `ci-` prefix), in
 * key order: the only principals the OpenSearch master-user role trusts, so that no CI job holds the
 * domain's `all_access` and `security_manager` rights.
 *
 * @throws Error when every admin is a CI role (the domain would have no human administrator)
 */
export function humanAdminRoleArns(admins: Readonly<Record<string, string>>): string[] {
  const humans = Object.keys(admins)
    .filter((key) => !key.startsWith(CI_ACCESS_KEY_PREFIX))
    .sort()
    .map((key) => admins[key]!);
  if (humans.length === 0) {
    throw new Error(`cluster.access.admins has no human admin role (keys without the "${CI_ACCESS_KEY_PREFIX}" prefix) to trust the OpenSearch master-user role`);
  }
  return humans;
}

/** Domain name of an environment's log domain: `<namePrefix>-logs`, e.g. `eks-idp-prd-logs`. */
export function logDomainName(namePrefix: string): string {
  return `${namePrefix}-logs`;
}

/**
 * The log pipeline of an environment: Fluent Bit to CloudWatch Logs everywhere, and to an Amazon
 * OpenSearch Service domain when the env has `addons.logging.opensearch`; returns that domain.
 *
 * - Loki (`logging.loki`): monolithic or simple-scalable, S3 bucket with the retention, IRSA; Fluent
 *   Bit writes to its gateway as well.
 * - Fluent Bit: log groups `/aws/eks/<cluster>/{containers,nodes,dataplane}` with
 *   `logging.retentionDays`, one KMS key; chart overrides from `env.addons.overrides["fluent-bit"]`.
 * - OpenSearch (`logging.opensearch`): domain `<namePrefix>-logs` in the private subnets, reachable
 *   on 443 from the cluster security group only. Its fine-grained access control master user is a
 *   dedicated IAM role, `<namePrefix>-opensearch-admin`, that only the environment's human cluster
 *   admin roles may assume (`cluster.access.admins` without the `ci-` keys: `humanAdminRoleArns`);
 *   no password user exists. The access policy names
 *   that role, Fluent Bit's role (`es:ESHttpPost`) and whatever `grant` adds later (Jaeger). After
 *   the first apply an admin maps the writer roles inside OpenSearch (see `OpenSearchDomain`).
 * - Stateful resources (domain, keys, log groups) get `prevent_destroy` in prod.
 */
export function addLogging(scope: Construct, ctx: AddonContext, env: PlatformEnvironment): OpenSearchTarget | undefined {
  const logging = env.addons.logging;
  const protect = ctx.protectStatefulResources;
  const root = new Construct(scope, "logging");

  let domain: OpenSearchDomain | undefined;
  if (logging.opensearch) {
    const search = logging.opensearch;
    const admin = new IamRole(root, "opensearch-admin-role", {
      name: `${ctx.namePrefix}-opensearch-admin`,
      description: `Fine-grained access control master user of the OpenSearch domain ${logDomainName(ctx.namePrefix)}`,
      assumeRolePolicy: trustPolicy(adminRoleTrust(humanAdminRoleArns(env.cluster.access.admins))),
    });
    domain = new OpenSearchDomain(root, "opensearch", {
      domainName: logDomainName(ctx.namePrefix),
      scope: ctx.scope,
      vpcId: ctx.vpcId,
      subnetIds: ctx.privateSubnetIds,
      clientSecurityGroupIds: { cluster: ctx.clusterSecurityGroupId },
      instanceType: search.instanceType,
      instanceCount: search.instanceCount,
      volumeSize: search.volumeGiB,
      dedicatedMasterEnabled: search.dedicatedMasters,
      masterUserArn: admin.arn,
      logRetentionInDays: logging.retentionDays,
      preventDestroy: protect,
    });
  }

  // Loki (`logging.loki`): Grafana's log store, fed by Fluent Bit next to CloudWatch and OpenSearch.
  const loki = logging.loki
    ? new Loki(root, "loki", {
        context: ctx,
        mode: logging.loki.mode,
        retentionDays: logging.loki.retentionDays,
        replicas: logging.loki.replicas,
        namespace: LOKI_NAMESPACE,
        accessLogBucketName: accessLogBucketName(ctx.scope.accountId),
        overrides: env.addons.overrides["loki"],
      })
    : undefined;

  const fluentBit = new FluentBit(root, "fluent-bit", {
    clusterName: ctx.clusterName,
    namePrefix: ctx.namePrefix,
    oidc: ctx.oidc,
    scope: ctx.scope,
    retentionInDays: logging.retentionDays,
    openSearchEndpoint: domain?.endpoint,
    openSearchDomainArn: domain?.domainArn,
    preventDestroy: protect,
    loki: loki ? { host: lokiGatewayHost(loki.namespace), port: LOKI_GATEWAY_PORT } : undefined,
    // Output errors and retries in Prometheus (the platform's Fluent Bit alerts).
    serviceMonitor: true,
    dependsOn: loki ? [loki.release.release] : [],
    overrides: env.addons.overrides["fluent-bit"],
  });
  if (!domain) return undefined;

  domain.grant({ sid: "FluentBitWrites", principalArns: [fluentBit.roleArn], actions: OPENSEARCH_WRITE_ACTIONS });
  // Log and trace indices expire after `logging.retentionDays`, like the CloudWatch copies (ISM policy
  // applied from inside the cluster: see addons/opensearch/retention.ts).
  const retention = new OpenSearchRetention(root, "opensearch-retention", {
    namespace: fluentBit.namespace,
    oidc: ctx.oidc,
    region: ctx.scope.region,
    roleName: `${ctx.namePrefix}-opensearch-retention`,
    endpoint: domain.endpoint,
    domainArn: domain.domainArn,
    days: logging.retentionDays,
    dependsOn: [fluentBit.release.release],
  });
  domain.grant({ sid: "RetentionAppliesIsm", principalArns: [retention.role.roleArn], actions: [...RETENTION_ACTIONS] });
  const target = domain;
  return { endpoint: target.endpoint, domainArn: target.domainArn, grant: (grant) => target.grant(grant) };
}
