/**
 * User data and disks of managed node groups, as pure functions. The node's max pods is set
 * explicitly so that it always matches the VPC CNI mode (nodes do not fall back to the secondary-IP
 * default of, say, 29 pods on an m5.large when prefix delegation or custom networking is on), and
 * the kubelet's memory reservation is sized for those pods.
 */

/** AMI families the platform supports for managed node groups. */
export const AMI_TYPES = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
] as const;
export type AmiType = (typeof AMI_TYPES)[number];

/** The CPU architecture (EC2's terms) an AMI family runs on: the `ARM_64` families are arm64. */
export function amiArchitecture(amiType: AmiType): "x86_64" | "arm64" {
  return amiType.includes("ARM_64") ? "arm64" : "x86_64";
}

const BOUNDARY = "//PLATFORM-BOUNDARY//";

/**
 * The kubelet's `kubeReserved` memory in MiB for a node that runs `maxPods` pods: 11 MiB per pod plus
 * 255 MiB, the formula of nodeadm (awslabs/amazon-eks-ami@81fec2e8
 * nodeadm/internal/kubelet/config.go `getMemoryMebibytesToReserve`) and of Bottlerocket
 * (bottlerocket-os/bottlerocket-core-kit@a10182f9 sources/api/schnauzer `kube_reserve_memory`).
 *
 * nodeadm applies it to the ENI-based max pods it computes itself (`withDefaultReservedResources`:
 * `ENIs × (IPv4 per ENI − 1) + 2`, or the result of `maxPodsExpression`), not to a `maxPods` given in
 * the NodeConfig's kubelet config, which only lands in a drop-in file: without this value an m6i.large
 * with prefix delegation reserves 574 MiB (29 pods) while running up to 110 pods (1,465 MiB).
 */
export function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

/**
 * User data that sets the kubelet's max pods and the memory reserved for those pods.
 *
 * AL2023: a MIME part with a nodeadm `NodeConfig` (EKS merges it with the NodeConfig it generates for
 * managed node groups). nodeadm writes `spec.kubelet.config` to the kubelet drop-in
 * `/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf`; the kubelet merges a drop-in's maps key by
 * key (kubernetes/website content/en/docs/reference/node/kubelet-config-directory-merging.md), so
 * `kubeReserved.memory` replaces nodeadm's ENI-based figure while nodeadm's `cpu` (6% of the first
 * core, 1% of the second, 0.5% of the third and fourth, 0.25% of every further core, from the node's
 * own core count: `getCPUMillicoresToReserve`) and `ephemeral-storage` (1Gi) stay. The CPU share does
 * not depend on pods, and a group may mix instance sizes, so it is left to nodeadm.
 * (nodeadm's `maxPodsExpression`, from AMI release v20251007 on, is the other way to get the same
 * memory; the drop-in works on every AL2023 release.)
 *
 * Bottlerocket: TOML settings. `settings.kubernetes.kube-reserved.memory` defaults to the same formula
 * over `settings.kubernetes.max-pods` (core-kit packages/kubernetes-1.*\/kubelet-config); it is set
 * explicitly so that both families render the reservation they run with. `cpu` and
 * `ephemeral-storage` keep Bottlerocket's defaults (each key is its own setting).
 */
export function nodeUserData(amiType: AmiType, options: { readonly maxPods: number }): string {
  if (!Number.isInteger(options.maxPods) || options.maxPods < 1) {
    throw new Error(`maxPods must be a positive integer, got ${options.maxPods}`);
  }
  const memory = `${kubeReservedMemoryMiB(options.maxPods)}Mi`;
  if (amiType.startsWith("BOTTLEROCKET")) {
    return ["[settings.kubernetes]", `max-pods = ${options.maxPods}`, "", "[settings.kubernetes.kube-reserved]", `memory = "${memory}"`, ""].join("\n");
  }
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    "",
    `--${BOUNDARY}`,
    "Content-Type: application/node.eks.aws",
    "",
    "---",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  kubelet:",
    "    config:",
    `      maxPods: ${options.maxPods}`,
    "      kubeReserved:",
    `        memory: ${memory}`,
    "",
    `--${BOUNDARY}--`,
    "",
  ].join("\n");
}

/** An EBS volume of the launch template. */
export interface NodeVolume {
  readonly deviceName: string;
  /** Size in GiB; undefined keeps the size of the AMI's snapshot. */
  readonly sizeGiB?: number;
}

/**
 * The volumes to map in the launch template, each of which the launch template encrypts (gp3), so
 * encryption never depends on the account's EBS encryption-by-default setting.
 *
 * - AL2023 boots and keeps images on one root volume, `/dev/xvda`, of `diskSizeGiB`.
 * - Bottlerocket has two: the OS volume `/dev/xvda` (kept at the size of the AMI's snapshot) and the
 *   data volume `/dev/xvdb` (images, pods' ephemeral storage) of `diskSizeGiB`; the same pair as
 *   bottlerocket-os/bottlerocket@91632ff5 TESTING.md maps for Karpenter-launched nodes.
 */
export function nodeVolumes(amiType: AmiType, diskSizeGiB: number): NodeVolume[] {
  if (amiType.startsWith("BOTTLEROCKET")) {
    return [{ deviceName: "/dev/xvda" }, { deviceName: "/dev/xvdb", sizeGiB: diskSizeGiB }];
  }
  return [{ deviceName: "/dev/xvda", sizeGiB: diskSizeGiB }];
}
