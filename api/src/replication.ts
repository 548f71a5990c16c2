import { sql } from "drizzle-orm";
import { type Db, type QueryCounter, rowsOf } from "./db";

/** What kind of database the API reads: a primary, a streaming replica, or PGlite inside the indexer. */
export type DatabaseRole = "PRIMARY" | "REPLICA" | "EMBEDDED";

export type DatabaseStatus = {
  role: DatabaseRole;
  /** Seconds the replica's data is behind its primary's; null on a primary or PGlite. */
  replicationLagSeconds: number | null;
  /** WAL bytes the replica received and has not replayed yet; null on a primary or PGlite. */
  replayLagBytes: number | null;
  /** Whether the replica's WAL receiver runs (it follows its primary); null on a primary or PGlite. */
  streaming: boolean | null;
};

type StatusRow = {
  embedded: boolean;
  replica: boolean;
  pending_bytes: number | null;
  replay_age: number | null;
  streaming: boolean;
};

/**
 * One statement the read-only reader role may run: these functions are granted to PUBLIC, and `pg_stat_wal_receiver`
 * shows anyone its receiver's pid (only the details need pg_read_all_stats). PGlite is PostgreSQL compiled to
 * WebAssembly by Emscripten, which `version()` says; the WAL functions answer null on a primary and on PGlite.
 */
const STATUS_SQL = sql`select version() like '%Emscripten%' as embedded, pg_is_in_recovery() as replica,
  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 as pending_bytes,
  extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as replay_age,
  (select pid from pg_stat_wal_receiver) is not null as streaming`;

/**
 * The replication status of a row of `STATUS_SQL`. A streaming replica that replayed all the WAL it received is 0
 * seconds behind, whatever the age of its last replayed transaction: an idle primary writes nothing, and its replica
 * is then up to date however long ago that transaction was. Otherwise (WAL waiting to be replayed, or no connection
 * to the primary, so nothing says it is current) the lag is the age of the last replayed transaction, null before the
 * first: an upper bound, since it also counts how long a transaction still open on the primary (an indexer's backfill
 * batch) has run, which the primary's readers do not see either. WAL the primary has not sent yet is invisible to a replica; each chain's `secondsBehindWallClock` covers
 * that end to end.
 */
export function databaseStatusOf(row: StatusRow): DatabaseStatus {
  const none = { replicationLagSeconds: null, replayLagBytes: null, streaming: null };
  if (row.embedded) return { role: "EMBEDDED", ...none };
  if (!row.replica) return { role: "PRIMARY", ...none };
  // The receive position restarts at the beginning of a WAL segment, so it may trail the replay position for a while.
  const pending = row.pending_bytes === null ? null : Math.max(0, row.pending_bytes);
  const caughtUp = row.streaming && pending === 0;
  return {
    role: "REPLICA",
    replicationLagSeconds: caughtUp ? 0 : row.replay_age === null ? null : Math.max(0, row.replay_age),
    replayLagBytes: pending,
    streaming: row.streaming,
  };
}

/**
 * Asks the database the API reads what it is, and how far behind its primary when it is a replica.
 * @example
 * const { role, replicationLagSeconds } = await databaseStatus(ctx.counter, ctx.db);
 */
export async function databaseStatus(counter: QueryCounter, db: Db): Promise<DatabaseStatus> {
  const [row] = await rowsOf<StatusRow>(counter, db, STATUS_SQL);
  return databaseStatusOf(row!);
}
