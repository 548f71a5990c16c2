import { createSchema } from "graphql-yoga";
import type { Context } from "../context";
import * as connection from "./connection";
import * as facilitator from "./facilitator";
import * as inference from "./inference";
import * as live from "./live";
import * as meta from "./meta";
import * as payment from "./payment";
import * as paymentStats from "./paymentStats";
import * as receipt from "./receipt";
import * as scalars from "./scalars";
import * as search from "./search";
import * as settlement from "./settlement";
import * as stats from "./stats";
import * as tee from "./tee";

/** Every type's file, in the order the SDL prints them. */
const MODULES = [
  meta,
  scalars,
  connection,
  inference,
  receipt,
  payment,
  settlement,
  tee,
  facilitator,
  search,
  stats,
  paymentStats,
  live,
];

/** The executable schema: each file contributes its SDL and resolvers. */
export function createApiSchema() {
  return createSchema<Context>({
    typeDefs: MODULES.map((m) => m.typeDefs),
    resolvers: MODULES.map((m) => m.resolvers),
  });
}
