/**
 * How many pods the Amazon VPC CNI can place on an EC2 instance type: the value EKS puts into the
 * kubelet's `--max-pods` for a node group.
 *
 * The figures come from the generated table in `./data/instance-limits.ts` (ENIs on the default
 * network card, IPv4 addresses per ENI, hypervisor, bare-metal flag, default vCPUs, CPU
 * architecture; sources in its header). The formulas are those of the VPC CNI's `misc/eni-max-pods.txt` generator and of EKS's
 * `max-pods-calculator.sh`:
 *
 * - secondary-ip (the default): `ENIs × (IPv4 per ENI − 1) + 2`. The primary address of each ENI is
 *   not given to pods; the `+ 2` is for the host-network pods aws-node and kube-proxy. Uncapped, this
 *   is exactly AWS's published eni-max-pods value.
 * - custom-networking: the primary ENI carries no pods, `(ENIs − 1) × (IPv4 per ENI − 1) + 2`.
 * - prefix-delegation (Nitro only): every secondary slot holds a /28 prefix of 16 addresses,
 *   `ENIs × (IPv4 per ENI − 1) × 16 + 2`.
 * - the cap (on by default, every mode): EKS's recommended ceiling, 110 pods on instances with at
 *   most 30 vCPUs and 250 above that.
 *
 * Pure functions; the table is parsed into a Map on first use, so importing this module is cheap.
 */
import { INSTANCE_LIMITS_DATA } from "./data/instance-limits";

/**
 * How the VPC CNI gives pods their addresses:
 * - `secondary-ip`: one secondary IPv4 address of a node ENI per pod (the CNI default);
 * - `prefix-delegation`: a /28 IPv4 prefix per ENI slot, 16 pods each (`ENABLE_PREFIX_DELEGATION`, Nitro only);
 * - `custom-networking`: pods use ENIs in other subnets (`AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG`), so
 *   the node's primary ENI carries no pods.
 */
export type PodNetworkingMode = "secondary-ip" | "prefix-delegation" | "custom-networking";

/** The networking limits of one EC2 instance type, as the VPC CNI sees them. */
export interface InstanceLimits {
  /** The instance type, e.g. `m5.large`. */
  readonly instanceType: string;
  /** ENIs the CNI can attach: those of the DEFAULT network card only (not the instance total on multi-card types). */
  readonly enis: number;
  /** IPv4 addresses per ENI, the primary address included. */
  readonly ipv4PerEni: number;
  /** The hypervisor EC2 reports; `unknown` when it reports none (mostly bare metal). */
  readonly hypervisor: "nitro" | "xen" | "unknown";
  /** Whether this is a bare-metal instance type. */
  readonly bareMetal: boolean;
  /**
   * Default vCPU count, used for the 110/250 max-pods cap. 0 when no figure is known (see
   * {@link InstanceLimits.vcpuSource}), which selects the lower cap.
   */
  readonly vcpus: number;
  /**
   * Where {@link InstanceLimits.vcpus} came from: `published` (a public data set generated from the EC2
   * API, named in the data file header), `derived` (from the size name or the family's largest size,
   * rules in the data file header) or `unknown` (no figure; `vcpus` is 0).
   */
  readonly vcpuSource: "published" | "derived" | "unknown";
  /**
   * CPU architecture in EC2's terms (`x86_64` is Kubernetes' `amd64`); `unknown` when no source
   * lists the type and its family has no single published architecture.
   */
  readonly architecture: InstanceArchitecture | "unknown";
  /**
   * Where {@link InstanceLimits.architecture} came from: `published` (the data file's sources),
   * `derived` (the one architecture of the type's family) or `unknown`.
   */
  readonly architectureSource: "published" | "derived" | "unknown";
}

/** The CPU architectures of EC2 instance types the platform runs nodes on, in EC2's terms. */
export type InstanceArchitecture = "x86_64" | "arm64";

/** Thrown by {@link instanceLimits} and {@link maxPods} for an instance type the VPC CNI table does not list. */
export class UnknownInstanceTypeError extends Error {
  /** The instance type that was asked for, as given. */
  readonly instanceType: string;
  /** Up to 3 known instance types with close names, best first (may be empty). */
  readonly suggestions: readonly string[];

  constructor(instanceType: string, suggestions: readonly string[]) {
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(", ")}?` : "";
    super(`unknown EC2 instance type ${JSON.stringify(instanceType)}: the VPC CNI limits table does not list it${hint}`);
    this.name = "UnknownInstanceTypeError";
    this.instanceType = instanceType;
    this.suggestions = suggestions;
  }
}

const HYPERVISORS = { n: "nitro", x: "xen", u: "unknown" } as const;

let table: ReadonlyMap<string, InstanceLimits> | undefined;

function limitsTable(): ReadonlyMap<string, InstanceLimits> {
  if (table !== undefined) return table;
  const map = new Map<string, InstanceLimits>();
  for (const line of INSTANCE_LIMITS_DATA.split("\n")) {
    const [instanceType, enis, ipv4PerEni, hypervisor, bareMetal, vcpus, origin, arch] = line.split(" ") as [string, string, string, keyof typeof HYPERVISORS, string, string, string, string];
    const architecture = arch === "?" ? "unknown" : (arch.replace("*", "") as InstanceArchitecture);
    map.set(
      instanceType,
      Object.freeze({
        instanceType,
        enis: Number(enis),
        ipv4PerEni: Number(ipv4PerEni),
        hypervisor: HYPERVISORS[hypervisor],
        bareMetal: bareMetal === "1",
        vcpus: Number(vcpus),
        vcpuSource: origin === "?" ? "unknown" : origin.startsWith("d") ? "derived" : "published",
        architecture,
        architectureSource: arch === "?" ? "unknown" : arch.endsWith("*") ? "derived" : "published",
      }),
    );
  }
  table = map;
  return map;
}

function normalize(instanceType: string): string {
  return instanceType.trim().toLowerCase();
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function suggestionsFor(wanted: string): string[] {
  const limit = Math.max(2, Math.floor(wanted.length / 4));
  return [...limitsTable().keys()]
    .map((t) => ({ t, d: editDistance(wanted, t) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || (x.t < y.t ? -1 : x.t > y.t ? 1 : 0))
    .slice(0, 3)
    .map(({ t }) => t);
}

/** Every instance type the VPC CNI limits table lists, sorted. */
export function knownInstanceTypes(): string[] {
  return [...limitsTable().keys()].sort();
}

/**
 * Whether the VPC CNI limits table lists an instance type (case and surrounding spaces ignored).
 *
 * @param instanceType e.g. `m5.large`
 */
export function isKnownInstanceType(instanceType: string): boolean {
  return limitsTable().has(normalize(instanceType));
}

/**
 * The networking limits and vCPU count of an instance type (case and surrounding spaces ignored).
 *
 * @param instanceType e.g. `m5.large`
 * @returns a frozen {@link InstanceLimits}
 * @throws UnknownInstanceTypeError naming the type, with up to 3 close suggestions, if the table does not list it
 */
export function instanceLimits(instanceType: string): InstanceLimits {
  const key = normalize(instanceType);
  const limits = limitsTable().get(key);
  if (limits === undefined) throw new UnknownInstanceTypeError(instanceType, suggestionsFor(key));
  return limits;
}

/**
 * The maximum number of pods for a node of an instance type.
 *
 * - `secondary-ip` (default): `ENIs × (IPv4 per ENI − 1) + 2`; with `{ cap: false }` this equals AWS's
 *   published eni-max-pods value for every type in the table.
 * - `custom-networking`: `(ENIs − 1) × (IPv4 per ENI − 1) + 2` (2 on a single-ENI type).
 * - `prefix-delegation`: `ENIs × (IPv4 per ENI − 1) × 16 + 2`; Nitro types only, like EKS's
 *   max-pods-calculator.sh (types for which EC2 reports no hypervisor, most bare metal, are refused too).
 * - `cap` (default `true`, applies in every mode): at most 110 pods with 30 vCPUs or fewer, at most 250
 *   above (EKS's recommendation; a type with unknown vCPUs gets 110).
 *
 * @param instanceType e.g. `m5.large`
 * @param options.mode how the CNI assigns pod addresses. @default "secondary-ip"
 * @param options.cap apply EKS's 110/250 recommendation. @default true
 * @throws UnknownInstanceTypeError if the type is not in the table
 * @throws Error for prefix delegation on a non-Nitro type, or an unknown mode
 */
export function maxPods(instanceType: string, options: { mode?: PodNetworkingMode; cap?: boolean } = {}): number {
  const { mode = "secondary-ip", cap = true } = options;
  const limits = instanceLimits(instanceType);
  const slots = limits.ipv4PerEni - 1;
  let pods: number;
  switch (mode) {
    case "secondary-ip":
      pods = limits.enis * slots + 2;
      break;
    case "custom-networking":
      pods = (limits.enis - 1) * slots + 2;
      break;
    case "prefix-delegation":
      if (limits.hypervisor !== "nitro") {
        const runsOn = limits.hypervisor === "xen" ? "runs on the Xen hypervisor" : "reports no hypervisor (bare metal)";
        throw new Error(`prefix delegation needs a Nitro instance: ${limits.instanceType} ${runsOn}`);
      }
      pods = limits.enis * slots * 16 + 2;
      break;
    default:
      throw new Error(`unknown pod networking mode ${JSON.stringify(mode)}; expected secondary-ip, prefix-delegation or custom-networking`);
  }
  return cap ? Math.min(pods, limits.vcpus > 30 ? 250 : 110) : pods;
}
