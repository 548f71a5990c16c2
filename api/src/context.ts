import type { Db, QueryCounter, Tables } from "./db";
import type { Limits } from "./limits";
import type { ReceiptFeed } from "./live";
import { createLoaders, type Loaders } from "./loaders";

/** What every resolver gets: the database, the tables, limits, this request's loaders and its SQL count. */
export type Context = {
  db: Db;
  tables: Tables;
  limits: Limits;
  counter: QueryCounter;
  loaders: Loaders;
  /** This request's loaders made on demand, by what they batch (e.g. one nested connection with its arguments). */
  batches: Map<string, unknown>;
  /** New and changed receipts, for subscriptions; shared by every request of one server. */
  feed?: ReceiptFeed;
};

export function createContext({
  db,
  tables,
  limits,
  feed,
}: Pick<Context, "db" | "tables" | "limits" | "feed">): Context {
  const counter = { count: 0 };
  return { db, tables, limits, counter, loaders: createLoaders({ db, tables, counter }), batches: new Map(), feed };
}
