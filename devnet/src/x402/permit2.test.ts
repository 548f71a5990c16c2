import {
  OPG_ADDRESS_BASE,
  opgAbi,
  PERMIT2_ADDRESS,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from "@settlescan/abis";
import {
  decodePaymentRequiredHeader,
  decodePaymentResponseHeader,
  encodePaymentSignatureHeader,
} from "@x402/core/http";
import type { PaymentPayload, SettleResponse } from "@x402/core/types";
import type { UptoPermit2Payload } from "@x402/evm";
import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  type Hash,
  type Hex,
  http,
  type LocalAccount,
  maxUint256,
  parseEventLogs,
  type Transaction,
} from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FACILITATOR, PAYEE, payerAccountOf } from "../accounts";
import { mintOpg } from "../base/opg";
import { permit2Abi, permit2NonceWordOf } from "../base/permit2";
import { deployPermit2Payments } from "../base/permit2Payments";
import { type Anvil, BASE_CHAIN_ID, devnetChainOf, freePort, startAnvil } from "../chains";
import { type DevnetClient, devnetClientOf } from "../deploy";
import { createPermit2PayingFetch, permit2PaymentClientOf } from "./permit2Client";
import { createPermit2Facilitator, facilitatorAppOf } from "./permit2Facilitator";
import {
  createPermit2Resource,
  DEFAULT_EXACT_PRICE,
  DEFAULT_UPTO_MAX,
  DEVNET_COST_HEADER,
  EXACT_PERMIT2_PATH,
  type GasSponsoring,
  UPTO_PATH,
} from "./permit2Resource";
import { type Served, serveOnLoopback } from "./serve";

/** Selectors of the proxies' settlement functions (issue #14; x402-permit2 research §1). */
const SELECTORS = {
  uptoSettle: "0xff11e7b4",
  uptoSettleWithPermit: "0x016c1748",
  exactSettle: "0x13cd3b53",
  exactSettleWithPermit: "0xfa340378",
} as const;

/** Every event and error the chain can show on these paths, for decoding logs and reverts. */
const ABI = [...opgAbi, ...x402UptoPermit2ProxyAbi, ...permit2Abi] as const;

let anvil: Anvil;
let base: DevnetClient;
const served: Served[] = [];
let facilitatorUrl: string;
let payerCount = 0;

beforeAll(async () => {
  anvil = await startAnvil({ name: "base", chainId: BASE_CHAIN_ID, port: await freePort() });
  base = devnetClientOf(anvil);
  await deployPermit2Payments(base);
  const facilitatorClient = createWalletClient({
    account: FACILITATOR,
    chain: devnetChainOf(anvil),
    transport: http(anvil.rpcUrl),
    pollingInterval: 50,
  });
  const facilitator = await serveOnLoopback(facilitatorAppOf(createPermit2Facilitator(facilitatorClient)).fetch);
  served.push(facilitator);
  facilitatorUrl = facilitator.url;
}, 120_000);

afterAll(async () => {
  await Promise.all(served.map((server) => server.close()));
  await anvil?.stop();
});

/** A resource server on loopback declaring `gasSponsoring`. */
async function resourceWith(gasSponsoring: readonly GasSponsoring[]) {
  const server = await serveOnLoopback(
    createPermit2Resource({ facilitator: facilitatorUrl, payTo: PAYEE.address, gasSponsoring }).fetch,
  );
  served.push(server);
  return server.url;
}

/** A fresh payer holding 1,000 OPG and no ETH; `approved` gives Permit2 an unlimited allowance first (and gas ETH). */
async function newPayer({ approved = false } = {}): Promise<LocalAccount> {
  const payer = payerAccountOf("permit2 test", payerCount++);
  await mintOpg(base, [payer.address]);
  if (approved) {
    await base.test.setBalance({ address: payer.address, value: 10n ** 18n });
    await confirmed(
      await base.writeContract({
        account: payer,
        address: OPG_ADDRESS_BASE,
        abi: opgAbi,
        functionName: "approve",
        args: [PERMIT2_ADDRESS, maxUint256],
      }),
    );
  }
  return payer;
}

async function confirmed(hash: Hash) {
  const receipt = await base.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  expect(receipt.status).toBe("success");
  return receipt;
}

const reader = () => createPublicClient({ chain: devnetChainOf(anvil), transport: http(anvil.rpcUrl) });

/** Pays `path` on `url` from `payer` through x402's fetch wrapper; returns the answer and its settlement. */
async function pay(url: string, path: string, payer: LocalAccount, cost?: bigint) {
  const fetch = createPermit2PayingFetch({ account: payer, reader: reader() });
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: cost === undefined ? {} : { [DEVNET_COST_HEADER]: cost.toString() },
  });
  const header = response.headers.get("PAYMENT-RESPONSE");
  const body = await response.text();
  expect(response.status, body).toBe(200);
  expect(header).toBeTruthy();
  return { body: JSON.parse(body) as { charged: string }, settlement: decodePaymentResponseHeader(header as string) };
}

/** Transactions mined after `block`, in order (the node automines one per block). */
async function transactionsSince(block: bigint): Promise<Transaction[]> {
  const latest = await base.getBlockNumber({ cacheTime: 0 });
  const transactions: Transaction[] = [];
  for (let n = block + 1n; n <= latest; n++)
    transactions.push(...(await base.getBlock({ blockNumber: n, includeTransactions: true })).transactions);
  return transactions;
}

/** The settlement transaction and its decoded logs as `[eventName, emitter, args]`. */
async function settlementOf(settlement: SettleResponse) {
  expect(settlement.success).toBe(true);
  const hash = settlement.transaction as Hash;
  const [transaction, receipt] = await Promise.all([
    base.getTransaction({ hash }),
    base.getTransactionReceipt({ hash }),
  ]);
  expect(receipt.status).toBe("success");
  const logs = parseEventLogs({ abi: ABI, logs: receipt.logs }).map((log) => [
    log.eventName,
    log.address.toLowerCase(),
    log.args ?? {},
  ]);
  return { transaction, receipt, logs };
}

const lower = (address: Address) => address.toLowerCase();

describe("upto", () => {
  test("default: one request settles what it cost (settle), in OPG, from the facilitator named in the witness", async () => {
    const url = await resourceWith([]);
    const payer = await newPayer({ approved: true });
    const cost = 12_345_678_901_234n;
    const { body, settlement } = await pay(url, UPTO_PATH, payer, cost);
    expect(body.charged).toBe(cost.toString());
    expect(settlement).toMatchObject({ success: true, payer: payer.address, amount: cost.toString() });

    const { transaction, logs } = await settlementOf(settlement);
    expect(transaction.from).toBe(lower(FACILITATOR.address));
    expect(transaction.to).toBe(lower(X402_UPTO_PERMIT2_PROXY_ADDRESS));
    expect(transaction.input.slice(0, 10)).toBe(SELECTORS.uptoSettle);
    const call = decodeFunctionData({ abi: x402UptoPermit2ProxyAbi, data: transaction.input });
    expect(call.functionName).toBe("settle");
    const [permit, amount, owner, witness] = call.args as unknown as readonly [
      { permitted: { token: Address; amount: bigint }; nonce: bigint; deadline: bigint },
      bigint,
      Address,
      { to: Address; facilitator: Address; validAfter: bigint },
    ];
    expect(permit.permitted).toEqual({ token: OPG_ADDRESS_BASE, amount: DEFAULT_UPTO_MAX });
    expect(amount).toBe(cost);
    expect(owner).toBe(payer.address);
    expect(witness).toEqual({ to: PAYEE.address, facilitator: FACILITATOR.address, validAfter: 0n });

    expect(logs).toEqual([
      ["Transfer", lower(OPG_ADDRESS_BASE), { from: payer.address, to: PAYEE.address, value: cost }],
      ["Settled", lower(X402_UPTO_PERMIT2_PROXY_ADDRESS), {}],
    ]);
    const [wordPos, bit] = [permit.nonce >> 8n, permit.nonce & 0xffn];
    const bitmap = await base.readContract({
      address: PERMIT2_ADDRESS,
      abi: permit2Abi,
      functionName: "nonceBitmap",
      args: [payer.address, wordPos],
    });
    expect((bitmap >> bit) & 1n).toBe(1n);
  });

  test("behavior: a replayed authorization is refused by the chain (Permit2 InvalidNonce)", async () => {
    const url = await resourceWith([]);
    const payer = await newPayer({ approved: true });
    const { settlement } = await pay(url, UPTO_PATH, payer, 1_000n);
    const { transaction } = await settlementOf(settlement);
    const balance = await opgBalanceOf(payer.address);

    // The same calldata again, from the same facilitator, with the gas given so that the node mines it.
    const hash = await base.sendTransaction({
      account: FACILITATOR,
      to: X402_UPTO_PERMIT2_PROXY_ADDRESS,
      data: transaction.input,
      gas: 300_000n,
    });
    const receipt = await base.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    expect(receipt.status).toBe("reverted");
    expect(receipt.logs).toEqual([]);
    expect(await opgBalanceOf(payer.address)).toBe(balance);
    const call = decodeFunctionData({ abi: x402UptoPermit2ProxyAbi, data: transaction.input });
    expect(await revertOf(() => base.simulateContract({ ...uptoSettleOf(call.args), account: FACILITATOR }))).toBe(
      "InvalidNonce",
    );
  });

  test("behavior: with an EIP-2612 permit the payer needs no prior approval (settleWithPermit)", async () => {
    const url = await resourceWith(["eip2612"]);
    const payer = await newPayer();
    const cost = 777n;
    const { settlement } = await pay(url, UPTO_PATH, payer, cost);
    expect(settlement.amount).toBe(cost.toString());
    const { transaction, logs } = await settlementOf(settlement);
    expect(transaction.to).toBe(lower(X402_UPTO_PERMIT2_PROXY_ADDRESS));
    expect(transaction.input.slice(0, 10)).toBe(SELECTORS.uptoSettleWithPermit);
    const call = decodeFunctionData({ abi: x402UptoPermit2ProxyAbi, data: transaction.input });
    expect(call.functionName).toBe("settleWithPermit");
    expect(call.args[0]).toMatchObject({ value: DEFAULT_UPTO_MAX });
    expect(call.args[2]).toBe(cost);
    expect(logs).toEqual([
      [
        "Approval",
        lower(OPG_ADDRESS_BASE),
        { owner: payer.address, spender: PERMIT2_ADDRESS, value: DEFAULT_UPTO_MAX },
      ],
      ["Transfer", lower(OPG_ADDRESS_BASE), { from: payer.address, to: PAYEE.address, value: cost }],
      ["SettledWithPermit", lower(X402_UPTO_PERMIT2_PROXY_ADDRESS), {}],
    ]);
    expect(
      await base.readContract({
        address: OPG_ADDRESS_BASE,
        abi: opgAbi,
        functionName: "nonces",
        args: [payer.address],
      }),
    ).toBe(1n);
    expect(await base.getBalance({ address: payer.address })).toBe(0n);
  });

  test("behavior: ERC-20-approval gas sponsoring sends three transactions: gas funding, approval, settlement", async () => {
    const url = await resourceWith(["erc20Approval"]);
    const payer = await newPayer();
    const before = await base.getBlockNumber({ cacheTime: 0 });
    const cost = 5_000n;
    const { settlement } = await pay(url, UPTO_PATH, payer, cost);
    const transactions = await transactionsSince(before);
    expect(
      transactions.map(({ from, to, value, input }) => [
        from,
        to,
        value > 0n ? "value" : "no value",
        input.slice(0, 10),
      ]),
    ).toEqual([
      [lower(FACILITATOR.address), lower(payer.address), "value", "0x"],
      [lower(payer.address), lower(OPG_ADDRESS_BASE), "no value", "0x095ea7b3"],
      [lower(FACILITATOR.address), lower(X402_UPTO_PERMIT2_PROXY_ADDRESS), "no value", SELECTORS.uptoSettle],
    ]);
    expect(settlement.transaction).toBe(transactions[2]?.hash);
    const approval = await base.getTransactionReceipt({ hash: transactions[1]?.hash as Hash });
    expect(parseEventLogs({ abi: opgAbi, logs: approval.logs }).map((log) => [log.eventName, log.args])).toEqual([
      ["Approval", { owner: payer.address, spender: PERMIT2_ADDRESS, value: maxUint256 }],
    ]);
    const { logs } = await settlementOf(settlement);
    expect(logs).toEqual([
      ["Transfer", lower(OPG_ADDRESS_BASE), { from: payer.address, to: PAYEE.address, value: cost }],
      ["Settled", lower(X402_UPTO_PERMIT2_PROXY_ADDRESS), {}],
    ]);
  });

  test("behavior: a payer who cancels the nonce with invalidateUnorderedNonces makes the payment fail", async () => {
    const url = await resourceWith([]);
    const payer = await newPayer({ approved: true });
    const unpaid = await fetch(`${url}${UPTO_PATH}`, { method: "POST" });
    expect(unpaid.status).toBe(402);
    const paymentRequired = decodePaymentRequiredHeader(unpaid.headers.get("PAYMENT-REQUIRED") as string);
    const client = permit2PaymentClientOf({ account: payer, reader: reader() });
    const payment = await client.createPaymentPayload(paymentRequired);
    const { permit2Authorization } = payment.payload as unknown as UptoPermit2Payload;
    const nonce = BigInt(permit2Authorization.nonce);

    const { wordPos, mask } = permit2NonceWordOf(nonce);
    const cancel = await confirmed(
      await base.writeContract({
        account: payer,
        address: PERMIT2_ADDRESS,
        abi: permit2Abi,
        functionName: "invalidateUnorderedNonces",
        args: [wordPos, mask],
      }),
    );
    expect(
      parseEventLogs({ abi: permit2Abi, logs: cancel.logs }).map((log) => [log.address, log.eventName, log.args]),
    ).toEqual([[lower(PERMIT2_ADDRESS), "UnorderedNonceInvalidation", { owner: payer.address, word: wordPos, mask }]]);

    const balance = await opgBalanceOf(payer.address);
    const refused = await fetch(`${url}${UPTO_PATH}`, {
      method: "POST",
      headers: { "PAYMENT-SIGNATURE": encodePaymentSignatureHeader(payment), [DEVNET_COST_HEADER]: "1000" },
    });
    expect(refused.status).toBe(402);
    expect(refused.headers.get("PAYMENT-RESPONSE")).toBeNull();
    expect(await opgBalanceOf(payer.address)).toBe(balance);

    // Submitted straight to the chain, the cancelled authorization reverts in Permit2.
    expect(
      await revertOf(() =>
        base.simulateContract({ ...uptoSettleOf(settleArgsOf(payment, 1_000n)), account: FACILITATOR }),
      ),
    ).toBe("InvalidNonce");
  });
});

describe("exact over Permit2", () => {
  test("default: the whole price moves to payTo through the exact proxy (settle)", async () => {
    const url = await resourceWith([]);
    const payer = await newPayer({ approved: true });
    const { settlement } = await pay(url, EXACT_PERMIT2_PATH, payer);
    const { transaction, logs } = await settlementOf(settlement);
    expect(transaction.to).toBe(lower(X402_EXACT_PERMIT2_PROXY_ADDRESS));
    expect(transaction.input.slice(0, 10)).toBe(SELECTORS.exactSettle);
    const call = decodeFunctionData({ abi: x402ExactPermit2ProxyAbi, data: transaction.input });
    expect(call.functionName).toBe("settle");
    expect(call.args[0]).toMatchObject({ permitted: { token: OPG_ADDRESS_BASE, amount: DEFAULT_EXACT_PRICE } });
    expect(call.args[1]).toBe(payer.address);
    expect(call.args[2]).toEqual({ to: PAYEE.address, validAfter: expect.any(BigInt) });
    expect(logs).toEqual([
      ["Transfer", lower(OPG_ADDRESS_BASE), { from: payer.address, to: PAYEE.address, value: DEFAULT_EXACT_PRICE }],
      ["Settled", lower(X402_EXACT_PERMIT2_PROXY_ADDRESS), {}],
    ]);
  });

  test("behavior: with an EIP-2612 permit (settleWithPermit)", async () => {
    const url = await resourceWith(["eip2612"]);
    const payer = await newPayer();
    const { settlement } = await pay(url, EXACT_PERMIT2_PATH, payer);
    const { transaction, logs } = await settlementOf(settlement);
    expect(transaction.to).toBe(lower(X402_EXACT_PERMIT2_PROXY_ADDRESS));
    expect(transaction.input.slice(0, 10)).toBe(SELECTORS.exactSettleWithPermit);
    expect(logs.map(([name, emitter]) => [name, emitter])).toEqual([
      ["Approval", lower(OPG_ADDRESS_BASE)],
      ["Transfer", lower(OPG_ADDRESS_BASE)],
      ["SettledWithPermit", lower(X402_EXACT_PERMIT2_PROXY_ADDRESS)],
    ]);
  });
});

async function opgBalanceOf(address: Address) {
  return base.readContract({ address: OPG_ADDRESS_BASE, abi: opgAbi, functionName: "balanceOf", args: [address] });
}

type UptoSettleArgs = ReturnType<typeof settleArgsOf>;

/** The upto proxy's `settle` arguments for an x402 upto payment, settling `amount`. */
function settleArgsOf(payment: PaymentPayload, amount: bigint) {
  const { signature, permit2Authorization: auth } = payment.payload as unknown as UptoPermit2Payload;
  return [
    {
      permitted: { token: auth.permitted.token as Address, amount: BigInt(auth.permitted.amount) },
      nonce: BigInt(auth.nonce),
      deadline: BigInt(auth.deadline),
    },
    amount,
    auth.from as Address,
    {
      to: auth.witness.to as Address,
      facilitator: auth.witness.facilitator as Address,
      validAfter: BigInt(auth.witness.validAfter),
    },
    signature as Hex,
  ] as const;
}

function uptoSettleOf(args: UptoSettleArgs | readonly unknown[]) {
  return {
    address: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    abi: [...x402UptoPermit2ProxyAbi, ...permit2Abi],
    functionName: "settle",
    args: args as UptoSettleArgs,
  } as const;
}

/** The name of the custom error a call reverts with. */
async function revertOf(call: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await call();
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    if (reverted instanceof ContractFunctionRevertedError) return reverted.data?.errorName ?? reverted.signature;
    throw error;
  }
  throw new Error("The call did not revert.");
}
