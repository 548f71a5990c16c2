import schema from "ponder:schema";
import { Hono } from "hono";
import { count, type ReadonlyDrizzle } from "ponder";
import { chainHeadsOf } from "../../../api/src/checkpoint";

/**
 * `GET /progress`: indexed heads per chain (Ponder's checkpoints) and row counts, cheap enough to poll every few
 * seconds.
 */
export function progressRoutes(db: ReadonlyDrizzle<typeof schema>) {
  return new Hono().get("/", async (c) => {
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
