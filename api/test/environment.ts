import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "@settlescan/devnet/chains";
import type { Manifest } from "@settlescan/devnet/manifest";
import { type IndexerProcess, startIndexer } from "@settlescan/indexer/test/indexerProcess.ts";
import { type Postgres, startPostgres } from "@settlescan/indexer/test/postgres.ts";
import { type ScenarioChains, scenarioChains } from "@settlescan/indexer/test/scenarioChains.ts";
import pg from "pg";

const API_DIR = new URL("..", import.meta.url).pathname;

/** Where the indexer on PostgreSQL writes, and the schema of views it publishes for the standalone API. */
export const INDEXER_SCHEMA = "settlescan";
export const VIEWS_SCHEMA = "settlescan_api";
/** The role the standalone API connects as: SELECT on the views schema and nothing else. */
export const READER_ROLE = "settlescan_reader";

/** One API host under test: the GraphQL endpoint and the base URL of its other routes. */
export type Host = { name: "ponder" | "standalone"; url: string; graphql: string };

export type Environment = {
  chains: ScenarioChains;
  manifest: Manifest;
  postgres: Postgres;
  indexers: { pglite: IndexerProcess; postgres: IndexerProcess };
  standalone: { url: string; process: ChildProcess; output: () => string };
  hosts: Host[];
  /** Connection string of the read-only role, for tests that check what it can and cannot do. */
  readerUrl: string;
  stop: () => Promise<void>;
};

/**
 * Plays one seeded scenario on a devnet and serves it from both hosts: the indexer on PGlite with the API mounted,
 * and the indexer on PostgreSQL publishing views that the standalone API reads as a read-only role.
 */
export async function startEnvironment({ seed, receipts }: { seed: string; receipts: number }): Promise<Environment> {
  const [chains, postgres] = await Promise.all([scenarioChains({ seed, receipts }), startPostgres()]);
  const started: { stop: () => Promise<void> }[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop().catch(() => {})));
    postgres.stop();
    await chains.devnet.stop();
  };
  try {
    const [pglite, onPostgres] = await Promise.all([
      startIndexer({ profile: chains.profilePath, env: chains.endBlocks }),
      startIndexer({
        profile: chains.profilePath,
        databaseUrl: postgres.url,
        schema: INDEXER_SCHEMA,
        env: { ...chains.endBlocks, DATABASE_VIEWS_SCHEMA: VIEWS_SCHEMA },
      }),
    ]);
    started.push(pglite, onPostgres);
    await Promise.all([pglite.waitForBlocks(chains.heads), onPostgres.waitForBlocks(chains.heads)]);
    // Views are published once the backfill is done, which is when /ready answers 200.
    await Promise.all([waitForOk(`${pglite.url}/ready`), waitForOk(`${onPostgres.url}/ready`)]);

    const readerUrl = await createReader(postgres.url);
    const standalone = await startStandalone({ databaseUrl: readerUrl });
    started.push(standalone);
    return {
      chains,
      manifest: chains.manifest,
      postgres,
      indexers: { pglite, postgres: onPostgres },
      standalone,
      hosts: [
        { name: "ponder", url: pglite.url, graphql: `${pglite.url}/graphql` },
        { name: "standalone", url: standalone.url, graphql: `${standalone.url}/graphql` },
      ],
      readerUrl,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Creates the read-only role: it may read the published views, nothing else. Returns its connection URL. */
export async function createReader(adminUrl: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`
      CREATE ROLE ${READER_ROLE} LOGIN PASSWORD 'reader' NOSUPERUSER NOCREATEDB NOCREATEROLE;
      REVOKE ALL ON SCHEMA public FROM PUBLIC;
      GRANT USAGE ON SCHEMA "${VIEWS_SCHEMA}" TO ${READER_ROLE};
      GRANT SELECT ON ALL TABLES IN SCHEMA "${VIEWS_SCHEMA}" TO ${READER_ROLE};`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.username = READER_ROLE;
  url.password = "reader";
  return url.toString();
}

/** Runs `src/index.ts`, the standalone listener, as its own process, and waits until it answers. */
export async function startStandalone({
  databaseUrl,
  env = {},
}: {
  databaseUrl: string;
  env?: Record<string, string>;
}) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: API_DIR,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: VIEWS_SCHEMA,
      PORT: String(port),
      ...env,
    },
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    await done;
  };
  try {
    await waitForOk(`${url}/ready`, 60_000, () =>
      child.exitCode === null ? undefined : `The API exited (${child.exitCode}):\n${output}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, process: child, output: () => output, stop };
}

async function waitForOk(url: string, timeoutMs = 120_000, failed: () => string | undefined = () => undefined) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed();
    if (failure) throw new Error(failure);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms.`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
