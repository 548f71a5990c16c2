import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { timeout } from "hono/timeout";
import { blobRoutes } from "./blob";
import { exportRoutes } from "./export";
import { DEFAULT_LIMITS } from "./limits";
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

/**
 * The API's routes as a Hono app, for either host: `/graphql`, `/export/receipts.{csv,jsonl}` and `/blob/:blobId`. Its
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
    bodyLimit({
      maxSize: limits.maxRequestBytes,
      onError: (c) =>
        c.json(
          {
            errors: [
              {
                message: `The request is larger than ${limits.maxRequestBytes} bytes.`,
                extensions: { code: "REQUEST_TOO_LARGE" },
              },
            ],
          },
          413,
          // The rest of the body is not read; the socket cannot carry another request, so the client must not reuse it.
          { connection: "close" },
        ),
    }),
    timeout(limits.requestTimeoutMs),
  ] as const;
  const exportCors = cors({ origin: corsOrigins === "*" ? "*" : corsOrigins, exposeHeaders: ["retry-after"] });
  return (
    new Hono()
      .on(["GET", "POST", "OPTIONS"], "/graphql", ...guard, (c) => yoga.handle(c.req.raw))
      // Exports stream for as long as they take: no request timeout (each chunk's statement has one).
      .use("/export/*", exportCors, limited)
      .route("/", exportRoutes(options))
      // Archived blobs: small, immutable, read by the explorer to re-check inclusion in the browser.
      .use("/blob/*", exportCors, limited, timeout(limits.requestTimeoutMs))
      .route("/", blobRoutes(options))
  );
}
