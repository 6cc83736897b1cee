import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import type { PlatformEnvironment } from "../../environments/validate";
import type { OpenSearchTarget } from "./logging";

/** OTLP ingestion and Jaeger v2 of an environment. */
export function addTracing(_scope: Construct, _ctx: AddonContext, _env: PlatformEnvironment, _opensearch: OpenSearchTarget | undefined): void {}
