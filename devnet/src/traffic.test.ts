import {
  calldataSettlementRelayAbi,
  devnetTeeRegistryAbi,
  inferenceIdOf,
  type Leaf,
  merkleTreeOf,
} from "@settlescan/abis";
import { decodeFunctionData, type Hex, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { devnetClientOf } from "./deploy";
import { type Devnet, startDevnet } from "./devnet";
import { prngOf } from "./prng";
import { startTraffic, TRAFFIC_KINDS, type TrafficStats } from "./traffic";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ ports: "free" });
}, 60_000);
afterAll(() => devnet?.stop());

/** Every relay transaction on "og": the decoded call and the block it landed in. */
async function relayCalls() {
  const og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og });
  const relay = devnet.deployment.contracts.settlementRelay.address.toLowerCase();
  const latest = await og.getBlockNumber();
  const calls: { blockNumber: bigint; functionName: string; args: readonly unknown[] }[] = [];
  for (let n = 0n; n <= latest; n++) {
    const block = await og.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions)
      if (tx.to?.toLowerCase() === relay) {
        const { functionName, args } = decodeFunctionData({ abi: calldataSettlementRelayAbi, data: tx.input });
        if (functionName === "settleBatch" || functionName === "settleIndividual")
          calls.push({ blockNumber: n, functionName, args: args ?? [] });
      }
  }
  return calls;
}

describe("startTraffic", () => {
  test("default: produces every kind through the real stack, then stops cleanly", async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const traffic = await startTraffic({
      deployment: devnet.deployment,
      rates: Object.fromEntries(TRAFFIC_KINDS.map((k) => [k, 1])),
      requestsPerSecond: 25,
      concurrency: 6,
      batch: { maxLeaves: 4, maxWaitMs: 400 },
      progressIntervalMs: 500,
      signal: controller.signal,
      log: (line) => lines.push(line),
      random: prngOf("traffic test").float,
    });
    await expect
      .poll(() => TRAFFIC_KINDS.every((kind) => traffic.stats().counts[kind] >= 2), { timeout: 30_000, interval: 200 })
      .toBe(true);
    controller.abort();
    const stats: TrafficStats = await traffic.done;

    expect(stats.errors, lines.join("\n")).toBe(0);
    expect(stats.batches).toBeGreaterThan(0);
    expect(lines.some((l) => /^traffic: \d+\.\d receipts\/s · verified \d+/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^traffic: .* \(stopped\)$/);
    // The servers are closed once traffic is done.
    await expect(fetch(`${traffic.inferenceUrl}/v1/inference`, { method: "POST" })).rejects.toThrow();

    const calls = await relayCalls();
    const leaves = calls.flatMap((c) =>
      c.functionName === "settleBatch" ? (c.args[1] as Leaf[]) : [c.args[0] as Leaf],
    );

    // wrong_root: a batch whose posted root is not the StandardMerkleTree root of its calldata leaves.
    const batches = calls.filter((c) => c.functionName === "settleBatch");
    expect(batches.some((c) => c.args[0] !== merkleTreeOf(c.args[1] as Leaf[]).root)).toBe(true);
    expect(batches.some((c) => c.args[0] === merkleTreeOf(c.args[1] as Leaf[]).root)).toBe(true);
    expect(calls.some((c) => c.functionName === "settleIndividual")).toBe(true);

    // duplicate: one inference cited by two different payments.
    const paymentsByInference = new Map<Hex, Set<Hex>>();
    for (const leaf of leaves) {
      const id = inferenceIdOf(leaf);
      paymentsByInference.set(id, (paymentsByInference.get(id) ?? new Set()).add(leaf.paymentId));
    }
    expect([...paymentsByInference.values()].some((payments) => payments.size >= 2)).toBe(true);

    // revoked_tee: a TEE revoked on chain before a proof it signed was posted.
    const og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og });
    const revoked = parseEventLogs({
      abi: devnetTeeRegistryAbi,
      eventName: "TeeRevoked",
      logs: await og.getLogs({ address: devnet.deployment.contracts.teeRegistry.address, fromBlock: 0n }),
    });
    expect(revoked.length).toBeGreaterThanOrEqual(2);
    for (const { args, blockNumber } of revoked) {
      const later = calls.filter((c) => c.blockNumber > blockNumber);
      const cited = later.flatMap((c) =>
        c.functionName === "settleBatch" ? (c.args[1] as Leaf[]) : [c.args[0] as Leaf],
      );
      expect(cited.some((leaf) => leaf.teeId === args.teeId)).toBe(true);
    }
  }, 60_000);

  test("args: every rate 0", async () => {
    await expect(
      startTraffic({ deployment: devnet.deployment, rates: Object.fromEntries(TRAFFIC_KINDS.map((k) => [k, 0])) }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(`[RangeError: Every traffic rate is 0; nothing to send.]`);
  });
});
