import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AddonContext } from "../context";
import { HelmAddon, ReleaseOptions } from "../../modules/helm/helm-addon";
import { IrsaRole } from "../../modules/irsa/irsa-role";
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from "./chart";
import { awsLoadBalancerControllerPolicy } from "./iam-policy";
import { awsLoadBalancerControllerValues } from "./values";

export interface AwsLoadBalancerControllerProps extends ReleaseOptions {
  /**
   * Controller replicas (leader-elected; the webhooks are served by every replica).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Tags on every load balancer, target group and security group the controller creates (the AWS
   * provider's default tags do not reach them).
   * @default {}
   */
  readonly defaultTags?: Readonly<Record<string, string>>;
}

/**
 * The AWS Load Balancer Controller in `kube-system`, with an IRSA role carrying the policy AWS
 * publishes for this release (`iam-policy.ts`).
 *
 * Its mutating webhook intercepts every Service created in the cluster (`failurePolicy: Fail`), so
 * everything that creates Services or Ingresses must depend on {@link AwsLoadBalancerController.dependables}:
 * they then install after the webhook is ready, and on destroy they are removed while the controller
 * still runs and deletes the load balancers it created.
 */
export class AwsLoadBalancerController extends Construct {
  static readonly NAMESPACE = "kube-system";
  static readonly SERVICE_ACCOUNT = "aws-load-balancer-controller";
  static readonly RELEASE_NAME = "aws-load-balancer-controller";

  readonly role: IrsaRole;
  readonly helm: HelmAddon;
  /** What Services, Ingresses and TargetGroupBindings must wait for. */
  readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, context: AddonContext, props: AwsLoadBalancerControllerProps = {}) {
    super(scope, id);
    const { NAMESPACE, SERVICE_ACCOUNT, RELEASE_NAME } = AwsLoadBalancerController;

    this.role = new IrsaRole(this, "irsa", {
      oidc: context.oidc,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      roleName: `${context.namePrefix}-aws-load-balancer-controller`,
      description: `AWS Load Balancer Controller of ${context.clusterName}`,
      policyStatements: awsLoadBalancerControllerPolicy(context.scope),
    });

    this.helm = new HelmAddon(this, "chart", {
      releaseName: RELEASE_NAME,
      namespace: NAMESPACE,
      chart: AWS_LOAD_BALANCER_CONTROLLER_CHART,
      values: awsLoadBalancerControllerValues({
        releaseName: RELEASE_NAME,
        clusterName: context.clusterName,
        region: context.scope.region,
        vpcId: context.vpcId,
        serviceAccountName: SERVICE_ACCOUNT,
        serviceAccountAnnotations: this.role.serviceAccountAnnotations,
        replicas: props.replicas ?? 2,
        defaultTags: props.defaultTags ?? {},
      }),
      overrides: props.overrides ?? {},
      // templates/webhook.yaml: the webhook Service (admitted without waiting: it is this release's own).
      createsServices: true,
      provides: ["load-balancer-webhook"],
      irsaRoles: [this.role],
      dependsOn: props.dependsOn ?? [],
    });
    this.dependables = [this.helm.release];
  }
}
