import DataLoader from "dataloader";
import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import { type Db, type LeafRow, type QueryCounter, rowsOf, run, type SettlementRow, type Tables } from "./db";

type TeeTotalsRow = {
  tee_id: string;
  receipts: number;
  verified: number;
  invalid_proof: number;
  volume: string;
  last_settled_at: string | null;
};
export type TeeTotals = {
  receipts: number;
  verifiedReceipts: number;
  invalidProofReceipts: number;
  volume: bigint;
  lastSettledAt: bigint | null;
};

/** A receipt's settlement as the API shows it: the leaf that settled it, in its settlement event. */
export type LeafInSettlement = { leaf: LeafRow; settlement: SettlementRow };

/** Builds a loader that fetches rows by one key column in one `IN (...)` query per batch. */
function byKey<K extends string, R>(fetch: (keys: K[]) => Promise<R[]>, keyOf: (row: R) => K) {
  return new DataLoader<K, R | null>(async (keys) => {
    const rows = await fetch([...new Set(keys)]);
    const found = new Map(rows.map((r) => [keyOf(r), r]));
    return keys.map((k) => found.get(k) ?? null);
  });
}

/** Builds a loader that fetches every row for each key, in one query per batch. */
function manyByKey<K extends string, R>(fetch: (keys: K[]) => Promise<R[]>, keyOf: (row: R) => K) {
  return new DataLoader<K, R[]>(async (keys) => {
    const rows = await fetch([...new Set(keys)]);
    const groups = new Map<K, R[]>();
    for (const row of rows) {
      const list = groups.get(keyOf(row)) ?? [];
      list.push(row);
      groups.set(keyOf(row), list);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/**
 * The receipt-with-trail lookup as a prepared statement, built once per database: it is the hottest query (every
 * receipt page), and building a four-table select in drizzle costs more CPU than PostgreSQL takes to answer it.
 */
const trailStatements = new WeakMap<Db, ReturnType<typeof prepareTrail>>();
function prepareTrail(db: Db, t: Tables) {
  return db
    .select({ receipt: t.receipt, payment: t.payment, leaf: t.leaf, settlement: t.settlement })
    .from(t.receipt)
    .leftJoin(t.payment, eq(t.payment.id, t.receipt.paymentId))
    .leftJoin(t.leaf, eq(t.leaf.id, t.receipt.leafId))
    .leftJoin(t.settlement, eq(t.settlement.id, t.leaf.settlementId))
    .where(sql`${t.receipt.id} = any(${sql.placeholder("ids")})`)
    .prepare("settlescan_receipt_trail");
}
function trailStatementOf(db: Db, t: Tables) {
  let statement = trailStatements.get(db);
  if (!statement) {
    statement = prepareTrail(db, t);
    trailStatements.set(db, statement);
  }
  return statement;
}

/**
 * Per-request DataLoaders: every nested field of a page (a receipt's payment, its settlement) is one query for the
 * whole page, not one per row.
 */
export function createLoaders({ db, tables: t, counter }: { db: Db; tables: Tables; counter: QueryCounter }) {
  const q = <T>(query: PromiseLike<T>) => run(counter, query);
  let now: Promise<bigint> | undefined;
  const loaders = {
    receipt: byKey(
      (ids: `0x${string}`[]) => q(db.select().from(t.receipt).where(inArray(t.receipt.id, ids))),
      (r) => r.id,
    ),
    payment: byKey(
      (ids: `0x${string}`[]) => q(db.select().from(t.payment).where(inArray(t.payment.id, ids))),
      (r) => r.id,
    ),
    settlement: byKey(
      (ids: string[]) => q(db.select().from(t.settlement).where(inArray(t.settlement.id, ids))),
      (r) => r.id,
    ),
    tee: byKey(
      (ids: `0x${string}`[]) => q(db.select().from(t.tee).where(inArray(t.tee.id, ids))),
      (r) => r.id,
    ),
    /** A leaf with its settlement event, by leaf id: one join for a page of receipts. */
    leafInSettlement: byKey(
      async (ids: string[]): Promise<LeafInSettlement[]> =>
        q(
          db
            .select({ leaf: t.leaf, settlement: t.settlement })
            .from(t.leaf)
            .innerJoin(t.settlement, eq(t.leaf.settlementId, t.settlement.id))
            .where(inArray(t.leaf.id, ids)),
        ) as Promise<LeafInSettlement[]>,
      (r) => r.leaf.id,
    ),
    receiptsByPayment: manyByKey(
      (ids: `0x${string}`[]) =>
        q(
          db
            .select()
            .from(t.receipt)
            .where(inArray(t.receipt.paymentId, ids))
            .orderBy(asc(t.receipt.settledAt), asc(t.receipt.id)),
        ),
      (r) => r.paymentId,
    ),
    receiptsByInference: manyByKey(
      (ids: `0x${string}`[]) =>
        q(
          db
            .select()
            .from(t.receipt)
            .where(inArray(t.receipt.inferenceId, ids))
            .orderBy(asc(t.receipt.settledAt), asc(t.receipt.id)),
        ),
      (r) => r.inferenceId,
    ),
    leavesBySettlement: manyByKey(
      (ids: string[]) =>
        q(db.select().from(t.leaf).where(inArray(t.leaf.settlementId, ids)).orderBy(asc(t.leaf.leafIndex))),
      (r) => r.settlementId,
    ),
    /** Per-enclave totals, grouped in SQL for a whole list of enclaves at once. */
    teeTotals: new DataLoader<`0x${string}`, TeeTotals>(async (ids) => {
      const rows = await rowsOf<TeeTotalsRow>(
        counter,
        db,
        sql`select tee_id, count(*)::int as receipts,
          count(*) filter (where state = 'verified')::int as verified,
          count(*) filter (where state = 'invalid_proof')::int as invalid_proof,
          coalesce(sum(amount), 0)::text as volume, max(settled_at)::text as last_settled_at
        from ${t.receipt} where ${inArray(t.receipt.teeId, [...new Set(ids)])} group by tee_id`,
      );
      const byId = new Map(rows.map((r) => [r.tee_id, r]));
      return ids.map((id) => {
        const row = byId.get(id);
        return {
          receipts: row?.receipts ?? 0,
          verifiedReceipts: row?.verified ?? 0,
          invalidProofReceipts: row?.invalid_proof ?? 0,
          volume: BigInt(row?.volume ?? 0),
          lastSettledAt: row?.last_settled_at ? BigInt(row.last_settled_at) : null,
        };
      });
    }),
    /**
     * Chain time, read once per request: the latest indexed head over both chains. Payment states are judged at
     * it (DESIGN.md §4), never at the wall clock.
     */
    now: () => {
      now ??= q(db.select().from(t.chainHead).orderBy(desc(t.chainHead.timestamp)).limit(1)).then(
        (rows) => rows[0]?.timestamp ?? 0n,
      );
      return now;
    },
  };
  return {
    ...loaders,
    /**
     * A receipt looked up by id, with its payment, leaf and settlement in the same statement: the receipt page's
     * whole trail is one round trip, and the payment and settlement loaders answer from what it read.
     */
    receiptWithTrail: byKey(
      async (ids: `0x${string}`[]) => {
        const rows = await q(trailStatementOf(db, t).execute({ ids }));
        for (const { receipt, payment, leaf, settlement } of rows) {
          loaders.receipt.prime(receipt.id, receipt);
          loaders.payment.prime(receipt.paymentId, payment);
          if (leaf && settlement) loaders.leafInSettlement.prime(leaf.id, { leaf, settlement });
        }
        return rows.map((row) => row.receipt);
      },
      (r) => r.id,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
