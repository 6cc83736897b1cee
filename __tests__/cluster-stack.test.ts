import { describe, expect, it } from "vitest";
import { nodeGroupMaxPods } from "../modules/eks/eks-cluster";
import { kubeReservedMemoryMiB, nodeVolumes } from "../modules/eks/node-user-data";
import { platform, resources, synth } from "./support/platform";

const { envs, stacks } = platform();
const only = (json: any, type: string, predicate: (r: any) => boolean = () => true) => {
  const all = Object.values(resources(json, type)).filter(predicate);
  expect(all).toHaveLength(1);
  return all[0] as any;
};
const addressOf = (json: any, type: string, predicate: (r: any) => boolean) => {
  const entry = Object.entries(resources(json, type)).find(([, r]) => predicate(r));
  if (!entry) throw new Error(`no ${type} matches`);
  return `${type}.${entry[0]}`;
};

describe.each(envs.map((env) => [env.name, env] as const))("%s-cluster", (name, env) => {
  const stack = stacks.environments[name]!.cluster;
  const json = synth(stack);
  const cluster = only(json, "aws_eks_cluster");

  it("depends on its network layer and finds it by tag and planned CIDR", () => {
    expect(stack.dependencies.map((d) => d.node.id)).toEqual([`${name}-network`]);
    const [vpc] = Object.values(json.data?.aws_vpc ?? {}) as any[];
    expect(vpc.filter).toEqual([{ name: "tag:Name", values: [`eks-idp-${name}`] }]);
    const subnets = Object.values(json.data?.aws_subnet ?? {}) as any[];
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual(env.ipPlan.subnets.map((s) => s.cidr).sort());
  });

  it("runs the configured Kubernetes version with API-only auth and no implicit creator admin", () => {
    expect(cluster.version).toBe(env.cluster.kubernetesVersion);
    expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
  });

  it("encrypts secrets with its own rotating key and logs every control-plane type to its own group", () => {
    // The cluster's own key and log group (the in-VPC CI runners, modules/ci-runner, have theirs).
    const ofCluster = (r: any) => !JSON.stringify(r).includes("-ci-runner");
    const key = only(json, "aws_kms_key", ofCluster);
    expect(key.enable_key_rotation).toBe(true);
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: expect.stringContaining("aws_kms_key.") } });
    expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    const group = only(json, "aws_cloudwatch_log_group", ofCluster);
    expect(group).toMatchObject({ name: `/aws/eks/eks-idp-${name}/cluster`, retention_in_days: env.cluster.controlPlaneLogRetentionDays });
    expect(group.kms_key_id).toContain("aws_kms_key.");
    expect(cluster.depends_on).toContain(addressOf(json, "aws_cloudwatch_log_group", ofCluster));
  });

  it("keeps the private endpoint on, and the public one off in prod or limited elsewhere", () => {
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
    if (env.stage === "prod") {
      expect(cluster.vpc_config.endpoint_public_access).toBe(false);
      expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    } else {
      expect(cluster.vpc_config.endpoint_public_access).toBe(true);
      expect(cluster.vpc_config.public_access_cidrs).toEqual(env.cluster.endpointPublicAccessCidrs);
    }
    expect(cluster.vpc_config.subnet_ids).toHaveLength(env.availabilityZones.length);
    for (const id of cluster.vpc_config.subnet_ids) expect(id).toMatch(/data\.aws_subnet\.network_subnet-intra-/);
  });

  it("protects the prod cluster from deletion", () => {
    expect(cluster.deletion_protection).toBe(env.stage === "prod");
    expect(cluster.lifecycle?.prevent_destroy ?? false).toBe(env.stage === "prod");
  });

  it("enables zonal shift in prod stage environments only", () => {
    expect(cluster.zonal_shift_config).toEqual({ enabled: env.stage === "prod" });
  });

  it("gives admins cluster admin and teams only their namespaces", () => {
    const associations = Object.values(resources(json, "aws_eks_access_policy_association")) as any[];
    const admins = associations.filter((a) => a.policy_arn.endsWith("/AmazonEKSClusterAdminPolicy"));
    expect(admins).toHaveLength(Object.keys(env.cluster.access.admins).length);
    for (const a of admins) expect(a.access_scope).toEqual({ type: "cluster" });
    // Viewers read the whole cluster without Secrets (AmazonEKSViewPolicy, not AmazonEKSAdminViewPolicy).
    expect(associations.filter((a) => a.policy_arn.endsWith("/AmazonEKSAdminViewPolicy"))).toEqual([]);
    const viewers = associations.filter((a) => a.policy_arn.endsWith("/AmazonEKSViewPolicy") && a.access_scope.type === "cluster");
    expect(viewers).toHaveLength(Object.keys(env.cluster.access.viewers).length);
    const teams = associations.filter((a) => !a.policy_arn.endsWith("/AmazonEKSClusterAdminPolicy") && !viewers.includes(a));
    expect(teams.map((t) => t.access_scope.namespaces).sort()).toEqual(
      Object.values(env.cluster.access.teams).map((t) => t.namespaces).sort(),
    );
    for (const t of teams) expect(t.access_scope.type).toBe("namespace");
  });

  it("has an OIDC provider for IRSA with the STS audience", () => {
    const oidc = only(json, "aws_iam_openid_connect_provider");
    expect(oidc.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(oidc.url).toContain("identity[0].oidc[0].issuer");
  });

  it("pins every managed add-on and gives vpc-cni its own IRSA role with the CNI policy", () => {
    const addons = Object.values(resources(json, "aws_eks_addon")) as any[];
    expect(addons.map((a) => a.addon_name).sort()).toEqual(
      ["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "snapshot-controller", "vpc-cni"],
    );
    for (const a of addons) expect(a.addon_version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    const cni = addons.find((a) => a.addon_name === "vpc-cni");
    expect(cni.service_account_role_arn).toContain("aws_iam_role.");
    const attachments = Object.values(resources(json, "aws_iam_role_policy_attachment")) as any[];
    const cniPolicy = attachments.filter((a) => a.policy_arn.endsWith("/AmazonEKS_CNI_Policy"));
    expect(cniPolicy).toHaveLength(1);
    expect(cniPolicy[0].role).toContain("vpc-cni-irsa");
    const nodeRolePolicies = attachments.filter((a) => String(a.role).includes("node-role")).map((a) => a.policy_arn.split("/").pop());
    expect(nodeRolePolicies.sort()).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy"]);
  });

  it("configures the VPC CNI for the environment's pod networking mode", () => {
    const cni = (Object.values(resources(json, "aws_eks_addon")) as any[]).find((a) => a.addon_name === "vpc-cni");
    const config = JSON.parse(cni.configuration_values);
    if (env.cluster.podNetworking === "prefix-delegation") {
      expect(config.env).toMatchObject({ ENABLE_PREFIX_DELEGATION: "true" });
    } else if (env.cluster.podNetworking === "custom-networking") {
      expect(config.env).toMatchObject({ AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true" });
      expect(Object.keys(config.eniConfig.subnets).sort()).toEqual([...env.availabilityZones].sort());
    }
  });

  it("creates node groups only after vpc-cni, and coredns/ebs-csi only after the node groups", () => {
    const cni = addressOf(json, "aws_eks_addon", (a) => a.addon_name === "vpc-cni");
    const groups = Object.entries(resources(json, "aws_eks_node_group"));
    expect(groups.map(([, g]) => (g as any).labels["platform.example.com/node-group"]).sort()).toEqual(
      Object.keys(env.cluster.nodeGroups).sort(),
    );
    const cniPolicy = addressOf(json, "aws_iam_role_policy_attachment", (a) => a.policy_arn.endsWith("/AmazonEKS_CNI_Policy"));
    for (const [, group] of groups) {
      expect((group as any).depends_on).toContain(cni);
      expect((group as any).depends_on).toContain(cniPolicy);
    }
    for (const addonName of ["coredns", "aws-ebs-csi-driver", "snapshot-controller"]) {
      const addon = (Object.values(resources(json, "aws_eks_addon")) as any[]).find((a) => a.addon_name === addonName);
      for (const [id] of groups) expect(addon.depends_on).toContain(`aws_eks_node_group.${id}`);
    }
  });

  it("runs node groups on hardened launch templates with max pods for the networking mode", () => {
    for (const [key, spec] of Object.entries(env.cluster.nodeGroups)) {
      const group = (Object.values(resources(json, "aws_eks_node_group")) as any[]).find(
        (g) => g.labels["platform.example.com/node-group"] === key,
      );
      expect(group.version).toBe(env.cluster.kubernetesVersion);
      expect(group.instance_types).toEqual(spec.instanceTypes);
      expect(group.capacity_type).toBe(spec.capacityType);
      expect(group.scaling_config).toEqual({
        min_size: spec.minNodesPerAz * env.availabilityZones.length,
        max_size: spec.maxNodesPerAz * env.availabilityZones.length,
        desired_size: spec.minNodesPerAz * env.availabilityZones.length,
      });
      expect(group.lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
      expect(group.subnet_ids).toHaveLength(env.availabilityZones.length);
      expect(group.remote_access).toBeUndefined();
      const templateId = /aws_launch_template\.([^.]+)\.id/.exec(group.launch_template.id)![1]!;
      const template = resources(json, "aws_launch_template")[templateId];
      expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(template.block_device_mappings.map((m: any) => m.device_name)).toEqual(nodeVolumes(spec.amiType, spec.diskSizeGiB).map((v) => v.deviceName));
      for (const mapping of template.block_device_mappings) expect(mapping.ebs).toMatchObject({ volume_type: "gp3", encrypted: "true" });
      expect(template.key_name).toBeUndefined();
      const userData = Buffer.from(template.user_data, "base64").toString("utf8");
      const pods = nodeGroupMaxPods(spec.instanceTypes, env.cluster.podNetworking);
      const bottlerocket = spec.amiType.startsWith("BOTTLEROCKET");
      expect(userData).toContain(bottlerocket ? `max-pods = ${pods}` : `maxPods: ${pods}`);
      expect(userData).toContain(bottlerocket ? `memory = "${kubeReservedMemoryMiB(pods)}Mi"` : `memory: ${kubeReservedMemoryMiB(pods)}Mi`);
    }
  });

  it("names every node group by a prefix and creates its replacement before destroying it", () => {
    const groups = Object.values(resources(json, "aws_eks_node_group")) as any[];
    expect(groups).toHaveLength(Object.keys(env.cluster.nodeGroups).length);
    for (const group of groups) {
      const key = group.labels["platform.example.com/node-group"];
      expect(group.node_group_name).toBeUndefined();
      expect(group.lifecycle.create_before_destroy).toBe(true);
      if (env.cluster.upgrade.strategy === "blue-green") {
        expect(group.node_group_name_prefix).toBe(`${key}-${env.cluster.kubernetesVersion.replace(".", "-")}-`);
      } else {
        expect(group.node_group_name_prefix).toBe(`${key}-`);
        expect(group.update_config).toEqual({ max_unavailable: env.cluster.upgrade.maxUnavailable });
      }
    }
  });
});

describe("max pods per networking mode", () => {
  it("follows the VPC CNI mode and the EKS cap", () => {
    expect(nodeGroupMaxPods(["m5.large"], "secondary-ip")).toBe(29);
    expect(nodeGroupMaxPods(["m5.large"], "custom-networking")).toBe(20);
    expect(nodeGroupMaxPods(["m5.large"], "prefix-delegation")).toBe(110);
    expect(nodeGroupMaxPods(["m5.large", "t3.medium"], "secondary-ip")).toBe(17);
  });
});
