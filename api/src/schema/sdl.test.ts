import { readFileSync } from "node:fs";
import { buildSchema, printSchema } from "graphql";
import { expect, test } from "vitest";
import { schemaSdl } from "./sdl";

test("default: api/schema.graphql is the schema the code builds (regenerate: pnpm --filter @settlescan/api schema)", () => {
  const checkedIn = readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8");
  // Parsed and printed again, so the file may be formatted (Biome formats GraphQL) without counting as drift.
  expect(schemaSdl()).toBe(`${printSchema(buildSchema(checkedIn))}\n`);
});
