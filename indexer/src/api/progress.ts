import schema from "ponder:schema";
import { Hono } from "hono";
import { count, type ReadonlyDrizzle } from "ponder";
import { timeLimit } from "../../../api/src/app";
import { chainHeadsOf } from "../../../api/src/checkpoint";
import { DEFAULT_LIMITS } from "../../../api/src/limits";

/**
 * `GET /progress`: indexed heads per chain (Ponder's checkpoints) and row counts, cheap enough to poll every few
 * seconds; 504 past `requestTimeoutMs` (counting a large table on a slow database).
 */
export function progressRoutes(
  db: ReadonlyDrizzle<typeof schema>,
  { requestTimeoutMs = DEFAULT_LIMITS.requestTimeoutMs }: { requestTimeoutMs?: number } = {},
) {
  return new Hono().get("/", timeLimit(requestTimeoutMs), async (c) => {
    const [heads, [receipts], [payments], [inferences]] = await Promise.all([
      chainHeadsOf(db, { count: 0 }),
      db.select({ n: count() }).from(schema.receipt),
      db.select({ n: count() }).from(schema.payment),
      db.select({ n: count() }).from(schema.inference),
    ]);
    return c.json({
      chains: Object.fromEntries(
        heads.map((h) => [
          h.name,
          { chainId: h.chainId, blockNumber: Number(h.blockNumber), timestamp: Number(h.timestamp) },
        ]),
      ),
      receipts: receipts?.n ?? 0,
      payments: payments?.n ?? 0,
      inferences: inferences?.n ?? 0,
    });
  });
}
