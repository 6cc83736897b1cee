/**
 * Entry point of `npm run synth` and `cdktf synth`: validates every environment, builds every
 * stack, checks the guardrails over all of them, then synthesizes. An invalid configuration or a
 * guardrail violation prints every problem and exits non-zero before anything is written.
 */
import { App } from "cdktf";
import { environments } from "./environments";
import { ConfigValidationError, validatePlatform } from "./environments/validate";
import { assertGuardrails, GuardrailViolationError } from "./modules/guardrails/guardrails";
import { buildPlatform } from "./stacks/platform";

function main(): void {
  let envs;
  try {
    envs = validatePlatform(environments);
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
  buildPlatform(app, envs);
  try {
    assertGuardrails(app);
  } catch (e) {
    if (e instanceof GuardrailViolationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  app.synth();
}

main();
