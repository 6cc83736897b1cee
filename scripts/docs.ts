/** `npm run docs`: regenerates the generated sections of README.md. */
import { readFileSync, writeFileSync } from "node:fs";
import { renderReadme } from "./readme-sections";

const path = "README.md";
const before = readFileSync(path, "utf8");
const after = renderReadme(before);
if (after !== before) writeFileSync(path, after);
process.stdout.write(after === before ? "README.md is up to date\n" : "README.md updated\n");
