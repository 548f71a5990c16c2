import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { graphql } from "ponder";
import { apiRoutes } from "../../../api/src/app";
import { integrityRoutes } from "./integrity";
import { progressRoutes } from "./progress";

const app = new Hono();
// Settlescan's GraphQL API (api/) at /graphql, over the same read-only connection; Ponder's generated GraphQL stays
// reachable at /ponder-graphql, for comparison.
app.route("/", apiRoutes({ db, tables: schema }));
app.use("/ponder-graphql", graphql({ db, schema }));
app.route("/integrity", integrityRoutes(db));
app.route("/progress", progressRoutes(db));

export default app;
