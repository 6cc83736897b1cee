import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    // Synthesis is CPU-bound; two workers match the two cores CI has.
    pool: "threads",
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
