import {
  e1,
  e3,
  eventBytesOfBlobId,
  exact,
  individualBlobOf,
  parseTreeDump,
  settlementRelayV1Abi,
  settlementRelayV3Abi,
  treeDumpOf,
} from "@settlescan/abis";
import { type Abi, decodeFunctionData, getAddress, type Hex, keccak256, parseEventLogs, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLIENTS, EXACT_FACILITATOR, FACILITATOR, UNOFFICIAL_POSTER } from "../accounts";
import { devnetClientOf } from "../deploy";
import type { PostedSettlement } from "./dataWorker";
import type { FacilitatorServer } from "./facilitatorServer";
import {
  type BatchSettlementData,
  type IndividualSettlementData,
  type SettleDataPost,
  type SettleDataResponse,
  type SettlementJob,
  settleDataHeadersOf,
} from "./settleData";
import {
  blobOf,
  settlementRecorder,
  signedSettlementDataOf,
  startTestDevnet,
  type TestDevnet,
  type TestFacilitatorOptions,
  testExactFacilitatorOf,
  testFacilitatorOf,
} from "./testDevnet";

const ALICE = CLIENTS[0] as (typeof CLIENTS)[number];

let devnet: TestDevnet;
let og: ReturnType<typeof devnetClientOf>;

beforeAll(async () => {
  devnet = await startTestDevnet();
  og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og });
}, 60_000);
afterAll(() => devnet?.stop());

/** A facilitator on the test devnet, its mined settlements recorded. */
function facilitatorOf(options: Omit<TestFacilitatorOptions, "onSettlement"> = {}, link: "none" | "exact" = "none") {
  const { settlements, onSettlement } = settlementRecorder();
  const facilitator = (link === "exact" ? testExactFacilitatorOf : testFacilitatorOf)(devnet, {
    ...options,
    onSettlement,
  });
  return { facilitator, settlements };
}

async function settleData(facilitator: FacilitatorServer, post: SettleDataPost | Record<string, string>) {
  const headers =
    "type" in post && typeof post.type === "string"
      ? settleDataHeadersOf(post as SettleDataPost)
      : (post as Record<string, string>);
  return facilitator.app.request("/settle_data", { method: "POST", headers, body: "{}" });
}

async function queued(facilitator: FacilitatorServer, post: SettleDataPost): Promise<SettlementJob> {
  const response = await settleData(facilitator, post);
  expect(response.status).toBe(202);
  return ((await response.json()) as SettleDataResponse).settlementJob as SettlementJob;
}

const proofs = (n: number) => Promise.all(Array.from({ length: n }, () => signedSettlementDataOf(devnet.tee)));

/** The E3 leaf of a proof as the facilitator builds it. */
function e3LeafOf(
  data: Pick<BatchSettlementData, "tee_id" | "input_hash" | "output_hash" | "tee_signature" | "tee_timestamp">,
) {
  return e3.fromValues([
    data.tee_id,
    `0x${data.input_hash}`,
    `0x${data.output_hash}`,
    `0x${Buffer.from(data.tee_signature, "base64").toString("hex")}`,
    data.tee_timestamp,
  ]);
}

/** The relay call and events of a settlement transaction. */
async function relayCallOf(hash: Hex, abi: Abi = settlementRelayV3Abi) {
  const [tx, receipt] = await Promise.all([og.getTransaction({ hash }), og.getTransactionReceipt({ hash })]);
  return {
    from: getAddress(tx.from),
    to: getAddress(tx.to as string),
    status: receipt.status,
    call: decodeFunctionData({ abi, data: tx.input }),
    events: parseEventLogs({ abi, logs: receipt.logs }).map(({ eventName, args }) => ({ eventName, args })),
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

describe("POST /settle_data (batch)", () => {
  test("default: 20 items flush a standard-v1 dump to the blob service, then v3 batchSettle from FACILITATOR", async () => {
    const { facilitator, settlements } = facilitatorOf({ batch: { idleMs: 60_000 } });
    const items = await proofs(20);
    const jobs: SettlementJob[] = [];
    for (const data of items.slice(0, 19)) jobs.push(await queued(facilitator, { type: "batch", data }));
    expect(jobs[0]).toMatchObject({ status: "queued", settlementType: "batch", signerAddress: FACILITATOR.address });
    expect(settlements).toHaveLength(0);
    jobs.push(await queued(facilitator, { type: "batch", data: items[19] as BatchSettlementData }));
    await expect.poll(() => settlements.length).toBe(1);

    const batch = settlements[0] as PostedSettlement;
    expect(batch).toMatchObject({ kind: "batch", abi: "v3", reason: "size" });
    const blobId = batch.blobId as string;
    const blob = await blobOf(devnet, blobId);
    expect(blob.httpStatus).toBe(200);
    // Byte for byte what StandardMerkleTree.of(values, E3 types).dump() gives, leaves in arrival order.
    expect(blob.text).toBe(JSON.stringify(treeDumpOf(items.map(e3LeafOf), e3)));
    const { root, leaves } = parseTreeDump(blob.text);

    const { from, to, call, events } = await relayCallOf(batch.transaction.hash);
    expect([from, to]).toEqual([FACILITATOR.address, devnet.deployment.contracts.relay.address]);
    expect(call).toEqual({ functionName: "batchSettle", args: [root, 20n, eventBytesOfBlobId(blobId)] });
    expect(events).toEqual([
      {
        eventName: "BatchSettlement",
        args: { merkleRoot: root, batchSize: 20n, walrusBlobId: eventBytesOfBlobId(blobId) },
      },
    ]);
    expect(leaves.map((l) => l.leaf)).toEqual(items.map(e3LeafOf));

    const status = await (await facilitator.app.request(`/settle/${jobs[3]?.jobId}`)).json();
    expect(status).toMatchObject({ status: "succeeded", txHash: batch.transaction.hash, walrusBlobId: blobId });
    await facilitator.close();
  });

  test("behavior: a batch is flushed once no item came for idleMs, however small", async () => {
    const { facilitator, settlements } = facilitatorOf({ batch: { size: 100, idleMs: 300, maxAgeMs: 60_000 } });
    const start = Date.now();
    await queued(facilitator, { type: "batch", data: (await proofs(1))[0] as BatchSettlementData });
    await expect.poll(() => settlements.length, { timeout: 5_000 }).toBe(1);
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    expect(settlements[0]).toMatchObject({ reason: "idle", proofs: [expect.anything()] });
    await facilitator.close();
  });

  test("behavior: a batch is flushed maxAgeMs after its first item while items keep coming", async () => {
    const { facilitator, settlements } = facilitatorOf({ batch: { size: 100, idleMs: 400, maxAgeMs: 900 } });
    for (const data of await proofs(6)) {
      await queued(facilitator, { type: "batch", data });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await expect.poll(() => settlements.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    expect(settlements[0]?.reason).toBe("age");
    expect(settlements[0]?.proofs.length).toBeGreaterThanOrEqual(4);
    await facilitator.close();
  });

  test("behavior: unofficial posts the batch from UNOFFICIAL_POSTER", async () => {
    const { facilitator, settlements } = facilitatorOf();
    const job = await queued(facilitator, { type: "batch", data: (await proofs(1))[0]!, fault: "unofficial" });
    expect(job.signerAddress).toBe(UNOFFICIAL_POSTER.address);
    await facilitator.close();
    const { from, events } = await relayCallOf((settlements[0] as PostedSettlement).transaction.hash);
    expect(from).toBe(UNOFFICIAL_POSTER.address);
    expect(events.map((e) => e.eventName)).toEqual(["BatchSettlement"]);
  });

  test("behavior: mismatched posts a root its dump does not rebuild; honest proofs are batched apart", async () => {
    const { facilitator, settlements } = facilitatorOf();
    const [honest, faulty] = await proofs(2);
    await queued(facilitator, { type: "batch", data: honest! });
    await queued(facilitator, { type: "batch", data: faulty!, fault: "mismatched" });
    await facilitator.close();
    expect(settlements).toHaveLength(2);
    const mismatched = settlements.find((s) => s.fault === "mismatched") as PostedSettlement;
    const { call } = await relayCallOf(mismatched.transaction.hash);
    const dump = parseTreeDump((await blobOf(devnet, mismatched.blobId as string)).text);
    expect(dump.leaves.map((l) => l.leaf)).toEqual([e3LeafOf(faulty!)]);
    expect(call.args?.[0]).not.toBe(dump.root);
    expect(call.args?.[0]).toBe(keccak256(dump.root));

    const right = settlements.find((s) => s.fault === undefined) as PostedSettlement;
    const honestCall = await relayCallOf(right.transaction.hash);
    expect(honestCall.call.args?.[0]).toBe(parseTreeDump((await blobOf(devnet, right.blobId as string)).text).root);
  });

  test("behavior: withheld answers 404 until the release delay passed, then 200; pending stays 404", async () => {
    const { facilitator, settlements } = facilitatorOf({ releaseAfterMs: 1_500 });
    const [a, b] = await proofs(2);
    await queued(facilitator, { type: "batch", data: a!, fault: "withheld" });
    await queued(facilitator, { type: "batch", data: b!, fault: "pending" });
    await facilitator.worker.flush();
    const withheld = settlements.find((s) => s.fault === "withheld") as PostedSettlement;
    const pending = settlements.find((s) => s.fault === "pending") as PostedSettlement;
    expect((await blobOf(devnet, withheld.blobId as string)).httpStatus).toBe(404);
    expect((await blobOf(devnet, pending.blobId as string)).httpStatus).toBe(404);
    await expect
      .poll(async () => (await blobOf(devnet, withheld.blobId as string)).httpStatus, { timeout: 5_000 })
      .toBe(200);
    expect((await blobOf(devnet, pending.blobId as string)).httpStatus).toBe(404);
    await facilitator.close();
  });

  test("behavior: expired expires the blob once posted (410)", async () => {
    const { facilitator, settlements } = facilitatorOf();
    await queued(facilitator, { type: "batch", data: (await proofs(1))[0]!, fault: "expired" });
    await facilitator.close();
    const { events } = await relayCallOf((settlements[0] as PostedSettlement).transaction.hash);
    expect(events.map((e) => e.eventName)).toEqual(["BatchSettlement"]);
    expect((await blobOf(devnet, settlements[0]?.blobId as string)).httpStatus).toBe(410);
  });

  test("behavior: duplicate settles the proof again in a later batch once the first is mined", async () => {
    const { facilitator, settlements } = facilitatorOf();
    const [data] = await proofs(1);
    await queued(facilitator, { type: "batch", data: data!, fault: "duplicate" });
    await facilitator.close();
    expect(settlements.map((s) => s.fault)).toEqual(["duplicate", undefined]);
    const [first, second] = settlements as [PostedSettlement, PostedSettlement];
    expect(second.transaction.blockNumber).toBeGreaterThan(first.transaction.blockNumber);
    for (const settlement of [first, second])
      expect(parseTreeDump((await blobOf(devnet, settlement.blobId as string)).text).leaves[0]?.leaf).toEqual(
        e3LeafOf(data!),
      );
  });

  test("behavior: legacy posts v1 batchSettle(root, size) of the E1 tree to the legacy relay", async () => {
    const { facilitator, settlements } = facilitatorOf();
    const items = await proofs(2);
    for (const data of items) await queued(facilitator, { type: "batch", data, fault: "legacy" });
    await facilitator.close();
    const legacy = settlements[0] as PostedSettlement;
    expect(legacy).toMatchObject({ kind: "batch", abi: "v1" });
    expect(legacy.blobId).toBeUndefined();
    const { from, to, events } = await relayCallOf(legacy.transaction.hash, settlementRelayV1Abi);
    expect([from, to]).toEqual([FACILITATOR.address, devnet.deployment.contracts.legacyRelay.address]);
    const e1Root = treeDumpOf(
      items.map((d) => e1.fromValues([`0x${d.input_hash}`, `0x${d.output_hash}`])),
      e1,
    ).tree[0];
    expect(events).toEqual([{ eventName: "BatchSettlement", args: { merkleRoot: e1Root, batchSize: 2n } }]);
  });
});

describe("POST /settle_data (individual)", () => {
  async function individualData(): Promise<IndividualSettlementData> {
    const data = await signedSettlementDataOf(devnet.tee);
    return {
      ...data,
      input: { model: "devnet/reverse", messages: [{ role: "user", content: "olleh" }] },
      output: { object: "chat.completion", tee_id: data.tee_id },
      timestamp: String(data.tee_timestamp),
      eth_address: ALICE.address,
    };
  }

  test("default: uploads the individual blob, then settleIndividual; the job names tx and blob at once", async () => {
    const { facilitator, settlements } = facilitatorOf();
    const data = await individualData();
    const job = await queued(facilitator, { type: "individual", data });
    expect(job).toMatchObject({ status: "processing", settlementType: "individual", txHash: expect.any(String) });
    const blobId = job.walrusBlobId as string;
    expect((await blobOf(devnet, blobId)).text).toBe(
      individualBlobOf({
        input: data.input,
        output: data.output,
        teeSignature: data.tee_signature,
        teeId: data.tee_id as Hex,
        timestamp: data.timestamp,
        ethAddress: ALICE.address,
      }),
    );
    await facilitator.close();
    expect(settlements[0]?.transaction).toMatchObject({ hash: job.txHash, status: "success" });
    const { from, call, events } = await relayCallOf(job.txHash as Hex);
    expect(from).toBe(FACILITATOR.address);
    expect(call.functionName).toBe("settleIndividual");
    const leaf = e3LeafOf(data);
    expect(events).toEqual([
      {
        eventName: "IndividualSettlement",
        args: {
          teeId: leaf.teeId,
          ethAddress: ALICE.address,
          inputHash: leaf.inputHash,
          outputHash: leaf.outputHash,
          timestamp: leaf.timestamp,
          walrusBlobId: eventBytesOfBlobId(blobId),
          signature: leaf.signature,
        },
      },
    ]);
    expect(await (await facilitator.app.request(`/settle/${job.jobId}`)).json()).toMatchObject({ status: "succeeded" });
  });

  test("behavior: a proof the relay's verifier refuses (2 hours old) still lands, reverted, and its job fails", async () => {
    const { facilitator, settlements } = facilitatorOf();
    const data = await individualData();
    const old = data.tee_timestamp - 7_200;
    const job = await queued(facilitator, {
      type: "individual",
      data: { ...data, tee_timestamp: old, timestamp: String(old) },
    });
    await facilitator.close();
    expect(settlements[0]?.transaction.status).toBe("reverted");
    expect(facilitator.worker.jobOf(job.jobId)).toMatchObject({ status: "failed", error: "reverted" });
  });

  test("behavior: duplicate settles the proof again once the first is mined; unofficial posts from UNOFFICIAL_POSTER", async () => {
    const { facilitator, settlements } = facilitatorOf();
    const [duplicated, unofficial] = [await individualData(), await individualData()];
    await queued(facilitator, { type: "individual", data: duplicated, fault: "duplicate" });
    await queued(facilitator, { type: "individual", data: unofficial, fault: "unofficial" });
    await facilitator.close();
    const settledOf = (data: IndividualSettlementData) =>
      settlements.filter((s) => s.proofs[0]?.inputHash === `0x${data.input_hash}`);

    const [first, again] = settledOf(duplicated) as [PostedSettlement, PostedSettlement];
    expect([first.fault, again.fault]).toEqual(["duplicate", undefined]);
    expect(again.transaction.blockNumber).toBeGreaterThan(first.transaction.blockNumber);
    for (const { transaction } of [first, again]) {
      const { from, events } = await relayCallOf(transaction.hash);
      expect([from, events[0]?.eventName]).toEqual([FACILITATOR.address, "IndividualSettlement"]);
    }
    const [posted] = settledOf(unofficial) as [PostedSettlement];
    const { from, events } = await relayCallOf(posted.transaction.hash);
    expect([from, events[0]?.eventName]).toEqual([UNOFFICIAL_POSTER.address, "IndividualSettlement"]);
  });

  test("behavior: legacy posts v1 settle(inputHash, outputHash)", async () => {
    const { facilitator, settlements } = facilitatorOf();
    const data = await individualData();
    await queued(facilitator, { type: "individual", data, fault: "legacy" });
    await facilitator.close();
    const { events } = await relayCallOf(settlements[0]?.transaction.hash as Hex, settlementRelayV1Abi);
    expect(events).toEqual([
      { eventName: "Settlement", args: { inputHash: `0x${data.input_hash}`, outputHash: `0x${data.output_hash}` } },
    ]);
  });
});

describe("POST /settle_data (private)", () => {
  test("behavior: private posts nothing", async () => {
    const { facilitator, settlements } = facilitatorOf({ batch: { size: 1 } });
    const before = await og.getBlockNumber();
    const response = await settleData(facilitator, { type: "private" });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ settlementJob: null, notes: "Private settlement ignored by facilitator." });
    await facilitator.close();
    expect(settlements).toHaveLength(0);
    expect(await og.getBlockNumber()).toBe(before);
  });
});

describe("exact-link facilitator", () => {
  test("default: its blob holds exact leaves citing each proof's payment, posted by EXACT_FACILITATOR", async () => {
    const { facilitator, settlements } = facilitatorOf({}, "exact");
    const items = await proofs(2);
    const payments = items.map((_, i) => ({
      paymentId: keccak256(stringToHex(`payment ${i}`)),
      amount: 1_000n + BigInt(i),
    }));
    for (const [i, data] of items.entries())
      expect(await queued(facilitator, { type: "batch", data, payment: payments[i] })).toMatchObject({
        signerAddress: EXACT_FACILITATOR.address,
      });
    await facilitator.close();
    const [batch] = settlements as [PostedSettlement];
    const blob = (await blobOf(devnet, batch.blobId as string)).text;
    const expected = items.map((data, i) => ({ ...e3LeafOf(data), encoding: "exact" as const, ...payments[i]! }));
    expect(blob).toBe(JSON.stringify(treeDumpOf(expected, exact)));
    const { root, leaves } = parseTreeDump(blob);
    expect(leaves.map((l) => l.leaf)).toEqual(expected);
    const { from, call } = await relayCallOf(batch.transaction.hash);
    expect(from).toBe(EXACT_FACILITATOR.address);
    expect(call.args?.[0]).toBe(root);
  });

  test("args: a proof without its payment, or individually, is refused", async () => {
    const { facilitator, settlements } = facilitatorOf({}, "exact");
    const [data] = await proofs(1);
    const unpaid = await settleData(facilitator, { type: "batch", data: data! });
    expect(unpaid.status).toBe(400);
    expect(await unpaid.json()).toMatchInlineSnapshot(`
      {
        "error": "This exact-link facilitator settles proofs with the payment they cite; send x-settlement-payment.",
      }
    `);
    const individual = await settleData(facilitator, {
      type: "individual",
      data: { ...data!, input: {}, output: {}, timestamp: "1", eth_address: ALICE.address },
      payment: { paymentId: keccak256("0x01"), amount: 1n },
    });
    expect(await individual.json()).toMatchInlineSnapshot(`
      {
        "error": "An exact-link proof is settled in a batch: an individual settlement's event has no paymentId. Send x-settlement-type "batch".",
      }
    `);
    await facilitator.close();
    expect(settlements).toHaveLength(0);
  });
});

describe("POST /settle_data (args)", () => {
  test("args: malformed settlement data is refused with 400 and nothing is posted", async () => {
    const { facilitator, settlements } = facilitatorOf({ batch: { size: 1 } });
    const [data] = await proofs(1);
    const response = await settleData(facilitator, { type: "batch", data: { ...data!, tee_id: "0x12" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchInlineSnapshot(`
      {
        "error": "Settlement data field "tee_id" is "0x12"; expected 64 hex digits (with or without 0x).",
      }
    `);
    const missing = await settleData(facilitator, {});
    expect(await missing.json()).toEqual({ error: "Missing x-settlement-type header." });
    expect((await facilitator.app.request("/settle/settlement-nope")).status).toBe(404);
    await facilitator.close();
    expect(settlements).toHaveLength(0);
  });
});
