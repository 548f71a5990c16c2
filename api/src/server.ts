import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { apiRoutes } from "./app";
import { connectViews, tables } from "./database";
import { DEFAULT_LIMITS } from "./limits";

// The standalone host's listener (one process; src/index.ts may run several): the API over PostgreSQL, reading the
// views the indexer publishes, apart from the indexer.
const env = process.env;
if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set: the standalone API reads PostgreSQL.");
const viewsSchema = env.DATABASE_VIEWS_SCHEMA ?? env.DATABASE_SCHEMA ?? "settlescan";
const port = Number(env.PORT ?? 4000);
// Each of API_WORKERS processes counts its own clients; connections are spread evenly, so each takes its share.
const workers = Math.max(1, Number(env.API_WORKERS_RUNNING ?? 1));
const rateLimitPerMinute = Math.ceil(Number(env.RATE_LIMIT_PER_MINUTE ?? DEFAULT_LIMITS.rateLimitPerMinute) / workers);
const corsOrigins = env.CORS_ORIGINS && env.CORS_ORIGINS !== "*" ? env.CORS_ORIGINS.split(",") : "*";

const { pool, db } = connectViews({
  connectionString: env.DATABASE_URL,
  viewsSchema,
  statementTimeoutMs: DEFAULT_LIMITS.requestTimeoutMs,
  max: Number(env.PG_POOL_MAX ?? 20),
});

const app = new Hono()
  .get("/health", (c) => c.text("ok"))
  .get("/ready", async (c) => {
    try {
      // Ponder's progress table: published with the views once the backfill is done.
      await pool.query("select 1 from _ponder_checkpoint limit 1");
      return c.text("ok");
    } catch (error) {
      return c.text(`not ready: ${(error as Error).message}`, 503);
    }
  })
  .route(
    "/",
    apiRoutes({
      db,
      tables,
      corsOrigins,
      rateLimitPerMinute,
    }),
  );

const server = serve({ fetch: app.fetch, port, hostname: env.HOST ?? "127.0.0.1" }, (info) => {
  // With several processes, src/index.ts announces the port once they all listen.
  if (workers === 1)
    console.log(`Settlescan API on http://${info.address}:${info.port}/graphql (schema "${viewsSchema}")`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
