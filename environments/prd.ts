import { accounts } from "./accounts";
import type { EnvironmentInput } from "./schema";

/** Production: its own account, three AZs, a NAT gateway per AZ, blue/green node upgrades. */
export const prd: EnvironmentInput = {
  name: "prd",
  stage: "prod",
  promotionOrder: 30,
  account: accounts.prod,
  region: "ap-northeast-2",
  availabilityZones: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"],
  owner: "platform-team",
  tags: { CostCenter: "platform-prd", DataClassification: "confidential" },
  network: {
    vpcCidr: "10.30.0.0/16",
    podCidr: "100.64.0.0/16",
    natGateways: "one-per-az",
    flowLogRetentionDays: 365,
    publicLoadBalancersPerAz: 4,
    internalLoadBalancersPerAz: 4,
  },
  cluster: {
    kubernetesVersion: "1.33",
    podNetworking: "custom-networking",
    upgrade: { strategy: "blue-green" },
    access: {
      admins: {
        "platform-admins": "arn:aws:iam::444455556666:role/PlatformAdmin",
        "ci-deploy": "arn:aws:iam::444455556666:role/eks-idp-github-deploy-prd",
      },
      viewers: { "ci-plan": "arn:aws:iam::444455556666:role/eks-idp-github-plan" },
      teams: {
        payments: { roleArn: "arn:aws:iam::444455556666:role/team-payments-oncall", namespaces: ["payments"], policy: "view" },
      },
    },
    controlPlaneLogRetentionDays: 365,
    nodeGroups: {
      system: {
        instanceTypes: ["m6i.xlarge"],
        minNodesPerAz: 1,
        maxNodesPerAz: 3,
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        labels: { "platform.example.com/node-group": "system" },
      },
      workloads: {
        instanceTypes: ["m6i.2xlarge", "m5.2xlarge"],
        minNodesPerAz: 2,
        maxNodesPerAz: 20,
        labels: { "platform.example.com/node-group": "workloads" },
      },
    },
  },
  addons: {
    observability: {
      prometheusReplicas: 3,
      prometheusRetention: "15d",
      prometheusStorageGiB: 200,
      alertmanagerReplicas: 3,
      grafanaReplicas: 2,
      longTermRetentionDays: 395,
      grafanaDatabase: { instanceClass: "db.t4g.medium", allocatedStorageGiB: 20, multiAz: true, backupRetentionDays: 14 },
      alerting: {
        receivers: {
          "platform-slack": { type: "slack", channel: "#platform-alerts", secretArn: "arn:aws:secretsmanager:ap-northeast-2:444455556666:secret:eks-idp/prd/alerting/slack-StUvWx" },
          "platform-pagerduty": { type: "pagerduty", secretArn: "arn:aws:secretsmanager:ap-northeast-2:444455556666:secret:eks-idp/prd/alerting/pagerduty-YzAbCd", secretProperty: "routing_key" },
          "payments-pagerduty": { type: "pagerduty", secretArn: "arn:aws:secretsmanager:ap-northeast-2:444455556666:secret:eks-idp/prd/alerting/payments-pagerduty-EfGhIj", secretProperty: "routing_key" },
          heartbeat: { type: "webhook", secretArn: "arn:aws:secretsmanager:ap-northeast-2:444455556666:secret:eks-idp/prd/alerting/heartbeat-KlMnOp" },
        },
        defaultReceiver: "platform-slack",
        criticalReceiver: "platform-pagerduty",
        watchdogReceiver: "heartbeat",
        teams: { payments: "payments-pagerduty" },
      },
    },
    logging: {
      retentionDays: 365,
      loki: { mode: "simple-scalable", retentionDays: 90, replicas: 3 },
      opensearch: { instanceType: "r6g.xlarge.search", instanceCount: 3, volumeGiB: 500, dedicatedMasters: true },
    },
    tracing: { storage: "opensearch", collectorReplicas: 3 },
    backup: {
      schedules: {
        hourly: { schedule: "0 * * * *", ttl: "72h", includedNamespaces: ["payments", "keycloak"] },
        daily: { schedule: "0 3 * * *", ttl: "720h", includedNamespaces: ["payments", "search", "keycloak"] },
      },
      transitionToColdDays: 30,
      expireDays: 90,
    },
    auth: {
      hostname: "sso.platform.example.com",
      certificateArn: "arn:aws:acm:ap-northeast-2:444455556666:certificate/9e8d7c6b-5a49-4382-9176-5a4b3c2d1e0f",
      replicas: 3,
      database: { instanceClass: "db.r6g.large", allocatedStorageGiB: 100, multiAz: true, backupRetentionDays: 14 },
    },
    autoscaler: "karpenter",
    dns: { hostedZoneId: "Z0123456789PRDEXAMPLE", domain: "platform.example.com" },
  },
};
