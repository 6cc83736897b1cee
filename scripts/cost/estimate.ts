/**
 * The monthly cost estimate of one environment's synthesized stacks (pure: Terraform JSON in, report
 * out; no cdktf, no network). Each billable resource type has a pricing rule below; every other type
 * synthesized by the platform is listed in `NON_BILLABLE` with the reason. A type in neither, a region
 * without prices or a price the table does not have fails the whole estimate with one list of what is
 * missing: a cost is never silently zero.
 */
import { parse as parseYaml } from "yaml";
import { instanceLimits } from "../../modules/network/max-pods";
import type { StackSet, TfJson } from "../diff/types";
import { HOURS_PER_MONTH, PRICES, type Price, type RegionPrices } from "./data/prices";
import { objectsOf } from "./objects";

/** Usage that no configuration states; printed with every estimate. */
export interface Assumptions {
  /** Spot price as a fraction of on-demand (EC2 Spot is "up to 90%" off; this is a planning figure). */
  readonly spotPriceFraction: number;
  /** GB processed per NAT gateway per month. */
  readonly natGbPerGatewayMonth: number;
  /** Metric samples ingested per Prometheus workspace per month. */
  readonly ampSamplesPerWorkspaceMonth: number;
  /** GB ingested per log group per month. */
  readonly logsGbPerGroupMonth: number;
  /** GB stored per S3 bucket. */
  readonly s3GbPerBucket: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  spotPriceFraction: 0.4,
  natGbPerGatewayMonth: 100,
  ampSamplesPerWorkspaceMonth: 1_000_000_000,
  logsGbPerGroupMonth: 5,
  s3GbPerBucket: 100,
};

export interface MonthlyRange {
  readonly min: number;
  readonly max: number;
}

export interface CostItem {
  readonly stack: string;
  /** Terraform address, `aws_eks_cluster.eks_cluster_ABC`. */
  readonly resource: string;
  readonly description: string;
  readonly monthly: MonthlyRange;
}

export interface CostReport {
  readonly env: string;
  readonly region: string;
  readonly currency: "USD";
  readonly monthly: MonthlyRange;
  readonly items: readonly CostItem[];
  readonly assumptions: readonly string[];
}

/** Thrown when the estimate needs prices (or pricing rules) the repository does not have. */
export class MissingPriceError extends Error {
  readonly missing: readonly string[];
  constructor(env: string, missing: readonly string[]) {
    super(
      `cannot estimate ${env}: ${missing.length} price(s) or pricing rule(s) missing (never counted as zero):\n` +
        missing.map((m) => `  - ${m}`).join("\n") +
        "\nAdd each price with its source and date to scripts/cost/data/prices.ts.",
    );
    this.name = "MissingPriceError";
    this.missing = missing;
  }
}

/** Resource types that cost nothing by themselves, with the reason (their cost, if any, is elsewhere). */
export const NON_BILLABLE: Readonly<Record<string, string>> = {
  aws_cloudwatch_event_rule: "EventBridge rules for AWS service events are free",
  aws_codebuild_project: "per build minute of the CI jobs that run on it (the add-ons plans and applies), no charge while idle",
  aws_codebuild_webhook: "part of the project, no charge",
  aws_cloudwatch_event_target: "part of the rule",
  aws_cloudwatch_log_resource_policy: "IAM-style policy, no charge",
  aws_db_parameter_group: "configuration, no charge",
  aws_db_subnet_group: "configuration, no charge",
  aws_default_security_group: "no charge",
  aws_ec2_subnet_cidr_reservation: "no charge",
  aws_eks_access_entry: "no charge",
  aws_eks_access_policy_association: "no charge",
  aws_eks_pod_identity_association: "no charge (EKS Pod Identity has no charge)",
  aws_eks_addon: "EKS add-ons have no charge; their pods run on the priced nodes",
  aws_eks_identity_provider_config: "no charge",
  aws_flow_log: "charged as ingestion of its CloudWatch log group (priced there)",
  aws_iam_openid_connect_provider: "IAM has no charge",
  aws_iam_policy: "IAM has no charge",
  aws_iam_role: "IAM has no charge",
  aws_iam_role_policy: "IAM has no charge",
  aws_iam_role_policy_attachment: "IAM has no charge",
  aws_internet_gateway: "no hourly charge (data transfer out is not estimated)",
  aws_kms_alias: "the key is priced, the alias is free",
  aws_launch_template: "its root volume is priced with the node group that uses it",
  aws_opensearch_domain_policy: "no charge",
  aws_prometheus_workspace_configuration: "no charge",
  aws_route: "no charge",
  aws_route_table: "no charge",
  aws_route_table_association: "no charge",
  aws_s3_bucket_lifecycle_configuration: "the bucket is priced",
  aws_s3_bucket_logging: "server access logging has no charge (S3 User Guide); the log objects are storage of the account's log bucket",
  aws_s3_bucket_ownership_controls: "the bucket is priced",
  aws_s3_bucket_policy: "the bucket is priced",
  aws_s3_bucket_public_access_block: "the bucket is priced",
  aws_s3_bucket_server_side_encryption_configuration: "the bucket is priced",
  aws_s3_bucket_versioning: "the bucket is priced",
  aws_security_group: "no charge",
  aws_sqs_queue: "per request; Karpenter's interruption events stay far below SQS's 1 million free requests a month",
  aws_sqs_queue_policy: "no charge",
  aws_subnet: "no charge",
  aws_vpc: "no charge",
  aws_vpc_ipv4_cidr_block_association: "no charge",
  aws_vpc_security_group_ingress_rule: "no charge",
  kubernetes_config_map_v1: "Kubernetes object, runs on the priced nodes",
  kubernetes_cron_job_v1: "Kubernetes object; its pods run on the priced nodes",
  kubernetes_default_service_account_v1: "Kubernetes object",
  kubernetes_limit_range_v1: "Kubernetes object",
  kubernetes_namespace_v1: "Kubernetes object",
  kubernetes_network_policy_v1: "Kubernetes object (enforced by the VPC CNI's network policy agent, part of the add-on)",
  kubernetes_resource_quota_v1: "Kubernetes object",
  kubernetes_role_binding_v1: "Kubernetes object",
  kubernetes_service_account_v1: "Kubernetes object",
  kubernetes_storage_class_v1: "its volumes are priced where they are claimed",
};

type Body = Record<string, unknown>;

/** What a pricing rule gets: the resource, its stack and price look-ups that record what is missing. */
interface Context {
  readonly stack: string;
  readonly stacks: StackSet;
  readonly region: string;
  readonly assumptions: Assumptions;
  /**
   * A price of the region, or NaN (recorded as missing as `<what> in <region>`, followed by `: <reason>`
   * when `reason` gives one).
   */
  readonly price: (pick: (r: RegionPrices) => Price | undefined, what: string, reason?: (r: RegionPrices) => string | undefined) => number;
  /** The highest on-demand $/vCPU-hour among every node group's instance types of the environment. */
  readonly vcpuHour: () => number;
}

type Rule = (address: string, body: Body, ctx: Context) => CostItem[];

const item = (ctx: Context, resource: string, description: string, min: number, max: number = min): CostItem => ({
  stack: ctx.stack,
  resource,
  description,
  monthly: { min, max },
});

const num = (value: unknown, fallback = 0): number => (typeof value === "number" ? value : typeof value === "string" && value !== "" && !Number.isNaN(Number(value)) ? Number(value) : fallback);

function ec2Hour(ctx: Context, type: string): number {
  const family = type.split(".")[0]!;
  const notOffered = (r: RegionPrices) => {
    const source = r.ec2FamiliesNotOffered?.[family];
    return source && `the ${family} family is not offered there (${source.url}); use another instance type`;
  };
  return ctx.price((r) => r.ec2Hour[type], `EC2 ${type} on-demand per hour`, notOffered);
}

/** `${aws_launch_template.NAME.id}` → the launch template body in the same stack. */
function referenced(ctx: Context, expression: unknown, type: string): Body | undefined {
  const match = typeof expression === "string" ? new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(expression) : null;
  const resources = (ctx.stacks[ctx.stack]?.resource ?? {}) as Record<string, Record<string, Body>>;
  return match ? resources[type]?.[match[1]!] : undefined;
}

/** GiB of a Kubernetes quantity such as "50Gi" or "1Ti" (0 when not a binary quantity). */
export function gibOf(quantity: unknown): number {
  const match = typeof quantity === "string" ? /^(\d+(?:\.\d+)?)(Gi|Ti|Mi)$/.exec(quantity) : null;
  if (!match) return typeof quantity === "number" ? quantity / 2 ** 30 : 0;
  const factor = { Mi: 1 / 1024, Gi: 1, Ti: 1024 }[match[2] as "Mi" | "Gi" | "Ti"];
  return Number(match[1]) * factor;
}

/**
 * The persistent volumes a chart's values claim: every `volumeClaimTemplate` and every enabled
 * `persistence.size`, × the `replicas` of the nearest object around it that sets one (default 1).
 */
export function claimedVolumes(values: unknown): { path: string; gib: number; replicas: number }[] {
  const found: { path: string; gib: number; replicas: number }[] = [];
  const walk = (node: unknown, path: string, replicas: number) => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${path}[${i}]`, replicas));
    const obj = node as Body;
    const here = typeof obj.replicas === "number" ? obj.replicas : replicas;
    const template = obj.volumeClaimTemplate as { spec?: { resources?: { requests?: { storage?: unknown } } } } | undefined;
    const storage = template?.spec?.resources?.requests?.storage;
    if (storage !== undefined) found.push({ path: `${path}.volumeClaimTemplate`, gib: gibOf(storage), replicas: here });
    const persistence = obj.persistence as { enabled?: unknown; size?: unknown } | undefined;
    if (persistence?.enabled === true && persistence.size !== undefined) found.push({ path: `${path}.persistence`, gib: gibOf(persistence.size), replicas: here });
    for (const [key, child] of Object.entries(obj)) walk(child, path === "" ? key : `${path}.${key}`, here);
  };
  walk(values, "", 1);
  return found;
}

/** The pricing rules, by Terraform resource type. */
export const PRICING_RULES: Readonly<Record<string, Rule>> = {
  aws_eks_cluster: (address, _body, ctx) => {
    const monthly = ctx.price((r) => r.eksClusterHour, "EKS cluster per hour") * HOURS_PER_MONTH;
    return [item(ctx, address, `EKS control plane (standard support), ${HOURS_PER_MONTH} h`, monthly)];
  },
  aws_eks_node_group: (address, body, ctx) => {
    const scaling = (body.scaling_config ?? {}) as Body;
    const [min, max] = [num(scaling.min_size), num(scaling.max_size)];
    const types = (body.instance_types as string[] | undefined) ?? [];
    const spot = body.capacity_type === "SPOT";
    const hourly = Math.max(...types.map((t) => ec2Hour(ctx, t))) * (spot ? ctx.assumptions.spotPriceFraction : 1);
    const name = String(body.node_group_name_prefix ?? body.node_group_name ?? address).replace(/-$/, "");
    const items = [item(ctx, address, `node group ${name}: ${min}-${max} × ${types.join("|")} ${spot ? "spot" : "on-demand"}`, min * hourly * HOURS_PER_MONTH, max * hourly * HOURS_PER_MONTH)];
    const template = referenced(ctx, (body.launch_template as Body | undefined)?.id, "aws_launch_template");
    const mappings = (template?.block_device_mappings as { ebs?: Body }[] | undefined) ?? [];
    const gib = mappings.reduce((sum, m) => sum + num(m.ebs?.volume_size), 0);
    if (gib > 0) {
      const gp3 = ctx.price((r) => r.ebsGp3GbMonth, "EBS gp3 per GB-month");
      items.push(item(ctx, address, `node group ${name}: root volumes ${min}-${max} × ${gib} GiB gp3`, min * gib * gp3, max * gib * gp3));
    }
    return items;
  },
  aws_nat_gateway: (address, _body, ctx) => {
    const hours = ctx.price((r) => r.natGatewayHour, "NAT gateway per hour") * HOURS_PER_MONTH;
    const gb = ctx.price((r) => r.natGatewayGb, "NAT gateway per GB processed") * ctx.assumptions.natGbPerGatewayMonth;
    return [item(ctx, address, `NAT gateway, ${HOURS_PER_MONTH} h + ${ctx.assumptions.natGbPerGatewayMonth} GB processed`, hours + gb)];
  },
  aws_eip: (address, _body, ctx) => [item(ctx, address, "public IPv4 address", ctx.price((r) => r.publicIpv4Hour, "public IPv4 per hour") * HOURS_PER_MONTH)],
  aws_vpc_endpoint: (address, body, ctx) => {
    if (body.vpc_endpoint_type !== "Interface") return [];
    const azs = ((body.subnet_ids as unknown[] | undefined) ?? []).length;
    const service = String(body.service_name ?? "").split(".").slice(3).join(".");
    const monthly = azs * ctx.price((r) => r.interfaceEndpointAzHour, "interface endpoint per AZ-hour") * HOURS_PER_MONTH;
    return [item(ctx, address, `interface endpoint ${service} in ${azs} AZ(s) (data processing not estimated)`, monthly)];
  },
  aws_db_instance: (address, body, ctx) => {
    // A Multi-AZ deployment has its own instance-hour and storage SKUs; never priced as twice Single-AZ.
    const multiAz = body.multi_az === true;
    const deployment = multiAz ? " Multi-AZ" : "";
    const cls = String(body.instance_class);
    const storageType = String(body.storage_type ?? "gp2");
    const hourly = ctx.price((r) => (multiAz ? r.rdsPostgresMultiAzHour : r.rdsPostgresHour)[cls], `RDS PostgreSQL ${cls}${deployment} per hour`);
    const storage =
      storageType === "gp3"
        ? ctx.price((r) => (multiAz ? r.rdsGp3MultiAzGbMonth : r.rdsGp3GbMonth), `RDS gp3${deployment} storage per GB-month`)
        : ctx.price(() => undefined, `RDS ${storageType}${deployment} storage per GB-month`);
    const gib = num(body.allocated_storage);
    return [item(ctx, address, `RDS ${cls}${deployment} + ${gib} GiB ${storageType}`, hourly * HOURS_PER_MONTH + gib * storage)];
  },
  aws_opensearch_domain: (address, body, ctx) => {
    const cluster = (body.cluster_config ?? {}) as Body;
    const count = num(cluster.instance_count, 1);
    const type = String(cluster.instance_type);
    let hourly = count * ctx.price((r) => r.openSearchHour[type], `OpenSearch ${type} per hour`);
    let what = `OpenSearch ${count} × ${type}`;
    if (cluster.dedicated_master_enabled === true) {
      const masters = num(cluster.dedicated_master_count);
      const masterType = String(cluster.dedicated_master_type);
      hourly += masters * ctx.price((r) => r.openSearchHour[masterType], `OpenSearch ${masterType} per hour`);
      what += ` + ${masters} × ${masterType} masters`;
    }
    const ebs = (body.ebs_options ?? {}) as Body;
    const gib = ebs.ebs_enabled === true ? num(ebs.volume_size) * count : 0;
    const storage = gib > 0 ? gib * ctx.price((r) => r.openSearchGp3GbMonth, "OpenSearch gp3 storage per GB-month") : 0;
    return [item(ctx, address, `${what} + ${gib} GiB storage`, hourly * HOURS_PER_MONTH + storage)];
  },
  aws_prometheus_workspace: (address, _body, ctx) => {
    const samples = ctx.assumptions.ampSamplesPerWorkspaceMonth;
    return [item(ctx, address, `AMP workspace, ${samples.toLocaleString("en-US")} samples ingested`, (samples / 1e7) * ctx.price((r) => r.ampPer10MSamples, "AMP per 10M samples ingested"))];
  },
  aws_cloudwatch_log_group: (address, body, ctx) => {
    const gb = ctx.assumptions.logsGbPerGroupMonth;
    const retention = num(body.retention_in_days, 0);
    const stored = gb * ((retention === 0 ? 3650 : retention) / 30);
    const monthly = gb * ctx.price((r) => r.logsIngestGb, "CloudWatch Logs ingestion per GB") + stored * ctx.price((r) => r.logsStorageGbMonth, "CloudWatch Logs storage per GB-month");
    return [item(ctx, address, `log group ${String(body.name ?? "")}: ${gb} GB/month ingested, ${Math.round(stored)} GB stored at ${retention || "no"} day(s) retention`, monthly)];
  },
  aws_kms_key: (address, _body, ctx) => [item(ctx, address, "KMS key", ctx.price((r) => r.kmsKeyMonth, "KMS key per month"))],
  aws_s3_bucket: (address, body, ctx) => {
    const gb = ctx.assumptions.s3GbPerBucket;
    return [item(ctx, address, `S3 bucket ${String(body.bucket ?? "")}: ${gb} GB Standard`, gb * ctx.price((r) => r.s3StandardGbMonth, "S3 Standard per GB-month"))];
  },
  helm_release: (address, body, ctx) => {
    const values = ((body.values as string[] | undefined) ?? []).map((v) => parseYaml(v) as unknown);
    const claims = values.flatMap(claimedVolumes).filter((c) => c.gib > 0);
    const volumes = claims.map((c) => item(ctx, address, `${String(body.chart)} volume ${c.path}: ${c.replicas} × ${c.gib} GiB gp3`, c.replicas * c.gib * ctx.price((r) => r.ebsGp3GbMonth, "EBS gp3 per GB-month")));
    return [...volumes, ...nodePoolItems(address, body, ctx)];
  },
  kubernetes_manifest: (address, body, ctx) => nodePoolItems(address, body, ctx),
};

/** Karpenter NodePools carried by a resource (a manifest, or the objects of a release's values): 0 to their CPU limit. */
function nodePoolItems(address: string, body: Body, ctx: Context): CostItem[] {
  const [type, name] = address.split(".") as [string, string];
  return objectsOf(type, name, body)
    .filter((o) => o.kind === "NodePool" && o.apiVersion.startsWith("karpenter.sh/"))
    .map((o) => {
      const spec = (o.object.spec ?? {}) as Body;
      const cpu = num((spec.limits as Body | undefined)?.cpu);
      const requirements = (spec.template as { spec?: { requirements?: { key: string; values?: string[] }[] } } | undefined)?.spec?.requirements ?? [];
      const capacity = requirements.find((r) => r.key === "karpenter.sh/capacity-type")?.values ?? ["on-demand"];
      const fraction = capacity.includes("on-demand") ? 1 : ctx.assumptions.spotPriceFraction;
      const poolName = (o.object.metadata as { name?: string } | undefined)?.name ?? "";
      return item(ctx, address, `Karpenter NodePool ${poolName}: 0-${cpu} vCPU (${capacity.join("|")})`, 0, cpu * ctx.vcpuHour() * fraction * HOURS_PER_MONTH);
    });
}

/** The AWS region of a stack (its `aws` provider). */
export function stackRegion(stack: TfJson): string | undefined {
  const providers = (stack.provider as { aws?: { region?: string }[] } | undefined)?.aws ?? [];
  return providers.find((p) => typeof p.region === "string")?.region;
}

/** The stacks of an environment: `<env>-<layer>` (bootstrap stacks are per account, not per environment). */
export function environmentStacks(stacks: StackSet, env: string): string[] {
  return Object.keys(stacks)
    .filter((name) => name.startsWith(`${env}-`))
    .sort();
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The estimate of `env` from its synthesized stacks.
 * @throws MissingPriceError listing every missing price and resource type without a rule
 */
export function estimateCost(
  stacks: StackSet,
  env: string,
  options: { readonly prices?: Readonly<Record<string, RegionPrices>>; readonly assumptions?: Assumptions } = {},
): CostReport {
  const prices = options.prices ?? PRICES;
  const assumptions = options.assumptions ?? DEFAULT_ASSUMPTIONS;
  const names = environmentStacks(stacks, env);
  if (names.length === 0) throw new Error(`no synthesized stacks for environment ${JSON.stringify(env)} (stacks: ${Object.keys(stacks).join(", ") || "none"})`);
  const region = names.map((n) => stackRegion(stacks[n]!)).find((r) => r !== undefined) ?? "";
  const missing = new Set<string>();
  const regionPrices = prices[region];
  if (regionPrices === undefined) throw new MissingPriceError(env, [`region ${JSON.stringify(region)} has no prices (regions: ${Object.keys(prices).sort().join(", ")})`]);
  const price: Context["price"] = (pick, what, reason) => {
    const found = pick(regionPrices);
    if (found === undefined || !(found.usd > 0)) {
      const why = reason?.(regionPrices);
      missing.add(`${what} in ${region}${why ? `: ${why}` : ""}`);
      return Number.NaN;
    }
    return found.usd;
  };
  const nodeGroupTypes = names.flatMap((n) => Object.values(((stacks[n]!.resource ?? {}) as Record<string, Record<string, Body>>).aws_eks_node_group ?? {}).flatMap((g) => (g.instance_types as string[] | undefined) ?? []));
  const vcpuHour = () => Math.max(...nodeGroupTypes.map((t) => ec2Hour({ price } as Context, t) / instanceLimits(t).vcpus));
  const items: CostItem[] = [];
  for (const stack of names) {
    const ctx: Context = { stack, stacks, region, assumptions, price, vcpuHour };
    const resources = (stacks[stack]!.resource ?? {}) as Record<string, Record<string, Body>>;
    for (const type of Object.keys(resources).sort()) {
      const rule = PRICING_RULES[type];
      if (rule === undefined) {
        if (!Object.hasOwn(NON_BILLABLE, type)) missing.add(`resource type ${type} (${stack}) has no pricing rule and is not listed as non-billable in scripts/cost/estimate.ts`);
        continue;
      }
      for (const name of Object.keys(resources[type]!).sort()) items.push(...rule(`${type}.${name}`, resources[type]![name]!, ctx));
    }
  }
  if (missing.size > 0) throw new MissingPriceError(env, [...missing].sort());
  const rounded = items.map((i) => ({ ...i, monthly: { min: round(i.monthly.min), max: round(i.monthly.max) } }));
  return {
    env,
    region,
    currency: "USD",
    monthly: { min: round(items.reduce((s, i) => s + i.monthly.min, 0)), max: round(items.reduce((s, i) => s + i.monthly.max, 0)) },
    items: rounded,
    assumptions: describeAssumptions(assumptions),
  };
}

/** Every assumption of an estimate, as printed. */
export function describeAssumptions(a: Assumptions): string[] {
  return [
    `${HOURS_PER_MONTH} hours per month; on-demand list prices of scripts/cost/data/prices.ts (Linux, no free tier, no Savings Plans)`,
    `spot capacity at ${Math.round(a.spotPriceFraction * 100)}% of the on-demand price; node groups priced at their most expensive instance type`,
    "min = every node group at min_size and Karpenter at 0 nodes; max = every node group at max_size and every Karpenter NodePool at its CPU limit",
    "Karpenter capacity priced at the highest on-demand $/vCPU-hour among the node groups' instance types (vCPUs from modules/network/data/instance-limits.ts); Karpenter root volumes not counted",
    `NAT gateway: ${a.natGbPerGatewayMonth} GB processed per gateway per month; interface endpoint data processing and data transfer out not estimated`,
    `CloudWatch Logs: ${a.logsGbPerGroupMonth} GB ingested per log group per month, stored for the group's retention (10 years when it never expires)`,
    `AMP: ${a.ampSamplesPerWorkspaceMonth.toLocaleString("en-US")} samples ingested per workspace per month; storage and queries not estimated`,
    `S3: ${a.s3GbPerBucket} GB Standard per bucket; requests not estimated`,
    "persistent volumes claimed in chart values are gp3 (the platform's default storage class)",
  ];
}
