import { defineProject } from "vitest/config";

// The repository's documents checked as code: links, schema descriptions, no references outside the repository.
export default defineProject({
  test: { name: "docs", root: import.meta.dirname, include: ["*.test.ts"] },
});
