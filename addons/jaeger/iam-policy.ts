/**
 * IAM permissions of Jaeger v2 storing and reading traces in Amazon OpenSearch Service with the
 * `sigv4auth` extension (`jaeger_storage.backends.<name>.opensearch.auth.authenticator: sigv4auth`),
 * kept as data.
 *
 * Source (read from the public repository, not retyped from memory):
 *   repository: jaegertracing/jaeger
 *   ref:        tag v2.20.0 (the image the platform runs, see `JAEGER_IMAGE_TAG`)
 *   paths:      internal/storage/elasticsearch/esclient/{version.go,index_client.go,search.go,sync_bulk.go}
 *
 * Jaeger documents no IAM policy; its OpenSearch client sends these HTTP methods, which Amazon
 * OpenSearch Service authorizes as the matching `es:ESHttp*` action:
 *   - `GET /` (version detection at start-up), `GET` searches and index listings → `es:ESHttpGet`;
 *   - `POST _bulk` (span and service writes), `POST` searches / multi-searches → `es:ESHttpPost`;
 *   - `PUT` index templates (`create_mappings`) and indices → `es:ESHttpPut`;
 *   - `HEAD` index / alias existence checks → `es:ESHttpHead`.
 * `DELETE` is used only by the index cleaner and rollover tools (`IndicesClient.DeleteIndices`,
 * `DeleteAlias`), which the platform does not run with this role, so `es:ESHttpDelete` is not granted.
 * Actions are listed one by one (no `es:ESHttp*`), on `<domain ARN>/*` only.
 *
 * With fine-grained access control on the domain, the role must also be mapped to an OpenSearch role
 * that may write and read the `jaeger-*` indices and manage their templates.
 */
import type { PolicyStatement } from "../../modules/irsa/policy-document";

/** Where {@link jaegerOpenSearchPolicy} comes from. */
export const JAEGER_POLICY_SOURCE = {
  repository: "jaegertracing/jaeger",
  ref: "v2.20.0",
  paths: [
    "internal/storage/elasticsearch/esclient/version.go",
    "internal/storage/elasticsearch/esclient/index_client.go",
    "internal/storage/elasticsearch/esclient/search.go",
    "internal/storage/elasticsearch/esclient/sync_bulk.go",
  ],
} as const;

/** The HTTP actions Jaeger needs on an OpenSearch domain, in a fixed order. */
export const JAEGER_OPENSEARCH_ACTIONS = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"] as const;

export interface JaegerOpenSearchPolicyArgs {
  /** ARN of the Amazon OpenSearch Service domain (`arn:<p>:es:<region>:<account>:domain/<name>`). */
  readonly domainArn: string;
}

/** Statements for Jaeger's `opensearch` trace storage with SigV4: read and write spans in one domain. */
export function jaegerOpenSearchPolicy(args: JaegerOpenSearchPolicyArgs): PolicyStatement[] {
  return [
    {
      Sid: "ReadWriteTracesInDomain",
      Effect: "Allow",
      Action: [...JAEGER_OPENSEARCH_ACTIONS],
      Resource: [`${args.domainArn}/*`],
    },
  ];
}
