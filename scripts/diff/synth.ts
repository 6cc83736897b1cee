/**
 * Synthesizes a revision of the project into a temporary folder, offline:
 * - the working tree: `CDKTF_OUTDIR=<tmp> npx --no tsx main.ts` in the project (the user's
 *   `cdktf.out` is never touched);
 * - a git ref: `git worktree add --detach <tmp> <ref>`, the current `node_modules` symlinked into
 *   it, the same command run there, and the worktree removed afterwards (also on error or signal).
 * Credentials are scrubbed from the environment and telemetry is off (`CHECKPOINT_DISABLE=1`).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; injectable so that the orchestration can be tested without git or node. */
export type Runner = (command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) => Promise<CommandResult>;

export const spawnRunner: Runner = (command, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });

/** Environment variables that could carry credentials or tokens: never passed to a synth. */
const SECRET_ENV = /^(AWS_|TF_TOKEN_|TF_VAR_|GITHUB_TOKEN$|GH_TOKEN$|NPM_TOKEN$|NODE_AUTH_TOKEN$|ARM_|GOOGLE_)/;

/** The synth environment: no credentials, no telemetry, npm offline, output to `outDir`. */
export function synthEnv(outDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!SECRET_ENV.test(key)) env[key] = value;
  return { ...env, CDKTF_OUTDIR: outDir, CHECKPOINT_DISABLE: "1", npm_config_offline: "true", npm_config_update_notifier: "false" };
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** The output folder cdktf.json names (`cdktf.out` by default). */
function configuredOutput(projectDir: string): string {
  try {
    const config = JSON.parse(readFileSync(join(projectDir, "cdktf.json"), "utf8")) as { output?: unknown };
    return typeof config.output === "string" ? config.output : "cdktf.out";
  } catch {
    return "cdktf.out";
  }
}

/**
 * Synthesizes `projectDir` into `outDir` and returns the `stacks` folder. `allowInTreeOutput`
 * (temporary worktrees only) accepts output written to the project's own output folder, for
 * revisions whose `main.ts` does not honour `CDKTF_OUTDIR` yet.
 */
export async function synthProject(projectDir: string, outDir: string, run: Runner, allowInTreeOutput = false): Promise<string> {
  const result = await run("npx", ["--no", "tsx", "main.ts"], { cwd: projectDir, env: synthEnv(outDir) });
  if (result.code !== 0) throw new Error(`synth failed in ${projectDir} (exit ${result.code}):\n${tail(result.stderr || result.stdout)}`);
  const stacks = join(outDir, "stacks");
  if (existsSync(stacks)) return stacks;
  const inTree = join(projectDir, configuredOutput(projectDir), "stacks");
  if (allowInTreeOutput && existsSync(inTree)) return inTree;
  throw new Error(`synth in ${projectDir} wrote no ${stacks} (does main.ts honour CDKTF_OUTDIR?)`);
}

async function git(run: Runner, cwd: string, args: readonly string[]): Promise<string> {
  const result = await run("git", args, { cwd });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${tail(result.stderr || result.stdout, 10)}`);
  return result.stdout.trim();
}

/** A checked-out revision of the project in a temporary worktree. */
export interface Worktree {
  /** The project folder inside the worktree (the project may be a subfolder of the repository). */
  readonly projectDir: string;
  /** The commit checked out. */
  readonly commit: string;
  /** Removes the worktree (idempotent, synchronous so that it can run from a signal handler). */
  readonly remove: () => void;
}

/** Resolves `ref` and checks it out in `<tmpRoot>/<name>` with the current `node_modules` linked in. */
export async function addWorktree(projectDir: string, ref: string, tmpRoot: string, name: string, run: Runner): Promise<Worktree> {
  const top = await git(run, projectDir, ["rev-parse", "--show-toplevel"]);
  const commitResult = await run("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: projectDir });
  const commit = commitResult.stdout.trim();
  if (commitResult.code !== 0 || commit === "") throw new Error(`unknown git revision: ${ref}`);
  const path = join(tmpRoot, name);
  await git(run, top, ["worktree", "add", "--detach", path, commit]);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    try {
      execFileSync("git", ["worktree", "remove", "--force", path], { cwd: top, stdio: "ignore" });
    } catch {
      rmSync(path, { recursive: true, force: true });
      try {
        execFileSync("git", ["worktree", "prune"], { cwd: top, stdio: "ignore" });
      } catch {
        // nothing more to do: the folder is gone
      }
    }
  };
  try {
    const inWorktree = join(path, relative(top, projectDir));
    const modules = join(inWorktree, "node_modules");
    if (!existsSync(modules)) symlinkSync(join(projectDir, "node_modules"), modules, "dir");
    return { projectDir: inWorktree, commit, remove };
  } catch (e) {
    remove();
    throw e;
  }
}

/**
 * `true` when the dependency manifests differ between `baseCommit` and `headCommit` (or the
 * working tree): the base is synthesized with the head's `node_modules`, so some differences
 * may then come from dependency versions.
 */
export async function dependenciesDiffer(projectDir: string, baseCommit: string, headCommit: string | undefined, run: Runner): Promise<boolean> {
  const commits = headCommit === undefined ? [baseCommit] : [baseCommit, headCommit];
  const result = await run("git", ["diff", "--quiet", ...commits, "--", "package.json", "package-lock.json"], { cwd: projectDir });
  return result.code === 1;
}

/** A temporary folder, removed by `dispose` (idempotent, synchronous). */
export function tempRoot(): { path: string; dispose: () => void } {
  const path = mkdtempSync(join(tmpdir(), "synth-diff-"));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}
