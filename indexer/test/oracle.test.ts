import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumpOf, type IndexerProcess, rowsOf, startIndexer } from "./indexerProcess";
import { compareInferencesWithManifest, compareWithManifest } from "./oracle";
import { type Postgres, startPostgres } from "./postgres";
import { type ScenarioChains, scenarioChains } from "./scenarioChains";

const RECEIPTS = Number(process.env.ORACLE_RECEIPTS ?? 2000);
/** OPG upto sessions paid by the payers individual settlements name: session links (docs/protocol.md §4). */
const SESSIONS = Math.ceil(RECEIPTS / 10);

let chains: ScenarioChains;
let postgres: Postgres;
const indexers: IndexerProcess[] = [];

beforeAll(async () => {
  [chains, postgres] = await Promise.all([
    scenarioChains({
      seed: "oracle",
      receipts: RECEIPTS,
      sessions: SESSIONS,
    }),
    startPostgres(),
  ]);
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
  const inferenceResult = compareInferencesWithManifest({
    manifest: chains.manifest,
    inferences,
    settlements,
    payments,
  });
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
      `[oracle] PGlite multichain: ${result.inferences} inferences (${chains.manifest.inferences.filter((i) => i.link.kind === "session").length} session links), ${result.settlements} settlements, ${result.compared} receipts and ${result.payments} payments compared, ${result.mismatches.length} mismatches`,
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
    // Links of every kind were compared, and some payments are proven by session links alone.
    expect(new Set(chains.manifest.inferences.map((i) => i.link.kind))).toEqual(new Set(["exact", "session", "none"]));
    expect(chains.manifest.payments.some((p) => p.linkedState === "proven" && p.state !== "proven")).toBe(true);
    // Both facilitators pay within one block for one payer: the session rule's tie-break is the mined order (the node
    // orders two senders' transactions by fee), which the manifest read back from the receipts.
    const facilitatorsOf = new Map<string, Set<string>>();
    for (const p of chains.manifest.payments) {
      const key = `${p.payer} ${p.paidAt}`;
      facilitatorsOf.set(key, (facilitatorsOf.get(key) ?? new Set()).add(p.facilitator));
    }
    expect([...facilitatorsOf.values()].filter((f) => f.size > 1).length).toBeGreaterThan(10);
  }, 300_000);

  test("behavior: the API lists each session link's payment first among the payer's candidates, and under the payment", async () => {
    const linked = chains.manifest.inferences.filter((i) => i.link.kind === "session").slice(0, 25);
    expect(linked.length).toBeGreaterThan(0);
    const ask = async <T>(query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${multichain.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data: T; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    for (const expected of linked) {
      const { inference } = await ask<{
        inference: { link: { kind: string; payer: string; payment: { id: string; payer: string } } };
      }>(`query ($id: ID!) { inference(id: $id) { link { kind payer payment { id payer } } } }`, {
        id: expected.inferenceId,
      });
      expect(inference.link.kind).toBe("session");
      expect(inference.link.payment.id).toBe(expected.link.paymentId!.toLowerCase());
      expect(inference.link.payer).toBe(inference.link.payment.payer.toLowerCase());
      const { inference: withCandidates, payment } = await ask<{
        inference: { sessionCandidates: { id: string }[] };
        payment: {
          state: string;
          sessionInferenceCount: number;
          inferences: { kind: string; inference: { id: string } }[];
        };
      }>(
        `query ($id: ID!, $payer: String!, $payment: ID!) {
          inference(id: $id) { sessionCandidates(payer: $payer) { id } }
          payment(id: $payment) { state sessionInferenceCount inferences { kind inference { id } } }
        }`,
        { id: expected.inferenceId, payer: inference.link.payer, payment: inference.link.payment.id },
      );
      expect(withCandidates.sessionCandidates[0]?.id).toBe(inference.link.payment.id);
      expect(payment.inferences).toContainEqual({
        kind: "session",
        inference: { id: expected.inferenceId.toLowerCase() },
      });
      expect(payment.inferences.filter((i) => i.kind === "session")).toHaveLength(payment.sessionInferenceCount);
    }
    // A payer that paid nothing has no candidates.
    const { inference } = await ask<{ inference: { sessionCandidates: unknown[] } }>(
      `query ($id: ID!) { inference(id: $id) { sessionCandidates(payer: "0x00000000000000000000000000000000000000a1") { id } } }`,
      { id: linked[0]!.inferenceId },
    );
    expect(inference.sessionCandidates).toEqual([]);
  }, 60_000);

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
