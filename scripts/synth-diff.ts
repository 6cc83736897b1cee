/**
 * `npm run diff -- --base <git-ref> [--format markdown|json] [--out <file>]`: the offline diff of
 * the synthesized Terraform JSON between a base revision and the working tree, for pull-request
 * review (risks first). See `scripts/diff/cli.ts` for every option.
 */
import { runCli } from "./diff/cli";

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
