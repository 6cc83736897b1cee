/**
 * Output stability: the same input gives byte-identical JSON (also for one environment alone and
 * with token stack traces on), resource addresses only change on purpose, every reference points at
 * something declared, and bad input writes nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { environments } from "../environments";
import { loadAllocations } from "../environments/ip-allocations";
import { danglingReferences, referencesIn } from "../modules/guardrails/references";
import { bootstrapStackName, LAYERS, stackName } from "../stacks/naming";
import { synthesizePlatform } from "../stacks/synthesize";

const scratch = mkdtempSync(join(tmpdir(), "eks-idp-reliability-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function synthTo(
  name: string,
  inputs: readonly unknown[] = environments,
  selected?: readonly string[],
): { code: number; dir: string; report: string } {
  const dir = join(scratch, name);
  let report = "";
  // The recorded IP allocations, as main.ts reads them: after a demand change the plan differs from a
  // new layout, and the synth command must be compared with what it really writes.
  const code = synthesizePlatform(inputs, { outdir: dir, report: (m) => (report += m), environments: selected, allocations: loadAllocations() });
  return { code, dir, report };
}

function stackFiles(dir: string): Record<string, string> {
  const stacks = join(dir, "stacks");
  return Object.fromEntries(readdirSync(stacks).sort().map((s) => [s, readFileSync(join(stacks, s, "cdk.tf.json"), "utf8")]));
}

const first = synthTo("first");
const files = stackFiles(first.dir);

describe("determinism", () => {
  it("two synths of the same input are byte-identical", () => {
    const second = synthTo("second");
    expect(second.code).toBe(0);
    expect(stackFiles(second.dir)).toEqual(files);
  });
});

describe("one environment (npm run synth -- --env <name>)", () => {
  it.each(environments.map((e) => [e.name, e.account.alias]))(
    "%s: writes its layer stacks and its account's bootstrap stack, byte-identical to the full synth",
    (name, account) => {
      const one = synthTo(`only-${name}`, environments, [name]);
      expect(one.code).toBe(0);
      const written = stackFiles(one.dir);
      const expected = [bootstrapStackName(account), ...LAYERS.map((layer) => stackName(name, layer))].sort();
      expect(Object.keys(written)).toEqual(expected);
      for (const stack of expected) expect(written[stack], stack).toBe(files[stack]);
      const manifest = JSON.parse(readFileSync(join(one.dir, "manifest.json"), "utf8"));
      expect(Object.keys(manifest.stacks).sort()).toEqual(expected);
    },
  );

  it("refuses an unknown name with exit code 2, names the known ones and writes nothing", () => {
    const result = synthTo("unknown-env", environments, [environments[0]!.name, "no-such-env"]);
    expect(result.code).toBe(2);
    expect(result.report).toContain('unknown environment "no-such-env"');
    for (const env of environments) expect(result.report).toContain(env.name);
    expect(existsSync(result.dir)).toBe(false);
  });
});

/** Runs main.ts as `npm run synth` and `cdktf synth` do (through scripts/run-ts.cjs) into `scratch/<name>`. */
function runMain(name: string, args: readonly string[], env: Record<string, string> = {}): { status: number | null; stderr: string; dir: string } {
  const dir = join(scratch, name);
  const r = spawnSync("node", ["scripts/run-ts.cjs", "main.ts", ...args], {
    cwd: resolve(__dirname, ".."),
    env: { ...process.env, PLATFORM_ENV: "", ...env, CDKTF_OUTDIR: dir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  return { status: r.status, stderr: r.stderr, dir };
}

describe("the synth command (main.ts)", () => {
  it("selects environments with PLATFORM_ENV, the cdktf CLI path", () => {
    const env = environments[environments.length - 1]!;
    const r = runMain("platform-env", [], { PLATFORM_ENV: env.name });
    expect(r.status, r.stderr).toBe(0);
    expect(Object.keys(stackFiles(r.dir))).toEqual([bootstrapStackName(env.account.alias), ...LAYERS.map((l) => stackName(env.name, l))].sort());
  });

  it.each([
    [["--env", "no-such-env"], {}, /unknown environment "no-such-env"/],
    [[], { PLATFORM_ENV: "no-such-env" }, /unknown environment "no-such-env"/],
    [["--no-such-option"], {}, /unknown argument "--no-such-option"[^]*usage:/],
  ])("exits 2 and writes nothing for %j %j", (args, env, message) => {
    const r = runMain("usage-error", args, env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(r.dir)).toBe(false);
  });
});

describe("token stack traces", () => {
  it("leave the output unchanged: a CDK_DEBUG=1 synth (stacks captured) is byte-identical", () => {
    const r = runMain("debug", [], { CDK_DEBUG: "1" });
    expect(r.status, r.stderr).toBe(0);
    expect(stackFiles(r.dir)).toEqual(files);
  });
});

describe("resource addresses", () => {
  // The environments whose addresses are pinned (those with __tests__/addresses/<env>-network.txt).
  // A new environment has no pinned list yet, and its per-environment resources in the bootstrap
  // stack (deploy role, policies) are left out of the bootstrap lists, so adding one is no edit here.
  const pinned = new Set(
    readdirSync(join(__dirname, "addresses"))
      .filter((f) => f.endsWith("-network.txt"))
      .map((f) => f.slice(0, -"-network.txt".length)),
  );
  const unpinned = environments.map((e) => e.name).filter((name) => !pinned.has(name));
  const ofUnpinned = (address: string) => unpinned.some((name) => new RegExp(`[-_.]${name}[-_]`).test(address));
  const stacks = Object.keys(files).filter((stack) => stack.startsWith("bootstrap-") || pinned.has(stack.slice(0, stack.lastIndexOf("-"))));

  it.each(stacks)("of %s match the pinned list (update __tests__/addresses/ in the same commit when intended)", async (stack) => {
    const json = JSON.parse(files[stack]!);
    const addresses: string[] = [];
    for (const [kind, prefix] of [["resource", ""], ["data", "data."]] as const) {
      for (const [type, byName] of Object.entries((json[kind] ?? {}) as Record<string, object>)) {
        for (const name of Object.keys(byName)) addresses.push(`${prefix}${type}.${name}`);
      }
    }
    await expect(addresses.filter((a) => !ofUnpinned(a)).sort().join("\n") + "\n").toMatchFileSnapshot(`./addresses/${stack}.txt`);
  });
});

describe("reference integrity", () => {
  it("finds references inside expressions, ignoring string literals", () => {
    expect(referencesIn('${replace(data.aws_eks_cluster.cluster.identity[0].oidc[0].issuer, "https://aws_x.y", "")}')).toEqual([
      "data.aws_eks_cluster.cluster",
    ]);
    expect(referencesIn("${aws_kms_key.k.arn}/${tostring(aws_launch_template.lt.latest_version)}")).toEqual([
      "aws_kms_key.k",
      "aws_launch_template.lt",
    ]);
    expect(danglingReferences({ resource: { aws_s3_bucket: { b: { bucket: "${aws_kms_key.gone.arn}" } } } })).toEqual([
      { at: "resource.aws_s3_bucket.b.bucket", reference: "aws_kms_key.gone" },
    ]);
  });

  it.each(Object.keys(files))("every reference in %s names a block declared in it", (stack) => {
    expect(danglingReferences(JSON.parse(files[stack]!))).toEqual([]);
  });
});

describe("bad input", () => {
  it("exits non-zero, reports every problem and writes nothing", () => {
    const bad = structuredClone(environments) as any[];
    const renamed = bad.findIndex((e) => e.stage !== "prod");
    const prod = bad.find((e) => e.stage === "prod");
    bad[renamed].name = "dev; rm -rf /";
    prod.availabilityZones = prod.availabilityZones.slice(0, 1);
    const result = synthTo("bad", bad);
    expect(result.code).toBe(1);
    expect(result.report).toMatch(/^Invalid platform configuration/);
    expect(result.report).toContain(`environments[${renamed}].name`);
    expect(result.report).toContain(`${prod.name}.availabilityZones`);
    expect(existsSync(result.dir)).toBe(false);
  });

  it("rejects duplicate environment names", () => {
    const bad = structuredClone(environments) as any[];
    const [first, second] = bad;
    second.name = first.name;
    const result = synthTo("duplicate", bad);
    expect(result.code).toBe(1);
    expect(result.report).toContain(`${first.name}.name: environment names must be unique`);
    expect(existsSync(result.dir)).toBe(false);
  });
});
