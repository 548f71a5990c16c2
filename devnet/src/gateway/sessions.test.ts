import {
  OPG_ADDRESS_BASE,
  opgAbi,
  PERMIT2_ADDRESS,
  paymentIdOf,
  settlementRelayV3Abi,
  USDC_ADDRESS_BASE,
  usdcAbi,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from "@settlescan/abis";
import {
  type Address,
  createPublicClient,
  decodeFunctionData,
  type Hash,
  type Hex,
  http,
  type LocalAccount,
  maxUint256,
  numberToHex,
  parseEventLogs,
  type Transaction,
} from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { CLIENTS, FACILITATOR, PAYEE, payerAccountOf } from "../accounts";
import { mintOpg } from "../base/opg";
import { permit2Abi, permit2NonceWordOf } from "../base/permit2";
import { devnetChainOf } from "../chains";
import { devnetClientOf } from "../deploy";
import type { CompletionRequest } from "../x402/client";
import { createGatewayClient, type GatewayClient } from "../x402/gatewayClient";
import { paymentFactsOf } from "../x402/payment";
import type { GasSponsoring } from "../x402/permit2Resource";
import { type Served, serveOnLoopback } from "../x402/serve";
import { startTestDevnet, type TestDevnet, testFacilitatorOf } from "../x402/testDevnet";
import { DEFAULT_PRICE } from "../x402/usdc";
import { createGateway, type Gateway, type GatewayOptions, type GatewaySession } from "./gateway";
import { UPTO_SESSION_HEADER } from "./sessions";

const ALICE = CLIENTS[0] as LocalAccount;

/** Every event the payment paths log. */
const ABI = [...opgAbi, ...usdcAbi, ...x402UptoPermit2ProxyAbi, ...permit2Abi] as const;

let devnet: TestDevnet;
let base: ReturnType<typeof devnetClientOf>;
let og: ReturnType<typeof devnetClientOf>;
let facilitator: ReturnType<typeof testFacilitatorOf>;
let facilitatorUrl: string;
const served: Served[] = [];
const gateways: Gateway[] = [];
let payerCount = 0;

beforeAll(async () => {
  devnet = await startTestDevnet();
  base = devnetClientOf({ name: "base", ...devnet.deployment.chains.base });
  og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og });
  facilitator = testFacilitatorOf(devnet, { batch: { size: 1_000, idleMs: 600_000 } });
  const server = await serveOnLoopback(facilitator.app.fetch);
  served.push(server);
  facilitatorUrl = server.url;
  await approvePermit2(ALICE);
}, 120_000);
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});
afterAll(async () => {
  await facilitator?.close();
  await Promise.all(served.map((server) => server.close()));
  await devnet?.stop();
});

const reader = () => createPublicClient({ chain: devnetChainOf(devnet.base), transport: http(devnet.base.rpcUrl) });

/** A gateway on loopback; sessions idle for 1.5 s by default. */
async function gatewayWith(options: Partial<GatewayOptions> = {}) {
  const errors: string[] = [];
  const closed: GatewaySession[] = [];
  const gateway = createGateway({
    facilitatorUrl,
    payTo: PAYEE.address,
    tees: [devnet.tee],
    sessionIdleSeconds: 1.5,
    onError: (error) => errors.push(error instanceof Error ? error.message : String(error)),
    onSessionClosed: (session) => closed.push(session),
    ...options,
  });
  gateways.push(gateway);
  const server = await serveOnLoopback(gateway.app.fetch);
  served.push(server);
  return { gateway, url: server.url, errors, closed };
}

let counter = 0;
const request = (extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  kind: "chat",
  body: { model: "devnet/reverse", messages: [{ role: "user", content: `session prompt #${++counter}` }] },
  ...extra,
});

async function confirmed(hash: Hash) {
  const receipt = await base.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  expect(receipt.status).toBe("success");
  return receipt;
}

async function approvePermit2(account: LocalAccount) {
  await confirmed(
    await base.writeContract({
      account,
      address: OPG_ADDRESS_BASE,
      abi: opgAbi,
      functionName: "approve",
      args: [PERMIT2_ADDRESS, maxUint256],
    }),
  );
}

/** A fresh payer holding 1,000 OPG, no ETH and no Permit2 allowance. */
async function newPayer(): Promise<LocalAccount> {
  const payer = payerAccountOf("gateway sessions test", payerCount++);
  await mintOpg(base, [payer.address]);
  return payer;
}

const clientOf = (account: LocalAccount, mode: GatewayClient["mode"]) =>
  createGatewayClient({ account, mode, reader: reader() });

const head = () => base.getBlockNumber({ cacheTime: 0 });

/** Transactions mined after `block`, in order. */
async function transactionsSince(block: bigint): Promise<Transaction[]> {
  const latest = await head();
  const transactions: Transaction[] = [];
  for (let n = block + 1n; n <= latest; n++)
    transactions.push(...(await base.getBlock({ blockNumber: n, includeTransactions: true })).transactions);
  return transactions;
}

/** Waits until `gateway` reports `count` closed sessions. */
async function closedSessions(closed: GatewaySession[], count: number, timeoutMs = 15_000) {
  const started = Date.now();
  while (closed.length < count) {
    if (Date.now() - started > timeoutMs) throw new Error(`Only ${closed.length} of ${count} sessions closed.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return closed;
}

/** Decoded logs of a transaction as `[eventName, emitter, args]`. */
async function logsOf(hash: Hash) {
  const receipt = await confirmed(hash);
  return parseEventLogs({ abi: ABI, logs: receipt.logs }).map((log) => [
    log.eventName,
    log.address.toLowerCase(),
    log.args ?? {},
  ]);
}

const lower = (address: Address) => address.toLowerCase();

/** The upto proxy's `settle` arguments in a transaction. */
function uptoCallOf(transaction: Transaction) {
  const call = decodeFunctionData({ abi: x402UptoPermit2ProxyAbi, data: transaction.input });
  const [permit, amount, owner, witness] = (call.functionName === "settleWithPermit"
    ? call.args.slice(1)
    : call.args) as unknown as readonly [
    { permitted: { token: Address; amount: bigint }; nonce: bigint; deadline: bigint },
    bigint,
    Address,
    { to: Address; facilitator: Address; validAfter: bigint },
  ];
  return { functionName: call.functionName, permit, amount, owner, witness };
}

describe("upto sessions", () => {
  test("default: several inferences on one session settle once, for their summed cost, after the session idled", async () => {
    const { url, closed } = await gatewayWith();
    const client = clientOf(ALICE, "upto");
    const before = await head();
    const answers = [];
    for (const cost of [1_000n, 2_000n, 3_000n]) answers.push(await client.complete(url, request(), { cost }));
    const id = answers[0]?.session;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answers.map((a) => [a.session, a.settlement, a.headers.get("PAYMENT-RESPONSE")])).toEqual([
      [id, null, null],
      [id, null, null],
      [id, null, null],
    ]);
    // Batch mode: nothing but the session header, and nothing on chain until the reaper runs.
    expect(answers[0]?.headers.get("X-TEE-ID")).toBeNull();
    expect(await transactionsSince(before)).toEqual([]);

    const [session] = await closedSessions(closed, 1);
    expect(session).toMatchObject({
      id,
      payer: ALICE.address,
      status: "settled",
      closeReason: "idle",
      charged: 6_000n,
      inferences: 3,
    });
    const transactions = await transactionsSince(before);
    expect(transactions.map(({ from, to }) => [from, to])).toEqual([
      [lower(FACILITATOR.address), lower(X402_UPTO_PERMIT2_PROXY_ADDRESS)],
    ]);
    const transaction = transactions[0] as Transaction;
    expect(session?.settlement?.transaction).toBe(transaction.hash);
    const call = uptoCallOf(transaction);
    expect(call).toMatchObject({ functionName: "settle", amount: 6_000n, owner: ALICE.address });
    expect(call.permit.permitted).toEqual({ token: OPG_ADDRESS_BASE, amount: 10n ** 17n });
    expect(call.witness).toEqual({ to: PAYEE.address, facilitator: FACILITATOR.address, validAfter: 0n });
    expect(await logsOf(transaction.hash)).toEqual([
      ["Transfer", lower(OPG_ADDRESS_BASE), { from: ALICE.address, to: PAYEE.address, value: 6_000n }],
      ["Settled", lower(X402_UPTO_PERMIT2_PROXY_ADDRESS), {}],
    ]);
  });

  test("behavior: an inference beyond the cap settles the exhausted session at once and opens a new one", async () => {
    const { url, closed, gateway } = await gatewayWith({ uptoMax: 10_000n, sessionIdleSeconds: 30 });
    const client = clientOf(ALICE, "upto");
    const before = await head();
    const first = await client.complete(url, request(), { cost: 6_000n });
    const second = await client.complete(url, request(), { cost: 6_000n });
    expect(second.session).not.toBe(first.session);
    const [exhausted] = await closedSessions(closed, 1);
    expect(exhausted).toMatchObject({
      id: first.session,
      status: "settled",
      closeReason: "exhausted",
      charged: 6_000n,
      inferences: 1,
    });
    // The second session is open until it idles (30 s here): closing the gateway settles it.
    expect(gateway.sessions().map((s) => [s.id, s.status])).toEqual([
      [first.session, "settled"],
      [second.session, "open"],
    ]);
    await gateway.close();
    expect(closed.map((s) => [s.id, s.status, s.closeReason, s.charged])).toEqual([
      [first.session, "settled", "exhausted", 6_000n],
      [second.session, "settled", "closing", 6_000n],
    ]);
    const settles = (await transactionsSince(before)).filter((t) => t.to === lower(X402_UPTO_PERMIT2_PROXY_ADDRESS));
    expect(settles.map((t) => uptoCallOf(t).amount)).toEqual([6_000n, 6_000n]);
    expect(new Set(settles.map((t) => uptoCallOf(t).permit.nonce)).size).toBe(2);
  });

  test("behavior: reaching the cap exactly closes the session after that inference", async () => {
    const { url, closed } = await gatewayWith({ uptoMax: 5_000n, sessionIdleSeconds: 30 });
    const answer = await clientOf(ALICE, "upto").complete(url, request(), { cost: 5_000n });
    const [session] = await closedSessions(closed, 1);
    expect(session).toMatchObject({ id: answer.session, status: "settled", closeReason: "exhausted", charged: 5_000n });
  });

  test("behavior: a session that charged nothing sends no transaction", async () => {
    const { url, closed } = await gatewayWith();
    const client = clientOf(ALICE, "upto");
    const before = await head();
    await client.complete(url, request(), { cost: 0n });
    await client.complete(url, request(), { cost: 0n });
    const [session] = await closedSessions(closed, 1);
    expect(session).toMatchObject({ status: "empty", closeReason: "idle", charged: 0n, inferences: 2 });
    expect(session?.settlement).toBeUndefined();
    expect(await transactionsSince(before)).toEqual([]);
  });

  test("behavior: the cost is the usage in tokens times the configured rate", async () => {
    const { url, closed } = await gatewayWith({ opgPerToken: 7n });
    const answer = await clientOf(ALICE, "upto").complete(url, request());
    const { usage } = JSON.parse(answer.text) as { usage: { total_tokens: number } };
    const [session] = await closedSessions(closed, 1);
    expect(session?.charged).toBe(BigInt(usage.total_tokens) * 7n);
  });

  test("behavior: a payer who cancels the session's Permit2 nonce leaves it unpaid; the gateway reports the failure", async () => {
    const { url, closed, errors, gateway } = await gatewayWith();
    const payer = await newPayer();
    await base.test.setBalance({ address: payer.address, value: 10n ** 18n });
    await approvePermit2(payer);
    const client = clientOf(payer, "upto");
    await client.complete(url, request(), { cost: 4_000n });
    const [open] = gateway.sessions() as [GatewaySession];
    const nonce = BigInt(
      (open.payload.payload as { permit2Authorization: { nonce: string } }).permit2Authorization.nonce,
    );
    const { wordPos, mask } = permit2NonceWordOf(nonce);
    await confirmed(
      await base.writeContract({
        account: payer,
        address: PERMIT2_ADDRESS,
        abi: permit2Abi,
        functionName: "invalidateUnorderedNonces",
        args: [wordPos, mask],
      }),
    );
    const before = await head();
    const balance = await base.readContract({
      address: OPG_ADDRESS_BASE,
      abi: opgAbi,
      functionName: "balanceOf",
      args: [payer.address],
    });
    const [session] = await closedSessions(closed, 1);
    expect(session).toMatchObject({ status: "failed", charged: 4_000n, inferences: 1 });
    expect(session?.error).toMatch(/nonce|simulation/i);
    expect(errors).toEqual([expect.stringContaining(`Session ${session?.id} of ${payer.address} did not settle`)]);
    expect(await transactionsSince(before)).toEqual([]);
    expect(
      await base.readContract({
        address: OPG_ADDRESS_BASE,
        abi: opgAbi,
        functionName: "balanceOf",
        args: [payer.address],
      }),
    ).toBe(balance);
  });

  test("behavior: an individual settlement on a session names x402's upto proxy as ethAddress, as og-x402 does", async () => {
    const { url } = await gatewayWith();
    const answer = await clientOf(ALICE, "upto").complete(url, request({ settlementType: "individual" }), {
      cost: 1_000n,
    });
    expect(answer.session).toBeTruthy();
    const txHash = answer.headers.get("X-Settlement-Tx-Hash") as Hash;
    expect(answer.headers.get("X-TEE-ID")).toBe(devnet.tee.teeId);
    const receipt = await og.waitForTransactionReceipt({ hash: txHash, pollingInterval: 50 });
    const [event] = parseEventLogs({
      abi: settlementRelayV3Abi,
      logs: receipt.logs,
      eventName: "IndividualSettlement",
    });
    expect(event?.args.ethAddress).toBe(X402_UPTO_PERMIT2_PROXY_ADDRESS);
  });

  describe.each([
    ["eip2612", "settleWithPermit", 1],
    ["erc20Approval", "settle", 3],
  ] as const)("gas sponsoring %s", (sponsoring: GasSponsoring, functionName, count) => {
    test("behavior: a payer without a Permit2 allowance pays a session", async () => {
      const { url, closed } = await gatewayWith({ gasSponsoring: [sponsoring] });
      const payer = await newPayer();
      const before = await head();
      const client = clientOf(payer, "upto");
      await client.complete(url, request(), { cost: 2_500n });
      await client.complete(url, request(), { cost: 500n });
      const [session] = await closedSessions(closed, 1);
      expect(session).toMatchObject({ status: "settled", charged: 3_000n, inferences: 2 });
      const transactions = await transactionsSince(before);
      expect(transactions).toHaveLength(count);
      const settle = transactions.at(-1) as Transaction;
      expect(settle.hash).toBe(session?.settlement?.transaction);
      expect(uptoCallOf(settle)).toMatchObject({ functionName, amount: 3_000n, owner: payer.address });
      const logs = await logsOf(settle.hash);
      expect(logs.find(([name]) => name === "Transfer")).toEqual([
        "Transfer",
        lower(OPG_ADDRESS_BASE),
        { from: payer.address, to: PAYEE.address, value: 3_000n },
      ]);
    });
  });
});

describe("per-request payments", () => {
  test("default: exact over Permit2 settles each request for the price, answering PAYMENT-RESPONSE", async () => {
    const { url } = await gatewayWith({ exactPermit2Price: 12_345n });
    const answer = await clientOf(ALICE, "exact_permit2").complete(url, request());
    expect(answer.session).toBeNull();
    expect(answer.headers.get(UPTO_SESSION_HEADER)).toBeNull();
    expect(answer.settlement).toMatchObject({ success: true, payer: ALICE.address });
    const hash = answer.settlement?.transaction as Hash;
    const transaction = await base.getTransaction({ hash });
    expect(transaction.to).toBe(lower(X402_EXACT_PERMIT2_PROXY_ADDRESS));
    const call = decodeFunctionData({ abi: x402ExactPermit2ProxyAbi, data: transaction.input });
    expect(call.functionName).toBe("settle");
    expect(await logsOf(hash)).toEqual([
      ["Transfer", lower(OPG_ADDRESS_BASE), { from: ALICE.address, to: PAYEE.address, value: 12_345n }],
      ["Settled", lower(X402_EXACT_PERMIT2_PROXY_ADDRESS), {}],
    ]);
  });

  test("default: USDC exact (EIP-3009) still settles each request", async () => {
    const { url } = await gatewayWith();
    const answer = await clientOf(ALICE, "usdc").complete(url, request());
    expect(answer.session).toBeNull();
    const hash = answer.settlement?.transaction as Hash;
    const logs = await logsOf(hash);
    expect(logs.map(([name, emitter]) => [name, emitter])).toEqual([
      ["AuthorizationUsed", lower(USDC_ADDRESS_BASE)],
      ["Transfer", lower(USDC_ADDRESS_BASE)],
    ]);
    expect(logs[1]?.[2]).toEqual({ from: ALICE.address, to: PAYEE.address, value: DEFAULT_PRICE });
  });

  test("behavior: an individual settlement of an EIP-3009 payment names the payer as ethAddress", async () => {
    const { url } = await gatewayWith();
    const answer = await clientOf(ALICE, "usdc").complete(url, request({ settlementType: "individual" }));
    const receipt = await og.waitForTransactionReceipt({
      hash: answer.headers.get("X-Settlement-Tx-Hash") as Hash,
      pollingInterval: 50,
    });
    const [event] = parseEventLogs({
      abi: settlementRelayV3Abi,
      logs: receipt.logs,
      eventName: "IndividualSettlement",
    });
    expect(event?.args.ethAddress).toBe(ALICE.address);
  });

  test("args: a gateway offering only USDC refuses an OPG-only client", async () => {
    const { url } = await gatewayWith({ payments: ["usdc"] });
    await expect(clientOf(ALICE, "upto").complete(url, request())).rejects.toThrow(/No payment requirements|402/);
  });
});

test("behavior: the exact-link paymentId of a session is keyed by Permit2, the payer and the nonce", async () => {
  const { url, gateway } = await gatewayWith();
  await clientOf(ALICE, "upto").complete(url, request(), { cost: 1n });
  const [session] = gateway.sessions() as [GatewaySession];
  const auth = (session.payload.payload as { permit2Authorization: { nonce: string } }).permit2Authorization;
  expect(paymentFactsOf(session.payload)).toMatchObject({
    scheme: "permit2_upto",
    payer: ALICE.address,
    asset: OPG_ADDRESS_BASE,
    maxAmount: 10n ** 17n,
    ethAddress: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    paymentId: paymentIdOf({
      chainId: 8453,
      token: PERMIT2_ADDRESS,
      payer: ALICE.address,
      nonce: numberToHex(BigInt(auth.nonce), { size: 32 }) as Hex,
    }),
  });
});
