import { defineProject } from "vitest/config";

// `vitest run src` (or any run naming only files under src/) runs the unit tests alone: they need no devnet, so the
// shared scenario is not started for them.
const filters = process.argv.slice(process.argv.indexOf("run") + 1).filter((arg) => !arg.startsWith("-"));
const unitOnly =
  process.argv.includes("run") && filters.length > 0 && filters.every((f) => /^(\.\/)?(api\/)?src(\/|$)/.test(f));

export default defineProject({
  // graphql has a CJS and an ESM entry; Node (and so graphql-yoga) loads the CJS one, so tests must load the same
  // one or schema objects cross "realms".
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  // One seeded scenario is indexed once (globalSetup) and served by both hosts; every test file under test/ queries it.
  test: {
    name: "api",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: unitOnly ? [] : ["test/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
