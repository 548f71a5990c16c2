import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { graphql } from "ponder";
import { integrityRoutes } from "./integrity";

const app = new Hono();
app.use("/ponder-graphql", graphql({ db, schema }));
app.route("/integrity", integrityRoutes(db));

export default app;
