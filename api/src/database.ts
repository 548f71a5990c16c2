import type * as schema from "@settlescan/indexer/ponder.schema.ts";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";

/** `ponder.schema.ts`'s tables, loaded outside Ponder: unqualified, so `search_path` picks the views schema. */
export const tables: typeof schema = await import("@settlescan/indexer/ponder.schema.ts");

/**
 * The standalone host's database: a pool over PostgreSQL whose sessions read the views schema Ponder publishes
 * (`--views-schema`), read-only, with a statement timeout.
 */
export function connectViews({
  connectionString,
  viewsSchema,
  statementTimeoutMs,
  max = 20,
}: {
  connectionString: string;
  viewsSchema: string;
  statementTimeoutMs: number;
  max?: number;
}) {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: "settlescan_api",
    // No parallel workers: requests already run side by side (and `stats` runs its two statements at once), so
    // workers only add processes competing for the same cores (stats over 720 hours, 2 cores: p99 88 → 73 ms).
    options: `-c search_path="${viewsSchema}" -c default_transaction_read_only=on -c statement_timeout=${statementTimeoutMs} -c jit=off -c work_mem=32MB -c max_parallel_workers_per_gather=0`,
  });
  // An idle client's error (the server restarting) must not crash the process; the next query reports it.
  pool.on("error", () => {});
  return { pool, db: drizzle(pool, { casing: "snake_case" }) };
}
