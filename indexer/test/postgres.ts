import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@settlescan/devnet/chains";

/** Debian's PostgreSQL 15 server binaries (`apt-get install postgresql`). */
const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export type Postgres = { url: string; port: number; dataDirectory: string; stop: () => void; restart: () => void };

/**
 * Starts a throwaway PostgreSQL server on a free loopback port. `pg_ctl` refuses to run as root, so as root the
 * server runs as the `postgres` user. Throws (never skips) when the server binaries are missing.
 */
export async function startPostgres(): Promise<Postgres> {
  if (!existsSync(join(PG_BIN, "pg_ctl")))
    throw new Error(
      `PostgreSQL server binaries not found in ${PG_BIN}: apt-get install postgresql (CI does this in .ci/run).`,
    );
  const root = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]) =>
    root
      ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "pipe" })
      : execFileSync(cmd, args, { stdio: "pipe" });
  const dataDirectory = mkdtempSync(join(tmpdir(), "settlescan-pg-"));
  chmodSync(dataDirectory, 0o777);
  if (root) execFileSync("chown", ["postgres", dataDirectory]);
  as(join(PG_BIN, "initdb"), ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dataDirectory} -h 127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () =>
    as(join(PG_BIN, "pg_ctl"), ["-D", dataDirectory, "-o", options, "-w", "-l", join(dataDirectory, "log"), "start"]);
  const stop = () => {
    try {
      as(join(PG_BIN, "pg_ctl"), ["-D", dataDirectory, "-m", "fast", "-w", "stop"]);
    } catch {
      // Already stopped.
    }
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDirectory,
    stop,
    restart: () => {
      stop();
      start();
    },
  };
}
