import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { graphql } from "ponder";
import { apiRoutes, requestBounds } from "../../../api/src/app";
import { apiRegistry, METRICS_CONTENT_TYPE, requestMetrics } from "../../../api/src/metrics";
import { integrityRoutes } from "./integrity";
import { progressRoutes } from "./progress";

const app = new Hono();
// The API's Prometheus metrics beside Ponder's own (/metrics, like /health, /ready and /status, is Ponder's): this
// process's requests by route, SQL statements and document cache. Process figures are in Ponder's.
app.get("/api/metrics", (c) => c.body(apiRegistry.metrics(), 200, { "content-type": METRICS_CONTENT_TYPE }));
// Every route below is counted and timed.
app.use(requestMetrics());
// Settlescan's GraphQL API (api/) at /graphql, over the same read-only connection; Ponder's generated GraphQL stays
// reachable at /ponder-graphql, for comparison.
app.route("/", apiRoutes({ db, tables: schema }));
app.use("/ponder-graphql", ...requestBounds(), graphql({ db, schema }));
app.route("/integrity", integrityRoutes(db));
app.route("/progress", progressRoutes(db));

export default app;
