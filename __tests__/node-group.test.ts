import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { nodeGroupMaxPods } from "../modules/eks/eks-cluster";
import { ManagedNodeGroup, MAX_NODE_GROUP_NAME_PREFIX, NodeUpgrade, nodeGroupNamePrefix } from "../modules/eks/node-group";
import { AMI_TYPES, AmiType, amiArchitecture, kubeReservedMemoryMiB, nodeUserData, nodeVolumes } from "../modules/eks/node-user-data";
import type { PodNetworkingMode } from "../modules/network/max-pods";

const ROLLING: NodeUpgrade = { strategy: "rolling", maxUnavailable: 1 };
const BLUE_GREEN: NodeUpgrade = { strategy: "blue-green" };

/** The NodeConfig nodeadm reads from AL2023 user data, for `maxPods` pods. */
function nodeConfig(maxPods: number, memoryMiB: number): string {
  return [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="//PLATFORM-BOUNDARY//"',
    "",
    "--//PLATFORM-BOUNDARY//",
    "Content-Type: application/node.eks.aws",
    "",
    "---",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  kubelet:",
    "    config:",
    `      maxPods: ${maxPods}`,
    "      kubeReserved:",
    `        memory: ${memoryMiB}Mi`,
    "",
    "--//PLATFORM-BOUNDARY//--",
    "",
  ].join("\n");
}

describe("nodeGroupNamePrefix", () => {
  it("carries the Kubernetes version with blue/green upgrades, so a version change is a new group", () => {
    expect(nodeGroupNamePrefix("system", "1.33", BLUE_GREEN)).toBe("system-1-33-");
  });

  it("leaves the version out with rolling upgrades, so a version change updates the group in place", () => {
    expect(nodeGroupNamePrefix("system", "1.33", ROLLING)).toBe("system-");
  });

  it("accepts a prefix of exactly the provider's limit and refuses one character more", () => {
    expect(MAX_NODE_GROUP_NAME_PREFIX).toBe(37);
    const longest = "a".repeat(MAX_NODE_GROUP_NAME_PREFIX - "-1-33-".length);
    expect(nodeGroupNamePrefix(longest, "1.33", BLUE_GREEN)).toHaveLength(MAX_NODE_GROUP_NAME_PREFIX);
    expect(() => nodeGroupNamePrefix(`${longest}a`, "1.33", BLUE_GREEN)).toThrow(/38 characters.*37/);
    expect(nodeGroupNamePrefix(`${longest}a`, "1.33", ROLLING)).toBe(`${longest}a-`);
  });
});

describe("kubelet reservations in the rendered user data", () => {
  it("reserves 11 MiB per pod plus 255 MiB, nodeadm's and Bottlerocket's formula", () => {
    expect(kubeReservedMemoryMiB(29)).toBe(574);
    expect(kubeReservedMemoryMiB(110)).toBe(1465);
    expect(kubeReservedMemoryMiB(250)).toBe(3005);
  });

  // m6i.large: 3 ENIs of 10 IPv4 addresses, 2 vCPUs (nodeadm itself would reserve 11 × 29 + 255 = 574 MiB).
  it.each([
    ["secondary-ip", 29, 574],
    ["prefix-delegation", 110, 1465],
    ["custom-networking", 20, 475],
  ] as const)("AL2023 NodeConfig on m6i.large with %s: maxPods %i, kubeReserved memory %i MiB", (mode, pods, memory) => {
    const maxPods = nodeGroupMaxPods(["m6i.large"], mode as PodNetworkingMode);
    expect(maxPods).toBe(pods);
    expect(nodeUserData("AL2023_x86_64_STANDARD", { maxPods })).toBe(nodeConfig(pods, memory));
    expect(nodeUserData("AL2023_ARM_64_STANDARD", { maxPods })).toBe(nodeConfig(pods, memory));
  });

  it("leaves the CPU and ephemeral-storage reservations to nodeadm (they follow the node's cores, not its pods)", () => {
    const userData = nodeUserData("AL2023_x86_64_STANDARD", { maxPods: 110 });
    expect(userData).not.toMatch(/cpu|ephemeral-storage/);
  });

  it.each(["BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64"] as const)("%s settings set max-pods and the kube-reserved memory for them", (amiType) => {
    expect(nodeUserData(amiType, { maxPods: 110 })).toBe(
      '[settings.kubernetes]\nmax-pods = 110\n\n[settings.kubernetes.kube-reserved]\nmemory = "1465Mi"\n',
    );
  });

  it("refuses a max pods value that is not a positive integer", () => {
    expect(() => nodeUserData("AL2023_x86_64_STANDARD", { maxPods: 0 })).toThrow(/positive/);
    expect(() => nodeUserData("BOTTLEROCKET_x86_64", { maxPods: 1.5 })).toThrow(/positive/);
  });
});

describe("nodeVolumes and amiArchitecture", () => {
  it("maps the one AL2023 root volume at the disk size", () => {
    expect(nodeVolumes("AL2023_x86_64_STANDARD", 80)).toEqual([{ deviceName: "/dev/xvda", sizeGiB: 80 }]);
  });

  it("maps Bottlerocket's OS volume at the AMI's size and its data volume at the disk size", () => {
    expect(nodeVolumes("BOTTLEROCKET_ARM_64", 80)).toEqual([{ deviceName: "/dev/xvda" }, { deviceName: "/dev/xvdb", sizeGiB: 80 }]);
  });

  it("reads the architecture from the AMI type", () => {
    expect(Object.fromEntries(AMI_TYPES.map((t) => [t, amiArchitecture(t)]))).toEqual({
      AL2023_x86_64_STANDARD: "x86_64",
      AL2023_ARM_64_STANDARD: "arm64",
      BOTTLEROCKET_x86_64: "x86_64",
      BOTTLEROCKET_ARM_64: "arm64",
    });
  });
});

describe("ManagedNodeGroup", () => {
  const synth = (amiType: AmiType, upgrade: NodeUpgrade) => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new ManagedNodeGroup(scope, "group", {
          clusterName: "c",
          groupName: "system",
          kubernetesVersion: "1.33",
          nodeRoleArn: "arn:aws:iam::111122223333:role/node",
          subnetIds: ["subnet-a", "subnet-b"],
          instanceTypes: ["m6i.large"],
          minSize: 2,
          maxSize: 4,
          maxPods: 110,
          upgrade,
          amiType,
          diskSizeGiB: 60,
        });
      }),
    );
    return {
      group: Object.values(json.resource.aws_eks_node_group)[0] as any,
      template: Object.values(json.resource.aws_launch_template)[0] as any,
    };
  };

  it.each([
    ["rolling", ROLLING, "system-"],
    ["blue-green", BLUE_GREEN, "system-1-33-"],
  ] as const)("with %s upgrades is named by prefix %s and created before it is destroyed", (_, upgrade, prefix) => {
    const { group } = synth("AL2023_x86_64_STANDARD", upgrade);
    expect(group.node_group_name).toBeUndefined();
    expect(group.node_group_name_prefix).toBe(prefix);
    expect(group.lifecycle.create_before_destroy).toBe(true);
  });

  it("encrypts Bottlerocket's OS volume (/dev/xvda) and data volume (/dev/xvdb) in the launch template", () => {
    const { template } = synth("BOTTLEROCKET_x86_64", ROLLING);
    expect(template.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
      { device_name: "/dev/xvdb", ebs: { volume_size: 60, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
    ]);
  });

  it("encrypts the AL2023 root volume at the disk size", () => {
    const { template } = synth("AL2023_ARM_64_STANDARD", ROLLING);
    expect(template.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { volume_size: 60, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
    ]);
  });
});
