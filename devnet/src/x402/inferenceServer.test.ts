import {
  calldataSettlementRelayAbi,
  inferenceIdOf,
  type Leaf,
  paymentIdOf,
  receiptIdOf,
  USDC_ADDRESS_BASE,
  usdcAbi,
  verifyTeeSignature,
} from "@settlescan/abis";
import { decodeFunctionData, getAddress, type Hex, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLIENTS, FACILITATOR, PAYEE } from "../accounts";
import { devnetClientOf } from "../deploy";
import { textHashOf } from "../tees";
import { createPayingFetch, requestInference } from "./client";
import { INFERENCE_PATH } from "./inferenceServer";
import { startTestDevnet, startTestServers, type TestDevnet, type TestServers } from "./testDevnet";
import { DEFAULT_PRICE } from "./usdc";

const ALICE = CLIENTS[0] as (typeof CLIENTS)[number];

let devnet: TestDevnet;
let base: ReturnType<typeof devnetClientOf>;
let servers: TestServers;

beforeAll(async () => {
  devnet = await startTestDevnet();
  base = devnetClientOf({ name: "base", ...devnet.deployment.chains.base });
  servers = await startTestServers(devnet);
}, 60_000);
afterAll(async () => {
  await servers?.close();
  await devnet?.stop();
});

describe("POST /v1/inference", () => {
  test("default: a real x402 payment lands as AuthorizationUsed + Transfer at the canonical USDC address", async () => {
    const pay = createPayingFetch({ account: ALICE });
    const { inference, settlement } = await requestInference({
      fetch: pay,
      url: servers.inferenceUrl,
      body: { prompt: "hello, settlescan", mode: "private" },
    });
    expect(settlement).toMatchObject({ success: true, network: "eip155:8453", payer: ALICE.address });

    const hash = settlement.transaction as `0x${string}`;
    const [tx, receipt] = await Promise.all([base.getTransaction({ hash }), base.getTransactionReceipt({ hash })]);
    expect(receipt.status).toBe("success");
    expect(getAddress(tx.from)).toBe(FACILITATOR.address);
    expect(getAddress(tx.to as string)).toBe(USDC_ADDRESS_BASE);
    expect(receipt.logs.every((log) => getAddress(log.address) === USDC_ADDRESS_BASE)).toBe(true);

    const events = parseEventLogs({ abi: usdcAbi, logs: receipt.logs });
    expect(events.map((e) => e.eventName)).toEqual(["AuthorizationUsed", "Transfer"]);
    const [used, transfer] = events as [
      Extract<(typeof events)[number], { eventName: "AuthorizationUsed" }>,
      Extract<(typeof events)[number], { eventName: "Transfer" }>,
    ];
    expect(used.args.authorizer).toBe(ALICE.address);
    expect(transfer.args).toEqual({ from: ALICE.address, to: PAYEE.address, value: DEFAULT_PRICE });

    // The receipt the user holds links to exactly this authorization.
    const paymentId = paymentIdOf({
      chainId: 8453,
      token: USDC_ADDRESS_BASE,
      payer: ALICE.address,
      nonce: used.args.nonce,
    });
    const timestamp = BigInt(inference.timestamp);
    expect(inference).toMatchObject({
      output: "nacselttes ,olleh",
      teeId: devnet.tee.teeId,
      inputHash: textHashOf("hello, settlescan"),
      outputHash: textHashOf("nacselttes ,olleh"),
      paymentId,
      amount: DEFAULT_PRICE.toString(),
      payer: ALICE.address,
    });
    const inferenceId = inferenceIdOf({ ...inference, timestamp });
    expect(inference.inferenceId).toBe(inferenceId);
    expect(inference.receiptId).toBe(receiptIdOf({ paymentId, inferenceId }));
    expect(await verifyTeeSignature({ publicKey: devnet.tee.publicKey, ...inference, timestamp })).toBe(true);
  });

  test("behavior: once paid, the proof is settled individually through the facilitator, faults applied", async () => {
    const pay = createPayingFetch({ account: ALICE });
    const og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og });
    for (const fault of [undefined, "bad_signature", "underpaid"] as const) {
      const { inference, settleData } = await requestInference({
        fetch: pay,
        url: servers.inferenceUrl,
        body: { prompt: `individual ${fault}`, mode: "individual", ...(fault ? { fault } : {}) },
      });
      expect(settleData).toMatchObject({ mode: "individual", status: "posted" });
      const tx = await og.getTransaction({ hash: (settleData as { transaction: Hex }).transaction });
      const { functionName, args } = decodeFunctionData({ abi: calldataSettlementRelayAbi, data: tx.input });
      expect(functionName).toBe("settleIndividual");
      const [leaf, payer] = args as readonly [Leaf, Hex, Hex];
      expect(payer).toBe(ALICE.address);
      expect(leaf.paymentId).toBe(inference.paymentId);
      expect(leaf.amount).toBe(fault === "underpaid" ? 2n * DEFAULT_PRICE : DEFAULT_PRICE);
      expect(leaf.signature === inference.signature).toBe(fault !== "bad_signature");
    }
  });

  test("behavior: without a payment the endpoint answers 402 with exact USDC requirements", async () => {
    const response = await fetch(`${servers.inferenceUrl}${INFERENCE_PATH}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "free?" }),
    });
    expect(response.status).toBe(402);
    const required = JSON.parse(Buffer.from(response.headers.get("PAYMENT-REQUIRED") ?? "", "base64").toString());
    expect(required.accepts).toEqual([
      {
        scheme: "exact",
        network: "eip155:8453",
        asset: USDC_ADDRESS_BASE,
        amount: DEFAULT_PRICE.toString(),
        payTo: PAYEE.address,
        maxTimeoutSeconds: 300,
        extra: { name: "USD Coin", version: "2" },
      },
    ]);
  });

  test("args: a bad mode is refused with 400 and the payment is not settled", async () => {
    const balance = () =>
      base.readContract({
        address: USDC_ADDRESS_BASE,
        abi: usdcAbi,
        functionName: "balanceOf",
        args: [ALICE.address],
      });
    const before = await balance();
    const pay = createPayingFetch({ account: ALICE });
    const response = await pay(`${servers.inferenceUrl}${INFERENCE_PATH}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "x", mode: "public" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchInlineSnapshot(`
      {
        "error": "Mode "public" is not one of private, individual, batch.",
      }
    `);
    expect(await balance()).toBe(before);
  });
});
