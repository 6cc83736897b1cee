/** `npm run cost -- <env> [--json] [--base <git-ref>]`; see scripts/cost/cli.ts. */
import { runCostCli } from "./cost/cli";

void runCostCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
