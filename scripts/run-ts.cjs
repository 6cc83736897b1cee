#!/usr/bin/env node
/**
 * Runs a TypeScript entry point the fast way: bundles it with esbuild (a transpile, no type-check:
 * `npm test` type-checks with tsc), caches the bundle under node_modules/.cache keyed by a hash of
 * every file that went into it, and runs it in this process. A rerun with unchanged inputs skips
 * the bundling; any change to a source file or a dependency rebuilds it.
 *
 *   node scripts/run-ts.cjs [--typecheck <tsconfig>] main.ts [args...]
 *
 * `--typecheck <tsconfig>` type-checks that project with tsc before each rebuild (not on a cached
 * run: the bundle is only written once the check passed) and stops with tsc's errors and exit code
 * 1 when it fails. `npm run synth` uses it for the environment files, so a mistake only TypeScript
 * sees (such as a key written twice in one object literal) never synthesizes silently. *
 * A bundle is cached under a key made of everything that changes it besides the sources: this
 * runner's own code, esbuild's version, the build options, the entry's full path and the checked
 * project. `RUN_TS_CACHE_DIR` moves the cache (tests use their own).
 * @default RUN_TS_CACHE_DIR - node_modules/.cache/run-ts
 */
"use strict";
const { buildSync } = require("esbuild");
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** The esbuild options of every bundle (part of the cache key). */
const BUILD_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  metafile: true,
  logLevel: "warning",
};

/**
 * The cache key of a bundle: a readable prefix (the entry and checked project as given, so a
 * bundle can be found by its entry) and a hash of what changes the bundle besides its sources.
 */
function cacheKey({ runnerSource, esbuildVersion, buildOptions, entryPath, typecheckPath }) {
  const hash = crypto
    .createHash("sha256")
    .update(JSON.stringify([runnerSource, esbuildVersion, buildOptions, entryPath, typecheckPath ?? null]))
    .digest("hex")
    .slice(0, 16);
  const readable = `${path.relative(process.cwd(), entryPath)}${typecheckPath ? `+${path.relative(process.cwd(), typecheckPath)}` : ""}`;
  return `${readable.replace(/[^A-Za-z0-9_.-]/g, "_")}-${hash}`;
}

if (require.main !== module) {
  module.exports = { cacheKey, BUILD_OPTIONS };
  return;
}

const typecheck = process.argv[2] === "--typecheck" ? process.argv[3] : undefined;
const runnerArgs = typecheck === undefined ? 1 : 3;
const entry = process.argv[1 + runnerArgs];
if (!entry || (process.argv[2] === "--typecheck" && !typecheck)) {
  process.stderr.write("usage: node scripts/run-ts.cjs [--typecheck <tsconfig>] <entry.ts> [args...]\n");
  process.exit(2);
}
const root = process.cwd();
const cacheDir = process.env.RUN_TS_CACHE_DIR ? path.resolve(process.env.RUN_TS_CACHE_DIR) : path.join(root, "node_modules", ".cache", "run-ts");
// A checked bundle is cached apart: a run without the check never makes a checked run skip it.
const key = cacheKey({
  runnerSource: fs.readFileSync(__filename, "utf8"),
  esbuildVersion: require("esbuild").version,
  buildOptions: BUILD_OPTIONS,
  entryPath: path.resolve(entry),
  typecheckPath: typecheck && path.resolve(typecheck),
});
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

/** Type-checks the `typecheck` project with the project's own tsc; exits 1 with its errors when it fails. */
function typeCheck() {
  const tsc = path.join(path.dirname(require.resolve("typescript/package.json", { paths: [root] })), "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", typecheck, "--pretty", "false"], { cwd: root, encoding: "utf8" });
  if (result.status === 0) return;
  process.stderr.write(`${result.stdout}${result.stderr}`);
  process.stderr.write(`Type errors in ${typecheck} (see above); nothing was synthesized.\n`);
  process.exit(1);
}

function build() {
  fs.mkdirSync(cacheDir, { recursive: true });
  const temp = `${bundlePath}.${process.pid}.tmp`;
  const result = buildSync({ ...BUILD_OPTIONS, entryPoints: [entry], outfile: temp });
  // The checked project's tsconfig is an input too: a change to it re-runs the check.
  const inputs = [...Object.keys(result.metafile.inputs), ...(typecheck ? [typecheck] : [])].sort();
  // Rename last: concurrent runs never see a half-written bundle.
  fs.renameSync(temp, bundlePath);
  fs.writeFileSync(inputsPath, JSON.stringify({ inputs, digest: digest(inputs) }));
}

if (!isFresh()) {
  if (typecheck) typeCheck();
  build();
}
// The entry point sees its own arguments as if it had been run directly.
process.argv.splice(1, runnerArgs + 1, path.resolve(entry));
require(bundlePath);
