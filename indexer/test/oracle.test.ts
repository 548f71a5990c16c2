import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumpOf, type IndexerProcess, rowsOf, startIndexer } from "./indexerProcess";
import { compareInferencesWithManifest, compareWithManifest } from "./oracle";
import { type Postgres, startPostgres } from "./postgres";
import { type ScenarioChains, scenarioChains } from "./scenarioChains";

const RECEIPTS = Number(process.env.ORACLE_RECEIPTS ?? 2000);

let chains: ScenarioChains;
let postgres: Postgres;
const indexers: IndexerProcess[] = [];

beforeAll(async () => {
  [chains, postgres] = await Promise.all([scenarioChains({ seed: "oracle", receipts: RECEIPTS }), startPostgres()]);
}, 180_000);
afterAll(async () => {
  await Promise.all(indexers.map((i) => i.stop("SIGKILL")));
  postgres?.stop();
  await chains?.devnet.stop();
});

async function indexed(options: Omit<Parameters<typeof startIndexer>[0], "profile">) {
  const indexer = await startIndexer({ profile: chains.profilePath, ...options, env: chains.endBlocks });
  indexers.push(indexer);
  await indexer.waitForBlocks(chains.heads);
  return indexer;
}

async function oracleOf(indexer: IndexerProcess) {
  type Rows<K extends "receipts" | "payments"> = Parameters<typeof compareWithManifest>[0][K];
  type Rows2<K extends "inferences" | "settlements"> = Parameters<typeof compareInferencesWithManifest>[0][K];
  const [receipts, payments, inferences, settlements, status] = await Promise.all([
    rowsOf<Rows<"receipts">[number]>(indexer.url, "receipt"),
    rowsOf<Rows<"payments">[number]>(indexer.url, "payment"),
    rowsOf<Rows2<"inferences">[number]>(indexer.url, "inference"),
    rowsOf<Rows2<"settlements">[number]>(indexer.url, "settlement"),
    fetch(`${indexer.url}/status`).then((r) => r.json() as Promise<Record<string, { block: { timestamp: number } }>>),
  ]);
  // Payment states are judged at chain time: the latest indexed block's time over both chains.
  const now = BigInt(Math.max(...Object.values(status).map((c) => c.block.timestamp)));
  const receiptResult = compareWithManifest({ manifest: chains.manifest, receipts, payments, now });
  const inferenceResult = compareInferencesWithManifest({ manifest: chains.manifest, inferences, settlements });
  return {
    ...receiptResult,
    inferences: inferenceResult.compared,
    settlements: inferenceResult.settlements,
    mismatches: [...receiptResult.mismatches, ...inferenceResult.mismatches],
  };
}

describe("oracle", () => {
  let multichain: IndexerProcess;

  test(`default: ${RECEIPTS} receipts on PGlite (multichain) match the manifest`, async () => {
    multichain = await indexed({ ordering: "multichain" });
    const result = await oracleOf(multichain);
    console.log(
      `[oracle] PGlite multichain: ${result.inferences} inferences, ${result.settlements} settlements, ${result.compared} receipts and ${result.payments} payments compared, ${result.mismatches.length} mismatches`,
    );
    expect(result.mismatches.slice(0, 20).join("\n")).toBe("");
    // Every state and blob status of docs/protocol.md §5 is in the scenario, so each was compared.
    expect(new Set(chains.manifest.receipts.map((r) => r.state))).toEqual(
      new Set(["verified", "unpaid", "underpaid", "invalid_proof", "duplicate", "not_settled"]),
    );
    expect(new Set(chains.manifest.inferences.map((i) => i.state))).toEqual(
      new Set(["proven", "invalid_proof", "unofficial", "not_indexed"]),
    );
    expect(new Set(chains.manifest.settlements.map((s) => s.blobStatus))).toEqual(
      new Set(["available", "pending", "mismatched", "expired", "unavailable", null]),
    );
  }, 300_000);

  test("behavior: omnichain ordering gives identical tables", async () => {
    const omnichain = await indexed({ ordering: "omnichain" });
    const [a, b] = await Promise.all([dumpOf(multichain.url), dumpOf(omnichain.url)]);
    for (const table of Object.keys(a.tables)) {
      if (a.tables[table]!.digest === b.tables[table]!.digest) continue;
      const [rowsA, rowsB] = await Promise.all([rowsOf(multichain.url, table), rowsOf(omnichain.url, table)]);
      expect(rowsB, `table ${table} differs`).toEqual(rowsA);
    }
    expect(b.digest).toBe(a.digest);
  }, 300_000);

  test("default: on PostgreSQL the tables equal PGlite's", async () => {
    const onPostgres = await indexed({ ordering: "multichain", databaseUrl: postgres.url });
    const result = await oracleOf(onPostgres);
    console.log(
      `[oracle] PostgreSQL: ${result.inferences} inferences and ${result.compared} receipts compared, ${result.mismatches.length} mismatches`,
    );
    expect(result.mismatches.slice(0, 20).join("\n")).toBe("");
    expect((await dumpOf(onPostgres.url)).digest).toBe((await dumpOf(multichain.url)).digest);
  }, 300_000);
});
