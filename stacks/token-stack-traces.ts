/**
 * cdktf 0.21 records the complete JavaScript stack of every token it creates (`creationStack`, from
 * `cdktf/lib/tokens/private/stack-trace.js`, a copy of an old aws/constructs helper: unlimited
 * depth, formatted on the spot) only to print it when resolving that token fails. A platform
 * environment creates thousands of tokens; the profile of a 30-environment synth spent 2.2 s of
 * 5.8 s there. aws-cdk-lib made the same capture opt-in (`core/lib/stack-trace.ts`: "Stack traces
 * will only be captured if the `CDK_DEBUG` environment variable is set to `'true'` or `1`"); this
 * does the same for cdktf. The synthesized JSON does not change: the stacks only appear in error
 * messages, where a hint says how to get them back.
 */
// A require, not `import * as`: the assignment below must reach the module's own exports object,
// which cdktf's modules read on every call (`(0, stack_trace_1.captureStackTrace)()`).
import stackTrace = require("cdktf/lib/tokens/private/stack-trace");

/** What a token records as its creation stack when the capture is off. */
export const DISABLED_TRACE: readonly string[] = ["(token creation stacks are captured only with CDK_DEBUG=1)"];

/** True when `CDK_DEBUG` asks for debug output, as aws-cdk reads it (`true` or `1`). */
export function debugMode(variables: Readonly<Record<string, string | undefined>>): boolean {
  const value = variables.CDK_DEBUG?.toLowerCase();
  return value === "true" || value === "1";
}

/**
 * Turns cdktf's token creation-stack capture off for this process unless `CDK_DEBUG` is set.
 * Idempotent; returns whether capture is now off.
 */
export function limitTokenStackTraces(variables: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (debugMode(variables)) return false;
  (stackTrace as { captureStackTrace: typeof stackTrace.captureStackTrace }).captureStackTrace = () => [...DISABLED_TRACE];
  return true;
}
