import { calldataSettlementRelayAbi, type Leaf, merkleTreeOf } from "@settlescan/abis";
import { decodeFunctionData, type Hex, keccak256, parseEventLogs } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { CLIENTS, FACILITATOR } from "../accounts";
import { devnetClientOf } from "../deploy";
import { inferWith } from "../tees";
import type { createFacilitatorServer } from "./facilitatorServer";
import type { PostedBatch } from "./proofBatcher";
import { individualBlobIdOf } from "./relay";
import { leafToJson, type SettleDataRequestJson } from "./settleData";
import { startTestDevnet, type TestDevnet, testFacilitatorOf, unpaidPaymentIdOf } from "./testDevnet";

const ALICE = CLIENTS[0] as (typeof CLIENTS)[number];

let devnet: TestDevnet;
let og: ReturnType<typeof devnetClientOf>;
let relay: Hex;
let snapshot: Hex;

beforeAll(async () => {
  devnet = await startTestDevnet();
  og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og });
  relay = devnet.deployment.contracts.settlementRelay.address;
}, 60_000);
afterAll(() => devnet?.stop());
beforeEach(async () => {
  snapshot = await og.test.snapshot();
});
afterEach(async () => {
  await og.test.revert({ id: snapshot });
});

/** A facilitator on the test chains, with its posted batches recorded. */
function facilitatorOf(batch: { maxLeaves?: number; maxWaitMs?: number } = {}) {
  const posted: PostedBatch[] = [];
  const facilitator = testFacilitatorOf(devnet, { batch, onBatchPosted: (b) => posted.push(b) });
  return { facilitator, posted };
}

let counter = 0;
/** A leaf signed by the test TEE for a made-up payment. */
async function signedLeaf(): Promise<Leaf> {
  counter++;
  const { output: _, ...inference } = await inferWith(devnet.tee, `prompt ${counter}`);
  return { ...inference, paymentId: unpaidPaymentIdOf(`${counter}`), amount: 1_000n };
}

function settleData(facilitator: ReturnType<typeof createFacilitatorServer>, body: SettleDataRequestJson | object) {
  return facilitator.app.request("/settle_data", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function relayCallOf(hash: Hex) {
  const [tx, receipt] = await Promise.all([og.getTransaction({ hash }), og.getTransactionReceipt({ hash })]);
  expect(tx.from.toLowerCase()).toBe(FACILITATOR.address.toLowerCase());
  expect(tx.to?.toLowerCase()).toBe(relay.toLowerCase());
  return {
    call: decodeFunctionData({ abi: calldataSettlementRelayAbi, data: tx.input }),
    events: parseEventLogs({ abi: calldataSettlementRelayAbi, logs: receipt.logs }),
  };
}

describe("GET /supported", () => {
  test("default: exact on eip155:8453, signed by the facilitator", async () => {
    const { facilitator } = facilitatorOf();
    const supported = await (await facilitator.app.request("/supported")).json();
    expect(supported.kinds).toContainEqual({ x402Version: 2, scheme: "exact", network: "eip155:8453" });
    expect(supported.signers["eip155:*"] ?? supported.signers.eip155).toContain(FACILITATOR.address);
    await facilitator.close();
  });
});

describe("POST /settle_data", () => {
  test("behavior: individual settlement is posted with the leaf in calldata", async () => {
    const { facilitator } = facilitatorOf();
    const leaf = await signedLeaf();
    const response = await settleData(facilitator, {
      mode: "individual",
      leaf: leafToJson(leaf),
      payer: ALICE.address,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { transaction: Hex };
    expect(body).toMatchObject({ mode: "individual", status: "posted" });

    const { call, events } = await relayCallOf(body.transaction);
    expect(call.functionName).toBe("settleIndividual");
    expect(call.args).toEqual([leaf, ALICE.address, individualBlobIdOf(leaf)]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventName: "IndividualSettlement",
      args: {
        teeId: leaf.teeId,
        ethAddress: ALICE.address,
        inputHash: leaf.inputHash,
        outputHash: leaf.outputHash,
        timestamp: leaf.timestamp,
        signature: leaf.signature,
        walrusBlobId: individualBlobIdOf(leaf),
      },
    });
    await facilitator.close();
  });

  test("behavior: private settlement posts nothing", async () => {
    const { facilitator, posted } = facilitatorOf({ maxLeaves: 1 });
    const before = await og.getBlockNumber();
    const response = await settleData(facilitator, {
      mode: "private",
      leaf: leafToJson(await signedLeaf()),
      payer: ALICE.address,
    });
    expect(await response.json()).toEqual({ mode: "private", status: "skipped" });
    await facilitator.close();
    expect(posted).toHaveLength(0);
    expect(await og.getBlockNumber()).toBe(before);
  });

  test("behavior: a batch is posted once N leaves are queued, root = StandardMerkleTree root", async () => {
    const { facilitator, posted } = facilitatorOf({ maxLeaves: 3, maxWaitMs: 60_000 });
    const leaves = [await signedLeaf(), await signedLeaf(), await signedLeaf()];
    for (const leaf of leaves.slice(0, 2)) {
      const response = await settleData(facilitator, { mode: "batch", leaf: leafToJson(leaf), payer: ALICE.address });
      expect((await response.json()).status).toBe("queued");
    }
    expect(posted).toHaveLength(0);
    await settleData(facilitator, { mode: "batch", leaf: leafToJson(leaves[2] as Leaf), payer: ALICE.address });
    await expect.poll(() => posted.length).toBe(1);

    const batch = posted[0] as PostedBatch;
    expect(batch.reason).toBe("size");
    const { call, events } = await relayCallOf(batch.transaction);
    const root = merkleTreeOf(leaves).root;
    expect(call.functionName).toBe("settleBatch");
    expect(call.args).toEqual([root, leaves, keccak256(root)]);
    expect(events[0]).toMatchObject({ eventName: "BatchSettlement", args: { merkleRoot: root, batchSize: 3n } });
    await facilitator.close();
  });

  test("behavior: a batch is posted T seconds after its first leaf, however small", async () => {
    const { facilitator, posted } = facilitatorOf({ maxLeaves: 100, maxWaitMs: 300 });
    const leaf = await signedLeaf();
    const start = Date.now();
    await settleData(facilitator, { mode: "batch", leaf: leafToJson(leaf), payer: ALICE.address });
    await expect.poll(() => posted.length, { timeout: 5_000 }).toBe(1);
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    const { call } = await relayCallOf((posted[0] as PostedBatch).transaction);
    expect(posted[0]?.reason).toBe("time");
    expect(call.args?.[1]).toEqual([leaf]);
    await facilitator.close();
  });

  test("behavior: wrong_root posts its batch alone under a root that is not the tree's", async () => {
    const { facilitator, posted } = facilitatorOf({ maxLeaves: 100, maxWaitMs: 60_000 });
    const honest = await signedLeaf();
    const faulty = await signedLeaf();
    await settleData(facilitator, { mode: "batch", leaf: leafToJson(honest), payer: ALICE.address });
    await settleData(facilitator, {
      mode: "batch",
      leaf: leafToJson(faulty),
      payer: ALICE.address,
      fault: "wrong_root",
    });
    await facilitator.close();
    expect(posted).toHaveLength(2);

    const wrong = posted.find((b) => b.fault === "wrong_root") as PostedBatch;
    const { call, events } = await relayCallOf(wrong.transaction);
    const [postedRoot, calldataLeaves] = call.args as readonly [Hex, readonly Leaf[], Hex];
    expect(calldataLeaves).toEqual([faulty]);
    expect(postedRoot).not.toBe(merkleTreeOf(calldataLeaves).root);
    expect(events[0]).toMatchObject({ args: { merkleRoot: postedRoot } });

    const right = posted.find((b) => b.fault === undefined) as PostedBatch;
    const honestCall = await relayCallOf(right.transaction);
    expect(honestCall.call.args?.[0]).toBe(merkleTreeOf([honest]).root);
  });

  test("args: a malformed leaf is refused with 400 and nothing is posted", async () => {
    const { facilitator, posted } = facilitatorOf({ maxLeaves: 1 });
    const leaf = { ...leafToJson(await signedLeaf()), amount: "-5" };
    const response = await settleData(facilitator, { mode: "batch", leaf, payer: ALICE.address });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchInlineSnapshot(`
      {
        "error": "Leaf field "amount" is "-5", expected a non-negative integer as a decimal string.",
      }
    `);
    const wrongMode = await settleData(facilitator, {
      mode: "individual",
      leaf: leafToJson(await signedLeaf()),
      payer: ALICE.address,
      fault: "wrong_root",
    });
    expect(await wrongMode.json()).toMatchInlineSnapshot(`
      {
        "error": "Fault "wrong_root" needs mode "batch"; got mode "individual".",
      }
    `);
    await facilitator.close();
    expect(posted).toHaveLength(0);
  });
});
