import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@settlescan/devnet/chains";
import type { Postgres } from "./postgres";

/** Debian's PostgreSQL 15 server binaries, as in `./postgres.ts`. */
const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export type Replica = { url: string; port: number; dataDirectory: string; stop: () => void };

/** Runs a PostgreSQL binary; as root, as the `postgres` user (`pg_ctl` refuses root, and the files must be its). */
function as(cmd: string, args: string[]) {
  return process.getuid?.() === 0
    ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "pipe" })
    : execFileSync(cmd, args, { stdio: "pipe" });
}

/** One value of a query, as `psql -At` prints it. */
function queryOf(port: number, query: string) {
  return execFileSync(join(PG_BIN, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-Atc", query], {
    stdio: "pipe",
    encoding: "utf8",
  }).trim();
}

/**
 * Starts a hot-standby streaming replica of a `startPostgres()` server on another free loopback port: a base backup
 * (`pg_basebackup -R -X stream`) that then follows the primary's WAL. Resolves once it accepts connections, is in
 * recovery and its WAL receiver is streaming.
 * @example
 * const primary = await startPostgres();
 * const replica = await startReplica(primary);
 */
export async function startReplica(primary: Pick<Postgres, "port">, timeoutMs = 60_000): Promise<Replica> {
  // initdb -A trust writes `host replication all 127.0.0.1/32 trust`, and PostgreSQL 15 defaults to wal_level=replica
  // with 10 WAL senders; a server set up otherwise is named here rather than failing deep in pg_basebackup.
  const setup = queryOf(
    primary.port,
    `select current_setting('wal_level') || ' ' || current_setting('max_wal_senders') || ' ' || (select count(*)
      from pg_hba_file_rules where 'replication' = any(database) and address = '127.0.0.1' and auth_method = 'trust')`,
  );
  const [walLevel, senders, hbaRules] = setup.split(" ");
  if (walLevel === "minimal" || senders === "0" || hbaRules === "0")
    throw new Error(
      `The primary on port ${primary.port} cannot stream to a replica (wal_level ${walLevel}, max_wal_senders ${senders}, ${hbaRules} trust replication rules for 127.0.0.1): expected wal_level replica, max_wal_senders > 0 and "host replication all 127.0.0.1/32 trust" in pg_hba.conf.`,
    );

  const dataDirectory = mkdtempSync(join(tmpdir(), "settlescan-pg-replica-"));
  chmodSync(dataDirectory, 0o700);
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dataDirectory]);
  as(join(PG_BIN, "pg_basebackup"), [
    ...["-D", dataDirectory, "-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres"],
    // -R writes standby.signal and primary_conninfo; a fast checkpoint starts the backup at once.
    ...["-R", "-X", "stream", "--checkpoint=fast", "--no-sync"],
  ]);
  const port = await freePort();
  // A standby needs max_connections at least the primary's (startPostgres sets 200); hot_standby is on by default.
  const options = `-p ${port} -k ${dataDirectory} -h 127.0.0.1 -c fsync=off -c max_connections=200`;
  const stop = () => {
    try {
      as(join(PG_BIN, "pg_ctl"), ["-D", dataDirectory, "-m", "fast", "-w", "stop"]);
    } catch {
      // Already stopped.
    }
  };
  as(join(PG_BIN, "pg_ctl"), [
    ...["-D", dataDirectory, "-o", options, "-w", "-l", join(dataDirectory, "replica.log"), "start"],
  ]);
  const deadline = Date.now() + timeoutMs;
  for (let state = ""; ; ) {
    try {
      state = queryOf(
        port,
        `select pg_is_in_recovery()::text || ' ' || coalesce((select status from pg_stat_wal_receiver), 'none')`,
      );
    } catch (error) {
      state = (error as Error).message;
    }
    if (state === "true streaming") break;
    if (Date.now() > deadline) {
      stop();
      throw new Error(
        `The replica on port ${port} did not stream from port ${primary.port} within ${timeoutMs} ms (recovery, WAL receiver: ${state}); expected "true streaming". Its log: ${join(dataDirectory, "replica.log")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dataDirectory, stop };
}
