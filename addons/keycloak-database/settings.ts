/** Keycloak's database settings are the platform's PostgreSQL settings (modules/rds/postgres-settings.ts). */
export * from "../../modules/rds/postgres-settings";
