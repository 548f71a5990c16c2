import schema from "ponder:schema";
import { Hono } from "hono";
import { asc, gt, type ReadonlyDrizzle } from "ponder";
import { timedOut, timeLimit } from "../../../api/src/app";
import { DEFAULT_LIMITS, type Limits } from "../../../api/src/limits";
import { canonicalJsonOf, createTableDigest, tableDigestOf } from "../lib/tableDigest";

// Every table has a text or hex `id` primary key; the digest pages by it.
type Table = typeof schema.payment;

// Drizzle names each table with this symbol; relations and other exports of the schema have none.
const TABLE_NAME = Symbol.for("drizzle:Name");

/**
 * The indexed tables that `/integrity` digests: every onchain table of the schema, by SQL name — found, not listed,
 * so that a new table cannot be left out of the digest.
 */
const TABLES: Record<string, Table> = Object.fromEntries(
  Object.values(schema)
    .filter((value) => typeof value === "object" && value !== null && TABLE_NAME in value)
    .map((table) => [(table as unknown as Record<symbol, string>)[TABLE_NAME], table as Table]),
);

type TableName = string;

/** Longest `after` accepted: every primary key is far shorter (a `pcr` id, the longest, is about 120 characters). */
const MAX_ID_LENGTH = 256;

/** One page of `/integrity/:table`: rows in primary-key order, and the `after` of the next page (null: the last). */
export type IntegrityPage = { rows: Record<string, unknown>[]; next: string | null };

type IntegrityLimits = Pick<
  Limits,
  | "requestTimeoutMs"
  | "maxIntegrityPageRows"
  | "integrityDigestPageRows"
  | "integrityBlobPageRows"
  | "integrityTimeoutMs"
>;

const error = (code: string, message: string) => ({ error: { code, message } });

/**
 * `GET /integrity`: row count and digest of every table, and one digest of them all; `GET /integrity/:table?after=&limit=`:
 * one page of a table's rows in primary-key order, `{ rows, next }`, where `next` is the `after` of the following
 * page (null on the last). Two indexes of the same chains must answer the same digests, whatever the event order or
 * faults on the way.
 *
 * Both are bounded: the digest reads each table in keyset pages (`where id > last order by id limit n`) into an
 * incremental hash, so its memory does not grow with the tables, and answers 504 past `integrityTimeoutMs`; a page holds
 * at most `maxIntegrityPageRows` rows (fewer for `blob`, whose rows are whole blobs) and answers 504 past
 * `requestTimeoutMs`. Bad `after`/`limit`: 400; unknown table: 404.
 * @example
 * app.route("/integrity", integrityRoutes(db));
 * // GET /integrity/receipt?limit=2 → {"next":"0x…","rows":[{…},{…}]}; then GET /integrity/receipt?after=0x…&limit=2
 */
export function integrityRoutes(db: ReadonlyDrizzle<typeof schema>, overrides: Partial<IntegrityLimits> = {}) {
  const limits: IntegrityLimits = { ...DEFAULT_LIMITS, ...overrides };
  const pageOf = (name: TableName, after: string | null, limit: number) => {
    const table = TABLES[name] as Table;
    return (
      db
        .select()
        .from(table)
        // Text and hex keys alike compare as text; the type names one table's (hex) key for all.
        .where(after === null ? undefined : gt(table.id, after as `0x${string}`))
        .orderBy(asc(table.id))
        .limit(limit) as Promise<Record<string, unknown>[]>
    );
  };
  const maxPageOf = (name: TableName, max: number) =>
    name === "blob" ? Math.min(max, limits.integrityBlobPageRows) : max;

  return new Hono()
    .get("/", timeLimit(limits.integrityTimeoutMs), async (c) => {
      // The time limit answers 504 at the deadline; this stops the reading that would go on behind it.
      const deadline = Date.now() + limits.integrityTimeoutMs;
      const tables: Record<string, { rows: number; digest: string }> = {};
      for (const name of Object.keys(TABLES) as TableName[]) {
        const digest = createTableDigest();
        const size = maxPageOf(name, limits.integrityDigestPageRows);
        let rows = 0;
        let after: string | null = null;
        for (;;) {
          if (Date.now() > deadline) return c.json(timedOut(limits.integrityTimeoutMs), 504);
          const page = await pageOf(name, after, size);
          digest.update(page);
          rows += page.length;
          if (page.length < size) break;
          after = page.at(-1)!.id as string;
        }
        tables[name] = { rows, digest: digest.digest() };
      }
      return c.json({ digest: tableDigestOf(Object.entries(tables)), tables });
    })
    .get("/:table", timeLimit(limits.requestTimeoutMs), async (c) => {
      const name = c.req.param("table");
      if (!Object.hasOwn(TABLES, name))
        return c.json(
          error("UNKNOWN_TABLE", `Unknown table "${name}"; expected one of ${Object.keys(TABLES).sort().join(", ")}.`),
          404,
        );
      const max = maxPageOf(name as TableName, limits.maxIntegrityPageRows);
      const limitParam = c.req.query("limit");
      const limit = limitParam === undefined ? max : Number(limitParam);
      if (limitParam !== undefined && (!/^[0-9]+$/.test(limitParam) || limit < 1 || limit > max))
        return c.json(
          error(
            "BAD_PAGE_SIZE",
            `Limit "${limitParam}" is not a whole number from 1 to ${max} (the most rows of ${name} a page holds).`,
          ),
          400,
        );
      const after = c.req.query("after") ?? null;
      if (after !== null && (after === "" || after.length > MAX_ID_LENGTH))
        return c.json(
          error(
            "BAD_CURSOR",
            `After "${after.length > 80 ? `${after.slice(0, 80)}…` : after}" is not a row id: expected the "next" of a previous page (1 to ${MAX_ID_LENGTH} characters).`,
          ),
          400,
        );
      // One row beyond the page tells whether another follows.
      const rows = await pageOf(name as TableName, after, limit + 1);
      const page = rows.slice(0, limit);
      const body: IntegrityPage = { rows: page, next: rows.length > limit ? (page.at(-1)!.id as string) : null };
      return c.body(canonicalJsonOf(body), 200, { "content-type": "application/json" });
    });
}
