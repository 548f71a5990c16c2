import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "abis",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/testSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
