import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { OpensearchDomain } from "@cdktf/provider-aws/lib/opensearch-domain";
import { OpensearchDomainPolicy } from "@cdktf/provider-aws/lib/opensearch-domain-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import type { AwsScope } from "../../modules/irsa/policy-document";
import { PlatformKey } from "../../modules/kms/platform-key";
import { EncryptedLogGroups } from "../../modules/logs/log-groups";
import {
  assertDomainName,
  domainAccessPolicy,
  logPublishingPolicy,
  OPENSEARCH_ENGINE_VERSION,
  OPENSEARCH_HTTP_ACTIONS,
  OPENSEARCH_LOG_TYPES,
  OPENSEARCH_TLS_SECURITY_POLICY,
  OpenSearchAccessGrant,
  OpenSearchLogKey,
  openSearchLogGroupNames,
  zoneLayout,
} from "./settings";

export * from "./retention";
export * from "./settings";

export interface OpenSearchDomainProps {
  /** Domain name (3-28 characters, lower case), e.g. `eks-idp-prd-logs`. */
  readonly domainName: string;
  /** Account, region and partition. */
  readonly scope: AwsScope;
  /** VPC of the domain. */
  readonly vpcId: string;
  /**
   * Private subnets, one per AZ in AZ order. The domain uses the first
   * `min(3, AZs, instanceCount)` of them, one per zone.
   */
  readonly subnetIds: readonly string[];
  /**
   * Security groups whose members may reach the domain on HTTPS (443), by a stable name
   * (the name is part of the rule's construct id), e.g. `{ cluster: <cluster security group> }`.
   */
  readonly clientSecurityGroupIds: Readonly<Record<string, string>>;
  /** Data node instance type, e.g. `r6g.large.search`. */
  readonly instanceType: string;
  /** Number of data nodes. With two zones it must be even. */
  readonly instanceCount: number;
  /** gp3 EBS volume per data node, GiB. */
  readonly volumeSize: number;
  /**
   * IAM role that is the fine-grained access control master user (mapped to `all_access` and
   * `security_manager`). No internal (password) user is created.
   */
  readonly masterUserArn: string;
  /**
   * Engine version.
   * @default OPENSEARCH_ENGINE_VERSION ("OpenSearch_3.3")
   */
  readonly engineVersion?: string;
  /**
   * Run three dedicated master nodes.
   * @default false
   */
  readonly dedicatedMasterEnabled?: boolean;
  /**
   * Instance type of the dedicated masters.
   * @default "m6g.large.search"
   */
  readonly dedicatedMasterType?: string;
  /**
   * IAM roles given HTTP access in the domain access policy, besides the master user (who always
   * gets every action). More can be added with `grant()` until synthesis.
   * @default []
   */
  readonly accessGrants?: readonly OpenSearchAccessGrant[];
  /**
   * Retention of the slow-log and error-log groups, days.
   * @default 30
   */
  readonly logRetentionInDays?: number;
  /**
   * `prevent_destroy` on the domain, its key and its log groups.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * An Amazon OpenSearch Service domain inside the VPC: HTTPS only (TLS 1.2+), encrypted at rest with
 * its own KMS key and between nodes, fine-grained access control with an IAM master role, an access
 * policy naming only the roles given access, gp3 volumes, zone awareness over up to three AZs, and
 * slow/error logs in encrypted log groups.
 *
 * Two layers decide access. IAM (this construct): the access policy names each role and its
 * `es:ESHttp*` actions. Fine-grained access control (inside the domain): the master role is mapped
 * to `all_access` and `security_manager` by the service; every other role must be mapped to an
 * OpenSearch role once, by an admin who assumed the master role, with SigV4-signed requests from
 * inside the VPC (for example `curl --aws-sigv4 "aws:amz:<region>:es"` from a pod), e.g. for a log
 * shipper writing `eks-*` indices:
 *
 * ```
 * PUT _plugins/_security/api/roles/eks_log_writer
 * { "cluster_permissions": ["cluster_monitor", "cluster_composite_ops"],
 *   "index_permissions": [{ "index_patterns": ["eks-*"], "allowed_actions": ["create_index", "write"] }] }
 * PUT _plugins/_security/api/rolesmapping/eks_log_writer
 * { "backend_roles": ["arn:aws:iam::<account>:role/<writer role>"] }
 * ```
 * Until a role is mapped, its requests pass IAM and are refused (403) by the security plugin.
 */
export class OpenSearchDomain extends Construct {
  readonly domain: OpensearchDomain;
  readonly key: PlatformKey;
  readonly securityGroup: SecurityGroup;
  readonly logGroups: EncryptedLogGroups;
  readonly accessPolicy: OpensearchDomainPolicy;
  /** Domain endpoint host name (no scheme). */
  readonly endpoint: string;
  /** Domain ARN. */
  readonly domainArn: string;
  private readonly grants: OpenSearchAccessGrant[];

  constructor(scope: Construct, id: string, props: OpenSearchDomainProps) {
    super(scope, id);
    assertDomainName(props.domainName);
    const layout = zoneLayout(props.instanceCount, props.subnetIds.length);
    const protect = props.preventDestroy ?? false;
    const logGroupNames = openSearchLogGroupNames(props.domainName);
    const logGroupArns = EncryptedLogGroups.arnsOf(props.scope, logGroupNames);

    this.key = new PlatformKey(this, "key", {
      alias: `${props.domainName}-opensearch`,
      description: `Encrypts the OpenSearch domain ${props.domainName} and its log groups`,
      scope: props.scope,
      cloudWatchLogGroupArns: Object.values(logGroupArns),
      preventDestroy: protect,
    });
    this.logGroups = new EncryptedLogGroups(this, "log-groups", {
      scope: props.scope,
      logGroupNames,
      retentionInDays: props.logRetentionInDays ?? 30,
      kmsKeyArn: this.key.arn,
      preventDestroy: protect,
    });
    const logPolicy = new CloudwatchLogResourcePolicy(this, "log-publishing-policy", {
      policyName: `${props.domainName}-opensearch-logs`,
      policyDocument: JSON.stringify(logPublishingPolicy(props.scope, props.domainName, Object.values(logGroupArns))),
    });

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.domainName}-opensearch`,
      description: `HTTPS to the OpenSearch domain ${props.domainName}`,
      vpcId: props.vpcId,
      tags: { Name: `${props.domainName}-opensearch` },
    });
    for (const [name, groupId] of Object.entries(props.clientSecurityGroupIds)) {
      new VpcSecurityGroupIngressRule(this, `https-from-${name}`, {
        securityGroupId: this.securityGroup.id,
        description: `HTTPS from ${name}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: groupId,
      });
    }

    const dedicatedMasters = props.dedicatedMasterEnabled ?? false;
    this.domain = new OpensearchDomain(this, "domain", {
      domainName: props.domainName,
      engineVersion: props.engineVersion ?? OPENSEARCH_ENGINE_VERSION,
      clusterConfig: {
        instanceType: props.instanceType,
        instanceCount: props.instanceCount,
        zoneAwarenessEnabled: layout.zoneAwarenessEnabled,
        zoneAwarenessConfig: layout.availabilityZoneCount ? { availabilityZoneCount: layout.availabilityZoneCount } : undefined,
        dedicatedMasterEnabled: dedicatedMasters,
        dedicatedMasterType: dedicatedMasters ? (props.dedicatedMasterType ?? "m6g.large.search") : undefined,
        dedicatedMasterCount: dedicatedMasters ? 3 : undefined,
      },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: props.volumeSize },
      vpcOptions: { subnetIds: props.subnetIds.slice(0, layout.subnetCount), securityGroupIds: [this.securityGroup.id] },
      encryptAtRest: { enabled: true, kmsKeyId: this.key.arn },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: OPENSEARCH_TLS_SECURITY_POLICY },
      advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: false,
        internalUserDatabaseEnabled: false,
        masterUserOptions: { masterUserArn: props.masterUserArn },
      },
      logPublishingOptions: (Object.keys(OPENSEARCH_LOG_TYPES) as OpenSearchLogKey[]).map((key) => ({
        logType: OPENSEARCH_LOG_TYPES[key],
        cloudwatchLogGroupArn: this.logGroups.logGroups[key]!.arn,
        enabled: true,
      })),
      lifecycle: protect ? { preventDestroy: true } : undefined,
      dependsOn: [logPolicy],
    });
    this.endpoint = this.domain.endpoint;
    this.domainArn = this.domain.arn;

    this.grants = [{ sid: "MasterUser", principalArns: [props.masterUserArn], actions: [...OPENSEARCH_HTTP_ACTIONS] }];
    for (const grant of props.accessGrants ?? []) this.grant(grant);
    this.accessPolicy = new OpensearchDomainPolicy(this, "access-policy", {
      domainName: this.domain.domainName,
      accessPolicies: Lazy.stringValue({ produce: () => JSON.stringify(domainAccessPolicy(this.domainArn, this.grants)) }),
    });
  }

  /**
   * Adds a statement to the domain access policy (rendered at synthesis, so grants made by
   * constructs built later are included).
   *
   * @throws Error on an invalid grant (see `domainAccessPolicy`)
   */
  grant(grant: OpenSearchAccessGrant): void {
    domainAccessPolicy(this.domainArn, [...this.grants, grant]);
    this.grants.push({ ...grant, principalArns: [...grant.principalArns], actions: [...grant.actions] });
  }
}
