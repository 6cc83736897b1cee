/**
 * Pinned, dated AWS list prices (USD, on-demand, Linux, no free tier) for `npm run cost`. Every entry
 * names where it was read and the day. A price that could not be found from a citable source is LEFT
 * OUT: the estimate then fails and names it (never a zero). Add a missing price with its source; do
 * not copy a price from another region.
 *
 * Found (2026-11-26):
 * - EKS control plane, standard support: $0.10 per cluster-hour (AWS Containers blog, extended
 *   support pricing: "you will continue to pay $0.10 per cluster per hour"); not region-qualified.
 * - Public IPv4 addresses: $0.005 per IP-hour in every region since 2024-02-01 (AWS networking blog
 *   announcing the charge; "All AWS regions are affected ... without exception").
 * - KMS: $1 per key-month (aws.amazon.com/kms/pricing: "Each AWS KMS key that you create in KMS costs
 *   $1/month"); not region-qualified.
 * - us-east-1 EC2 on-demand per instance type: Karpenter's generated price table
 *   (aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go at 6fc13b52,
 *   "generated at 2026-07-20T13:44:30Z for us-east-1" from the AWS Pricing API).
 * - us-east-1 EBS gp3 $0.08/GB-month, NAT gateway $0.045/hour and $0.045/GB, CloudWatch Logs
 *   $0.50/GB ingested and $0.03/GB-month stored: third-party pages quoting the AWS price pages for
 *   us-east-1 (URLs per entry); confirm on the AWS page before relying on them.
 *
 * NOT found (left out, so the estimate fails for them): every ap-northeast-2 price that is region
 * specific (EC2 instance types, EBS gp3, NAT gateway, interface endpoint hours, RDS, OpenSearch, AMP,
 * CloudWatch Logs, S3), and in us-east-1 the interface endpoint hour, RDS, OpenSearch, AMP and S3.
 * The AWS price pages render their tables with JavaScript and the stored copies have no numbers;
 * read them with `aws pricing get-products --region us-east-1 --service-code <AmazonEC2|AmazonRDS|
 * AmazonES|AmazonPrometheus|AmazonCloudWatch|AmazonS3|AmazonVPC> --filters Type=TERM_MATCH,
 * Field=regionCode,Value=ap-northeast-2 ...` and add them here with the date.
 */

/** Where a price was read. */
export interface PriceSource {
  readonly url: string;
  /** ISO date the value was read. */
  readonly seen: string;
  readonly note?: string;
}

/** One unit price. */
export interface Price {
  readonly usd: number;
  readonly source: PriceSource;
}

/** The prices of one region; an absent entry is a price nobody has found yet. */
export interface RegionPrices {
  /** EKS cluster, standard support, per hour. */
  readonly eksClusterHour?: Price;
  /** EC2 on-demand Linux per instance-hour, by instance type. */
  readonly ec2Hour: Readonly<Record<string, Price>>;
  /** EBS gp3 per GB-month (baseline 3,000 IOPS / 125 MB/s included). */
  readonly ebsGp3GbMonth?: Price;
  /** NAT gateway per hour. */
  readonly natGatewayHour?: Price;
  /** NAT gateway data processing per GB. */
  readonly natGatewayGb?: Price;
  /** Interface VPC endpoint per endpoint-AZ-hour. */
  readonly interfaceEndpointAzHour?: Price;
  /** Public IPv4 address per hour. */
  readonly publicIpv4Hour?: Price;
  /** RDS PostgreSQL single-AZ per instance-hour, by instance class. */
  readonly rdsPostgresHour: Readonly<Record<string, Price>>;
  /** RDS gp3 storage per GB-month (single-AZ). */
  readonly rdsGp3GbMonth?: Price;
  /** OpenSearch Service per instance-hour, by instance type. */
  readonly openSearchHour: Readonly<Record<string, Price>>;
  /** OpenSearch Service gp3 storage per GB-month. */
  readonly openSearchGp3GbMonth?: Price;
  /** Amazon Managed Service for Prometheus per 10 million samples ingested (first tier). */
  readonly ampPer10MSamples?: Price;
  /** CloudWatch Logs standard ingestion per GB. */
  readonly logsIngestGb?: Price;
  /** CloudWatch Logs storage per GB-month. */
  readonly logsStorageGbMonth?: Price;
  /** KMS customer managed key per month. */
  readonly kmsKeyMonth?: Price;
  /** S3 Standard per GB-month (first tier). */
  readonly s3StandardGbMonth?: Price;
}

const SEEN = "2026-11-26";

const EKS_STANDARD: Price = {
  usd: 0.1,
  source: {
    url: "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/",
    seen: SEEN,
    note: "Pricing for clusters running Kubernetes versions in standard support is unchanged — you will continue to pay $0.10 per cluster per hour",
  },
};

const PUBLIC_IPV4: Price = {
  usd: 0.005,
  source: {
    url: "https://aws.amazon.com/blogs/networking-and-content-delivery/identify-and-optimize-public-ipv4-address-usage-on-aws/",
    seen: SEEN,
    note: "charge for every AWS-provided public IPv4 address from 2024-02-01, $0.005 per IP per hour, all regions (also www.haufe-akademie.de/en/skill-it/blog/aws-gebuehren-ipv4-adressen)",
  },
};

const KMS_KEY: Price = {
  usd: 1,
  source: { url: "https://aws.amazon.com/kms/pricing/", seen: SEEN, note: "Each AWS KMS key that you create in KMS costs $1/month" },
};

const KARPENTER_US_EAST_1 = {
  url: "https://github.com/aws/karpenter-provider-aws/blob/6fc13b5236fd04fd16ff3f9dc7490d0813994099/pkg/providers/pricing/zz_generated.pricing_aws.go",
  seen: SEEN,
  note: "generated at 2026-07-20T13:44:30Z for us-east-1 from the AWS Pricing API",
} as const satisfies PriceSource;

function ec2(prices: Readonly<Record<string, number>>, source: PriceSource): Record<string, Price> {
  return Object.fromEntries(Object.entries(prices).map(([type, usd]) => [type, { usd, source }]));
}

/** The prices by region code. A region missing here has no prices at all. */
export const PRICES: Readonly<Record<string, RegionPrices>> = {
  "us-east-1": {
    eksClusterHour: EKS_STANDARD,
    ec2Hour: ec2(
      {
        "c6i.large": 0.085,
        "c6i.xlarge": 0.17,
        "c6i.2xlarge": 0.34,
        "c6i.4xlarge": 0.68,
        "m5.large": 0.096,
        "m5.xlarge": 0.192,
        "m5.2xlarge": 0.384,
        "m5.4xlarge": 0.768,
        "m6a.large": 0.0864,
        "m6a.xlarge": 0.1728,
        "m6a.2xlarge": 0.3456,
        "m6a.4xlarge": 0.6912,
        "m6g.large": 0.077,
        "m6g.xlarge": 0.154,
        "m6g.2xlarge": 0.308,
        "m6g.4xlarge": 0.616,
        "m6i.large": 0.096,
        "m6i.xlarge": 0.192,
        "m6i.2xlarge": 0.384,
        "m6i.4xlarge": 0.768,
        "m7g.large": 0.0816,
        "m7g.xlarge": 0.1632,
        "m7g.2xlarge": 0.3264,
        "m7g.4xlarge": 0.6528,
        "m7i.large": 0.1008,
        "m7i.xlarge": 0.2016,
        "m7i.2xlarge": 0.4032,
        "m7i.4xlarge": 0.8064,
        "r6i.large": 0.126,
        "r6i.xlarge": 0.252,
        "r6i.2xlarge": 0.504,
        "r6i.4xlarge": 1.008,
      },
      KARPENTER_US_EAST_1,
    ),
    ebsGp3GbMonth: {
      usd: 0.08,
      source: { url: "https://www.saisci.com/aws/gp3-throughput-explained/", seen: SEEN, note: "gp3 $0.08/GiB-month, N. Virginia (quoting the EBS pricing page)" },
    },
    natGatewayHour: {
      usd: 0.045,
      source: { url: "https://cloudburn.io/blog/aws-nat-gateway-pricing", seen: SEEN, note: "hourly provisioning $0.045/hour in US East (2026-02-24)" },
    },
    natGatewayGb: {
      usd: 0.045,
      source: { url: "https://cloudburn.io/blog/aws-nat-gateway-pricing", seen: SEEN, note: "data processing $0.045/GB in US East (2026-02-24)" },
    },
    publicIpv4Hour: PUBLIC_IPV4,
    rdsPostgresHour: {},
    openSearchHour: {},
    logsIngestGb: {
      usd: 0.5,
      source: { url: "https://c3x.dev/blog/cloudwatch-logs-cost-optimization", seen: SEEN, note: "us-east-1, June 2026, Standard log class ingestion $0.50 per GB" },
    },
    logsStorageGbMonth: {
      usd: 0.03,
      source: { url: "https://c3x.dev/blog/cloudwatch-logs-cost-optimization", seen: SEEN, note: "us-east-1, June 2026, storage $0.03 per GB-month" },
    },
    kmsKeyMonth: KMS_KEY,
  },
  "ap-northeast-2": {
    eksClusterHour: EKS_STANDARD,
    ec2Hour: {},
    publicIpv4Hour: PUBLIC_IPV4,
    rdsPostgresHour: {},
    openSearchHour: {},
    kmsKeyMonth: KMS_KEY,
  },
};

/** Hours in the month the estimate uses (AWS's pricing calculator uses 730). */
export const HOURS_PER_MONTH = 730;
