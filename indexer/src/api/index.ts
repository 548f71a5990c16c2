import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { graphql } from "ponder";
import { integrityRoutes } from "./integrity";
import { progressRoutes } from "./progress";

const app = new Hono();
app.use("/ponder-graphql", graphql({ db, schema }));
app.route("/integrity", integrityRoutes(db));
app.route("/progress", progressRoutes(db));

export default app;
