/**
 * Settings and policies of the platform's Amazon OpenSearch Service domain, as data. Pure: no cdktf.
 *
 * Sources:
 *   - Engine version: the OpenSearch versions Amazon OpenSearch Service offers for new domains
 *     (developer guide, "Supported versions of Elasticsearch and OpenSearch"; `ListVersions` returns
 *     OpenSearch_3.5, 3.3, 3.1, 2.19, ...). 3.3 is the newest 3.x that has been generally available
 *     for a few months; it is what the "features by engine version" page requires for multi-tier
 *     storage. Fluent Bit's `opensearch` output (with `Suppress_Type_Name On`) and Jaeger v2's
 *     OpenSearch storage (opensearch-go, OpenSearch 1.x-3.x) both support 3.x.
 *   - TLS policy: the `TLSSecurityPolicy` enum of the OpenSearch API (`Policy-Min-TLS-1-0-2019-07`,
 *     `Policy-Min-TLS-1-2-2019-07`, `Policy-Min-TLS-1-2-PFS-2023-10`; newer SDKs add a FIPS one).
 *     The AWS provider 6.25 validates `tls_security_policy` against that enum. The PFS policy is
 *     TLS 1.2 minimum with forward-secret ciphers only; Security Hub control Opensearch.8 asks for it.
 *   - HTTP actions: Amazon OpenSearch Service authorizes each REST call as `es:ESHttp<Method>`
 *     (developer guide, "Identity and Access Management in Amazon OpenSearch Service"): Delete, Get,
 *     Head, Patch, Post, Put. They are listed one by one, never as `es:ESHttp*`.
 *   - Log publishing: the domain writes slow and error logs with the `es.amazonaws.com` principal,
 *     which needs `logs:PutLogEvents` and `logs:CreateLogStream` on the groups through a CloudWatch
 *     Logs resource policy (developer guide, "Monitoring OpenSearch logs with Amazon CloudWatch
 *     Logs"), limited here by `aws:SourceAccount` and `aws:SourceArn`.
 */
import type { AwsScope, PolicyDocument, PolicyStatement, TrustStatement } from "../../modules/irsa/policy-document";
import { policyDocument } from "../../modules/irsa/policy-document";

/** Engine of new domains unless the props say otherwise. */
export const OPENSEARCH_ENGINE_VERSION = "OpenSearch_3.3";

/** HTTPS only, TLS 1.2 or newer with perfect forward secrecy. */
export const OPENSEARCH_TLS_SECURITY_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

/** Every HTTP action of the OpenSearch REST API, in a fixed order. */
export const OPENSEARCH_HTTP_ACTIONS = [
  "es:ESHttpDelete",
  "es:ESHttpGet",
  "es:ESHttpHead",
  "es:ESHttpPatch",
  "es:ESHttpPost",
  "es:ESHttpPut",
] as const;
export type OpenSearchHttpAction = (typeof OPENSEARCH_HTTP_ACTIONS)[number];

/** What a log shipper needs: bulk indexing only (`POST _bulk`). */
export const OPENSEARCH_WRITE_ACTIONS: readonly OpenSearchHttpAction[] = ["es:ESHttpPost"];

/** Log types the domain publishes, by the key of their log group. */
export const OPENSEARCH_LOG_TYPES = {
  "index-slow-logs": "INDEX_SLOW_LOGS",
  "application-logs": "ES_APPLICATION_LOGS",
} as const;
export type OpenSearchLogKey = keyof typeof OPENSEARCH_LOG_TYPES;

/** Access to the domain for some IAM principals, one statement of the domain access policy. */
export interface OpenSearchAccessGrant {
  /** Statement id, letters and digits only, unique in the policy (e.g. `FluentBitWrites`). */
  readonly sid: string;
  /** IAM role ARNs (tokens allowed). */
  readonly principalArns: readonly string[];
  /** HTTP actions granted on every path of the domain. */
  readonly actions: readonly OpenSearchHttpAction[];
}

const DOMAIN_NAME = /^[a-z][a-z0-9-]{2,27}$/;

/** @throws Error unless `name` is a valid domain name (3-28 characters, lower case, starts with a letter) */
export function assertDomainName(name: string): void {
  if (!DOMAIN_NAME.test(name)) {
    throw new Error(`OpenSearch domain name must be 3-28 characters of a-z, 0-9 and -, starting with a letter; got "${name}"`);
  }
}

/** `arn:<partition>:es:<region>:<account>:domain/<name>`, known before the domain exists. */
export function domainArnOf(scope: AwsScope, domainName: string): string {
  return `arn:${scope.partition}:es:${scope.region}:${scope.accountId}:domain/${domainName}`;
}

/** `/aws/opensearch/<domain>/<key>`. */
export function openSearchLogGroupNames(domainName: string): Record<OpenSearchLogKey, string> {
  return {
    "index-slow-logs": `/aws/opensearch/${domainName}/index-slow-logs`,
    "application-logs": `/aws/opensearch/${domainName}/application-logs`,
  };
}

/** How the data nodes spread over availability zones. */
export interface ZoneLayout {
  readonly zoneAwarenessEnabled: boolean;
  /** 2 or 3 when zone awareness is on. */
  readonly availabilityZoneCount: number | undefined;
  /** How many subnets (one per zone, in AZ order) the domain is placed in. */
  readonly subnetCount: number;
}

/**
 * Zones the domain uses: as many as there are data nodes, subnets and at most 3.
 *
 * @throws Error when a two-zone domain would get an odd number of data nodes (the service rejects
 *   it) or when there is no subnet
 */
export function zoneLayout(instanceCount: number, subnetCount: number): ZoneLayout {
  if (!Number.isInteger(instanceCount) || instanceCount < 1) throw new Error(`OpenSearch instance count must be a positive integer, got ${instanceCount}`);
  if (subnetCount < 1) throw new Error("an OpenSearch domain needs at least one subnet");
  const zones = Math.min(3, subnetCount, instanceCount);
  if (zones === 1) return { zoneAwarenessEnabled: false, availabilityZoneCount: undefined, subnetCount: 1 };
  if (zones === 2 && instanceCount % 2 !== 0) {
    throw new Error(
      `an OpenSearch domain in 2 availability zones needs an even number of data nodes, got ${instanceCount} (use ${instanceCount + 1} or 3 zones)`,
    );
  }
  return { zoneAwarenessEnabled: true, availabilityZoneCount: zones, subnetCount: zones };
}

/**
 * The domain access policy: one Allow statement per grant, on `<domain ARN>/*`, for the listed roles
 * only (no `*` principal, no `es:*`).
 *
 * @throws Error on a grant without principals or actions, an unknown action, or a repeated or
 *   non-alphanumeric `sid`
 */
export function domainAccessPolicy(domainArn: string, grants: readonly OpenSearchAccessGrant[]): PolicyDocument {
  const seen = new Set<string>();
  const statements = grants.map((grant): PolicyStatement => {
    if (!/^[A-Za-z0-9]+$/.test(grant.sid)) throw new Error(`access grant sid must be alphanumeric, got "${grant.sid}"`);
    if (seen.has(grant.sid)) throw new Error(`access grant sid "${grant.sid}" is used twice`);
    seen.add(grant.sid);
    if (grant.principalArns.length === 0) throw new Error(`access grant ${grant.sid} names no principal`);
    if (grant.actions.length === 0) throw new Error(`access grant ${grant.sid} grants no action`);
    const unknown = grant.actions.filter((a) => !(OPENSEARCH_HTTP_ACTIONS as readonly string[]).includes(a));
    if (unknown.length > 0) throw new Error(`access grant ${grant.sid}: unknown actions ${unknown.join(", ")}`);
    return {
      Sid: grant.sid,
      Effect: "Allow",
      Principal: { AWS: [...grant.principalArns] },
      Action: OPENSEARCH_HTTP_ACTIONS.filter((a) => grant.actions.includes(a)),
      Resource: [`${domainArn}/*`],
    };
  });
  return policyDocument(statements);
}

/** CloudWatch Logs resource policy letting exactly this domain write to its own log groups. */
export function logPublishingPolicy(scope: AwsScope, domainName: string, logGroupArns: readonly string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "OpenSearchPublishesLogs",
      Effect: "Allow",
      Principal: { Service: "es.amazonaws.com" },
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: logGroupArns.map((arn) => `${arn}:*`),
      Condition: {
        StringEquals: { "aws:SourceAccount": scope.accountId },
        ArnLike: { "aws:SourceArn": domainArnOf(scope, domainName) },
      },
    },
  ]);
}

/** Trust of the domain's admin role: only the given roles (the platform admins) may assume it. */
export function adminRoleTrust(principalArns: readonly string[]): TrustStatement[] {
  if (principalArns.length === 0) throw new Error("the OpenSearch admin role needs at least one principal that may assume it");
  return [{ Sid: "PlatformAdminsAssume", Effect: "Allow", Principal: { AWS: [...principalArns] }, Action: ["sts:AssumeRole"] }];
}
