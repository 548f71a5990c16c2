import schema from "ponder:schema";
import { Hono } from "hono";
import { count, type ReadonlyDrizzle } from "ponder";

/** `GET /progress`: indexed heads per chain and receipt count, cheap enough to poll every few seconds. */
export function progressRoutes(db: ReadonlyDrizzle<typeof schema>) {
  return new Hono().get("/", async (c) => {
    const [heads, [receipts], [payments]] = await Promise.all([
      db.select().from(schema.chainHead),
      db.select({ n: count() }).from(schema.receipt),
      db.select({ n: count() }).from(schema.payment),
    ]);
    return c.json({
      chains: Object.fromEntries(
        heads.map((h) => [
          h.name,
          { chainId: h.id, blockNumber: Number(h.blockNumber), timestamp: Number(h.timestamp) },
        ]),
      ),
      receipts: receipts?.n ?? 0,
      payments: payments?.n ?? 0,
    });
  });
}
