import type { Db, QueryCounter, Tables } from "./db";
import type { Limits } from "./limits";
import { createLoaders, type Loaders } from "./loaders";

/** What every resolver gets: the database, the tables, limits, this request's loaders and its SQL count. */
export type Context = { db: Db; tables: Tables; limits: Limits; counter: QueryCounter; loaders: Loaders };

export function createContext({ db, tables, limits }: Pick<Context, "db" | "tables" | "limits">): Context {
  const counter = { count: 0 };
  return { db, tables, limits, counter, loaders: createLoaders({ db, tables, counter }) };
}
