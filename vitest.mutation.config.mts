import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

/**
 * The tests `npm run mutation` runs against each mutant: the pure rule tests (no synthesis), which
 * call the rule modules inside each test. Tests that synthesize the platform at module level would
 * make every mutant "static" (covered outside any test), so each of the ~4000 mutants would rerun the
 * whole suite: about 15 hours on 2 cores instead of minutes.
 */
export default defineConfig({
  ...base,
  // Replaced, not merged (vitest's mergeConfig would append to the suite's include).
  test: { ...base.test, include: ["__tests__/rules/**/*.test.ts", "__tests__/addon-iam-policies.test.ts"] },
});
