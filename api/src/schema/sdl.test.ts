import { readFileSync } from "node:fs";
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, printSchema } from "graphql";
import { expect, test } from "vitest";
import { createApiSchema } from ".";
import { schemaSdl } from "./sdl";

test("default: api/schema.graphql is the schema the code builds (regenerate: pnpm --filter @settlescan/api schema)", () => {
  const checkedIn = readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8");
  // Parsed and printed again, so the file may be formatted (Biome formats GraphQL) without counting as drift.
  expect(schemaSdl()).toBe(`${printSchema(buildSchema(checkedIn))}\n`);
});

test("behavior: every type, field, argument, input field and enum value says what it means", () => {
  const missing: string[] = [];
  for (const type of Object.values(createApiSchema().getTypeMap())) {
    if (type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of "args" in field ? field.args : [])
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    if (isEnumType(type))
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
  }
  expect(missing).toEqual([]);
});

test("behavior: descriptions stand alone (no pointer to documents outside the schema)", () => {
  expect(schemaSdl()).not.toMatch(/DESIGN|\.md\b|§/);
});
