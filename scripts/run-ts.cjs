#!/usr/bin/env node
/**
 * Runs a TypeScript entry point the fast way: bundles it with esbuild (a transpile, no type-check:
 * `npm test` type-checks with tsc), caches the bundle under node_modules/.cache keyed by a hash of
 * every file that went into it, and runs it in this process. A rerun with unchanged inputs skips
 * the bundling; any change to a source file or a dependency rebuilds it.
 *
 *   node scripts/run-ts.cjs main.ts [args...]
 */
"use strict";
const { buildSync } = require("esbuild");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const entry = process.argv[2];
if (!entry) {
  process.stderr.write("usage: node scripts/run-ts.cjs <entry.ts> [args...]\n");
  process.exit(2);
}
const root = process.cwd();
const cacheDir = path.join(root, "node_modules", ".cache", "run-ts");
const key = entry.replace(/[^A-Za-z0-9_.-]/g, "_");
const bundlePath = path.join(cacheDir, `${key}.js`);
const inputsPath = path.join(cacheDir, `${key}.inputs.json`);

/** Hash of the contents of `files` (paths relative to the project root), or undefined if one is gone. */
function digest(files) {
  const hash = crypto.createHash("sha256");
  for (const file of files) {
    let content;
    try {
      content = fs.readFileSync(path.join(root, file));
    } catch {
      return undefined;
    }
    hash.update(file).update("\0").update(content).update("\0");
  }
  return hash.digest("hex");
}

function isFresh() {
  try {
    const recorded = JSON.parse(fs.readFileSync(inputsPath, "utf8"));
    return fs.existsSync(bundlePath) && digest(recorded.inputs) === recorded.digest;
  } catch {
    return false;
  }
}

function build() {
  fs.mkdirSync(cacheDir, { recursive: true });
  const temp = `${bundlePath}.${process.pid}.tmp`;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: temp,
    metafile: true,
    logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  // Rename last: concurrent runs never see a half-written bundle.
  fs.renameSync(temp, bundlePath);
  fs.writeFileSync(inputsPath, JSON.stringify({ inputs, digest: digest(inputs) }));
}

if (!isFresh()) build();
// The entry point sees its own arguments as if it had been run directly.
process.argv.splice(1, 2, path.resolve(entry));
require(bundlePath);
