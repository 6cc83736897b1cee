import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { suppress } from "../guardrails/guardrails";
import type { AwsScope } from "../irsa/policy-document";
import { PlatformKey } from "../kms/platform-key";
import { EncryptedLogGroups, logGroupArn } from "../logs/log-groups";
import {
  checkDatabaseSettings,
  finalSnapshotIdentifier,
  KEYCLOAK_DB_PARAMETERS,
  POSTGRES_LOG_EXPORTS,
  POSTGRES_PORT,
  postgresParameterGroupFamily,
  rdsLogGroupName,
} from "./postgres-settings";

export interface PostgresInstanceProps {
  /** DB instance identifier; also names the subnet group, security group, key alias and log group. */
  readonly identifier: string;
  /** Account, region and partition (for the KMS key policy and log group ARN). */
  readonly scope: AwsScope;
  /** VPC of the database's security group. */
  readonly vpcId: string;
  /** Database subnets (one per AZ, at least two) of the DB subnet group. */
  readonly subnetIds: readonly string[];
  /**
   * Security groups allowed to connect on 5432, by a stable key that names the rule (e.g.
   * `{ cluster: <cluster security group id> }`); nothing else is.
   */
  readonly allowedSecurityGroups: Readonly<Record<string, string>>;
  /** RDS for PostgreSQL version, `<major>.<minor>`, e.g. `17.6`. */
  readonly engineVersion: string;
  /** Instance class, e.g. `db.t4g.medium`. */
  readonly instanceClass: string;
  /** Storage in GiB (gp3). */
  readonly allocatedStorage: number;
  /** A synchronous standby in another AZ with automatic failover. */
  readonly multiAz: boolean;
  /** Days of automated backups (point-in-time recovery window), 7-35. */
  readonly backupRetentionPeriod: number;
  /**
   * RDS deletion protection, a final snapshot on deletion and automated backups kept after
   * deletion. Off only with a reason (`{ disabledBecause }`, e.g. a disposable development
   * database), recorded as the instance's suppression of the RDS-DELETION-PROTECTION guardrail
   * (checkov CKV_AWS_293) for reviewers.
   * @default true
   */
  readonly deletionProtection?: true | { readonly disabledBecause: string };
  /**
   * `prevent_destroy` on the instance, its key and its log group (Terraform refuses to plan their
   * deletion).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Retention of the PostgreSQL log group, in days.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /** Name of the database created in the instance. */
  readonly dbName: string;
  /** Master user name (its password is generated and rotated by RDS in Secrets Manager). */
  readonly username: string;
  /**
   * Performance Insights, encrypted with the database's key, 7 days (free tier).
   * @default false
   */
  readonly performanceInsightsEnabled?: boolean;
  /**
   * IAM database authentication (for operators' tools; Keycloak and Grafana cannot use it).
   * @default false
   */
  readonly iamDatabaseAuthenticationEnabled?: boolean;
  /**
   * Upper limit of storage autoscaling, in GiB.
   * @default - storage autoscaling off
   */
  readonly maxAllocatedStorage?: number;
  /**
   * Daily backup window, UTC, `hh24:mi-hh24:mi`.
   * @default - chosen by RDS
   */
  readonly backupWindow?: string;
  /**
   * Weekly maintenance window, UTC, `ddd:hh24:mi-ddd:hh24:mi`.
   * @default - chosen by RDS
   */
  readonly maintenanceWindow?: string;
}

/**
 * A platform database (Keycloak's, Grafana's): an Amazon RDS for PostgreSQL instance in the database subnets, encrypted with
 * its own customer managed key (storage, Performance Insights, the master user secret and the log
 * group), TLS forced by its parameter group, reachable on 5432 only from the given security groups,
 * and a master password that RDS generates, keeps and rotates in Secrets Manager, so that no
 * password is ever in Terraform's configuration or state (only the secret's ARN is).
 *
 * The minor version is pinned (auto minor upgrades off) so that the configured version and the
 * running one never disagree in a plan; bump `engineVersion` to upgrade (applied in the maintenance
 * window).
 */
export class PostgresInstance extends Construct {
  readonly key: PlatformKey;
  readonly instance: DbInstance;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: CloudwatchLogGroup;
  /** Host name of the instance (no port). */
  readonly address: string;
  readonly port: number;
  readonly dbName: string;
  /** ARN of the RDS-managed secret holding `username` and `password`. */
  readonly masterUserSecretArn: string;
  /** ARN of the key encrypting the database and its secret. */
  readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: PostgresInstanceProps) {
    super(scope, id);
    const deletionProtection = props.deletionProtection ?? true;
    const protect = deletionProtection === true;
    const preventDestroy = props.preventDestroy ?? false;
    const dbName = props.dbName;
    const performanceInsights = props.performanceInsightsEnabled ?? false;
    this.node.addValidation({
      validate: () => checkDatabaseSettings({ ...props, allowedSecurityGroupKeys: Object.keys(props.allowedSecurityGroups) }),
    });

    const logGroupName = rdsLogGroupName(props.identifier);
    this.key = new PlatformKey(this, "key", {
      alias: `${props.identifier}-db`,
      description: `RDS for PostgreSQL ${props.identifier}: storage, Performance Insights, master user secret, logs`,
      scope: props.scope,
      cloudWatchLogGroupArns: [logGroupArn(props.scope, logGroupName)],
      preventDestroy,
    });
    // Created before the instance, so that RDS writes to an encrypted group with a retention
    // instead of creating one without either.
    const logs = new EncryptedLogGroups(this, "logs", {
      scope: props.scope,
      logGroupNames: { postgresql: logGroupName },
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyArn: this.key.arn,
      preventDestroy,
    });
    this.logGroup = logs.logGroups.postgresql!;

    const subnetGroup = new DbSubnetGroup(this, "subnet-group", {
      name: props.identifier,
      description: `Database subnets of ${props.identifier}`,
      subnetIds: [...props.subnetIds],
    });
    // No inline rules: Terraform removes AWS's default allow-all egress, and the one ingress rule
    // per allowed group is its own resource.
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.identifier}-db`,
      description: `PostgreSQL of ${props.identifier}: 5432 from the cluster only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.identifier}-db` },
    });
    for (const [key, sourceId] of Object.entries(props.allowedSecurityGroups)) {
      new VpcSecurityGroupIngressRule(this, `ingress-postgres-${key}`, {
        securityGroupId: this.securityGroup.id,
        description: `PostgreSQL from ${key}`,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        referencedSecurityGroupId: sourceId,
      });
    }

    const family = postgresParameterGroupFamily(props.engineVersion);
    // name_prefix + create_before_destroy: a major upgrade (new family) creates the new group before
    // the old one, still attached, is deleted.
    const parameterGroup = new DbParameterGroup(this, "parameter-group", {
      namePrefix: `${props.identifier}-${family}-`,
      family,
      description: `${props.identifier}: TLS only`,
      parameter: KEYCLOAK_DB_PARAMETERS.map((p) => ({ name: p.name, value: p.value, applyMethod: p.applyMethod })),
      lifecycle: { createBeforeDestroy: true },
    });

    this.instance = new DbInstance(this, "instance", {
      identifier: props.identifier,
      engine: "postgres",
      engineVersion: props.engineVersion,
      autoMinorVersionUpgrade: false,
      allowMajorVersionUpgrade: false,
      instanceClass: props.instanceClass,
      allocatedStorage: props.allocatedStorage,
      maxAllocatedStorage: props.maxAllocatedStorage,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: this.key.arn,
      dbName,
      username: props.username,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: this.key.arn,
      iamDatabaseAuthenticationEnabled: props.iamDatabaseAuthenticationEnabled ?? false,
      port: POSTGRES_PORT,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      multiAz: props.multiAz,
      parameterGroupName: parameterGroup.name,
      backupRetentionPeriod: props.backupRetentionPeriod,
      backupWindow: props.backupWindow,
      maintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: !protect,
      deletionProtection: protect,
      skipFinalSnapshot: !protect,
      finalSnapshotIdentifier: protect ? finalSnapshotIdentifier(props.identifier) : undefined,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      performanceInsightsEnabled: performanceInsights,
      performanceInsightsKmsKeyId: performanceInsights ? this.key.arn : undefined,
      performanceInsightsRetentionPeriod: performanceInsights ? 7 : undefined,
      applyImmediately: false,
      dependsOn: [this.logGroup],
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    if (deletionProtection !== true) suppress(this.instance, "RDS-DELETION-PROTECTION", deletionProtection.disabledBecause);

    this.address = this.instance.address;
    this.port = POSTGRES_PORT;
    this.dbName = dbName;
    this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;
    this.kmsKeyArn = this.key.arn;
  }
}
