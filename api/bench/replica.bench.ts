// Read replicas (issue #16 point 4). A seeded scenario is indexed on a PostgreSQL primary while a streaming replica
// follows it and the API on the replica is polled for `_meta { database }`; the primary's own view of the same lag
// (pg_stat_replication: WAL not yet replayed, including WAL not yet sent) is sampled beside it. Then: how long the
// replica takes to replay the primary's last write once the indexer is done, and receipt and inference lookups by id
// loaded with autocannon on the API over the primary and the API over the replica, one after the other.
// `RECEIPTS=10000` sizes the scenario (default 10000), `DURATION=10` is seconds per load step, `CONNECTIONS=50` the
// keep-alive connections, `SAMPLE_MS=200` the polling period during indexing, `SEED=replica-bench`.
// Everything (devnet, indexer, both PostgreSQL servers, both APIs, the load generator) shares one machine: with two
// cores, figures are comparable with each other, not with a deployment.
import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "@settlescan/devnet/chains";
import { startIndexer } from "@settlescan/indexer/test/indexerProcess.ts";
import { type Postgres, startPostgres } from "@settlescan/indexer/test/postgres.ts";
import { type Replica, startReplica } from "@settlescan/indexer/test/postgresReplica.ts";
import { type ScenarioChains, scenarioChains } from "@settlescan/indexer/test/scenarioChains.ts";
import autocannon from "autocannon";
import pg from "pg";
import { INDEXER_SCHEMA, READER_ROLE, startStandalone, VIEWS_SCHEMA } from "../test/environment";

const RECEIPTS = Number(process.env.RECEIPTS ?? 10_000);
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SAMPLE_MS = Number(process.env.SAMPLE_MS ?? 200);
const SEED = process.env.SEED ?? "replica-bench";
const INDEX_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 3_600_000);
const WARMUP_SECONDS = 2;
const API_DIR = new URL("..", import.meta.url).pathname;

const RECEIPT = `query R($id: ID!) { receipt(id: $id) { id state amount payment { txHash } settlement { txHash } } }`;
const INFERENCE = `query I($id: ID!) { inference(id: $id) { id state teeId settledAt settlement { txHash leafIndex } } }`;
const DATABASE = `{ _meta { database { role replicationLagSeconds replayLagBytes streaming } } }`;

type Sample = {
  /** What the API on the replica said. */
  apiSeconds: number | null;
  apiBytes: number | null;
  /** What the primary says of the same replica: WAL written and not yet replayed there, and PostgreSQL's replay_lag. */
  primaryBytes: number;
  primarySeconds: number | null;
};

const log = (message: string) => console.log(`[replica bench] ${new Date().toISOString().slice(11, 19)} ${message}`);

let chains: ScenarioChains | undefined;
let primary: Postgres | undefined;
let replica: Replica | undefined;
const stoppers: (() => Promise<void>)[] = [];

async function cleanUp() {
  await Promise.all(stoppers.splice(0).map((stop) => stop().catch(() => {})));
  replica?.stop();
  primary?.stop();
  await chains?.devnet.stop();
  replica = primary = chains = undefined;
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });

async function post<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors?.length)
    throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body).slice(0, 2000)}`);
  return body.data as T;
}

/**
 * The standalone API as `startStandalone` runs it, but awaited on /health rather than /ready: it starts before the
 * indexer has published any view, and `_meta { database }` reads none.
 */
async function startEarlyApi(databaseUrl: string) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: API_DIR,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: VIEWS_SCHEMA,
      RATE_LIMIT_PER_MINUTE: "0",
      PORT: String(port),
    },
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(-child.pid!, "SIGTERM");
    await done;
  };
  stoppers.push(stop);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`The API exited (${child.exitCode}):\n${output}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, graphql: `${url}/graphql` };
    if (i > 600) throw new Error(`The API on ${url} did not answer /health in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

const percentile = (values: number[], q: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** One autocannon step of lookups by random id. */
async function load(url: string, query: string, ids: string[], duration: number) {
  let failed = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ query, variables: { id: ids[(Math.random() * ids.length) | 0] } }),
        }),
        onResponse: (status, body) => {
          // A GraphQL error is a 200 too, and so is an id not found: both count as failures.
          if (status !== 200 || body.includes('"errors"') || /^\{"data":\{"\w+":null/.test(body)) failed++;
        },
      },
    ],
  });
  return {
    rps: result.requests.total / duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: failed + result.errors + result.timeouts,
  };
}

async function main() {
  let started = performance.now();
  log(`playing a ${RECEIPTS}-receipt scenario (seed "${SEED}"), starting a primary and its replica`);
  [chains, primary] = await Promise.all([scenarioChains({ seed: SEED, receipts: RECEIPTS }), startPostgres()]);
  replica = await startReplica(primary);
  const admin = await connect(primary.url);
  stoppers.push(() => admin.end());
  // The role exists before any view: the API on the replica logs in with it from the start.
  await admin.query(`CREATE ROLE ${READER_ROLE} LOGIN PASSWORD 'reader' NOSUPERUSER NOCREATEDB NOCREATEROLE;
    REVOKE ALL ON SCHEMA public FROM PUBLIC;`);
  const readerOf = (port: number) =>
    Object.assign(new URL(primary!.url), { username: READER_ROLE, password: "reader", port: String(port) }).toString();
  const replicaApi = await startEarlyApi(readerOf(replica.port));
  log(`scenario played and servers up in ${((performance.now() - started) / 1000).toFixed(0)} s; indexing`);

  const walStart = (await admin.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn")).rows[0]!.lsn;
  started = performance.now();
  const indexer = await startIndexer({
    profile: chains.profilePath,
    databaseUrl: primary.url,
    schema: INDEXER_SCHEMA,
    env: { ...chains.endBlocks, DATABASE_VIEWS_SCHEMA: VIEWS_SCHEMA },
  });
  stoppers.push(() => indexer.stop());

  const samples: Sample[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const next = performance.now() + SAMPLE_MS;
      const [api, stat] = await Promise.all([
        post<{ _meta: { database: { replicationLagSeconds: number | null; replayLagBytes: number | null } } }>(
          replicaApi.graphql,
          DATABASE,
        ),
        admin.query<{ bytes: number; seconds: number | null }>(
          `select pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 as bytes,
            extract(epoch from replay_lag)::float8 as seconds from pg_stat_replication`,
        ),
      ]);
      const row = stat.rows[0];
      if (!row) throw new Error("The primary lists no replica in pg_stat_replication: the replica stopped streaming.");
      samples.push({
        apiSeconds: api._meta.database.replicationLagSeconds,
        apiBytes: api._meta.database.replayLagBytes,
        primaryBytes: row.bytes,
        primarySeconds: row.seconds,
      });
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
  })();

  await indexer.waitForBlocks(chains.heads, INDEX_TIMEOUT_MS);
  for (
    let i = 0;
    !(await fetch(`${indexer.url}/ready`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    if (i * 100 > INDEX_TIMEOUT_MS) throw new Error(`The indexer was not ready:\n${indexer.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const indexedSeconds = (performance.now() - started) / 1000;
  // The indexer's last write is behind this position; the replica has caught up once it has replayed it.
  const doneAt = performance.now();
  const walEnd = (await admin.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn")).rows[0]!.lsn;
  const onReplica = await connect(replica.url);
  stoppers.push(() => onReplica.end());
  for (;;) {
    const { rows } = await onReplica.query<{ done: boolean }>("select pg_last_wal_replay_lsn() >= $1::pg_lsn as done", [
      walEnd,
    ]);
    if (rows[0]!.done) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const catchUpMs = performance.now() - doneAt;
  sampling = false;
  await sampler;
  const walBytes = Number(
    (await admin.query<{ bytes: string }>("select pg_wal_lsn_diff($1, $2)::bigint as bytes", [walEnd, walStart]))
      .rows[0]!.bytes,
  );
  log(
    `indexed in ${indexedSeconds.toFixed(0)} s (${mb(walBytes)} of WAL); replica caught up ${catchUpMs.toFixed(0)} ms after`,
  );

  // Reads: the published views, as in test/environment.ts createReader, then vacuumed as autovacuum soon would.
  await admin.query(`GRANT USAGE ON SCHEMA "${VIEWS_SCHEMA}" TO ${READER_ROLE};
    GRANT SELECT ON ALL TABLES IN SCHEMA "${VIEWS_SCHEMA}" TO ${READER_ROLE};`);
  const { rows: tables } = await admin.query<{ name: string }>(
    "select quote_ident(schemaname) || '.' || quote_ident(tablename) as name from pg_tables where schemaname = $1",
    [INDEXER_SCHEMA],
  );
  for (const { name } of tables) await admin.query(`VACUUM (ANALYZE) ${name}`);
  const primaryApi = await startStandalone({
    databaseUrl: readerOf(primary.port),
    env: { RATE_LIMIT_PER_MINUTE: "0" },
  });
  stoppers.push(() => primaryApi.stop());
  const lsn = (await admin.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn")).rows[0]!.lsn;
  for (;;) {
    const { rows } = await onReplica.query<{ done: boolean }>("select pg_last_wal_replay_lsn() >= $1::pg_lsn as done", [
      lsn,
    ]);
    if (rows[0]!.done) break;
    await new Promise((r) => setTimeout(r, 10));
  }

  const receiptIds = [
    ...new Set(chains.manifest.receipts.filter((r) => r.settlement !== "none").map((r) => r.receiptId)),
  ];
  const inferenceIds = chains.manifest.inferences.filter((i) => i.state !== "not_indexed").map((i) => i.inferenceId);
  const hosts = [
    { name: "primary", graphql: `${primaryApi.url}/graphql` },
    { name: "replica", graphql: replicaApi.graphql },
  ];
  // Both APIs answer the same, and say which database they read.
  for (const id of receiptIds.slice(0, 20)) {
    const [a, b] = await Promise.all(hosts.map((h) => post(h.graphql, RECEIPT, { id })));
    if (JSON.stringify(a) !== JSON.stringify(b))
      throw new Error(`receipt ${id}: the primary answered ${JSON.stringify(a)}, the replica ${JSON.stringify(b)}`);
  }
  const roles = await Promise.all(hosts.map((h) => post(h.graphql, DATABASE)));
  log(`_meta.database: ${hosts.map((h, i) => `${h.name} ${JSON.stringify(roles[i])}`).join("; ")}`);

  const loads: { host: string; lookup: string; rps: number; p50: number; p99: number; failed: number }[] = [];
  for (const [lookup, query, ids] of [
    ["receipt(id)", RECEIPT, receiptIds],
    ["inference(id)", INFERENCE, inferenceIds],
  ] as const)
    for (const host of hosts) {
      log(`${host.name} ${lookup}: ${WARMUP_SECONDS} s warm-up, ${DURATION} s × ${CONNECTIONS} connections`);
      await load(host.graphql, query, ids, WARMUP_SECONDS);
      loads.push({ host: host.name, lookup, ...(await load(host.graphql, query, ids, DURATION)) });
    }

  const values = (pick: (s: Sample) => number | null) =>
    samples.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
  const summary = (name: string, unit: (v: number) => string, list: number[]) =>
    `| ${name} | ${list.length} | ${unit(percentile(list, 0.5))} | ${unit(percentile(list, 0.99))} | ${unit(Math.max(...list))} |`;
  const seconds = (v: number) => `${v.toFixed(3)} s`;
  const bytes = (v: number) => `${(v / 1024).toFixed(0)} KiB`;
  console.log(
    `\nReplication while indexing ${RECEIPTS} receipts (${indexedSeconds.toFixed(0)} s, ${mb(walBytes)} of WAL, ` +
      `${mb(walBytes / indexedSeconds)}/s), sampled every ${SAMPLE_MS} ms:\n`,
  );
  console.log("| measure | samples | p50 | p99 | max |");
  console.log("|---|---:|---:|---:|---:|");
  console.log(
    summary(
      "_meta.database.replicationLagSeconds (API on the replica)",
      seconds,
      values((s) => s.apiSeconds),
    ),
  );
  console.log(
    summary(
      "_meta.database.replayLagBytes (API on the replica)",
      bytes,
      values((s) => s.apiBytes),
    ),
  );
  console.log(
    summary(
      "primary: WAL written, not replayed (pg_stat_replication)",
      bytes,
      values((s) => s.primaryBytes),
    ),
  );
  console.log(
    summary(
      "primary: replay_lag (pg_stat_replication)",
      seconds,
      values((s) => s.primarySeconds),
    ),
  );
  console.log(
    `\nCatch-up: the replica replayed the primary's last write ${catchUpMs.toFixed(0)} ms after the indexer was ready.\n`,
  );
  console.log(`| lookup | API on | req/s | p50 ms | p99 ms | failed |`);
  console.log("|---|---|---:|---:|---:|---:|");
  for (const l of loads)
    console.log(`| ${l.lookup} | ${l.host} | ${l.rps.toFixed(0)} | ${l.p50} | ${l.p99} | ${l.failed} |`);
  console.log(`\n${CONNECTIONS} keep-alive connections, ${DURATION} s per step, one API process each, same machine.`);
}

try {
  await main();
} finally {
  await cleanUp();
}
