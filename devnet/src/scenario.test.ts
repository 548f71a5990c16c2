import {
  calldataSettlementRelayAbi,
  devnetTeeRegistryAbi,
  inferenceIdOf,
  receiptIdOf,
  usdcAbi,
} from "@settlescan/abis";
import { createPublicClient, decodeFunctionData, type Hex, http, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FACILITATOR, FACILITATOR_2, PAYEE } from "./accounts";
import { type Devnet, startDevnet } from "./devnet";
import { FAULTS, type Manifest } from "./manifest";
import { manifestOf } from "./scenarioManifest";
import { planScenario, SCENARIO_START_TIME } from "./scenarioPlan";
import { runScenario } from "./scenarioRun";

const identity = {
  chainId: 8453,
  token: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
  payers: Array.from({ length: 200 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`),
  teeIds: {
    "tee-alpha": `0x${"a1".repeat(32)}`,
    "tee-beta": `0x${"b2".repeat(32)}`,
    "tee-gamma": `0x${"c3".repeat(32)}`,
    "tee-revoked": `0x${"d4".repeat(32)}`,
    "tee-mismatch": `0x${"e5".repeat(32)}`,
  },
} as const;
const manifestOfSeed = (seed: string, receipts: number) =>
  manifestOf(planScenario({ seed, receipts }), identity as Parameters<typeof manifestOf>[1]);

describe("plan", () => {
  test("behavior: the same seed gives the same manifest", () => {
    expect(JSON.stringify(manifestOfSeed("alpha", 1500))).toBe(JSON.stringify(manifestOfSeed("alpha", 1500)));
  });

  test("behavior: another seed gives other receipts", () => {
    const a = new Set(manifestOfSeed("alpha", 300).receipts.map((r) => r.receiptId));
    const b = manifestOfSeed("beta", 300).receipts.map((r) => r.receiptId);
    expect(b.filter((id) => a.has(id))).toEqual([]);
  });

  test("default: 2,000 receipts cover every fault, receipt state and payment state", () => {
    const manifest = manifestOfSeed("coverage", 2000);
    expect(manifest.receipts).toHaveLength(2000);
    expect(new Set(manifest.receipts.map((r) => r.fault))).toEqual(new Set(FAULTS));
    expect(new Set(manifest.receipts.map((r) => r.state))).toEqual(
      new Set(["verified", "unpaid", "underpaid", "invalid_proof", "duplicate", "not_settled"]),
    );
    expect(new Set(manifest.payments.map((p) => p.state))).toEqual(new Set(["proven", "overdue", "awaiting_proof"]));
    expect(new Set(manifest.receipts.map((r) => r.settlement))).toEqual(new Set(["batch", "individual", "none"]));
  });

  test("behavior: a revoked enclave's receipts before revocation stay verified", () => {
    const manifest = manifestOfSeed("revocation", 2000);
    const revoked = manifest.receipts.filter((r) => r.tee === "tee-revoked");
    expect(revoked.some((r) => r.state === "verified")).toBe(true);
    expect(revoked.some((r) => r.fault === "revoked_tee" && r.state === "invalid_proof")).toBe(true);
  });
});

describe("played on the devnet", () => {
  let devnet: Devnet;
  let manifest: Manifest;

  beforeAll(async () => {
    devnet = await startDevnet({ ports: "free", timestamp: BigInt(SCENARIO_START_TIME - 3600) });
    const plan = planScenario({
      seed: "chain",
      receipts: 400,
      payees: [PAYEE.address],
      facilitators: [FACILITATOR.address, FACILITATOR_2.address],
      batchSize: 25,
    });
    manifest = await runScenario({ deployment: devnet.deployment, plan });
  }, 120_000);
  afterAll(() => devnet?.stop());

  const client = () => createPublicClient({ transport: http(devnet.deployment.chains.og.rpcUrl) });
  const baseClient = () => createPublicClient({ transport: http(devnet.deployment.chains.base.rpcUrl) });

  test("default: every paid payment is one AuthorizationUsed + Transfer at the canonical USDC address", async () => {
    const logs = await baseClient().getLogs({
      address: devnet.deployment.contracts.usdc.address,
      fromBlock: BigInt(devnet.deployment.contracts.usdc.startBlock),
    });
    const events = parseEventLogs({ abi: usdcAbi, logs });
    const used = events.filter((e) => e.eventName === "AuthorizationUsed");
    expect(used).toHaveLength(manifest.payments.length);
    const transfers = new Set(events.filter((e) => e.eventName === "Transfer").map((e) => e.transactionHash));
    expect(used.every((e) => transfers.has(e.transactionHash))).toBe(true);
  });

  test("default: the settled leaves on chain are exactly the manifest's settled receipts", async () => {
    const og = client();
    const logs = await og.getLogs({
      address: devnet.deployment.contracts.settlementRelay.address,
      fromBlock: 0n,
    });
    const onChain: Hex[] = [];
    for (const hash of new Set(logs.map((l) => l.transactionHash))) {
      const tx = await og.getTransaction({ hash });
      const call = decodeFunctionData({ abi: calldataSettlementRelayAbi, data: tx.input });
      const leaves =
        call.functionName === "settleBatch"
          ? call.args[1]
          : call.functionName === "settleIndividual"
            ? [call.args[0]]
            : [];
      for (const leaf of leaves)
        onChain.push(receiptIdOf({ paymentId: leaf.paymentId, inferenceId: inferenceIdOf(leaf) }));
    }
    const expected = manifest.receipts.filter((r) => r.state !== "not_settled").map((r) => r.receiptId);
    expect(onChain.sort()).toEqual(expected.sort());
  });

  test("default: the to-be-revoked enclave is revoked once, on og", async () => {
    const logs = await client().getLogs({ address: devnet.deployment.contracts.teeRegistry.address, fromBlock: 0n });
    const revoked = parseEventLogs({ abi: devnetTeeRegistryAbi, logs, eventName: "TeeRevoked" });
    expect(revoked.map((e) => e.args.teeId)).toEqual([
      devnet.deployment.tees.find((t) => t.name === "tee-revoked")!.teeId,
    ]);
  });

  test("default: both chains end at the manifest's final chain time", async () => {
    for (const c of [client(), baseClient()]) {
      const block = await c.getBlock();
      expect(Number(block.timestamp)).toBe(manifest.chainTime.end);
    }
  });
});
