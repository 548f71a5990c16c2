import { defineProject } from "vitest/config";

export default defineProject({
  // graphql has a CJS and an ESM entry; Node (and so graphql-yoga) loads the CJS one, so tests must load the same
  // one or schema objects cross "realms".
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  // One seeded scenario is indexed once (globalSetup) and served by both hosts; every test file queries it.
  test: {
    name: "api",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
