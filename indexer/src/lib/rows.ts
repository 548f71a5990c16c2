// Ponder hands rows out (find, insert, update) as copy-on-write proxies: the first read of a column holding an object
// or an array (a JSON column) deep-copies the whole row (structuredClone), in case the handler mutates it. Handlers
// here never mutate a row they read (they build new values), and those copies took seconds of a 100k-inference
// backfill. Ponder marks its proxies with this registered symbol, which gives the row behind one.
const COPY_ON_WRITE = Symbol.for("ponder:copyOnWrite");

/**
 * The row behind a row Ponder returned, to read and never to mutate: reading its JSON columns copies nothing.
 * Anything else (a plain object, null) is returned as it is.
 * @example const bucket = readOnly(await db.find(sessionBucket, { id })); bucket?.payments
 */
export function readOnly<row>(row: row): row {
  if (typeof row !== "object" || row === null) return row;
  return ((row as { [COPY_ON_WRITE]?: row })[COPY_ON_WRITE] ?? row) as row;
}

/**
 * A row to insert without its `reasons` when there are none, for the column's default (`[]`) to fill: Ponder's store
 * copies a row holding no array shallowly, and one holding any array (even an empty one) deeply (structuredClone).
 * Only for inserts: an update without `reasons` would keep the old ones.
 * @example await db.insert(leaf).values(withoutNoReasons({ ...base, reasons: [] }))
 */
export function withoutNoReasons<row extends { reasons: readonly unknown[] }>(row: row): row | Omit<row, "reasons"> {
  if (row.reasons.length > 0) return row;
  const { reasons: _, ...rest } = row;
  return rest;
}
