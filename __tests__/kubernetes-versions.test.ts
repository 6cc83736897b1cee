import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import { environmentSchema, type EnvironmentConfig } from "../environments/schema";
import { ConfigValidationError, checkKubernetesVersionPins, validatePlatform } from "../environments/validate";
import {
  KUBERNETES_VERSIONS,
  KUBERNETES_VERSIONS_FILE,
  MANAGED_ADDON_NAMES,
  UnsupportedKubernetesVersionError,
  addonVersion,
  clusterAutoscalerImageTag,
  karpenterAmiAlias,
  kubernetesVersionRow,
  nodeAmiReleaseVersion,
  overrideProblem,
  releaseVersionProblem,
  rowProblems,
  supportedKubernetesVersions,
  type KubernetesVersionRow,
  type ManagedAddonName,
} from "../modules/eks/data/kubernetes-versions";
import { vpcCniConfigurationValues } from "../modules/eks/data/vpc-cni-config";
import { AMI_TYPES } from "../modules/eks/node-user-data";
import { platform, resources, synth } from "./support/platform";

const minor = (version: string) => Number(version.split(".")[1]);
const versions = supportedKubernetesVersions();
/** A Kubernetes version one minor above every row, so it never has one. */
const unpinned = `1.${Math.max(...versions.map(minor)) + 1}`;
/** A mutable deep copy of the table. */
const tableCopy = (): Record<string, any> => structuredClone(KUBERNETES_VERSIONS) as Record<string, any>;
const parsedEnvironments = (): EnvironmentConfig[] => environments.map((e) => environmentSchema.parse(e));

function problems(inputs: unknown[]): ConfigValidationError {
  try {
    validatePlatform(inputs);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("the table of Kubernetes versions", () => {
  it("has well-formed version keys, sorted by minor", () => {
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) expect(v).toMatch(/^1\.\d+$/);
    expect(versions).toEqual([...versions].sort((a, b) => minor(a) - minor(b)));
  });

  it.each(versions)("has a complete, well-formed row with sources for %s", (v) => {
    expect(rowProblems(v)).toEqual([]);
    const row = KUBERNETES_VERSIONS[v]!;
    expect(Object.keys(row.managedAddons).sort()).toEqual([...MANAGED_ADDON_NAMES].sort());
    expect(Object.keys(row.nodeAmiReleaseVersions).sort()).toEqual([...AMI_TYPES].sort());
  });

  it("has a row for every environment's Kubernetes version, and every override fits it", () => {
    for (const env of parsedEnvironments()) {
      expect(rowProblems(env.cluster.kubernetesVersion), env.name).toEqual([]);
      expect(checkKubernetesVersionPins(env), env.name).toEqual([]);
    }
  });

  it("is frozen", () => {
    const row = KUBERNETES_VERSIONS[versions[0]!]!;
    expect(Object.isFrozen(KUBERNETES_VERSIONS)).toBe(true);
    expect(Object.isFrozen(row.managedAddons["vpc-cni"])).toBe(true);
    expect(() => {
      (row.managedAddons["vpc-cni"] as { value: string }).value = "latest";
    }).toThrow(TypeError);
  });
});

describe("row problems", () => {
  const v = versions[0]!;
  const withRow = (edit: (row: any) => void) => {
    const table = tableCopy();
    edit(table[v]);
    return rowProblems(v, table as Record<string, KubernetesVersionRow>);
  };

  it("name a version without a row and the rows there are", () => {
    const [problem, ...more] = rowProblems(unpinned);
    expect(more).toEqual([]);
    expect(problem).toContain("has no row");
    for (const row of versions) expect(problem).toContain(row);
    for (const bad of ["", "constructor", "__proto__", "1.3"]) expect(rowProblems(bad)[0]).toContain("has no row");
  });

  it("name every missing pin", () => {
    expect(withRow((row) => delete row.managedAddons["aws-ebs-csi-driver"])).toEqual(["add-on aws-ebs-csi-driver is missing"]);
    expect(withRow((row) => delete row.clusterAutoscalerImageTag)).toEqual(["cluster-autoscaler image tag is missing"]);
    expect(withRow((row) => delete row.nodeAmiReleaseVersions.BOTTLEROCKET_ARM_64)).toEqual(["node AMI release of BOTTLEROCKET_ARM_64 is missing"]);
    expect(withRow((row) => (row.managedAddons.coredns.value = ""))).toEqual(["add-on coredns is missing"]);
    expect(withRow((row) => delete row.nodeAmiReleaseVersions)).toHaveLength(AMI_TYPES.length);
  });

  it("reject malformed pins", () => {
    expect(withRow((row) => (row.managedAddons.coredns.value = "v1.13.2"))[0]).toMatch(/coredns "v1.13.2" is not an EKS add-on version/);
    expect(withRow((row) => (row.managedAddons["kube-proxy"].value = "v1.0.1-eksbuild.1"))[0]).toMatch(/does not follow Kubernetes/);
    expect(withRow((row) => (row.clusterAutoscalerImageTag.value = `v1.${minor(v) + 1}.0`))[0]).toMatch(/not a v1\.\d+\.<patch> release tag/);
    expect(withRow((row) => (row.clusterAutoscalerImageTag.value = `v${v}.0`))).toEqual([]);
    expect(withRow((row) => (row.nodeAmiReleaseVersions.AL2023_ARM_64_STANDARD.value = `1.${minor(v) + 1}.0-20260714`))[0]).toMatch(
      /AL2023 release of Kubernetes/,
    );
  });

  it("reject a pin without an https source and the date it was read", () => {
    expect(withRow((row) => (row.managedAddons["vpc-cni"].source = { url: "http://example.com", seen: "2026-11-26" }))[0]).toMatch(/no source/);
    expect(withRow((row) => (row.managedAddons["vpc-cni"].source = { url: "https://example.com", seen: "26/11/2026" }))[0]).toMatch(/no source/);
    expect(withRow((row) => delete row.managedAddons["vpc-cni"].source)[0]).toMatch(/no source/);
  });
});

describe("node AMI release versions", () => {
  it.each([
    ["1.34", "AL2023_x86_64_STANDARD", "1.34.9-20260714", true],
    ["1.34", "AL2023_ARM_64_STANDARD", "1.34.0-20991231", true],
    ["1.34", "AL2023_x86_64_STANDARD", "1.33.13-20260714", false],
    ["1.34", "AL2023_x86_64_STANDARD", "1.34.9", false],
    ["1.34", "AL2023_x86_64_STANDARD", "v1.34.9-20260714", false],
    ["1.34", "AL2023_x86_64_STANDARD", "1.34.9-2026071", false],
    ["1.34", "BOTTLEROCKET_x86_64", "1.54.0-5043decc", true],
    ["1.34", "BOTTLEROCKET_ARM_64", "1.54.0", false],
    ["1.34", "BOTTLEROCKET_ARM_64", "1.54.0-5043dec", false],
    ["1.34", "BOTTLEROCKET_ARM_64", "1.54.0-5043DECC", false],
    ["1.34", "BOTTLEROCKET_x86_64", "v1.54.0-5043decc", false],
  ] as const)("on %s, %s accepts %s: %s", (v, amiType, release, ok) => {
    expect(releaseVersionProblem(v, amiType, release) === undefined).toBe(ok);
  });

  it("accept an override only when it is newer than the row's release of its version and family", () => {
    for (const v of versions) {
      const row = KUBERNETES_VERSIONS[v]!;
      for (const amiType of AMI_TYPES) {
        expect(overrideProblem(v, amiType, row.nodeAmiReleaseVersions[amiType].value)).toMatch(/not newer than the release of the row/);
        expect(overrideProblem(v, amiType, "1.2.3")).toBe(releaseVersionProblem(v, amiType, "1.2.3"));
      }
      // AL2023: ordered by AMI date, then patch.
      const [al2023, date] = row.nodeAmiReleaseVersions.AL2023_ARM_64_STANDARD.value.split("-") as [string, string];
      const patch = Number(al2023.split(".")[2]);
      const al = (p: number, d: number) => `${v}.${p}-${d}`;
      expect(overrideProblem(v, "AL2023_ARM_64_STANDARD", al(patch, Number(date) + 1))).toBeUndefined();
      expect(overrideProblem(v, "AL2023_ARM_64_STANDARD", al(patch + 1, Number(date)))).toBeUndefined();
      expect(overrideProblem(v, "AL2023_ARM_64_STANDARD", al(patch + 1, Number(date) - 1))).toMatch(/not newer/);
      // Bottlerocket: ordered by version; another commit of the same version is not newer.
      const [major, minorVersion, bottlerocketPatch] = row.nodeAmiReleaseVersions.BOTTLEROCKET_x86_64.value.split("-")[0]!.split(".").map(Number) as [number, number, number];
      const br = (a: number, b: number, c: number) => `${a}.${b}.${c}-0123abcd`;
      expect(overrideProblem(v, "BOTTLEROCKET_x86_64", br(major, minorVersion, bottlerocketPatch + 1))).toBeUndefined();
      expect(overrideProblem(v, "BOTTLEROCKET_x86_64", br(major, minorVersion + 1, 0))).toBeUndefined();
      expect(overrideProblem(v, "BOTTLEROCKET_x86_64", br(major, minorVersion, bottlerocketPatch))).toMatch(/not newer/);
      expect(overrideProblem(v, "BOTTLEROCKET_x86_64", br(major, minorVersion - 1, 99))).toMatch(/not newer/);
    }
    // Without a row, only the format is checked (the missing row is its own problem).
    expect(overrideProblem(unpinned, "AL2023_x86_64_STANDARD", `${unpinned}.0-20260101`)).toBeUndefined();
  });

  it("come from the row for each AMI family unless the environment overrides that family", () => {
    for (const v of versions) {
      const row = KUBERNETES_VERSIONS[v]!;
      for (const amiType of AMI_TYPES) expect(nodeAmiReleaseVersion(v, amiType)).toBe(row.nodeAmiReleaseVersions[amiType].value);
      const patched = `${v}.99-20991231`;
      expect(nodeAmiReleaseVersion(v, "AL2023_x86_64_STANDARD", { AL2023_x86_64_STANDARD: patched })).toBe(patched);
      expect(nodeAmiReleaseVersion(v, "AL2023_ARM_64_STANDARD", { AL2023_x86_64_STANDARD: patched })).toBe(row.nodeAmiReleaseVersions.AL2023_ARM_64_STANDARD.value);
    }
  });

  it("give Karpenter the AL2023 alias of the node groups' release of its architecture", () => {
    for (const v of versions) {
      const row = KUBERNETES_VERSIONS[v]!;
      for (const [arch, amiType] of [["amd64", "AL2023_x86_64_STANDARD"], ["arm64", "AL2023_ARM_64_STANDARD"]] as const) {
        const alias = karpenterAmiAlias(v, arch);
        expect(alias).toMatch(/^al2023@v\d{8}$/);
        expect(row.nodeAmiReleaseVersions[amiType].value.endsWith(`-${alias.slice("al2023@v".length)}`)).toBe(true);
      }
      expect(karpenterAmiAlias(v, "arm64", { AL2023_ARM_64_STANDARD: `${v}.99-20991231` })).toBe("al2023@v20991231");
    }
  });
});

describe("lookups", () => {
  it("return the row's values", () => {
    for (const v of versions) {
      const row = kubernetesVersionRow(v);
      for (const name of MANAGED_ADDON_NAMES) expect(addonVersion(name, v)).toBe(row.managedAddons[name].value);
      expect(clusterAutoscalerImageTag(v)).toBe(row.clusterAutoscalerImageTag.value);
    }
  });

  it("throw for a version without a row, naming it, the rows and the file (validation reports it first)", () => {
    for (const bad of [unpinned, "1.3", "", "constructor", "__proto__"]) {
      let error: unknown;
      try {
        addonVersion("vpc-cni", bad);
      } catch (e) {
        error = e;
      }
      expect(error, `version ${JSON.stringify(bad)}`).toBeInstanceOf(UnsupportedKubernetesVersionError);
      const e = error as UnsupportedKubernetesVersionError;
      expect(e.message).toContain(JSON.stringify(bad));
      expect(e.message).toContain(KUBERNETES_VERSIONS_FILE);
      for (const v of versions) expect(e.message).toContain(v);
      expect(e.supported).toEqual(versions);
      expect(() => clusterAutoscalerImageTag(bad)).toThrow(UnsupportedKubernetesVersionError);
      expect(() => nodeAmiReleaseVersion(bad, "BOTTLEROCKET_x86_64")).toThrow(UnsupportedKubernetesVersionError);
    }
  });

  it("reject an unknown add-on name from untyped callers", () => {
    expect(() => addonVersion("aws-efs-csi-driver" as ManagedAddonName, versions[0]!)).toThrow(/unknown EKS managed add-on "aws-efs-csi-driver"/);
  });
});

describe("validation of the pins", () => {
  it("reports a version without a row at <env>.cluster.kubernetesVersion, naming the one file, with every other problem", () => {
    const inputs = structuredClone(environments) as any[];
    for (const env of inputs) {
      env.cluster.kubernetesVersion = unpinned;
      env.network.flowLogRetentionDays = 10;
    }
    const error = problems(inputs);
    for (const env of inputs) {
      const pin = error.issues.find((i) => i.path === `${env.name}.cluster.kubernetesVersion`);
      expect(pin, env.name).toBeDefined();
      expect(pin!.received).toBe(unpinned);
      expect(pin!.message).toContain(KUBERNETES_VERSIONS_FILE);
      expect(pin!.message).toContain("has no row");
      expect(error.issues.some((i) => i.path === `${env.name}.network.flowLogRetentionDays`), env.name).toBe(true);
    }
    expect(error.message).toContain(`cluster.kubernetesVersion: has no row`);
  });

  it("reports a missing pin of the environment's row", () => {
    for (const env of parsedEnvironments()) {
      const table = tableCopy();
      delete table[env.cluster.kubernetesVersion].clusterAutoscalerImageTag;
      expect(checkKubernetesVersionPins(env, table as Record<string, KubernetesVersionRow>)).toEqual([
        {
          path: "cluster.kubernetesVersion",
          received: env.cluster.kubernetesVersion,
          message: expect.stringMatching(new RegExp(`^cluster-autoscaler image tag is missing: .*${KUBERNETES_VERSIONS_FILE}`)),
        },
      ]);
    }
  });

  it("checks each node AMI override against the version and the AMI family", () => {
    const inputs = structuredClone(environments) as any[];
    for (const env of inputs) {
      env.cluster.nodeAmiReleaseVersions = { BOTTLEROCKET_x86_64: "1.54.0", AL2023_ARM_64_STANDARD: `${env.cluster.kubernetesVersion}.99-20991231` };
    }
    const error = problems(inputs);
    for (const env of inputs) {
      const own = error.issues.filter((i) => i.path.startsWith(`${env.name}.cluster.nodeAmiReleaseVersions`));
      expect(own.map((i) => [i.path, i.received])).toEqual([[`${env.name}.cluster.nodeAmiReleaseVersions.BOTTLEROCKET_x86_64`, "1.54.0"]]);
    }
    const stale = structuredClone(environments) as any[];
    for (const env of stale) {
      env.cluster.nodeAmiReleaseVersions = { BOTTLEROCKET_ARM_64: nodeAmiReleaseVersion(env.cluster.kubernetesVersion, "BOTTLEROCKET_ARM_64") };
    }
    const staleProblems = problems(stale);
    for (const env of stale) {
      const issue = staleProblems.issues.find((i) => i.path === `${env.name}.cluster.nodeAmiReleaseVersions.BOTTLEROCKET_ARM_64`);
      expect(issue?.message).toMatch(new RegExp(`not newer than the release of the row .*delete the override.*${KUBERNETES_VERSIONS_FILE}`));
    }
    const unknownFamily = structuredClone(environments) as any[];
    for (const env of unknownFamily) env.cluster.nodeAmiReleaseVersions = { AL2_x86_64: "1.34.9-20260714" };
    for (const env of unknownFamily) {
      expect(problems(unknownFamily).issues.some((i) => i.path.startsWith(`${env.name}.cluster.nodeAmiReleaseVersions`))).toBe(true);
    }
  });
});

describe("the synthesized platform uses the pins of each environment's version", () => {
  it("node groups run the release of their AMI family; managed add-ons their pinned version", () => {
    const { envs, stacks } = platform();
    for (const env of envs) {
      const cluster = synth(stacks.environments[env.name]!.cluster);
      const groups = Object.values(resources(cluster, "aws_eks_node_group"));
      expect(groups.length).toBeGreaterThan(0);
      for (const group of groups) {
        expect(group.release_version, `${env.name} ${group.node_group_name}`).toBe(
          nodeAmiReleaseVersion(env.cluster.kubernetesVersion, group.ami_type, env.cluster.nodeAmiReleaseVersions),
        );
      }
      for (const addon of Object.values(resources(cluster, "aws_eks_addon"))) {
        expect(addon.addon_version).toBe(addonVersion(addon.addon_name, env.cluster.kubernetesVersion));
      }
    }
  });
});

describe("vpc-cni configuration values", () => {
  const region = "ap-northeast-2";
  const podSubnets = {
    "ap-northeast-2c": "subnet-0ccc0000000000003",
    "ap-northeast-2a": "subnet-0aaa0000000000001",
    "ap-northeast-2b": "subnet-0bbb0000000000002",
  };

  it("secondary-ip leaves the pod networking at the add-on defaults (only the network policy agent is on)", () => {
    const values = vpcCniConfigurationValues({ mode: "secondary-ip", region });
    expect(values).toEqual({ enableNetworkPolicy: "true" });
    const json = JSON.stringify(values);
    for (const key of ["ENABLE_PREFIX_DELEGATION", "WARM_PREFIX_TARGET", "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "ENI_CONFIG_LABEL_DEF", "eniConfig"]) {
      expect(json).not.toContain(key);
    }
  });

  it("prefix-delegation sets exactly the prefix env keys, as strings", () => {
    const values = vpcCniConfigurationValues({ mode: "prefix-delegation", region });
    expect(Object.keys(values).sort()).toEqual(["enableNetworkPolicy", "env"]);
    expect(values.env).toStrictEqual({ ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" });
  });

  it("custom-networking sets the env keys and one ENIConfig per AZ", () => {
    const values = vpcCniConfigurationValues({
      mode: "custom-networking",
      region,
      podSubnets,
      podSecurityGroupIds: ["sg-0123456789abcdef0"],
    });
    expect(Object.keys(values).sort()).toEqual(["enableNetworkPolicy", "eniConfig", "env"]);
    expect(values.env).toStrictEqual({
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
      ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
    });
    const eniConfig = values.eniConfig as { create: boolean; region: string; subnets: Record<string, { id: string; securityGroups?: string[] }> };
    expect(Object.keys(eniConfig).sort()).toEqual(["create", "region", "subnets"]);
    expect(eniConfig.create).toBe(true);
    expect(eniConfig.region).toBe(region);
    // One ENIConfig per AZ, named after it, in a stable (sorted) order.
    expect(Object.keys(eniConfig.subnets)).toEqual(["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
    for (const [az, subnetId] of Object.entries(podSubnets)) {
      expect(eniConfig.subnets[az]).toStrictEqual({ id: subnetId, securityGroups: ["sg-0123456789abcdef0"] });
    }
    // Round-trips through JSON, as configuration_values does.
    expect(JSON.parse(JSON.stringify(values))).toStrictEqual(values);
    expect(JSON.stringify(values)).not.toContain("ENABLE_PREFIX_DELEGATION");
  });

  it("custom-networking without pod security groups leaves securityGroups out (nodes' SGs apply)", () => {
    const values = vpcCniConfigurationValues({ mode: "custom-networking", region, podSubnets: { "ap-northeast-2a": "subnet-0aaa0000000000001" } });
    const eniConfig = values.eniConfig as { subnets: Record<string, object> };
    expect(eniConfig.subnets).toStrictEqual({ "ap-northeast-2a": { id: "subnet-0aaa0000000000001" } });
  });

  it("accepts unresolved cdktf tokens as subnet IDs", () => {
    const token = "${TfToken[TOKEN.42]}";
    const values = vpcCniConfigurationValues({ mode: "custom-networking", region, podSubnets: { "ap-northeast-2a": token } });
    expect((values.eniConfig as { subnets: Record<string, { id: string }> }).subnets["ap-northeast-2a"]!.id).toBe(token);
  });

  it("never emits the security-groups-for-pods settings", () => {
    for (const mode of ["secondary-ip", "prefix-delegation", "custom-networking"] as const) {
      const values = vpcCniConfigurationValues(
        mode === "custom-networking" ? { mode, region, podSubnets, podSecurityGroupIds: ["sg-1"] } : { mode, region },
      );
      expect(values).not.toHaveProperty("init");
      expect(JSON.stringify(values)).not.toMatch(/DISABLE_TCP_EARLY_DEMUX|ENABLE_POD_ENI/);
    }
  });

  it("rejects bad input", () => {
    expect(() => vpcCniConfigurationValues({ mode: "custom-networking", region })).toThrow(/at least one availability zone/);
    expect(() => vpcCniConfigurationValues({ mode: "custom-networking", region, podSubnets: {} })).toThrow(/at least one availability zone/);
    expect(() => vpcCniConfigurationValues({ mode: "custom-networking", region, podSubnets: { "us-east-1a": "subnet-1" } })).toThrow(
      /"us-east-1a" is not in region ap-northeast-2/,
    );
    expect(() => vpcCniConfigurationValues({ mode: "custom-networking", region, podSubnets: { [region]: "subnet-1" } })).toThrow(/not in region/);
    expect(() => vpcCniConfigurationValues({ mode: "custom-networking", region, podSubnets: { "ap-northeast-2a": " " } })).toThrow(/empty/);
    expect(() =>
      vpcCniConfigurationValues({ mode: "custom-networking", region, podSubnets, podSecurityGroupIds: [] }),
    ).toThrow(/podSecurityGroupIds is empty/);
    expect(() =>
      vpcCniConfigurationValues({ mode: "custom-networking", region, podSubnets, podSecurityGroupIds: ["sg-1", "sg-1"] }),
    ).toThrow(/sg-1 twice/);
    expect(() => vpcCniConfigurationValues({ mode: "prefix-delegation", region, podSubnets })).toThrow(/only used by custom-networking/);
    expect(() => vpcCniConfigurationValues({ mode: "secondary-ip", region, podSecurityGroupIds: ["sg-1"] })).toThrow(/only used by custom-networking/);
    expect(() => vpcCniConfigurationValues({ mode: "secondary-ip", region: "Seoul" })).toThrow(/not an AWS region/);
    expect(() => vpcCniConfigurationValues({ mode: "ipv6" as never, region })).toThrow(/unknown pod networking mode/);
  });
});
