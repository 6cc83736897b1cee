/**
 * No input, however malformed, produces a stack trace (issue 13, item 7): validatePlatform either
 * returns or throws ConfigValidationError, for arbitrary JSON-like values and for the real
 * environments with random parts replaced, removed or given prototype keys; and a synth of a
 * malformed environment exits 1 with the list of problems and writes nothing.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadAllocations } from "../environments/ip-allocations";
import { CRON_FIELDS, cronProblem } from "../environments/checks/cron";
import { ConfigValidationError, validatePlatform } from "../environments/validate";
import { EXIT, synthesizePlatform } from "../stacks/synthesize";
import { environmentInputs } from "./support/environments";

const allocations = loadAllocations();

/**
 * Runs per property: small by default (a validation of the platform takes tens of milliseconds);
 * search longer with e.g. `FUZZ_RUNS=2000 npx vitest run __tests__/validation-fuzz.test.ts`.
 */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const FUZZ_TIMEOUT_MS = 60_000 + FUZZ_RUNS * 200;

/** "returned" or "refused"; anything else thrown fails the property with its stack. */
function outcome(inputs: unknown): "returned" | "refused" {
  try {
    validatePlatform(inputs as unknown[], { allocations });
    return "returned";
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      // The message is built from every issue: it must render too.
      expect(typeof e.message).toBe("string");
      return "refused";
    }
    throw e;
  }
}

/** Values a person (or a bad merge) could leave in an environment file. */
const odd = fc.oneof(
  fc.jsonValue(),
  // Numbers and strings the schema accepts in many places, so that mutants also pass the schema and
  // reach the cross-field rules and the IP planner.
  fc.integer({ min: -1, max: 5000 }),
  fc.constantFrom<unknown>("10.0.0.0/8", "100.64.0.0/10", "10.30.0.0/28", "0.0.0.0/0", "m6i.large", "t2.nano", "1.99", "prod", "one-per-az", "SPOT"),
  fc.constantFrom<unknown>(null, undefined, [], {}, "", 0, -1, 1e308, Number.NaN, Infinity, "__proto__", "constructor", true),
  fc.constantFrom<unknown>(JSON.parse('{"__proto__": {"polluted": true}}'), { constructor: { prototype: { polluted: true } } }, Object.create(null)),
);

/** Replace, remove or add a prototype-named key at the path chosen by `steps`. */
type How = "replace" | "remove" | "proto-key" | "constructor-key";
interface Mutation {
  readonly steps: readonly number[];
  readonly how: How;
  readonly value: unknown;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  steps: fc.array(fc.nat(), { minLength: 1, maxLength: 7 }),
  how: fc.constantFrom<How>("replace", "remove", "proto-key", "constructor-key"),
  value: odd,
});

/** A deep copy of the real environments with the mutations applied in order. */
function mutated(mutations: readonly Mutation[]): unknown[] {
  const envs = Object.values(environmentInputs());
  for (const { steps, how, value } of mutations) {
    let parent: any = envs;
    let key: string | number = steps[0]! % envs.length;
    for (const step of steps.slice(1)) {
      const child: unknown = parent[key];
      if (child === null || typeof child !== "object") break;
      const keys: (string | number)[] = Array.isArray(child) ? [...child.keys()] : Object.keys(child);
      if (keys.length === 0) break;
      parent = child;
      key = keys[step % keys.length]!;
    }
    if (how === "replace") parent[key] = value;
    else if (how === "remove") {
      if (Array.isArray(parent)) {
        // By hand, not splice(): a mutant array may own a `constructor`, which breaks the species lookup.
        for (let i = Number(key); i < parent.length - 1; i++) parent[i] = parent[i + 1];
        parent.length -= 1;
      } else delete parent[key];
    } else {
      const target = parent[key] !== null && typeof parent[key] === "object" ? parent[key] : parent;
      Object.defineProperty(target, how === "proto-key" ? "__proto__" : "constructor", { value, enumerable: true, configurable: true, writable: true });
    }
  }
  return envs;
}

describe("no stack trace, whatever the input", () => {
  it("arbitrary values as the list of environments or as one environment (next to valid ones: the mutants below)", () => {
    fc.assert(
      fc.property(odd, (value) => {
        outcome(value);
        outcome([value]);
      }),
      { numRuns: FUZZ_RUNS },
    );
  }, FUZZ_TIMEOUT_MS);

  it("the real environments with up to three parts replaced, removed or given a prototype key", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        outcome(mutated(mutations));
      }),
      { numRuns: 2 * FUZZ_RUNS },
    );
  }, FUZZ_TIMEOUT_MS);

  it("an invalid pod CIDR is a problem at its path, not a CidrError from the rules between environments", () => {
    const envs = environmentInputs();
    const env = Object.values(envs)[0];
    env.network.podCidr = "1.99";
    try {
      validatePlatform(Object.values(envs));
      expect.unreachable("an invalid pod CIDR must be refused");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigValidationError);
      expect((e as ConfigValidationError).issues.map((i) => i.path)).toContain(`${env.name}.network.podCidr`);
    }
  });

  it("prototype pollution does not leak: validating such input leaves Object.prototype alone", () => {
    outcome(mutated([{ steps: [0, 0], how: "proto-key", value: { polluted: true } }]));
    outcome([JSON.parse('{"__proto__": {"polluted": true}, "name": "constructor"}')]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("an environment named like an Object.prototype member is validated like any other", () => {
    const envs = environmentInputs();
    const first = Object.values(envs)[0];
    const renamed = { ...first, name: "constructor", account: { ...first.account } };
    expect(["returned", "refused"]).toContain(outcome([renamed]));
  });

  it("unprintable values are still reported (a function, a symbol, a cycle, a bigint)", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [() => 1, Symbol("s"), cycle, 10n]) {
      const envs = environmentInputs();
      Object.values(envs)[0].owner = value;
      try {
        validatePlatform(Object.values(envs));
        expect.unreachable("a non-string owner must be refused");
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigValidationError);
        expect((e as ConfigValidationError).message).toMatch(/\.owner: /);
      }
    }
  });
});

describe("the cron check", () => {
  it("answers for any string, never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(..."0123456789*?,-/ @abcdefjmnorstuvwy\t") })), (spec) => {
        const problem = cronProblem(spec);
        expect(problem === undefined || typeof problem === "string").toBe(true);
      }),
      { numRuns: 20 * FUZZ_RUNS },
    );
  });

  it("accepts any in-range value, range and step in each field (days up to 28, which every month has)", () => {
    const item = (min: number, max: number) =>
      fc.oneof(
        fc.integer({ min, max }).map(String),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: 70 })).map(([a, step]) => `${a}/${step}`),
        fc.integer({ min: 1, max: 70 }).map((step) => `*/${step}`),
      );
    const field = (min: number, max: number) => fc.array(item(min, max), { minLength: 1, maxLength: 3 }).map((items) => items.join(","));
    const spec = fc.tuple(...CRON_FIELDS.map((f) => field(f.min, f.name === "day of month" ? 28 : f.max))).map((fields) => fields.join(" "));
    fc.assert(
      fc.property(spec, (s) => {
        expect(cronProblem(s)).toBeUndefined();
      }),
      { numRuns: 20 * FUZZ_RUNS },
    );
  });
});

describe("synth of a malformed environment", () => {
  const scratch = mkdtempSync(join(tmpdir(), "eks-idp-validation-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("exits 1 with every problem in one list and writes nothing", () => {
    const envs = environmentInputs();
    const [first, second] = Object.values(envs);
    first.network = "10.0.0.0/16"; // a string where an object belongs
    first.addons.backup.schedules = ["0 3 * * *"]; // an array instead of a record
    second.cluster.nodeGroups = null;
    second.addons.overrides = { "no-such-addon": {} };
    const outdir = join(scratch, "malformed");
    let report = "";
    const code = synthesizePlatform(Object.values(envs), { outdir, report: (m) => (report += `${m}\n`), allocations });
    expect(code).toBe(EXIT.invalid);
    expect(report).toMatch(/^Invalid platform configuration \(\d+ problems\); nothing was synthesized:/);
    for (const path of [`${first.name}.network`, `${first.name}.addons.backup.schedules`, `${second.name}.cluster.nodeGroups`, `${second.name}.addons.overrides.no-such-addon`]) {
      expect(report).toContain(`  - ${path}: `);
    }
    expect(report).not.toMatch(/\n\s+at /);
    expect(existsSync(outdir)).toBe(false);
  });
});
