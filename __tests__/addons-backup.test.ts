import { Testing, TerraformResource, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AddonContext } from "../addons/context";
import { StorageClasses } from "../addons/storage-classes";
import { AddonComposition } from "../modules/helm/composition";
import { HelmAddon } from "../modules/helm/helm-addon";
import { resourcesOf } from "../modules/terraform/resources";
import type { Velero } from "../addons/velero";
import { VELERO_AWS_PLUGIN_IMAGE, VELERO_CHART, VELERO_IMAGE } from "../addons/velero/chart";
import { backupLifecycleRules } from "../addons/velero/lifecycle";
import {
  SYSTEM_NAMESPACES,
  VELERO_NAMESPACE,
  VELERO_SERVICE_ACCOUNT,
  excludedNamespacesOf,
  goDurationSeconds,
  scheduleIssues,
  schedulesMissing,
  veleroSchedules,
  veleroValues,
  type VeleroScheduleInput,
} from "../addons/velero/values";
import type { PlatformEnvironment } from "../environments/validate";
import { addBackup } from "../stacks/addons/backup";
import { platform, resources, synth, type SynthesizedStack } from "./support/platform";

const { envs, stacks } = platform();

/** The auth add-on's namespace (Keycloak); every schedule of every environment must back it up. */
const AUTH_NAMESPACE = "keycloak";

/**
 * Top-level keys of the velero chart 12.1.0 values.yaml (vmware-tanzu/helm-charts charts/velero @
 * 73466ca9), and the keys of its `configuration` block, so that a misspelt key fails here instead of
 * being silently ignored by Helm.
 */
const CHART_TOP_LEVEL_KEYS = new Set([
  "namespace", "image", "nameOverride", "fullnameOverride", "annotations", "secretAnnotations", "labels",
  "podAnnotations", "podLabels", "resources", "resizePolicy", "hostAliases", "upgradeJobResources",
  "upgradeCRDsJob", "dnsPolicy", "initContainers", "podSecurityContext", "containerSecurityContext",
  "lifecycle", "priorityClassName", "runtimeClassName", "terminationGracePeriodSeconds", "livenessProbe",
  "readinessProbe", "tolerations", "affinity", "nodeSelector", "dnsConfig", "podDisruptionBudget",
  "extraVolumes", "extraVolumeMounts", "extraObjects", "metrics", "kubectl", "upgradeCRDs", "cleanUpCRDs",
  "configuration", "rbac", "serviceAccount", "credentials", "backupsEnabled", "snapshotsEnabled",
  "deployNodeAgent", "nodeAgent", "schedules", "configMaps",
]);
const CHART_CONFIGURATION_KEYS = new Set([
  "backupStorageLocation", "volumeSnapshotLocation", "uploaderType", "backupSyncPeriod", "fsBackupTimeout",
  "clientBurst", "clientPageSize", "clientQPS", "defaultBackupStorageLocation", "defaultItemOperationTimeout",
  "defaultBackupTTL", "defaultVolumeSnapshotLocations", "disableControllers", "disableInformerCache",
  "garbageCollectionFrequency", "itemBlockWorkerCount", "logFormat", "logLevel", "metricsAddress", "pluginDir",
  "profilerAddress", "restoreOnlyMode", "restoreResourcePriorities", "storeValidationFrequency",
  "terminatingResourceTimeout", "defaultSnapshotMoveData", "features", "dataMoverPrepareTimeout",
  "repositoryMaintenanceJob", "namespace", "extraArgs", "extraEnvVars", "defaultVolumesToFsBackup",
  "defaultRepoMaintainFrequency",
]);

/** The Velero construct of a stack and its resources in the synthesized JSON, by logical id. */
function veleroOf(stack: TerraformStack, json: SynthesizedStack) {
  const velero = stack.node.findChild("velero") as Velero;
  const id = (resource: TerraformResource) => stack.getLogicalId(resource);
  const get = (type: string, resource: TerraformResource) => {
    const found = resources(json, type)[id(resource)];
    expect(found, `${type}.${id(resource)}`).toBeDefined();
    return found;
  };
  const release = get("helm_release", velero.helm.release);
  return {
    bucketId: id(velero.bucket.bucket),
    keyId: id(velero.key.key),
    roleId: id(velero.role.role),
    bucket: get("aws_s3_bucket", velero.bucket.bucket),
    key: get("aws_kms_key", velero.key.key),
    role: get("aws_iam_role", velero.role.role),
    policy: JSON.parse(Object.values(resources(json, "aws_iam_role_policy")).find((p: any) => p.role === `\${aws_iam_role.${id(velero.role.role)}.id}`).policy),
    release,
    values: parse(release.values[0]) as Record<string, any>,
  };
}

describe("Velero schedules (pure)", () => {
  const daily: VeleroScheduleInput = { schedule: "0 3 * * *", ttl: "720h", includedNamespaces: ["payments", "keycloak"] };

  it("excludes the system namespaces and Velero's own by default", () => {
    expect(excludedNamespacesOf(daily, "velero")).toEqual(["kube-node-lease", "kube-public", "kube-system", "velero"]);
  });

  it("does not exclude a system namespace a schedule names explicitly, and adds extra exclusions", () => {
    const withSystem = { ...daily, includedNamespaces: ["kube-system", "payments"], excludedNamespaces: ["payments-scratch"] };
    expect(excludedNamespacesOf(withSystem, "velero")).toEqual(["kube-node-lease", "kube-public", "payments-scratch", "velero"]);
  });

  it("renders the chart's schedule shape with TTL, location and snapshots on by default", () => {
    expect(veleroSchedules({ daily }, "velero")).toEqual({
      daily: {
        schedule: "0 3 * * *",
        template: {
          ttl: "720h",
          storageLocation: "default",
          includedNamespaces: ["payments", "keycloak"],
          excludedNamespaces: ["kube-node-lease", "kube-public", "kube-system", "velero"],
          snapshotVolumes: true,
        },
      },
    });
    expect(veleroSchedules({ daily: { ...daily, snapshotVolumes: false } }, "velero").daily!.template.snapshotVolumes).toBe(false);
  });

  it("finds schedules that leave a namespace out (named, wildcard, excluded)", () => {
    const schedules: Record<string, VeleroScheduleInput> = {
      daily,
      payments: { ...daily, includedNamespaces: ["payments"] },
      all: { ...daily, includedNamespaces: ["*"] },
      allButAuth: { ...daily, includedNamespaces: ["*"], excludedNamespaces: [AUTH_NAMESPACE] },
    };
    expect(schedulesMissing(schedules, AUTH_NAMESPACE)).toEqual(["allButAuth", "payments"]);
    expect(schedulesMissing({ all: schedules.all! }, "kube-system")).toEqual(["all"]);
  });

  it("catches an environment whose schedules forget the auth namespace, whichever environment it is", () => {
    for (const env of envs) {
      const forgetful = Object.fromEntries(
        Object.entries(env.addons.backup.schedules).map(([name, s]) => [
          name,
          { ...s, includedNamespaces: s.includedNamespaces.filter((ns) => ns !== AUTH_NAMESPACE) },
        ]),
      );
      expect(schedulesMissing(forgetful, AUTH_NAMESPACE), env.name).toEqual(Object.keys(env.addons.backup.schedules).sort());
    }
  });
});

describe("schedule checks (pure)", () => {
  const daily: VeleroScheduleInput = { schedule: "0 3 * * *", ttl: "720h", includedNamespaces: ["payments"] };

  it("reads TTLs the way Velero does (Go durations only)", () => {
    expect(goDurationSeconds("72h")).toBe(72 * 3600);
    expect(goDurationSeconds("1h30m")).toBe(5400);
    expect(goDurationSeconds("30d")).toBeUndefined();
    expect(goDurationSeconds("2w")).toBeUndefined();
  });

  it("reports TTLs Velero rejects and TTLs that outlive the bucket's expiry", () => {
    expect(scheduleIssues({ daily }, 30)).toEqual([]);
    expect(scheduleIssues({ daily }, 29)).toEqual(["schedule daily: ttl 720h outlives the bucket's 29-day expiry"]);
    expect(scheduleIssues({ daily: { ...daily, ttl: "30d" } }, 90)).toEqual([
      'schedule daily: ttl "30d" is not a Go duration (use h, m or s, e.g. "720h")',
    ]);
  });

  it("passes for every environment", () => {
    for (const env of envs) expect(scheduleIssues(env.addons.backup.schedules, env.addons.backup.expireDays), env.name).toEqual([]);
  });
});

describe("backup bucket lifecycle (pure)", () => {
  it("transitions backups to GLACIER_IR and expires current versions, under the cluster prefix only", () => {
    expect(backupLifecycleRules({ prefix: "eks-idp-prd", expirationDays: 90, glacierIrTransitionDays: 30 })).toEqual([
      {
        id: "backups",
        status: "Enabled",
        filter: [{ prefix: "eks-idp-prd/backups/" }],
        transition: [{ days: 30, storageClass: "GLACIER_IR" }],
        expiration: [{ days: 90 }],
      },
      { id: "restores", status: "Enabled", filter: [{ prefix: "eks-idp-prd/restores/" }], expiration: [{ days: 90 }] },
    ]);
  });

  it("has no transition without transition days, and refuses a transition after the expiry", () => {
    const [backups] = backupLifecycleRules({ prefix: "eks-idp-dev", expirationDays: 14 });
    expect(backups).not.toHaveProperty("transition");
    expect(() => backupLifecycleRules({ prefix: "p", expirationDays: 30, glacierIrTransitionDays: 30 })).toThrow(/before/);
    expect(() => backupLifecycleRules({ prefix: "p", expirationDays: 0 })).toThrow(/expirationDays/);
  });
});

describe("Velero chart pin", () => {
  it("pins chart 12.1.0 from the vmware-tanzu repository with its source commit", () => {
    expect(VELERO_CHART).toEqual({
      repository: "https://vmware-tanzu.github.io/helm-charts",
      chart: "velero",
      version: "12.1.0",
      source: expect.stringContaining("73466ca986bbfe34dbd5c30bbf7d62d545d634a2"),
    });
  });

  it("runs Velero 1.18.1 with the AWS plugin line the compatibility table pairs with it (v1.14.x)", () => {
    expect(VELERO_IMAGE).toEqual({ repository: "docker.io/velero/velero", tag: "v1.18.1" });
    expect(VELERO_AWS_PLUGIN_IMAGE.repository).toBe("docker.io/velero/velero-plugin-for-aws");
    expect(VELERO_AWS_PLUGIN_IMAGE.tag).toMatch(/^v1\.14\.\d+$/);
  });

  it("sets only keys the chart has, and the CSI flag only when asked", () => {
    const input = {
      bucketName: "b",
      prefix: "p",
      region: "ap-northeast-2",
      kmsKeyArn: "k",
      serviceAccountAnnotations: {},
      schedules: {},
      namespace: "velero",
      csiSnapshots: true,
    };
    const values = veleroValues(input);
    for (const key of Object.keys(values)) expect(CHART_TOP_LEVEL_KEYS, key).toContain(key);
    for (const key of Object.keys(values.configuration)) expect(CHART_CONFIGURATION_KEYS, key).toContain(key);
    expect(values.configuration).toHaveProperty("features", "EnableCSI");
    expect(veleroValues({ ...input, csiSnapshots: false }).configuration).not.toHaveProperty("features");
  });
});

describe.each(envs.map((env) => [env.name, env] as const))("%s-addons Velero", (name, env) => {
  const stack = stacks.environments[name]!.addons;
  const json = synth(stack);
  const v = veleroOf(stack, json);
  const bucketArn = `\${aws_s3_bucket.${v.bucketId}.arn}`;
  const keyArn = `\${aws_kms_key.${v.keyId}.arn}`;
  const forBucket = (type: string) =>
    Object.values(resources(json, type)).filter((r: any) => r.bucket === `\${aws_s3_bucket.${v.bucketId}.id}`);
  const backup = env.addons.backup;
  const prod = env.stage === "prod";

  it("hardens the bucket: versioning, SSE-KMS with its own key, public access blocked, TLS only", () => {
    expect(v.bucket.bucket).toBe(`eks-idp-${name}-velero-${env.account.id}`);
    expect(v.bucket.force_destroy).toBe(false);
    expect(forBucket("aws_s3_bucket_versioning").map((r) => r.versioning_configuration.status)).toEqual(["Enabled"]);
    const [sse] = forBucket("aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn }, bucket_key_enabled: true },
    ]);
    expect(forBucket("aws_s3_bucket_public_access_block")).toEqual([
      expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    ]);
    const [policy] = forBucket("aws_s3_bucket_policy");
    expect(JSON.parse(policy.policy).Statement).toContainEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:*"],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(v.key.enable_key_rotation).toBe(true);
  });

  it("moves backups to GLACIER_IR only when the environment asks, and expires them after expireDays", () => {
    const [lifecycle] = forBucket("aws_s3_bucket_lifecycle_configuration");
    const rule = (id: string) => lifecycle.rule.find((r: any) => r.id === id);
    expect(rule("backups")).toEqual({
      id: "backups",
      status: "Enabled",
      filter: [{ prefix: `eks-idp-${name}/backups/` }],
      expiration: [{ days: backup.expireDays }],
      ...(backup.transitionToColdDays !== undefined
        ? { transition: [{ days: backup.transitionToColdDays, storage_class: "GLACIER_IR" }] }
        : {}),
    });
    expect(rule("restores").expiration).toEqual([{ days: backup.expireDays }]);
    expect(rule("expire-noncurrent-versions").noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
  });

  it(`${prod ? "protects" : "does not protect"} the bucket and key with prevent_destroy`, () => {
    expect(v.bucket.lifecycle?.prevent_destroy ?? false).toBe(prod);
    expect(v.key.lifecycle?.prevent_destroy ?? false).toBe(prod);
  });

  it("creates one schedule per configured schedule with its cron, TTL and namespaces", () => {
    const schedules = v.values.schedules as Record<string, any>;
    expect(Object.keys(schedules).sort()).toEqual(Object.keys(backup.schedules).sort());
    for (const [scheduleName, s] of Object.entries(backup.schedules)) {
      const rendered = schedules[scheduleName];
      expect(rendered.schedule).toBe(s.schedule);
      expect(rendered.template.ttl).toBe(s.ttl);
      expect(rendered.template.includedNamespaces).toEqual(s.includedNamespaces);
      expect(rendered.template.snapshotVolumes).toBe(s.snapshotVolumes);
      expect(rendered.template.storageLocation).toBe("default");
      for (const ns of [...SYSTEM_NAMESPACES, VELERO_NAMESPACE]) {
        if (!s.includedNamespaces.includes(ns)) expect(rendered.template.excludedNamespaces).toContain(ns);
      }
    }
  });

  it(`backs up the auth namespace (${AUTH_NAMESPACE}) in every schedule`, () => {
    expect(Object.keys(backup.schedules).length).toBeGreaterThan(0);
    expect(schedulesMissing(backup.schedules, AUTH_NAMESPACE)).toEqual([]);
    for (const rendered of Object.values(v.values.schedules as Record<string, any>)) {
      expect(rendered.template.includedNamespaces).toContain(AUTH_NAMESPACE);
      expect(rendered.template.excludedNamespaces).not.toContain(AUTH_NAMESPACE);
    }
  });

  it("scopes the IAM policy to its own bucket and key", () => {
    const statements: any[] = v.policy.Statement;
    const s3Resources = statements.filter((s) => s.Action.some((a: string) => a.startsWith("s3:"))).flatMap((s) => s.Resource);
    expect(s3Resources.sort()).toEqual([bucketArn, `${bucketArn}/*`].sort());
    const kmsResources = statements.filter((s) => s.Action.some((a: string) => a.startsWith("kms:"))).flatMap((s) => s.Resource);
    expect(kmsResources).toEqual([keyArn]);
    const text = JSON.stringify(v.policy);
    expect(text).not.toMatch(/arn:aws[a-z-]*:s3:::/);
    expect(text.match(/aws_s3_bucket\.[A-Za-z0-9_-]+/g)?.every((ref) => ref === `aws_s3_bucket.${v.bucketId}`)).toBe(true);
    expect(text.match(/aws_kms_key\.[A-Za-z0-9_-]+/g)?.every((ref) => ref === `aws_kms_key.${v.keyId}`)).toBe(true);
    for (const s of statements) {
      expect(s.Effect).toBe("Allow");
      if (s.Resource.includes("*")) expect(s.Action).toEqual(["ec2:DescribeVolumes", "ec2:DescribeSnapshots"]);
    }
  });

  it("trusts exactly the Velero server's service account, which the chart creates under that name", () => {
    // The issuer is a Terraform expression with quotes of its own; stand a placeholder in for it.
    const trust = JSON.parse(String(v.role.assume_role_policy).replace(/\$\{replace\([^}]*\)\}/g, "ISSUER"));
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(statement.Action).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
    const conditions = Object.entries(statement.Condition.StringEquals as Record<string, string>);
    expect(conditions.map(([k]) => k).sort()).toEqual(["ISSUER:aud", "ISSUER:sub"]);
    expect(statement.Principal).toEqual({ Federated: expect.stringMatching(/:oidc-provider\/ISSUER$/) });
    expect(conditions.find(([k]) => k.endsWith(":sub"))?.[1]).toBe(`system:serviceaccount:${VELERO_NAMESPACE}:${VELERO_SERVICE_ACCOUNT}`);
    expect(conditions.find(([k]) => k.endsWith(":aud"))?.[1]).toBe("sts.amazonaws.com");
    expect(v.release.namespace).toBe(VELERO_NAMESPACE);
    expect(v.values.serviceAccount.server).toEqual({
      create: true,
      name: VELERO_SERVICE_ACCOUNT,
      annotations: { "eks.amazonaws.com/role-arn": `\${aws_iam_role.${v.roleId}.arn}` },
    });
    expect(v.values.credentials).toEqual({ useSecret: false });
  });

  it("installs the pinned chart with the AWS plugin, the bucket location and EBS snapshots of the region", () => {
    expect(v.release).toMatchObject({ name: "velero", chart: VELERO_CHART.chart, version: VELERO_CHART.version, repository: VELERO_CHART.repository });
    expect(v.values.initContainers).toEqual([
      expect.objectContaining({
        name: "velero-plugin-for-aws",
        image: `${VELERO_AWS_PLUGIN_IMAGE.repository}:${VELERO_AWS_PLUGIN_IMAGE.tag}`,
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      }),
    ]);
    expect(v.values.configuration.backupStorageLocation).toEqual([
      {
        name: "default",
        provider: "aws",
        bucket: `\${aws_s3_bucket.${v.bucketId}.bucket}`,
        prefix: `eks-idp-${name}`,
        default: true,
        accessMode: "ReadWrite",
        config: { region: env.region, kmsKeyId: keyArn },
      },
    ]);
    expect(v.values.configuration.volumeSnapshotLocation).toEqual([{ name: "default", provider: "aws", config: { region: env.region } }]);
    expect(v.values.configuration.features).toBe("EnableCSI");
    expect(v.values.deployNodeAgent).toBe(false);
    expect(v.values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
    expect(v.values.resources.requests).toBeDefined();
    expect(v.values.upgradeCRDs).toBe(true);
  });
});

describe("addBackup wiring", () => {
  /** A context another team would build from its own cluster. */
  const otherTeam = (protectStatefulResources: boolean): AddonContext => ({
    clusterName: "other-team",
    namePrefix: "other-team",
    oidc: { providerArn: "arn:aws:iam::111122223333:oidc-provider/oidc.example", issuer: "oidc.example" },
    scope: { partition: "aws", region: "ap-northeast-2", accountId: "111122223333" },
    vpcId: "vpc-1",
    privateSubnetIds: [],
    databaseSubnetIds: [],
    clusterSecurityGroupId: "sg-1",
    availabilityZones: 3,
    protectStatefulResources,
  });
  const nonprod = envs.find((e) => e.stage === "nonprod") as PlatformEnvironment;

  it("waits for its role and policy in any stack, and in a composed stack for what it declares", () => {
    const stack = new TerraformStack(Testing.app(), "wiring");
    const composition = AddonComposition.attach(stack);
    const storage = new StorageClasses(stack, "storage");
    const stub = (id: string, provides: "load-balancer-webhook" | "monitoring-crds") =>
      new HelmAddon(stack, id, { releaseName: id, namespace: id, createsServices: false, provides: [provides], values: {}, chart: VELERO_CHART });
    const webhook = stub("webhook", "load-balancer-webhook");
    const monitoring = stub("monitoring", "monitoring-crds");
    addBackup(stack, otherTeam(false), nonprod);
    composition.resolve();
    const json = JSON.parse(Testing.synth(stack)) as SynthesizedStack;
    const v = veleroOf(stack, json);
    const velero = stack.node.findChild("velero") as Velero;
    const own = resourcesOf(velero.role).map((r) => `${r.terraformResourceType}.${stack.getLogicalId(r)}`);
    expect(own).toContain(`aws_iam_role_policy.${stack.getLogicalId(velero.role.node.findChild("policy") as TerraformResource)}`);
    expect(v.release.depends_on).toEqual([
      ...own,
      `helm_release.${stack.getLogicalId(webhook.release)}`,
      ...storage.dependables.map((d) => `${(d as TerraformResource).terraformResourceType}.${stack.getLogicalId(d as TerraformResource)}`),
      `helm_release.${stack.getLogicalId(monitoring.release)}`,
    ]);
    expect(v.bucket.bucket).toBe("other-team-velero-111122223333");
    expect(v.values.configuration.backupStorageLocation[0].prefix).toBe("other-team");
  });

  it.each(envs.map((env) => [env.name, env] as const))("%s: fails synthesis when its longest schedule's TTL outlives the bucket's expiry by a day, not at the TTL", (_name, env) => {
    const [longest] = Object.values(env.addons.backup.schedules).sort((a, b) => goDurationSeconds(b.ttl)! - goDurationSeconds(a.ttl)!);
    const ttlDays = Math.ceil(goDurationSeconds(longest!.ttl)! / 86400);
    /** The validation errors of a stack with only the backup at `expireDays` (it has no providers: that error is always there). */
    const errorsWithExpiry = (expireDays: number): string => {
      const stack = new TerraformStack(Testing.app(), `expiry-${expireDays}`);
      const backup = { ...env.addons.backup, expireDays, transitionToColdDays: undefined };
      addBackup(stack, otherTeam(env.stage === "prod"), { ...env, addons: { ...env.addons, backup } });
      try {
        stack.runAllValidations();
        return "";
      } catch (e) {
        return String(e);
      }
    };
    expect(errorsWithExpiry(ttlDays)).not.toContain("outlives");
    expect(errorsWithExpiry(ttlDays - 1)).toContain(`ttl ${longest!.ttl} outlives the bucket's ${ttlDays - 1}-day expiry`);
  });
});
