import { inArray, or, sql } from "drizzle-orm";
import { chainHeadsOf } from "./checkpoint";
import { type Db, rowsOf, type Tables } from "./db";

/** How often the feed looks for new indexed blocks while anyone listens: about Ponder's own polling interval. */
export const LIVE_POLL_MS = 500;
/** Receipts whose last seen version the feed remembers, so it reports each change once. */
const REMEMBERED_RECEIPTS = 100_000;
/**
 * How far back in chain time a reorg may reach: remembered receipts settled or paid this close to the indexed heads
 * are looked up again at each move of the heads, and reported REMOVED if a reorg took them away. Ponder keeps
 * unfinalized blocks for about this long on the chains it knows (e.g. 30 blocks of 2 s on Base).
 */
export const REORG_WINDOW_SECONDS = 300n;

export type ReceiptEventKind = "CREATED" | "CHANGED" | "REMOVED";
export type FeedEvent = { kind: ReceiptEventKind; id: `0x${string}` };
type Listener = (events: FeedEvent[]) => void;

type Candidate = { id: `0x${string}`; version: string; created: boolean; settled_at: string; paid_at: string | null };
type Seen = { version: string; settledAt: bigint; paidAt: bigint | null };

/** What a subscriber sees of a receipt: when any of it changes, the receipt is reported CHANGED. */
const VERSION = sql`concat_ws('|', state, paid_at, settlement_count, check_payment)`;

/**
 * New and changed receipts, found by polling: whenever a chain's indexed head moves, the receipts settled or paid
 * since the previous heads (and the other receipts citing the same payments, whose verdicts may change with them)
 * are compared with the version last seen, and so are the receipts seen within `REORG_WINDOW_SECONDS` of the heads:
 * one that a reorg removed is reported REMOVED; one whose payment a reorg removed, CHANGED. One poller serves every
 * subscriber, and runs only while there is one.
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
  const versions = new Map<`0x${string}`, Seen>();
  const counter = { count: 0 };
  let heads: string | null = null;
  let since: bigint | null = null;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  const remember = (row: Candidate) => {
    // Re-inserted, so the Map's order is the order of last change.
    versions.delete(row.id);
    versions.set(row.id, {
      version: row.version,
      settledAt: BigInt(row.settled_at),
      paidAt: row.paid_at === null ? null : BigInt(row.paid_at),
    });
  };

  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      const current = await chainHeadsOf(db, counter);
      const key = current.map((h) => `${h.chainId}:${h.blockNumber}:${h.timestamp}`).join(",");
      const oldest = current.reduce<bigint | null>((m, h) => (m === null || h.timestamp < m ? h.timestamp : m), null);
      if (heads === null || since === null) {
        // The first look is the baseline: only what happens after a subscriber joined is reported. The receipts a
        // reorg could still take away are remembered, so their removal is.
        const recent = await rowsOf<Candidate>(
          counter,
          db,
          sql`select id, ${VERSION} as version, false as created, settled_at::text, paid_at::text
              from ${t.receipt}
              where settled_at >= ${String((oldest ?? 0n) - REORG_WINDOW_SECONDS)}::numeric`,
        );
        for (const row of recent.slice(-REMEMBERED_RECEIPTS)) remember(row);
        [heads, since] = [key, oldest];
        return;
      }
      if (key === heads) return;
      const from = since.toString();
      const r = t.receipt;
      const rows = await rowsOf<Candidate>(
        counter,
        db,
        sql`select id, ${VERSION} as version, settled_at >= ${from}::numeric as created, settled_at::text,
              paid_at::text
            from ${r}
            where ${or(
              sql`settled_at >= ${from}::numeric`,
              sql`paid_at >= ${from}::numeric`,
              inArray(r.paymentId, sql`(select payment_id from ${r} where settled_at >= ${from}::numeric)`),
            )}`,
      );
      // Receipts seen recently enough for a reorg to have touched them, that the query above did not find again.
      const found = new Set(rows.map((row) => row.id));
      const reorgFrom = (oldest ?? 0n) - REORG_WINDOW_SECONDS;
      const recent = [...versions].filter(
        ([id, seen]) => !found.has(id) && (seen.settledAt >= reorgFrom || (seen.paidAt ?? -1n) >= reorgFrom),
      );
      const rechecked = recent.length
        ? await rowsOf<Candidate>(
            counter,
            db,
            sql`select id, ${VERSION} as version, false as created, settled_at::text, paid_at::text
                from ${r} where ${inArray(
                  r.id,
                  recent.map(([id]) => id),
                )}`,
          )
        : [];
      [heads, since] = [key, oldest];
      const events: FeedEvent[] = [];
      for (const row of [...rows, ...rechecked]) {
        const previous = versions.get(row.id);
        if (previous?.version === row.version) continue;
        remember(row);
        events.push({ id: row.id, kind: previous === undefined && row.created ? "CREATED" : "CHANGED" });
      }
      const still = new Set(rechecked.map((row) => row.id));
      for (const [id] of recent)
        if (!still.has(id)) {
          versions.delete(id);
          events.push({ id, kind: "REMOVED" });
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
