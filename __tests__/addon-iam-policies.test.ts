import { describe, expect, it } from "vitest";
import {
  AWS_LOAD_BALANCER_CONTROLLER_POLICY_SOURCE,
  awsLoadBalancerControllerPolicy,
} from "../addons/aws-load-balancer-controller/iam-policy";
import { CERT_MANAGER_ROUTE53_POLICY_SOURCE, certManagerRoute53Policy } from "../addons/cert-manager/iam-policy";
import { CLUSTER_AUTOSCALER_POLICY_SOURCE, clusterAutoscalerPolicy } from "../addons/cluster-autoscaler/iam-policy";
import { EXTERNAL_DNS_POLICY_SOURCE, externalDnsPolicy } from "../addons/external-dns/iam-policy";
import { EXTERNAL_SECRETS_POLICY_SOURCE, externalSecretsPolicy } from "../addons/external-secrets/iam-policy";
import {
  FLUENT_BIT_POLICY_SOURCE,
  fluentBitCloudWatchPolicy,
  fluentBitOpenSearchPolicy,
} from "../addons/fluent-bit/iam-policy";
import { KARPENTER_CONTROLLER_POLICY_SOURCE, karpenterControllerPolicy } from "../addons/karpenter/iam-policy";
import { VELERO_POLICY_SOURCE, veleroPolicy } from "../addons/velero/iam-policy";
import { type AwsScope, type PolicyStatement, policyDocument } from "../modules/irsa/policy-document";

// A non-commercial partition, so that a hard-coded `arn:aws:` shows up.
const SCOPE: AwsScope = { partition: "aws-us-gov", region: "us-gov-west-1", accountId: "111122223333" };
const ARN = `arn:${SCOPE.partition}:`;
const CLUSTER = "platform-prd";
const CLUSTER_ARN = `${ARN}eks:${SCOPE.region}:${SCOPE.accountId}:cluster/${CLUSTER}`;
const NODE_ROLE_ARN = `${ARN}iam::${SCOPE.accountId}:role/${CLUSTER}-karpenter-node`;
const QUEUE_ARN = `${ARN}sqs:${SCOPE.region}:${SCOPE.accountId}:${CLUSTER}-karpenter`;
const ZONES = ["Z0123456789ABCDEFGHIJ", "Z9876543210JIHGFEDCBA"] as const;
const BUCKET_ARN = `${ARN}s3:::${CLUSTER}-velero`;
const KEY_ARN = `${ARN}kms:${SCOPE.region}:${SCOPE.accountId}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const LOG_GROUP_ARNS = [
  `${ARN}logs:${SCOPE.region}:${SCOPE.accountId}:log-group:/platform/${CLUSTER}/application`,
  `${ARN}logs:${SCOPE.region}:${SCOPE.accountId}:log-group:/platform/${CLUSTER}/dataplane`,
];
const DOMAIN_ARN = `${ARN}es:${SCOPE.region}:${SCOPE.accountId}:domain/${CLUSTER}-logs`;
const SECRET_ARNS = [
  `${ARN}secretsmanager:${SCOPE.region}:${SCOPE.accountId}:secret:platform/db-AbCdEf`,
  `${ARN}secretsmanager:${SCOPE.region}:${SCOPE.accountId}:secret:platform/api-key-GhIjKl`,
];
const SECRET_KEY_ARNS = [KEY_ARN];

interface Case {
  readonly name: string;
  readonly statements: readonly PolicyStatement[];
  /**
   * Actions that may be granted on `Resource: ["*"]` without a condition: those AWS documents as not
   * supporting resource-level permissions (list/describe calls), plus, for the load balancer
   * controller, the ones its published policy grants that way (kept faithful on purpose). Pinning the
   * list makes any new unconditioned `*` grant fail this test.
   */
  readonly unscopedAllowlist: readonly string[];
}

const LBC_UNSCOPED = [
  // docs/install/iam_policy.json v3.5.0, statement 2: Describe/Get calls
  "ec2:DescribeAccountAttributes",
  "ec2:DescribeAddresses",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeVpcs",
  "ec2:DescribeVpcPeeringConnections",
  "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeInstances",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeTags",
  "ec2:GetCoipPoolUsage",
  "ec2:DescribeCoipPools",
  "ec2:GetSecurityGroupsForVpc",
  "ec2:DescribeIpamPools",
  "ec2:DescribeRouteTables",
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeLoadBalancerAttributes",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeListenerCertificates",
  "elasticloadbalancing:DescribeSSLPolicies",
  "elasticloadbalancing:DescribeRules",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetGroupAttributes",
  "elasticloadbalancing:DescribeTargetHealth",
  "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeTrustStores",
  "elasticloadbalancing:DescribeListenerAttributes",
  "elasticloadbalancing:DescribeCapacityReservation",
  // statement 3: Cognito, ACM, IAM server certificates, WAF, Shield
  "cognito-idp:DescribeUserPoolClient",
  "acm:ListCertificates",
  "acm:DescribeCertificate",
  "iam:ListServerCertificates",
  "iam:GetServerCertificate",
  "waf-regional:GetWebACL",
  "waf-regional:GetWebACLForResource",
  "waf-regional:AssociateWebACL",
  "waf-regional:DisassociateWebACL",
  "wafv2:GetWebACL",
  "wafv2:GetWebACLForResource",
  "wafv2:AssociateWebACL",
  "wafv2:DisassociateWebACL",
  "shield:GetSubscriptionState",
  "shield:DescribeProtection",
  "shield:CreateProtection",
  "shield:DeleteProtection",
  // statements 4 and 5: security groups of (possibly unowned) load balancers
  "ec2:AuthorizeSecurityGroupIngress",
  "ec2:RevokeSecurityGroupIngress",
  "ec2:CreateSecurityGroup",
  // statements 10 and 16: listeners and rules
  "elasticloadbalancing:CreateListener",
  "elasticloadbalancing:DeleteListener",
  "elasticloadbalancing:CreateRule",
  "elasticloadbalancing:DeleteRule",
  "elasticloadbalancing:SetWebAcl",
  "elasticloadbalancing:ModifyListener",
  "elasticloadbalancing:AddListenerCertificates",
  "elasticloadbalancing:RemoveListenerCertificates",
  "elasticloadbalancing:ModifyRule",
  "elasticloadbalancing:SetRulePriorities",
];

const lbc = awsLoadBalancerControllerPolicy(SCOPE);
const karpenter = karpenterControllerPolicy({
  scope: SCOPE,
  clusterName: CLUSTER,
  clusterArn: CLUSTER_ARN,
  nodeRoleArn: NODE_ROLE_ARN,
  interruptionQueueArn: QUEUE_ARN,
});
const autoscaler = clusterAutoscalerPolicy({ scope: SCOPE, clusterName: CLUSTER });
const externalDns = externalDnsPolicy({ scope: SCOPE, hostedZoneIds: ZONES });
const certManager = certManagerRoute53Policy({ scope: SCOPE, hostedZoneIds: ZONES });
const velero = veleroPolicy({ scope: SCOPE, bucketArn: BUCKET_ARN, kmsKeyArn: KEY_ARN });
const fluentBitCw = fluentBitCloudWatchPolicy({ scope: SCOPE, logGroupArns: LOG_GROUP_ARNS });
const fluentBitOs = fluentBitOpenSearchPolicy({ domainArn: DOMAIN_ARN });
const externalSecrets = externalSecretsPolicy({ secretArns: SECRET_ARNS, kmsKeyArns: SECRET_KEY_ARNS });

const CASES: readonly Case[] = [
  { name: "aws-load-balancer-controller", statements: lbc, unscopedAllowlist: LBC_UNSCOPED },
  {
    name: "karpenter",
    statements: karpenter,
    unscopedAllowlist: ["pricing:GetProducts", "iam:ListInstanceProfiles"],
  },
  {
    name: "cluster-autoscaler",
    statements: autoscaler,
    unscopedAllowlist: [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
    ],
  },
  { name: "external-dns", statements: externalDns, unscopedAllowlist: ["route53:ListHostedZones"] },
  { name: "cert-manager", statements: certManager, unscopedAllowlist: [] },
  { name: "velero", statements: velero, unscopedAllowlist: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"] },
  { name: "fluent-bit (cloudwatch_logs)", statements: fluentBitCw, unscopedAllowlist: [] },
  { name: "fluent-bit (opensearch)", statements: fluentBitOs, unscopedAllowlist: [] },
  { name: "external-secrets", statements: externalSecrets, unscopedAllowlist: [] },
];

const isUnscoped = (s: PolicyStatement) => s.Resource.length === 1 && s.Resource[0] === "*";
const withAction = (statements: readonly PolicyStatement[], action: string) =>
  statements.filter((s) => s.Action.includes(action));
const allActions = (statements: readonly PolicyStatement[]) => statements.flatMap((s) => s.Action);

describe.each(CASES)("$name IAM policy", ({ statements, unscopedAllowlist }) => {
  it("has well-formed Allow statements with actions and resources", () => {
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.Effect).toBe("Allow");
      expect(s.Action.length).toBeGreaterThan(0);
      expect(s.Resource.length).toBeGreaterThan(0);
      if (s.Sid !== undefined) expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
      for (const action of s.Action) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
    }
  });

  it("names every action explicitly (no `*` and no `service:*`)", () => {
    for (const action of allActions(statements)) {
      expect(action).not.toBe("*");
      expect(action.endsWith(":*")).toBe(false);
      expect(action).not.toContain("*");
    }
  });

  it("grants `Resource: *` only for allowlisted actions or under a condition", () => {
    for (const s of statements) {
      if (s.Resource.includes("*")) expect(s.Resource).toEqual(["*"]);
      if (!isUnscoped(s) || s.Condition !== undefined) continue;
      for (const action of s.Action) expect(unscopedAllowlist).toContain(action);
    }
  });

  it("builds ARNs in the scope's partition", () => {
    for (const resource of statements.flatMap((s) => s.Resource)) {
      if (resource === "*") continue;
      expect(resource.startsWith(ARN)).toBe(true);
      expect(resource).not.toContain("arn:aws:");
    }
  });

  it("fits in an inline role policy (10,240 characters)", () => {
    expect(JSON.stringify(policyDocument(statements)).length).toBeLessThan(10_240);
  });
});

describe("AWS Load Balancer Controller policy", () => {
  it("records the published source it matches", () => {
    expect(AWS_LOAD_BALANCER_CONTROLLER_POLICY_SOURCE).toMatchObject({
      repository: "kubernetes-sigs/aws-load-balancer-controller",
      ref: "v3.5.0",
      path: "docs/install/iam_policy.json",
    });
  });

  it("has the 16 statements of docs/install/iam_policy.json v3.5.0", () => {
    expect(lbc).toHaveLength(16);
    // 86 action entries, 80 distinct actions (some appear in two statements with different scoping).
    expect(allActions(lbc)).toHaveLength(86);
    expect(new Set(allActions(lbc)).size).toBe(80);
  });

  it("keeps the published elbv2.k8s.aws/cluster tag conditions", () => {
    const requestTagged = lbc.filter((s) => s.Condition?.Null?.["aws:RequestTag/elbv2.k8s.aws/cluster"] === "false");
    const resourceTagged = lbc.filter((s) => s.Condition?.Null?.["aws:ResourceTag/elbv2.k8s.aws/cluster"] === "false");
    const retagOnly = lbc.filter((s) => s.Condition?.Null?.["aws:RequestTag/elbv2.k8s.aws/cluster"] === "true");
    expect(requestTagged).toHaveLength(3);
    expect(resourceTagged).toHaveLength(4);
    expect(retagOnly).toHaveLength(2);

    const create = lbc.find((s) => s.Action.includes("elasticloadbalancing:CreateLoadBalancer"));
    expect(create?.Condition).toEqual({ Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } });
    const modify = lbc.find((s) => s.Action.includes("elasticloadbalancing:DeleteLoadBalancer"));
    expect(modify?.Condition).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
    const deleteSg = lbc.find((s) => s.Action.includes("ec2:DeleteSecurityGroup"));
    expect(deleteSg?.Condition).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
    const tagNewSg = lbc.find((s) => s.Condition?.StringEquals?.["ec2:CreateAction"] === "CreateSecurityGroup");
    expect(tagNewSg).toMatchObject({ Action: ["ec2:CreateTags"], Resource: [`${ARN}ec2:*:*:security-group/*`] });
    const tagOnCreate = lbc.find((s) => s.Condition?.StringEquals?.["elasticloadbalancing:CreateAction"] !== undefined);
    expect(tagOnCreate?.Condition?.StringEquals?.["elasticloadbalancing:CreateAction"]).toEqual([
      "CreateTargetGroup",
      "CreateLoadBalancer",
    ]);
    expect(withAction(lbc, "iam:CreateServiceLinkedRole")[0]?.Condition).toEqual({
      StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
    });
  });

  it("registers targets only in target groups", () => {
    expect(withAction(lbc, "elasticloadbalancing:RegisterTargets")[0]?.Resource).toEqual([
      `${ARN}elasticloadbalancing:*:*:targetgroup/*/*`,
    ]);
  });
});

describe("Karpenter controller policy", () => {
  it("records the published source it matches", () => {
    expect(KARPENTER_CONTROLLER_POLICY_SOURCE).toMatchObject({ repository: "aws/karpenter-provider-aws", ref: "v1.14.1" });
    expect(karpenter).toHaveLength(18);
  });

  it("passes only the node role, and only to EC2", () => {
    const passRole = withAction(karpenter, "iam:PassRole");
    expect(passRole).toHaveLength(1);
    expect(passRole[0]?.Resource).toEqual([NODE_ROLE_ARN]);
    expect(passRole[0]?.Action).toEqual(["iam:PassRole"]);
    expect(passRole[0]?.Condition?.StringEquals?.["iam:PassedToService"]).toContain("ec2.amazonaws.com");
  });

  it("reads only the interruption queue and describes only the cluster", () => {
    const sqs = karpenter.filter((s) => s.Action.some((a) => a.startsWith("sqs:")));
    expect(sqs).toHaveLength(1);
    expect(sqs[0]?.Resource).toEqual([QUEUE_ARN]);
    expect(sqs[0]?.Action).toEqual(["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"]);
    const describe = withAction(karpenter, "eks:DescribeCluster");
    expect(describe).toHaveLength(1);
    expect(describe[0]?.Resource).toEqual([CLUSTER_ARN]);
    expect(withAction(karpenter, "arc-zonal-shift:GetManagedResource")[0]?.Condition).toEqual({
      StringEquals: { "arc-zonal-shift:ResourceIdentifier": CLUSTER_ARN },
    });
  });

  it("mutates EC2 and instance profiles only under this cluster's tags", () => {
    const ownedRequest = `aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`;
    const ownedResource = `aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`;
    const mutating = karpenter.filter(
      (s) =>
        s.Sid !== "AllowScopedEC2InstanceAccessActions" &&
        s.Action.some((a) => /^(ec2|iam):(Run|Create|Terminate|Delete|Tag|Add|Remove)/.test(a)) &&
        !s.Action.includes("iam:PassRole"),
    );
    expect(mutating.map((s) => s.Sid)).toEqual([
      "AllowScopedEC2LaunchTemplateAccessActions",
      "AllowScopedEC2InstanceActionsWithTags",
      "AllowScopedResourceCreationTagging",
      "AllowScopedResourceTagging",
      "AllowScopedDeletion",
      "AllowScopedInstanceProfileCreationActions",
      "AllowScopedInstanceProfileTagActions",
      "AllowScopedInstanceProfileActions",
    ]);
    for (const s of mutating) {
      const owned = s.Condition?.StringEquals?.[ownedRequest] ?? s.Condition?.StringEquals?.[ownedResource];
      expect(owned).toBe("owned");
    }
    const creation = karpenter.find((s) => s.Sid === "AllowScopedEC2InstanceActionsWithTags");
    expect(creation?.Condition?.StringEquals?.["aws:RequestTag/eks:eks-cluster-name"]).toBe(CLUSTER);
    expect(creation?.Condition?.StringLike).toEqual({ "aws:RequestTag/karpenter.sh/nodepool": "*" });
    // Only the unowned inputs of RunInstances/CreateFleet are granted without a tag condition.
    const access = karpenter.find((s) => s.Sid === "AllowScopedEC2InstanceAccessActions");
    expect(access?.Condition).toBeUndefined();
    expect(access?.Resource.map((r) => r.split(":").slice(5).join(":")).sort()).toEqual(
      ["capacity-reservation/*", "image/*", "placement-group/*", "security-group/*", "snapshot/*", "subnet/*"].sort(),
    );
  });

  it("names the account in the ARNs of what Karpenter creates", () => {
    const created = karpenter.find((s) => s.Sid === "AllowScopedEC2InstanceActionsWithTags");
    for (const r of created?.Resource ?? []) {
      expect(r.startsWith(`${ARN}ec2:${SCOPE.region}:${SCOPE.accountId}:`)).toBe(true);
    }
  });
});

describe("Cluster Autoscaler policy", () => {
  it("records the published source it matches", () => {
    expect(CLUSTER_AUTOSCALER_POLICY_SOURCE).toMatchObject({
      repository: "kubernetes/autoscaler",
      path: "cluster-autoscaler/cloudprovider/aws/README.md",
    });
  });

  it("scales only ASGs tagged as owned by this cluster", () => {
    for (const action of ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]) {
      const statements = withAction(autoscaler, action);
      expect(statements).toHaveLength(1);
      expect(statements[0]?.Condition).toEqual({
        StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER}`]: "owned" },
      });
      expect(statements[0]?.Resource).toEqual([
        `${ARN}autoscaling:${SCOPE.region}:${SCOPE.accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
      ]);
    }
  });

  it("describes only this cluster's node groups", () => {
    expect(withAction(autoscaler, "eks:DescribeNodegroup")[0]?.Resource).toEqual([
      `${ARN}eks:${SCOPE.region}:${SCOPE.accountId}:nodegroup/${CLUSTER}/*/*`,
    ]);
  });
});

describe("ExternalDNS policy", () => {
  it("records the published source it matches", () => {
    expect(EXTERNAL_DNS_POLICY_SOURCE).toMatchObject({ repository: "kubernetes-sigs/external-dns", ref: "v0.22.0" });
  });

  it("changes records only in the given zones", () => {
    const zones = ZONES.map((id) => `${ARN}route53:::hostedzone/${id}`);
    for (const action of [
      "route53:ChangeResourceRecordSets",
      "route53:ListResourceRecordSets",
      "route53:ListTagsForResources",
    ]) {
      const statements = withAction(externalDns, action);
      expect(statements).toHaveLength(1);
      expect(statements[0]?.Resource).toEqual(zones);
    }
    expect(withAction(externalDns, "route53:ListHostedZones")[0]?.Resource).toEqual(["*"]);
  });

  it("refuses an empty zone list", () => {
    expect(() => externalDnsPolicy({ scope: SCOPE, hostedZoneIds: [] })).toThrow(/hosted zone/);
  });
});

describe("cert-manager Route 53 policy", () => {
  it("records the published source it matches", () => {
    expect(CERT_MANAGER_ROUTE53_POLICY_SOURCE).toMatchObject({
      repository: "cert-manager/website",
      path: "content/docs/configuration/acme/dns01/route53.md",
    });
  });

  it("reads change status, and writes only TXT records in the given zones", () => {
    expect(withAction(certManager, "route53:GetChange")[0]?.Resource).toEqual([`${ARN}route53:::change/*`]);
    const change = withAction(certManager, "route53:ChangeResourceRecordSets");
    expect(change).toHaveLength(1);
    expect(change[0]?.Action).toEqual(["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"]);
    expect(change[0]?.Resource).toEqual(ZONES.map((id) => `${ARN}route53:::hostedzone/${id}`));
    expect(change[0]?.Condition).toEqual({
      "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
    });
    expect(allActions(certManager)).not.toContain("route53:ListHostedZonesByName");
  });

  it("refuses an empty zone list", () => {
    expect(() => certManagerRoute53Policy({ scope: SCOPE, hostedZoneIds: [] })).toThrow(/hosted zone/);
  });
});

describe("Velero policy", () => {
  const snapshots = `${ARN}ec2:${SCOPE.region}::snapshot/*`;
  const volumes = `${ARN}ec2:${SCOPE.region}:${SCOPE.accountId}:volume/*`;

  it("records the published source it matches", () => {
    expect(VELERO_POLICY_SOURCE).toMatchObject({ repository: "vmware-tanzu/velero-plugin-for-aws", ref: "v1.13.2" });
  });

  it("keeps the object actions on the bucket's objects and ListBucket on the bucket", () => {
    const objectActions = [
      "s3:GetObject",
      "s3:DeleteObject",
      "s3:PutObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ];
    for (const action of objectActions) {
      expect(withAction(velero, action).map((s) => s.Resource)).toEqual([[`${BUCKET_ARN}/*`]]);
    }
    expect(withAction(velero, "s3:ListBucket").map((s) => s.Resource)).toEqual([[BUCKET_ARN]]);
    expect(allActions(velero).filter((a) => a.startsWith("s3:")).sort()).toEqual(
      [...objectActions, "s3:ListBucket"].sort(),
    );
  });

  it("grants s3:PutObjectTagging only when object tagging is used", () => {
    expect(allActions(velero)).not.toContain("s3:PutObjectTagging");
    const tagging = veleroPolicy({ scope: SCOPE, bucketArn: BUCKET_ARN, kmsKeyArn: KEY_ARN, objectTagging: true });
    expect(withAction(tagging, "s3:PutObjectTagging").map((s) => s.Resource)).toEqual([[`${BUCKET_ARN}/*`]]);
  });

  it("scopes the EBS snapshot actions to this region's snapshots and this account's volumes", () => {
    expect(withAction(velero, "ec2:CreateSnapshot")[0]?.Resource).toEqual([volumes, snapshots]);
    expect(withAction(velero, "ec2:CreateVolume")[0]?.Resource).toEqual([volumes, snapshots]);
    expect(withAction(velero, "ec2:DeleteSnapshot")[0]?.Resource).toEqual([snapshots]);
    const tags = withAction(velero, "ec2:CreateTags");
    expect(tags).toHaveLength(1);
    expect(tags[0]?.Condition).toEqual({ StringEquals: { "ec2:CreateAction": ["CreateSnapshot", "CreateVolume"] } });
  });

  it("uses exactly the KMS actions SSE-KMS needs, on the one key", () => {
    const kms = velero.filter((s) => s.Action.some((a) => a.startsWith("kms:")));
    expect(kms).toHaveLength(1);
    expect([...(kms[0]?.Action ?? [])].sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(kms[0]?.Resource).toEqual([KEY_ARN]);
  });
});

describe("Fluent Bit policies", () => {
  it("records the published sources they match", () => {
    expect(FLUENT_BIT_POLICY_SOURCE.cloudWatchLogs).toMatchObject({
      repository: "fluent/fluent-bit-docs",
      path: "pipeline/outputs/cloudwatch.md",
    });
    expect(FLUENT_BIT_POLICY_SOURCE.openSearch).toMatchObject({ path: "pipeline/outputs/opensearch.md" });
  });

  it("writes only to streams of the given log groups, without creating groups or retention", () => {
    expect(withAction(fluentBitCw, "logs:CreateLogStream")[0]?.Resource).toEqual(LOG_GROUP_ARNS.map((a) => `${a}:*`));
    expect(withAction(fluentBitCw, "logs:PutLogEvents")[0]?.Resource).toEqual(
      LOG_GROUP_ARNS.map((a) => `${a}:log-stream:*`),
    );
    expect(allActions(fluentBitCw).sort()).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
  });

  it("posts bulk requests only to the given domain", () => {
    expect(fluentBitOs).toEqual([expect.objectContaining({ Action: ["es:ESHttpPost"], Resource: [`${DOMAIN_ARN}/*`] })]);
  });

  it("refuses an empty log group list", () => {
    expect(() => fluentBitCloudWatchPolicy({ scope: SCOPE, logGroupArns: [] })).toThrow(/log group/);
  });
});

describe("External Secrets policy", () => {
  it("records the published source it matches", () => {
    expect(EXTERNAL_SECRETS_POLICY_SOURCE).toMatchObject({ repository: "external-secrets/external-secrets", ref: "v2.9.0" });
  });

  it("reads exactly the given secrets and decrypts with exactly the given keys", () => {
    const read = externalSecrets.filter((s) => s.Action.some((a) => a.startsWith("secretsmanager:")));
    expect(read).toHaveLength(1);
    expect(read[0]?.Action).toEqual([
      "secretsmanager:GetSecretValue",
      "secretsmanager:DescribeSecret",
      "secretsmanager:ListSecretVersionIds",
    ]);
    expect(read[0]?.Resource).toEqual(SECRET_ARNS);
    expect(withAction(externalSecrets, "kms:Decrypt").map((s) => s.Resource)).toEqual([SECRET_KEY_ARNS]);
    expect(allActions(externalSecrets)).toHaveLength(4);
  });

  it("has no KMS statement without keys, and refuses an empty secret list", () => {
    expect(allActions(externalSecretsPolicy({ secretArns: SECRET_ARNS }))).not.toContain("kms:Decrypt");
    expect(() => externalSecretsPolicy({ secretArns: [] })).toThrow(/secret/);
  });
});

describe("Terraform tokens", () => {
  it("are concatenated verbatim into ARNs and condition keys", () => {
    const tokens: AwsScope = {
      partition: "${data.aws_partition.current.partition}",
      region: "${data.aws_region.current.region}",
      accountId: "${data.aws_caller_identity.current.account_id}",
    };
    const clusterName = "${aws_eks_cluster.this.name}";
    const statements = karpenterControllerPolicy({
      scope: tokens,
      clusterName,
      clusterArn: "${aws_eks_cluster.this.arn}",
      nodeRoleArn: "${aws_iam_role.node.arn}",
      interruptionQueueArn: "${aws_sqs_queue.interruption.arn}",
    });
    const json = JSON.stringify(statements);
    expect(json).toContain(
      "arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:instance/*",
    );
    expect(json).toContain(`"aws:ResourceTag/kubernetes.io/cluster/${clusterName}":"owned"`);
    expect(awsLoadBalancerControllerPolicy(tokens)[5]?.Resource).toEqual([
      "arn:${data.aws_partition.current.partition}:ec2:*:*:security-group/*",
    ]);
  });
});
