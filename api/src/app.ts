import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { blobRoutes } from "./blob";
import { exportRoutes } from "./export";
import { DEFAULT_LIMITS, type Limits } from "./limits";
import { rateLimit } from "./rateLimit";
import { createYoga, SQL_COUNT_HEADER, type YogaOptions } from "./yoga";

export type ApiOptions = YogaOptions & {
  /** Origins allowed by CORS: a list, or "*" for any. */
  corsOrigins?: string[] | "*";
  /**
   * Requests per client IP per minute over all of these routes (429 RATE_LIMITED beyond); 0 or unset: no limit. The
   * standalone host sets it; inside Ponder the indexer's own server is in front.
   */
  rateLimitPerMinute?: number;
};

/** How a route shapes its errors: GraphQL's `{ errors: [...] }`, or the REST routes' `{ error: { code, message } }`. */
export type ErrorShape = "graphql" | "rest";

const errorBody = (shape: ErrorShape, code: string, message: string) =>
  shape === "graphql" ? { errors: [{ message, extensions: { code } }] } : { error: { code, message } };

/** The body of a 504 TIMEOUT answer. */
export const timedOut = (ms: number, shape: ErrorShape = "rest") =>
  errorBody(shape, "TIMEOUT", `The request took longer than ${ms} ms; narrow it, or retry later.`);

/**
 * Answers 504 TIMEOUT when the rest of the chain takes longer than `ms`. Unlike hono/timeout it returns the answer
 * rather than throwing it, so Ponder's server (which turns any thrown error into a 500) passes it on as is.
 * @example
 * app.get("/progress", timeLimit(10_000), handler);
 */
export function timeLimit(ms: number, shape: ErrorShape = "rest"): MiddlewareHandler {
  return async (c, next) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<"expired">((resolve) => {
      timer = setTimeout(() => resolve("expired"), ms);
    });
    try {
      const handled = next().then(() => "handled" as const);
      // A handler that fails after the deadline has no one to answer: its error is dropped with it.
      handled.catch(() => {});
      if ((await Promise.race([handled, expired])) === "handled") return;
      return c.json(timedOut(ms, shape), 504);
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The size and time bounds of a route that accepts a request body: 413 REQUEST_TOO_LARGE beyond `maxRequestBytes`
 * (with `connection: close`), 504 TIMEOUT beyond `requestTimeoutMs`. The indexer applies them to Ponder's own
 * GraphQL route too.
 * @example
 * app.use("/ponder-graphql", ...requestBounds());
 */
export function requestBounds(
  { maxRequestBytes, requestTimeoutMs }: Pick<Limits, "maxRequestBytes" | "requestTimeoutMs"> = DEFAULT_LIMITS,
  shape: ErrorShape = "graphql",
): [MiddlewareHandler, MiddlewareHandler] {
  return [
    bodyLimit({
      maxSize: maxRequestBytes,
      onError: (c) =>
        c.json(
          errorBody(shape, "REQUEST_TOO_LARGE", `The request is larger than ${maxRequestBytes} bytes.`),
          413,
          // The rest of the body is not read; the socket cannot carry another request, so the client must not reuse it.
          { connection: "close" },
        ),
    }),
    timeLimit(requestTimeoutMs, shape),
  ];
}

/**
 * The API's routes as a Hono app, for either host: `/graphql`, `/export/{receipts,payments}.{csv,jsonl}` and `/blob/:blobId`. Its
 * middleware (CORS, body size and time limits) applies to its own routes only, so it can be mounted beside other routes.
 * @example
 * app.route("/", apiRoutes({ db, tables: schema }));
 */
export function apiRoutes({ corsOrigins = "*", rateLimitPerMinute = 0, ...options }: ApiOptions) {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const yoga = createYoga(options);
  // One counter for every route; after CORS, so a browser can read the 429 and its retry-after.
  const limited = rateLimit({ perMinute: rateLimitPerMinute });
  const guard = [
    cors({
      origin: corsOrigins === "*" ? "*" : corsOrigins,
      allowHeaders: ["content-type", "accept", SQL_COUNT_HEADER],
      exposeHeaders: ["retry-after"],
      maxAge: 600,
    }),
    limited,
    ...requestBounds(limits),
  ] as const;
  const exportCors = cors({ origin: corsOrigins === "*" ? "*" : corsOrigins, exposeHeaders: ["retry-after"] });
  return (
    new Hono()
      .on(["GET", "POST", "OPTIONS"], "/graphql", ...guard, (c) => yoga.handle(c.req.raw))
      // Exports bound themselves: at most `maxExportRows` rows and `exportTimeoutMs`, then a trailer line (export.ts).
      .use("/export/*", exportCors, limited)
      .route("/", exportRoutes(options))
      // Archived blobs: small, immutable, read by the explorer to re-check inclusion in the browser.
      .use("/blob/*", exportCors, limited, timeLimit(limits.requestTimeoutMs))
      .route("/", blobRoutes(options))
  );
}
