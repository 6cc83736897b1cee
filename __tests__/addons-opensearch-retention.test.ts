/**
 * Retention of the OpenSearch log and trace indices: an ISM policy applied by an in-cluster CronJob.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  ismRetentionPolicy,
  LOG_INDEX_PATTERN,
  OpenSearchRetention,
  RETENTION_ACTIONS,
  RETENTION_SCRIPT,
  retentionRolePolicy,
  terraformLiteral,
  TRACE_INDEX_PATTERN,
} from "../addons/opensearch";
import { platform, resources, synth } from "./support/platform";

describe("ISM retention policy (pure)", () => {
  it("deletes an index the given number of days after its creation, for the given patterns", () => {
    expect(ismRetentionPolicy({ days: 30, indexPatterns: ["eks-*", "jaeger-*"] }).policy).toMatchObject({
      default_state: "hot",
      states: [
        { name: "hot", actions: [], transitions: [{ state_name: "delete", conditions: { min_index_age: "30d" } }] },
        { name: "delete", actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: ["eks-*", "jaeger-*"], priority: 100 }],
    });
    expect(ismRetentionPolicy({ days: 1, indexPatterns: ["x-*"] }).policy.states[0]!.transitions[0]!.conditions.min_index_age).toBe("1d");
  });

  it("refuses a retention below one day or without index patterns", () => {
    for (const days of [0, -1, 1.5, Number.NaN]) expect(() => ismRetentionPolicy({ days, indexPatterns: ["x-*"] }), String(days)).toThrow(/positive integer/);
    expect(() => ismRetentionPolicy({ days: 7, indexPatterns: [] })).toThrow(/index pattern/);
  });

  it("lets the job's role call only the ISM API of its domain", () => {
    const arn = "arn:aws:es:eu-west-1:111122223333:domain/logs";
    expect(retentionRolePolicy(arn)).toEqual([{ Sid: "ApplyIsmPolicy", Effect: "Allow", Action: [...RETENTION_ACTIONS], Resource: [`${arn}/_plugins/_ism/*`] }]);
  });

  it("escapes Terraform's template sequences, and only those", () => {
    expect(terraformLiteral("curl -w '%{http_code}' ${HOME} $X %d {a}")).toBe("curl -w '%%{http_code}' $${HOME} $X %d {a}");
  });

  it("ships a script that sh parses", () => {
    const result = spawnSync("sh", ["-n"], { input: RETENTION_SCRIPT, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(RETENTION_SCRIPT).toContain("--aws-sigv4");
  });
});

const stacks = () => platform().envs.map((env) => [env.name, env, synth(platform().stacks.environments[env.name]!.addons)] as const);

describe.each(stacks())("OpenSearch retention of %s", (_name, env, json) => {
  const jobs = Object.values(resources(json, "kubernetes_cron_job_v1")).filter((j: any) => j.metadata.name === OpenSearchRetention.NAME);

  it("exists exactly where the environment has an OpenSearch domain", () => {
    expect(jobs).toHaveLength(env.addons.logging.opensearch ? 1 : 0);
  });

  if (!env.addons.logging.opensearch) return;

  it("applies a policy deleting log and trace indices after logging.retentionDays", () => {
    const config = Object.values(resources(json, "kubernetes_config_map_v1")).find((m: any) => m.metadata.name === OpenSearchRetention.NAME) as any;
    const policy = JSON.parse(config.data["policy.json"]).policy;
    expect(policy.states[0].transitions[0].conditions.min_index_age).toBe(`${env.addons.logging.retentionDays}d`);
    expect(policy.ism_template[0].index_patterns).toEqual([LOG_INDEX_PATTERN, TRACE_INDEX_PATTERN]);
    // Terraform reads `%{`/`${` as template sequences: the script reaches the cluster as written.
    expect(config.data["apply.sh"]).toBe(terraformLiteral(RETENTION_SCRIPT));
    expect(config.data["apply.sh"]).toContain("%%{http_code}");
  });

  it("runs as its own IRSA role, which the domain's access policy names", () => {
    const job = jobs[0] as any;
    const pod = job.spec.job_template.spec.template.spec;
    const account = Object.values(resources(json, "kubernetes_service_account_v1")).find((a: any) => a.metadata.name === pod.service_account_name) as any;
    const roleRef = account.metadata.annotations["eks.amazonaws.com/role-arn"] as string;
    const roleName = roleRef.match(/^\$\{aws_iam_role\.([^.]+)\.arn\}$/)![1]!;
    expect(job.depends_on).toEqual(expect.arrayContaining([`aws_iam_role.${roleName}`]));
    const domainPolicy = Object.values(resources(json, "aws_opensearch_domain_policy"))[0] as any;
    expect(domainPolicy.access_policies).toContain(`aws_iam_role.${roleName}.arn`);
    expect(pod.container[0].resources.requests).toBeDefined();
  });
});
