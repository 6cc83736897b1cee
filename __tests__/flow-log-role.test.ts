import { describe, expect, it } from "vitest";
import { platform, resources, synth } from "./support/platform";

const { envs, stacks } = platform();

// AWS's documented policy for the flow-log role (VPC user guide, flow-logs-iam-role) lists
// logs:CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups and DescribeLogStreams on "*";
// the platform creates the log group itself, so it grants the rest, scoped to its account and region.
describe.each(envs.map((env) => [env.name, env] as const))("%s-network flow-log role", (name, env) => {
  const json = synth(stacks.environments[name]!.network);
  const policies = Object.values(resources(json, "aws_iam_role_policy")) as any[];
  const policy = policies.find((p) => p.name === "write-flow-logs");
  const statements = JSON.parse(policy.policy).Statement as { Action: string[]; Resource: string[] }[];
  const logGroups = `arn:aws:logs:${env.region}:${env.account.id}:log-group:`;

  it("may describe log groups, in its own account and region only", () => {
    const describe = statements.filter((s) => s.Action.includes("logs:DescribeLogGroups"));
    expect(describe).toEqual([{ Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: [`${logGroups}*`] }]);
  });

  it("writes only to its own log group", () => {
    const write = statements.find((s) => s.Action.includes("logs:PutLogEvents"))!;
    expect(write.Action).toEqual(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    for (const resource of write.Resource) expect(resource.startsWith(`${logGroups}/aws/vpc/`)).toBe(true);
  });
});
