/**
 * Entry point of `npm run synth` and `cdktf synth`: validates every environment, builds the stacks
 * (every environment's, or only those selected with `--env <name>` / `PLATFORM_ENV=<name>`, each
 * with the bootstrap stack of its account), checks the guardrails over all of them, then
 * synthesizes. An invalid configuration or a guardrail violation prints every problem and exits 1,
 * a bad command line or an unknown environment exits 2; either way before anything is written.
 */
import { environments } from "./environments";
import { loadAllocations } from "./environments/ip-allocations";
import { EXIT, parseSynthArgs, synthesizePlatform } from "./stacks/synthesize";

const report = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const args = parseSynthArgs(process.argv.slice(2), process.env);
if ("error" in args) {
  report(args.error);
  process.exitCode = EXIT.usage;
} else {
  process.exitCode = synthesizePlatform(environments, {
    outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out",
    report,
    environments: args.environments,
    allocations: loadAllocations(),
  });
}
