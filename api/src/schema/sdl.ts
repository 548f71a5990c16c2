import { printSchema } from "graphql";
import { createApiSchema } from ".";

/** The schema's SDL as checked in at `api/schema.graphql`, in the order the type files declare it. */
export function schemaSdl() {
  return `${printSchema(createApiSchema())}\n`;
}
