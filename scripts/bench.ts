/**
 * `npm run bench [-- options]`: measures, in one run on the same code,
 *
 *  1. the full synth of every stack as `npm run synth` / `cdktf synth` runs it (`node scripts/run-ts.cjs main.ts`: an esbuild bundle cached by input hash, run in-process; the first run after a change bundles, and the bench reports that cold run apart):
 *     wall time and peak RSS of the child process, median of `--runs` runs;
 *  2. the same synth with the stock toolchain of `cdktf init --template=typescript`
 *     (`npx ts-node main.ts`: ts-node 10 with a full TypeScript 5 type-check, `tsconfig.stock.json`),
 *     runs interleaved with (1) so that load on the machine hits both alike; the two outputs are
 *     compared byte for byte;
 *  3. the test suite (`npm test`, wall time, one run);
 *  4. synth scaling with 1, 3, 10 and 30 generated environments (`scripts/bench-synth-n.ts`),
 *     wall time of the child process, median of `--scaling-runs` runs;
 *  5. fleet scale: the full synth of `--fleet` (default 100) generated environments (wall time, peak
 *     RSS) and the synth of one environment out of them (`--env`, as `npm run synth -- --env <name>`
 *     runs it), median of `--fleet-runs` runs, interleaved. Both run the probe through the same
 *     runner as `npm run synth` (scripts/run-ts.cjs, cached bundle; a first untimed run bundles it).
 *
 * Prints a Markdown table (metric, value, target, result) and writes `bench/results.json` with the
 * machine it ran on. Missed targets are reported, never an exit status: the exit code is non-zero
 * only when something could not be measured (a command failed or timed out).
 *
 * Options:
 *   --runs <n>             runs of each full synth (default 3; the median is reported)
 *   --only <list>          measure only some of: synth,stock,test,scaling,fleet (default all)
 *   --scaling <list>       environment counts (default 1,3,10,30)
 *   --scaling-from <list>  real environments the generated ones are cloned from (default dev)
 *   --scaling-runs <n>     runs of each environment count (default 3; the median is reported;
 *                          linearity is judged on the in-process work time the probe reports)
 *   --fleet <n>            generated environments of the fleet part (default 100)
 *   --fleet-from <list>    real environments the fleet is cloned from (default: every one)
 *   --fleet-runs <n>       runs of the fleet synths (default 3; the median is reported)
 *   --snapshot             copy the working tree to a temp dir first and measure the copy, so that
 *                          files edited meanwhile cannot change the code between measurements
 *   --ref <rev>            measure a committed revision (implies --snapshot; the bench files are
 *                          taken from the working tree when the revision lacks them)
 *   --verify-stock         first prove the stock toolchain type-checks: a copy with a deliberate type
 *                          error must fail to synth with ts-node
 *   --rss <time|preload>   peak RSS via GNU time (default when /usr/bin/time works) or a Node preload
 *                          recording process.resourceUsage().maxRSS in every node process
 *   --timeout <s>          limit of each command (default 900)
 *   --out <file>           JSON output (default bench/results.json)
 */
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  appendFileSync,
} from "node:fs";
import * as os from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { cloneName } from "./fleet";

const ROOT = resolve(__dirname, "..");
/** Files the bench needs in a measured copy; taken from the working tree when a revision lacks them. */
const BENCH_FILES = ["scripts/bench.ts", "scripts/bench-synth-n.ts", "scripts/fleet.ts", "tsconfig.stock.json"];
const GNU_TIME = "/usr/bin/time";

/** Targets of the issues "Speed: synthesize and test fast" and "Day 2" (fleet scale). */
export const TARGETS = {
  speedup: 5,
  synthSeconds: 3,
  peakRssMB: 400,
  testSeconds: 60,
  scaling30Seconds: 15,
  /** Marginal cost per environment of the last scaling step over that of the steps before it. */
  superlinearityRatio: 1.5,
  /** Full synth of the fleet (`--fleet` generated environments, 100 by default). */
  fleetSynthSeconds: 20,
  fleetPeakRssMB: 1000,
  /** `--env <one>` out of the fleet. */
  fleetOneEnvironmentSeconds: 2,
} as const;

type Part = "synth" | "stock" | "test" | "scaling" | "fleet";
const PARTS: readonly Part[] = ["synth", "stock", "test", "scaling", "fleet"];

interface Options {
  readonly runs: number;
  readonly only: readonly Part[];
  readonly scaling: readonly number[];
  readonly scalingFrom: string;
  readonly scalingRuns: number;
  readonly fleet: number;
  /** Undefined: the probe's default, every real environment. */
  readonly fleetFrom: string | undefined;
  readonly fleetRuns: number;
  readonly snapshot: boolean;
  readonly ref: string | undefined;
  readonly verifyStock: boolean;
  readonly rss: "time" | "preload" | undefined;
  readonly timeoutSeconds: number;
  readonly out: string;
}

/** One child process, measured. */
export interface Sample {
  readonly command: string;
  readonly wallSeconds: number;
  /** Peak resident set of the largest process of the child's tree, MB (10^6 bytes). */
  readonly peakRssMB: number | undefined;
  /**
   * User + system CPU time of the child and its descendants: far less sensitive to a busy machine
   * than wall time, reported next to it (the targets are on wall time).
   */
  readonly cpuSeconds: number | undefined;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  /** The end of stderr, for error messages. */
  readonly stderrTail: string;
}

/** A metric row of the report. */
export interface Row {
  readonly metric: string;
  readonly value: string;
  readonly target: string;
  readonly result: "pass" | "fail" | "n/a" | "error";
}

export function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  const known = new Set(["--runs", "--only", "--scaling", "--scaling-from", "--scaling-runs", "--fleet", "--fleet-from", "--fleet-runs", "--snapshot", "--ref", "--verify-stock", "--rss", "--timeout", "--out"]);
  for (const a of argv) if (a.startsWith("--") && !known.has(a)) throw new Error(`unknown option ${a}`);
  const int = (flag: string, fallback: number): number => {
    const v = value(flag);
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${v}`);
    return n;
  };
  const only = (value("--only") ?? PARTS.join(",")).split(",").filter(Boolean);
  for (const p of only) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only: unknown part ${p}; parts: ${PARTS.join(",")}`);
  const scaling = (value("--scaling") ?? "1,3,10,30").split(",").filter(Boolean).map(Number);
  if (scaling.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--scaling takes positive integers, e.g. 1,3,10,30");
  const rss = value("--rss");
  if (rss !== undefined && rss !== "time" && rss !== "preload") throw new Error("--rss is time or preload");
  const ref = value("--ref");
  return {
    runs: int("--runs", 3),
    only: only as Part[],
    scaling: [...new Set(scaling)].sort((a, b) => a - b),
    scalingFrom: value("--scaling-from") ?? "dev",
    scalingRuns: int("--scaling-runs", 3),
    fleet: int("--fleet", 100),
    fleetFrom: value("--fleet-from"),
    fleetRuns: int("--fleet-runs", 3),
    snapshot: argv.includes("--snapshot") || ref !== undefined,
    ref,
    verifyStock: argv.includes("--verify-stock"),
    rss,
    timeoutSeconds: int("--timeout", 900),
    out: resolve(ROOT, value("--out") ?? "bench/results.json"),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Least-squares line through the points, with R². */
export function linearFit(points: readonly (readonly [number, number])[]): { intercept: number; slope: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const syy = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { intercept, slope, r2 };
}

/**
 * Superlinearity of sorted (n, seconds) points: the cost per added environment over the last step
 * divided by the cost per environment from the first point to the one before the last. About 1 when
 * time is linear in n; well above 1 when each environment costs more the more there are.
 */
export function superlinearity(points: readonly (readonly [number, number])[]): number | undefined {
  if (points.length < 3) return undefined;
  const [x0, y0] = points[0]!;
  const [xp, yp] = points[points.length - 2]!;
  const [xl, yl] = points[points.length - 1]!;
  const before = (yp - y0) / (xp - x0);
  const last = (yl - yp) / (xl - xp);
  return before <= 0 ? undefined : last / before;
}

// ---------------------------------------------------------------------------------------------
// Child processes

let active: { pid: number } | undefined;
let tempRoot: string | undefined;

function killActive(): void {
  if (active === undefined) return;
  try {
    process.kill(-active.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function gnuTimeWorks(dir: string): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const out = join(dir, "time-probe");
  const r = spawnSync(GNU_TIME, ["-f", TIME_FORMAT, "-o", out, "true"], { stdio: "ignore" });
  if (r.status !== 0 || !existsSync(out)) return false;
  return parseTime(readFileSync(out, "utf8")) !== undefined;
}

/** GNU time output: peak RSS (KiB), user and system CPU seconds of the child and its descendants. */
const TIME_FORMAT = "%M %U %S";

function parseTime(text: string): { kib: number; cpuSeconds: number } | undefined {
  const m = /^(\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(text.trim().split("\n").pop() ?? "");
  return m ? { kib: Number(m[1]), cpuSeconds: Number(m[2]) + Number(m[3]) } : undefined;
}

const PRELOAD = `"use strict";
const fs = require("node:fs");
const path = require("node:path");
process.on("exit", () => {
  try {
    const u = process.resourceUsage();
    fs.writeFileSync(path.join(process.env.BENCH_RSS_DIR, String(process.pid)), u.maxRSS + " " + (u.userCPUTime + u.systemCPUTime));
  } catch {}
});
`;

interface Runner {
  readonly method: "time" | "preload";
  run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Sample>;
}

function makeRunner(dir: string, timeoutSeconds: number, forced: Options["rss"]): Runner {
  const method = forced ?? (gnuTimeWorks(dir) ? "time" : "preload");
  if (method === "time" && !gnuTimeWorks(dir)) throw new Error(`--rss time: ${GNU_TIME} is missing or does not work`);
  const preload = join(dir, "rss-preload.cjs");
  if (method === "preload") writeFileSync(preload, PRELOAD);
  let seq = 0;
  return {
    method,
    run(command, args, cwd, env) {
      const id = String(++seq);
      const timeFile = join(dir, `time-${id}`);
      const rssDir = join(dir, `rss-${id}`);
      let file = command;
      let fileArgs = [...args];
      const childEnv: NodeJS.ProcessEnv = { ...env };
      if (method === "time") {
        file = GNU_TIME;
        fileArgs = ["-f", TIME_FORMAT, "-o", timeFile, command, ...args];
      } else {
        mkdirSync(rssDir);
        childEnv.BENCH_RSS_DIR = rssDir;
        childEnv.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(preload)}`.trim();
      }
      const display = [command, ...args].join(" ");
      return new Promise<Sample>((resolvePromise, reject) => {
        const start = performance.now();
        const child = spawn(file, fileArgs, { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
        if (child.pid !== undefined) active = { pid: child.pid };
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => {
          if (stdout.length < 1_000_000) stdout += d.toString();
        });
        child.stderr.on("data", (d: Buffer) => {
          stderr = (stderr + d.toString()).slice(-4000);
        });
        let timedOut = false;
        let exited: number | undefined;
        child.on("exit", () => {
          exited = performance.now();
        });
        const timer = setTimeout(() => {
          timedOut = true;
          killActive();
        }, timeoutSeconds * 1000);
        child.on("error", (e) => {
          clearTimeout(timer);
          active = undefined;
          reject(e);
        });
        child.on("close", (code, signal) => {
          const wallSeconds = ((exited ?? performance.now()) - start) / 1000;
          clearTimeout(timer);
          active = undefined;
          let kib: number | undefined;
          let cpuSeconds: number | undefined;
          if (method === "time") {
            const t = existsSync(timeFile) ? parseTime(readFileSync(timeFile, "utf8")) : undefined;
            kib = t?.kib;
            cpuSeconds = t?.cpuSeconds;
          } else {
            const values = existsSync(rssDir) ? readdirSync(rssDir).map((f) => readFileSync(join(rssDir, f), "utf8").split(" ").map(Number)) : [];
            if (values.length > 0) {
              kib = Math.max(...values.map(([rss]) => rss!));
              cpuSeconds = values.reduce((sum, [, micros]) => sum + micros! / 1e6, 0);
            }
          }
          resolvePromise({
            command: display,
            wallSeconds,
            peakRssMB: kib === undefined ? undefined : (kib * 1024) / 1e6,
            cpuSeconds,
            exitCode: code,
            signal,
            timedOut,
            stdout,
            stderrTail: stderr.split("\n").filter((l) => !l.startsWith("npm warn")).join("\n").trim(),
          });
        });
      });
    },
  };
}

function ok(s: Sample): boolean {
  return s.exitCode === 0 && !s.timedOut;
}

function failure(s: Sample): string {
  const why = s.timedOut ? "timed out" : s.signal ? `killed by ${s.signal}` : `exit ${s.exitCode}`;
  return `${s.command} (${why}): ${s.stderrTail.split("\n").slice(-15).join("\n")}`;
}

// ---------------------------------------------------------------------------------------------
// The code measured

function git(args: readonly string[], cwd: string, input?: Buffer): Buffer {
  const r = spawnSync("git", args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr?.toString().trim() ?? r.error?.message}`);
  return r.stdout;
}

/** Copies the code to measure into `dir` (working tree, or a revision) and links node_modules. */
function snapshot(dir: string, ref: string | undefined): void {
  mkdirSync(dir, { recursive: true });
  if (ref !== undefined) {
    const tar = git(["archive", "--format=tar", ref], ROOT);
    const r = spawnSync("tar", ["-x", "-C", dir], { input: tar, maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`tar: ${r.stderr.toString()}`);
  } else {
    const files = git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT).toString().split("\0").filter(Boolean);
    for (const f of files) {
      if (!existsSync(join(ROOT, f))) continue; // deleted in the working tree
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      cpSync(join(ROOT, f), join(dir, f));
    }
  }
  for (const f of BENCH_FILES) {
    if (!existsSync(join(dir, f))) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      cpSync(join(ROOT, f), join(dir, f));
    }
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
}

function gitInfo(): { commit: string | undefined; dirty: boolean | undefined } {
  try {
    return {
      commit: git(["rev-parse", "HEAD"], ROOT).toString().trim(),
      dirty: git(["status", "--porcelain"], ROOT).toString().trim().length > 0,
    };
  } catch {
    return { commit: undefined, dirty: undefined };
  }
}

/** Every `stacks/<stack>/cdk.tf.json` of an output dir, by stack. */
function stackFiles(outdir: string): Map<string, string> {
  const stacksDir = join(outdir, "stacks");
  const files = new Map<string, string>();
  if (!existsSync(stacksDir)) return files;
  for (const stack of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, stack, "cdk.tf.json");
    if (existsSync(file)) files.set(stack, readFileSync(file, "utf8"));
  }
  return files;
}

function sameOutput(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([stack, json]) => b.get(stack) === json);
}

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", NO_COLOR: "1", FORCE_COLOR: "0" };
  for (const k of Object.keys(env)) if (k.startsWith("TS_NODE_")) delete env[k];
  delete env.CDKTF_OUTDIR;
  return env;
}

function stockEnv(cwd: string): NodeJS.ProcessEnv {
  return { ...baseEnv(), TS_NODE_COMPILER: "typescript-5", TS_NODE_PROJECT: join(cwd, "tsconfig.stock.json") };
}

/** Exactly what `npm run synth` runs (package.json `synth`; cdktf.json `app` runs the same). */
function synthCommand(cwd: string): readonly [string, readonly string[]] {
  const [command, ...args] = (JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as { scripts: { synth: string } }).scripts.synth.split(/\s+/);
  return [command!, args];
}

/** The synth probe (scripts/bench-synth-n.ts) through the runner of `npm run synth`. */
const PROBE = ["scripts/run-ts.cjs", "scripts/bench-synth-n.ts"] as const;

/** What the probe prints: environments, stacks written, milliseconds per phase. */
interface ProbeResult {
  readonly stacks?: number;
  readonly ms?: { readonly total?: number };
}

function probeResult(s: Sample): ProbeResult | undefined {
  try {
    return JSON.parse(s.stdout.trim().split("\n").pop() ?? "") as ProbeResult;
  } catch {
    return undefined;
  }
}
const STOCK_SYNTH = ["npx", ["ts-node", "main.ts"]] as const;

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const round3 = (n: number | undefined): number | null => (n === undefined ? null : Number(n.toFixed(3)));
const cpuNote = (cpu: number | undefined): string => (cpu === undefined ? "" : ` (CPU ${fmt(cpu, 1)} s)`);

function table(rows: readonly Row[]): string {
  const lines = ["| Metric | Value | Target | Result |", "| --- | --- | --- | --- |"];
  for (const r of rows) lines.push(`| ${r.metric} | ${r.value} | ${r.target} | ${r.result} |`);
  return lines.join("\n");
}

interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly totalMemoryGB: number;
  readonly node: string;
  readonly os: string;
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    totalMemoryGB: Number((os.totalmem() / 1e9).toFixed(1)),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------

async function main(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  tempRoot = mkdtempSync(join(os.tmpdir(), "eks-idp-bench-"));
  const runner = makeRunner(tempRoot, options.timeoutSeconds, options.rss);
  const errors: string[] = [];
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  const started = new Date();
  const load = { start: os.loadavg().map((l) => Number(l.toFixed(2))) } as { start: number[]; end?: number[] };

  let cwd = ROOT;
  if (options.snapshot) {
    cwd = join(tempRoot, "code");
    log(`copying ${options.ref ?? "the working tree"} to ${cwd}`);
    snapshot(cwd, options.ref);
  }
  log(`measuring ${cwd} (peak RSS via ${runner.method === "time" ? GNU_TIME : "a Node preload"})`);

  let outSeq = 0;
  const freshOutdir = (): string => join(tempRoot!, `out-${++outSeq}`);

  if (options.verifyStock) {
    const broken = join(tempRoot, "type-error");
    snapshot(broken, options.ref);
    appendFileSync(join(broken, "main.ts"), '\nexport const benchTypeError: number = "not a number";\n');
    const outdir = freshOutdir();
    log("verifying that the stock toolchain type-checks (a deliberate type error must fail it)");
    const s = await runner.run(STOCK_SYNTH[0], STOCK_SYNTH[1], broken, { ...stockEnv(broken), CDKTF_OUTDIR: outdir });
    const caught = !ok(s) && /TS2322/.test(s.stderrTail);
    results.stockTypeCheckVerified = caught;
    rmSync(broken, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
    if (!caught) errors.push(`the stock toolchain did not reject a type error: ${failure(s)}`);
    rows.push({ metric: "Stock toolchain rejects a type error", value: caught ? "yes (TS2322)" : "no", target: "yes", result: caught ? "pass" : "error" });
  }

  // 1 + 2: full synth, both toolchains interleaved.
  const doSynth = options.only.includes("synth");
  const doStock = options.only.includes("stock");
  if (doSynth || doStock) {
    const tsxSynth = synthCommand(cwd);
    const tsx: Sample[] = [];
    const stock: Sample[] = [];
    let reference: Map<string, string> | undefined;
    let stockReference: Map<string, string> | undefined;
    let cold: Sample | undefined;
    if (doSynth) {
      // The first synth after a change bundles (scripts/run-ts.cjs); the timed runs reuse the bundle.
      rmSync(join(cwd, "node_modules", ".cache", "run-ts"), { recursive: true, force: true });
      const outdir = freshOutdir();
      log("full synth (tsx), cold: first run after a change, bundling included");
      cold = await runner.run(tsxSynth[0], tsxSynth[1], cwd, { ...baseEnv(), CDKTF_OUTDIR: outdir });
      if (!ok(cold)) errors.push(failure(cold));
      rmSync(outdir, { recursive: true, force: true });
      log(`  ${fmt(cold.wallSeconds)} s${cpuNote(cold.cpuSeconds)}`);
    }
    for (let run = 1; run <= options.runs; run++) {
      for (const [which, [cmd, args], env, samples] of [
        ["tsx", tsxSynth, baseEnv(), tsx],
        ["stock", STOCK_SYNTH, stockEnv(cwd), stock],
      ] as const) {
        if (which === "tsx" ? !doSynth : !doStock) continue;
        const outdir = freshOutdir();
        log(`full synth (${which}), run ${run}/${options.runs}`);
        const s = await runner.run(cmd, args, cwd, { ...env, CDKTF_OUTDIR: outdir });
        (samples as Sample[]).push(s);
        if (!ok(s)) errors.push(failure(s));
        else if (run === 1) {
          if (which === "tsx") reference = stackFiles(outdir);
          else stockReference = stackFiles(outdir);
        }
        rmSync(outdir, { recursive: true, force: true });
        log(`  ${fmt(s.wallSeconds)} s${cpuNote(s.cpuSeconds)}, ${s.peakRssMB === undefined ? "?" : fmt(s.peakRssMB, 0)} MB${ok(s) ? "" : " (FAILED)"}`);
      }
    }
    const summary = (samples: readonly Sample[]) => {
      const good = samples.filter(ok);
      const rss = good.map((s) => s.peakRssMB).filter((v): v is number => v !== undefined);
      const cpu = good.map((s) => s.cpuSeconds).filter((v): v is number => v !== undefined);
      return {
        command: samples[0]?.command,
        runs: samples.map((s) => ({ wallSeconds: round3(s.wallSeconds), cpuSeconds: round3(s.cpuSeconds), peakRssMB: round3(s.peakRssMB), ok: ok(s) })),
        medianWallSeconds: good.length > 0 ? median(good.map((s) => s.wallSeconds)) : undefined,
        medianCpuSeconds: cpu.length > 0 ? median(cpu) : undefined,
        maxPeakRssMB: rss.length > 0 ? Math.max(...rss) : undefined,
        medianPeakRssMB: rss.length > 0 ? median(rss) : undefined,
      };
    };
    const t = summary(tsx);
    const st = summary(stock);
    const stacks = (reference ?? stockReference)?.size;
    results.fullSynth = {
      stacks,
      tsx: doSynth ? t : undefined,
      tsxCold: cold ? { wallSeconds: round3(cold.wallSeconds), cpuSeconds: round3(cold.cpuSeconds), peakRssMB: round3(cold.peakRssMB), ok: ok(cold) } : undefined,
      stock: doStock ? { ...st, compiler: "typescript-5 (npm:typescript@5.9.3)", project: "tsconfig.stock.json" } : undefined,
      identicalOutput: reference && stockReference ? sameOutput(reference, stockReference) : undefined,
    };
    const n = `median of ${options.runs}`;
    if (doSynth) {
      const v = t.medianWallSeconds;
      rows.push({
        metric: `Full synth, npm run synth (${stacks ?? "?"} stacks, cached bundle, ${n})`,
        value: v === undefined ? "error" : `${fmt(v)} s${cpuNote(t.medianCpuSeconds)}`,
        target: `≤ ${TARGETS.synthSeconds} s`,
        result: v === undefined ? "error" : v <= TARGETS.synthSeconds ? "pass" : "fail",
      });
      rows.push({
        metric: "Full synth, first run after a change (bundling included, 1 run)",
        value: cold === undefined || !ok(cold) ? "error" : `${fmt(cold.wallSeconds)} s${cpuNote(cold.cpuSeconds)}`,
        target: `≤ ${TARGETS.synthSeconds} s`,
        result: cold === undefined || !ok(cold) ? "error" : cold.wallSeconds <= TARGETS.synthSeconds ? "pass" : "fail",
      });
      const m = t.maxPeakRssMB;
      rows.push({
        metric: "Peak RSS of the full synth (max of runs)",
        value: m === undefined ? "error" : `${fmt(m, 0)} MB`,
        target: `≤ ${TARGETS.peakRssMB} MB`,
        result: m === undefined ? "error" : m <= TARGETS.peakRssMB ? "pass" : "fail",
      });
    }
    if (doStock) {
      const v = st.medianWallSeconds;
      rows.push({
        metric: `Full synth, stock cdktf toolchain (ts-node + TypeScript 5 type-check, ${n})`,
        value: v === undefined ? "error" : `${fmt(v)} s${cpuNote(st.medianCpuSeconds)}${st.maxPeakRssMB === undefined ? "" : `, ${fmt(st.maxPeakRssMB, 0)} MB`}`,
        target: "baseline",
        result: v === undefined ? "error" : "n/a",
      });
    }
    if (doSynth && doStock) {
      const a = t.medianWallSeconds;
      const b = st.medianWallSeconds;
      const speedup = a !== undefined && b !== undefined ? b / a : undefined;
      const ca = t.medianCpuSeconds;
      const cb = st.medianCpuSeconds;
      const cpuSpeedup = ca !== undefined && cb !== undefined ? cb / ca : undefined;
      Object.assign(results.fullSynth as object, { speedup, cpuSpeedup });
      rows.push({
        metric: "Speed-up over the stock toolchain (wall)",
        value: speedup === undefined ? "error" : `${fmt(speedup, 1)}×${cpuSpeedup === undefined ? "" : ` (CPU ${fmt(cpuSpeedup, 1)}×)`}`,
        target: `≥ ${TARGETS.speedup}×`,
        result: speedup === undefined ? "error" : speedup >= TARGETS.speedup ? "pass" : "fail",
      });
      const same = (results.fullSynth as { identicalOutput?: boolean }).identicalOutput;
      rows.push({ metric: "Same output from both toolchains", value: same === undefined ? "error" : same ? "identical" : "DIFFERENT", target: "identical", result: same === undefined ? "error" : same ? "pass" : "fail" });
    }
  }

  // 3: test suite.
  if (options.only.includes("test")) {
    log("npm test");
    const s = await runner.run("npm", ["test"], cwd, baseEnv());
    if (!ok(s)) errors.push(failure(s));
    results.test = { command: s.command, wallSeconds: round3(s.wallSeconds), cpuSeconds: round3(s.cpuSeconds), peakRssMB: round3(s.peakRssMB), ok: ok(s) };
    rows.push({
      metric: "npm test (wall, 1 run)",
      value: ok(s) ? `${fmt(s.wallSeconds, 1)} s${cpuNote(s.cpuSeconds)}` : `error after ${fmt(s.wallSeconds, 1)} s`,
      target: `≤ ${TARGETS.testSeconds} s`,
      result: !ok(s) ? "error" : s.wallSeconds <= TARGETS.testSeconds ? "pass" : "fail",
    });
    log(`  ${fmt(s.wallSeconds)} s${ok(s) ? "" : " (FAILED)"}`);
  }

  // The probe's first run bundles it (scripts/run-ts.cjs); the timed runs reuse the bundle.
  let probeBundled = false;
  const bundleProbe = async (): Promise<void> => {
    if (probeBundled) return;
    probeBundled = true;
    const outdir = freshOutdir();
    log("bundling the synth probe (untimed)");
    const s = await runner.run("node", [...PROBE, "1"], cwd, { ...baseEnv(), CDKTF_OUTDIR: outdir });
    rmSync(outdir, { recursive: true, force: true });
    if (!ok(s)) errors.push(failure(s));
  };

  // 4: scaling. Runs interleaved across N (so that a burst of load hits every N alike), median per N.
  if (options.only.includes("scaling")) {
    await bundleProbe();
    const samples = new Map<number, { sample: Sample; inner: ProbeResult | undefined }[]>(options.scaling.map((n) => [n, []]));
    for (let run = 1; run <= options.scalingRuns; run++) {
      for (const n of options.scaling) {
        const outdir = freshOutdir();
        log(`synth of ${n} generated environment(s), run ${run}/${options.scalingRuns}`);
        const s = await runner.run("node", [...PROBE, String(n), "--from", options.scalingFrom], cwd, { ...baseEnv(), CDKTF_OUTDIR: outdir });
        rmSync(outdir, { recursive: true, force: true });
        const inner = probeResult(s);
        samples.get(n)!.push({ sample: s, inner });
        if (!ok(s)) errors.push(failure(s));
        log(`  ${fmt(s.wallSeconds)} s${cpuNote(s.cpuSeconds)}${inner?.ms?.total === undefined ? "" : `, in-process ${inner.ms.total} ms`}${ok(s) ? "" : " (FAILED)"}`);
      }
    }
    const wallPoints: [number, number][] = [];
    const workPoints: [number, number][] = [];
    const details: unknown[] = [];
    for (const [n, list] of samples) {
      const good = list.filter((x) => ok(x.sample));
      const wall = good.length > 0 ? median(good.map((x) => x.sample.wallSeconds)) : undefined;
      const cpu = good.map((x) => x.sample.cpuSeconds).filter((v): v is number => v !== undefined);
      const rss = good.map((x) => x.sample.peakRssMB).filter((v): v is number => v !== undefined);
      const work = good.map((x) => x.inner?.ms?.total).filter((v): v is number => v !== undefined);
      const stacks = good[0]?.inner?.stacks;
      details.push({
        environments: n,
        stacks,
        medianWallSeconds: round3(wall),
        medianCpuSeconds: round3(cpu.length > 0 ? median(cpu) : undefined),
        maxPeakRssMB: round3(rss.length > 0 ? Math.max(...rss) : undefined),
        medianInProcessMs: work.length > 0 ? median(work) : null,
        runs: list.map(({ sample: x, inner }) => ({ wallSeconds: round3(x.wallSeconds), cpuSeconds: round3(x.cpuSeconds), peakRssMB: round3(x.peakRssMB), ok: ok(x), inProcess: inner ?? null })),
      });
      if (wall === undefined || good.length < list.length) {
        rows.push({ metric: `Synth of ${n} generated env(s)`, value: "error", target: "", result: "error" });
        continue;
      }
      wallPoints.push([n, wall]);
      if (work.length === good.length) workPoints.push([n, median(work) / 1000]);
      rows.push({
        metric: `Synth of ${n} generated env(s)${stacks === undefined ? "" : ` (${stacks} stacks)`}, median of ${options.scalingRuns}`,
        value: `${fmt(wall)} s${cpuNote(cpu.length > 0 ? median(cpu) : undefined)}, ${rss.length > 0 ? fmt(Math.max(...rss), 0) : "?"} MB`,
        target: n === 30 ? `≤ ${TARGETS.scaling30Seconds} s` : "",
        result: n === 30 ? (wall <= TARGETS.scaling30Seconds ? "pass" : "fail") : "n/a",
      });
    }
    const complete = wallPoints.length === options.scaling.length;
    const wallFit = wallPoints.length >= 2 ? linearFit(wallPoints) : undefined;
    const workFit = workPoints.length >= 2 ? linearFit(workPoints) : undefined;
    // Linearity is judged on the in-process work (validate, build, guardrails, synth): the process
    // start (npx, tsx, loading the providers) is constant in N and the noisiest part of wall time.
    const ratio = complete && workPoints.length === wallPoints.length ? superlinearity(workPoints) : undefined;
    results.scaling = {
      from: options.scalingFrom.split(","),
      runsPerPoint: options.scalingRuns,
      points: details,
      wallFit: wallFit && { intercept: wallFit.intercept, secondsPerEnvironment: wallFit.slope, r2: wallFit.r2 },
      inProcessFit: workFit && { intercept: workFit.intercept, secondsPerEnvironment: workFit.slope, r2: workFit.r2 },
      superlinearity: ratio,
      superlinearityOfWallTime: complete ? superlinearity(wallPoints) : undefined,
    };
    if (complete && wallFit !== undefined && workFit !== undefined) {
      rows.push({
        metric: "Synth time linear in environments",
        value: `wall ${fmt(wallFit.intercept)} s + ${fmt(wallFit.slope, 3)} s/env (R² ${fmt(wallFit.r2, 3)}); in-process ${fmt(workFit.slope * 1000, 0)} ms/env (R² ${fmt(workFit.r2, 3)}), ${ratio === undefined ? "too few points or no growth to judge" : `last step ${fmt(ratio)}× the earlier per-env cost`}`,
        target: `per-env cost of the last step ≤ ${TARGETS.superlinearityRatio}× the earlier`,
        result: ratio === undefined ? "n/a" : ratio <= TARGETS.superlinearityRatio ? "pass" : "fail",
      });
    }
  }

  // 5: fleet scale. The full synth and one environment out of the fleet, runs interleaved.
  if (options.only.includes("fleet")) {
    await bundleProbe();
    const n = options.fleet;
    const one = cloneName(Math.floor(n / 2));
    const from = options.fleetFrom === undefined ? [] : ["--from", options.fleetFrom];
    const kinds = [
      { key: "full", args: [], label: `full synth of ${n} generated environments` },
      { key: "one", args: ["--env", one], label: `--env ${one} out of ${n} generated environments` },
    ] as const;
    const samples: Record<(typeof kinds)[number]["key"], { sample: Sample; inner: ProbeResult | undefined }[]> = { full: [], one: [] };
    for (let run = 1; run <= options.fleetRuns; run++) {
      for (const kind of kinds) {
        const outdir = freshOutdir();
        log(`${kind.label}, run ${run}/${options.fleetRuns}`);
        const s = await runner.run("node", [...PROBE, String(n), ...from, ...kind.args], cwd, { ...baseEnv(), CDKTF_OUTDIR: outdir });
        rmSync(outdir, { recursive: true, force: true });
        const inner = probeResult(s);
        samples[kind.key].push({ sample: s, inner });
        if (!ok(s)) errors.push(failure(s));
        log(`  ${fmt(s.wallSeconds)} s${cpuNote(s.cpuSeconds)}, ${s.peakRssMB === undefined ? "?" : fmt(s.peakRssMB, 0)} MB${inner?.ms?.total === undefined ? "" : `, in-process ${inner.ms.total} ms`}${ok(s) ? "" : " (FAILED)"}`);
      }
    }
    const summarize = (list: readonly { sample: Sample; inner: ProbeResult | undefined }[]) => {
      const good = list.filter((x) => ok(x.sample));
      const complete = good.length === list.length && good.length > 0;
      const cpu = good.map((x) => x.sample.cpuSeconds).filter((v): v is number => v !== undefined);
      const rss = good.map((x) => x.sample.peakRssMB).filter((v): v is number => v !== undefined);
      return {
        complete,
        stacks: good[0]?.inner?.stacks,
        medianWallSeconds: complete ? median(good.map((x) => x.sample.wallSeconds)) : undefined,
        medianCpuSeconds: cpu.length > 0 ? median(cpu) : undefined,
        maxPeakRssMB: rss.length > 0 ? Math.max(...rss) : undefined,
        runs: list.map(({ sample: x, inner }) => ({ wallSeconds: round3(x.wallSeconds), cpuSeconds: round3(x.cpuSeconds), peakRssMB: round3(x.peakRssMB), ok: ok(x), inProcess: inner ?? null })),
      };
    };
    const full = summarize(samples.full);
    const single = summarize(samples.one);
    results.fleet = { environments: n, from: options.fleetFrom?.split(",") ?? "every real environment", selected: one, runsPerPoint: options.fleetRuns, full, one: single };
    const stacksNote = (stacks: number | undefined) => (stacks === undefined ? "" : ` (${stacks} stacks)`);
    const wallRow = (metric: string, summary: ReturnType<typeof summarize>, target: number): Row => {
      const v = summary.medianWallSeconds;
      return {
        metric,
        value: v === undefined ? "error" : `${fmt(v)} s${cpuNote(summary.medianCpuSeconds)}`,
        target: `≤ ${target} s`,
        result: v === undefined ? "error" : v <= target ? "pass" : "fail",
      };
    };
    rows.push(wallRow(`Full synth of ${n} generated envs${stacksNote(full.stacks)}, median of ${options.fleetRuns}`, full, TARGETS.fleetSynthSeconds));
    rows.push({
      metric: `Peak RSS of the full synth of ${n} generated envs (max of runs)`,
      value: full.maxPeakRssMB === undefined || !full.complete ? "error" : `${fmt(full.maxPeakRssMB, 0)} MB`,
      target: `≤ ${TARGETS.fleetPeakRssMB} MB`,
      result: full.maxPeakRssMB === undefined || !full.complete ? "error" : full.maxPeakRssMB <= TARGETS.fleetPeakRssMB ? "pass" : "fail",
    });
    rows.push(wallRow(`One env out of ${n} (--env ${one}${stacksNote(single.stacks)}), median of ${options.fleetRuns}`, single, TARGETS.fleetOneEnvironmentSeconds));
  }

  load.end = os.loadavg().map((l) => Number(l.toFixed(2)));
  const report = {
    date: started.toISOString(),
    durationSeconds: Number(((Date.now() - started.getTime()) / 1000).toFixed(1)),
    machine: { ...machine(), loadAverage: load },
    code: { ...gitInfo(), measured: options.ref ?? (options.snapshot ? "working tree (snapshot)" : "working tree (in place)") },
    options: { ...options, out: relative(ROOT, options.out) },
    rssMethod: runner.method === "time" ? `${GNU_TIME} -f "${TIME_FORMAT}" (wait4: max RSS of the largest process in the child's tree)` : "preload: process.resourceUsage() (maxRSS, CPU time) of every node process",
    targets: TARGETS,
    ...results,
    table: rows,
    errors,
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);

  const m = report.machine;
  process.stdout.write(`\n${table(rows)}\n\n`);
  process.stdout.write(`Machine: ${m.cpu}, ${m.cores} cores, ${m.totalMemoryGB} GB, Node ${m.node}; load ${load.start.join("/")} → ${load.end.join("/")}; ${report.date}\n`);
  process.stdout.write(`Results: ${relative(ROOT, options.out)}\n`);
  for (const e of errors) process.stderr.write(`\nERROR: ${e}\n`);
  return errors.length > 0 ? 1 : 0;
}

function cleanup(): void {
  killActive();
  if (tempRoot !== undefined) rmSync(tempRoot, { recursive: true, force: true });
}

if (require.main === module) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(`bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 2;
    })
    .finally(cleanup);
}
