import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FACILITATOR, FACILITATOR_2, PAYEE } from "@settlescan/devnet/accounts";
import { type Devnet, startDevnet } from "@settlescan/devnet/devnet";
import { devnetProfileOf, writeProfile } from "@settlescan/devnet/profile";
import { rpc } from "@settlescan/devnet/rpc";
import { planScenario, SCENARIO_START_TIME, type ScenarioOptions } from "@settlescan/devnet/scenarioPlan";
import { runScenario } from "@settlescan/devnet/scenarioRun";
import { type Hex, numberToHex } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumpOf, type IndexerProcess, rowsOf, startIndexer } from "./indexerProcess";

// Reorgs on both chains while the indexer follows them live: settlements vanish and come back changed, payments
// vanish and reappear in other blocks. Afterwards the tables must equal a fresh index of the final chains.
let devnet: Devnet;
let profilePath: string;
const indexers: IndexerProcess[] = [];

const plan = (seed: string, startTime: number, receipts = 120) =>
  planScenario({
    seed,
    receipts,
    startTime,
    payees: [PAYEE.address],
    facilitators: [FACILITATOR.address, FACILITATOR_2.address],
    batchSize: 20,
    // Released blobs are judged on a later event when followed live (see faults/liveChains.ts): not under test here.
    plainMix: { released: 0 },
  } satisfies ScenarioOptions);
const headOf = async (rpcUrl: string) => Number(await rpc<Hex>(rpcUrl, "eth_blockNumber"));
const heads = async () => ({
  base: await headOf(devnet.deployment.chains.base.rpcUrl),
  og: await headOf(devnet.deployment.chains.og.rpcUrl),
});

beforeAll(async () => {
  devnet = await startDevnet({ ports: "free", timestamp: BigInt(SCENARIO_START_TIME - 3600) });
  profilePath = join(mkdtempSync(join(tmpdir(), "settlescan-reorg-")), "profile.json");
  writeProfile(devnetProfileOf(devnet.deployment), profilePath);
}, 60_000);
afterAll(async () => {
  await Promise.all(indexers.map((i) => i.stop("SIGKILL")));
  await devnet?.stop();
});

test("behavior: reorgs on either chain leave the tables equal to a fresh index of the final chains", async () => {
  const { base, og } = devnet.deployment.chains;
  const a = plan("reorg-a", SCENARIO_START_TIME);
  await runScenario({ deployment: devnet.deployment, plan: a });
  const snapshots = {
    base: await rpc<Hex>(base.rpcUrl, "evm_snapshot"),
    og: await rpc<Hex>(og.rpcUrl, "evm_snapshot"),
  };
  const b = plan("reorg-b", a.endTime + 60);
  await runScenario({ deployment: devnet.deployment, plan: b });

  const live = await startIndexer({ profile: profilePath });
  indexers.push(live);
  await live.waitForBlocks(await heads());
  const beforeReorg = await dumpOf(live.url);

  // og: B's settlements disappear; the same payments are settled again, later and as other inferences.
  const ogHeight = await headOf(og.rpcUrl);
  expect(await rpc(og.rpcUrl, "evm_revert", [snapshots.og])).toBe(true);
  await runScenario({
    deployment: devnet.deployment,
    plan: plan("reorg-b", a.endTime + 180),
    sides: { base: false, og: true },
  });
  await rpc(og.rpcUrl, "anvil_mine", [numberToHex(Math.max(1, ogHeight - (await headOf(og.rpcUrl)) + 2)), "0x1"]);
  await live.waitForBlocks(await heads());
  const afterOgReorg = await dumpOf(live.url);
  expect(afterOgReorg.tables.settlement!.digest).not.toBe(beforeReorg.tables.settlement!.digest);

  // base: B's payments disappear, then reappear in other blocks at other times, with C's new payments beside them.
  const baseHeight = await headOf(base.rpcUrl);
  expect(await rpc(base.rpcUrl, "evm_revert", [snapshots.base])).toBe(true);
  await runScenario({
    deployment: devnet.deployment,
    plan: plan("reorg-b", a.endTime + 240),
    sides: { base: true, og: false },
  });
  await runScenario({ deployment: devnet.deployment, plan: plan("reorg-c", a.endTime + 2400, 60) });
  await rpc(base.rpcUrl, "anvil_mine", [numberToHex(Math.max(1, baseHeight - (await headOf(base.rpcUrl)) + 2)), "0x1"]);
  const final = await heads();
  await live.waitForBlocks(final);
  const afterBaseReorg = await dumpOf(live.url);
  expect(afterBaseReorg.tables.payment!.digest).not.toBe(afterOgReorg.tables.payment!.digest);

  const fresh = await startIndexer({ profile: profilePath });
  indexers.push(fresh);
  await fresh.waitForBlocks(final);
  const expected = await dumpOf(fresh.url);
  for (const table of Object.keys(expected.tables)) {
    if (afterBaseReorg.tables[table]!.digest === expected.tables[table]!.digest) continue;
    expect(await rowsOf(live.url, table), `table ${table} after the reorgs`).toEqual(await rowsOf(fresh.url, table));
  }
  expect(afterBaseReorg.digest).toBe(expected.digest);
  console.log(
    `[reorg] ${expected.tables.receipt!.rows} receipts, ${expected.tables.payment!.rows} payments: live index after two reorgs equals a fresh index`,
  );
}, 300_000);
