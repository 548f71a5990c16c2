import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

// One run over every package, so `pnpm test` prints one summary. Each package keeps its own config beside its code.
export default defineConfig({
  test: {
    projects: ["abis", "devnet", "indexer", "api", "web", "cli", "docs"]
      .map((p) => `${p}/vitest.config.ts`)
      .filter((config) => existsSync(new URL(config, import.meta.url))),
  },
});
