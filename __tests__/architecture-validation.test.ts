import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import { environmentSchema, type EnvironmentConfig } from "../environments/schema";
import { ConfigValidationError, checkArchitectures, inPromotionOrder, validatePlatform } from "../environments/validate";
import { environmentInputs, issuesAfter } from "./support/environments";

// Roles, not names: an environment (the first in promotion order) whose copy each test breaks.
const name = inPromotionOrder(validatePlatform(environments))[0]!.name;

/** The parsed config of a copy of that environment after `mutate`. */
function config(mutate: (env: any) => void): EnvironmentConfig {
  const env = environmentInputs()[name];
  mutate(env);
  return environmentSchema.parse(env);
}

/** Every problem validatePlatform reports after `mutate` changed that environment's copy. */
function problems(mutate: (env: any) => void): ConfigValidationError["issues"] {
  return issuesAfter((envs) => mutate(envs[name]));
}

describe("architecture of node groups' instance types", () => {
  it("has no problem in any real environment", () => {
    for (const env of validatePlatform(environments)) expect(checkArchitectures(env), env.name).toEqual([]);
  });

  it("reports an x86_64 type in an ARM AMI group, in the one list with its path and value", () => {
    const issues = problems((env) => {
      env.cluster.nodeGroups.workloads.amiType = "AL2023_ARM_64_STANDARD";
      env.cluster.nodeGroups.workloads.instanceTypes = ["m6i.2xlarge"];
      env.addons.autoscaler = "cluster-autoscaler";
    });
    expect(issues).toContainEqual({
      path: `${name}.cluster.nodeGroups.workloads.instanceTypes.0`,
      message: "is an x86_64 instance type; amiType AL2023_ARM_64_STANDARD runs on arm64",
      received: "m6i.2xlarge",
    });
  });

  it("reports an arm64 type in an x86_64 AMI group (Bottlerocket too), naming each offending index", () => {
    const issues = checkArchitectures(
      config((env) => {
        env.cluster.nodeGroups.system.amiType = "BOTTLEROCKET_x86_64";
        env.cluster.nodeGroups.system.instanceTypes = ["m6i.xlarge", "m6g.xlarge"];
      }),
    );
    expect(issues).toEqual([
      { path: "cluster.nodeGroups.system.instanceTypes.1", message: "is an arm64 instance type; amiType BOTTLEROCKET_x86_64 runs on x86_64", received: "m6g.xlarge" },
    ]);
  });

  it("accepts arm64 types in an ARM AMI group", () => {
    const env = config((e) => {
      e.cluster.nodeGroups.system.amiType = "BOTTLEROCKET_ARM_64";
      e.cluster.nodeGroups.system.instanceTypes = ["m7g.xlarge", "c7g.xlarge"];
    });
    expect(checkArchitectures(env)).toEqual([]);
  });

  it("refuses a type whose architecture the table does not know, and leaves unknown types to their own check", () => {
    const env = config((e) => {
      e.cluster.nodeGroups.system.instanceTypes = ["bmn-sf1.metal", "m6i.nonexistent"];
    });
    expect(checkArchitectures(env)).toEqual([
      {
        path: "cluster.nodeGroups.system.instanceTypes.0",
        message: "has no known CPU architecture, so it cannot be checked against amiType AL2023_x86_64_STANDARD (x86_64)",
        received: "bmn-sf1.metal",
      },
    ]);
  });
});

describe("architecture of Karpenter's NodePool", () => {
  const armWorkloadsOnX86Types = (autoscaler: string) =>
    config((env) => {
      env.cluster.nodeGroups.workloads.amiType = "AL2023_ARM_64_STANDARD";
      env.cluster.nodeGroups.workloads.instanceTypes = ["m7g.2xlarge", "m6i.2xlarge"];
      env.addons.autoscaler = autoscaler;
    });

  it("is reported when Karpenter follows the workloads AMI type but is sized from types of another architecture", () => {
    const issues = checkArchitectures(armWorkloadsOnX86Types("karpenter"));
    expect(issues.map((i) => i.path)).toEqual(["cluster.nodeGroups.workloads.instanceTypes.1", "addons.autoscaler"]);
    expect(issues[1]).toEqual({
      path: "addons.autoscaler",
      message:
        "Karpenter's NodePool launches arm64 nodes (cluster.nodeGroups.workloads.amiType AL2023_ARM_64_STANDARD) but is sized from workloads instance types of another or unknown architecture: m6i.2xlarge",
      received: "karpenter",
    });
  });

  it("is not reported with the Cluster Autoscaler, which has no NodePool", () => {
    expect(checkArchitectures(armWorkloadsOnX86Types("cluster-autoscaler")).map((i) => i.path)).toEqual(["cluster.nodeGroups.workloads.instanceTypes.1"]);
  });

  it("is not reported for a mismatch outside the workloads group", () => {
    const env = config((e) => {
      e.addons.autoscaler = "karpenter";
      e.cluster.nodeGroups.system.instanceTypes = ["m6g.xlarge"];
    });
    expect(checkArchitectures(env).map((i) => i.path)).toEqual(["cluster.nodeGroups.system.instanceTypes.0"]);
  });
});
