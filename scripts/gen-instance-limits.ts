/**
 * Generates `modules/network/data/instance-limits.ts`, the per-instance-type data behind
 * `modules/network/max-pods.ts`: ENIs on the default network card, IPv4 addresses per ENI,
 * hypervisor, bare-metal flag, default vCPU count and CPU architecture.
 *
 * NOT run by the build or the tests: run it by hand when AWS adds instance types, review the
 * diff, and commit the regenerated data file. Its inputs are files you extract yourself from
 * public repositories (see below); the project never reads them at build or test time.
 *
 * Usage:
 *
 *   npx tsx scripts/gen-instance-limits.ts \
 *     --eni instance-eni.tsv \
 *     --vcpus 'LABEL=karpenter-instance-types.md' \
 *     --vcpus 'LABEL=ec2_instance_types.go' \
 *     [--vcpus 'LABEL=more.tsv' ...] \
 *     [--out modules/network/data/instance-limits.ts] [--check]
 *
 * `--eni`: a TSV with header `instance_type max_enis ipv4_per_eni hypervisor bare_metal ...`
 *   (tab separated; extra columns are ignored), e.g. `instance-eni.tsv` extracted from
 *   aws/amazon-vpc-cni-k8s `pkg/vpc/vpc_ip_resource_limit.go`. Every row becomes one entry.
 *
 * `--vcpus LABEL=FILE` (repeatable, highest priority first): a source of default vCPU counts and
 *   CPU architectures. LABEL names the source in the generated header (repository@commit:path and
 *   a note). The format is chosen by the file name:
 *   - `*.md`: aws/karpenter-provider-aws `website/content/en/<version>/reference/instance-types.md`
 *     (a `### \`type\`` heading followed by `|karpenter.k8s.aws/instance-cpu|N|` and
 *     `|kubernetes.io/arch|amd64 or arm64|` label rows);
 *   - `*.go`: kubernetes/autoscaler `cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go`
 *     (`InstanceType: "type",` followed by `VCPU: N,` and `Architecture: "amd64" or "arm64",`);
 *   - `*.tsv`: two columns `instance_type<TAB>vcpus` (no architecture), `#` comments and a header
 *     row allowed.
 *   Both sources generate these fields from EC2 DescribeInstanceTypes (`VCpuInfo.DefaultVCpus`,
 *   `ProcessorInfo.SupportedArchitectures`, written in Kubernetes terms: amd64 = EC2's x86_64).
 *   The first source that lists a type wins; a type listed by two sources with different counts
 *   or architectures is an error.
 *
 * Types no source lists get a DERIVED count, marked as such in the data:
 *   1. `<family>.metal`: the largest published count in the same family (a bare-metal instance
 *      exposes the whole host, usually the family's largest size);
 *   2. otherwise from the size name: `large` = 2, `xlarge` = 4, `<N>xlarge` and `metal-<N>xl` = 4 × N;
 *   3. otherwise UNKNOWN, stored as 0 vCPUs (so the max-pods cap falls back to the lower 110).
 *   The generator prints how often rules 1 and 2 agree with the published figures.
 *
 * Types no source gives an architecture get the architecture of their FAMILY (the part before the
 * dot) when every published type of that family has the same one (marked `*` in the data), else
 * UNKNOWN (`?`). The generator prints how often that rule agrees with the published figures.
 *
 * Reproducing the committed data file (clone the repositories, then; `$S` is any scratch dir):
 *
 *   git -C karpenter show 1d927085dd81a9df9301e613f371dac5b4d16bfe:website/content/en/preview/reference/instance-types.md > $S/karpenter-preview-instance-types.md
 *   git -C karpenter show 1d927085dd81a9df9301e613f371dac5b4d16bfe:website/content/en/v1.12/reference/instance-types.md > $S/karpenter-v1.12-instance-types.md
 *   git -C autoscaler show 55c37cd5eb550756c5ccc5a89e9068d77797e575:cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go > $S/autoscaler-head-ec2_instance_types.go
 *   git -C autoscaler show 6dc6dbf1a2aa168c4229941cc411749107dc5c31:cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go > $S/autoscaler-2021-ec2_instance_types.go
 *   git -C autoscaler show 69ee667aa41af12cc72be3cc170362a4ee5213d7:cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go > $S/autoscaler-pr9862-ec2_instance_types.go
 *   # instance-eni.tsv: ENILimit/IPv4Limit/HypervisorType/IsBareMetal of every entry in
 *   # aws/amazon-vpc-cni-k8s@b52188387f2e2f10bf289ace929d6a63b176a4fa pkg/vpc/vpc_ip_resource_limit.go
 *   # (the team keeps that extraction in the shared reference folder as eni/instance-eni.tsv)
 *   npx tsx scripts/gen-instance-limits.ts --eni instance-eni.tsv \
 *     --vcpus "<label [0] as in the data file header>=$S/karpenter-preview-instance-types.md" \
 *     --vcpus "<label [1]>=$S/karpenter-v1.12-instance-types.md" \
 *     --vcpus "<label [2]>=$S/autoscaler-head-ec2_instance_types.go" \
 *     --vcpus "<label [3]>=$S/autoscaler-2021-ec2_instance_types.go" \
 *     --vcpus "<label [4]>=$S/autoscaler-pr9862-ec2_instance_types.go"
 *
 *   The labels are the exact strings of `INSTANCE_SOURCES` in the data file; pass them unchanged and
 *   `--check` reports the committed file as up to date.
 *
 * `--out` defaults to `modules/network/data/instance-limits.ts` next to this script's project.
 * `--check` writes nothing and exits 1 if the file on disk differs from what would be generated.
 * Output is deterministic: rows sorted by instance type (code-unit order), no timestamps.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** Where `--eni` data comes from; written into the generated header. */
const ENI_SOURCE = {
  repository: "aws/amazon-vpc-cni-k8s",
  commit: "b52188387f2e2f10bf289ace929d6a63b176a4fa",
  path: "pkg/vpc/vpc_ip_resource_limit.go",
  date: "2026-08-20",
  note: "v1.23.1; generated upstream by scripts/gen_vpc_ip_limits.go, last regenerated 6152e01c (2026-08-11)",
} as const;

const DEFAULT_OUT = join(__dirname, "..", "modules", "network", "data", "instance-limits.ts");

type Hypervisor = "nitro" | "xen" | "unknown";

interface EniRow {
  readonly instanceType: string;
  readonly enis: number;
  readonly ipv4PerEni: number;
  readonly hypervisor: Hypervisor;
  readonly bareMetal: boolean;
}

/** CPU architecture in EC2's terms (`ProcessorInfo.SupportedArchitectures`). */
type Architecture = "x86_64" | "arm64";

interface Source {
  readonly label: string;
  readonly file: string;
  readonly vcpus: ReadonlyMap<string, number>;
  readonly arch: ReadonlyMap<string, Architecture>;
}

/** What one source file says about instance types. */
interface SourceData {
  readonly vcpus: Map<string, number>;
  readonly arch: Map<string, Architecture>;
}

interface Args {
  readonly eni: string;
  readonly vcpus: readonly { label: string; file: string }[];
  readonly out: string;
  readonly check: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  let eni: string | undefined;
  let out = DEFAULT_OUT;
  let check = false;
  const vcpus: { label: string; file: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "--eni":
        eni = value();
        break;
      case "--vcpus": {
        const v = value();
        const eq = v.lastIndexOf("=");
        if (eq <= 0 || eq === v.length - 1) throw new UsageError(`--vcpus wants LABEL=FILE, got ${JSON.stringify(v)}`);
        vcpus.push({ label: v.slice(0, eq), file: v.slice(eq + 1) });
        break;
      }
      case "--out":
        out = resolve(value());
        break;
      case "--check":
        check = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (eni === undefined) throw new UsageError("--eni FILE is required");
  if (vcpus.length === 0) throw new UsageError("at least one --vcpus LABEL=FILE is required");
  return { eni, vcpus, out, check };
}

function positiveInt(text: string, what: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new Error(`${what}: expected a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

function readEniTsv(file: string): EniRow[] {
  const lines = readFileSync(file, "utf8").split(/\r?\n/).filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const header = lines.shift()?.split("\t") ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name} in header ${JSON.stringify(header)}`);
    return i;
  };
  const [cType, cEnis, cIps, cHyp, cMetal] = ["instance_type", "max_enis", "ipv4_per_eni", "hypervisor", "bare_metal"].map(col) as [number, number, number, number, number];
  const seen = new Set<string>();
  return lines.map((line, n) => {
    const f = line.split("\t");
    const where = `${file}:${n + 2}`;
    const instanceType = f[cType] ?? "";
    if (!/^[a-z0-9][a-z0-9-]*\.[a-z0-9-]+$/.test(instanceType)) throw new Error(`${where}: bad instance type ${JSON.stringify(instanceType)}`);
    if (seen.has(instanceType)) throw new Error(`${where}: duplicate instance type ${instanceType}`);
    seen.add(instanceType);
    const hypervisor = f[cHyp];
    if (hypervisor !== "nitro" && hypervisor !== "xen" && hypervisor !== "unknown") throw new Error(`${where}: bad hypervisor ${JSON.stringify(hypervisor)}`);
    const metal = f[cMetal];
    if (metal !== "true" && metal !== "false") throw new Error(`${where}: bad bare_metal ${JSON.stringify(metal)}`);
    return {
      instanceType,
      enis: positiveInt(f[cEnis] ?? "", `${where} max_enis`),
      ipv4PerEni: positiveInt(f[cIps] ?? "", `${where} ipv4_per_eni`),
      hypervisor,
      bareMetal: metal === "true",
    };
  });
}

function addVcpu(map: Map<string, number>, file: string, type: string, count: string): void {
  const n = positiveInt(count, `${file}: vCPUs of ${type}`);
  const prev = map.get(type);
  if (prev !== undefined && prev !== n) throw new Error(`${file}: ${type} listed with ${prev} and ${n} vCPUs`);
  map.set(type, n);
}

/** Kubernetes' `kubernetes.io/arch` values as EC2 names them. */
const KUBERNETES_ARCH: Readonly<Record<string, Architecture>> = { amd64: "x86_64", arm64: "arm64" };

function addArch(map: Map<string, Architecture>, file: string, type: string, kubernetesArch: string): void {
  const arch = KUBERNETES_ARCH[kubernetesArch];
  if (arch === undefined) throw new Error(`${file}: ${type} has architecture ${JSON.stringify(kubernetesArch)} (want amd64 or arm64)`);
  const prev = map.get(type);
  if (prev !== undefined && prev !== arch) throw new Error(`${file}: ${type} listed as ${prev} and ${arch}`);
  map.set(type, arch);
}

/**
 * karpenter-provider-aws instance-types.md: "### `m5.large`" ... " |karpenter.k8s.aws/instance-cpu|2|"
 * ... " |kubernetes.io/arch|amd64|".
 */
function readKarpenterMarkdown(file: string): SourceData {
  const data: SourceData = { vcpus: new Map(), arch: new Map() };
  let current: string | undefined;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const heading = /^### `([^`]+)`\s*$/.exec(line);
    if (heading) {
      current = heading[1];
      continue;
    }
    const label = /^\s*\|(karpenter\.k8s\.aws\/instance-cpu|kubernetes\.io\/arch)\|([^|]*)\|\s*$/.exec(line);
    if (label) {
      if (current === undefined) throw new Error(`${file}: ${label[1]} label outside an instance type section`);
      if (label[1] === "kubernetes.io/arch") addArch(data.arch, file, current, label[2]!);
      else addVcpu(data.vcpus, file, current, label[2]!);
    }
  }
  return data;
}

/** cluster-autoscaler ec2_instance_types.go: `InstanceType: "m5.large",` then `VCPU: 2,` and `Architecture: "amd64",`. */
function readAutoscalerGo(file: string): SourceData {
  const data: SourceData = { vcpus: new Map(), arch: new Map() };
  let current: string | undefined;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const type = /^\s*InstanceType:\s*"([^"]+)",\s*$/.exec(line);
    if (type) {
      current = type[1];
      continue;
    }
    const cpu = /^\s*VCPU:\s*(\d+),\s*$/.exec(line);
    const arch = /^\s*Architecture:\s*"([^"]*)",\s*$/.exec(line);
    if ((cpu || arch) && current === undefined) throw new Error(`${file}: VCPU or Architecture outside an instance type entry`);
    if (cpu) addVcpu(data.vcpus, file, current!, cpu[1]!);
    if (arch) addArch(data.arch, file, current!, arch[1]!);
  }
  return data;
}

function readVcpuTsv(file: string): SourceData {
  const data: SourceData = { vcpus: new Map(), arch: new Map() };
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const [type, count] = line.split("\t");
    if (type === "instance_type") continue;
    addVcpu(data.vcpus, file, type ?? "", count ?? "");
  }
  return data;
}

function readSource(label: string, file: string): Source {
  const data = file.endsWith(".md") ? readKarpenterMarkdown(file) : file.endsWith(".go") ? readAutoscalerGo(file) : file.endsWith(".tsv") ? readVcpuTsv(file) : undefined;
  if (data === undefined) throw new UsageError(`--vcpus ${file}: cannot tell the format (want .md, .go or .tsv)`);
  if (data.vcpus.size === 0) throw new Error(`${file}: no vCPU counts found`);
  if (/[\n*]/.test(label)) throw new UsageError(`--vcpus label must be one line without '*': ${JSON.stringify(label)}`);
  return { label, file, ...data };
}

const family = (t: string): string => t.slice(0, t.indexOf("."));
const size = (t: string): string => t.slice(t.indexOf(".") + 1);

/** Rule 2: vCPUs from the size name, or undefined when the name says nothing reliable. */
function vcpusFromSizeName(sizeName: string): number | undefined {
  if (sizeName === "large") return 2;
  if (sizeName === "xlarge") return 4;
  const m = /^(\d+)xlarge$/.exec(sizeName) ?? /^metal-(\d+)xl$/.exec(sizeName);
  return m ? 4 * Number(m[1]) : undefined;
}

type VcpuOrigin = { readonly kind: "published"; readonly source: number } | { readonly kind: "derived"; readonly rule: 1 | 2 } | { readonly kind: "unknown" };

interface VcpuRow extends EniRow {
  readonly vcpus: number;
  readonly origin: VcpuOrigin;
}

/** An architecture from a source (its index) or from the family rule; undefined when unknown. */
type ArchOrigin = { readonly arch: Architecture; readonly source: number | "family" } | undefined;

interface Row extends VcpuRow {
  readonly arch: ArchOrigin;
}

function resolveVcpus(eni: readonly EniRow[], sources: readonly Source[]): { rows: VcpuRow[]; published: Map<string, number> } {
  const published = new Map<string, number>();
  const origin = new Map<string, number>();
  sources.forEach((src, index) => {
    for (const [type, n] of src.vcpus) {
      const prev = published.get(type);
      if (prev === undefined) {
        published.set(type, n);
        origin.set(type, index);
      } else if (prev !== n) {
        throw new Error(`${type}: ${sources[origin.get(type)!]!.label} says ${prev} vCPUs, ${src.label} says ${n}`);
      }
    }
  });
  const familyMax = new Map<string, number>();
  for (const [type, n] of published) familyMax.set(family(type), Math.max(n, familyMax.get(family(type)) ?? 0));

  const rows = eni.map((r): VcpuRow => {
    const p = published.get(r.instanceType);
    if (p !== undefined) return { ...r, vcpus: p, origin: { kind: "published", source: origin.get(r.instanceType)! } };
    const sizeName = size(r.instanceType);
    const fam = familyMax.get(family(r.instanceType));
    if (sizeName === "metal" && fam !== undefined) return { ...r, vcpus: fam, origin: { kind: "derived", rule: 1 } };
    const bySize = vcpusFromSizeName(sizeName);
    if (bySize !== undefined) return { ...r, vcpus: bySize, origin: { kind: "derived", rule: 2 } };
    return { ...r, vcpus: 0, origin: { kind: "unknown" } };
  });
  return { rows, published };
}

/**
 * The first source's architecture of every instance type, with that source's index; two sources that
 * disagree are an error. Names without a dot are skipped: the 2021 autoscaler list also has
 * family-level entries such as `c6g`, which are no instance type and would blur the family rule.
 */
function publishedArchitectures(sources: readonly Source[]): Map<string, { readonly arch: Architecture; readonly source: number }> {
  const published = new Map<string, { readonly arch: Architecture; readonly source: number }>();
  sources.forEach((src, index) => {
    for (const [type, arch] of src.arch) {
      if (!type.includes(".")) continue;
      const prev = published.get(type);
      if (prev === undefined) published.set(type, { arch, source: index });
      else if (prev.arch !== arch) throw new Error(`${type}: ${sources[prev.source]!.label} says ${prev.arch}, ${src.label} says ${arch}`);
    }
  });
  return published;
}

/** The one architecture of a family's published types (other than `except`), or undefined if none or mixed. */
function familyArchitecture(published: ReadonlyMap<string, { readonly arch: Architecture }>, fam: string, except?: string): Architecture | undefined {
  const found = new Set<Architecture>();
  for (const [type, { arch }] of published) if (type !== except && family(type) === fam) found.add(arch);
  return found.size === 1 ? [...found][0] : undefined;
}

function resolveArchitectures(rows: readonly VcpuRow[], published: ReadonlyMap<string, { readonly arch: Architecture; readonly source: number }>): Row[] {
  return rows.map((r): Row => {
    const p = published.get(r.instanceType);
    if (p !== undefined) return { ...r, arch: p };
    const f = familyArchitecture(published, family(r.instanceType));
    return { ...r, arch: f === undefined ? undefined : { arch: f, source: "family" } };
  });
}

/** How often the family rule gives a published type's architecture from the rest of its family (printed, for the reviewer). */
function archRuleAccuracy(published: ReadonlyMap<string, { readonly arch: Architecture }>): string {
  let applies = 0;
  let agrees = 0;
  for (const [type, { arch }] of published) {
    const f = familyArchitecture(published, family(type), type);
    if (f !== undefined) {
      applies++;
      if (f === arch) agrees++;
    }
  }
  return `the family rule gives the published architecture for ${agrees} of ${applies} types`;
}

/** How often the derivation rules agree with the published figures (printed, for the reviewer). */
function ruleAccuracy(published: ReadonlyMap<string, number>): string {
  const familyMaxExcluding = (t: string): number | undefined => {
    let max: number | undefined;
    for (const [other, n] of published) if (other !== t && family(other) === family(t) && size(other) !== "metal") max = Math.max(n, max ?? 0);
    return max;
  };
  let r1 = 0;
  let r1ok = 0;
  let r2 = 0;
  let r2ok = 0;
  for (const [type, n] of published) {
    const s = size(type);
    if (s === "metal") {
      const d = familyMaxExcluding(type);
      if (d !== undefined) {
        r1++;
        if (d === n) r1ok++;
      }
    } else {
      const d = vcpusFromSizeName(s);
      if (d !== undefined) {
        r2++;
        if (d === n) r2ok++;
      }
    }
  }
  return `d1 gives the published count for ${r1ok} of ${r1} .metal types, d2 for ${r2ok} of ${r2} sized types`;
}

const HYPERVISOR_CODE: Record<Hypervisor, string> = { nitro: "n", xen: "x", unknown: "u" };

function originCode(o: VcpuOrigin): string {
  switch (o.kind) {
    case "published":
      return String(o.source);
    case "derived":
      return `d${o.rule}`;
    case "unknown":
      return "?";
  }
}

function archCode(a: ArchOrigin): string {
  return a === undefined ? "?" : `${a.arch}${a.source === "family" ? "*" : ""}`;
}

function render(rows: readonly Row[], sources: readonly Source[], eniFile: string, accuracy: string, archAccuracy: string): string {
  const count = (pred: (r: Row) => boolean): number => rows.filter(pred).length;
  const perSource = sources.map((s, i) => ` *   [${i}] ${s.label} — ${count((r) => r.origin.kind === "published" && r.origin.source === i)} types`);
  const derived = rows.filter((r) => r.origin.kind === "derived").map((r) => `${r.instanceType}=${r.vcpus}`);
  const unknown = rows.filter((r) => r.origin.kind === "unknown").map((r) => r.instanceType);
  const perSourceArch = sources.map((_, i) => ` *   [${i}] ${count((r) => r.arch?.source === i)} types`);
  const archDerived = rows.filter((r) => r.arch?.source === "family").map((r) => `${r.instanceType}=${r.arch!.arch}`);
  const archUnknown = rows.filter((r) => r.arch === undefined).map((r) => r.instanceType);
  const wrap = (items: readonly string[]): string[] => {
    const out: string[] = [];
    let line = "";
    for (const item of items) {
      if (line && line.length + item.length + 2 > 96) {
        out.push(` *     ${line}`);
        line = "";
      }
      line = line ? `${line}, ${item}` : item;
    }
    if (line) out.push(` *     ${line}`);
    return out.length > 0 ? out : [" *     (none)"];
  };
  const body = rows
    .map((r) => [r.instanceType, r.enis, r.ipv4PerEni, HYPERVISOR_CODE[r.hypervisor], r.bareMetal ? 1 : 0, r.vcpus, originCode(r.origin), archCode(r.arch)].join(" "))
    .join("\n");
  const lines = [
    "/**",
    " * GENERATED FILE — DO NOT EDIT. Regenerate with `scripts/gen-instance-limits.ts` (see its header",
    " * for the command) and commit the result. Read by `modules/network/max-pods.ts`.",
    " *",
    " * Per EC2 instance type: ENIs on the default network card, IPv4 addresses per ENI, hypervisor,",
    " * bare-metal flag, default vCPU count and where that vCPU count came from, CPU architecture.",
    " *",
    " * ENI / IPv4 / hypervisor / bare-metal source (one row per type the VPC CNI knows):",
    ` *   ${ENI_SOURCE.repository}@${ENI_SOURCE.commit}`,
    ` *   path ${ENI_SOURCE.path}, ${ENI_SOURCE.date}`,
    ` *   (${ENI_SOURCE.note}),`,
    ` *   via ${basename(eniFile)} (the ENILimit / IPv4Limit / HypervisorType / IsBareMetal fields;`,
    " *   ENILimit counts the DEFAULT network card only).",
    " *",
    " * Default vCPU and architecture sources, highest priority first (the first that lists a type",
    " * wins; no two sources disagree on any type); vCPU counts per source:",
    ...perSource,
    " *",
    ` * DERIVED vCPU counts (no source above lists the type) — ${plural(derived.length)}, marked d1/d2:`,
    " *   d1: `<family>.metal`: the largest published count of the same family;",
    " *   d2: from the size name: large = 2, xlarge = 4, <N>xlarge and metal-<N>xl = 4 × N.",
    " *   Checked against the published counts:",
    ` *   ${accuracy}.`,
    ...wrap(derived),
    ` * UNKNOWN vCPU counts (no source and no rule applies) — ${plural(unknown.length)}, marked "?", stored as 0:`,
    ...wrap(unknown),
    " *",
    " * CPU architecture (EC2's x86_64 or arm64; the sources write x86_64 as Kubernetes' amd64) from the",
    " * same sources, same priority (no two sources disagree on any type); types per source:",
    ...perSourceArch,
    ` * DERIVED architectures (no source lists the type) — ${plural(archDerived.length)}, marked "*": the one`,
    " *   architecture of every published type of the same family (the part before the dot). Checked:",
    ` *   ${archAccuracy}.`,
    ...wrap(archDerived),
    ` * UNKNOWN architectures (no source and a family with none or several) — ${plural(archUnknown.length)}, marked "?":`,
    ...wrap(archUnknown),
    " *",
    ` * ${rows.length} types in all. Row format, space separated, sorted by instance type:`,
    " *   instanceType enis ipv4PerEni hypervisor(n=nitro x=xen u=unknown) bareMetal(1/0) vcpus vcpuOrigin arch",
    " * where vcpuOrigin is a source index above (published), d1/d2 (derived) or ? (unknown), and arch is",
    " * x86_64 or arm64 (published), the same with * (derived) or ? (unknown).",
    " */",
    "",
    "/** Where each published vCPU count and architecture came from; a row's numeric vcpuOrigin indexes this list. */",
    `export const INSTANCE_SOURCES: readonly string[] = ${JSON.stringify(sources.map((s) => s.label), null, 2)};`,
    "",
    "/** Where the ENI / IPv4 / hypervisor / bare-metal figures came from. */",
    `export const ENI_SOURCE = ${JSON.stringify(ENI_SOURCE, null, 2)} as const;`,
    "",
    "/** The rows, one per line (format in the header). Parsed lazily by `max-pods.ts`. */",
    `export const INSTANCE_LIMITS_DATA = \`${body}\`;`,
    "",
  ];
  return lines.join("\n");
}

function plural(n: number): string {
  return `${n} type${n === 1 ? "" : "s"}`;
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

function main(argv: readonly string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\nusage: gen-instance-limits.ts --eni FILE --vcpus LABEL=FILE [--vcpus LABEL=FILE ...] [--out FILE] [--check]\n`);
      return 2;
    }
    throw e;
  }
  const eni = readEniTsv(args.eni).sort((a, b) => (a.instanceType < b.instanceType ? -1 : a.instanceType > b.instanceType ? 1 : 0));
  const sources = args.vcpus.map(({ label, file }) => readSource(label, file));
  const { rows: vcpuRows, published } = resolveVcpus(eni, sources);
  const archs = publishedArchitectures(sources);
  const rows = resolveArchitectures(vcpuRows, archs);
  const accuracy = ruleAccuracy(published);
  const archAccuracy = archRuleAccuracy(archs);
  const text = render(rows, sources, args.eni, accuracy, archAccuracy);

  const counts = { published: 0, derived: 0, unknown: 0 };
  for (const r of rows) counts[r.origin.kind]++;
  const archCounts = { published: rows.filter((r) => typeof r.arch?.source === "number").length, derived: rows.filter((r) => r.arch?.source === "family").length };
  process.stderr.write(`${rows.length} types: ${counts.published} published vCPUs, ${counts.derived} derived, ${counts.unknown} unknown\n`);
  process.stderr.write(`${accuracy}\n`);
  process.stderr.write(`architectures: ${archCounts.published} published, ${archCounts.derived} derived, ${rows.length - archCounts.published - archCounts.derived} unknown; ${archAccuracy}\n`);

  const shown = relative(process.cwd(), args.out) || args.out;
  if (args.check) {
    let current = "";
    try {
      current = readFileSync(args.out, "utf8");
    } catch {
      // missing counts as different
    }
    if (current !== text) {
      process.stderr.write(`${shown} is out of date\n`);
      return 1;
    }
    process.stderr.write(`${shown} is up to date\n`);
    return 0;
  }
  writeFileSync(args.out, text);
  process.stderr.write(`wrote ${shown}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
