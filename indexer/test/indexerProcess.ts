import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@settlescan/devnet/chains";
import { startDevnet } from "@settlescan/devnet/devnet";
import { devnetProfileOf, writeProfile } from "@settlescan/devnet/profile";

const INDEXER_DIR = new URL("..", import.meta.url).pathname;

/** Ponder exits with 75 (EX_TEMPFAIL) when an RPC stays unreachable past its retries: a supervisor restarts it. */
export const PONDER_TEMPFAIL_EXIT = 75;

export type IndexerProcess = {
  url: string;
  process: ChildProcess;
  /** How often a supervised indexer was restarted after a temporary failure. */
  restarts: () => number;
  output: () => string;
  /** Resolves once every chain's indexed block is at least the given number. */
  waitForBlocks: (blocks: Record<string, number>, timeoutMs?: number) => Promise<void>;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

/**
 * Runs the real indexer (`ponder start`) as a child process on a free port, over the network profile at `profile`.
 * PGlite in a fresh directory unless `databaseUrl` is given.
 */
export async function startIndexer({
  profile,
  ordering = "multichain",
  databaseUrl,
  schema = `settlescan_${process.pid}_${Date.now()}`,
  pgliteDirectory = mkdtempSync(join(tmpdir(), "settlescan-pglite-")),
  env = {},
  supervise = false,
}: {
  /** Restart the indexer when it exits with PONDER_TEMPFAIL_EXIT, as the start command and compose do. */
  supervise?: boolean;
  /** Path of the network profile to index (SETTLESCAN_NETWORK). */
  profile: string;
  ordering?: "multichain" | "omnichain";
  databaseUrl?: string;
  schema?: string;
  pgliteDirectory?: string;
  env?: Record<string, string>;
}): Promise<IndexerProcess> {
  const port = await freePort();
  let output = "";
  let restarts = 0;
  let stopping = false;
  const spawnPonder = () => {
    const child = spawn(
      join(INDEXER_DIR, "node_modules/.bin/ponder"),
      ["start", "--port", String(port), "--schema", schema],
      {
        cwd: INDEXER_DIR,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          PONDER_TELEMETRY_DISABLED: "true",
          PONDER_LOG_LEVEL: process.env.PONDER_LOG_LEVEL ?? "warn",
          SETTLESCAN_NETWORK: profile,
          PONDER_ORDERING: ordering,
          PGLITE_DIRECTORY: pgliteDirectory,
          DATABASE_URL: databaseUrl ?? "",
          ...env,
        },
      },
    );
    child.stdout?.on("data", (d) => {
      output += d;
    });
    child.stderr?.on("data", (d) => {
      output += d;
    });
    child.once("exit", (code) => {
      // The whole output of an indexer that failed, for a look beyond the excerpt a test error shows.
      if (code !== 0 && code !== null && process.env.INDEXER_LOG_DIR)
        writeFileSync(join(process.env.INDEXER_LOG_DIR, `indexer-${child.pid}.log`), output);
      if (supervise && !stopping && code === PONDER_TEMPFAIL_EXIT) {
        restarts++;
        output += `\n[supervisor] indexer exited ${code} (temporary failure); restarting\n`;
        setTimeout(() => {
          if (!stopping) current = spawnPonder();
        }, 1_000);
      }
    });
    return child;
  };
  let current = spawnPonder();
  const url = `http://127.0.0.1:${port}`;
  const exited = () => {
    const child = current;
    const ended = child.exitCode !== null || child.signalCode !== null;
    return ended && !(supervise && !stopping && child.exitCode === PONDER_TEMPFAIL_EXIT);
  };

  const waitForBlocks = async (blocks: Record<string, number>, timeoutMs = 240_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exited())
        throw new Error(`The indexer exited (${current.exitCode ?? current.signalCode}):\n${output.slice(-4000)}`);
      try {
        const status = (await (await fetch(`${url}/status`)).json()) as Record<string, { block?: { number: number } }>;
        if (Object.entries(blocks).every(([chain, n]) => (status[chain]?.block?.number ?? -1) >= n)) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline)
        throw new Error(
          `The indexer did not reach ${JSON.stringify(blocks)} in ${timeoutMs} ms:\n${output.slice(-4000)}`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    stopping = true;
    const child = current;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid!, signal);
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
    }, 10_000);
    await done;
    clearTimeout(timer);
  };
  return {
    url,
    get process() {
      return current;
    },
    restarts: () => restarts,
    output: () => output,
    waitForBlocks,
    stop,
  };
}

/** Every table's rows and digest, as the indexer's `/integrity` endpoints serve them. */
export async function dumpOf(url: string) {
  const summary = (await (await fetch(`${url}/integrity`)).json()) as {
    digest: string;
    tables: Record<string, { rows: number; digest: string }>;
  };
  return summary;
}

/** Every row of a table in primary-key order, following `/integrity/:table`'s pages to the last. */
export async function rowsOf<T = Record<string, unknown>>(url: string, table: string): Promise<T[]> {
  const rows: T[] = [];
  for (let after: string | null = null; ; ) {
    const path: string = `/integrity/${table}${after === null ? "" : `?after=${encodeURIComponent(after)}`}`;
    const response = await fetch(`${url}${path}`);
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { rows: T[]; next: string | null };
    rows.push(...page.rows);
    if (page.next === null) return rows;
    after = page.next;
  }
}

/**
 * What `read` answers once it answers something (errors count as not yet), polled every 250 ms; after `timeoutMs`
 * an error naming `what`, with the indexer's last output.
 */
export async function untilIndexed<T>(
  indexer: Pick<IndexerProcess, "output">,
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen in ${timeoutMs} ms:\n${indexer.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A fresh devnet on free ports and the real indexer over its profile (PGlite), for tests that post their own
 * settlements; `stop` ends both.
 */
export async function startDevnetIndexer(env: Record<string, string> = {}) {
  const devnet = await startDevnet({ ports: "free" });
  try {
    const profile = join(mkdtempSync(join(tmpdir(), "settlescan-devnet-")), "profile.json");
    writeProfile(devnetProfileOf(devnet.deployment), profile);
    const indexer = await startIndexer({ profile, env });
    return {
      devnet,
      indexer,
      stop: async () => {
        await indexer.stop("SIGKILL");
        await devnet.stop();
      },
    };
  } catch (error) {
    await devnet.stop();
    throw error;
  }
}
