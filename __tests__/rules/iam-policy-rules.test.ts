/**
 * The add-on policies that restate no published document kept here (Jaeger on OpenSearch: Jaeger
 * documents none; AMP: the AWS managed policies, narrowed to one workspace; Loki: Grafana's guide,
 * narrowed to one bucket and its key), as rules: one resource (the one
 * given), exact actions, and what each role may not do (Jaeger never deletes indices, Grafana never
 * writes samples, Prometheus never queries).
 */
import { describe, expect, it } from "vitest";
import { jaegerOpenSearchPolicy } from "../../addons/jaeger/iam-policy";
import { ampQueryPolicy, ampRemoteWritePolicy } from "../../addons/kube-prometheus-stack/iam-policy";
import { lokiPolicy } from "../../addons/loki/iam-policy";
import type { PolicyStatement } from "../../modules/irsa/policy-document";

const DOMAIN = "arn:aws-us-gov:es:us-gov-west-1:111122223333:domain/platform-traces";
const WORKSPACE = "arn:aws-us-gov:aps:us-gov-west-1:111122223333:workspace/ws-0123";

/** Every statement: an Allow with a Sid, exact actions (no wildcard) and the given resources only. */
function problems(statements: readonly PolicyStatement[], resources: readonly string[]): string[] {
  return statements.flatMap((s) => [
    ...(s.Effect === "Allow" && /^[A-Za-z0-9]+$/.test(s.Sid ?? "") ? [] : [`${s.Sid}: not a named Allow`]),
    ...s.Action.filter((a) => !/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/.test(a)).map((a) => `${s.Sid}: action ${a}`),
    ...(JSON.stringify(s.Resource) === JSON.stringify(resources) ? [] : [`${s.Sid}: resources ${JSON.stringify(s.Resource)}`]),
    ...(s.Condition === undefined ? [] : [`${s.Sid}: a condition`]),
  ]);
}
const actions = (statements: readonly PolicyStatement[]) => statements.flatMap((s) => s.Action).sort();

describe("Jaeger on OpenSearch", () => {
  it("reads and writes spans under the given domain's paths only, with exact actions", () => {
    expect(problems(jaegerOpenSearchPolicy({ domainArn: DOMAIN }), [`${DOMAIN}/*`])).toEqual([]);
  });
  it("queries (GET, HEAD), writes in bulk and creates index templates (POST, PUT), and never deletes an index", () => {
    expect(actions(jaegerOpenSearchPolicy({ domainArn: DOMAIN }))).toEqual(["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"]);
  });
});

describe("Amazon Managed Service for Prometheus", () => {
  it.each([
    ["remote write", ampRemoteWritePolicy],
    ["query", ampQueryPolicy],
  ] as const)("%s: the given workspace only, with exact actions", (_name, policy) => {
    expect(problems(policy(WORKSPACE), [WORKSPACE])).toEqual([]);
  });
  it("Prometheus only writes samples (AmazonPrometheusRemoteWriteAccess's action)", () => {
    expect(actions(ampRemoteWritePolicy(WORKSPACE))).toEqual(["aps:RemoteWrite"]);
  });
  it("Grafana only reads (AmazonPrometheusQueryAccess's actions), never writes", () => {
    const granted = actions(ampQueryPolicy(WORKSPACE));
    expect(granted).toEqual(["aps:GetLabels", "aps:GetMetricMetadata", "aps:GetSeries", "aps:QueryMetrics"]);
    expect(granted.filter((a) => !/^aps:(Get|Query)/.test(a))).toEqual([]);
  });
});

describe("Loki on S3", () => {
  const BUCKET = "arn:aws-us-gov:s3:::platform-loki";
  const KEY = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/0b1c2d3e";
  it("lists its bucket, reads, writes and deletes (retention) its objects, and uses the bucket's key: each on that resource only", () => {
    const statements = lokiPolicy(BUCKET, KEY);
    const on = (resource: string) => statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify([resource]));
    expect(problems(on(BUCKET), [BUCKET])).toEqual([]);
    expect(actions(on(BUCKET))).toEqual(["s3:ListBucket"]);
    expect(actions(on(`${BUCKET}/*`))).toEqual(["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]);
    expect(actions(on(KEY))).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(on(BUCKET).length + on(`${BUCKET}/*`).length + on(KEY).length).toBe(statements.length);
    expect(statements.flatMap((s) => problems([s], s.Resource))).toEqual([]);
  });
});
