import schema from "ponder:schema";
import { Hono } from "hono";
import { asc, type ReadonlyDrizzle } from "ponder";
import { canonicalJsonOf, tableDigestOf } from "../lib/tableDigest";

/** The indexed tables that `/integrity` digests: every onchain table of the schema, by SQL name. */
const TABLES = {
  payment: schema.payment,
  usdc_authorization: schema.usdcAuthorization,
  payment_claim: schema.paymentClaim,
  tee: schema.tee,
  pcr: schema.pcr,
  relay_signer: schema.relaySigner,
  settlement: schema.settlement,
  blob: schema.blob,
  pending_blob: schema.pendingBlob,
  leaf: schema.leaf,
  inference: schema.inference,
  receipt: schema.receipt,
} as const;

type TableName = keyof typeof TABLES;

/**
 * `GET /integrity`: row count and digest of every table; `GET /integrity/:table`: its rows in primary-key order.
 * Two indexes of the same chains must answer the same digests, whatever the event order or faults on the way.
 */
export function integrityRoutes(db: ReadonlyDrizzle<typeof schema>) {
  const rowsOf = (name: TableName) => {
    const table = TABLES[name];
    return db.select().from(table).orderBy(asc(table.id));
  };
  return new Hono()
    .get("/", async (c) => {
      const tables: Record<string, { rows: number; digest: string }> = {};
      for (const name of Object.keys(TABLES) as TableName[]) {
        const rows = await rowsOf(name);
        tables[name] = { rows: rows.length, digest: tableDigestOf(rows) };
      }
      return c.json({ digest: tableDigestOf(Object.entries(tables)), tables });
    })
    .get("/:table", async (c) => {
      const name = c.req.param("table");
      if (!(name in TABLES))
        return c.json({ error: `Unknown table "${name}"; expected one of ${Object.keys(TABLES).join(", ")}.` }, 404);
      const rows = await rowsOf(name as TableName);
      return c.body(canonicalJsonOf(rows), 200, { "content-type": "application/json" });
    });
}
