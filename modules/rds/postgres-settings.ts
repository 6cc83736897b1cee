/**
 * Settings of the platform's RDS for PostgreSQL instances (Keycloak's, Grafana's), as data: parameter group family and parameters, log
 * group name, final snapshot name, and the checks the construct runs. Pure: no cdktf.
 *
 * Why Amazon RDS for PostgreSQL (a DB instance, Multi-AZ in prod) and not Aurora PostgreSQL:
 * Keycloak's load is small and steady (sessions live in its Infinispan caches, the database holds
 * realms, users and offline sessions), so Aurora's storage layer and reader scaling buy nothing
 * here, while an Aurora cluster needs two instances for the same failover a Multi-AZ instance gives
 * with one bill. The environment schema (`allocatedStorageGiB`, `multiAz`) describes an instance.
 */

/** PostgreSQL's port; the security group opens only this one. */
export const POSTGRES_PORT = 5432;

/** The one log type RDS for PostgreSQL exports besides `upgrade`: the server log. */
export const POSTGRES_LOG_EXPORTS = ["postgresql"] as const;

/** Minimum automated backup retention, in days, the platform accepts for this database. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/** A DB parameter and when RDS applies it. */
export interface DbParameter {
  readonly name: string;
  readonly value: string;
  /** `pending-reboot` is accepted for static and dynamic parameters alike. */
  readonly applyMethod: "immediate" | "pending-reboot";
}

/**
 * Parameters of every platform database (Keycloak's, Grafana's): `rds.force_ssl = 1` refuses any connection without TLS (the
 * default of RDS for PostgreSQL 15 and later, set explicitly so that it cannot drift).
 */
export const KEYCLOAK_DB_PARAMETERS: readonly DbParameter[] = [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }];

const ENGINE_VERSION = /^(\d+)\.(\d+)$/;

/**
 * The DB parameter group family of an RDS for PostgreSQL version: `17.6` → `postgres17`.
 *
 * @throws Error when the version is not `<major>.<minor>` or the major is below 12
 */
export function postgresParameterGroupFamily(engineVersion: string): string {
  const match = ENGINE_VERSION.exec(engineVersion);
  if (!match) throw new Error(`engine version must be <major>.<minor> such as "17.6", got "${engineVersion}"`);
  const major = Number(match[1]);
  if (major < 12) throw new Error(`PostgreSQL ${major} is past its end of life on RDS; use 16 or 17`);
  return `postgres${major}`;
}

/** The log group RDS writes a DB instance's PostgreSQL log to (created first, so it is encrypted and expires). */
export function rdsLogGroupName(identifier: string, logType: string = POSTGRES_LOG_EXPORTS[0]): string {
  return `/aws/rds/instance/${identifier}/${logType}`;
}

/** Name of the snapshot RDS takes when a protected instance is deleted. */
export function finalSnapshotIdentifier(identifier: string): string {
  return `${identifier}-final`;
}

/** What {@link checkDatabaseSettings} looks at. */
export interface DatabaseSettingsToCheck {
  readonly identifier: string;
  readonly subnetIds: readonly string[];
  /** Keys of the security groups allowed in (each names its ingress rule). */
  readonly allowedSecurityGroupKeys: readonly string[];
  readonly backupRetentionPeriod: number;
  readonly engineVersion: string;
  readonly allocatedStorage: number;
  readonly maxAllocatedStorage?: number;
}

const IDENTIFIER = /^[a-z][a-z0-9-]{0,62}$/;

/** Every problem with the settings, as messages (empty when they are fine). */
export function checkDatabaseSettings(s: DatabaseSettingsToCheck): string[] {
  const problems: string[] = [];
  if (!IDENTIFIER.test(s.identifier) || s.identifier.endsWith("-") || s.identifier.includes("--")) {
    problems.push(`identifier "${s.identifier}" must be 1-63 lower-case letters, digits or single hyphens, starting with a letter`);
  }
  if (s.subnetIds.length < 2) problems.push(`a DB subnet group needs subnets in at least two AZs, got ${s.subnetIds.length}`);
  if (s.allowedSecurityGroupKeys.length === 0) problems.push("no security group may reach the database: allowedSecurityGroups is empty");
  for (const key of s.allowedSecurityGroupKeys) {
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(key)) problems.push(`allowedSecurityGroups key "${key}" must be a lower-case name (it names the ingress rule)`);
  }
  if (!Number.isInteger(s.backupRetentionPeriod) || s.backupRetentionPeriod < MIN_BACKUP_RETENTION_DAYS || s.backupRetentionPeriod > 35) {
    problems.push(`backupRetentionPeriod must be ${MIN_BACKUP_RETENTION_DAYS}-35 days, got ${s.backupRetentionPeriod}`);
  }
  try {
    postgresParameterGroupFamily(s.engineVersion);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (s.allocatedStorage < 20) problems.push(`allocatedStorage must be at least 20 GiB for gp3, got ${s.allocatedStorage}`);
  if (s.maxAllocatedStorage !== undefined && s.maxAllocatedStorage <= s.allocatedStorage) {
    problems.push(`maxAllocatedStorage (${s.maxAllocatedStorage}) must exceed allocatedStorage (${s.allocatedStorage})`);
  }
  return problems;
}
