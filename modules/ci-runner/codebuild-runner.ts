/**
 * GitHub Actions runners inside an environment's VPC: an AWS CodeBuild project with a GitHub
 * webhook on `WORKFLOW_JOB_QUEUED` (CodeBuild user guide, "Self-hosted GitHub Actions runners in
 * AWS CodeBuild" and "Tutorial: Configure a CodeBuild-hosted GitHub Actions runner"). A job whose
 * `runs-on` carries the label `codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}`
 * runs in a fresh CodeBuild container in the environment's private subnets, which reach the
 * cluster's endpoint (private in prod) through the cluster security group on 443.
 *
 * Why CodeBuild rather than Actions Runner Controller: ARC runs in the cluster it would deploy to
 * (the add-ons layer would upgrade the pods running its own apply, and a broken cluster has no
 * runner to repair it), and it needs a GitHub App secret in the cluster. CodeBuild is created by
 * the platform's own stack (project, webhook, role with the permissions boundary, security group
 * and the rule to the cluster), every job gets a new container, nothing runs between jobs, and
 * it is billed per build minute.
 *
 * The project authenticates to GitHub with the account's default GitHub source credential
 * (an AWS CodeConnections connection set up once per account by hand, docs/ci.md); the runner's
 * own role only writes its logs and its network interfaces. Jobs get their AWS rights from the
 * GitHub OIDC roles they assume, never from this role.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodebuildWebhook } from "@cdktf/provider-aws/lib/codebuild-webhook";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { PlatformKey } from "../kms/platform-key";
import { AwsScope, PolicyStatement, policyDocument, serviceTrustPolicy } from "../irsa/policy-document";

/** The webhook event CodeBuild turns into a runner (CodeBuild user guide, GitHub webhook events). */
export const RUNNER_WEBHOOK_EVENT = "WORKFLOW_JOB_QUEUED";
/** CodeBuild's managed Amazon Linux 2023 image with the AWS CLI (curated images, x86_64 standard 5.0). */
export const RUNNER_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";
/** The Kubernetes API server port of an EKS endpoint. */
export const KUBERNETES_API_PORT = 443;

/** Name of the CodeBuild project of an environment's runners: `<prefix>-<env>-ci-runner`. */
export function runnerProjectName(environmentPrefix: string): string {
  return `${environmentPrefix}-ci-runner`;
}

/** The `runs-on` label of a job on a runner of `project` (one runner per job and attempt). */
export function runnerLabel(project: string): string {
  return `codebuild-${project}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

/**
 * The runner role's policy: its CloudWatch log group, and the VPC network interfaces CodeBuild
 * creates for a build in the given subnets (CodeBuild user guide, "Allow CodeBuild access to AWS
 * services required to create a VPC network interface"). Nothing else: a job's AWS rights come
 * from the GitHub OIDC role it assumes.
 */
export function runnerPolicyStatements(
  s: AwsScope,
  logGroupName: string,
  subnetArns: readonly string[],
  securityGroupArn: string,
): PolicyStatement[] {
  const logGroupArn = `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${logGroupName}`;
  return [
    { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logGroupArn, `${logGroupArn}:log-stream:*`] },
    {
      // Describe* have no resource-level permissions.
      Sid: "DescribeVpc",
      Effect: "Allow",
      Action: ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
      Resource: ["*"],
    },
    {
      // The runner's interfaces: in its subnets, with its security group.
      Sid: "RunnerNetworkInterfaces",
      Effect: "Allow",
      Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"],
      Resource: [`arn:${s.partition}:ec2:${s.region}:${s.accountId}:network-interface/*`, ...subnetArns, securityGroupArn],
    },
    {
      Sid: "NetworkInterfacePermissionInRunnerSubnets",
      Effect: "Allow",
      Action: ["ec2:CreateNetworkInterfacePermission"],
      Resource: [`arn:${s.partition}:ec2:${s.region}:${s.accountId}:network-interface/*`],
      Condition: {
        StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
        ArnEquals: { "ec2:Subnet": [...subnetArns] },
      },
    },
  ];
}

export interface CodebuildRunnerProps {
  /** `<prefix>-<env>`: the project is `<prefix>-<env>-ci-runner`. */
  readonly environmentPrefix: string;
  /** The GitHub repository whose workflow jobs the webhook accepts, `owner/name`. */
  readonly repository: string;
  readonly scope: AwsScope;
  readonly vpcId: string;
  /** Private subnets (with a NAT route to GitHub and the AWS APIs). */
  readonly subnetIds: readonly string[];
  /** The cluster security group: the runners get an ingress rule on 443 to it. */
  readonly clusterSecurityGroupId: string;
  /**
   * CodeBuild compute type of a runner.
   * @default "BUILD_GENERAL1_MEDIUM"
   */
  readonly computeType?: string;
  /**
   * Days to keep the runners' logs.
   * @default 30
   */
  readonly logRetentionDays?: number;
}

/** An environment's in-VPC GitHub Actions runners (see the file comment). */
export class CodebuildRunner extends Construct {
  readonly project: CodebuildProject;
  readonly securityGroup: SecurityGroup;
  readonly role: IamRole;
  /** The `runs-on` label of a job on these runners. */
  readonly label: string;

  constructor(scope: Construct, id: string, props: CodebuildRunnerProps) {
    super(scope, id);
    const name = runnerProjectName(props.environmentPrefix);
    this.label = runnerLabel(name);
    const logGroupName = `/aws/codebuild/${name}`;
    const { partition, region, accountId } = props.scope;

    const logGroupArn = `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName}`;
    const key = new PlatformKey(this, "log-key", {
      alias: name,
      description: `Encrypts the logs of the GitHub Actions runners of ${props.environmentPrefix}`,
      scope: props.scope,
      cloudWatchLogGroupArns: [logGroupArn],
    });
    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.logRetentionDays ?? 30,
      kmsKeyId: key.arn,
    });

    // GitHub, the AWS APIs, the provider registry and the cluster endpoint are all HTTPS; DNS goes
    // to the VPC resolver, which security groups do not filter. No ingress.
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: name,
      description: `GitHub Actions runners of ${props.environmentPrefix} (CodeBuild): HTTPS out only`,
      vpcId: props.vpcId,
      egress: [
        {
          description: "HTTPS to GitHub, AWS APIs, registries and the cluster endpoint",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["0.0.0.0/0"],
        },
      ],
      tags: { Name: name },
    });
    new VpcSecurityGroupIngressRule(this, "cluster-api-from-runners", {
      securityGroupId: props.clusterSecurityGroupId,
      description: `Kubernetes API from the GitHub Actions runners of ${props.environmentPrefix}`,
      ipProtocol: "tcp",
      fromPort: KUBERNETES_API_PORT,
      toPort: KUBERNETES_API_PORT,
      referencedSecurityGroupId: this.securityGroup.id,
    });

    this.role = new IamRole(this, "role", {
      name,
      description: `CodeBuild-hosted GitHub Actions runners of ${props.environmentPrefix} (logs and VPC interfaces only)`,
      assumeRolePolicy: serviceTrustPolicy("codebuild.amazonaws.com", accountId),
    });
    const subnetArns = props.subnetIds.map((subnet) => `arn:${partition}:ec2:${region}:${accountId}:subnet/${subnet}`);
    new IamRolePolicy(this, "role-policy", {
      role: this.role.id,
      name: "runner",
      policy: JSON.stringify(
        policyDocument(runnerPolicyStatements(props.scope, logGroupName, subnetArns, this.securityGroup.arn)),
      ),
    });

    this.project = new CodebuildProject(this, "project", {
      name,
      // (No `${{ }}` label here: Terraform would read it as an interpolation.)
      description: `GitHub Actions runners of ${props.environmentPrefix} in its VPC (runs-on label codebuild-${name}-<run id>-<run attempt>)`,
      serviceRole: this.role.arn,
      // A runner project builds nothing itself: the workflow job's steps run in the container.
      source: { type: "GITHUB", location: `https://github.com/${props.repository}.git` },
      artifacts: { type: "NO_ARTIFACTS" },
      environment: {
        type: "LINUX_CONTAINER",
        computeType: props.computeType ?? "BUILD_GENERAL1_MEDIUM",
        image: RUNNER_IMAGE,
        imagePullCredentialsType: "CODEBUILD",
      },
      vpcConfig: { vpcId: props.vpcId, subnets: [...props.subnetIds], securityGroupIds: [this.securityGroup.id] },
      logsConfig: { cloudwatchLogs: { groupName: logGroup.name, status: "ENABLED" } },
      // A job runs at most 115 minutes (one layer inside a 2-hour session, docs/ci.md).
      buildTimeout: 120,
      dependsOn: [logGroup],
    });

    new CodebuildWebhook(this, "webhook", {
      projectName: this.project.name,
      buildType: "BUILD",
      // A repository webhook (source location above) sees only this repository's jobs.
      filterGroup: [{ filter: [{ type: "EVENT", pattern: RUNNER_WEBHOOK_EVENT }] }],
    });
  }
}
