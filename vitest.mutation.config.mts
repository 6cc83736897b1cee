import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

/**
 * The tests `npm run mutation` runs against each mutant: the suite minus the files that spawn
 * processes (synth end to end, the TypeScript runner, fleet benchmarks, the README/docs generators),
 * which cannot see an in-process mutant and only slow every mutant down.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        "**/node_modules/**",
        "__tests__/reliability.test.ts",
        "__tests__/run-ts.test.ts",
        "__tests__/synth-typecheck.test.ts",
        "__tests__/fleet-scale.test.ts",
        "__tests__/example-consumer.test.ts",
        "__tests__/readme.test.ts",
      ],
    },
  }),
);
