import {
  dumpsPython,
  e3,
  eventBytesOfBlobId,
  formatX402ReceiptReport,
  inferenceIdOf,
  inputHashOf,
  OPG_ADDRESS_BASE,
  outputHashOf,
  parseIndividualBlob,
  parseSignedReceipt,
  parseTreeDump,
  paymentIdOf,
  settlementRelayV3Abi,
  teeRegistryAbi,
  USDC_ADDRESS_BASE,
  usdcAbi,
  verifySignedReceipt,
  verifyTeeSignature,
  verifyX402Receipt,
} from "@settlescan/abis";
import { getAddress, type Hex, keccak256, parseEventLogs, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLIENTS, FACILITATOR, PAYEE } from "../accounts";
import { devnetClientOf } from "../deploy";
import { type CompletionRequest, createPayingFetch, type PaidCompletion, requestCompletion } from "../x402/client";
import { serveOnLoopback } from "../x402/serve";
import { blobOf, startTestDevnet, startTestServers, type TestDevnet, type TestServers } from "../x402/testDevnet";
import { DEFAULT_PRICE } from "../x402/usdc";
import {
  CHAT_COMPLETIONS_PATH,
  COMPLETIONS_PATH,
  createGateway,
  DEVNET_FAULT_REQUEST_HEADER,
  SETTLEMENT_TYPE_REQUEST_HEADER,
} from "./gateway";
import { reversed } from "./model";

const ALICE = CLIENTS[0] as (typeof CLIENTS)[number];
const BOB = CLIENTS[1] as (typeof CLIENTS)[number];

let devnet: TestDevnet;
let base: ReturnType<typeof devnetClientOf>;
let og: ReturnType<typeof devnetClientOf>;
let servers: TestServers;
const pay = createPayingFetch({ account: ALICE });

beforeAll(async () => {
  devnet = await startTestDevnet();
  base = devnetClientOf({ name: "base", ...devnet.deployment.chains.base });
  og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og });
  // Batches wait for an explicit flush, so each test reads the batch its own proofs are in.
  servers = await startTestServers(devnet, { batch: { size: 1_000, idleMs: 600_000 }, releaseAfterMs: 60_000 });
}, 60_000);
afterAll(async () => {
  await servers?.close();
  await devnet?.stop();
});

let counter = 0;
const chat = (prompt: string, extra: Record<string, unknown> = {}) => ({
  model: "openai/gpt-4.1",
  messages: [
    { role: "system", content: "You are a mirror." },
    { role: "user", content: `${prompt} #${++counter}` },
  ],
  temperature: 0.5,
  ...extra,
});

function complete(request: Omit<CompletionRequest, "kind"> & { kind?: CompletionRequest["kind"] }) {
  return requestCompletion({ fetch: pay, url: servers.gatewayUrl, request: { kind: "chat", ...request } });
}

/** The key the registry holds for a teeId. */
const registeredKeyOf = (teeId: Hex) =>
  og.readContract({
    address: devnet.deployment.contracts.teeRegistry.address,
    abi: teeRegistryAbi,
    functionName: "getTEEPublicKey",
    args: [teeId],
  });

async function signatureVerifies({ fields }: PaidCompletion) {
  return verifyTeeSignature({ publicKey: await registeredKeyOf(fields.teeId), ...fields });
}

/** Posts what the gateway and the facilitators hold; returns the batch that holds `inferenceId`. */
async function batchOf(inferenceId: Hex, settlements = servers.settlements) {
  await servers.flush();
  for (const settlement of settlements) {
    if (settlement.kind !== "batch" || !settlement.blobId) continue;
    const { text } = await blobOf(devnet, settlement.blobId);
    const dump = parseTreeDump(text);
    const leaf = dump.leaves.find((l) => e3.inferenceIdOf(l.leaf as never) === inferenceId);
    if (leaf) return { settlement, dump, leaf: leaf.leaf };
  }
  return undefined;
}

describe("POST /v1/chat/completions", () => {
  test("default: a paid chat completion answers the real body, and its tee fields verify", async () => {
    const body = chat("hello, settlescan");
    const paid = await complete({ body });
    const json = JSON.parse(paid.text);
    expect(json).toMatchObject({
      object: "chat.completion",
      model: "openai/gpt-4.1",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reversed(`hello, settlescan #${counter}`) },
          finish_reason: "stop",
        },
      ],
      tee_id: devnet.tee.teeId,
      tee_timestamp: json.created,
    });
    expect(json.id).toMatch(/^chatcmpl-/);
    expect(json.tee_request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.tee_output_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number.isInteger(json.tee_timestamp)).toBe(true);
    expect(Buffer.from(json.tee_signature, "base64")).toHaveLength(256);
    expect(Buffer.from(json.tee_signature, "base64").toString("base64")).toBe(json.tee_signature);

    // Recomputed from the request and the body alone, as a user would.
    expect(paid.fields.inputHash).toBe(inputHashOf(JSON.stringify(body), "chat"));
    expect(paid.fields.outputHash).toBe(outputHashOf(paid.text));
    expect(paid.fields.outputHash).toBe(keccak256(stringToHex(json.choices[0].message.content)));
    expect(await signatureVerifies(paid)).toBe(true);

    // The payment landed on Base as x402 exact does: AuthorizationUsed + Transfer, FACILITATOR → USDC.
    const hash = paid.settlement.transaction as Hex;
    const [tx, receipt] = await Promise.all([base.getTransaction({ hash }), base.getTransactionReceipt({ hash })]);
    expect([getAddress(tx.from), getAddress(tx.to as string)]).toEqual([FACILITATOR.address, USDC_ADDRESS_BASE]);
    const events = parseEventLogs({ abi: usdcAbi, logs: receipt.logs });
    expect(events.map((e) => e.eventName)).toEqual(["AuthorizationUsed", "Transfer"]);
    expect(events[1]?.args).toEqual({ from: ALICE.address, to: PAYEE.address, value: DEFAULT_PRICE });

    // Batch mode by default: no settlement headers; the proof lands in the facilitator's next batch.
    expect(paid.headers.get("X-Settlement-Tx-Hash")).toBeNull();
    expect(paid.headers.get("X-TEE-Signature")).toBeNull();
    const found = await batchOf(paid.fields.inferenceId);
    expect(found?.leaf).toEqual({
      encoding: "e3",
      teeId: paid.fields.teeId,
      inputHash: paid.fields.inputHash,
      outputHash: paid.fields.outputHash,
      signature: paid.fields.signature,
      timestamp: paid.fields.timestamp,
    });
    const batchReceipt = await og.getTransactionReceipt({ hash: found?.settlement.transaction.hash as Hex });
    expect(parseEventLogs({ abi: settlementRelayV3Abi, logs: batchReceipt.logs })[0]).toMatchObject({
      eventName: "BatchSettlement",
      args: { merkleRoot: found?.dump.root, walrusBlobId: eventBytesOfBlobId(found?.settlement.blobId as string) },
    });
  });

  test("behavior: stream: true answers SSE with the tee fields in the last frame before [DONE]", async () => {
    const body = chat("stream me, please", { stream: true });
    const paid = await complete({ body });
    expect(paid.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    const frames = paid.text.split("\n\n").filter(Boolean);
    expect(frames.at(-1)).toBe("data: [DONE]");
    const last = JSON.parse((frames.at(-2) as string).slice("data: ".length));
    expect(last).toMatchObject({ choices: [{ delta: {}, finish_reason: "stop" }], tee_id: devnet.tee.teeId });
    expect(frames.slice(0, -2).every((f) => !f.includes("tee_signature"))).toBe(true);
    expect(frames.length).toBeGreaterThan(3);
    expect(paid.fields).toMatchObject({ kind: "stream", content: reversed(`stream me, please #${counter}`) });
    expect(paid.fields.inputHash).toBe(inputHashOf(JSON.stringify(body), "chat"));
    expect(paid.fields.outputHash).toBe(outputHashOf(paid.text));
    expect(await signatureVerifies(paid)).toBe(true);
  });

  test("behavior: with tools and a call: prompt, the model calls the first tool; the output hash covers the calls", async () => {
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }];
    const body = chat("call: the weather", { tools });
    const paid = await complete({ body });
    const json = JSON.parse(paid.text);
    expect(json.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: {
        content: "",
        tool_calls: [
          {
            type: "function",
            function: { name: "lookup", arguments: `{"input": "${reversed(`the weather #${counter}`)}"}` },
          },
        ],
      },
    });
    expect(paid.fields.outputHash).toBe(keccak256(stringToHex(dumpsPython(json.choices[0].message.tool_calls))));
    expect(paid.fields.inputHash).toBe(inputHashOf(JSON.stringify(body), "chat"));
    expect(await signatureVerifies(paid)).toBe(true);
  });

  test("behavior: individual settles before answering, with the X-TEE-* and X-Settlement-* headers", async () => {
    const body = chat("settle me alone");
    const paid = await complete({ body, settlementType: "individual" });
    const { headers, fields } = paid;
    expect({
      signature: headers.get("X-TEE-Signature"),
      id: headers.get("X-TEE-ID"),
      timestamp: headers.get("X-TEE-Timestamp"),
      request: headers.get("X-TEE-Request-Hash"),
      output: headers.get("X-TEE-Output-Hash"),
      type: headers.get("X-Settlement-Type"),
      signer: headers.get("X-Settlement-Signer-Address"),
    }).toEqual({
      signature: fields.signatureBase64,
      id: fields.teeId,
      timestamp: fields.timestamp.toString(),
      request: fields.inputHash,
      output: fields.outputHash,
      type: "individual",
      signer: FACILITATOR.address,
    });
    const txHash = headers.get("X-Settlement-Tx-Hash") as Hex;
    const blobId = headers.get("X-Settlement-Walrus-Blob-ID") as string;
    const receipt = await og.waitForTransactionReceipt({ hash: txHash });
    expect(parseEventLogs({ abi: settlementRelayV3Abi, logs: receipt.logs })).toMatchObject([
      {
        eventName: "IndividualSettlement",
        args: {
          teeId: fields.teeId,
          ethAddress: ALICE.address,
          inputHash: fields.inputHash,
          outputHash: fields.outputHash,
          timestamp: fields.timestamp,
          walrusBlobId: eventBytesOfBlobId(blobId),
          signature: fields.signature,
        },
      },
    ]);
    const blob = parseIndividualBlob((await blobOf(devnet, blobId)).text);
    expect(blob).toMatchObject({
      input: body,
      output: JSON.parse(paid.text),
      teeSignature: fields.signatureBase64,
      teeId: fields.teeId,
      timestamp: fields.timestamp,
      ethAddress: ALICE.address,
      inputHash: fields.inputHash,
      outputHash: fields.outputHash,
    });
  });

  test("behavior: private posts nothing; unsettled posts nothing either", async () => {
    await servers.flush();
    const before = await og.getBlockNumber();
    const privately = await complete({ body: chat("keep it private"), settlementType: "private" });
    const unsettled = await complete({ body: chat("never settled"), faults: ["unsettled"] });
    await servers.gateway.idle();
    expect(servers.facilitator.worker.pending).toBe(0);
    expect(await og.getBlockNumber()).toBe(before);
    for (const paid of [privately, unsettled]) expect(await batchOf(paid.fields.inferenceId)).toBeUndefined();
  });

  test("behavior: bad_signature and unregistered_tee answer bodies that fail verification, and settle them", async () => {
    const bad = await complete({ body: chat("bad signature"), faults: ["bad_signature"] });
    expect(bad.fields.teeId).toBe(devnet.tee.teeId);
    expect(await signatureVerifies(bad)).toBe(false);
    const unregistered = await complete({ body: chat("who signed?"), faults: ["unregistered_tee"] });
    expect(unregistered.fields.teeId).toBe(devnet.tees["tee-unregistered"].teeId);
    expect(await registeredKeyOf(unregistered.fields.teeId)).toBe("0x");
    expect(
      await verifyTeeSignature({ publicKey: devnet.tees["tee-unregistered"].publicKey, ...unregistered.fields }),
    ).toBe(true);
    for (const paid of [bad, unregistered])
      expect((await batchOf(paid.fields.inferenceId))?.leaf).toMatchObject({ signature: paid.fields.signature });
  });

  test("behavior: facilitator faults pass through (mismatched: the posted root is not the blob's)", async () => {
    const paid = await complete({ body: chat("mismatch me"), faults: ["mismatched"] });
    const found = await batchOf(paid.fields.inferenceId);
    expect(found?.settlement.fault).toBe("mismatched");
    expect(found?.settlement.postedRoot).not.toBe(found?.dump.root);
  });
});

describe("exact link (X-Devnet-Link: exact)", () => {
  /** The paymentId of the x402 payment a completion's PAYMENT-RESPONSE names. */
  async function paymentIdOfCompletion(paid: PaidCompletion) {
    const receipt = await base.getTransactionReceipt({ hash: paid.settlement.transaction as Hex });
    const [used] = parseEventLogs({ abi: usdcAbi, logs: receipt.logs, eventName: "AuthorizationUsed" });
    return paymentIdOf({
      chainId: 8453,
      token: USDC_ADDRESS_BASE,
      payer: ALICE.address,
      nonce: used?.args.nonce as Hex,
    });
  }

  test("default: the exact-link facilitator's blob holds an exact leaf citing the x402 payment", async () => {
    const paid = await complete({ body: chat("link me exactly"), link: "exact" });
    const found = await batchOf(paid.fields.inferenceId, servers.exactSettlements);
    expect(found?.leaf).toMatchObject({
      encoding: "exact",
      teeId: paid.fields.teeId,
      paymentId: await paymentIdOfCompletion(paid),
      amount: DEFAULT_PRICE,
    });
    expect(found?.settlement.dump?.leafEncoding).toHaveLength(7);
  });

  test("behavior: underpaid claims twice what was paid; unpaid cites a payment that never happened", async () => {
    const underpaid = await complete({ body: chat("underpay"), link: "exact", faults: ["underpaid"] });
    const unpaid = await complete({ body: chat("unpaid"), link: "exact", faults: ["unpaid"] });
    const under = await batchOf(underpaid.fields.inferenceId, servers.exactSettlements);
    expect(under?.leaf).toMatchObject({
      paymentId: await paymentIdOfCompletion(underpaid),
      amount: 2n * DEFAULT_PRICE,
    });
    const none = await batchOf(unpaid.fields.inferenceId, servers.exactSettlements);
    expect(none?.leaf).toMatchObject({ encoding: "exact", amount: DEFAULT_PRICE });
    expect(none?.leaf).not.toMatchObject({ paymentId: await paymentIdOfCompletion(unpaid) });
  });
});

describe("signed x402 receipts (offer-receipt)", () => {
  /** The devnet's payment chain as a profile names it: chain 8453, USDC accepted. */
  const paymentProfile = () => ({
    payment: {
      chainId: 8453,
      rpcUrl: devnet.deployment.chains.base.rpcUrl,
      tokens: [{ address: USDC_ADDRESS_BASE, symbol: "USDC", decimals: 6 }],
    },
  });

  test("default: PAYMENT-RESPONSE carries an EIP-712 receipt by the payee, naming the settlement tx", async () => {
    const paid = await complete({ body: chat("sign me a receipt") });
    const header = paid.headers.get("PAYMENT-RESPONSE") as string;
    const receipt = parseSignedReceipt(header);
    expect(receipt.format).toBe("eip712");
    expect(await verifySignedReceipt(receipt, { expectedSigner: PAYEE.address })).toMatchObject({
      valid: true,
      signer: { address: PAYEE.address },
      payload: {
        version: 1,
        network: "eip155:8453",
        resourceUrl: `${servers.gatewayUrl}${CHAT_COMPLETIONS_PATH}`,
        payer: ALICE.address,
        transaction: paid.settlement.transaction,
      },
    });

    const report = await verifyX402Receipt({ receipt: header, profile: paymentProfile() });
    expect(report).toMatchObject({
      state: "verified",
      payment: {
        ok: true,
        txHash: (paid.settlement.transaction as string).toLowerCase(),
        payer: ALICE.address,
        payTo: PAYEE.address,
        amount: DEFAULT_PRICE.toString(),
        token: USDC_ADDRESS_BASE,
      },
      payee: { ok: true },
    });
    expect(formatX402ReceiptReport(report)).toContain("✓ payee      Signed by the payee's key");

    // One field changed after signing: the signer is no longer the payTo.
    if (receipt.format !== "eip712") throw new Error("unreachable");
    const tampered = { ...receipt, payload: { ...receipt.payload, resourceUrl: "http://127.0.0.1:1/other" } };
    const refused = await verifyX402Receipt({ receipt: tampered, profile: paymentProfile() });
    expect(refused).toMatchObject({ state: "signer_not_payee", payment: { ok: true }, payee: { ok: false } });
  });

  test("behavior: a gateway issuing JWS receipts (ES256K, did:key of the payee's key) verifies the same way", async () => {
    const gateway = createGateway({
      facilitatorUrl: servers.facilitatorUrl,
      payTo: PAYEE.address,
      tees: [devnet.tee],
      receipts: { format: "jws" },
      onError: () => {},
    });
    const served = await serveOnLoopback(gateway.app.fetch);
    try {
      const paid = await requestCompletion({
        fetch: pay,
        url: served.url,
        request: { kind: "chat", body: chat("a JWS receipt"), settlementType: "private" },
      });
      const report = await verifyX402Receipt({
        receipt: paid.headers.get("PAYMENT-RESPONSE"),
        profile: paymentProfile(),
      });
      expect(report).toMatchObject({
        state: "verified",
        format: "jws",
        signer: { address: PAYEE.address, alg: "ES256K", keyType: "secp256k1" },
        payload: { payer: ALICE.address, transaction: paid.settlement.transaction },
        payment: { ok: true, payer: ALICE.address, payTo: PAYEE.address },
      });
    } finally {
      await served.close();
      await gateway.idle();
    }
  });
});

describe("POST /v1/completions", () => {
  test("default: a text_completion body whose hashes recompute", async () => {
    const body = { model: "openai/gpt-3.5-turbo-instruct", prompt: `Once upon a time #${++counter}`, max_tokens: 20 };
    const paid = await complete({ kind: "completion", body });
    const json = JSON.parse(paid.text);
    expect(json).toMatchObject({
      object: "text_completion",
      choices: [{ text: reversed(body.prompt), index: 0, finish_reason: "stop" }],
    });
    expect(json.id).toMatch(/^cmpl-/);
    expect(paid.fields.inputHash).toBe(inputHashOf(JSON.stringify(body), "completion"));
    expect(paid.fields.inferenceId).toBe(inferenceIdOf(paid.fields));
    expect(await signatureVerifies(paid)).toBe(true);
  });
});

describe("payment and arguments", () => {
  test("behavior: without a payment the endpoints answer 402 offering upto OPG sessions, exact OPG over Permit2 and exact USDC", async () => {
    for (const path of [CHAT_COMPLETIONS_PATH, COMPLETIONS_PATH]) {
      const response = await fetch(`${servers.gatewayUrl}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(chat("free?")),
      });
      expect(response.status).toBe(402);
      const required = JSON.parse(Buffer.from(response.headers.get("PAYMENT-REQUIRED") ?? "", "base64").toString());
      const opg = { name: "OpenGradient", version: "1", assetTransferMethod: "permit2" };
      expect(required.accepts).toEqual([
        {
          scheme: "upto",
          network: "eip155:8453",
          asset: OPG_ADDRESS_BASE,
          amount: (10n ** 17n).toString(),
          payTo: PAYEE.address,
          maxTimeoutSeconds: 100 + 900 + 60,
          extra: { ...opg, facilitatorAddress: FACILITATOR.address },
        },
        {
          scheme: "exact",
          network: "eip155:8453",
          asset: OPG_ADDRESS_BASE,
          amount: (10n ** 15n).toString(),
          payTo: PAYEE.address,
          maxTimeoutSeconds: 300,
          extra: opg,
        },
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
      expect(Object.keys(required.extensions ?? {}).sort()).toEqual(["erc20ApprovalGasSponsoring", "offer-receipt"]);
    }
  });

  test("args: a bad request or fault is refused with 400 and the payment is not settled", async () => {
    const balance = () =>
      base.readContract({ address: USDC_ADDRESS_BASE, abi: usdcAbi, functionName: "balanceOf", args: [BOB.address] });
    const before = await balance();
    const bobPays = createPayingFetch({ account: BOB });
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      bobPays(`${servers.gatewayUrl}${CHAT_COMPLETIONS_PATH}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const badRole = await post({ model: "m", messages: [{ role: "robot", content: "hi" }] });
    expect(badRole.status).toBe(400);
    expect(await badRole.json()).toMatchInlineSnapshot(`
      {
        "error": "Request field "messages[0].role" is "robot", expected one of "system", "user", "assistant", "tool", "function" (or "developer", hashed as "system").",
      }
    `);
    const badFault = await post(chat("x"), { [DEVNET_FAULT_REQUEST_HEADER]: "loud" });
    expect(await badFault.json()).toMatchInlineSnapshot(`
      {
        "error": "Fault "loud" is not one of bad_signature, unregistered_tee, disabled_tee, unsettled, unpaid, underpaid, unofficial, mismatched, withheld, pending, expired, duplicate, legacy.",
      }
    `);
    const unlinked = await post(chat("x"), { [DEVNET_FAULT_REQUEST_HEADER]: "underpaid" });
    expect(await unlinked.json()).toMatchInlineSnapshot(`
      {
        "error": "Fault "underpaid" concerns the payment an exact link cites; send X-Devnet-Link: exact.",
      }
    `);
    const individually = await post(chat("x"), {
      [DEVNET_FAULT_REQUEST_HEADER]: "withheld",
      [SETTLEMENT_TYPE_REQUEST_HEADER]: "individual",
    });
    expect(await individually.json()).toMatchInlineSnapshot(`
      {
        "error": "Fault "withheld" acts on a batch's blob or root; it needs X-SETTLEMENT-TYPE: batch.",
      }
    `);
    expect(await balance()).toBe(before);
  });
});
