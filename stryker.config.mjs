// @ts-check
/**
 * `npm run mutation`: StrykerJS mutates the platform's rule modules one change at a time and runs
 * the vitest tests that cover each change (per-test coverage + vitest's related tests). A mutant
 * that no test kills is a rule the suite would let weaken. Results: reports/mutation/ (html, json);
 * the latest score per module is in README "Mutation testing". Not part of `npm test` or CI (too slow).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.mts", related: true },
  coverageAnalysis: "perTest",
  // Mutants of module-level tables ("static": covered while modules load, not by one test) rerun
  // every test each; on 2 busy cores they took ~85% of the time (945 of 3381 mutants, ~2 h), so the
  // habit run skips them. `npm run mutation -- --ignoreStatic false` includes them.
  ignoreStatic: true,
  // Reruns test only the mutants whose code or tests changed since the last run.
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  // Two cores on CI runners and dev machines here.
  concurrency: 2,
  mutate: [
    "environments/validate.ts",
    "modules/guardrails/rules.ts",
    "scripts/diff/risk.ts",
    "addons/*/iam-policy.ts",
    "modules/github/ci-policies.ts",
    "addons/*/values.ts",
    // The mesh's pure object builders (__tests__/rules/mesh-values.test.ts).
    "addons/istio/telemetry.ts",
    "addons/ingress-gateway/resources.ts",
  ],
  ignorePatterns: ["cdktf.out", "dist", ".bench", "bench", "reports", ".example-build", ".stryker-tmp*"],
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  // Stryker rewrites tsconfig.json's paths with the TypeScript JS API, which TypeScript 7 (the
  // native compiler) no longer ships; vitest transpiles with esbuild and never reads it, so point
  // Stryker at no tsconfig at all.
  tsconfigFile: "stryker-reads-no-tsconfig.json",
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  timeoutMS: 60_000,
  thresholds: { high: 90, low: 80, break: null },
};
