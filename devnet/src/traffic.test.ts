import {
  blobIdOfEventBytes,
  inferenceIdOfSettledLeaf,
  parseTreeDump,
  settlementRelayV1Abi,
  settlementRelayV3Abi,
  teeRegistryAbi,
  x402UptoPermit2ProxyAbi,
} from "@settlescan/abis";
import { getAddress, type Hex, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXACT_FACILITATOR, FACILITATOR, UNOFFICIAL_POSTER } from "./accounts";
import { devnetClientOf } from "./deploy";
import { type Devnet, startDevnet } from "./devnet";
import { prngOf } from "./prng";
import { startTraffic, TRAFFIC_KINDS, type TrafficStats } from "./traffic";
import { blobOf } from "./x402/testDevnet";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ ports: "free" });
}, 60_000);
afterAll(() => devnet?.stop());

/** Every event of `abi` logged at `address` on "og", with the sender of its transaction. */
async function eventsAt(
  address: Hex,
  abi: typeof settlementRelayV3Abi | typeof settlementRelayV1Abi | typeof teeRegistryAbi,
) {
  const og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og });
  const logs = parseEventLogs({ abi, logs: await og.getLogs({ address, fromBlock: 0n }) });
  return Promise.all(
    logs.map(async (log) => ({
      ...log,
      from: getAddress((await og.getTransaction({ hash: log.transactionHash })).from),
    })),
  );
}

describe("startTraffic", () => {
  test("default: produces every kind through the real stack, then stops cleanly", async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const traffic = await startTraffic({
      deployment: devnet.deployment,
      rates: Object.fromEntries(TRAFFIC_KINDS.map((k) => [k, 1])),
      requestsPerSecond: 40,
      concurrency: 8,
      batch: { size: 4, idleMs: 300, maxAgeMs: 1_000 },
      releaseAfterMs: 500,
      progressIntervalMs: 500,
      signal: controller.signal,
      log: (line) => lines.push(line),
      random: prngOf("traffic test").float,
    });
    await expect
      .poll(() => TRAFFIC_KINDS.every((kind) => traffic.stats().counts[kind] >= 2), { timeout: 60_000, interval: 200 })
      .toBe(true);
    controller.abort();
    const stats: TrafficStats = await traffic.done;

    expect(stats.errors, lines.join("\n")).toBe(0);
    expect(stats.batches).toBeGreaterThan(0);
    expect(stats.individual).toBeGreaterThan(0);
    expect(lines.some((l) => /^traffic: \d+\.\d inferences\/s · session_batch \d+/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^traffic: .* \(stopped\)$/);
    // The servers are closed once traffic is done.
    await expect(fetch(`${traffic.gatewayUrl}/v1/chat/completions`, { method: "POST" })).rejects.toThrow();

    // OPG over Permit2: sessions settled once each (the cancelled ones failed), exact and sponsored paths on "base".
    expect(stats.sessions.settled).toBeGreaterThan(0);
    expect(stats.sessions.failed).toBeGreaterThanOrEqual(stats.counts.cancelled_nonce);
    expect(traffic.sessions.filter((s) => s.status === "settled").every((s) => s.settlement?.success)).toBe(true);
    const base = devnetClientOf({ name: "base", ...devnet.deployment.chains.base });
    const { uptoProxy, exactProxy } = devnet.deployment.contracts;
    const proxyEvents = async (address: Hex) =>
      parseEventLogs({ abi: x402UptoPermit2ProxyAbi, logs: await base.getLogs({ address, fromBlock: 0n }) }).map(
        (log) => log.eventName,
      );
    expect(new Set(await proxyEvents(uptoProxy.address))).toEqual(new Set(["Settled", "SettledWithPermit"]));
    expect(new Set(await proxyEvents(exactProxy.address))).toEqual(new Set(["Settled"]));
    expect((await proxyEvents(uptoProxy.address)).length).toBe(stats.sessions.settled);

    const { relay, legacyRelay, teeRegistry } = devnet.deployment.contracts;
    const v3 = await eventsAt(relay.address, settlementRelayV3Abi);
    const batches = v3.filter((e) => e.eventName === "BatchSettlement");
    // Posted by the facilitator, the exact-link facilitator, and (unofficially) someone else.
    expect(new Set(batches.map((e) => e.from))).toEqual(
      new Set([FACILITATOR.address, EXACT_FACILITATOR.address, UNOFFICIAL_POSTER.address]),
    );
    expect(v3.some((e) => e.eventName === "IndividualSettlement")).toBe(true);

    // Each batch's blob: available and rebuilding the posted root, except mismatched (another root), pending
    // withheld ones released by now, and expired ones gone (410).
    const statuses = new Map<string, number>();
    let mismatched = 0;
    const settledIds: Hex[] = [];
    for (const event of batches) {
      const { merkleRoot, walrusBlobId } = event.args as { merkleRoot: Hex; walrusBlobId: Hex };
      const blob = await blobOf(devnet, blobIdOfEventBytes(walrusBlobId));
      statuses.set(String(blob.httpStatus), (statuses.get(String(blob.httpStatus)) ?? 0) + 1);
      if (blob.httpStatus !== 200) continue;
      const dump = parseTreeDump(blob.text);
      if (dump.root !== merkleRoot) mismatched++;
      for (const { leaf } of dump.leaves) settledIds.push(inferenceIdOfSettledLeaf(leaf) as Hex);
      if (event.from === EXACT_FACILITATOR.address) expect(dump.encoding.name).toBe("exact");
    }
    expect([...statuses.keys()].sort()).toEqual(["200", "410"]);
    expect(mismatched).toBeGreaterThan(0);
    for (const settlement of traffic.settlements.filter((s) => s.fault === "withheld"))
      expect((await blobOf(devnet, settlement.blobId as string)).httpStatus).toBe(200);

    // duplicate: an inference settled twice.
    expect(new Set(settledIds).size).toBeLessThan(settledIds.length);

    // legacy: v1 events from FACILITATOR.
    const v1 = (await eventsAt(legacyRelay.address, settlementRelayV1Abi)).filter((e) =>
      ["Settlement", "BatchSettlement"].includes(e.eventName),
    );
    expect(v1.length).toBeGreaterThan(0);
    expect(new Set(v1.map((e) => e.from))).toEqual(new Set([FACILITATOR.address]));

    // revoked_pcr: a fresh enclave whose PCR was revoked before a batch carrying its proof was posted.
    const registry = await eventsAt(teeRegistry.address, teeRegistryAbi);
    const revoked = registry.filter((e) => e.eventName === "PCRRevoked");
    expect(revoked.length).toBeGreaterThanOrEqual(2);
    const og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og });
    const registered = await Promise.all(
      registry
        .filter((e) => e.eventName === "TEERegistered")
        .map(async (e) => {
          const { teeId } = e.args as { teeId: Hex };
          const tee = await og.readContract({
            address: teeRegistry.address,
            abi: teeRegistryAbi,
            functionName: "getTEE",
            args: [teeId],
          });
          return { teeId, pcrHash: tee.pcrHash };
        }),
    );
    for (const revocation of revoked) {
      const { pcrHash } = revocation.args as { pcrHash: Hex };
      const tee = registered.find((r) => r.pcrHash === pcrHash);
      expect(tee).toBeDefined();
      const later = traffic.settlements.filter(
        (s) => s.transaction.blockNumber > revocation.blockNumber && s.proofs.some((p) => p.teeId === tee?.teeId),
      );
      expect(later.length, `a proof of ${tee?.teeId} (PCR ${pcrHash}) settled after the revocation`).toBeGreaterThan(0);
    }
    // disabled_tee: the deploy's tee-disabled is disabled, and its proofs were settled.
    const disabled = devnet.deployment.tees.find((t) => t.name === "tee-disabled")?.teeId as Hex;
    expect(traffic.settlements.some((s) => s.proofs.some((p) => p.teeId === disabled))).toBe(true);
  }, 120_000);

  test("args: every rate 0", async () => {
    await expect(
      startTraffic({ deployment: devnet.deployment, rates: Object.fromEntries(TRAFFIC_KINDS.map((k) => [k, 0])) }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(`[RangeError: Every traffic rate is 0; nothing to send.]`);
  });
});
