import * as schema from "@settlescan/indexer/ponder.schema.ts";
import { type Postgres, startPostgres } from "@settlescan/indexer/test/postgres.ts";
import { is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { ponderCheckpoint } from "../src/checkpoint";
import type { Db, Tables } from "../src/db";

/** The indexer's tables, as `ponder.schema.ts` declares them. */
const TABLES = Object.values(schema as Record<string, unknown>).filter((t): t is PgTable => is(t, PgTable));

/** `create table` for a drizzle table: its columns' SQL types, nullability and primary key, nothing else. */
function createTableOf(table: PgTable) {
  const { name, columns } = getTableConfig(table);
  const definitions = columns.map(
    (c) => `"${c.name}" ${c.getSQLType()}${c.notNull ? " not null" : ""}${c.primary ? " primary key" : ""}`,
  );
  return `create table "${name}" (${definitions.join(", ")})`;
}

/** Ponder's checkpoint of a block: 10 digits of timestamp, 16 of chain id, 16 of block number, then zeros. */
export const checkpointOf = (timestamp: bigint, chainId: number, block: bigint) =>
  `${timestamp.toString().padStart(10, "0")}${String(chainId).padStart(16, "0")}${block.toString().padStart(16, "0")}${"0".repeat(33)}`;

export type SeededDatabase = {
  db: Db;
  tables: Tables;
  /** Inserts rows into one of the indexer's tables (or Ponder's checkpoint table). */
  insert: (table: PgTable, rows: Record<string, unknown>[]) => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * A throwaway PostgreSQL database holding the indexer's tables, empty, and Ponder's `_ponder_checkpoint`: the API
 * reads it exactly as it reads an index, so a test can seed the rows a case needs and query them.
 */
export async function startSeededDatabase(): Promise<SeededDatabase> {
  const postgres: Postgres = await startPostgres();
  const pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
  try {
    for (const table of TABLES) await pool.query(createTableOf(table));
    await pool.query(createTableOf(ponderCheckpoint));
  } catch (error) {
    await pool.end();
    postgres.stop();
    throw error;
  }
  const db = drizzle(pool, { casing: "snake_case" });
  return {
    db,
    tables: schema,
    insert: async (table, rows) => {
      if (rows.length) await db.insert(table).values(rows as never);
    },
    stop: async () => {
      await pool.end();
      postgres.stop();
    },
  };
}
