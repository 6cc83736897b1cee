/**
 * Issue 12, items 6-8: the cluster role's rights on its secrets key, the Karpenter interruption
 * queue's `aws:SourceArn`, and the OpenSearch master-user role trusting people only. Each rule is
 * checked on the synthesized JSON of every environment and, where it is a pure function, at its
 * boundaries.
 */
import { describe, expect, it } from "vitest";
import { INTERRUPTION_EVENT_PATTERNS, interruptionQueuePolicy } from "../addons/karpenter/interruption";
import { CLUSTER_KEY_ACTIONS, clusterKeyStatement } from "../modules/eks/control-plane";
import { CI_ACCESS_KEY_PREFIX, humanAdminRoleArns } from "../stacks/addons/logging";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";

const { envs, stacks } = platform();

/** Logical names of the resources of a type whose construct path starts with `prefix` (cdktf: `/` becomes `_`). */
const named = (json: SynthesizedStack, type: string, prefix: string) =>
  Object.keys(resources(json, type)).filter((name) => name.startsWith(prefix.replace(/\//g, "_")));

describe("the EKS cluster role and its secrets key", () => {
  it("gets exactly terraform-aws-eks v21's four KMS actions on the one key, without a condition", () => {
    expect([...CLUSTER_KEY_ACTIONS]).toEqual(["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]);
    expect(clusterKeyStatement("arn:aws:kms:ap-northeast-2:111122223333:key/k")).toEqual({
      Sid: "ClusterEncryption",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
      Resource: ["arn:aws:kms:ap-northeast-2:111122223333:key/k"],
    });
  });

  it.each(envs.map((e) => e.name))("%s: the cluster role has that policy on its encryption key before the cluster exists", (name) => {
    const json = synth(stacks.environments[name]!.cluster);
    const [clusterName] = Object.keys(resources(json, "aws_eks_cluster"));
    const cluster = resources(json, "aws_eks_cluster")[clusterName!];
    const keyArn: string = cluster.encryption_config.provider.key_arn;
    const roleName = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(cluster.role_arn)![1];
    const policies = Object.entries(resources(json, "aws_iam_role_policy")).filter(([, p]: [string, any]) => p.role === `\${aws_iam_role.${roleName}.name}`);
    expect(policies).toHaveLength(1);
    const [policyName, policy] = policies[0]! as [string, any];
    expect(JSON.parse(policy.policy).Statement).toEqual([clusterKeyStatement(keyArn)]);
    expect(cluster.depends_on).toContain(`aws_iam_role_policy.${policyName}`);
  });
});

describe("Karpenter's interruption queue policy", () => {
  const queue = "arn:aws:sqs:ap-northeast-2:111122223333:q";
  const rules = ["arn:aws:events:ap-northeast-2:111122223333:rule/a", "arn:aws:events:ap-northeast-2:111122223333:rule/b"];

  it("lets only EventBridge send, only for the given rules (aws:SourceArn), and denies plain HTTP", () => {
    const [send, deny] = interruptionQueuePolicy(queue, rules).Statement;
    expect(send).toEqual({
      Sid: "AllowEventBridgeToSend",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["sqs:SendMessage"],
      Resource: [queue],
      Condition: { ArnEquals: { "aws:SourceArn": rules } },
    });
    expect(JSON.stringify(send)).not.toContain("sqs.amazonaws.com");
    expect(deny).toMatchObject({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("refuses to be written without a rule (one rule is enough)", () => {
    expect(() => interruptionQueuePolicy(queue, [])).toThrow(/ARNs of the EventBridge rules/);
    expect(interruptionQueuePolicy(queue, rules.slice(0, 1)).Statement[0]!.Condition).toEqual({ ArnEquals: { "aws:SourceArn": rules.slice(0, 1) } });
  });

  const withKarpenter = envs.filter((e) => e.addons.autoscaler === "karpenter").map((e) => e.name);
  it.each(withKarpenter)("%s: names exactly the stack's own Karpenter rules as sources", (name) => {
    const json = synth(stacks.environments[name]!.addons);
    const [policyName] = named(json, "aws_sqs_queue_policy", "karpenter/interruption-queue-policy_");
    const [send] = JSON.parse(resources(json, "aws_sqs_queue_policy")[policyName!].policy).Statement;
    const ruleArns = named(json, "aws_cloudwatch_event_rule", "karpenter/rule-").map((r) => `\${aws_cloudwatch_event_rule.${r}.arn}`);
    expect(ruleArns).toHaveLength(Object.keys(INTERRUPTION_EVENT_PATTERNS).length);
    expect(send.Principal).toEqual({ Service: "events.amazonaws.com" });
    expect([...send.Condition.ArnEquals["aws:SourceArn"]].sort()).toEqual([...ruleArns].sort());
  });
});

describe("the OpenSearch master-user role", () => {
  const arn = (n: string) => `arn:aws:iam::111122223333:role/${n}`;

  it("trusts the admins whose key is not a CI key, in key order", () => {
    expect(
      humanAdminRoleArns({ "z-sso": arn("Z"), [`${CI_ACCESS_KEY_PREFIX}deploy`]: arn("deploy"), "platform-admins": arn("P") }),
    ).toEqual([arn("P"), arn("Z")]);
  });

  it("treats only the exact `ci-` prefix as CI (boundary: `ci` and `cix-` are people)", () => {
    expect(humanAdminRoleArns({ ci: arn("a"), "cix-ops": arn("b"), "ci-": arn("c") })).toEqual([arn("a"), arn("b")]);
  });

  it("refuses an admin list with no human role", () => {
    expect(() => humanAdminRoleArns({ "ci-deploy": arn("deploy") })).toThrow(/no human admin role/);
  });

  const withDomain = envs.filter((e) => e.addons.logging.opensearch !== undefined).map((e) => e.name);
  it.each(withDomain)("%s: no CI role may assume it", (name) => {
    const env = envs.find((e) => e.name === name)!;
    const json = synth(stacks.environments[name]!.addons);
    const [roleName] = named(json, "aws_iam_role", "logging/opensearch-admin-role_");
    const trusted: string[] = JSON.parse(resources(json, "aws_iam_role")[roleName!].assume_role_policy).Statement.flatMap((s: any) => s.Principal.AWS);
    expect(trusted).toEqual(humanAdminRoleArns(env.cluster.access.admins));
    const ci = Object.entries(env.cluster.access.admins).filter(([key]) => key.startsWith(CI_ACCESS_KEY_PREFIX));
    for (const [, ciArn] of ci) expect(trusted).not.toContain(ciArn);
  });
});
