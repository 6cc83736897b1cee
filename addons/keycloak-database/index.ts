import { Construct } from "constructs";
import { PostgresInstance, PostgresInstanceProps } from "../../modules/rds/postgres-instance";

export interface KeycloakDatabaseProps extends Omit<PostgresInstanceProps, "dbName" | "username"> {
  /**
   * Name of the database created in the instance.
   * @default "keycloak"
   */
  readonly dbName?: string;
  /**
   * Master user name (its password is generated and rotated by RDS in Secrets Manager).
   * @default "keycloak"
   */
  readonly username?: string;
}

/**
 * Keycloak's database: the platform's RDS for PostgreSQL instance (`PostgresInstance`: own KMS key,
 * TLS forced, 5432 from the given security groups only, RDS-managed master password, deletion
 * protection unless a reason is given) with Keycloak's database and user names.
 */
export class KeycloakDatabase extends PostgresInstance {
  constructor(scope: Construct, id: string, props: KeycloakDatabaseProps) {
    super(scope, id, { ...props, dbName: props.dbName ?? "keycloak", username: props.username ?? "keycloak" });
  }
}
