import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import { Velero } from "../../addons/velero";
import type { PlatformEnvironment } from "../../environments/validate";
import type { CoreAddons } from "./core";

/**
 * Velero backups of an environment: schedules, retention and cold storage from
 * `env.addons.backup`, chart overrides from `env.addons.overrides.velero`. Installed after the
 * core storage classes (the VolumeSnapshotClass Velero's CSI support picks by label).
 */
export function addBackup(scope: Construct, ctx: AddonContext, env: PlatformEnvironment, core: CoreAddons): void {
  const backup = env.addons.backup;
  new Velero(scope, "velero", {
    ...ctx,
    schedules: backup.schedules,
    expirationDays: backup.expireDays,
    glacierIrTransitionDays: backup.transitionToColdDays,
    overrides: env.addons.overrides["velero"],
    dependsOn: core.storage,
  });
}
