/**
 * Every pinned value that depends on the Kubernetes minor version, one row per version, each value
 * with the source it was copied from. A Kubernetes upgrade is one new row here and nothing else:
 * the managed add-on versions (`aws_eks_addon.addon_version`, never `most_recent`), the Cluster
 * Autoscaler image tag, and the node AMI release of every AMI family
 * (`aws_eks_node_group.release_version`, from which Karpenter's `al2023@vYYYYMMDD` alias is derived).
 * Validation reports a version without a complete, well-formed row as a problem in the one list
 * (`environments/validate.ts`, `checkKubernetesVersionPins`); the tests check every row.
 *
 * None of the strings below was derived or guessed; each was read in a stored copy of its source on
 * the `seen` date, so it can be older than the live page. Before pinning a row, confirm it in the
 * target region:
 *   aws eks describe-addon-versions --region ap-northeast-2 --kubernetes-version 1.NN --addon-name <name> \
 *     --query 'addons[].addonVersions[].addonVersion'
 *   aws ssm get-parameter --region ap-northeast-2 --query Parameter.Value --name \
 *     /aws/service/eks/optimized-ami/1.NN/amazon-linux-2023/{x86_64,arm64}/standard/recommended/release_version
 *   aws ssm get-parameter --region ap-northeast-2 --query Parameter.Value --name \
 *     /aws/service/bottlerocket/aws-k8s-1.NN/{x86_64,arm64}/latest/image_version
 * (terraform-aws-eks v21.19.0 reads the same SSM parameters for `release_version`:
 * modules/eks-managed-node-group/main.tf at bef29c4d9523523e57fe898643fde2895106b339.)
 *
 * Formats EKS accepts as `release_version` (see `releaseVersionProblem`): AL2023
 * `<kubernetes version>-<YYYYMMDD>` (e.g. `1.34.9-20260714`, the amazon-eks-ami release);
 * Bottlerocket `<bottlerocket version>-<8-hex commit>` (e.g. `1.54.0-5043decc`), the same for every
 * Kubernetes variant of a release (cloudposse/terraform-aws-eks-node-group#209: EKS rejects the
 * version without the commit; eksctl-io/eksctl#4423: one image_version for aws-k8s-1.20 and 1.21).
 *
 * Kubernetes 1.35 has no row yet: published 1.35 values were found for every pin but
 * eks-pod-identity-agent (vpc-cni v1.21.1-eksbuild.7, coredns v1.13.2-eksbuild.4, kube-proxy
 * v1.35.3-eksbuild.13 from the user guide pages below, aws-ebs-csi-driver v1.56.0-eksbuild.1 at
 * cookpad/terraform-aws-eks f696246866f8b0326770d0459403f6a252569b6d, Cluster Autoscaler v1.35.2
 * (tag cluster-autoscaler-1.35.2), AL2023 1.35.6-20260714, Bottlerocket 1.54.0-5043decc). Confirm
 * eks-pod-identity-agent with the describe-addon-versions command above, then add the row.
 */
import { AMI_TYPES, type AmiType } from "../node-user-data";

export type ManagedAddonName = "vpc-cni" | "coredns" | "kube-proxy" | "aws-ebs-csi-driver" | "eks-pod-identity-agent" | "snapshot-controller";

/** The one file to edit for a Kubernetes upgrade or an AMI patch of every environment (named in messages). */
export const KUBERNETES_VERSIONS_FILE = "modules/eks/data/kubernetes-versions.ts";

/** The add-ons every cluster gets, in install order (CNI first, so nodes can become Ready). */
export const MANAGED_ADDON_NAMES: readonly ManagedAddonName[] = Object.freeze([
  "vpc-cni",
  "kube-proxy",
  "coredns",
  "eks-pod-identity-agent",
  "aws-ebs-csi-driver",
  "snapshot-controller",
] as const);

/** Where a pinned value was read (an https URL, with what to look for there) and the day (ISO date). */
export interface PinSource {
  readonly url: string;
  readonly seen: string;
  /** What the value is at `url` when the page is long or the value is inferred from it. */
  readonly note?: string;
}

/** A pinned value with its source. */
export interface Pin {
  readonly value: string;
  readonly source: PinSource;
}

/** Every version-bound pin of one Kubernetes minor version. */
export interface KubernetesVersionRow {
  /** `addon_version` of each EKS managed add-on. */
  readonly managedAddons: Readonly<Record<ManagedAddonName, Pin>>;
  /** Image tag of the Cluster Autoscaler release meant for this minor version. */
  readonly clusterAutoscalerImageTag: Pin;
  /** `release_version` of managed node groups per AMI family (and Karpenter's AL2023 alias). */
  readonly nodeAmiReleaseVersions: Readonly<Record<AmiType, Pin>>;
}

const SOURCE = {
  // "the latest (available) version of the Amazon EKS add-on type for each Kubernetes version". The
  // stored English pages cut off before their tables; these copies of the same user guide list 1.33-1.35.
  vpcCniTable: {
    url: "https://docs.amazonaws.cn/eks/latest/userguide/managing-vpc-cni.md",
    seen: "2026-11-23",
    note: 'table "Amazon VPC CNI versions" (1.29 to 1.35: v1.21.1-eksbuild.7)',
  },
  corednsTable: {
    url: "https://docs.amazonaws.cn/zh_cn/eks/latest/userguide/managing-coredns.md",
    seen: "2026-11-23",
    note: 'table "CoreDNS versions" (1.33 to 1.35: v1.13.2-eksbuild.4)',
  },
  kubeProxyTable: {
    url: "https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md",
    seen: "2026-11-23",
    note: 'table "kube-proxy versions"',
  },
  // The user guide has no table for the EBS CSI driver: cookpad/terraform-aws-eks generates versions.tf
  // from `aws eks describe-addon-versions --kubernetes-version <v>` (highest compatible version).
  ebsCsi133: {
    url: "https://github.com/cookpad/terraform-aws-eks/blob/568ab285d821d698c869764e278a39c7a1895e48/versions.tf",
    seen: "2026-11-23",
    note: "tag 1.33.1 (2026-03-06)",
  },
  ebsCsi134: {
    url: "https://github.com/cookpad/terraform-aws-eks/blob/aa61d36d70248ed83d2fe66c3d2d3a299f040274/versions.tf",
    seen: "2026-11-23",
    note: "tag 1.34.1 (2026-03-05)",
  },
  podIdentityDefault: {
    url: "https://github.com/aws/containers-roadmap/issues/2684",
    seen: "2026-11-23",
    note: 'AWS maintainer (haoranleo), 2025-11-24: v1.3.10-eksbuild.1 "is set to default version in all regions" (1.33 and 1.34 were current)',
  },
  snapshotController: {
    url: "https://docs.aws.amazon.com/eks/latest/userguide/addons-csi-snapshot-controller.html",
    seen: "2026-11-23",
    note: "the guide has no version table; v8.2.0-eksbuild.1 as pinned in public Terraform code (2025); confirm with describe-addon-versions",
  },
  // The Cluster Autoscaler README (section Releases) recommends the release of the control plane's minor;
  // each value is the latest patch tag of that line in kubernetes/autoscaler.
  clusterAutoscaler1336: {
    url: "https://github.com/kubernetes/autoscaler/releases/tag/cluster-autoscaler-1.33.6",
    seen: "2026-11-26",
    note: "tag commit be4b5a18814a53539d0fe6299c92839152cae54c (2026-07-22), the last 1.33 tag",
  },
  clusterAutoscaler1345: {
    url: "https://github.com/kubernetes/autoscaler/releases/tag/cluster-autoscaler-1.34.5",
    seen: "2026-11-26",
    note: "tag commit cb2123ed13148c38fbdb1ede42d8e99761ee2909 (2026-07-22), the last 1.34 tag",
  },
  al2023v20260714: {
    url: "https://github.com/awslabs/amazon-eks-ami/blob/158225113dac62583729bca127cce67b4211737a/CHANGELOG.md",
    seen: "2026-11-26",
    note: 'section "AMI Release v20260714", "Release version" of amazon-eks-node-al2023-{x86_64,arm64}-standard-<k8s>-v20260714',
  },
  bottlerocket1540: {
    url: "https://github.com/bottlerocket-os/bottlerocket/releases/tag/v1.54.0",
    seen: "2026-11-26",
    note:
      "released 2026-01-29 (bottlerocket-os/bottlerocket#4748); commit 5043decc from the Amazon AMI description " +
      "bottlerocket-aws-k8s-1.33-nvidia-aarch64-v1.54.0-5043decc in published `aws ec2 describe-images --owner amazon` " +
      "output; one image_version for every aws-k8s variant and architecture of a release. Newer releases exist " +
      "(1.55.0 on 2026-02-19); read their image_version from SSM before bumping",
  },
} as const satisfies Record<string, PinSource>;

function freezeDeep<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === "object") freezeDeep(inner as object);
  }
  return Object.freeze(value);
}

const pin = (value: string, source: PinSource): Pin => ({ value, source });

/** The pins, one row per Kubernetes minor version ("1.33"). */
export const KUBERNETES_VERSIONS: Readonly<Record<string, KubernetesVersionRow>> = freezeDeep({
  "1.33": {
    managedAddons: {
      "vpc-cni": pin("v1.21.1-eksbuild.7", SOURCE.vpcCniTable),
      coredns: pin("v1.13.2-eksbuild.4", SOURCE.corednsTable),
      "kube-proxy": pin("v1.33.10-eksbuild.13", SOURCE.kubeProxyTable),
      "aws-ebs-csi-driver": pin("v1.56.0-eksbuild.1", SOURCE.ebsCsi133),
      "eks-pod-identity-agent": pin("v1.3.10-eksbuild.1", SOURCE.podIdentityDefault),
      "snapshot-controller": pin("v8.2.0-eksbuild.1", SOURCE.snapshotController),
    },
    clusterAutoscalerImageTag: pin("v1.33.6", SOURCE.clusterAutoscaler1336),
    nodeAmiReleaseVersions: {
      AL2023_x86_64_STANDARD: pin("1.33.13-20260714", SOURCE.al2023v20260714),
      AL2023_ARM_64_STANDARD: pin("1.33.13-20260714", SOURCE.al2023v20260714),
      BOTTLEROCKET_x86_64: pin("1.54.0-5043decc", SOURCE.bottlerocket1540),
      BOTTLEROCKET_ARM_64: pin("1.54.0-5043decc", SOURCE.bottlerocket1540),
    },
  },
  "1.34": {
    managedAddons: {
      "vpc-cni": pin("v1.21.1-eksbuild.7", SOURCE.vpcCniTable),
      coredns: pin("v1.13.2-eksbuild.4", SOURCE.corednsTable),
      "kube-proxy": pin("v1.34.6-eksbuild.13", SOURCE.kubeProxyTable),
      "aws-ebs-csi-driver": pin("v1.56.0-eksbuild.1", SOURCE.ebsCsi134),
      "eks-pod-identity-agent": pin("v1.3.10-eksbuild.1", SOURCE.podIdentityDefault),
      "snapshot-controller": pin("v8.2.0-eksbuild.1", SOURCE.snapshotController),
    },
    clusterAutoscalerImageTag: pin("v1.34.5", SOURCE.clusterAutoscaler1345),
    nodeAmiReleaseVersions: {
      AL2023_x86_64_STANDARD: pin("1.34.9-20260714", SOURCE.al2023v20260714),
      AL2023_ARM_64_STANDARD: pin("1.34.9-20260714", SOURCE.al2023v20260714),
      BOTTLEROCKET_x86_64: pin("1.54.0-5043decc", SOURCE.bottlerocket1540),
      BOTTLEROCKET_ARM_64: pin("1.54.0-5043decc", SOURCE.bottlerocket1540),
    },
  },
});

/** Per-AMI-family node AMI releases that replace the row's for one environment. */
export type NodeAmiReleaseOverrides = Readonly<Partial<Record<AmiType, string>>>;

/** Thrown when a caller asks for the pins of a Kubernetes version that has no (complete) row. */
export class UnsupportedKubernetesVersionError extends Error {
  readonly kubernetesVersion: string;
  readonly supported: readonly string[];

  constructor(kubernetesVersion: string, supported: readonly string[]) {
    super(
      `Kubernetes version ${JSON.stringify(kubernetesVersion)} has no complete row of pinned versions; ` +
        `rows: ${supported.join(", ")}. Add one to ${KUBERNETES_VERSIONS_FILE} (with its sources).`,
    );
    this.name = "UnsupportedKubernetesVersionError";
    this.kubernetesVersion = kubernetesVersion;
    this.supported = supported;
  }
}

const KUBERNETES_MINOR = /^1\.(\d+)$/;
const EKSBUILD = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function minorOf(version: string): number {
  return Number(version.split(".")[1]);
}

/** The Kubernetes versions that have a row, oldest first ("1.9" before "1.10"). */
export function supportedKubernetesVersions(table: Readonly<Record<string, KubernetesVersionRow>> = KUBERNETES_VERSIONS): string[] {
  return Object.keys(table).sort((a, b) => minorOf(a) - minorOf(b) || a.localeCompare(b));
}

/**
 * Why `release` is not a node AMI release EKS accepts for `amiType` on `kubernetesVersion`, or
 * `undefined` when it is: AL2023 `<kubernetesVersion>.<patch>-<YYYYMMDD>`, Bottlerocket
 * `<major>.<minor>.<patch>-<8 hex digits>`.
 */
export function releaseVersionProblem(kubernetesVersion: string, amiType: AmiType, release: unknown): string | undefined {
  if (amiType.startsWith("BOTTLEROCKET")) {
    return typeof release === "string" && /^\d+\.\d+\.\d+-[0-9a-f]{8}$/.test(release)
      ? undefined
      : `is not a Bottlerocket release such as "1.54.0-5043decc" (version and 8-character commit)`;
  }
  const match = typeof release === "string" ? /^1\.(\d+)\.\d+-(\d{8})$/.exec(release) : null;
  if (!match) return `is not an AL2023 release such as "${kubernetesVersion}.0-20260714" (Kubernetes version and AMI date)`;
  return `1.${match[1]}` === kubernetesVersion ? undefined : `is an AL2023 release of Kubernetes 1.${match[1]}, not ${kubernetesVersion}`;
}

/** Numbers that order the releases of one AMI family: AL2023 by AMI date then patch, Bottlerocket by version. */
function releaseOrder(amiType: AmiType, release: string): number[] {
  const [version = "", build = ""] = release.split("-");
  return amiType.startsWith("BOTTLEROCKET") ? version.split(".").map(Number) : [Number(build), Number(version.split(".")[2])];
}

function compareReleases(amiType: AmiType, a: string, b: string): number {
  const [x, y] = [releaseOrder(amiType, a), releaseOrder(amiType, b)];
  const i = x.findIndex((n, k) => n !== y[k]);
  return i === -1 ? 0 : x[i]! - y[i]!;
}

/**
 * Why `release` is not a valid per-environment override of the row's node AMI release for
 * `amiType`: not a release of that version and family, or not newer than the row's (an override
 * left behind after the row caught up, which would roll the nodes back). `undefined` when valid.
 */
export function overrideProblem(
  kubernetesVersion: string,
  amiType: AmiType,
  release: unknown,
  table: Readonly<Record<string, KubernetesVersionRow>> = KUBERNETES_VERSIONS,
): string | undefined {
  const format = releaseVersionProblem(kubernetesVersion, amiType, release);
  if (format !== undefined || !Object.hasOwn(table, kubernetesVersion)) return format;
  const pinned = (table[kubernetesVersion] as Partial<KubernetesVersionRow>).nodeAmiReleaseVersions?.[amiType]?.value;
  // A missing or malformed pin of the row is reported as a problem of the row.
  if (pinned === undefined || releaseVersionProblem(kubernetesVersion, amiType, pinned) !== undefined) return undefined;
  return compareReleases(amiType, release as string, pinned) > 0 ? undefined : `is not newer than the release of the row (${pinned})`;
}

/** Why a pin is unusable (missing, malformed, no source), or `undefined` when it is fine. */
function pinProblem(value: unknown, format: (v: string) => string | undefined): string | undefined {
  const p = value as Partial<Pin> | undefined;
  if (p === null || typeof p !== "object" || typeof p.value !== "string" || p.value === "") return "is missing";
  const problem = format(p.value);
  if (problem !== undefined) return `${JSON.stringify(p.value)} ${problem}`;
  const source = p.source as Partial<PinSource> | undefined;
  if (typeof source?.url !== "string" || !source.url.startsWith("https://") || typeof source.seen !== "string" || !ISO_DATE.test(source.seen)) {
    return "has no source (an https URL and the ISO date it was read)";
  }
  return undefined;
}

/**
 * What is wrong with the row of `kubernetesVersion` (no row, a missing or malformed pin, a pin
 * without source), as messages; empty when the row is complete. Checks the row at run time, so an
 * incomplete row is caught even where TypeScript is not (synthesis only transpiles).
 */
export function rowProblems(kubernetesVersion: string, table: Readonly<Record<string, KubernetesVersionRow>> = KUBERNETES_VERSIONS): string[] {
  if (!Object.hasOwn(table, kubernetesVersion)) {
    return [`has no row of pinned versions (rows: ${supportedKubernetesVersions(table).join(", ")})`];
  }
  const minor = KUBERNETES_MINOR.exec(kubernetesVersion)?.[1];
  const row = table[kubernetesVersion] as Partial<KubernetesVersionRow>;
  const problems: string[] = [];
  const check = (what: string, value: unknown, format: (v: string) => string | undefined) => {
    const problem = pinProblem(value, format);
    if (problem !== undefined) problems.push(`${what} ${problem}`);
  };
  for (const name of MANAGED_ADDON_NAMES) {
    check(`add-on ${name}`, row.managedAddons?.[name], (v) => {
      if (!EKSBUILD.test(v)) return "is not an EKS add-on version such as v1.2.3-eksbuild.4";
      return name === "kube-proxy" && !v.startsWith(`v${kubernetesVersion}.`) ? `does not follow Kubernetes ${kubernetesVersion}` : undefined;
    });
  }
  check("cluster-autoscaler image tag", row.clusterAutoscalerImageTag, (v) =>
    new RegExp(`^v1\\.${minor}\\.\\d+$`).test(v) ? undefined : `is not a v${kubernetesVersion}.<patch> release tag`,
  );
  for (const amiType of AMI_TYPES) {
    check(`node AMI release of ${amiType}`, row.nodeAmiReleaseVersions?.[amiType], (v) => releaseVersionProblem(kubernetesVersion, amiType, v));
  }
  return problems;
}

/**
 * The row of a Kubernetes minor version ("1.34"). Environments are validated first, so in the
 * platform this never throws.
 * @throws UnsupportedKubernetesVersionError when the version has no complete row
 */
export function kubernetesVersionRow(kubernetesVersion: string): KubernetesVersionRow {
  if (rowProblems(kubernetesVersion).length > 0) {
    throw new UnsupportedKubernetesVersionError(kubernetesVersion, supportedKubernetesVersions());
  }
  return KUBERNETES_VERSIONS[kubernetesVersion]!;
}

/** The pinned `addon_version` of an EKS managed add-on. */
export function addonVersion(name: ManagedAddonName, kubernetesVersion: string): string {
  const row = kubernetesVersionRow(kubernetesVersion);
  if (!Object.hasOwn(row.managedAddons, name)) {
    throw new Error(`unknown EKS managed add-on ${JSON.stringify(name)}; known: ${MANAGED_ADDON_NAMES.join(", ")}`);
  }
  return row.managedAddons[name].value;
}

/** The image tag of the Cluster Autoscaler release for a Kubernetes minor version. */
export function clusterAutoscalerImageTag(kubernetesVersion: string): string {
  return kubernetesVersionRow(kubernetesVersion).clusterAutoscalerImageTag.value;
}

/** The node AMI `release_version` of an AMI family: the environment's override, else the row's. */
export function nodeAmiReleaseVersion(kubernetesVersion: string, amiType: AmiType, overrides: NodeAmiReleaseOverrides = {}): string {
  return overrides[amiType] ?? kubernetesVersionRow(kubernetesVersion).nodeAmiReleaseVersions[amiType].value;
}

/**
 * Karpenter's EC2NodeClass alias for the AL2023 release the managed node groups of the same
 * architecture run (`al2023@v<YYYYMMDD>`), so Karpenter nodes are patched with the node groups.
 */
export function karpenterAmiAlias(kubernetesVersion: string, architecture: "amd64" | "arm64", overrides: NodeAmiReleaseOverrides = {}): string {
  const amiType: AmiType = architecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
  const release = nodeAmiReleaseVersion(kubernetesVersion, amiType, overrides);
  return `al2023@v${release.slice(release.lastIndexOf("-") + 1)}`;
}
