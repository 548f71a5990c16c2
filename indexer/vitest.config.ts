import { defineProject } from "vitest/config";

export default defineProject({
  // End-to-end files run the real indexer on real anvil chains (and PostgreSQL): generous timeouts.
  test: {
    name: "indexer",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
