// Drizzle and PGlite are Ponder's (and the API's) dependencies, not the indexer's own: read them from the API's
// node_modules, as the docs checks read graphql.

import { getTableConfig, type PgTable } from "../../api/node_modules/drizzle-orm/pg-core/index.js";
import { drizzle, type PgliteDatabase } from "../../api/node_modules/drizzle-orm/pglite/index.js";
import * as schema from "../ponder.schema.ts";

export type MemoryDatabase = PgliteDatabase<Record<string, never>> & { $client: { close: () => Promise<void> } };

/** Every onchain table of `ponder.schema.ts`, by export name. */
export const TABLES = Object.fromEntries(
  Object.entries(schema).filter(([, value]) => {
    try {
      return getTableConfig(value as PgTable).columns.length > 0;
    } catch {
      return false;
    }
  }),
) as unknown as { [K in keyof typeof schema as (typeof schema)[K] extends PgTable ? K : never]: (typeof schema)[K] };

/**
 * An in-memory PGlite database (what Ponder uses without DATABASE_URL) holding the indexer's tables, empty, as
 * `ponder.schema.ts` declares them: columns, types and primary keys (no indexes; tests read small tables).
 * @example
 * const db = await memoryDatabase();
 * await db.insert(TABLES.receipt).values(rowOf(TABLES.receipt, 0));
 */
export async function memoryDatabase(): Promise<MemoryDatabase> {
  const db = drizzle() as unknown as MemoryDatabase;
  for (const table of Object.values(TABLES)) {
    const { name, columns } = getTableConfig(table as PgTable);
    const definitions = columns.map(
      (c) => `"${c.name}" ${c.getSQLType()}${c.primary ? " primary key" : ""}${c.notNull ? " not null" : ""}`,
    );
    await db.execute(`create table "${name}" (${definitions.join(", ")})`);
  }
  return db;
}

/**
 * A row for `table` with every column filled from `n` (the id is `n` as 32 bytes of hex), so rows differ in every
 * column and a lost or repeated row changes a digest. Override what must join (ids of other tables) or parse (times).
 */
export function rowOf(table: PgTable, n: number): Record<string, unknown> {
  const hex = (width: number) => `0x${n.toString(16).padStart(width, "0")}`;
  return Object.fromEntries(
    Object.entries(table).flatMap(([key, column]) => {
      if (!column || typeof column !== "object" || !("getSQLType" in column)) return [];
      const type = (column as { getSQLType: () => string }).getSQLType();
      const value =
        type === "text" && key === "id"
          ? hex(64)
          : type === "text"
            ? `${key}-${n}`
            : type.startsWith("numeric")
              ? BigInt(n) * 10n ** 20n + 1n
              : type === "integer"
                ? n
                : type === "boolean"
                  ? n % 2 === 0
                  : type.startsWith("json")
                    ? [{ key, n, text: `line\n"${n}"` }]
                    : null;
      return [[key, value]];
    }),
  );
}
