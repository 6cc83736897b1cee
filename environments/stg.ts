import { accounts } from "./accounts";
import type { EnvironmentInput } from "./schema";

/** Staging: production's shape (three AZs, custom networking) at a smaller scale. */
export const stg: EnvironmentInput = {
  name: "stg",
  stage: "nonprod",
  promotionOrder: 20,
  account: accounts.nonprod,
  region: "ap-northeast-2",
  availabilityZones: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"],
  owner: "platform-team",
  tags: { CostCenter: "platform-stg" },
  network: {
    vpcCidr: "10.20.0.0/16",
    podCidr: "100.64.0.0/16",
    natGateways: "single",
    flowLogRetentionDays: 90,
  },
  cluster: {
    kubernetesVersion: "1.34",
    podNetworking: "custom-networking",
    upgrade: { strategy: "rolling", maxUnavailable: 1 },
    endpointPublicAccessCidrs: ["203.0.113.0/24"],
    access: {
      admins: {
        "platform-admins": "arn:aws:iam::111122223333:role/PlatformAdmin",
        "ci-deploy": "arn:aws:iam::111122223333:role/eks-idp-github-deploy-stg",
      },
      viewers: { "ci-plan": "arn:aws:iam::111122223333:role/eks-idp-github-plan" },
      teams: {
        payments: { roleArn: "arn:aws:iam::111122223333:role/team-payments-developer", namespaces: ["payments"], policy: "view" },
        search: { roleArn: "arn:aws:iam::111122223333:role/team-search-developer", namespaces: ["search", "search-jobs"], policy: "view" },
      },
    },
    controlPlaneLogRetentionDays: 90,
    nodeGroups: {
      system: {
        instanceTypes: ["m6i.large"],
        minNodesPerAz: 1,
        maxNodesPerAz: 2,
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        labels: { "platform.example.com/node-group": "system" },
      },
      workloads: {
        instanceTypes: ["m6i.xlarge", "m5.xlarge"],
        minNodesPerAz: 1,
        maxNodesPerAz: 6,
        labels: { "platform.example.com/node-group": "workloads" },
      },
    },
  },
  addons: {
    observability: {
      prometheusReplicas: 2,
      prometheusRetention: "7d",
      prometheusStorageGiB: 50,
      alertmanagerReplicas: 2,
      grafanaReplicas: 2,
      longTermRetentionDays: 90,
      grafanaDatabase: { instanceClass: "db.t4g.medium", allocatedStorageGiB: 20, multiAz: false, backupRetentionDays: 7 },
      alerting: {
        receivers: {
          "platform-slack": { type: "slack", channel: "#platform-alerts-stg", secretArn: "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:eks-idp/stg/alerting/slack-GhIjKl" },
          heartbeat: { type: "webhook", secretArn: "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:eks-idp/stg/alerting/heartbeat-MnOpQr" },
        },
        defaultReceiver: "platform-slack",
        watchdogReceiver: "heartbeat",
      },
    },
    logging: {
      retentionDays: 30,
      opensearch: { instanceType: "r6g.large.search", instanceCount: 3, volumeGiB: 100 },
    },
    tracing: { storage: "opensearch", collectorReplicas: 2 },
    backup: {
      schedules: {
        daily: { schedule: "0 3 * * *", ttl: "336h", includedNamespaces: ["payments", "search", "keycloak"] },
      },
      transitionToColdDays: 30,
      expireDays: 60,
    },
    auth: {
      hostname: "sso.stg.platform.example.com",
      certificateArn: "arn:aws:acm:ap-northeast-2:111122223333:certificate/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      replicas: 2,
      database: { instanceClass: "db.t4g.medium", allocatedStorageGiB: 20, multiAz: false, backupRetentionDays: 7 },
    },
    autoscaler: "karpenter",
    dns: { hostedZoneId: "Z0123456789STGEXAMPLE", domain: "stg.platform.example.com" },
  },
};
