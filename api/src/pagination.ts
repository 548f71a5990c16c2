import { and, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Context } from "./context";
import { rowsOf, run } from "./db";
import { BadInputError } from "./errors";
import { quoted } from "./inputs";

/** `first`/`after` of a connection field. */
export type PageArgs = { first?: number | null; after?: string | null };

/** A sort key: a numeric SQL expression (nulls folded to -1 so they sort below every value) and a direction. */
export type SortKey = { name: string; value: SQL; direction: "ASC" | "DESC" };

/** The checked page size: `first` if given, the default otherwise; never above the maximum. */
export function pageSizeOf(first: number | null | undefined, limits: Context["limits"]) {
  if (first === null || first === undefined) return limits.defaultPageSize;
  if (!Number.isInteger(first) || first < 0 || first > limits.maxPageSize)
    throw new BadInputError(`Page size ${first} is not between 0 and ${limits.maxPageSize}.`, {
      code: "BAD_PAGE_SIZE",
    });
  return first;
}

// Cursors are opaque to clients: base64url of [sort key name, sort value, row id].
export const encodeCursor = (key: string, value: string, id: string) =>
  Buffer.from(JSON.stringify([key, value, id])).toString("base64url");

export function decodeCursor(cursor: string, key: string): { value: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const isCursor = (p: unknown): p is [string, string, string] =>
    Array.isArray(p) && p.length === 3 && p.every((x) => typeof x === "string") && /^-?[0-9]+$/.test(String(p[1]));
  if (!isCursor(parsed))
    throw new BadInputError(`Cursor ${quoted(cursor)} is not a cursor this API issued.`, { code: "BAD_CURSOR" });
  if (parsed[0] !== key)
    throw new BadInputError(
      `Cursor ${quoted(cursor)} belongs to an ordering by ${parsed[0]}, not by ${key}; start again without "after".`,
      { code: "BAD_CURSOR" },
    );
  return { value: parsed[1], id: parsed[2] };
}

/** Keyset pagination's SQL for a sort key: the condition "after the cursor" and the ORDER BY terms (then by id). */
export function keysetOf(sort: SortKey, id: PgColumn, after: { value: string; id: string } | null) {
  const comparison = sort.direction === "DESC" ? sql.raw("<") : sql.raw(">");
  const direction = sql.raw(sort.direction);
  return {
    afterCursor: after ? sql`(${sort.value}, ${id}) ${comparison} (${after.value}::numeric, ${after.id})` : undefined,
    orderBy: [sql`${sort.value} ${direction}`, sql`${id} ${direction}`] as const,
  };
}

/** A Relay connection: `edges`, `nodes`, `pageInfo`, and `totalCount`, which runs its count query only if selected. */
export type Connection<T> = {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
};

/** The connection of one fetched page: its edges with their cursors, and its `pageInfo`. */
export function connectionOf<T extends { id: string }>({
  page,
  hasNextPage,
  hasPreviousPage,
  sort,
  sortValueOf,
  totalCount,
}: {
  page: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  sort: SortKey;
  sortValueOf: (row: T) => bigint | null;
  totalCount: () => Promise<number>;
}): Connection<T> {
  const edges = page.map((node) => ({
    node,
    cursor: encodeCursor(sort.name, String(sortValueOf(node) ?? -1n), node.id),
  }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/**
 * Keyset pagination over one table: rows matching `where`, ordered by `sort` then id, after the cursor, one page.
 * Fetches one row more than the page to know whether a next page exists.
 */
export async function paginate<T extends { id: string }>(
  ctx: Context,
  {
    table,
    id,
    where,
    sort,
    args,
    sortValueOf,
  }: {
    table: Parameters<ReturnType<Context["db"]["select"]>["from"]>[0];
    id: PgColumn;
    where: SQL | undefined;
    sort: SortKey;
    args: PageArgs;
    sortValueOf: (row: T) => bigint | null;
  },
): Promise<Connection<T>> {
  const first = pageSizeOf(args.first, ctx.limits);
  const after = args.after ? decodeCursor(args.after, sort.name) : null;
  const { afterCursor, orderBy } = keysetOf(sort, id, after);
  const rows =
    first === 0
      ? []
      : ((await run(
          ctx.counter,
          ctx.db
            .select()
            .from(table)
            .where(and(where, afterCursor))
            .orderBy(...orderBy)
            .limit(first + 1),
        )) as unknown as T[]);
  return connectionOf({
    page: rows.slice(0, first),
    hasNextPage: rows.length > first,
    hasPreviousPage: after !== null,
    sort,
    sortValueOf,
    totalCount: async () => {
      const [row] = await rowsOf<{ n: number }>(
        ctx.counter,
        ctx.db,
        sql`select count(*)::int as n from ${table} where ${where ?? sql`true`}`,
      );
      return row?.n ?? 0;
    },
  });
}
