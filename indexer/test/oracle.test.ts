import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumpOf, type IndexerProcess, rowsOf, startIndexer } from "./indexerProcess";
import { compareWithManifest } from "./oracle";
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

async function indexed(options: Omit<Parameters<typeof startIndexer>[0], "deployment">) {
  const indexer = await startIndexer({ deployment: chains.deploymentPath, ...options, env: chains.endBlocks });
  indexers.push(indexer);
  await indexer.waitForBlocks(chains.heads);
  return indexer;
}

async function oracleOf(indexer: IndexerProcess) {
  const [receipts, payments, heads] = await Promise.all([
    rowsOf<Parameters<typeof compareWithManifest>[0]["receipts"][number]>(indexer.url, "receipt"),
    rowsOf<Parameters<typeof compareWithManifest>[0]["payments"][number]>(indexer.url, "payment"),
    rowsOf<{ timestamp: string }>(indexer.url, "chain_head"),
  ]);
  const now = heads.reduce((max, h) => (BigInt(h.timestamp) > max ? BigInt(h.timestamp) : max), 0n);
  return compareWithManifest({ manifest: chains.manifest, receipts, payments, now });
}

describe("oracle", () => {
  let multichain: IndexerProcess;

  test(`default: ${RECEIPTS} receipts on PGlite (multichain) match the manifest`, async () => {
    multichain = await indexed({ ordering: "multichain" });
    const result = await oracleOf(multichain);
    console.log(
      `[oracle] PGlite multichain: ${result.compared} receipts and ${result.payments} payments compared, ${result.mismatches.length} mismatches`,
    );
    expect(result.mismatches.slice(0, 20).join("\n")).toBe("");
    expect(new Set(chains.manifest.receipts.map((r) => r.state)).size).toBe(6);
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
    console.log(`[oracle] PostgreSQL: ${result.compared} receipts compared, ${result.mismatches.length} mismatches`);
    expect(result.mismatches.slice(0, 20).join("\n")).toBe("");
    expect((await dumpOf(onPostgres.url)).digest).toBe((await dumpOf(multichain.url)).digest);
  }, 300_000);
});
