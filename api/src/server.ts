import type { IncomingMessage, ServerResponse } from "node:http";
import { type HttpBindings, serve } from "@hono/node-server";
import { Hono, type MiddlewareHandler } from "hono";
import { apiRoutes } from "./app";
import { connectViews, tables } from "./database";
import { DEFAULT_LIMITS } from "./limits";
import { clusterMetrics, collectProcessMetrics, METRICS_CONTENT_TYPE, requestMetrics } from "./metrics";

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

/** Reads a whole (small) request body from Node's stream. */
function readBody(incoming: IncomingMessage) {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.once("end", () => {
      const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      // As the web Request's text() (UTF-8 decode), a byte-order mark is dropped.
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    });
    incoming.once("error", reject);
    incoming.once("close", () => {
      if (!incoming.complete) reject(new Error("The client closed the connection before sending its whole request."));
    });
  });
}

/**
 * A GraphQL POST whose JSON body has a declared size within the body limit is read straight from Node's stream,
 * and the request answers `body`, `json()`, `text()` and `signal` from it. Otherwise @hono/node-server builds a web
 * `Request` with a stream over the socket for it (yoga reads `signal`, the body limit reads `body`): measured, that
 * was 8 kB of the 221 kB a receipt lookup allocated (issue #16: allocation drives the scavenges behind the open-loop
 * p99). Any other request (chunked, larger, another type) takes the usual path, with its checks.
 */
function readJsonBodies(maxBytes: number): MiddlewareHandler<{ Bindings: HttpBindings }> {
  return async (c, next) => {
    const { incoming, outgoing } = c.env;
    const length = incoming.headers["content-length"];
    if (
      incoming.method !== "POST" ||
      length === undefined ||
      incoming.headers["transfer-encoding"] !== undefined ||
      Number(length) > maxBytes ||
      !incoming.headers["content-type"]?.includes("json")
    )
      return next();
    let text: string;
    try {
      text = await readBody(incoming);
    } catch {
      // Nobody is left to answer.
      return c.body(null, 400);
    }
    let used = false;
    let stream: ReadableStream<Uint8Array> | undefined;
    let controller: AbortController | undefined;
    const consume = () => {
      if (used) throw new TypeError("The request's body was already read.");
      used = true;
      return text;
    };
    Object.defineProperties(c.req.raw, {
      body: {
        get: () => {
          // The body limit only looks whether there is one; whoever reads it gets the same bytes.
          stream ??= new ReadableStream({
            start(sink) {
              sink.enqueue(Buffer.from(text));
              sink.close();
            },
          });
          return stream;
        },
      },
      bodyUsed: { get: () => used },
      text: { value: async () => consume() },
      json: { value: async () => JSON.parse(consume()) },
      arrayBuffer: { value: async () => new TextEncoder().encode(consume()).buffer },
      // As @hono/node-server's own: aborted when the client goes away before its answer is sent.
      signal: {
        get: () => {
          if (!controller) {
            const aborter = new AbortController();
            (outgoing as ServerResponse).once("close", () => {
              if (!outgoing.writableFinished) aborter.abort("Client connection prematurely closed.");
            });
            controller = aborter;
          }
          return controller.signal;
        },
      },
    });
    return next();
  };
}

collectProcessMetrics();
// With several processes, each scrape answers every worker's figures, merged by the primary (src/index.ts).
const scrape = clusterMetrics();

const app = new Hono<{ Bindings: HttpBindings }>()
  .get("/health", (c) => c.text("ok"))
  // Prometheus: requests, latency, SQL, document cache and process figures (src/metrics.ts).
  .get("/metrics", async (c) => c.body(await scrape(), 200, { "content-type": METRICS_CONTENT_TYPE }))
  .get("/ready", async (c) => {
    try {
      // Ponder's progress table: published with the views once the backfill is done.
      await pool.query("select 1 from _ponder_checkpoint limit 1");
      return c.text("ok");
    } catch (error) {
      return c.text(`not ready: ${(error as Error).message}`, 503);
    }
  })
  // Counts and times the API's routes (above: probes and scrapes are not counted).
  .use(requestMetrics())
  .use("/graphql", readJsonBodies(DEFAULT_LIMITS.maxRequestBytes))
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
