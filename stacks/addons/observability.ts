import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import type { PlatformEnvironment } from "../../environments/validate";

/** Metrics, dashboards and alerts of an environment. */
export function addObservability(_scope: Construct, _ctx: AddonContext, _env: PlatformEnvironment): void {}
