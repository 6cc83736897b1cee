/**
 * EKS managed add-on versions, pinned per Kubernetes minor version. The cluster layer passes
 * these to `aws_eks_addon.addon_version`, and never uses `most_recent`. Every string below was
 * copied from a published source; none was derived or guessed. The sources are listed here, and
 * each (Kubernetes version, add-on) entry also records its own source in
 * `ADDON_VERSION_PROVENANCE`. All were looked up on 2026-11-23 in stored copies of the pages and
 * repositories, so they can be older than the live pages.
 *
 * vpc-cni, coredns, kube-proxy: the Amazon EKS User Guide tables. Each table lists "the latest
 * (available) version of the Amazon EKS add-on type for each Kubernetes version".
 *   vpc-cni    https://docs.amazonaws.cn/eks/latest/userguide/managing-vpc-cni.md
 *              (table "Amazon VPC CNI versions": 1.29 to 1.35 all give v1.21.1-eksbuild.7)
 *   coredns    https://docs.amazonaws.cn/zh_cn/eks/latest/userguide/managing-coredns.md
 *              (table "CoreDNS versions": 1.33, 1.34 and 1.35 give v1.13.2-eksbuild.4;
 *              1.30 to 1.32 give v1.11.4-eksbuild.33)
 *   kube-proxy https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md
 *              (table "kube-proxy versions": 1.36 v1.36.0-eksbuild.14, 1.35 v1.35.3-eksbuild.13,
 *              1.34 v1.34.6-eksbuild.13, 1.33 v1.33.10-eksbuild.13)
 *   The stored copies of the English pages cut off before their tables. The pages above are
 *   translations of the same user guide, and they were the newest stored copies that list 1.35.
 *   The vpc-cni and coredns pages are on the China documentation site, which carries the same
 *   user guide. We did not see the docs.aws.amazon.com copy of those two tables, and we deploy
 *   to ap-northeast-2, so run the region check below before the first apply.
 *   Cross-check: cookpad/terraform-aws-eks generates versions.tf from
 *   `aws eks describe-addon-versions --kubernetes-version <v>` (hack/versions takes the highest
 *   compatible version). On 2026-03-05/06 it records the same patch lines with lower eksbuild
 *   numbers: vpc-cni v1.21.1-eksbuild.3 and coredns v1.13.2-eksbuild.1 for 1.33 to 1.35.
 *
 * aws-ebs-csi-driver: the user guide has no per-version table. This is the highest version
 *   `describe-addon-versions --kubernetes-version <v>` returned, as cookpad/terraform-aws-eks
 *   committed it:
 *     1.33: tag 1.33.1 = 568ab285d821d698c869764e278a39c7a1895e48 (2026-03-06), versions.tf
 *     1.34: tag 1.34.1 = aa61d36d70248ed83d2fe66c3d2d3a299f040274 (2026-03-05), versions.tf
 *   Both give v1.56.0-eksbuild.1 (and so does 1.35 at f696246866f8b0326770d0459403f6a252569b6d).
 *
 * eks-pod-identity-agent: the user guide has no per-version table either. An AWS maintainer
 *   (haoranleo) commented on https://github.com/aws/containers-roadmap/issues/2684 on
 *   2025-11-24 that `v1.3.10-eksbuild.1` "is set to default version in all regions". At that
 *   date 1.33 and 1.34 were current EKS versions.
 *
 * Kubernetes 1.35 is NOT listed yet. We found published 1.35 versions for four of the five
 * add-ons: vpc-cni v1.21.1-eksbuild.7, coredns v1.13.2-eksbuild.4 and kube-proxy
 * v1.35.3-eksbuild.13 (the user guide pages above), and aws-ebs-csi-driver v1.56.0-eksbuild.1
 * (cookpad f6962468). We found no source we could cite for eks-pod-identity-agent on 1.35. To
 * add 1.35, first confirm with:
 *   aws eks describe-addon-versions --kubernetes-version 1.35 --addon-name eks-pod-identity-agent \
 *     --query 'addons[].addonVersions[?compatibilities[?defaultVersion]].addonVersion'
 *
 * Before pinning a new entry, confirm it in the target region with
 *   aws eks describe-addon-versions --region ap-northeast-2 --kubernetes-version <v> --addon-name <name>
 * When you update an entry, update its ADDON_VERSION_PROVENANCE record and the test too.
 */

export type ManagedAddonName = "vpc-cni" | "coredns" | "kube-proxy" | "aws-ebs-csi-driver" | "eks-pod-identity-agent" | "snapshot-controller";

/** Where a pinned version was read, and the day it was read there (ISO date). */
export interface AddonVersionSource {
  readonly url: string;
  readonly seen: string;
}

/** The add-ons every cluster gets, in install order (CNI first, so nodes can become Ready). */
export const MANAGED_ADDON_NAMES: readonly ManagedAddonName[] = Object.freeze([
  "vpc-cni",
  "kube-proxy",
  "coredns",
  "eks-pod-identity-agent",
  "aws-ebs-csi-driver",
  "snapshot-controller",
] as const);

const SEEN = "2026-11-23";

const SOURCE = {
  vpcCniTable: { url: "https://docs.amazonaws.cn/eks/latest/userguide/managing-vpc-cni.md", seen: SEEN },
  corednsTable: { url: "https://docs.amazonaws.cn/zh_cn/eks/latest/userguide/managing-coredns.md", seen: SEEN },
  kubeProxyTable: { url: "https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md", seen: SEEN },
  ebsCsi133: {
    url: "https://github.com/cookpad/terraform-aws-eks/blob/568ab285d821d698c869764e278a39c7a1895e48/versions.tf",
    seen: SEEN,
  },
  ebsCsi134: {
    url: "https://github.com/cookpad/terraform-aws-eks/blob/aa61d36d70248ed83d2fe66c3d2d3a299f040274/versions.tf",
    seen: SEEN,
  },
  podIdentityDefault: { url: "https://github.com/aws/containers-roadmap/issues/2684", seen: SEEN },
  // An `addon_version` pinned in a public Terraform configuration (EKS add-on list of a
  // multi-cluster module, 2025); the AWS user guide has no version table for this add-on. Confirm
  // with `aws eks describe-addon-versions --addon-name snapshot-controller --kubernetes-version <v>`.
  snapshotController: {
    url: "https://docs.aws.amazon.com/eks/latest/userguide/addons-csi-snapshot-controller.html (version v8.2.0-eksbuild.1 as pinned in public Terraform code)",
    seen: SEEN,
  },
} as const satisfies Record<string, AddonVersionSource>;

function freezeDeep<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === "object") freezeDeep(inner as object);
  }
  return Object.freeze(value);
}

/** Pinned `addon_version` per Kubernetes minor version ("1.33") and add-on. */
export const ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<ManagedAddonName, string>>>> = freezeDeep({
  "1.33": {
    "vpc-cni": "v1.21.1-eksbuild.7",
    coredns: "v1.13.2-eksbuild.4",
    "kube-proxy": "v1.33.10-eksbuild.13",
    "aws-ebs-csi-driver": "v1.56.0-eksbuild.1",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
    "snapshot-controller": "v8.2.0-eksbuild.1",
  },
  "1.34": {
    "vpc-cni": "v1.21.1-eksbuild.7",
    coredns: "v1.13.2-eksbuild.4",
    "kube-proxy": "v1.34.6-eksbuild.13",
    "aws-ebs-csi-driver": "v1.56.0-eksbuild.1",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
    "snapshot-controller": "v8.2.0-eksbuild.1",
  },
});

/** The main source for each add-on's versions. The source of each entry is in ADDON_VERSION_PROVENANCE. */
export const ADDON_VERSION_SOURCES: Readonly<Record<ManagedAddonName, AddonVersionSource>> = freezeDeep({
  "vpc-cni": { ...SOURCE.vpcCniTable },
  coredns: { ...SOURCE.corednsTable },
  "kube-proxy": { ...SOURCE.kubeProxyTable },
  // 1.33's pin. 1.34's pin comes from the same file at aa61d36d (see ADDON_VERSION_PROVENANCE).
  "aws-ebs-csi-driver": { ...SOURCE.ebsCsi133 },
  "eks-pod-identity-agent": { ...SOURCE.podIdentityDefault },
  "snapshot-controller": { ...SOURCE.snapshotController },
});

/** The source of every entry in ADDON_VERSIONS, with the same keys. */
export const ADDON_VERSION_PROVENANCE: Readonly<Record<string, Readonly<Record<ManagedAddonName, AddonVersionSource>>>> =
  freezeDeep({
    "1.33": {
      "vpc-cni": { ...SOURCE.vpcCniTable },
      coredns: { ...SOURCE.corednsTable },
      "kube-proxy": { ...SOURCE.kubeProxyTable },
      "aws-ebs-csi-driver": { ...SOURCE.ebsCsi133 },
      "eks-pod-identity-agent": { ...SOURCE.podIdentityDefault },
      "snapshot-controller": { ...SOURCE.snapshotController },
    },
    "1.34": {
      "vpc-cni": { ...SOURCE.vpcCniTable },
      coredns: { ...SOURCE.corednsTable },
      "kube-proxy": { ...SOURCE.kubeProxyTable },
      "aws-ebs-csi-driver": { ...SOURCE.ebsCsi134 },
      "eks-pod-identity-agent": { ...SOURCE.podIdentityDefault },
      "snapshot-controller": { ...SOURCE.snapshotController },
    },
  });

/** Thrown when no add-on versions are pinned for a Kubernetes version. */
export class UnsupportedKubernetesVersionError extends Error {
  readonly kubernetesVersion: string;
  readonly supported: readonly string[];

  constructor(kubernetesVersion: string, supported: readonly string[]) {
    super(
      `Kubernetes version ${JSON.stringify(kubernetesVersion)} has no pinned EKS add-on versions; ` +
        `supported versions: ${supported.join(", ")}. Add a row to modules/eks/data/addon-versions.ts ` +
        `(with its sources) before using it.`,
    );
    this.name = "UnsupportedKubernetesVersionError";
    this.kubernetesVersion = kubernetesVersion;
    this.supported = supported;
  }
}

function minorOf(version: string): number {
  return Number(version.split(".")[1]);
}

/** Kubernetes versions that have pinned add-on versions, oldest first ("1.9" before "1.10"). */
export function supportedKubernetesVersions(): string[] {
  return Object.keys(ADDON_VERSIONS).sort((a, b) => minorOf(a) - minorOf(b) || a.localeCompare(b));
}

/** The pinned `addon_version` of an add-on for a Kubernetes minor version such as "1.34". */
export function addonVersion(name: ManagedAddonName, kubernetesVersion: string): string {
  if (!Object.hasOwn(ADDON_VERSIONS, kubernetesVersion)) {
    throw new UnsupportedKubernetesVersionError(kubernetesVersion, supportedKubernetesVersions());
  }
  const row = ADDON_VERSIONS[kubernetesVersion]!;
  if (!Object.hasOwn(row, name)) {
    throw new Error(`unknown EKS managed add-on ${JSON.stringify(name)}; known: ${MANAGED_ADDON_NAMES.join(", ")}`);
  }
  return row[name];
}
