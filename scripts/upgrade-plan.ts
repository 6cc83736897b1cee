/** `npm run upgrade-plan -- <env> <version> [--json]`; see scripts/upgrade-plan/cli.ts. */
import { runPlanCli } from "./upgrade-plan/cli";

process.exitCode = runPlanCli(process.argv.slice(2));
