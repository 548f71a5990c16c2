import { onchainTable } from "ponder";

// Settlescan's own tables, as wide as Settlescan writes them: the rows no design of it can do without.
export { blob, inference, payment, settlement, usdcAuthorization } from "../../ponder.schema";

/** One row per other event (registry, roles, v1, Permit2): the bare app's trivial write. */
export const indexedEvent = onchainTable("indexed_event", (t) => ({
  id: t.text().primaryKey(),
  name: t.text().notNull(),
}));
