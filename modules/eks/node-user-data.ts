/**
 * User data of managed node groups, as pure functions. The node's max pods is set explicitly so
 * that it always matches the VPC CNI mode (nodes do not fall back to the secondary-IP default of,
 * say, 29 pods on an m5.large when prefix delegation or custom networking is on).
 */

/** AMI families the platform supports for managed node groups. */
export const AMI_TYPES = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
] as const;
export type AmiType = (typeof AMI_TYPES)[number];

const BOUNDARY = "//PLATFORM-BOUNDARY//";

/**
 * User data that sets the kubelet's max pods for the AMI family. For AL2023 it is a MIME part with
 * a nodeadm `NodeConfig` (EKS merges it with the NodeConfig it generates for managed node groups);
 * for Bottlerocket it is TOML settings.
 */
export function nodeUserData(amiType: AmiType, options: { readonly maxPods: number }): string {
  if (!Number.isInteger(options.maxPods) || options.maxPods < 1) {
    throw new Error(`maxPods must be a positive integer, got ${options.maxPods}`);
  }
  if (amiType.startsWith("BOTTLEROCKET")) {
    return ["[settings.kubernetes]", `max-pods = ${options.maxPods}`, ""].join("\n");
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
    "",
    `--${BOUNDARY}--`,
    "",
  ].join("\n");
}

/** The root device of an AMI family: AL2023 boots from /dev/xvda, Bottlerocket keeps data on /dev/xvdb. */
export function rootDeviceName(amiType: AmiType): string {
  return amiType.startsWith("BOTTLEROCKET") ? "/dev/xvdb" : "/dev/xvda";
}
