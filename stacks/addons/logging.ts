import { Construct } from "constructs";
import type { AddonContext } from "../../addons/context";
import type { PlatformEnvironment } from "../../environments/validate";

/** An OpenSearch domain that logs and traces are written to. */
export interface OpenSearchTarget {
  /** Domain endpoint host name (no scheme). */
  readonly endpoint: string;
  /** Domain ARN. */
  readonly domainArn: string;
}

/** The log pipeline of an environment; returns the OpenSearch domain when the env has one. */
export function addLogging(_scope: Construct, _ctx: AddonContext, _env: PlatformEnvironment): OpenSearchTarget | undefined {
  return undefined;
}
