import { getConnInfo } from "@hono/node-server/conninfo";
import type { MiddlewareHandler } from "hono";

/**
 * A fixed-window limit of requests per client IP; beyond it the answer is 429 with `extensions.code` RATE_LIMITED
 * and a `retry-after` header. The client is the socket's peer: `x-forwarded-for` is not trusted, since any client
 * can send it (a proxy in front should limit by itself).
 * @example
 * app.use("/graphql", rateLimit({ perMinute: DEFAULT_LIMITS.rateLimitPerMinute }));
 */
export function rateLimit({
  perMinute,
  windowMs = 60_000,
}: {
  perMinute: number;
  windowMs?: number;
}): MiddlewareHandler {
  let windowStart = Date.now();
  // One window's counts only, so the map is bounded by the clients seen within a minute.
  let counts = new Map<string, number>();
  return async (c, next) => {
    if (perMinute <= 0) return next();
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      counts = new Map();
    }
    const ip = getConnInfo(c).remote.address ?? "unknown";
    const count = (counts.get(ip) ?? 0) + 1;
    counts.set(ip, count);
    if (count <= perMinute) return next();
    const retryAfter = Math.ceil((windowStart + windowMs - now) / 1000);
    return c.json(
      {
        errors: [
          {
            message: `Too many requests: more than ${perMinute} a minute from one address; retry in ${retryAfter} s.`,
            extensions: { code: "RATE_LIMITED", retryable: true },
          },
        ],
      },
      429,
      { "retry-after": String(retryAfter) },
    );
  };
}
