import { describe, expect, it } from "vitest";
import {
  ADDON_VERSIONS,
  ADDON_VERSION_PROVENANCE,
  ADDON_VERSION_SOURCES,
  MANAGED_ADDON_NAMES,
  UnsupportedKubernetesVersionError,
  addonVersion,
  supportedKubernetesVersions,
  type ManagedAddonName,
} from "../modules/eks/data/addon-versions";
import { vpcCniConfigurationValues } from "../modules/eks/data/vpc-cni-config";

const ADDONS: readonly ManagedAddonName[] = ["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver", "eks-pod-identity-agent", "snapshot-controller"];
const EKSBUILD = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe("pinned EKS add-on versions", () => {
  it("cover the Kubernetes versions the environments run, sorted", () => {
    const versions = supportedKubernetesVersions();
    expect(versions).toEqual(expect.arrayContaining(["1.33", "1.34"]));
    expect(versions).toEqual([...versions].sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1])));
    expect(new Set(MANAGED_ADDON_NAMES)).toEqual(new Set(ADDONS));
  });

  for (const k8s of supportedKubernetesVersions()) {
    it(`pin every add-on to eksbuild versions for ${k8s}`, () => {
      expect(Object.keys(ADDON_VERSIONS[k8s]!).sort()).toEqual([...ADDONS].sort());
      for (const name of ADDONS) {
        const version = addonVersion(name, k8s);
        expect(version, `${name} on ${k8s}`).toMatch(EKSBUILD);
        expect(version).toBe(ADDON_VERSIONS[k8s]![name]);
      }
    });

    it(`record a source for every entry of ${k8s}`, () => {
      const row = ADDON_VERSION_PROVENANCE[k8s];
      expect(row, `provenance for ${k8s}`).toBeDefined();
      for (const name of ADDONS) {
        expect(row![name].url).toMatch(/^https:\/\//);
        expect(row![name].seen).toMatch(ISO_DATE);
      }
    });
  }

  it("kube-proxy follows the Kubernetes minor version", () => {
    for (const k8s of supportedKubernetesVersions()) {
      expect(addonVersion("kube-proxy", k8s).startsWith(`v${k8s}.`)).toBe(true);
    }
  });

  it("have one source per add-on", () => {
    expect(Object.keys(ADDON_VERSION_SOURCES).sort()).toEqual([...ADDONS].sort());
    for (const name of ADDONS) {
      expect(ADDON_VERSION_SOURCES[name].url).toMatch(/^https:\/\//);
      expect(ADDON_VERSION_SOURCES[name].seen).toMatch(ISO_DATE);
    }
    expect(Object.keys(ADDON_VERSION_PROVENANCE).sort()).toEqual(supportedKubernetesVersions().sort());
  });

  it("are frozen", () => {
    expect(Object.isFrozen(ADDON_VERSIONS)).toBe(true);
    expect(Object.isFrozen(ADDON_VERSIONS["1.34"])).toBe(true);
    expect(() => {
      (ADDON_VERSIONS["1.34"] as Record<string, string>)["vpc-cni"] = "latest";
    }).toThrow(TypeError);
  });

  it("reject an unknown Kubernetes version, naming it and the supported ones", () => {
    const supported = supportedKubernetesVersions();
    for (const bad of ["1.99", "1.3", "", "constructor", "__proto__"]) {
      let error: unknown;
      try {
        addonVersion("vpc-cni", bad);
      } catch (e) {
        error = e;
      }
      expect(error, `version ${JSON.stringify(bad)}`).toBeInstanceOf(UnsupportedKubernetesVersionError);
      const e = error as UnsupportedKubernetesVersionError;
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe("UnsupportedKubernetesVersionError");
      expect(e.message).toContain(JSON.stringify(bad));
      for (const v of supported) expect(e.message).toContain(v);
      expect(e.kubernetesVersion).toBe(bad);
      expect(e.supported).toEqual(supported);
    }
  });

  it("reject an unknown add-on name from untyped callers", () => {
    expect(() => addonVersion("aws-efs-csi-driver" as ManagedAddonName, "1.34")).toThrow(/unknown EKS managed add-on "aws-efs-csi-driver"/);
  });
});

describe("vpc-cni configuration values", () => {
  const region = "ap-northeast-2";
  const podSubnets = {
    "ap-northeast-2c": "subnet-0ccc0000000000003",
    "ap-northeast-2a": "subnet-0aaa0000000000001",
    "ap-northeast-2b": "subnet-0bbb0000000000002",
  };

  it("secondary-ip leaves everything at the add-on defaults", () => {
    const values = vpcCniConfigurationValues({ mode: "secondary-ip", region });
    expect(values).toEqual({});
    const json = JSON.stringify(values);
    for (const key of ["ENABLE_PREFIX_DELEGATION", "WARM_PREFIX_TARGET", "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "ENI_CONFIG_LABEL_DEF", "eniConfig"]) {
      expect(json).not.toContain(key);
    }
  });

  it("prefix-delegation sets exactly the prefix env keys, as strings", () => {
    const values = vpcCniConfigurationValues({ mode: "prefix-delegation", region });
    expect(Object.keys(values)).toEqual(["env"]);
    expect(values.env).toStrictEqual({ ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" });
  });

  it("custom-networking sets the env keys and one ENIConfig per AZ", () => {
    const values = vpcCniConfigurationValues({
      mode: "custom-networking",
      region,
      podSubnets,
      podSecurityGroupIds: ["sg-0123456789abcdef0"],
    });
    expect(Object.keys(values).sort()).toEqual(["eniConfig", "env"]);
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
