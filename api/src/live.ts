import { inArray, or, sql } from "drizzle-orm";
import { type Db, rowsOf, type Tables } from "./db";

/** How often the feed looks for new indexed blocks while anyone listens: about Ponder's own polling interval. */
export const LIVE_POLL_MS = 500;
/** Receipts whose last seen version the feed remembers, so it reports each change once. */
const REMEMBERED_RECEIPTS = 100_000;

export type ReceiptEventKind = "CREATED" | "CHANGED";
export type FeedEvent = { kind: ReceiptEventKind; id: `0x${string}` };
type Listener = (events: FeedEvent[]) => void;

type Candidate = { id: `0x${string}`; version: string; created: boolean };

/**
 * New and changed receipts, found by polling: whenever a chain's indexed head moves, the receipts settled or paid
 * since the previous heads (and the other receipts citing the same payments, whose verdicts may change with them)
 * are compared with the version last seen. One poller serves every subscriber, and runs only while there is one.
 * Rows removed by a reorg are not reported.
 */
export function createReceiptFeed({
  db,
  tables: t,
  pollMs = LIVE_POLL_MS,
}: {
  db: Db;
  tables: Tables;
  pollMs?: number;
}) {
  const listeners = new Set<Listener>();
  const versions = new Map<string, string>();
  const counter = { count: 0 };
  let heads: string | null = null;
  let since: bigint | null = null;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      const current = await rowsOf<{ id: number; ts: string }>(
        counter,
        db,
        sql`select id, timestamp::text as ts from ${t.chainHead} order by id`,
      );
      const key = current.map((h) => `${h.id}:${h.ts}`).join(",");
      const oldest = current.reduce<bigint | null>((m, h) => (m === null || BigInt(h.ts) < m ? BigInt(h.ts) : m), null);
      if (heads === null || since === null) {
        // The first look is the baseline: only what happens after a subscriber joined is reported.
        [heads, since] = [key, oldest];
        return;
      }
      if (key === heads) return;
      const from = since.toString();
      const r = t.receipt;
      const rows = await rowsOf<Candidate>(
        counter,
        db,
        sql`select id, concat_ws('|', state, paid_at, settlement_count, check_payment) as version,
              settled_at >= ${from}::numeric as created
            from ${r}
            where ${or(
              sql`settled_at >= ${from}::numeric`,
              sql`paid_at >= ${from}::numeric`,
              inArray(r.paymentId, sql`(select payment_id from ${r} where settled_at >= ${from}::numeric)`),
            )}`,
      );
      [heads, since] = [key, oldest];
      const events: FeedEvent[] = [];
      for (const row of rows) {
        const previous = versions.get(row.id);
        if (previous === row.version) continue;
        versions.delete(row.id);
        versions.set(row.id, row.version);
        events.push({ id: row.id, kind: previous === undefined && row.created ? "CREATED" : "CHANGED" });
      }
      // Forget the oldest versions beyond the bound (a Map iterates in insertion order).
      for (const id of versions.keys()) {
        if (versions.size <= REMEMBERED_RECEIPTS) break;
        versions.delete(id);
      }
      if (events.length) for (const listener of listeners) listener(events);
    } catch {
      // The database is away for a moment: the next poll tries again, from the same heads.
    } finally {
      polling = false;
    }
  };

  return {
    /** Calls `listener` with each batch of events until the returned function is called. */
    listen(listener: Listener) {
      listeners.add(listener);
      if (!timer) {
        timer = setInterval(poll, pollMs);
        void poll();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
          [heads, since] = [null, null];
        }
      };
    },
  };
}

export type ReceiptFeed = ReturnType<typeof createReceiptFeed>;
