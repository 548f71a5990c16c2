import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "@graphql-codegen/cli";
import { expect, test } from "vitest";
import config from "../../codegen";

// The generated documents are checked in; they must be what codegen makes from api/schema.graphql and the
// documents in src/ today. On failure: `pnpm --filter @settlescan/web codegen`.
test("behavior: generated types match api/schema.graphql and the documents", async () => {
  const root = join(import.meta.dirname, "../..");
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const outputs: { filename: string; content: string }[] = await generate({ ...config, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const { filename, content } of outputs)
      expect(readFileSync(join(root, filename), "utf8"), `${filename} is stale`).toBe(content);
  } finally {
    process.chdir(cwd);
  }
});
