import { Testing } from "cdktf";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from "../addons/aws-load-balancer-controller/chart";
import { awsLoadBalancerControllerPolicy } from "../addons/aws-load-balancer-controller/iam-policy";
import { CERT_MANAGER_CHART } from "../addons/cert-manager/chart";
import { certManagerValues } from "../addons/cert-manager/values";
import { CLUSTER_AUTOSCALER_CHART } from "../addons/cluster-autoscaler/chart";
import { EXTERNAL_DNS_CHART } from "../addons/external-dns/chart";
import { externalDnsValues } from "../addons/external-dns/values";
import { KARPENTER_CHART, KARPENTER_CRD_CHART } from "../addons/karpenter/chart";
import { INTERRUPTION_EVENT_PATTERNS } from "../addons/karpenter/interruption";
import { ec2NodeClassManifest, nodePoolManifest } from "../addons/karpenter/manifests";
import { karpenterPodDensity } from "../addons/karpenter/values";
import { gp3Parameters } from "../addons/storage-classes/manifests";
import { environments } from "../environments";
import type { EnvironmentInput } from "../environments/schema";
import { type PlatformEnvironment, validatePlatform } from "../environments/validate";
import { clusterAutoscalerImageTag, karpenterAmiAlias, supportedKubernetesVersions } from "../modules/eks/data/kubernetes-versions";
import { NODE_MANAGED_POLICIES } from "../modules/eks/node-group";
import { partitionOf } from "../modules/irsa/policy-document";
import { assertPinned } from "../modules/helm/helm-addon";
import { buildPlatform } from "../stacks/platform";
import { karpenterCpuLimit } from "../stacks/addons/core";
import { instanceLimits } from "../modules/network/max-pods";
import { allowedInstanceTypes, DEFAULT_NODE_POOL_REQUIREMENTS } from "../addons/karpenter/instance-types";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";

const { envs } = platform();
const addons = (env: string): SynthesizedStack => synth(platform().stacks.environments[env]!.addons);
/** The environments that run Karpenter (the others run the Cluster Autoscaler), as `[name, env]` rows. */
const karpenterEnvs = envs.filter((e) => e.addons.autoscaler === "karpenter").map((e) => [e.name, e] as const);
/**
 * The platform's rule for controllers, restated: 2 replicas in prod and wherever there are 3 AZs
 * (an environment with production's shape), else 1.
 */
const haReplicas = (env: PlatformEnvironment): number => (env.stage === "prod" || env.availabilityZones.length >= 3 ? 2 : 1);
/** The ARN scope of an environment's account in its region. */
const scopeOf = (env: PlatformEnvironment) => ({ partition: partitionOf(env.region), region: env.region, accountId: env.account.id });

/**
 * The logical names of the resources (or `data.<type>` sources) of a type whose construct path is
 * `path` (cdktf names them `<path with _>_<hash>`; `Testing.synth` keeps no metadata paths).
 */
function namesAt(stack: SynthesizedStack, type: string, path: string, prefixOnly = false): string[] {
  const pool = (type.startsWith("data.") ? stack.data?.[type.slice(5)] : stack.resource?.[type]) ?? {};
  const stem = path.replace(/\//g, "_");
  return Object.keys(pool).filter((name) => (prefixOnly ? name.startsWith(`${stem}_`) : new RegExp(`^${stem}_[0-9A-F]{8}$`).test(name)));
}
/** The Terraform address (`type.name`) of the one resource or data source at `path`. */
function address(stack: SynthesizedStack, type: string, path: string): string {
  const names = namesAt(stack, type, path);
  expect(names, `${type} at ${path}`).toHaveLength(1);
  return `${type}.${names[0]}`;
}
/** The one resource of a type at `path`. */
function at(stack: SynthesizedStack, type: string, path: string): any {
  return resources(stack, type)[address(stack, type, path).slice(type.length + 1)];
}
/** All resources of a type under the construct at `path`. */
function under(stack: SynthesizedStack, type: string, path: string): any[] {
  return namesAt(stack, type, path, true).map((name) => resources(stack, type)[name]);
}
/** The Terraform reference to an attribute, as cdktf renders it. */
function ref(stack: SynthesizedStack, type: string, path: string, attribute: string): string {
  return `\${${address(stack, type, path)}.${attribute}}`;
}
function releaseAt(stack: SynthesizedStack, path: string): any {
  return at(stack, "helm_release", `${path}/release`);
}
/** The parsed values of the release of the construct at `path` (e.g. `karpenter/chart`). */
function valuesOf(stack: SynthesizedStack, path: string): any {
  return parse(releaseAt(stack, path).values[0]);
}
/** The one object named `name` that the `CustomResources` release at `path` renders. */
function customResource(stack: SynthesizedStack, path: string, name: string): any {
  const found = (valuesOf(stack, path).resources as any[]).filter((o) => o.metadata.name === name);
  expect(found, `${name} in ${path}`).toHaveLength(1);
  return found[0];
}
/**
 * Parses a policy document as synthesized: Terraform expressions inside it (`${replace(x, "https://", "")}`)
 * may hold unescaped quotes, which are swapped for single quotes first.
 */
function parsePolicy(document: string): any {
  return JSON.parse(document.replace(/\$\{[^}]*\}/g, (expr) => expr.replace(/"/g, "'")));
}
function inlinePolicy(stack: SynthesizedStack, construct: string): any[] {
  return parsePolicy(at(stack, "aws_iam_role_policy", `${construct}/irsa/policy`).policy).Statement;
}
function trustSubject(stack: SynthesizedStack, construct: string): string {
  const trust = parsePolicy(at(stack, "aws_iam_role", `${construct}/irsa/role`).assume_role_policy);
  const equals = trust.Statement[0].Condition.StringEquals;
  expect(trust.Statement).toHaveLength(1);
  expect(trust.Statement[0].Condition.StringLike).toBeUndefined();
  expect(Object.entries(equals).find(([k]) => k.endsWith(":aud"))?.[1]).toBe("sts.amazonaws.com");
  return Object.entries(equals).find(([k]) => k.endsWith(":sub"))![1] as string;
}
function releaseNames(stack: SynthesizedStack): string[] {
  return Object.keys(resources(stack, "helm_release"));
}

/**
 * The environment that variants start from: the first nonprod one in promotion order (any would do;
 * none is named), validated, with its input.
 */
function variantBase(): { env: PlatformEnvironment; input: EnvironmentInput } {
  const env = envs.find((e) => e.stage === "nonprod")!;
  return { env, input: environments.find((e) => e.name === env.name)! };
}
/** Synthesizes the add-ons stack of a modified copy of the {@link variantBase} environment, alone on its platform. */
function variantAddons(change: (env: EnvironmentInput) => EnvironmentInput): SynthesizedStack {
  const { input } = variantBase();
  const stacks = buildPlatform(Testing.app(), validatePlatform([change(structuredClone(input))]));
  return JSON.parse(Testing.synth(stacks.environments[input.name]!.addons, true)) as SynthesizedStack;
}

describe("chart pins", () => {
  // The pins themselves live in each add-on's chart.ts (with their source); restating their versions
  // here would only pin today's table. These are the rules every pin and every release follow.
  const pins = [AWS_LOAD_BALANCER_CONTROLLER_CHART, KARPENTER_CHART, KARPENTER_CRD_CHART, CLUSTER_AUTOSCALER_CHART, CERT_MANAGER_CHART, EXTERNAL_DNS_CHART];

  it("pin an exact version from an https or oci repository, each with its source commit", () => {
    for (const pin of pins) {
      expect(() => assertPinned(pin)).not.toThrow();
      expect(pin.repository, pin.chart).toMatch(/^(https|oci):\/\//);
      expect(pin.version, pin.chart).toMatch(/^v?\d+\.\d+\.\d+$/);
      expect(pin.source, pin.chart).toMatch(/@[0-9a-f]{40}:/);
    }
  });

  it("are what the releases install, in every environment", () => {
    for (const { name } of envs) {
      const byChart = new Map(Object.values(resources(addons(name), "helm_release")).map((r: any) => [r.chart, r]));
      for (const pin of pins.filter((p) => byChart.has(p.chart))) {
        expect(byChart.get(pin.chart), `${name}: ${pin.chart}`).toMatchObject({ repository: pin.repository, version: pin.version });
      }
    }
  });
});

describe("AWS Load Balancer Controller", () => {
  it("sets cluster, region and VPC explicitly and runs 2 replicas across AZs with a PDB, in every environment", () => {
    for (const { name: env, region } of envs) {
      const stack = addons(env);
      const values = valuesOf(stack, "aws-load-balancer-controller/chart");
      expect(values.clusterName).toBe(`eks-idp-${env}`);
      expect(values.region, env).toBe(region);
      expect(values.vpcId).toBe(ref(stack, "data.aws_vpc", "network/vpc", "id"));
      expect(values.replicaCount).toBe(2);
      expect(values.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
      expect(values.topologySpreadConstraints[0]).toMatchObject({
        topologyKey: "topology.kubernetes.io/zone",
        labelSelector: { matchLabels: { "app.kubernetes.io/name": "aws-load-balancer-controller" } },
      });
      expect(values.tolerations).toContainEqual({ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" });
      expect(values.defaultTags).toMatchObject({ Environment: env });
    }
  });

  it("has an IRSA role for exactly its service account with the published policy of its account and region, in every environment", () => {
    for (const env of envs) {
      const stack = addons(env.name);
      const values = valuesOf(stack, "aws-load-balancer-controller/chart");
      expect(values.serviceAccount, env.name).toEqual({
        create: true,
        name: "aws-load-balancer-controller",
        annotations: { "eks.amazonaws.com/role-arn": ref(stack, "aws_iam_role", "aws-load-balancer-controller/irsa/role", "arn") },
      });
      expect(trustSubject(stack, "aws-load-balancer-controller")).toBe("system:serviceaccount:kube-system:aws-load-balancer-controller");
      expect(inlinePolicy(stack, "aws-load-balancer-controller"), env.name).toEqual(awsLoadBalancerControllerPolicy(scopeOf(env)));
    }
  });

  it("installs before every other core release that creates a Service (its webhook admits every Service), in every environment", () => {
    for (const { name: env } of envs) {
      const stack = addons(env);
      const lbc = address(stack, "helm_release", "aws-load-balancer-controller/chart/release");
      const others = ["karpenter/chart", "cluster-autoscaler/chart", "cert-manager/chart", "external-dns/chart"].filter((path) => namesAt(stack, "helm_release", `${path}/release`).length > 0);
      expect(others, env).toContain("cert-manager/chart");
      for (const path of others) {
        expect(releaseAt(stack, path).depends_on, `${env}: ${path}`).toContain(lbc);
      }
    }
  });
});

describe("Karpenter", () => {
  it.each(karpenterEnvs)("%s: has an encrypted, TLS-only interruption queue that only its own EventBridge rules may write to", (name) => {
    const s = addons(name);
    const queue = at(s, "aws_sqs_queue", "karpenter/interruption-queue");
    expect(queue).toMatchObject({ name: `eks-idp-${name}-karpenter-interruption`, sqs_managed_sse_enabled: true, message_retention_seconds: 300 });
    const queueArn = ref(s, "aws_sqs_queue", "karpenter/interruption-queue", "arn");
    const policy = JSON.parse(at(s, "aws_sqs_queue_policy", "karpenter/interruption-queue-policy").policy);
    const ruleArns = Object.keys(INTERRUPTION_EVENT_PATTERNS)
      .sort()
      .map((key) => ref(s, "aws_cloudwatch_event_rule", `karpenter/rule-${key}`, "arn"));
    expect(policy.Statement).toEqual([
      {
        Sid: "AllowEventBridgeToSend",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["sqs:SendMessage"],
        Resource: [queueArn],
        Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
      },
      {
        Sid: "DenyHTTP",
        Effect: "Deny",
        Principal: "*",
        Action: ["sqs:*"],
        Resource: [queueArn],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it.each(karpenterEnvs)("%s: routes Spot interruption, rebalance, state-change, capacity-reservation and Health events to the queue", (name) => {
    const s = addons(name);
    const rules = under(s, "aws_cloudwatch_event_rule", "karpenter");
    const patterns = rules.map((r: any) => JSON.parse(r.event_pattern));
    expect(patterns).toEqual(expect.arrayContaining([
      { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
      { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
      { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
      { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] },
      { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
    ]));
    expect(rules).toHaveLength(Object.keys(INTERRUPTION_EVENT_PATTERNS).length);
    const queueArn = ref(s, "aws_sqs_queue", "karpenter/interruption-queue", "arn");
    for (const key of Object.keys(INTERRUPTION_EVENT_PATTERNS)) {
      const target = at(s, "aws_cloudwatch_event_target", `karpenter/rule-${key}-target`);
      expect(target.arn).toBe(queueArn);
      expect(target.rule).toBe(ref(s, "aws_cloudwatch_event_rule", `karpenter/rule-${key}`, "name"));
    }
  });

  it.each(karpenterEnvs)("%s: gives its nodes the platform's node policies and an EC2_LINUX access entry", (name) => {
    const s = addons(name);
    const role = at(s, "aws_iam_role", "karpenter/node-role");
    expect(role.name).toBe(`eks-idp-${name}-karpenter-node`);
    expect(parsePolicy(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
    const attached = under(s, "aws_iam_role_policy_attachment", "karpenter/node-role")
      .map((r: any) => r.policy_arn)
      .sort();
    expect(attached).toEqual(NODE_MANAGED_POLICIES.map((p) => `arn:aws:iam::aws:policy/${p}`).sort());
    expect(at(s, "aws_eks_access_entry", "karpenter/node-access-entry")).toMatchObject({
      cluster_name: `eks-idp-${name}`,
      type: "EC2_LINUX",
      principal_arn: ref(s, "aws_iam_role", "karpenter/node-role", "arn"),
    });
  });

  it.each(karpenterEnvs)("%s: scopes the controller: PassRole only on its node role, SQS only on its queue, EKS only on its cluster", (name, env) => {
    const s = addons(name);
    expect(trustSubject(s, "karpenter")).toBe("system:serviceaccount:kube-system:karpenter");
    const statements = inlinePolicy(s, "karpenter");
    const withAction = (prefix: string) => statements.filter((st) => st.Action.some((a: string) => a.startsWith(prefix)));
    const passRole = withAction("iam:PassRole");
    expect(passRole).toHaveLength(1);
    expect(passRole[0].Resource).toEqual([ref(s, "aws_iam_role", "karpenter/node-role", "arn")]);
    const sqs = withAction("sqs:");
    expect(sqs).toHaveLength(1);
    expect(sqs[0].Resource).toEqual([ref(s, "aws_sqs_queue", "karpenter/interruption-queue", "arn")]);
    const { partition, region, accountId } = scopeOf(env);
    expect(withAction("eks:DescribeCluster")[0].Resource).toEqual([`arn:${partition}:eks:${region}:${accountId}:cluster/eks-idp-${name}`]);
    for (const st of statements) expect(st.Action.some((a: string) => a.endsWith(":*") || a === "*")).toBe(false);
  });

  it.each(karpenterEnvs)("%s: runs the controller on the system nodes with v1 settings (no settings.aws), highly available by the platform's rule", (name, env) => {
    const replicas = haReplicas(env);
    const s = addons(name);
    const values = valuesOf(s, "karpenter/chart");
    expect(values.replicas).toBe(replicas);
    expect(values.settings.clusterName).toBe(`eks-idp-${name}`);
    expect(values.settings.interruptionQueue).toBe(ref(s, "aws_sqs_queue", "karpenter/interruption-queue", "name"));
    expect(values.settings.aws).toBeUndefined();
    expect(values.nodeSelector).toEqual({ "kubernetes.io/os": "linux", ...env.cluster.nodeGroups.system.labels });
    expect(values.tolerations).toContainEqual({ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" });
    expect(values.serviceAccount.name).toBe("karpenter");
    expect(values.topologySpreadConstraints).toHaveLength(replicas > 1 ? 1 : 0);
    expect(releaseAt(s, "karpenter/chart").depends_on).toContain(address(s, "helm_release", "karpenter/crd-chart/release"));
  });

  it.each(karpenterEnvs)("%s: ships a default EC2NodeClass and NodePools in a release that waits for the controller", (name, env) => {
    const s = addons(name);
    const firstZone = env.availabilityZones[0];
    const arch = customResource(s, "karpenter/default-nodes", `default-${firstZone}`).spec.template.spec.requirements.find(
      (r: any) => r.key === "kubernetes.io/arch",
    ).values[0];
    // Installed after the controller, hence uninstalled (waiting for the nodes to drain) before it.
    expect(releaseAt(s, "karpenter/default-nodes").depends_on).toEqual([address(s, "helm_release", "karpenter/chart/release")]);
    const objects = valuesOf(s, "karpenter/default-nodes").resources as any[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "EC2NodeClass/default",
      ...env.availabilityZones.map((zone) => `NodePool/default-${zone}`),
    ]);
    const nodeClass = objects[0];
    const nodePool = customResource(s, "karpenter/default-nodes", `default-${firstZone}`);
    expect(nodeClass).toMatchObject({
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      spec: {
        role: `eks-idp-${name}-karpenter-node`,
        // The AL2023 release the node groups run (pinned per Kubernetes version), never `latest`.
        amiSelectorTerms: [{ alias: karpenterAmiAlias(env.cluster.kubernetesVersion, arch, env.cluster.nodeAmiReleaseVersions) }],
        subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": `eks-idp-${name}` } }],
        securityGroupSelectorTerms: [{ id: "${data.aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}" }],
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", encrypted: true } }],
      },
    });
    expect(nodePool).toMatchObject({
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      spec: { template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" } } } },
    });
  });

  it("allows the instance types the IP planner plans for, and only those", () => {
    const pool = nodePoolManifest({ name: "p", nodeClassName: "default", capacityTypes: ["on-demand"], architecture: "amd64", cpuLimit: 8, labels: {}, disruptionBudget: "10%", expireAfter: "720h" });
    const values = (key: string) => (pool as any).spec.template.spec.requirements.find((r: any) => r.key === key).values;
    const req = DEFAULT_NODE_POOL_REQUIREMENTS;
    expect(values("karpenter.k8s.aws/instance-category")).toEqual(req.categories);
    expect(values("karpenter.k8s.aws/instance-generation")).toEqual([String(req.minGeneration - 1)]);
    expect(values("karpenter.k8s.aws/instance-cpu")).toEqual([String(req.minVcpus - 1)]);
    const allowed = allowedInstanceTypes(req);
    // Boundaries of the filter: generation 5 and 6, 2 and 4 vCPUs, Nitro vs Xen, other categories.
    expect(allowed).toContain("m6i.xlarge");
    expect(allowed).not.toContain("m5.xlarge");
    expect(allowed).not.toContain("m6i.large");
    expect(allowed).not.toContain("t3.xlarge");
    expect(allowed).not.toContain("c4.xlarge");
    for (const type of allowed) expect(instanceLimits(type).vcpus).toBeGreaterThanOrEqual(req.minVcpus);
    // The pool's architecture follows the AMI type, and the planner plans only that architecture's types.
    const arm = allowedInstanceTypes(req, "AL2023_ARM_64_STANDARD");
    expect(arm).toContain("m7g.xlarge");
    expect(arm).not.toContain("m6i.xlarge");
    expect(allowedInstanceTypes(req, "AL2023_x86_64_STANDARD")).not.toContain("m7g.xlarge");
    for (const type of arm) expect(instanceLimits(type).architecture).toBe("arm64");
  });

  it("uses spot and on-demand in nonprod, on-demand only in prod, within the workloads group's vCPUs", () => {
    for (const [, e] of karpenterEnvs) {
      const env = e.name;
      const pools = e.availabilityZones.map((zone) => customResource(addons(env), "karpenter/default-nodes", `default-${zone}`));
      const requirement = (pool: any, key: string) => pool.spec.template.spec.requirements.find((r: any) => r.key === key)?.values;
      for (const [i, pool] of pools.entries()) {
        expect(requirement(pool, "karpenter.sh/capacity-type")).toEqual(e.stage === "prod" ? ["on-demand"] : ["spot", "on-demand"]);
        // One pool per zone, pinned to it, with its share of the limit (the IP plan sizes each AZ for it).
        expect(pool.metadata.name).toBe(`default-${e.availabilityZones[i]}`);
        expect(requirement(pool, "topology.kubernetes.io/zone")).toEqual([e.availabilityZones[i]]);
        expect(pool.spec.limits).toEqual({ cpu: String(Math.ceil(karpenterCpuLimit(e) / e.availabilityZones.length)) });
      }
      // The limit is the workloads group at full size: max nodes per AZ × AZs × its largest type's vCPUs.
      const w = e.cluster.nodeGroups.workloads;
      expect(karpenterCpuLimit(e)).toBe(w.maxNodesPerAz * e.availabilityZones.length * Math.max(...w.instanceTypes.map((t) => instanceLimits(t).vcpus)));
    }
  });

  it("counts pods like the VPC CNI mode: max pods 110 with prefix delegation, one reserved ENI with custom networking", () => {
    // The VPC CNI's rule per mode (kubelet override, ENIs Karpenter must not count for pods).
    const byMode = {
      "prefix-delegation": { kubelet: { maxPods: 110 }, reservedENIs: "0" },
      "custom-networking": { kubelet: undefined, reservedENIs: "1" },
      "secondary-ip": { kubelet: undefined, reservedENIs: "0" },
    } as const;
    for (const [, e] of karpenterEnvs) {
      const expected = byMode[e.cluster.podNetworking];
      expect(customResource(addons(e.name), "karpenter/default-nodes", "default").spec.kubelet, e.name).toEqual(expected.kubelet);
      expect(valuesOf(addons(e.name), "karpenter/chart").settings.reservedENIs, e.name).toBe(expected.reservedENIs);
    }
    for (const [mode, expected] of Object.entries(byMode)) {
      expect(karpenterPodDensity(mode as keyof typeof byMode).reservedENIs, mode).toBe(expected.reservedENIs);
    }
  });

  it("rejects invalid node class and pool inputs", () => {
    const nodeClass = {
      name: "default", clusterName: "c", nodeRoleName: "r", securityGroupId: "sg-1",
      amiAlias: "al2023@latest", rootVolumeSizeGiB: 50, podNetworking: "secondary-ip", tags: {},
    } as const;
    expect(() => ec2NodeClassManifest({ ...nodeClass, amiAlias: "al2@latest" })).toThrow(/amiAlias/);
    expect(() => ec2NodeClassManifest({ ...nodeClass, rootVolumeSizeGiB: 8 })).toThrow(/rootVolumeSizeGiB/);
    expect(ec2NodeClassManifest({ ...nodeClass, amiAlias: "al2023@v20250715" })).toMatchObject({ spec: { amiSelectorTerms: [{ alias: "al2023@v20250715" }] } });
    const pool = {
      name: "default", nodeClassName: "default", capacityTypes: ["on-demand"], architecture: "amd64",
      cpuLimit: 10, labels: {}, disruptionBudget: "10%", expireAfter: "720h",
    } as const;
    expect(() => nodePoolManifest({ ...pool, capacityTypes: [] })).toThrow(/capacityTypes/);
    expect(() => nodePoolManifest({ ...pool, capacityTypes: ["spot", "spot"] })).toThrow(/capacityTypes/);
    expect(() => nodePoolManifest({ ...pool, cpuLimit: 0 })).toThrow(/cpuLimit/);
    expect(() => nodePoolManifest({ ...pool, disruptionBudget: "lots" })).toThrow(/disruptionBudget/);
  });
});

describe("Cluster Autoscaler instead of Karpenter", () => {
  const { env } = variantBase();
  const stack = variantAddons((input) => ({ ...input, addons: { ...input.addons, autoscaler: "cluster-autoscaler" } }));

  it("installs exactly the autoscaler each environment chooses", () => {
    for (const e of envs) {
      const names = releaseNames(addons(e.name));
      expect(names.some((n) => n.startsWith("karpenter_")), e.name).toBe(e.addons.autoscaler === "karpenter");
      expect(names.some((n) => n.startsWith("cluster-autoscaler_")), e.name).toBe(e.addons.autoscaler === "cluster-autoscaler");
    }
  });

  it("replaces every Karpenter resource", () => {
    expect(releaseNames(stack).some((n) => n.startsWith("karpenter_"))).toBe(false);
    expect(resources(stack, "aws_sqs_queue")).toEqual({});
    expect(under(stack, "kubernetes_manifest", "karpenter")).toEqual([]);
    expect(under(stack, "aws_iam_role", "karpenter")).toEqual([]);
    const { repository, chart, version } = CLUSTER_AUTOSCALER_CHART;
    expect(releaseAt(stack, "cluster-autoscaler/chart")).toMatchObject({ repository, chart, version });
  });

  it("discovers this cluster's node groups with the autoscaler release of its Kubernetes version", () => {
    const values = valuesOf(stack, "cluster-autoscaler/chart");
    expect(values.autoDiscovery).toEqual({ clusterName: `eks-idp-${env.name}` });
    expect(values.awsRegion).toBe(env.region);
    expect(values.image).toEqual({ tag: clusterAutoscalerImageTag(env.cluster.kubernetesVersion) });
    expect(values.rbac.serviceAccount).toMatchObject({ create: true, name: "cluster-autoscaler" });
    expect(values.nodeSelector).toEqual(env.cluster.nodeGroups.system.labels);
    expect(values.image.tag).toMatch(new RegExp(`^v${env.cluster.kubernetesVersion.replace(".", "\\.")}\\.\\d+$`));
    expect(() => clusterAutoscalerImageTag("1.99")).toThrow(new RegExp(supportedKubernetesVersions().join(", ")));
  });

  it("may only scale Auto Scaling groups tagged as this cluster's", () => {
    expect(trustSubject(stack, "cluster-autoscaler")).toBe("system:serviceaccount:kube-system:cluster-autoscaler");
    const scale = inlinePolicy(stack, "cluster-autoscaler").find((s) => s.Action.includes("autoscaling:SetDesiredCapacity"));
    expect(scale.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/eks-idp-${env.name}`]: "owned" } });
  });
});

describe("cert-manager and ExternalDNS", () => {
  it("installs cert-manager with its CRDs and a Route 53 role limited to the zone, in every environment with a DNS zone", () => {
    for (const { name: env, addons: { dns } } of envs.filter((e) => e.addons.dns !== undefined)) {
      const s = addons(env);
      const zone = dns!.hostedZoneId;
      const values = valuesOf(s, "cert-manager/chart");
      expect(values.crds).toEqual({ enabled: true, keep: true });
      expect(values.installCRDs).toBeUndefined();
      expect(values.serviceAccount).toEqual({
        create: true,
        name: "cert-manager",
        annotations: { "eks.amazonaws.com/role-arn": ref(s, "aws_iam_role", "cert-manager/irsa/role", "arn") },
      });
      expect(values.securityContext.fsGroup).toBe(1001);
      expect(trustSubject(s, "cert-manager")).toBe("system:serviceaccount:cert-manager:cert-manager");
      const statements = inlinePolicy(s, "cert-manager");
      const records = statements.find((st) => st.Action.includes("route53:ChangeResourceRecordSets"));
      expect(records.Resource, env).toEqual([`arn:aws:route53:::hostedzone/${zone}`]);
      expect(records.Condition["ForAllValues:StringEquals"]["route53:ChangeResourceRecordSetsRecordTypes"]).toEqual(["TXT"]);
      expect(statements.flatMap((st) => st.Action)).not.toContain("route53:ListHostedZonesByName");
    }
  });

  it("runs ExternalDNS on the environment's zone: sync in nonprod, upsert-only in prod", () => {
    for (const e of envs.filter((x) => x.addons.dns !== undefined)) {
      const [env, policy] = [e.name, e.stage === "prod" ? "upsert-only" : "sync"];
      const s = addons(env);
      const dns = e.addons.dns!;
      const values = valuesOf(s, "external-dns/chart");
      expect(values).toMatchObject({
        provider: { name: "aws" },
        policy,
        txtOwnerId: `eks-idp-${env}`,
        domainFilters: [dns.domain],
        extraArgs: { "zone-id-filter": [dns.hostedZoneId] },
        serviceAccount: { name: "external-dns" },
      });
      expect(values.replicaCount).toBeUndefined();
      expect(trustSubject(s, "external-dns")).toBe("system:serviceaccount:external-dns:external-dns");
      const records = inlinePolicy(s, "external-dns").find((st) => st.Action.includes("route53:ChangeResourceRecordSets"));
      expect(records.Resource).toEqual([`arn:aws:route53:::hostedzone/${dns.hostedZoneId}`]);
    }
  });

  it("without a DNS zone: no ExternalDNS and no AWS identity for cert-manager", () => {
    const stack = variantAddons((env) => {
      const { dns: _dns, ...rest } = env.addons;
      return { ...env, addons: rest };
    });
    expect(releaseNames(stack).some((n) => n.startsWith("external-dns_"))).toBe(false);
    expect([...under(stack, "aws_iam_role", "cert-manager"), ...under(stack, "aws_iam_role", "external-dns")]).toEqual([]);
    const values = valuesOf(stack, "cert-manager/chart");
    expect(values.serviceAccount).toEqual({ create: true, name: "cert-manager" });
    expect(values.securityContext.fsGroup).toBeUndefined();
  });

  it("replicates cert-manager with PDBs where controllers are highly available, by the platform's rule in every environment", () => {
    const pdbOf = (replicas: number) => (replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false });
    for (const replicas of [1, 2]) {
      const values = certManagerValues({ releaseName: "cert-manager", serviceAccountName: "cert-manager", serviceAccountAnnotations: {}, replicas });
      expect(values.podDisruptionBudget, `${replicas} replicas`).toEqual(pdbOf(replicas));
    }
    for (const env of envs) {
      const replicas = haReplicas(env);
      const values = valuesOf(addons(env.name), "cert-manager/chart");
      for (const [component, v] of Object.entries({ controller: values, webhook: values.webhook, cainjector: values.cainjector })) {
        expect(v.replicaCount, `${env.name}: ${component}`).toBe(replicas);
        expect(v.podDisruptionBudget, `${env.name}: ${component}`).toEqual(pdbOf(replicas));
      }
    }
    expect(() => externalDnsValues({ domainFilters: [], hostedZoneIds: ["Z1"], txtOwnerId: "c", policy: "sync", serviceAccountName: "e", serviceAccountAnnotations: {} })).toThrow();
  });
});

describe("storage classes", () => {
  it("makes an encrypted gp3 StorageClass the default, bound where the pod runs", () => {
    for (const { name: env, stage } of envs) {
      const reclaim = stage === "prod" ? "Retain" : "Delete";
      const sc = at(addons(env), "kubernetes_storage_class_v1", "storage-classes/gp3");
      expect(sc).toMatchObject({
        metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        storage_provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true" },
        volume_binding_mode: "WaitForFirstConsumer",
        allow_volume_expansion: true,
        reclaim_policy: reclaim,
      });
    }
    expect(gp3Parameters("arn:aws:kms:ap-northeast-2:111122223333:key/k")).toMatchObject({ kmsKeyId: "arn:aws:kms:ap-northeast-2:111122223333:key/k" });
  });

  it("labels the EBS VolumeSnapshotClass for Velero", () => {
    for (const { name: env, stage } of envs) {
      const deletion = stage === "prod" ? "Retain" : "Delete";
      expect(at(addons(env), "kubernetes_manifest", "storage-classes/snapshot-class").manifest).toEqual({
        apiVersion: "snapshot.storage.k8s.io/v1",
        kind: "VolumeSnapshotClass",
        metadata: { name: "ebs-csi", labels: { "velero.io/csi-volumesnapshot-class": "true" } },
        driver: "ebs.csi.aws.com",
        deletionPolicy: deletion,
      });
    }
  });
});
