import { App } from "cdktf";
import { ConfigValidationError, validatePlatform } from "../environments/validate";
import { assertGuardrails, GuardrailViolationError } from "../modules/guardrails/guardrails";
import { buildPlatform } from "./platform";

export interface SynthesizeOptions {
  /** Output folder. */
  readonly outdir: string;
  /** Where problems are reported. */
  readonly report: (message: string) => void;
}

/**
 * Validates the environments, builds every stack, checks the guardrails over all of them and only
 * then writes the Terraform JSON. Returns the process exit code: 0, or 1 with every problem
 * reported and nothing written.
 */
export function synthesizePlatform(inputs: readonly unknown[], options: SynthesizeOptions): number {
  try {
    const envs = validatePlatform(inputs);
    const app = new App({ outdir: options.outdir });
    buildPlatform(app, envs);
    assertGuardrails(app);
    app.synth();
    return 0;
  } catch (e) {
    if (e instanceof ConfigValidationError || e instanceof GuardrailViolationError) {
      options.report(e.message);
      return 1;
    }
    throw e;
  }
}
