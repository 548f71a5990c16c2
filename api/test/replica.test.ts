import { isDeepStrictEqual } from "node:util";
import { FACILITATOR, PAYEE } from "@settlescan/devnet/accounts";
import { rpc } from "@settlescan/devnet/rpc";
import { planScenario } from "@settlescan/devnet/scenarioPlan";
import { runScenario } from "@settlescan/devnet/scenarioRun";
import { type IndexerProcess, startIndexer } from "@settlescan/indexer/test/indexerProcess.ts";
import { type Postgres, startPostgres } from "@settlescan/indexer/test/postgres.ts";
import { type Replica, startReplica } from "@settlescan/indexer/test/postgresReplica.ts";
import { type ScenarioChains, scenarioChains } from "@settlescan/indexer/test/scenarioChains.ts";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { data } from "./client";
import { createReader, type Host, INDEXER_SCHEMA, startStandalone, VIEWS_SCHEMA } from "./environment";

// Issue #16 point 4: the indexer writes a primary, a streaming replica follows it, and an API on the replica answers
// as one on the primary does. Its own devnet, primary and replica; indexed live (no end block) so that a second
// round of traffic reaches the primary, then the replica.

type Database = {
  role: string;
  replicationLagSeconds: number | null;
  replayLagBytes: number | null;
  streaming: boolean | null;
};

let chains: ScenarioChains;
let primary: Postgres;
let replica: Replica;
let indexer: IndexerProcess;
const started: { stop: () => Promise<void> }[] = [];
let onPrimary: Host;
let onReplica: Host;

/** Polls until `check` resolves true, or fails saying what was awaited. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs one query as the superuser on the primary or the replica. */
async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Resolves once the replica has replayed everything the primary has written so far. */
async function replicaCaughtUp() {
  const [{ lsn }] = (await query<{ lsn: string }>(primary.url, "select pg_current_wal_lsn()::text as lsn")) as [
    { lsn: string },
  ];
  await until(`the replica to replay the primary's WAL up to ${lsn}`, async () => {
    const [row] = await query<{ done: boolean }>(replica.url, "select pg_last_wal_replay_lsn() >= $1::pg_lsn as done", [
      lsn,
    ]);
    return row!.done;
  });
}

const databaseOf = async (host: Host) =>
  (
    await data<{ _meta: { database: Database } }>(
      host,
      `{ _meta { database { role replicationLagSeconds replayLagBytes streaming } } }`,
    )
  )._meta.database;

/** The answers of the explorer's main queries; everything but the wall clock, so two hosts over the same data agree. */
async function answersOf(host: Host) {
  const { inferences } = await data<{ inferences: { nodes: { id: string; settlement: { txHash: string } }[] } }>(
    host,
    `{ inferences(first: 100, direction: ASC) { totalCount nodes { id state teeId inputHash outputHash timestamp
      settledAt settlementCount checks { inclusion attestation provenance uniqueness } reasons { check reason }
      settlement { txHash leafIndex proof } link { kind receiptId } } pageInfo { hasNextPage endCursor } } }`,
  );
  const first = inferences.nodes[0]!;
  const { receipts } = await data<{ receipts: { nodes: { id: string }[] } }>(
    host,
    `{ receipts(first: 100) { totalCount nodes { id state amount paidAmount payer payee paidAt settledAt latencySeconds
      payment { id txHash state } settlement { txHash leafIndex } } } }`,
  );
  const lookups = await data(
    host,
    `query($inference: ID!, $q: String!, $tx: String!, $receipt: ID!, $from: DateTime!, $to: DateTime!) {
      inference(id: $inference) { id state settlements { txHash blockNumber logIndex leafIndex official } }
      settlement(txHash: $tx) { id kind txHash blockNumber merkleRoot blobId blobStatus batchSize leafCount signer
        official inferences { id state } }
      receipt(id: $receipt) { id state amount checks { payment inclusion attestation provenance uniqueness } }
      search(query: $q) { kind key label inference { id } }
      stats(from: $from, to: $to, interval: HOUR) { start end receipts volume verifiedVolume
        byState { verified unpaid underpaid invalidProof duplicate } latencyP50 latencyP99 overdueBacklog }
      _meta { now settlementWindowSeconds chains { chainId name blockNumber timestamp lagSeconds }
        relays { address abi settlements unofficialSettlements pendingBlobs } } }`,
    {
      inference: first.id,
      q: first.id,
      tx: first.settlement.txHash,
      receipt: receipts.nodes[0]!.id,
      from: "2025-12-31T00:00:00Z",
      to: "2026-01-02T00:00:00Z",
    },
  );
  return { inferences, receipts, lookups };
}

beforeAll(async () => {
  [chains, primary] = await Promise.all([scenarioChains({ seed: "replica", receipts: 100 }), startPostgres()]);
  // The replica follows from before the indexer's first write: what it serves came by streaming, not the base backup.
  replica = await startReplica(primary);
  indexer = await startIndexer({
    profile: chains.profilePath,
    databaseUrl: primary.url,
    schema: INDEXER_SCHEMA,
    env: { DATABASE_VIEWS_SCHEMA: VIEWS_SCHEMA },
  });
  started.push(indexer);
  await indexer.waitForBlocks(chains.heads);
  // Views are published once the backfill is done, which is when /ready answers 200.
  await until("the indexer's /ready", async () => (await fetch(`${indexer.url}/ready`)).ok);
  // The role is created on the primary and reaches the replica with the rest of the WAL.
  const readerUrl = await createReader(primary.url);
  const replicaReaderUrl = Object.assign(new URL(readerUrl), { port: String(replica.port) }).toString();
  await replicaCaughtUp();
  const servers = await Promise.all([
    startStandalone({ databaseUrl: readerUrl }),
    startStandalone({ databaseUrl: replicaReaderUrl }),
  ]);
  started.push(...servers);
  const [a, b] = servers.map((s) => ({ name: "standalone" as const, url: s.url, graphql: `${s.url}/graphql` }));
  onPrimary = a!;
  onReplica = b!;
}, 300_000);

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop().catch(() => {})));
  replica?.stop();
  primary?.stop();
  await chains?.devnet.stop();
});

describe("replica", () => {
  test("default: the API on the replica answers the explorer's queries as the one on the primary does", async () => {
    const [fromPrimary, fromReplica] = await Promise.all([answersOf(onPrimary), answersOf(onReplica)]);
    expect(fromPrimary.inferences.nodes.length).toBeGreaterThan(50);
    expect(fromPrimary.receipts.nodes.length).toBeGreaterThan(50);
    expect(fromReplica).toEqual(fromPrimary);
  });

  test("default: _meta.database says primary or replica, with the replica's lag", async () => {
    expect(await databaseOf(onPrimary)).toEqual({
      role: "PRIMARY",
      replicationLagSeconds: null,
      replayLagBytes: null,
      streaming: null,
    });
    const onStandby = await databaseOf(onReplica);
    expect(onStandby).toMatchObject({ role: "REPLICA", streaming: true });
    expect(onStandby.replicationLagSeconds).toBeGreaterThanOrEqual(0);
    expect(onStandby.replayLagBytes).toBeGreaterThanOrEqual(0);
  });

  test("behavior: a caught-up replica of an idle primary is 0 s behind, not the age of its last replayed write", async () => {
    // Ponder writes a heartbeat every 10 s; between two, the last replayed transaction ages while nothing is pending.
    let seen: { age: number; database: Database } | undefined;
    await until(
      "a moment when the last replayed transaction is over 1 s old",
      async () => {
        const database = await databaseOf(onReplica);
        const [{ age }] = (await query<{ age: number }>(
          replica.url,
          "select extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as age",
        )) as [{ age: number }];
        seen = { age, database };
        return age > 1 && database.replayLagBytes === 0;
      },
      30_000,
    );
    expect(seen!.database).toEqual({ role: "REPLICA", replicationLagSeconds: 0, replayLagBytes: 0, streaming: true });
  });

  test("behavior: the replica refuses writes, even the superuser's", async () => {
    await expect(
      query(replica.url, "create table written_on_replica (x int)"),
    ).rejects.toThrowErrorMatchingInlineSnapshot(`[error: cannot execute CREATE TABLE in a read-only transaction]`);
  });

  test("behavior: after more blocks are indexed on the primary, the API on the replica catches up", async () => {
    const before = await answersOf(onReplica);
    const og = chains.devnet.deployment.chains.og.rpcUrl;
    const base = chains.devnet.deployment.chains.base.rpcUrl;
    const latest = async (url: string) =>
      rpc<{ number: string; timestamp: string }>(url, "eth_getBlockByNumber", ["latest", false]);
    const startTime = Math.max(Number((await latest(og)).timestamp), Number((await latest(base)).timestamp)) + 120;
    const plan = planScenario({
      seed: "replica-more",
      receipts: 20,
      startTime,
      payees: [PAYEE.address],
      facilitators: [FACILITATOR.address],
      batchSize: 10,
      spanSeconds: 600,
    });
    await runScenario({ deployment: chains.devnet.deployment, plan });
    const heads = { base: Number((await latest(base)).number), og: Number((await latest(og)).number) };
    await indexer.waitForBlocks(heads);

    // The primary's answers settle once the indexer is done with the new blocks; the replica's follow them.
    type Answers = Awaited<ReturnType<typeof answersOf>>;
    let answers: [Answers, Answers] | undefined;
    const deadline = Date.now() + 120_000;
    do {
      if (answers) await new Promise((r) => setTimeout(r, 250));
      answers = [await answersOf(onPrimary), await answersOf(onReplica)];
    } while (!isDeepStrictEqual(answers[0], answers[1]) && Date.now() < deadline);
    const [fromPrimary, fromReplica] = answers;
    expect(fromReplica).toEqual(fromPrimary);
    expect(fromReplica.receipts).not.toEqual(before.receipts);
    expect(fromReplica.lookups).toMatchObject({
      _meta: { chains: expect.arrayContaining([expect.objectContaining({ blockNumber: heads.base })]) },
    });
  }, 180_000);
});

describe("mounted host", () => {
  test("default: the API inside the indexer on PGlite reports EMBEDDED; the standalone one on PostgreSQL, PRIMARY", async () => {
    const { hosts } = inject("api");
    const roles = await Promise.all(hosts.map(async (h) => [h.name, await databaseOf(h)] as const));
    expect(Object.fromEntries(roles)).toEqual({
      ponder: { role: "EMBEDDED", replicationLagSeconds: null, replayLagBytes: null, streaming: null },
      standalone: { role: "PRIMARY", replicationLagSeconds: null, replayLagBytes: null, streaming: null },
    });
  });
});
