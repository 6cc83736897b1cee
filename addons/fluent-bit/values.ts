/**
 * Values of the Fluent Bit chart (see `FLUENT_BIT_CHART` for the keys read from the chart) and the
 * classic-mode pipeline they carry, built from plain inputs. Pure: no cdktf, testable on its own.
 *
 * Pipeline (plugin parameters from fluent/fluent-bit-docs at commit f92ae080:
 * pipeline/inputs/tail.md, pipeline/inputs/systemd.md, pipeline/filters/kubernetes.md,
 * pipeline/outputs/cloudwatch.md, pipeline/outputs/opensearch.md):
 *
 *   containers  tail /var/log/containers/*.log (without the dataplane pods) ─ kubernetes filter ─┐
 *   dataplane   tail aws-node and kube-proxy container logs               ─ kubernetes filter ─┼─▶ cloudwatch_logs (+ opensearch)
 *   nodes       systemd journal: kubelet.service, containerd.service                            ─┘
 *
 * Each kind goes to its own CloudWatch log group, created by Terraform (`auto_create_group false`,
 * no `log_retention_days`, so the role needs neither `logs:CreateLogGroup` nor
 * `logs:PutRetentionPolicy`). Stream names come from record fields (`log_stream_template`, record
 * accessor syntax: one stream per container, one per node for the journal), so the pods need no
 * node-name environment variable.
 */
import type { ContainerResources } from "../../modules/kubernetes/resources";
import type { Values } from "../../modules/helm/values";
import { CRITICAL_ADDONS_TOLERATION } from "../context";

/** The kinds of logs Fluent Bit ships, each to its own log group (fixed keys, never a list). */
export const FLUENT_BIT_LOG_KINDS = ["containers", "nodes", "dataplane"] as const;
export type FluentBitLogKind = (typeof FLUENT_BIT_LOG_KINDS)[number];

/** Log group names by kind. */
export type FluentBitLogGroupNames = Readonly<Record<FluentBitLogKind, string>>;

/** `/aws/eks/<cluster>/containers`, `/aws/eks/<cluster>/nodes`, `/aws/eks/<cluster>/dataplane`. */
export function fluentBitLogGroupNames(clusterName: string): FluentBitLogGroupNames {
  return {
    containers: `/aws/eks/${clusterName}/containers`,
    nodes: `/aws/eks/${clusterName}/nodes`,
    dataplane: `/aws/eks/${clusterName}/dataplane`,
  };
}

/** Host directory (hostPath) where Fluent Bit keeps its tail offsets and journal cursor. */
export const FLUENT_BIT_STATE_DIR = "/var/fluent-bit/state";

/** Container log files of the dataplane DaemonSets (VPC CNI `aws-node`, `kube-proxy`), as tail patterns. */
export const DATAPLANE_LOG_PATHS = ["/var/log/containers/aws-node-*.log", "/var/log/containers/kube-proxy-*.log"] as const;

/** systemd units whose journal entries are the node logs. */
export const NODE_SYSTEMD_UNITS = ["kubelet.service", "containerd.service"] as const;

/** Tag prefix of each kind (`<prefix>.*`; tail expands `*` to the file path with `/` → `.`). */
const TAG: Readonly<Record<FluentBitLogKind, string>> = { containers: "kube", dataplane: "dataplane", nodes: "node" };

/** Where Fluent Bit also writes when the environment has an Amazon OpenSearch Service domain. */
export interface FluentBitOpenSearchOutput {
  /** Domain endpoint host name (no scheme). */
  readonly host: string;
  /** Region of the domain (SigV4 signing region). */
  readonly region: string;
  /** Index prefix; indices are `<prefix>-<kind>-YYYY.MM.DD`. */
  readonly indexPrefix: string;
}

/** Where Fluent Bit also writes when the environment runs Loki (its gateway, plain HTTP inside the cluster). */
export interface FluentBitLokiOutput {
  /** Host name of the gateway Service. */
  readonly host: string;
  readonly port: number;
}

/**
 * Loki stream labels of each kind (the `loki` output's `Labels`, record accessors for the Kubernetes
 * metadata): few and bounded, so that streams stay few; everything else stays in the line (JSON).
 */
export const LOKI_LABELS: Readonly<Record<FluentBitLogKind, string>> = {
  containers: "job=fluent-bit, kind=containers, namespace=$kubernetes['namespace_name'], pod=$kubernetes['pod_name'], container=$kubernetes['container_name']",
  dataplane: "job=fluent-bit, kind=dataplane, namespace=$kubernetes['namespace_name'], pod=$kubernetes['pod_name'], container=$kubernetes['container_name']",
  nodes: "job=fluent-bit, kind=nodes, node=$_HOSTNAME",
};

export interface FluentBitValuesInput {
  /** Name of the ServiceAccount the chart creates (the IRSA role trusts exactly this name). */
  readonly serviceAccountName: string;
  /** Annotations of the ServiceAccount (`eks.amazonaws.com/role-arn`). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Region of the CloudWatch log groups. */
  readonly region: string;
  readonly logGroupNames: FluentBitLogGroupNames;
  /** Also ship every kind to OpenSearch. */
  readonly openSearch?: FluentBitOpenSearchOutput;
  /** Also ship every kind to Loki. */
  readonly loki?: FluentBitLokiOutput;
  /**
   * Create the chart's ServiceMonitor (templates/servicemonitor.yaml; needs the Prometheus Operator CRDs)
   * so that the output error and retry metrics are scraped.
   * @default false
   */
  readonly serviceMonitor?: boolean;
  readonly resources: ContainerResources;
}

type Entry = readonly [key: string, value: string | number];

/** One classic-mode section (`[INPUT]`, `[FILTER]`, `[OUTPUT]`) with aligned keys; keys may repeat. */
export function classicSection(kind: "INPUT" | "FILTER" | "OUTPUT", entries: readonly Entry[]): string {
  const width = Math.max(...entries.map(([key]) => key.length));
  return [`[${kind}]`, ...entries.map(([key, value]) => `    ${key.padEnd(width)} ${value}`)].join("\n");
}

const sections = (kind: "INPUT" | "FILTER" | "OUTPUT", list: readonly (readonly Entry[])[]) =>
  `${list.map((entries) => classicSection(kind, entries)).join("\n\n")}\n`;

function inputs(): string {
  const tail = (alias: FluentBitLogKind, paths: string, extra: readonly Entry[], memBufLimit: string): Entry[] => [
    ["Name", "tail"],
    ["Alias", alias],
    ["Tag", `${TAG[alias]}.*`],
    ["Path", paths],
    ...extra,
    ["multiline.parser", "cri"],
    ["DB", `${FLUENT_BIT_STATE_DIR}/${alias}.db`],
    ["DB.locking", "true"],
    ["Mem_Buf_Limit", memBufLimit],
    ["Skip_Long_Lines", "On"],
    ["Refresh_Interval", 10],
  ];
  return sections("INPUT", [
    tail("containers", "/var/log/containers/*.log", [["Exclude_Path", DATAPLANE_LOG_PATHS.join(",")]], "50MB"),
    tail("dataplane", DATAPLANE_LOG_PATHS.join(","), [], "10MB"),
    [
      ["Name", "systemd"],
      ["Alias", "nodes"],
      ["Tag", `${TAG.nodes}.*`],
      ["Path", "/var/log/journal"],
      ...NODE_SYSTEMD_UNITS.map((unit): Entry => ["Systemd_Filter", `_SYSTEMD_UNIT=${unit}`]),
      ["Systemd_Filter_Type", "Or"],
      ["DB", `${FLUENT_BIT_STATE_DIR}/nodes.db`],
      ["Read_From_Tail", "On"],
      ["Mem_Buf_Limit", "10MB"],
    ],
  ]);
}

function filters(): string {
  const kubernetes = (alias: "containers" | "dataplane"): Entry[] => [
    ["Name", "kubernetes"],
    ["Alias", alias],
    ["Match", `${TAG[alias]}.*`],
    ["Kube_Tag_Prefix", `${TAG[alias]}.var.log.containers.`],
    ["Merge_Log", "On"],
    // Parsed JSON goes under one key, so two apps with the same field of different types do not
    // clash in an OpenSearch mapping.
    ["Merge_Log_Key", "log_processed"],
    ["Keep_Log", "Off"],
    ["K8S-Logging.Parser", "On"],
    ["K8S-Logging.Exclude", "On"],
    ["Labels", "On"],
    ["Annotations", "Off"],
    // No limit on the API server response: large pod specs would otherwise lose their metadata.
    ["Buffer_Size", 0],
  ];
  return sections("FILTER", [kubernetes("containers"), kubernetes("dataplane")]);
}

/** Stream per container (namespace.pod.container) or per node (journal `_HOSTNAME`). */
const STREAM_TEMPLATE: Readonly<Record<FluentBitLogKind, string>> = {
  containers: "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
  dataplane: "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
  nodes: "$_HOSTNAME",
};

function outputs(input: FluentBitValuesInput): string {
  const cloudWatch = FLUENT_BIT_LOG_KINDS.map((kind): Entry[] => [
    ["Name", "cloudwatch_logs"],
    ["Alias", `cloudwatch-${kind}`],
    ["Match", `${TAG[kind]}.*`],
    ["region", input.region],
    ["log_group_name", input.logGroupNames[kind]],
    // Fallback when the template cannot be resolved (the tag is appended to it).
    ["log_stream_prefix", `${kind}.`],
    ["log_stream_template", STREAM_TEMPLATE[kind]],
    ["auto_create_group", "false"],
    ["Retry_Limit", 5],
  ]);
  const os = input.openSearch;
  const openSearch = os
    ? FLUENT_BIT_LOG_KINDS.map((kind): Entry[] => [
        ["Name", "opensearch"],
        ["Alias", `opensearch-${kind}`],
        ["Match", `${TAG[kind]}.*`],
        ["Host", os.host],
        ["Port", 443],
        ["tls", "On"],
        ["AWS_Auth", "On"],
        ["AWS_Region", os.region],
        // OpenSearch 2.0+ rejects `_type` in bulk requests.
        ["Suppress_Type_Name", "On"],
        ["Logstash_Format", "On"],
        ["Logstash_Prefix", `${os.indexPrefix}-${kind}`],
        // Label keys such as `app.kubernetes.io/name` would otherwise become object paths.
        ["Replace_Dots", "On"],
        // `_id` from the record hash: a retried chunk does not index the same records twice.
        ["Generate_ID", "On"],
        ["Trace_Error", "On"],
        ["Retry_Limit", 5],
      ])
    : [];
  const lk = input.loki;
  // Output plugin `loki` (https://docs.fluentbit.io/manual/pipeline/outputs/loki): host, port, labels.
  const loki = lk
    ? FLUENT_BIT_LOG_KINDS.map((kind): Entry[] => [
        ["Name", "loki"],
        ["Alias", `loki-${kind}`],
        ["Match", `${TAG[kind]}.*`],
        ["Host", lk.host],
        ["Port", lk.port],
        ["Labels", LOKI_LABELS[kind]],
        ["Line_Format", "json"],
        ["Retry_Limit", 5],
      ])
    : [];
  return sections("OUTPUT", [...cloudWatch, ...openSearch, ...loki]);
}

/** The classic-mode `[INPUT]`, `[FILTER]` and `[OUTPUT]` sections (the chart's `config.*` keys). */
export function fluentBitPipeline(input: FluentBitValuesInput): { inputs: string; filters: string; outputs: string } {
  return { inputs: inputs(), filters: filters(), outputs: outputs(input) };
}

/** The chart values: one Fluent Bit pod on every node, tainted ones included. */
export function fluentBitValues(input: FluentBitValuesInput): Values {
  return {
    kind: "DaemonSet",
    serviceAccount: { create: true, name: input.serviceAccountName, annotations: { ...input.serviceAccountAnnotations } },
    rbac: { create: true },
    // The chart's test pod runs busybox:latest; nothing here uses `helm test`.
    testFramework: { enabled: false },
    priorityClassName: "system-node-critical",
    // A node agent tolerates every taint (`operator: Exists` without a key), so it also runs on the
    // `system` node group (CriticalAddonsOnly) and on nodes being drained or not ready.
    tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }, { operator: "Exists" }],
    resources: { requests: { ...input.resources.requests }, limits: { ...input.resources.limits } },
    // Root (the files under /var/log are root-owned, mode 0640) but no capabilities and a
    // read-only image; the only writable path is the state directory.
    securityContext: {
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    },
    daemonSetVolumes: [
      { name: "varlog", hostPath: { path: "/var/log" } },
      { name: "etcmachineid", hostPath: { path: "/etc/machine-id", type: "File" } },
      { name: "state", hostPath: { path: FLUENT_BIT_STATE_DIR, type: "DirectoryOrCreate" } },
    ],
    daemonSetVolumeMounts: [
      { name: "varlog", mountPath: "/var/log", readOnly: true },
      { name: "etcmachineid", mountPath: "/etc/machine-id", readOnly: true },
      { name: "state", mountPath: FLUENT_BIT_STATE_DIR },
    ],
    config: fluentBitPipeline(input),
    ...(input.serviceMonitor ? { serviceMonitor: { enabled: true } } : {}),
  };
}
