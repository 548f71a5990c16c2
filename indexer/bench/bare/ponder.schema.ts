import { onchainTable } from "ponder";

/** One row per indexed event: the trivial write a bare handler does. */
export const indexedEvent = onchainTable("indexed_event", (t) => ({
  id: t.text().primaryKey(), // Ponder's event id (its checkpoint)
  name: t.text().notNull(),
}));
