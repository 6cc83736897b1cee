/**
 * Entry point of `npm run synth` and `cdktf synth`: validates every environment, builds every
 * stack, checks the guardrails over all of them, then synthesizes. An invalid configuration or a
 * guardrail violation prints every problem and exits non-zero before anything is written.
 */
import { environments } from "./environments";
import { synthesizePlatform } from "./stacks/synthesize";

process.exitCode = synthesizePlatform(environments, {
  outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out",
  report: (message) => process.stderr.write(`${message}\n`),
});
