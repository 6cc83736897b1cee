/**
 * The one schema every environment is written against. `zod` checks the shape of a single
 * environment; the cross-field and cross-environment rules live in `validate.ts` so that all
 * problems are reported in one pass.
 */
import { z } from "zod";
import { AMI_TYPES } from "../modules/eks/node-user-data";
import { cronProblem } from "./checks/cron";
import { ISTIO_INITIAL_VERSION, ISTIO_VERSION_NAMES } from "../addons/istio/versions";

/** Default region of the platform. */
export const DEFAULT_REGION = "ap-northeast-2";

/** Kubernetes versions this code base has pinned managed add-on versions for. */
export const KUBERNETES_VERSION_PATTERN = /^1\.(\d{2})$/;

/** Names of environments and account aliases: `qa`, `uat`, `perf`, `dr`, `dev`, `prd`, `load-test`, ... */
export const NAME_PATTERN = /^[a-z](?:[a-z0-9-]{0,14}[a-z0-9])$/;
const name = z
  .string()
  .regex(NAME_PATTERN, "must be 2-16 lower-case letters, digits or '-', starting with a letter and not ending with '-'");

const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");

const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as ap-northeast-2");

const instanceType = z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, "must look like an EC2 instance type, e.g. m6i.large");

/**
 * Tag keys and values as AWS accepts them (letters, digits, spaces and `_ . : / = + - @`), so that
 * nothing that reaches a tag can break out of a string or a policy.
 */
const tagKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\p{L}\p{N} _.:/=+\-@]+$/u, "tag keys may hold letters, digits, spaces and _ . : / = + - @")
  .refine((k) => !k.toLowerCase().startsWith("aws:"), "tag keys must not start with the reserved prefix aws:");
const tagValue = z
  .string()
  .max(256)
  .regex(/^[\p{L}\p{N} _.:/=+\-@]*$/u, "tag values may hold letters, digits, spaces and _ . : / = + - @");

/** A managed node group, sized per availability zone. */
const nodeGroup = z
  .object({
    /** Instance types, first one preferred. All must be known to the VPC CNI limits table. */
    instanceTypes: z.array(instanceType).min(1).max(20),
    /** `ON_DEMAND` or `SPOT`. */
    capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
    minNodesPerAz: z.number().int().min(0).max(100),
    maxNodesPerAz: z.number().int().min(1).max(100),
    /** Kubernetes taints. The `system` group is tainted for critical add-ons. */
    taints: z
      .array(
        z.object({
          key: z.string().regex(/^[a-zA-Z0-9./_-]+$/),
          value: z.string().regex(/^[a-zA-Z0-9._-]*$/).default(""),
          effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
        }),
      )
      .default([]),
    /** Kubernetes labels. */
    labels: z.record(z.string().regex(/^[a-zA-Z0-9./_-]+$/), z.string().regex(/^[a-zA-Z0-9._-]*$/)).default({}),
    /** AMI family of the nodes. */
    amiType: z
      .enum(["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64"])
      .default("AL2023_x86_64_STANDARD"),
    /** Root volume size in GiB (gp3, encrypted). */
    diskSizeGiB: z.number().int().min(20).max(16384).default(50),
  })
  .strict();

/** How nodes are replaced during an upgrade. */
const upgrade = z.discriminatedUnion("strategy", [
  z.object({ strategy: z.literal("rolling"), maxUnavailable: z.number().int().min(1).max(100) }).strict(),
  z.object({ strategy: z.literal("blue-green") }).strict(),
]);

/** Interface endpoints a private cluster needs to pull images, get tokens and write logs. */
export const DEFAULT_INTERFACE_ENDPOINTS = [
  "ec2",
  "ecr.api",
  "ecr.dkr",
  "eks",
  "eks-auth",
  "elasticloadbalancing",
  "logs",
  "sts",
] as const;

const network = z
  .object({
    /** Primary VPC CIDR: public, private, intra and database subnets. Must not overlap other environments. */
    vpcCidr: z.string(),
    /** Secondary CIDR for pods (custom networking), usually from 100.64.0.0/10, which may repeat across environments. */
    podCidr: z.string().optional(),
    /** One NAT gateway for the VPC, or one per AZ (no cross-AZ dependency; required in prod). */
    natGateways: z.enum(["single", "one-per-az"]),
    /** Interface endpoints (service names after `com.amazonaws.<region>.`). */
    interfaceEndpoints: z.array(z.string().regex(/^[a-z0-9.-]+$/)).default([...DEFAULT_INTERFACE_ENDPOINTS]),
    /** Retention of the VPC flow log group in days. */
    flowLogRetentionDays: z.number().int().default(90),
    /** Load balancers expected per AZ in the public subnets. */
    publicLoadBalancersPerAz: z.number().int().min(0).max(50).default(2),
    /** Load balancers expected per AZ in the private subnets. */
    internalLoadBalancersPerAz: z.number().int().min(0).max(50).default(2),
    /**
     * Addresses one load balancer may take across all its subnets as it scales: an ALB scales up to
     * 100 (AWS, "Subnets for your Application Load Balancer"); an NLB takes one per subnet.
     */
    addressesPerLoadBalancer: z.number().int().min(1).max(1000).default(100),
    /** Addresses per AZ for databases. */
    databaseAddressesPerAz: z.number().int().min(1).max(4096).default(16),
    /** Fraction of peak demand each subnet must hold on top, for growth. */
    growthFactor: z.number().min(0).max(4).default(0.2),
  })
  .strict();

const roleArn = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/, "must be an IAM role ARN");
const accessKey = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, "access keys must be lower-case names");
const kubernetesName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes namespace name");

/** Rights a team may get in a namespace (EKS access policies `AmazonEKS{Admin,Edit,View}Policy`). */
export const TEAM_RIGHTS = ["admin", "edit", "view"] as const;
const teamRight = z.enum(TEAM_RIGHTS);

/**
 * A Git repository Argo CD deploys one of a team's applications from (addons/argo-cd: the team's
 * ApplicationSet makes one Application per entry, in the team's AppProject).
 */
const teamRepository = z
  .object({
    /** Application name within the team (the Application is `<team>-<name>`). */
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, "must be a lower-case name of at most 32 characters"),
    /** Clone URL (`https://...` or `ssh://...`); the team's AppProject allows exactly its repositories. */
    url: z.string().regex(/^(https|ssh):\/\/[^\s]+$/, "must be an https:// or ssh:// Git URL"),
    /**
     * Folder of the Helm chart in the repository.
     * @default "."
     */
    path: z.string().regex(/^[^\s]+$/, "must be a path without spaces").optional(),
    /**
     * Branch, tag or commit.
     * @default "HEAD"
     */
    revision: z.string().regex(/^[^\s]+$/, "must be a Git revision without spaces").optional(),
    /** One of the team's namespaces (validation checks it). */
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes namespace name"),
  })
  .strict();

/**
 * A Kubernetes quantity as `resource.ParseQuantity` reads it (k8s.io/apimachinery
 * pkg/api/resource/quantity.go: `<signedNumber><suffix>`, suffix one of the binary SI `Ki Mi Gi Ti
 * Pi Ei`, the decimal SI `n u m "" k M G T P E` or an exponent `e<n>`/`E<n>`), without a sign: a
 * quota or a limit is never negative.
 */
export const QUANTITY_PATTERN = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;
const quantity = z.string().regex(QUANTITY_PATTERN, 'must be a Kubernetes quantity such as "500m", "2", "4Gi"');
/** ResourceQuota `spec.hard` keys: `requests.cpu`, `limits.memory`, `pods`, `count/deployments.apps`, ... */
const quotaKey = z.string().regex(/^[a-z0-9]([a-z0-9./-]*[a-z0-9])?$/, "must be a ResourceQuota resource name such as requests.cpu or pods");
/** `spec.hard` of a namespace's ResourceQuota. */
const quota = z.record(quotaKey, quantity);
const cpuMemory = z.object({ cpu: quantity.optional(), memory: quantity.optional() }).strict();
/** The container defaults and bounds of a namespace's LimitRange. */
const limitRange = z
  .object({
    /** Requests of a container that sets none. */
    defaultRequest: cpuMemory.optional(),
    /** Limits of a container that sets none. */
    default: cpuMemory.optional(),
    /** Largest limits one container may ask for. */
    max: cpuMemory.optional(),
  })
  .strict();
const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "must be a Kubernetes label key");
const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, "must be a Kubernetes label value");

/** What every team namespace of an environment gets unless the team overrides it. */
const tenancy = z
  .object({
    /**
     * ResourceQuota of each team namespace; a team's `quota` is merged over it key by key.
     * @default requests 4 CPU / 8Gi, limits 8 CPU / 16Gi, 50 pods, 10 PVCs, 2 load balancers
     */
    quota: quota.default({
      "requests.cpu": "4",
      "requests.memory": "8Gi",
      "limits.cpu": "8",
      "limits.memory": "16Gi",
      pods: "50",
      persistentvolumeclaims: "10",
      "services.loadbalancers": "2",
    }),
    /**
     * LimitRange of each team namespace; a team's `limitRange` is merged over it.
     * @default requests 100m / 128Mi, limits 500m / 512Mi, at most 4 CPU / 8Gi per container
     */
    limitRange: limitRange.default({
      defaultRequest: { cpu: "100m", memory: "128Mi" },
      default: { cpu: "500m", memory: "512Mi" },
      max: { cpu: "4", memory: "8Gi" },
    }),
  })
  .strict();

/** Who may use the cluster. Keys are stable ids: renaming one recreates its access entry. */
const access = z
  .object({
    /**
     * Roles with cluster-admin rights (e.g. the platform team's SSO role and the CI deploy role). Keys
     * starting with `ci-` name CI roles, every other key a role people assume: only the latter may
     * assume the OpenSearch master-user role (`humanAdminRoleArns`).
     */
    admins: z.record(accessKey, roleArn).refine((m) => Object.keys(m).length > 0, "at least one admin role is required"),
    /** Roles that may read the whole cluster except Secrets (`AmazonEKSViewPolicy`), e.g. the CI plan role. */
    viewers: z.record(accessKey, roleArn).default({}),
    /**
     * Team roles with rights limited to their namespaces. One role, one key: validation refuses a
     * principal ARN that appears twice across admins, viewers and teams.
     */
    teams: z
      .record(
        accessKey,
        z
          .object({
            roleArn,
            /**
             * The team's namespaces: a list that all get `policy`, e.g. `["search", "search-jobs"]`,
             * or each namespace with its own right, e.g. `{ search: "edit", "search-jobs": "view" }`.
             */
            namespaces: z.union([z.array(kubernetesName).min(1), z.record(kubernetesName, teamRight)], {
              error: `must be a list of namespace names, or a map of namespace name to a right (${TEAM_RIGHTS.join(", ")})`,
            }),
            /**
             * Right on every listed namespace; only with the list form of `namespaces`.
             * @default "edit"
             */
            policy: teamRight.optional(),
            /**
             * ResourceQuota entries over `cluster.tenancy.quota` for each of the team's namespaces.
             * @default {} - the environment's quota
             */
            quota: quota.optional(),
            /**
             * LimitRange values over `cluster.tenancy.limitRange`.
             * @default {} - the environment's limit range
             */
            limitRange: limitRange.optional(),
            /**
             * Keycloak groups whose members get the team's rights through RBAC (reaching Kubernetes
             * as `oidc:<group>`).
             * @default ["team-<key>"]
             */
            groups: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "must be a Keycloak group name")).optional(),
            /**
             * Labels and annotations on the team's namespaces (platform labels win).
             * @default {}
             */
            labels: z.record(labelKey, labelValue).optional(),
            /** @default {} */
            annotations: z.record(labelKey, z.string().max(4096)).optional(),
            /**
             * Applications Argo CD deploys for the team, one per repository (addons/argo-cd).
             * @default [] - the team's AppProject exists, its ApplicationSet makes no Application
             */
            repositories: z.array(teamRepository).optional(),
            /**
             * Istio mesh opt-in: sidecar injection (istiod's current revision) and STRICT mTLS in
             * every namespace of the team (addons/istio).
             * @default false
             */
            mesh: z.boolean().optional(),
            /**
             * Istio version (an installed revision of `addons.mesh.revisions`) whose istiod injects
             * this team's sidecars, to canary an upgrade on one team first; only with `mesh: true`.
             * @default - `addons.mesh.defaultRevision`
             */
            meshRevision: z.enum(ISTIO_VERSION_NAMES).optional(),
            /**
             * IAM roles for the team's workloads, by lower-case name: one service account of one of
             * the team's namespaces each, with the statements it needs. Validation keeps every
             * statement on the team's own resources (environments/checks/teams.ts); the role is
             * `eks-idp-<env>-team-<team>-<name>` (IRSA), e.g.
             * `{ orders: { namespace: "payments", serviceAccount: "orders", statements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:111122223333:eks-idp-dev-team-payments-orders"] }] } }`.
             * @default {} - no workload roles
             */
            workloadRoles: z
              .record(
                accessKey,
                z
                  .object({
                    namespace: kubernetesName,
                    serviceAccount: kubernetesName,
                    statements: z
                      .array(z.object({ actions: z.array(z.string()).min(1), resources: z.array(z.string()).min(1) }).strict())
                      .min(1),
                  })
                  .strict(),
              )
              .optional(),
          })
          .strict()
          .superRefine((team, ctx) => {
            const namespaces = Array.isArray(team.namespaces) ? team.namespaces : Object.keys(team.namespaces);
            const names = new Set<string>();
            (team.repositories ?? []).forEach((repository, i) => {
              if (!namespaces.includes(repository.namespace)) {
                ctx.addIssue({ code: "custom", path: ["repositories", i, "namespace"], message: `must be one of the team's namespaces (${namespaces.join(", ")})` });
              }
              if (names.has(repository.name)) ctx.addIssue({ code: "custom", path: ["repositories", i, "name"], message: "must not repeat an application name" });
              names.add(repository.name);
            });
          }),
      )
      .default({}),
  })
  .strict();

const cluster = z
  .object({
    /** Kubernetes minor version, e.g. "1.33". */
    kubernetesVersion: z.string().regex(KUBERNETES_VERSION_PATTERN, 'must be a Kubernetes minor version such as "1.33"'),
    /**
     * Node AMI release per AMI family for this environment only, ahead of the row of
     * `kubernetesVersion` in modules/eks/data/kubernetes-versions.ts (patch dev first, then stg,
     * then prd; once all run it, move it into the row and delete the override), e.g.
     * `{ AL2023_x86_64_STANDARD: "1.34.9-20260714" }`. Validated against the version and family,
     * and must be newer than the row's release.
     * @default {} - every family runs the row's release
     */
    nodeAmiReleaseVersions: z.partialRecord(z.enum(AMI_TYPES), z.string()).default({}),
    /** How pods get their IP addresses from the VPC CNI. */
    podNetworking: z.enum(["secondary-ip", "prefix-delegation", "custom-networking"]),
    /** How node groups are replaced during upgrades. */
    upgrade,
    /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private. Prod must stay private. */
    endpointPublicAccessCidrs: z.array(z.string()).default([]),
    access,
    /** Namespace defaults of the teams of `access.teams` (quota, limit range). */
    tenancy: tenancy.prefault({}),
    /**
     * How add-on workloads get AWS credentials: IAM roles for service accounts (`irsa`) or EKS Pod
     * Identity (`pod-identity`); add-ons whose AWS SDK cannot use Pod Identity stay on IRSA (see
     * modules/pod-identity/support.ts). Switching is a reviewed change: every role's trust policy
     * is updated in place and an association is added per service account.
     * @default "irsa"
     */
    workloadIdentity: z.enum(["irsa", "pod-identity"]).default("irsa"),
    /** Retention of the control-plane log group in days. */
    controlPlaneLogRetentionDays: z.number().int().default(90),
    /** Managed node groups by fixed key; `system` and `workloads` are required. */
    nodeGroups: z
      .object({ system: nodeGroup, workloads: nodeGroup })
      .catchall(nodeGroup),
  })
  .strict();

const duration = z.string().regex(/^\d+[smhdwy]$/, 'must be a duration such as "15d" or "720h"');
/** A Velero schedule: what Velero's cron parser accepts (environments/checks/cron.ts). */
const cron = z.string().superRefine((spec, ctx) => {
  const problem = cronProblem(spec);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: `is not a schedule Velero accepts: ${problem}` });
});
const values = z.record(z.string(), z.unknown());

/** Per-add-on chart value overrides, merged last. Keys are add-on names. */
const overrides = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), values).default({});

const secretArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, "must be a Secrets Manager secret ARN");
const receiverName = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, "receiver names are lower-case names");

/**
 * Where Alertmanager sends notifications. The credential (Slack webhook URL, PagerDuty routing key,
 * webhook URL) stays in Secrets Manager: `secretArn`, and `secretProperty` for a JSON key of it.
 */
const alertReceiver = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("slack"),
      /** Channel, e.g. `#platform-alerts`. */
      channel: z.string().regex(/^#[a-z0-9_-]{1,80}$/, "must be a Slack channel such as #platform-alerts"),
      secretArn,
      secretProperty: z.string().regex(/^[\w.-]{1,64}$/).optional(),
    })
    .strict(),
  z.object({ type: z.literal("pagerduty"), secretArn, secretProperty: z.string().regex(/^[\w.-]{1,64}$/).optional() }).strict(),
  z.object({ type: z.literal("webhook"), secretArn, secretProperty: z.string().regex(/^[\w.-]{1,64}$/).optional() }).strict(),
]);

/** Alert routing of an environment: receivers by name, and which alerts go where. */
const alerting = z
  .object({
    receivers: z.record(receiverName, alertReceiver).refine((r) => Object.keys(r).length > 0, "at least one receiver is required"),
    /** Receiver of every alert no other route takes. */
    defaultReceiver: receiverName,
    /**
     * Receiver of `severity="critical"` alerts.
     * @default - the default receiver
     */
    criticalReceiver: receiverName.optional(),
    /**
     * Dead-man's switch: receiver of the always-firing `Watchdog` alert (a heartbeat monitor that pages
     * when the heartbeats stop).
     * @default - Watchdog is dropped
     */
    watchdogReceiver: receiverName.optional(),
    /** Alerts labelled `team="<key>"` go to that team's receiver (critical ones too). */
    teams: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,40}$/), receiverName).default({}),
  })
  .strict()
  .superRefine((a, ctx) => {
    const refs: [string[], string | undefined][] = [
      [["defaultReceiver"], a.defaultReceiver],
      [["criticalReceiver"], a.criticalReceiver],
      [["watchdogReceiver"], a.watchdogReceiver],
      ...Object.entries(a.teams).map(([team, r]): [string[], string] => [["teams", team], r]),
    ];
    for (const [path, name] of refs) {
      if (name !== undefined && !(name in a.receivers)) {
        ctx.addIssue({ code: "custom", path, message: `names receiver "${name}", which is not in receivers` });
      }
    }
  });

/** An RDS for PostgreSQL instance of an add-on (Keycloak's, Grafana's). */
const postgresInstance = z
  .object({
    instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.t4g.medium"),
    allocatedStorageGiB: z.number().int().min(20).max(65536),
    multiAz: z.boolean(),
    backupRetentionDays: z.number().int().min(7).max(35),
    engineVersion: z.string().regex(/^\d+\.\d+$/).default("17.6"),
  })
  .strict();

/** Add-ons of the environment, sized per environment. */
const addons = z
  .object({
    observability: z
      .object({
        /** Prometheus replicas (spread across AZs when > 1). */
        prometheusReplicas: z.number().int().min(1).max(5),
        /** Local retention of Prometheus (long-term metrics live in Amazon Managed Service for Prometheus). */
        prometheusRetention: duration,
        prometheusStorageGiB: z.number().int().min(10).max(16384),
        alertmanagerReplicas: z.number().int().min(1).max(5),
        grafanaReplicas: z.number().int().min(1).max(5),
        grafanaStorageGiB: z.number().int().min(1).max(1024).default(10),
        /** Days Amazon Managed Service for Prometheus keeps metrics. */
        longTermRetentionDays: z.number().int().min(1).max(1095),
        /**
         * Grafana's shared PostgreSQL (users, sessions, dashboards saved in the UI, alerting state):
         * required with more than one Grafana replica, so that the replicas agree.
         * @default - none (one replica on its own SQLite volume)
         */
        grafanaDatabase: postgresInstance.optional(),
        /** Where alerts go: receivers (secrets by Secrets Manager reference only) and routing. */
        alerting,
      })
      .strict()
      .superRefine((o, ctx) => {
        if (o.grafanaReplicas > 1 && o.grafanaDatabase === undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["grafanaDatabase"],
            message: `is required with ${o.grafanaReplicas} Grafana replicas (they must share users, sessions and alerting state)`,
          });
        }
      }),
    logging: z
      .object({
        /** Retention of the CloudWatch log groups, days. */
        retentionDays: z.number().int(),
        /**
         * Loki as Grafana's log store (fed by Fluent Bit next to CloudWatch and OpenSearch).
         * @default - no Loki
         */
        loki: z
          .object({
            /** `monolithic` (one single-binary pod, nonprod) or `simple-scalable` (read, write and backend spread across AZs). */
            mode: z.enum(["monolithic", "simple-scalable"]),
            /** Days Loki keeps logs (compactor retention; the bucket's lifecycle expires objects a day later). */
            retentionDays: z.number().int().min(1).max(3650),
            /** Replicas of each simple-scalable target (read, write, backend); monolithic runs one. */
            replicas: z.number().int().min(1).max(10).default(1),
          })
          .strict()
          .optional(),
        /** Amazon OpenSearch Service domain for logs and traces; omitted means CloudWatch only. */
        opensearch: z
          .object({
            instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, "must be an OpenSearch instance type such as r6g.large.search"),
            instanceCount: z.number().int().min(1).max(40),
            volumeGiB: z.number().int().min(10).max(16384),
            dedicatedMasters: z.boolean().default(false),
          })
          .strict()
          .optional(),
      })
      .strict(),
    tracing: z
      .object({
        /** Where Jaeger keeps traces: memory or badger only in nonprod; opensearch needs logging.opensearch. */
        storage: z.enum(["memory", "badger", "opensearch"]),
        collectorReplicas: z.number().int().min(1).max(10).default(1),
      })
      .strict(),
    backup: z
      .object({
        /** Velero schedules by name: cron, TTL and the namespaces they back up. */
        schedules: z.record(
          z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
          z
            .object({
              schedule: cron,
              /** Velero TTL: hours, minutes or seconds (Velero rejects d/w/y), e.g. "720h". */
              ttl: z.string().regex(/^\d+[hms]$/, 'must be a Velero duration in h, m or s, such as "720h"'),
              includedNamespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$|^\*$/)).min(1),
              snapshotVolumes: z.boolean().default(true),
            })
            .strict(),
        ),
        /** Days before backups move to Glacier Instant Retrieval. */
        transitionToColdDays: z.number().int().min(30).optional(),
        /** Days after which backup objects expire (at least the longest schedule TTL). */
        expireDays: z.number().int().min(1),
      })
      .strict(),
    auth: z
      .object({
        /** Public hostname of Keycloak, e.g. sso.dev.example.com. */
        hostname: z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, "must be a DNS name"),
        /** ACM certificate for the hostname. */
        certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, "must be an ACM certificate ARN"),
        replicas: z.number().int().min(1).max(10),
        /** Keycloak realm whose OIDC endpoint the cluster and Grafana trust. */
        realm: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/).default("platform"),
        database: postgresInstance
          .extend({
            /**
             * Turns the database's deletion protection off, for this reason (a sentence a reviewer
             * reads: it becomes the suppression of the RDS-DELETION-PROTECTION guardrail, checkov
             * CKV_AWS_293). Prod cannot use it: PROD-DELETION-PROTECTION still fails the database.
             * @default - deletion protection on
             */
            deletionProtectionOffReason: z.string().min(20).optional(),
          })
          .strict(),
        /** LDAP / Active Directory federation of the realm (bind password stays in Secrets Manager). */
        ldap: z
          .object({
            connectionUrl: z.string().regex(/^ldaps:\/\/[a-z0-9.-]+(:\d+)?$/, "must be an ldaps:// URL"),
            usersDn: z.string().min(1).max(512),
            bindDn: z.string().min(1).max(512),
            bindCredentialSecretArn: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, "must be a Secrets Manager secret ARN"),
          })
          .strict()
          .optional(),
      })
      .strict(),
    /** Node autoscaler: Karpenter (default) or the Cluster Autoscaler on the managed node groups. */
    autoscaler: z.enum(["karpenter", "cluster-autoscaler"]).default("karpenter"),
    /** Route 53 zone that external-dns and cert-manager manage; omitted disables external-dns. */
    dns: z
      .object({
        hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, "must be a Route 53 hosted zone id"),
        domain: z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, "must be a DNS name"),
      })
      .strict()
      .optional(),
    /** OPA Gatekeeper admission policies (addons/gatekeeper). */
    policy: z
      .object({
        /**
         * What a violation of a constraint does: `deny` rejects the request, `warn` admits it with a
         * warning, `dryrun` only records it in the audit. Prod environments must deny.
         * @default "deny" in prod, "warn" elsewhere
         */
        enforcement: z.enum(["deny", "warn", "dryrun"]).optional(),
        /**
         * Image registries (prefixes, ending in `/`) team workloads may pull from.
         * @default - the environment's own ECR registry and public.ecr.aws/
         */
        allowedRegistries: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]*(:\d+)?\/([a-z0-9._\/-]*\/)?$/, 'must be a registry prefix ending in "/", such as public.ecr.aws/')).min(1).optional(),
      })
      .strict()
      .default({}),
    /**
     * The Istio control plane (addons/istio): the istiod revisions installed side by side, each an
     * Istio version of addons/istio/versions.ts (two only while an upgrade is canaried), and the one
     * team namespaces use unless a team names its own (`cluster.access.teams.<team>.meshRevision`).
     * Rules (environments/checks/mesh.ts): no repeat, the default and every team's revision
     * installed, a default named when two are, prod only on versions that support its Kubernetes.
     * @default { revisions: [ISTIO_INITIAL_VERSION] }
     */
    mesh: z
      .object({
        revisions: z.array(z.enum(ISTIO_VERSION_NAMES)).min(1).max(2),
        /** @default - the only revision (required with two) */
        defaultRevision: z.enum(ISTIO_VERSION_NAMES).optional(),
      })
      .strict()
      .prefault({ revisions: [ISTIO_INITIAL_VERSION] }),
    overrides,
  })
  .strict();

/** Raw environment config as written in `environments/<env>.ts`. */
export const environmentSchema = z
  .object({
    /** Environment name: `dev`, `stg`, `prd`, ... Used in stack names and resource names. */
    name,
    /** `prod` environments get the strict rules (3 AZs, NAT per AZ, deletion protection). */
    stage: z.enum(["nonprod", "prod"]),
    /**
     * Where the environment stands in the promotion order: a change (and a Kubernetes upgrade)
     * reaches the environments from the lowest number to the highest. Unique; every prod
     * environment comes after every nonprod one. Leave gaps (10, 20, 30) so that a new
     * environment fits between two others without renumbering.
     */
    promotionOrder: z.number().int().min(0).max(1000),
    /** The AWS account this environment lives in. Nonprod and prod never share an account. */
    account: z.object({ alias: name, id: accountId }).strict(),
    region: region.default(DEFAULT_REGION),
    /** Availability zone names in `region`, e.g. `ap-northeast-2a`. */
    availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "must be an AZ name such as ap-northeast-2a")).min(1),
    /** Team or address that owns the environment; goes into the `owner` tag. */
    owner: tagValue.min(1),
    /** Extra tags on every resource. */
    tags: z.record(tagKey, tagValue).default({}),
    network,
    cluster,
    addons,
  })
  .strict();

/** An environment as written by a person (defaults optional). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** An environment after parsing (defaults filled in). Not yet cross-checked: see `PlatformConfig`. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type NodeGroupConfig = z.output<typeof nodeGroup>;
export type AddonsConfig = z.output<typeof addons>;
export type AlertingConfig = z.output<typeof alerting>;
export type AlertReceiverConfig = z.output<typeof alertReceiver>;
