import type * as schema from "@settlescan/indexer/ponder.schema.ts";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { DatabaseUnavailableError } from "./errors";
import { recordSql } from "./metrics";

/** The indexer's tables, as `ponder.schema.ts` declares them (the API reads the same columns it writes). */
export type Tables = typeof schema;
export type ReceiptRow = Tables["receipt"]["$inferSelect"];
export type PaymentRow = Tables["payment"]["$inferSelect"];
export type SettlementRow = Tables["settlement"]["$inferSelect"];
export type LeafRow = Tables["leaf"]["$inferSelect"];
export type TeeRow = Tables["tee"]["$inferSelect"];
export type InferenceRow = Tables["inference"]["$inferSelect"];
export type PcrRow = Tables["pcr"]["$inferSelect"];

/**
 * What the API needs of a drizzle database: reads only. Ponder's `ReadonlyDrizzle` (PGlite or node-postgres) and
 * the standalone host's node-postgres drizzle both fit.
 */
export type Db = Pick<PgDatabase<PgQueryResultHKT, Record<string, unknown>>, "select" | "execute">;

/** Counts the SQL statements a request runs, so tests (and the `x-sql-count` header) can bound them. */
export type QueryCounter = { count: number };

const UNAVAILABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "53300"]);
/** node-postgres reports a socket closed mid-query (the server restarting) with these messages and no code. */
const UNAVAILABLE_MESSAGE =
  /^Connection terminated|^Client has encountered a connection error|timeout exceeded when trying to connect/;

/** Whether a database error means the server is unreachable (a retry may succeed) rather than a bad statement. */
export function isUnavailable(error: unknown) {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  // SQLSTATE class 08 is "connection exception".
  return (
    (code !== undefined && (UNAVAILABLE.has(code) || code.startsWith("08"))) || UNAVAILABLE_MESSAGE.test(message ?? "")
  );
}

/**
 * Runs one statement, counting and timing it (`settlescan_api_sql_*` metrics); connection failures become a
 * retryable `DatabaseUnavailableError`.
 */
export async function run<T>(counter: QueryCounter, query: PromiseLike<T>): Promise<T> {
  counter.count++;
  // drizzle's queries are lazy: the statement is sent when awaited, so the time starts here.
  const started = performance.now();
  try {
    const result = await query;
    recordSql(performance.now() - started, "ok");
    return result;
  } catch (error) {
    const unavailable = isUnavailable(error);
    recordSql(performance.now() - started, unavailable ? "unavailable" : "error");
    if (unavailable) throw new DatabaseUnavailableError(error);
    throw error;
  }
}

/** The rows of a raw `db.execute` result: node-postgres and PGlite both answer `{ rows }`. */
export async function rowsOf<T>(counter: QueryCounter, db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await run(counter, db.execute(query));
  return (result as unknown as { rows: T[] }).rows;
}

/** A bigint as a SQL numeric parameter; sent as text so every driver (node-postgres, PGlite) passes it the same way. */
export const numeric = (value: bigint) => sql`${value.toString()}::numeric`;
