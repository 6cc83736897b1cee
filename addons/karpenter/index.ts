import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AddonContext } from "../context";
import { NodeRole } from "../../modules/eks/node-group";
import { CustomResources } from "../../modules/helm/custom-resources";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { IrsaRole } from "../../modules/irsa/irsa-role";
import type { PodNetworkingMode } from "../../modules/network/max-pods";
import { KARPENTER_CHART, KARPENTER_CRD_CHART } from "./chart";
import { karpenterControllerPolicy } from "./iam-policy";
import { INTERRUPTION_EVENT_PATTERNS, INTERRUPTION_QUEUE_RETENTION_SECONDS, interruptionQueuePolicy } from "./interruption";
import { CapacityType, ec2NodeClassManifest, nodePoolManifest } from "./manifests";
import { karpenterValues } from "./values";

export interface KarpenterProps extends ReleaseOptions {
  /**
   * Controller replicas (leader-elected; more than one only for availability).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Labels of the managed nodes the controller runs on, e.g. the `system` node group's labels.
   * @default {} - any Linux node without `karpenter.sh/nodepool` (the chart's affinity)
   */
  readonly controllerNodeSelector?: Readonly<Record<string, string>>;
  /**
   * How the VPC CNI gives pods addresses; sets `RESERVED_ENIS` and the kubelet max pods of the nodes.
   * @default "secondary-ip"
   */
  readonly podNetworking?: PodNetworkingMode;
  /** Ceiling of the vCPUs of all nodes of the default NodePool(s), split evenly across `zones`. */
  readonly cpuLimit: number;
  /**
   * Availability zones: one NodePool per zone (`default-<zone>`), each limited to
   * `ceil(cpuLimit / zones)` vCPUs, so that one AZ never holds more than its share.
   * @default - one NodePool `default` over every zone of the subnets
   */
  readonly zones?: readonly string[];
  /**
   * Capacity types of the default NodePool.
   * @default ["on-demand"]
   */
  readonly capacityTypes?: readonly CapacityType[];
  /**
   * CPU architecture of the default NodePool.
   * @default "amd64"
   */
  readonly architecture?: "amd64" | "arm64";
  /**
   * AL2023 AMI alias of the default EC2NodeClass. `latest` rolls every node when AWS publishes an
   * AMI (drift); pin a version (`al2023@vYYYYMMDD`) in production.
   * @default "al2023@latest"
   */
  readonly amiAlias?: string;
  /**
   * Root volume size of the nodes in GiB (gp3, encrypted).
   * @default 50
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * Labels on every node of the default NodePool.
   * @default {}
   */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /**
   * Tags on the instances, volumes and network interfaces Karpenter launches (the AWS provider's
   * default tags do not reach them).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Share (or number) of the default NodePool's nodes Karpenter may disrupt at once.
   * @default "10%"
   */
  readonly disruptionBudget?: string;
  /**
   * Lifetime of a node before Karpenter replaces it.
   * @default "720h"
   */
  readonly expireAfter?: string;
}

/**
 * Karpenter in `kube-system`, with everything it needs on the AWS side, as in Karpenter's
 * getting-started CloudFormation template:
 * - the SQS interruption queue (SQS-managed SSE, TLS only) fed by EventBridge rules for Spot
 *   interruptions, rebalance recommendations, instance state changes, capacity-reservation
 *   interruptions and AWS Health events;
 * - the IAM role of the nodes it launches (the platform's node policies) and its EC2_LINUX access
 *   entry;
 * - the controller's IRSA role (`iam-policy.ts`: PassRole only on that node role, SQS only on that
 *   queue);
 * - the CRD chart, then the controller chart on the managed `system` nodes;
 * - a default `EC2NodeClass` and `NodePool`(s), rendered by a Helm release of the repository's
 *   `platform-resources` chart (`CustomResources`): nothing needs the `karpenter-crd` CRDs when
 *   Terraform plans, so a new cluster gets everything in one apply.
 *
 * The node release depends on the controller release, so a destroy uninstalls the NodePools and the
 * EC2NodeClass while Karpenter still runs and waits until they are gone: Karpenter drains and
 * terminates its nodes first (the EC2NodeClass finalizer waits for them).
 */
export class Karpenter extends Construct {
  static readonly NAMESPACE = "kube-system";
  static readonly SERVICE_ACCOUNT = "karpenter";
  static readonly RELEASE_NAME = "karpenter";
  static readonly NODE_CLASS_NAME = "default";
  static readonly NODE_POOL_NAME = "default";

  readonly queue: SqsQueue;
  readonly nodeRole: NodeRole;
  readonly nodeAccessEntry: EksAccessEntry;
  readonly controllerRole: IrsaRole;
  readonly crds: HelmAddon;
  readonly helm: HelmAddon;
  /** The default EC2NodeClass and the NodePools (one per zone when `zones` is given, else one). */
  readonly defaultNodes: CustomResources;

  constructor(scope: Construct, id: string, context: AddonContext, props: KarpenterProps) {
    super(scope, id);
    const { NAMESPACE, SERVICE_ACCOUNT, RELEASE_NAME } = Karpenter;
    const { partition, region, accountId } = context.scope;
    const prefix = `${context.namePrefix}-karpenter`;
    const podNetworking = props.podNetworking ?? "secondary-ip";
    const dependsOn = props.dependsOn ?? [];

    // --- Interruption handling ---
    this.queue = new SqsQueue(this, "interruption-queue", {
      name: `${prefix}-interruption`,
      messageRetentionSeconds: INTERRUPTION_QUEUE_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    });
    const rules: ITerraformDependable[] = [];
    const ruleArns: string[] = [];
    for (const key of Object.keys(INTERRUPTION_EVENT_PATTERNS).sort()) {
      const rule = new CloudwatchEventRule(this, `rule-${key}`, {
        name: `${prefix}-${key}`,
        description: `Karpenter interruption handling of ${context.clusterName}: ${INTERRUPTION_EVENT_PATTERNS[key]!["detail-type"].join(", ")}`,
        eventPattern: JSON.stringify(INTERRUPTION_EVENT_PATTERNS[key]),
      });
      ruleArns.push(rule.arn);
      rules.push(
        new CloudwatchEventTarget(this, `rule-${key}-target`, {
          rule: rule.name,
          targetId: "KarpenterInterruptionQueueTarget",
          arn: this.queue.arn,
        }),
      );
    }
    // Only the rules above may send to the queue (aws:SourceArn).
    rules.push(
      new SqsQueuePolicy(this, "interruption-queue-policy", {
        queueUrl: this.queue.url,
        policy: JSON.stringify(interruptionQueuePolicy(this.queue.arn, ruleArns)),
      }),
    );

    // --- Nodes ---
    const nodeRoleName = `${prefix}-node`;
    this.nodeRole = new NodeRole(this, "node-role", { roleName: nodeRoleName, partition });
    this.nodeAccessEntry = new EksAccessEntry(this, "node-access-entry", {
      clusterName: context.clusterName,
      principalArn: this.nodeRole.arn,
      type: "EC2_LINUX",
    });

    // --- Controller ---
    this.controllerRole = new IrsaRole(this, "irsa", {
      oidc: context.oidc,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      roleName: prefix,
      description: `Karpenter controller of ${context.clusterName}`,
      policyStatements: karpenterControllerPolicy({
        scope: context.scope,
        clusterName: context.clusterName,
        clusterArn: `arn:${partition}:eks:${region}:${accountId}:cluster/${context.clusterName}`,
        nodeRoleArn: this.nodeRole.arn,
        interruptionQueueArn: this.queue.arn,
      }),
    });

    this.crds = new HelmAddon(this, "crd-chart", {
      releaseName: "karpenter-crd",
      namespace: NAMESPACE,
      chart: KARPENTER_CRD_CHART,
      values: {},
      // CRDs only (templates/ holds the CRD manifests).
      createsServices: false,
      dependsOn,
    });
    this.helm = new HelmAddon(this, "chart", {
      releaseName: RELEASE_NAME,
      namespace: NAMESPACE,
      chart: KARPENTER_CHART,
      values: karpenterValues({
        releaseName: RELEASE_NAME,
        clusterName: context.clusterName,
        interruptionQueueName: this.queue.name,
        serviceAccountName: SERVICE_ACCOUNT,
        serviceAccountAnnotations: this.controllerRole.serviceAccountAnnotations,
        replicas: props.replicas ?? 2,
        nodeSelector: props.controllerNodeSelector ?? {},
        podNetworking,
      }),
      overrides: props.overrides ?? {},
      // templates/service.yaml (metrics, webhook); the ServiceMonitor (templates/servicemonitor.yaml,
      // rendered only when the API server serves monitoring.coreos.com/v1) needs the CRDs first.
      createsServices: true,
      needs: ["monitoring-crds"],
      irsaRoles: [this.controllerRole],
      dependsOn: [
        this.crds.release,
        ...rules,
        this.nodeAccessEntry,
        ...this.nodeRole.attachments,
        ...dependsOn,
      ],
    });

    // --- Default node class and pools (custom resources, through the platform-resources chart) ---
    // One pool per zone when zones are given: Karpenter does not balance zones and its limit is per
    // pool, so a per-zone limit is what bounds the addresses one AZ's subnets must hold.
    const zones = props.zones ?? [];
    const pools = zones.length === 0 ? [{ id: "node-pool", name: Karpenter.NODE_POOL_NAME, zone: undefined }] : zones.map((zone) => ({ id: `node-pool-${zone}`, name: `${Karpenter.NODE_POOL_NAME}-${zone}`, zone }));
    const nodeClass = ec2NodeClassManifest({
      name: Karpenter.NODE_CLASS_NAME,
      clusterName: context.clusterName,
      // The literal name (known at plan time), with a dependency on the role below.
      nodeRoleName,
      securityGroupId: context.clusterSecurityGroupId,
      amiAlias: props.amiAlias ?? "al2023@latest",
      rootVolumeSizeGiB: props.rootVolumeSizeGiB ?? 50,
      podNetworking,
      tags: props.tags ?? {},
    });
    const nodePools = pools.map((pool) =>
      nodePoolManifest({
        name: pool.name,
        nodeClassName: Karpenter.NODE_CLASS_NAME,
        capacityTypes: props.capacityTypes ?? ["on-demand"],
        architecture: props.architecture ?? "amd64",
        cpuLimit: zones.length === 0 ? props.cpuLimit : Math.ceil(props.cpuLimit / zones.length),
        ...(pool.zone !== undefined ? { zone: pool.zone } : {}),
        labels: props.nodeLabels ?? {},
        disruptionBudget: props.disruptionBudget ?? "10%",
        expireAfter: props.expireAfter ?? "720h",
      }),
    );
    this.defaultNodes = new CustomResources(this, "default-nodes", {
      releaseName: `${RELEASE_NAME}-default-nodes`,
      namespace: NAMESPACE,
      resources: [nodeClass, ...nodePools],
      dependsOn: [this.helm.release],
      // Destroy waits for Karpenter to drain and terminate the nodes.
      timeoutSeconds: 900,
      // Applied as kubernetes_manifest by earlier versions: adopted, not deleted and re-created.
      replacesManifests: ["node-class", ...pools.map((pool) => pool.id)],
    });
  }
}
