/**
 * `npm run docs`: regenerates everything derived from the environments that lives in files: the
 * generated sections of README.md and the environment map and deploy jobs of the workflows.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { environments } from "../environments";
import { loadAllocations } from "../environments/ip-allocations";
import { ConfigValidationError, validatePlatform } from "../environments/validate";
import { renderReadme } from "./readme-sections";
import { renderWorkflow, WORKFLOW_FILES } from "./workflow-sections";

let envs: ReturnType<typeof validatePlatform>;
try {
  envs = validatePlatform(environments, { allocations: loadAllocations() });
} catch (e) {
  if (!(e instanceof ConfigValidationError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
const renderers: Record<string, (document: string) => string> = {
  "README.md": (doc) => renderReadme(doc, envs),
  ...Object.fromEntries(WORKFLOW_FILES.map((file) => [file, (doc: string) => renderWorkflow(doc, envs)])),
};
for (const [path, render] of Object.entries(renderers)) {
  const before = readFileSync(path, "utf8");
  const after = render(before);
  if (after !== before) writeFileSync(path, after);
  process.stdout.write(`${path} ${after === before ? "is up to date" : "updated"}\n`);
}
