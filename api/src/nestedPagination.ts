import DataLoader from "dataloader";
import { and, inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Context } from "./context";
import { rowsOf } from "./db";
import {
  type Connection,
  connectionOf,
  decodeCursor,
  keysetOf,
  type PageArgs,
  pageSizeOf,
  type SortKey,
} from "./pagination";

type PageLoader<T> = DataLoader<string, { page: T[]; hasNextPage: boolean }>;
type CountLoader = DataLoader<string, number>;

/**
 * One page of a connection nested under each of many parents — a settlement's receipts, for every settlement of a
 * page — in two statements for the whole batch instead of one per parent: a window query ranks the rows of every
 * parent (`row_number() over (partition by parent)`) and keeps each one's page, then `rowsById` loads them all.
 * `field` names the connection; parents whose calls share `field` and `args` are batched together.
 */
export function nestedPage<T extends { id: string }>(
  ctx: Context,
  {
    field,
    parentColumn,
    parentId,
    table,
    id,
    where,
    sort,
    args,
    sortValueOf,
    rowsById,
  }: {
    field: string;
    parentColumn: PgColumn;
    parentId: string;
    table: PgTable;
    id: PgColumn;
    /** The connection's filter, the same for every parent of the batch. */
    where: SQL | undefined;
    sort: SortKey;
    args: PageArgs & Record<string, unknown>;
    sortValueOf: (row: T) => bigint | null;
    rowsById: DataLoader<string, T | null>;
  },
): Promise<Connection<T>> {
  const first = pageSizeOf(args.first, ctx.limits);
  const after = args.after ? decodeCursor(args.after, sort.name) : null;
  const key = `${field}:${JSON.stringify(args)}`;
  let pages = ctx.batches.get(`page:${key}`) as PageLoader<T> | undefined;
  if (!pages) {
    const { afterCursor, orderBy } = keysetOf(sort, id, after);
    pages = new DataLoader(async (parents: readonly string[]) => {
      const rows =
        first === 0
          ? []
          : await rowsOf<{ id: string; parent: string }>(
              ctx.counter,
              ctx.db,
              sql`select id, parent from (
                select ${id} as id, ${parentColumn} as parent,
                  row_number() over (partition by ${parentColumn} order by ${orderBy[0]}, ${orderBy[1]}) as n
                from ${table}
                where ${and(inArray(parentColumn, [...new Set(parents)]), where, afterCursor)}
              ) ranked where n <= ${first + 1} order by parent, n`,
            );
      const byParent = new Map<string, string[]>();
      for (const row of rows) byParent.set(row.parent, [...(byParent.get(row.parent) ?? []), row.id]);
      const pageIds = parents.map((parent) => (byParent.get(parent) ?? []).slice(0, first));
      // Loaded here, for every parent at once, so every parent's page completes in the same tick: a parent with an
      // empty page must not run ahead and ask for its totalCount in a batch of its own.
      const loaded = await rowsById.loadMany([...new Set(pageIds.flat())]);
      const byId = new Map<string, T>();
      for (const row of loaded) if (row !== null && !(row instanceof Error)) byId.set(row.id, row);
      return parents.map((parent, i) => ({
        page: pageIds[i]!.flatMap((id) => byId.get(id) ?? []),
        hasNextPage: (byParent.get(parent) ?? []).length > first,
      }));
    });
    ctx.batches.set(`page:${key}`, pages);
  }
  const countKey = `count:${field}:${JSON.stringify({ ...args, first: undefined, after: undefined })}`;
  let counts = ctx.batches.get(countKey) as CountLoader | undefined;
  if (!counts) {
    counts = new DataLoader(async (parents: readonly string[]) => {
      const rows = await rowsOf<{ parent: string; n: number }>(
        ctx.counter,
        ctx.db,
        sql`select ${parentColumn} as parent, count(*)::int as n from ${table}
          where ${and(inArray(parentColumn, [...new Set(parents)]), where)} group by 1`,
      );
      const byParent = new Map(rows.map((r) => [r.parent, r.n]));
      return parents.map((parent) => byParent.get(parent) ?? 0);
    });
    ctx.batches.set(countKey, counts);
  }
  return pages.load(parentId).then(({ page, hasNextPage }) =>
    connectionOf({
      page,
      hasNextPage,
      hasPreviousPage: after !== null,
      sort,
      sortValueOf,
      totalCount: () => counts.load(parentId),
    }),
  );
}
