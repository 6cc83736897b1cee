/**
 * `configuration_values` for the `vpc-cni` EKS managed add-on, per pod networking mode. EKS
 * validates the JSON against the add-on's configuration schema. The top-level object, `Env`,
 * `EniConfig` and each ENIConfig subnet all have `additionalProperties: false`, so an unknown key
 * fails the create or update. Env values are strings, even booleans and integers. The schema
 * mirrors the aws-vpc-cni Helm chart values, but not exactly: ENI_CONFIG_LABEL_DEF is in the
 * schema but not in the chart's `env:` defaults.
 *
 * Sources for every key used here (all looked up 2026-11-23):
 *  [S] EKS add-on configuration schema: AWS CLI reference for `aws eks describe-addon-configuration`,
 *      https://docs.aws.amazon.com/cli/latest/reference/eks/describe-addon-configuration.html,
 *      Example 1 (vpc-cni v1.15.1-eksbuild.1), read in a stored copy of that page. The
 *      v1.18.6-eksbuild.1 schema quoted by a maintainer in
 *      https://github.com/aws/amazon-vpc-cni-k8s/issues/3059 has the same EniConfig definition
 *      and the same start of Env. In the v1.15.1 schema:
 *        VpcCni.env  -> Env (strings): AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG, ENI_CONFIG_LABEL_DEF,
 *                       ENABLE_PREFIX_DELEGATION, WARM_PREFIX_TARGET, ENABLE_POD_ENI, ...
 *        VpcCni.eniConfig -> EniConfig { create: boolean, region: string,
 *                       subnets: { <name>: { id: string (required), securityGroups?: string[] } }
 *                       (minProperties 1) }, with create, region and subnets all required
 *        VpcCni.init.env -> InitEnv { DISABLE_TCP_EARLY_DEMUX, ENABLE_V6_EGRESS }
 *  [C] Helm chart: aws/amazon-vpc-cni-k8s@e082bae7c03ddc28357b01595f3746b117ac08c7 (tag v1.21.1, the
 *      patch line of the pinned add-on version), charts/aws-vpc-cni/values.yaml:
 *        `env:` (line 73): AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG (77), ENABLE_PREFIX_DELEGATION (88),
 *                          WARM_PREFIX_TARGET "1" (90)
 *        `eniConfig:` (224): create (226), region (227), subnets (228) keyed by AZ, each { id, securityGroups }
 *        `init.env.DISABLE_TCP_EARLY_DEMUX` (23)
 *      charts/aws-vpc-cni/templates/eniconfig.yaml at the same commit renders one ENIConfig per
 *      `subnets` key. The key becomes `metadata.name`, `id` becomes `spec.subnet`, and
 *      `securityGroups` becomes `spec.securityGroups` only when it is set.
 *  [R] aws/amazon-vpc-cni-k8s@e082bae7 README.md, which describes the variables:
 *      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG (makes ipamd use the node's ENIConfig subnet and
 *      security groups); ENI_CONFIG_LABEL_DEF (set it to `topology.kubernetes.io/zone` to select
 *      one ENIConfig per AZ); ENABLE_PREFIX_DELEGATION (Nitro only); WARM_PREFIX_TARGET (only
 *      used with prefix delegation); DISABLE_TCP_EARLY_DEMUX (needed only with ENABLE_POD_ENI,
 *      that is, security groups for pods, and only when kubelet probes reach those pods over TCP).
 *      pkg/awsutils/awsutils.go, createENIUsingCustomCfg: an ENIConfig without securityGroups uses
 *      the node's primary ENI security groups.
 *  [U] Amazon EKS User Guide, awsdocs/amazon-eks-user-guide@4d52b4d05e3478582e7d10a73cbd9ba9194dd5f7
 *      latest/ug/networking/eks-networking-add-ons.adoc: the custom networking tutorial sets
 *      `ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone` and names each ENIConfig after its AZ.
 *      The prefix delegation procedure sets `ENABLE_PREFIX_DELEGATION=true` and
 *      `WARM_PREFIX_TARGET=1`. Configuration values of `{}` reset every setting to the EKS defaults.
 *
 *  [N] Amazon EKS User Guide, "Configure your cluster for Kubernetes network policies"
 *      (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html): the
 *      managed add-on turns on the network policy agent with the top-level configuration value
 *      `{"enableNetworkPolicy": "true"}` (a string), on VPC CNI 1.14 or later and nodes with a
 *      5.10+ kernel (AL2023 and Bottlerocket, the AMI families of the schema). Every mode sets it:
 *      the team namespaces' NetworkPolicies (modules/tenancy) are enforced only with the agent on.
 *
 * Not emitted: `init.env.DISABLE_TCP_EARLY_DEMUX` and `env.ENABLE_POD_ENI`. These belong to
 * security groups for pods (SecurityGroupPolicy, branch ENIs), which no mode here turns on.
 * `podSecurityGroupIds` only sets the security groups of the custom-networking ENIConfigs.
 * The max-pods value for each mode is computed in modules/network/max-pods.ts, not here.
 */

export type PodNetworkingMode = "secondary-ip" | "prefix-delegation" | "custom-networking";

export interface VpcCniConfigurationArgs {
  readonly mode: PodNetworkingMode;
  /** The cluster's region, e.g. "ap-northeast-2" ([S] EniConfig.region). */
  readonly region: string;
  /** custom-networking only: the pod subnet for each AZ (AZ name -> subnet ID). */
  readonly podSubnets?: Readonly<Record<string /*az*/, string /*subnet id*/>>;
  /**
   * custom-networking only: the security groups of the pod ENIs, used in every AZ's ENIConfig.
   * If you leave this out, the ENIs get the security groups of the node's primary ENI ([R]).
   */
  readonly podSecurityGroupIds?: readonly string[];
}

/** Selects the ENIConfig named after the node's zone ([R], [U]). */
export const ENI_CONFIG_LABEL = "topology.kubernetes.io/zone";

/** The ENIConfig for one AZ ([S] EniConfig.subnets.*). */
type EniConfigSubnet = { id: string; securityGroups?: string[] };

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function fail(message: string): never {
  throw new Error(`vpc-cni configuration: ${message}`);
}

function customNetworkingSubnets(args: VpcCniConfigurationArgs): Record<string, EniConfigSubnet> {
  const podSubnets = args.podSubnets ?? {};
  const azs = Object.keys(podSubnets).sort();
  // [S] subnets has minProperties 1. Without an ENIConfig, nodes would get no pod ENIs.
  if (azs.length === 0) fail("custom-networking needs podSubnets with at least one availability zone");

  const securityGroups = args.podSecurityGroupIds === undefined ? undefined : [...args.podSecurityGroupIds];
  if (securityGroups !== undefined) {
    if (securityGroups.length === 0) fail("podSecurityGroupIds is empty; leave it out to use the nodes' security groups");
    for (const sg of securityGroups) {
      if (typeof sg !== "string" || sg.trim() === "") fail(`podSecurityGroupIds has an empty entry`);
    }
    const duplicate = securityGroups.find((sg, i) => securityGroups.indexOf(sg) !== i);
    if (duplicate !== undefined) fail(`podSecurityGroupIds lists ${duplicate} twice`);
  }

  const subnets: Record<string, EniConfigSubnet> = {};
  for (const az of azs) {
    // The ENIConfig is named after its AZ, and ENI_CONFIG_LABEL_DEF matches it to each node's zone.
    // A standard AZ is the region name plus a letter (ap-northeast-2a). A Local Zone such as
    // us-west-2-lax-1a also starts with the region name.
    if (!az.startsWith(args.region) || az.length === args.region.length) {
      fail(`availability zone ${JSON.stringify(az)} is not in region ${args.region}`);
    }
    const id = podSubnets[az]!;
    // The ID may be an unresolved cdktf token, so only check that it is a non-empty string.
    if (typeof id !== "string" || id.trim() === "") fail(`pod subnet for ${az} is empty`);
    subnets[az] = securityGroups === undefined ? { id } : { id, securityGroups: [...securityGroups] };
  }
  return subnets;
}

/**
 * The object to JSON-encode into `aws_eks_addon.configuration_values` for the vpc-cni add-on:
 * `enableNetworkPolicy: "true"` ([N]) and, per pod networking mode:
 *  - secondary-ip: nothing more. These are the add-on defaults (one secondary IP per pod,
 *    WARM_ENI_TARGET=1); unset keys are reset to the defaults ([U]).
 *  - prefix-delegation: `env.ENABLE_PREFIX_DELEGATION="true"`, `env.WARM_PREFIX_TARGET="1"`.
 *  - custom-networking: `env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG="true"`,
 *    `env.ENI_CONFIG_LABEL_DEF="topology.kubernetes.io/zone"`, and
 *    `eniConfig = { create: true, region, subnets: { <az>: { id, securityGroups? } } }`. The add-on
 *    then creates one ENIConfig per AZ. AZs are sorted so the JSON, and the plan, stay stable.
 */
export function vpcCniConfigurationValues(args: VpcCniConfigurationArgs): Record<string, unknown> {
  return { ...podNetworkingValues(args), ...NETWORK_POLICY_AGENT };
}

/** The network policy agent, on in every mode ([N]). */
export const NETWORK_POLICY_AGENT = { enableNetworkPolicy: "true" } as const;

function podNetworkingValues(args: VpcCniConfigurationArgs): Record<string, unknown> {
  if (!REGION_PATTERN.test(args.region)) fail(`region ${JSON.stringify(args.region)} is not an AWS region name`);
  const customOnly = args.podSubnets !== undefined || args.podSecurityGroupIds !== undefined;
  if (args.mode !== "custom-networking" && customOnly) {
    fail(`podSubnets/podSecurityGroupIds are only used by custom-networking, not ${args.mode}`);
  }

  switch (args.mode) {
    case "secondary-ip":
      return {};
    case "prefix-delegation":
      return {
        env: {
          ENABLE_PREFIX_DELEGATION: "true",
          WARM_PREFIX_TARGET: "1",
        },
      };
    case "custom-networking":
      return {
        env: {
          AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
          ENI_CONFIG_LABEL_DEF: ENI_CONFIG_LABEL,
        },
        eniConfig: {
          create: true,
          region: args.region,
          subnets: customNetworkingSubnets(args),
        },
      };
    default: {
      const unknown: never = args.mode;
      return fail(`unknown pod networking mode ${JSON.stringify(unknown)}`);
    }
  }
}
