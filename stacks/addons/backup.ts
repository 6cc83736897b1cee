import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import { Velero } from "../../addons/velero";
import type { PlatformEnvironment } from "../../environments/validate";
import { accessLogBucketName } from "../access-logs";

/**
 * Velero backups of an environment: schedules, retention and cold storage from
 * `env.addons.backup`, chart overrides from `env.addons.overrides.velero`. Velero declares what it
 * waits for (the storage classes, the load balancer webhook, the monitoring CRDs): see `Velero`.
 * The backup bucket logs its requests to the account's access-log bucket (from `bootstrap-<account>`).
 */
export function addBackup(scope: Construct, ctx: AddonContext, env: PlatformEnvironment): void {
  const backup = env.addons.backup;
  new Velero(scope, "velero", {
    ...ctx,
    schedules: backup.schedules,
    expirationDays: backup.expireDays,
    glacierIrTransitionDays: backup.transitionToColdDays,
    overrides: env.addons.overrides["velero"],
    accessLogBucketName: accessLogBucketName(ctx.scope.accountId),
  });
}
