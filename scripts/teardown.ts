/** `npm run teardown -- <env> [...]` (dry run by default); see scripts/teardown/cli.ts. */
import { runTeardownCli } from "./teardown/cli";

void runTeardownCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
