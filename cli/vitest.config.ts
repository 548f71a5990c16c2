import { defineProject } from "vitest/config";

export default defineProject({
  // Tests start a real anvil node and blob service, and run the CLI as a child process per case.
  test: {
    name: "cli",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
