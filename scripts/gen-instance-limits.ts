/**
 * Generates `modules/network/data/instance-limits.ts`, the per-instance-type data behind
 * `modules/network/max-pods.ts`: ENIs on the default network card, IPv4 addresses per ENI,
 * hypervisor, bare-metal flag and default vCPU count.
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
 * `--vcpus LABEL=FILE` (repeatable, highest priority first): a source of default vCPU counts.
 *   LABEL names the source in the generated header (repository@commit:path and a note). The
 *   format is chosen by the file name:
 *   - `*.md`: aws/karpenter-provider-aws `website/content/en/<version>/reference/instance-types.md`
 *     (a `### \`type\`` heading followed by a `|karpenter.k8s.aws/instance-cpu|N|` label row);
 *   - `*.go`: kubernetes/autoscaler `cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go`
 *     (`InstanceType: "type",` followed by `VCPU: N,`);
 *   - `*.tsv`: two columns `instance_type<TAB>vcpus`, `#` comments and a header row allowed.
 *   The first source that lists a type wins; a type listed by two sources with different counts
 *   is an error.
 *
 * Types no source lists get a DERIVED count, marked as such in the data:
 *   1. `<family>.metal`: the largest published count in the same family (a bare-metal instance
 *      exposes the whole host, usually the family's largest size);
 *   2. otherwise from the size name: `large` = 2, `xlarge` = 4, `<N>xlarge` and `metal-<N>xl` = 4 × N;
 *   3. otherwise UNKNOWN, stored as 0 vCPUs (so the max-pods cap falls back to the lower 110).
 *   The generator prints how often rules 1 and 2 agree with the published figures.
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
 *   The labels are the exact strings of `VCPU_SOURCES` in the data file; pass them unchanged and
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

interface VcpuSource {
  readonly label: string;
  readonly file: string;
  readonly vcpus: ReadonlyMap<string, number>;
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

/** karpenter-provider-aws instance-types.md: "### `m5.large`" ... " |karpenter.k8s.aws/instance-cpu|2|". */
function readKarpenterMarkdown(file: string): Map<string, number> {
  const map = new Map<string, number>();
  let current: string | undefined;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const heading = /^### `([^`]+)`\s*$/.exec(line);
    if (heading) {
      current = heading[1];
      continue;
    }
    const cpu = /^\s*\|karpenter\.k8s\.aws\/instance-cpu\|(\d+)\|\s*$/.exec(line);
    if (cpu) {
      if (current === undefined) throw new Error(`${file}: instance-cpu label outside an instance type section`);
      addVcpu(map, file, current, cpu[1]!);
    }
  }
  return map;
}

/** cluster-autoscaler ec2_instance_types.go: `InstanceType: "m5.large",` then `VCPU: 2,`. */
function readAutoscalerGo(file: string): Map<string, number> {
  const map = new Map<string, number>();
  let current: string | undefined;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const type = /^\s*InstanceType:\s*"([^"]+)",\s*$/.exec(line);
    if (type) {
      current = type[1];
      continue;
    }
    const cpu = /^\s*VCPU:\s*(\d+),\s*$/.exec(line);
    if (cpu) {
      if (current === undefined) throw new Error(`${file}: VCPU outside an instance type entry`);
      addVcpu(map, file, current, cpu[1]!);
      current = undefined;
    }
  }
  return map;
}

function readVcpuTsv(file: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const [type, count] = line.split("\t");
    if (type === "instance_type") continue;
    addVcpu(map, file, type ?? "", count ?? "");
  }
  return map;
}

function readVcpuSource(label: string, file: string): VcpuSource {
  const vcpus = file.endsWith(".md") ? readKarpenterMarkdown(file) : file.endsWith(".go") ? readAutoscalerGo(file) : file.endsWith(".tsv") ? readVcpuTsv(file) : undefined;
  if (vcpus === undefined) throw new UsageError(`--vcpus ${file}: cannot tell the format (want .md, .go or .tsv)`);
  if (vcpus.size === 0) throw new Error(`${file}: no vCPU counts found`);
  if (/[\n*]/.test(label)) throw new UsageError(`--vcpus label must be one line without '*': ${JSON.stringify(label)}`);
  return { label, file, vcpus };
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

interface Row extends EniRow {
  readonly vcpus: number;
  readonly origin: VcpuOrigin;
}

function resolveVcpus(eni: readonly EniRow[], sources: readonly VcpuSource[]): { rows: Row[]; published: Map<string, number> } {
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

  const rows = eni.map((r): Row => {
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

function render(rows: readonly Row[], sources: readonly VcpuSource[], eniFile: string, accuracy: string): string {
  const count = (pred: (r: Row) => boolean): number => rows.filter(pred).length;
  const perSource = sources.map((s, i) => ` *   [${i}] ${s.label} — ${count((r) => r.origin.kind === "published" && r.origin.source === i)} types`);
  const derived = rows.filter((r) => r.origin.kind === "derived").map((r) => `${r.instanceType}=${r.vcpus}`);
  const unknown = rows.filter((r) => r.origin.kind === "unknown").map((r) => r.instanceType);
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
    .map((r) => [r.instanceType, r.enis, r.ipv4PerEni, HYPERVISOR_CODE[r.hypervisor], r.bareMetal ? 1 : 0, r.vcpus, originCode(r.origin)].join(" "))
    .join("\n");
  const lines = [
    "/**",
    " * GENERATED FILE — DO NOT EDIT. Regenerate with `scripts/gen-instance-limits.ts` (see its header",
    " * for the command) and commit the result. Read by `modules/network/max-pods.ts`.",
    " *",
    " * Per EC2 instance type: ENIs on the default network card, IPv4 addresses per ENI, hypervisor,",
    " * bare-metal flag, default vCPU count and where that vCPU count came from.",
    " *",
    " * ENI / IPv4 / hypervisor / bare-metal source (one row per type the VPC CNI knows):",
    ` *   ${ENI_SOURCE.repository}@${ENI_SOURCE.commit}`,
    ` *   path ${ENI_SOURCE.path}, ${ENI_SOURCE.date}`,
    ` *   (${ENI_SOURCE.note}),`,
    ` *   via ${basename(eniFile)} (the ENILimit / IPv4Limit / HypervisorType / IsBareMetal fields;`,
    " *   ENILimit counts the DEFAULT network card only).",
    " *",
    " * Default vCPU sources, highest priority first (the first that lists a type wins; no two",
    " * sources disagree on any type):",
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
    ` * ${rows.length} types in all. Row format, space separated, sorted by instance type:`,
    " *   instanceType enis ipv4PerEni hypervisor(n=nitro x=xen u=unknown) bareMetal(1/0) vcpus vcpuOrigin",
    " * where vcpuOrigin is a source index above (published), d1/d2 (derived) or ? (unknown).",
    " */",
    "",
    "/** Where each published vCPU count came from; a row's numeric vcpuOrigin indexes this list. */",
    `export const VCPU_SOURCES: readonly string[] = ${JSON.stringify(sources.map((s) => s.label), null, 2)};`,
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
  const sources = args.vcpus.map(({ label, file }) => readVcpuSource(label, file));
  const { rows, published } = resolveVcpus(eni, sources);
  const accuracy = ruleAccuracy(published);
  const text = render(rows, sources, args.eni, accuracy);

  const counts = { published: 0, derived: 0, unknown: 0 };
  for (const r of rows) counts[r.origin.kind]++;
  process.stderr.write(`${rows.length} types: ${counts.published} published vCPUs, ${counts.derived} derived, ${counts.unknown} unknown\n`);
  process.stderr.write(`${accuracy}\n`);

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
