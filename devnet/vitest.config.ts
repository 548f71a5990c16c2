import { defineProject } from "vitest/config";

export default defineProject({
  // Tests start real anvil nodes and servers: generous timeouts, files in parallel on their own ports.
  test: {
    name: "devnet",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
