/**
 * IP headroom, live: alert rules on the VPC CNI's own metrics against each planned subnet's size, and
 * a Grafana dashboard of planned against used addresses per subnet. Pure: no cdktf.
 *
 * Metric names from aws/amazon-vpc-cni-k8s utils/prometheusmetrics/prometheusmetrics.go (commit
 * 02488bbefa9cd1f3ac37dec4c7cab6fea473e266), served by ipamd on each node (`aws-node`, port 61678):
 *   awscni_total_ip_addresses     gauge   addresses the node holds on its ENIs (assigned + warm pool)
 *   awscni_assigned_ip_addresses  gauge   addresses assigned to pods
 *   awscni_ip_max                 gauge   the most addresses the instance can hold
 *   awscni_eni_allocated          gauge   ENIs attached
 *   awscni_eni_max                gauge   the most ENIs the instance can attach
 *   awscni_no_available_ip_addresses  counter  pod IP assignments that failed for lack of an address
 *   awscni_ipamd_error_count      counter (fn)          ipamd errors
 *   awscni_aws_api_error_count    counter (api, error)  EC2 API errors
 * The gauges carry no subnet or zone, so the rules join them on the node (the PodMonitor copies the
 * pod's node name into `node`) with kube-state-metrics' `kube_node_labels`, whose
 * `label_topology_kubernetes_io_zone` kube-state-metrics exports once the zone label is allow-listed
 * (`--metric-labels-allowlist=nodes=[topology.kubernetes.io/zone]`).
 *
 * Which tier pods draw from: the private subnets (secondary IPs, prefix delegation) or the pod subnets
 * (custom networking: pod ENIs live in the secondary CIDR's subnets). A node's addresses, warm pool
 * included, come out of that tier's subnet in its AZ, so the sum over the AZ's nodes of
 * `awscni_total_ip_addresses` is what the CNI takes from the subnet (with prefix delegation, the /28
 * prefixes' addresses, which come from the subnet's prefix reservation).
 */
import type { TierCapacity, IpPlan } from "../../modules/network/ip-plan";
import type { SubnetTier } from "../../modules/network/address-demand";
import type { AlertRule, RuleGroup } from "./rules";

/** Pod networking modes of the cluster config. */
export type PodNetworking = "secondary-ip" | "prefix-delegation" | "custom-networking";

/** Addresses in a /28 prefix (prefix delegation). */
export const ADDRESSES_PER_PREFIX = 16;

/** Share of a subnet's pod addresses in use at which the warning and the critical alert fire. */
export const IP_HEADROOM_THRESHOLDS = { warning: 0.8, critical: 0.9 } as const;

/** The zone label of `kube_node_labels` (kube-state-metrics sanitises `topology.kubernetes.io/zone`). */
export const ZONE_LABEL = "label_topology_kubernetes_io_zone";

/** The node label kube-state-metrics must export for the join. */
export const ZONE_NODE_LABEL = "topology.kubernetes.io/zone";

/** The tier whose subnets hand out pod addresses in each mode. */
export function podAddressTier(mode: PodNetworking): SubnetTier {
  return mode === "custom-networking" ? "pods" : "private";
}

/** The planned subnets (one row per AZ) pods draw addresses from. */
export function podAddressCapacity(plan: IpPlan, mode: PodNetworking): TierCapacity[] {
  const tier = podAddressTier(mode);
  return plan.capacity.filter((c) => c.tier === tier);
}

/**
 * Addresses the CNI may take from the AZ's subnets for pods: the prefix reservations' addresses with
 * prefix delegation, the usable single addresses otherwise.
 */
export function plannedPodAddresses(row: TierCapacity): number {
  return row.prefixes ? row.prefixes.capacity * ADDRESSES_PER_PREFIX : row.usable;
}

/** Addresses the CNI holds on the nodes of one AZ (assigned and warm). */
export function addressesInZone(az: string, metric = "awscni_total_ip_addresses"): string {
  return `sum(${metric} * on(node) group_left() max by (node) (kube_node_labels{${ZONE_LABEL}="${az}"}))`;
}

/** The threshold in addresses: `share` of `planned`, rounded down (an alert a little early, never late). */
export function thresholdAddresses(planned: number, share: number): number {
  return Math.floor(planned * share);
}

/**
 * Two rules per planned subnet (tier and AZ): warning at 80 % and critical at 90 % of the addresses
 * the plan gives pods there, with the numbers written into the expression (what the plan promised is
 * fixed at synthesis; a re-plan changes the rule).
 */
export function subnetHeadroomRules(plan: IpPlan, mode: PodNetworking): AlertRule[] {
  return podAddressCapacity(plan, mode).flatMap((row) => {
    const planned = plannedPodAddresses(row);
    const subnet = `${row.tier}/${row.az} (${row.subnets.join(", ")})`;
    return (["warning", "critical"] as const).map(
      (severity): AlertRule => ({
        alert: severity === "warning" ? "SubnetIpHeadroomLow" : "SubnetIpHeadroomExhausted",
        expr: `${addressesInZone(row.az)} > ${thresholdAddresses(planned, IP_HEADROOM_THRESHOLDS[severity])}`,
        for: severity === "warning" ? "30m" : "10m",
        labels: { severity },
        annotations: {
          summary: `Subnet ${subnet}: the VPC CNI holds more than ${IP_HEADROOM_THRESHOLDS[severity] * 100} % of the ${planned} addresses planned for pods.`,
          description: "Pods will fail to start with no free IP once it runs out. Re-plan (npm run ipplan), add a subnet, or lower WARM_IP_TARGET.",
        },
      }),
    );
  });
}

/** Node-level exhaustion and allocation errors, independent of the plan. */
export const NODE_IP_RULES: readonly AlertRule[] = [
  {
    alert: "NodeEniExhausted",
    expr: "max by (node) (awscni_eni_allocated) >= max by (node) (awscni_eni_max)",
    for: "15m",
    labels: { severity: "warning" },
    annotations: { summary: "Node {{ $labels.node }} has attached all the ENIs its instance type allows." },
  },
  {
    alert: "NodeIpPoolExhausted",
    expr: "max by (node) (awscni_assigned_ip_addresses) >= max by (node) (awscni_ip_max)",
    for: "15m",
    labels: { severity: "warning" },
    annotations: { summary: "Every address node {{ $labels.node }} can hold is assigned to a pod." },
  },
  {
    alert: "NodeWarmIpPoolEmpty",
    expr: "max by (node) (awscni_total_ip_addresses - awscni_assigned_ip_addresses) == 0 and max by (node) (awscni_total_ip_addresses) < max by (node) (awscni_ip_max)",
    for: "15m",
    labels: { severity: "warning" },
    annotations: { summary: "Node {{ $labels.node }} has no warm address although its instance could hold more: the subnet may be full." },
  },
  {
    alert: "PodIpAllocationFailures",
    expr: "sum by (node) (increase(awscni_no_available_ip_addresses[10m])) > 0",
    for: "5m",
    labels: { severity: "critical" },
    annotations: { summary: "Pods on {{ $labels.node }} could not get an IP address." },
  },
  {
    alert: "VpcCniAwsApiErrors",
    expr: "sum by (api, error) (increase(awscni_aws_api_error_count[10m])) > 0",
    for: "15m",
    labels: { severity: "warning" },
    annotations: { summary: "The VPC CNI's {{ $labels.api }} calls fail with {{ $labels.error }} (subnet full, ENI limits or throttling)." },
  },
  {
    alert: "VpcCniIpamdErrors",
    expr: "sum by (fn) (increase(awscni_ipamd_error_count[10m])) > 0",
    for: "15m",
    labels: { severity: "warning" },
    annotations: { summary: "ipamd reports errors in {{ $labels.fn }}." },
  },
];

/** The `ip-headroom` rule group of an environment. */
export function ipHeadroomRuleGroup(plan: IpPlan, mode: PodNetworking): RuleGroup {
  return { name: "ip-headroom", rules: [...subnetHeadroomRules(plan, mode), ...NODE_IP_RULES] };
}

/**
 * The PodMonitor (kube-prometheus-stack's `prometheus.additionalPodMonitors` form) scraping ipamd on
 * every node: the `aws-node` pods of kube-system (label `k8s-app: aws-node`), container port
 * `metrics` (61678), with the pod's node copied into `node` for the zone join.
 */
export function awsNodePodMonitor() {
  return {
    name: "aws-node",
    namespaceSelector: { matchNames: ["kube-system"] },
    selector: { matchLabels: { "k8s-app": "aws-node" } },
    podMetricsEndpoints: [
      {
        port: "metrics",
        path: "/metrics",
        relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "node", action: "replace" }],
      },
    ],
  };
}

/**
 * A Grafana dashboard of planned against used addresses per subnet: one row per subnet with its CIDR,
 * the planned pod addresses (a constant from the plan), the addresses the CNI holds and those assigned
 * to pods in its AZ, and the thresholds of the alerts. Grafana's dashboard JSON model (schemaVersion 39).
 */
export function ipHeadroomDashboard(plan: IpPlan, mode: PodNetworking, datasourceUid: string): Record<string, unknown> {
  const ds = { type: "prometheus", uid: datasourceUid };
  const rows = podAddressCapacity(plan, mode);
  const panels = rows.map((row, i) => {
    const planned = plannedPodAddresses(row);
    return {
      id: i + 1,
      type: "timeseries",
      title: `${row.tier}/${row.az} — ${row.subnets.join(", ")}`,
      description: `Planned for pods: ${planned} addresses (reserved block ${row.reserved}). Alerts at ${thresholdAddresses(planned, IP_HEADROOM_THRESHOLDS.warning)} and ${thresholdAddresses(planned, IP_HEADROOM_THRESHOLDS.critical)}.`,
      datasource: ds,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: "none", min: 0 }, overrides: [] },
      targets: [
        { refId: "A", datasource: ds, expr: `vector(${planned})`, legendFormat: "planned" },
        { refId: "B", datasource: ds, expr: addressesInZone(row.az), legendFormat: "held by the CNI (assigned + warm)" },
        { refId: "C", datasource: ds, expr: addressesInZone(row.az, "awscni_assigned_ip_addresses"), legendFormat: "assigned to pods" },
        { refId: "D", datasource: ds, expr: `vector(${thresholdAddresses(planned, IP_HEADROOM_THRESHOLDS.warning)})`, legendFormat: "warning threshold" },
      ],
    };
  });
  return {
    uid: "platform-ip-headroom",
    title: "Platform / IP headroom (planned vs used)",
    tags: ["platform", "network"],
    timezone: "utc",
    schemaVersion: 39,
    editable: false,
    time: { from: "now-7d", to: "now" },
    panels,
  };
}
