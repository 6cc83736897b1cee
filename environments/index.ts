/**
 * Every environment of the platform: one file each, registered here with one line. The order of
 * this list does not matter: each environment's `promotionOrder` says where it stands (validation
 * refuses duplicates and prod before nonprod). Adding an environment: README, "Adding an
 * environment".
 */
import { dev } from "./dev";
import { prd } from "./prd";
import type { EnvironmentInput } from "./schema";
import { stg } from "./stg";

export const environments: readonly EnvironmentInput[] = [
  dev,
  stg,
  prd,
];
