/**
 * Every environment of the platform, in promotion order: a change (and a Kubernetes upgrade) goes
 * to dev first, then stg, then prd.
 */
import { dev } from "./dev";
import { prd } from "./prd";
import { stg } from "./stg";
import type { EnvironmentInput } from "./schema";

export const environments: readonly EnvironmentInput[] = [dev, stg, prd];
