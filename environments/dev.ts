import { accounts } from "./accounts";
import type { EnvironmentInput } from "./schema";

/** Development: two AZs, one NAT gateway, spot workloads, prefix delegation for dense nodes. */
export const dev: EnvironmentInput = {
  name: "dev",
  stage: "nonprod",
  promotionOrder: 10,
  account: accounts.nonprod,
  region: "ap-northeast-2",
  availabilityZones: ["ap-northeast-2a", "ap-northeast-2c"],
  owner: "platform-team",
  tags: { CostCenter: "platform-dev" },
  network: {
    vpcCidr: "10.10.0.0/16",
    natGateways: "single",
    flowLogRetentionDays: 30,
  },
  cluster: {
    kubernetesVersion: "1.34",
    podNetworking: "prefix-delegation",
    upgrade: { strategy: "rolling", maxUnavailable: 1 },
    endpointPublicAccessCidrs: ["203.0.113.0/24"],
    access: {
      admins: {
        "platform-admins": "arn:aws:iam::111122223333:role/PlatformAdmin",
        "ci-deploy": "arn:aws:iam::111122223333:role/eks-idp-github-deploy-dev",
      },
      viewers: { "ci-plan": "arn:aws:iam::111122223333:role/eks-idp-github-plan" },
      teams: {
        payments: { roleArn: "arn:aws:iam::111122223333:role/team-payments-developer", namespaces: ["payments"], policy: "edit" },
        search: { roleArn: "arn:aws:iam::111122223333:role/team-search-developer", namespaces: ["search", "search-jobs"], policy: "edit" },
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
        capacityType: "SPOT",
        minNodesPerAz: 1,
        maxNodesPerAz: 5,
        labels: { "platform.example.com/node-group": "workloads" },
      },
    },
  },
  addons: {
    observability: {
      prometheusReplicas: 1,
      prometheusRetention: "2d",
      prometheusStorageGiB: 20,
      alertmanagerReplicas: 1,
      grafanaReplicas: 1,
      longTermRetentionDays: 30,
      alerting: {
        receivers: {
          "platform-slack": { type: "slack", channel: "#platform-alerts-dev", secretArn: "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:eks-idp/dev/alerting/slack-AbCdEf" },
        },
        defaultReceiver: "platform-slack",
      },
    },
    logging: { retentionDays: 14, loki: { mode: "monolithic", retentionDays: 7 } },
    tracing: { storage: "badger" },
    backup: {
      schedules: {
        daily: { schedule: "0 3 * * *", ttl: "168h", includedNamespaces: ["payments", "search", "keycloak"] },
      },
      expireDays: 14,
    },
    auth: {
      hostname: "sso.dev.platform.example.com",
      certificateArn: "arn:aws:acm:ap-northeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
      replicas: 1,
      database: {
        instanceClass: "db.t4g.medium",
        allocatedStorageGiB: 20,
        multiAz: false,
        backupRetentionDays: 7,
        deletionProtectionOffReason:
          "dev is torn down and rebuilt at will (cdktf destroy 'dev-*'); its realm is imported from code at startup and its users are test accounts, so nothing in this database needs keeping",
      },
    },
    autoscaler: "karpenter",
    dns: { hostedZoneId: "Z0123456789DEVEXAMPLE", domain: "dev.platform.example.com" },
  },
};
