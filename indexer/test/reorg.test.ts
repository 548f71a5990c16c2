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
// (USDC, and OPG upto sessions over Permit2) vanish and reappear in other blocks, so session links (docs/protocol.md
// §4) move to another payment or to none, and back. Afterwards the tables must equal a fresh index of the final chains.
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
    // OPG sessions, and individual settlements naming their few payers: session links, ties within a block included.
    sessions: Math.ceil(receipts / 4),
    payers: 12,
    individualShare: 0.5,
    // Released blobs are judged on a later event when followed live (see faults/liveChains.ts): not under test here.
    plainMix: { released: 0 },
  } satisfies ScenarioOptions);
const headOf = async (rpcUrl: string) => Number(await rpc<Hex>(rpcUrl, "eth_blockNumber"));
/**
 * Each inference whose payer is known (made after `after`, chain time), with its session payment (null: none): what
 * session links say.
 */
const sessionLinksOf = async (indexer: IndexerProcess, after = 0) => {
  const rows = await rowsOf<{ id: string; payer: string | null; timestamp: string; sessionPaymentId: string | null }>(
    indexer.url,
    "inference",
  );
  return new Map(
    rows.filter((r) => r.payer !== null && Number(r.timestamp) > after).map((r) => [r.id, r.sessionPaymentId]),
  );
};
type SessionLinks = Awaited<ReturnType<typeof sessionLinksOf>>;
const linkedCount = (links: SessionLinks) => [...links.values()].filter((p) => p !== null).length;
/** The payments linked, with multiplicity, in order. */
const paymentsOf = (links: SessionLinks) => [...links.values()].map((p) => p ?? "none").sort();
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
  const snapshotHeights = await heads();
  const b = plan("reorg-b", a.endTime + 60);
  await runScenario({ deployment: devnet.deployment, plan: b });

  const live = await startIndexer({ profile: profilePath });
  indexers.push(live);
  await live.waitForBlocks(await heads());
  const beforeReorg = await dumpOf(live.url);
  const linksBefore = await sessionLinksOf(live);

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
  // B's inferences are now 2 minutes later: past their round's payments, they link the next round's, or none.
  const linksAfterOg = await sessionLinksOf(live);
  expect(linkedCount(linksBefore)).toBeGreaterThan(10);
  expect(paymentsOf(linksAfterOg)).not.toEqual(paymentsOf(linksBefore));
  expect(linkedCount(linksAfterOg)).toBeLessThan(linksAfterOg.size);
  expect(linksAfterOg.size - linkedCount(linksAfterOg)).toBeGreaterThan(linksBefore.size - linkedCount(linksBefore));

  // base: B's payments disappear (empty blocks replace theirs): every session link of B's inferences goes to none.
  const baseHeight = await headOf(base.rpcUrl);
  expect(await rpc(base.rpcUrl, "evm_revert", [snapshots.base])).toBe(true);
  const withoutB = await rpc<Hex>(base.rpcUrl, "evm_snapshot");
  for (let k = 0; k <= baseHeight - snapshotHeights.base + 1; k++)
    await rpc(base.rpcUrl, "evm_mine", [{ timestamp: a.endTime + 1 + k, blocks: 1 }]);
  await live.waitForBlocks(await heads());
  const afterVanish = await dumpOf(live.url);
  expect(afterVanish.tables.payment!.rows).toBeLessThan(afterOgReorg.tables.payment!.rows);
  const linksAfterVanish = await sessionLinksOf(live);
  expect([...linksAfterVanish.keys()].sort()).toEqual([...linksAfterOg.keys()].sort());
  const ofB = await sessionLinksOf(live, a.endTime);
  expect(ofB.size).toBeGreaterThan(10);
  expect(linkedCount(ofB)).toBe(0);
  // A's inferences keep their links to A's payments, which the reorg left alone.
  const ofA = (links: SessionLinks) => [...links].filter(([id]) => !ofB.has(id));
  expect(ofA(linksAfterVanish)).toEqual(ofA(linksAfterOg));
  expect(linkedCount(new Map(ofA(linksAfterVanish)))).toBeGreaterThan(10);

  // base again: B's payments reappear in other blocks at other times, with C's new payments beside them.
  const emptyHeight = await headOf(base.rpcUrl);
  expect(await rpc(base.rpcUrl, "evm_revert", [withoutB])).toBe(true);
  await runScenario({
    deployment: devnet.deployment,
    plan: plan("reorg-b", a.endTime + 240),
    sides: { base: true, og: false },
  });
  await runScenario({ deployment: devnet.deployment, plan: plan("reorg-c", a.endTime + 2400, 60) });
  await rpc(base.rpcUrl, "anvil_mine", [
    numberToHex(Math.max(1, emptyHeight - (await headOf(base.rpcUrl)) + 2)),
    "0x1",
  ]);
  const final = await heads();
  await live.waitForBlocks(final);
  const afterBaseReorg = await dumpOf(live.url);
  expect(afterBaseReorg.tables.payment!.digest).not.toBe(afterOgReorg.tables.payment!.digest);
  // B's inferences as the og reorg left them: links move to another payment (their own round's, now after them),
  // and come back from none.
  const linksAfterBase = await sessionLinksOf(live);
  const kept = [...linksAfterOg].filter(([id]) => linksAfterBase.has(id));
  expect(kept).toHaveLength(linksAfterOg.size);
  const moved = kept.filter(([id, p]) => p !== null && linksAfterBase.get(id) !== null && linksAfterBase.get(id) !== p);
  const back = kept.filter(([id, p]) => p === null && linksAfterBase.get(id) !== null);
  expect(moved.length).toBeGreaterThan(0);
  expect(back.length).toBeGreaterThan(0);

  const fresh = await startIndexer({ profile: profilePath });
  indexers.push(fresh);
  await fresh.waitForBlocks(final);
  const expected = await dumpOf(fresh.url);
  for (const table of Object.keys(expected.tables)) {
    if (afterBaseReorg.tables[table]!.digest === expected.tables[table]!.digest) continue;
    expect(await rowsOf(live.url, table), `table ${table} after the reorgs`).toEqual(await rowsOf(fresh.url, table));
  }
  expect(afterBaseReorg.digest).toBe(expected.digest);
  const stages = [linksBefore, linksAfterOg, linksAfterVanish, linksAfterBase].map(
    (l) => `${linkedCount(l)}/${l.size}`,
  );
  console.log(
    `[reorg] ${expected.tables.receipt!.rows} receipts, ${expected.tables.payment!.rows} payments, session links (of inferences with a payer) ${stages.join(" → ")}, across the base reorgs ${moved.length} moved and ${back.length} back from none: live index after three reorgs equals a fresh index`,
  );
}, 300_000);
