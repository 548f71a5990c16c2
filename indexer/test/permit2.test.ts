import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  MULTICALL3_ADDRESS,
  multicall3Abi,
  OPG_ADDRESS_BASE,
  opgAbi,
  PERMIT2_ADDRESS,
  paymentIdOf,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from "@settlescan/abis";
import { FACILITATOR, PAYEE, payerAccountOf } from "@settlescan/devnet/accounts";
import { mintOpg } from "@settlescan/devnet/base/opg";
import { permit2Abi, permit2NonceWordOf } from "@settlescan/devnet/base/permit2";
import { devnetChainOf } from "@settlescan/devnet/chains";
import { type DevnetClient, devnetClientOf } from "@settlescan/devnet/deploy";
import { type Devnet, startDevnet } from "@settlescan/devnet/devnet";
import { devnetProfileOf, writeProfile } from "@settlescan/devnet/profile";
import { rpc } from "@settlescan/devnet/rpc";
import { createPermit2PayingFetch, permit2PaymentClientOf } from "@settlescan/devnet/x402/permit2Client";
import { createPermit2Facilitator, facilitatorAppOf } from "@settlescan/devnet/x402/permit2Facilitator";
import {
  createPermit2Resource,
  DEFAULT_EXACT_PRICE,
  DEFAULT_UPTO_MAX,
  DEVNET_COST_HEADER,
  EXACT_PERMIT2_PATH,
  type GasSponsoring,
  UPTO_PATH,
} from "@settlescan/devnet/x402/permit2Resource";
import { type Served, serveOnLoopback } from "@settlescan/devnet/x402/serve";
import {
  type Address,
  concat,
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  encodeFunctionData,
  getAddress,
  type Hash,
  type Hex,
  http,
  type LocalAccount,
  maxUint256,
  numberToHex,
  toEventSelector,
  toHex,
} from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type IndexerProcess, rowsOf, startIndexer } from "./indexerProcess";
import { type Postgres, startPostgres } from "./postgres";

// x402 payments over Permit2 on a real devnet "base", made with x402's own client, resource server and facilitator
// (devnet/src/x402/permit2*.ts) and, for what x402's facilitator never does, with signed permits sent by hand: a
// facilitator contract (Multicall3), a builder-code suffix, a proxy whose Transfer disagrees with its call. The
// indexer follows the chain afterwards, on PGlite and on PostgreSQL.

/** Ponder's finality depth for these chain ids is 30 blocks: the flows are buried under more, and indexed as history. */
const FINALITY_MARGIN = 40;
/** A deadline no test reaches. */
const FAR_DEADLINE = 2n ** 40n;
/** An ERC-8021 builder-code suffix as x402's `builder-code` extension appends it (CBOR, then the marker). */
const BUILDER_CODE_SUFFIX: Hex = "0xa1616362736580218021802180218021802180218021";

type PaymentRow = {
  id: Hex;
  token: Address;
  payer: Address;
  payee: Address;
  nonce: Hex;
  facilitator: Address;
  amount: string;
  maxAmount: string | null;
  scheme: string;
  validAfter: string | null;
  deadline: string | null;
  mismatch: string | null;
  txHash: Hash;
  logIndex: number;
};

/** What a payment of the flows must be indexed as. */
type Expected = {
  payer: Address;
  nonce: bigint;
  amount: bigint;
  /** upto only: the permitted amount; null for exact. */
  maxAmount: bigint | null;
  scheme: "permit2_exact" | "permit2_upto";
  txHash: Hash;
};

let devnet: Devnet;
let base: DevnetClient;
let profilePath: string;
let endBlocks: Record<string, string>;
let heads: { base: number; og: number };
let indexer: IndexerProcess;
let rows: PaymentRow[];
const served: Served[] = [];
let facilitatorUrl: string;
let payerCount = 0;
/** Every payment the flows made, by name. */
const paid: Record<string, Expected> = {};
/** Transactions that must leave no payment. */
const unpaid: Record<string, Hash> = {};
let cancellation: { owner: Address; word: bigint; mask: bigint; txHash: Hash };

const lower = (address: string) => address.toLowerCase();
/** An x402 header's JSON (base64 of UTF-8 JSON, as x402's HTTP encoding writes it). */
const headerJson = <T>(header: string | null): T =>
  JSON.parse(Buffer.from(header ?? "", "base64").toString("utf8")) as T;
const reader = () => createPublicClient({ chain: devnetChainOf(devnet.base), transport: http(devnet.base.rpcUrl) });

async function confirmed(hash: Hash) {
  const receipt = await base.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  expect(receipt.status).toBe("success");
  return receipt;
}

/** A fresh payer holding 1,000 OPG; `approved` gives Permit2 an unlimited allowance first (and gas ETH). */
async function newPayer({ approved = false } = {}): Promise<LocalAccount> {
  const payer = payerAccountOf("permit2 indexer test", payerCount++);
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

/** A resource server on loopback declaring `gasSponsoring`. */
async function resourceWith(gasSponsoring: readonly GasSponsoring[]) {
  const server = await serveOnLoopback(
    createPermit2Resource({ facilitator: facilitatorUrl, payTo: PAYEE.address, gasSponsoring }).fetch,
  );
  served.push(server);
  return server.url;
}

/** Pays `path` through x402's fetch wrapper; returns the payment as its settle call states it (decoded by viem). */
async function pay(
  name: string,
  gasSponsoring: readonly GasSponsoring[],
  path: string,
  payer: LocalAccount,
  cost?: bigint,
) {
  const url = await resourceWith(gasSponsoring);
  const response = await createPermit2PayingFetch({ account: payer, reader: reader() })(`${url}${path}`, {
    method: "POST",
    headers: cost === undefined ? {} : { [DEVNET_COST_HEADER]: cost.toString() },
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const settlement = headerJson<{ transaction: string }>(response.headers.get("PAYMENT-RESPONSE"));
  const txHash = settlement.transaction as Hash;
  const transaction = await base.getTransaction({ hash: txHash });
  const scheme = path === UPTO_PATH ? "upto" : "exact";
  const call = decodeFunctionData({
    abi: scheme === "upto" ? x402UptoPermit2ProxyAbi : x402ExactPermit2ProxyAbi,
    data: transaction.input,
  });
  const args = (call.functionName === "settleWithPermit" ? call.args.slice(1) : call.args) as readonly unknown[];
  const permit = args[0] as { permitted: { amount: bigint }; nonce: bigint };
  paid[name] = {
    payer: payer.address,
    nonce: permit.nonce,
    maxAmount: scheme === "upto" ? permit.permitted.amount : null,
    amount: scheme === "upto" ? (args[1] as bigint) : permit.permitted.amount,
    scheme: `permit2_${scheme}`,
    txHash,
  };
  return { transaction, functionName: call.functionName };
}

const PERMIT2_DOMAIN = { name: "Permit2", chainId: 8453, verifyingContract: PERMIT2_ADDRESS } as const;
const TOKEN_PERMISSIONS = [
  { name: "token", type: "address" },
  { name: "amount", type: "uint256" },
] as const;
const permitTypes = (witness: readonly { name: string; type: string }[]) => ({
  PermitWitnessTransferFrom: [
    { name: "permitted", type: "TokenPermissions" },
    { name: "spender", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
    { name: "witness", type: "Witness" },
  ],
  TokenPermissions: TOKEN_PERMISSIONS,
  Witness: witness,
});

/** Calldata of the upto proxy's `settle`, signed by `payer` for `facilitator` (x402's witness, signed by hand). */
async function uptoSettleOf(
  payer: LocalAccount,
  { nonce, max, amount, facilitator }: { nonce: bigint; max: bigint; amount: bigint; facilitator: Address },
) {
  const permit = { permitted: { token: OPG_ADDRESS_BASE, amount: max }, nonce, deadline: FAR_DEADLINE };
  const witness = { to: PAYEE.address, facilitator, validAfter: 0n };
  const signature = await payer.signTypedData({
    domain: PERMIT2_DOMAIN,
    types: permitTypes([
      { name: "to", type: "address" },
      { name: "facilitator", type: "address" },
      { name: "validAfter", type: "uint256" },
    ]),
    primaryType: "PermitWitnessTransferFrom",
    message: { ...permit, spender: X402_UPTO_PERMIT2_PROXY_ADDRESS, witness },
  });
  return encodeFunctionData({
    abi: x402UptoPermit2ProxyAbi,
    functionName: "settle",
    args: [permit, amount, payer.address, witness, signature],
  });
}

/** Calldata of the exact proxy's `settle`, signed by `payer`. */
async function exactSettleOf(payer: LocalAccount, { nonce, amount }: { nonce: bigint; amount: bigint }) {
  const permit = { permitted: { token: OPG_ADDRESS_BASE, amount }, nonce, deadline: FAR_DEADLINE };
  const witness = { to: PAYEE.address, validAfter: 0n };
  const signature = await payer.signTypedData({
    domain: PERMIT2_DOMAIN,
    types: permitTypes([
      { name: "to", type: "address" },
      { name: "validAfter", type: "uint256" },
    ]),
    primaryType: "PermitWitnessTransferFrom",
    message: { ...permit, spender: X402_EXACT_PERMIT2_PROXY_ADDRESS, witness },
  });
  return encodeFunctionData({
    abi: x402ExactPermit2ProxyAbi,
    functionName: "settle",
    args: [permit, payer.address, witness, signature],
  });
}

/** Runtime code that logs `Transfer(from, to, value)` itself, then `Settled()`, for any call: a proxy that lies. */
function lyingProxyCode({ from, to, value }: { from: Address; to: Address; value: bigint }): Hex {
  const word = (hex: Hex) => hex.slice(2).padStart(64, "0");
  const push32 = (hex: Hex) => `7f${word(hex)}`;
  return `0x${[
    push32(toHex(value)),
    "600052", // MSTORE at 0
    push32(to),
    push32(from),
    push32(toEventSelector("Transfer(address,address,uint256)")),
    "60206000a3", // LOG3 of memory [0, 32)
    push32(toEventSelector("Settled()")),
    "60006000a1", // LOG1, no data
    "00",
  ].join("")}`;
}

/** Runs every flow on the devnet; fills `paid`, `unpaid` and `cancellation`. */
async function runFlows() {
  // upto, `settle`: a payer who approved Permit2 beforehand.
  const approved = await newPayer({ approved: true });
  const { transaction: uptoSettle, functionName } = await pay(
    "uptoSettle",
    [],
    UPTO_PATH,
    approved,
    12_345_678_901_234n,
  );
  expect(functionName).toBe("settle");
  // upto, `settleWithPermit`: EIP-2612 gas sponsoring.
  expect((await pay("uptoSettleWithPermit", ["eip2612"], UPTO_PATH, await newPayer(), 777n)).functionName).toBe(
    "settleWithPermit",
  );
  // upto after ERC-20-approval gas sponsoring: funding, approval and settlement transactions.
  const sponsored = await newPayer();
  const before = await base.getBlockNumber({ cacheTime: 0 });
  await pay("uptoErc20Approval", ["erc20Approval"], UPTO_PATH, sponsored, 5_000n);
  expect(Number((await base.getBlockNumber({ cacheTime: 0 })) - before)).toBe(3);
  // exact over Permit2.
  await pay("exactSettle", [], EXACT_PERMIT2_PATH, await newPayer({ approved: true }));
  expect(paid.exactSettle?.amount).toBe(DEFAULT_EXACT_PRICE);

  // A replayed authorization: the same calldata again, mined and reverted (Permit2's InvalidNonce).
  const replay = await base.sendTransaction({
    account: FACILITATOR,
    to: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    data: uptoSettle.input,
    gas: 300_000n,
  });
  expect((await base.waitForTransactionReceipt({ hash: replay, pollingInterval: 50 })).status).toBe("reverted");
  unpaid.replay = replay;

  // A payer who signs an authorization, then cancels its nonce before anyone settles it.
  const canceller = await newPayer({ approved: true });
  const url = await resourceWith([]);
  const required = headerJson<Parameters<ReturnType<typeof permit2PaymentClientOf>["createPaymentPayload"]>[0]>(
    (await fetch(`${url}${UPTO_PATH}`, { method: "POST" })).headers.get("PAYMENT-REQUIRED"),
  );
  const payload = await permit2PaymentClientOf({ account: canceller, reader: reader() }).createPaymentPayload(required);
  const nonce = BigInt((payload.payload as { permit2Authorization: { nonce: string } }).permit2Authorization.nonce);
  const { wordPos, mask } = permit2NonceWordOf(nonce);
  const cancel = await base.writeContract({
    account: canceller,
    address: PERMIT2_ADDRESS,
    abi: permit2Abi,
    functionName: "invalidateUnorderedNonces",
    args: [wordPos, mask],
  });
  await confirmed(cancel);
  cancellation = { owner: canceller.address, word: wordPos, mask, txHash: cancel };

  // A facilitator contract: Multicall3's aggregate3 settles two upto authorizations (which name Multicall3 as their
  // facilitator) and one exact, with a replay between them that fails alone (allowFailure).
  const viaMulticall = await newPayer({ approved: true });
  const first = await uptoSettleOf(viaMulticall, {
    nonce: 1001n,
    max: DEFAULT_UPTO_MAX,
    amount: 4_000n,
    facilitator: MULTICALL3_ADDRESS,
  });
  const exact = await exactSettleOf(viaMulticall, { nonce: 1002n, amount: 9_000n });
  const second = await uptoSettleOf(viaMulticall, {
    nonce: 1003n,
    max: 50_000n,
    amount: 50_000n,
    facilitator: MULTICALL3_ADDRESS,
  });
  const multicall = await base.writeContract({
    account: FACILITATOR,
    address: MULTICALL3_ADDRESS,
    abi: multicall3Abi,
    functionName: "aggregate3",
    args: [
      [
        { target: X402_UPTO_PERMIT2_PROXY_ADDRESS, allowFailure: false, callData: first },
        { target: X402_UPTO_PERMIT2_PROXY_ADDRESS, allowFailure: true, callData: first },
        { target: X402_EXACT_PERMIT2_PROXY_ADDRESS, allowFailure: false, callData: exact },
        { target: X402_UPTO_PERMIT2_PROXY_ADDRESS, allowFailure: false, callData: second },
      ],
    ],
    gas: 1_000_000n,
  });
  const multicallReceipt = await confirmed(multicall);
  expect(multicallReceipt.logs.length).toBe(6);
  const common = { payer: viaMulticall.address, txHash: multicall };
  paid.multicallFirst = {
    ...common,
    nonce: 1001n,
    amount: 4_000n,
    maxAmount: DEFAULT_UPTO_MAX,
    scheme: "permit2_upto",
  };
  paid.multicallExact = { ...common, nonce: 1002n, amount: 9_000n, maxAmount: null, scheme: "permit2_exact" };
  paid.multicallSecond = { ...common, nonce: 1003n, amount: 50_000n, maxAmount: 50_000n, scheme: "permit2_upto" };

  // A settlement whose calldata carries an ERC-8021 builder-code suffix.
  const suffixed = await newPayer({ approved: true });
  const suffixedCall = await uptoSettleOf(suffixed, {
    nonce: 7n,
    max: 1_000n,
    amount: 999n,
    facilitator: FACILITATOR.address,
  });
  const withSuffix = await base.sendTransaction({
    account: FACILITATOR,
    to: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    data: concat([suffixedCall, BUILDER_CODE_SUFFIX]),
  });
  await confirmed(withSuffix);
  paid.builderCode = {
    payer: suffixed.address,
    nonce: 7n,
    amount: 999n,
    maxAmount: 1_000n,
    scheme: "permit2_upto",
    txHash: withSuffix,
  };

  // A proxy whose Transfer disagrees with its call: for one transaction, the upto proxy's address holds code that logs
  // a Transfer of its own making (1 unit to the facilitator) and Settled(), moving nothing.
  const real = (await base.getCode({ address: X402_UPTO_PERMIT2_PROXY_ADDRESS })) as Hex;
  const liedTo = await newPayer();
  await base.test.setCode({
    address: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    bytecode: lyingProxyCode({ from: liedTo.address, to: FACILITATOR.address, value: 1n }),
  });
  const lie = await base.sendTransaction({
    account: FACILITATOR,
    to: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    data: await uptoSettleOf(liedTo, { nonce: 99n, max: 2_000n, amount: 1_000n, facilitator: FACILITATOR.address }),
  });
  await confirmed(lie);
  await base.test.setCode({ address: X402_UPTO_PERMIT2_PROXY_ADDRESS, bytecode: real });
  paid.lie = {
    payer: liedTo.address,
    nonce: 99n,
    amount: 1_000n,
    maxAmount: 2_000n,
    scheme: "permit2_upto",
    txHash: lie,
  };
}

beforeAll(async () => {
  devnet = await startDevnet({ ports: "free" });
  base = devnetClientOf(devnet.base);
  const facilitatorClient = createWalletClient({
    account: FACILITATOR,
    chain: devnetChainOf(devnet.base),
    transport: http(devnet.base.rpcUrl),
    pollingInterval: 50,
  });
  const facilitator = await serveOnLoopback(facilitatorAppOf(createPermit2Facilitator(facilitatorClient)).fetch);
  served.push(facilitator);
  facilitatorUrl = facilitator.url;
  await runFlows();

  profilePath = join(mkdtempSync(join(tmpdir(), "settlescan-permit2-")), "profile.json");
  writeProfile(devnetProfileOf(devnet.deployment), profilePath);
  const { chains } = devnet.deployment;
  heads = {
    base: Number(await base.getBlockNumber({ cacheTime: 0 })),
    og: Number(await rpc<Hex>(chains.og.rpcUrl, "eth_blockNumber")),
  };
  for (const chain of [chains.base, chains.og])
    await rpc(chain.rpcUrl, "anvil_mine", [numberToHex(FINALITY_MARGIN), "0x1"]);
  endBlocks = { BASE_END_BLOCK: String(heads.base), OG_END_BLOCK: String(heads.og) };
  indexer = await startIndexer({ profile: profilePath, env: endBlocks });
  await indexer.waitForBlocks(heads);
  rows = await rowsOf<PaymentRow>(indexer.url, "payment");
}, 400_000);

afterAll(async () => {
  await indexer?.stop();
  await Promise.all(served.map((server) => server.close()));
  await devnet?.stop();
});

const paymentIdOfExpected = ({ payer, nonce }: Expected) =>
  paymentIdOf({ chainId: 8453, token: PERMIT2_ADDRESS, payer, nonce: toHex(nonce, { size: 32 }) });

/** The indexed Permit2 nonce cancellations (through Ponder's GraphQL, which serves every table). */
async function cancellationsOf(url: string) {
  const response = await fetch(`${url}/ponder-graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ permit2NonceCancellations { items { owner word mask txHash } } }" }),
  });
  const { data } = (await response.json()) as {
    data: { permit2NonceCancellations: { items: { owner: string; word: string; mask: string; txHash: string }[] } };
  };
  return data.permit2NonceCancellations.items;
}

/** The indexed row of a flow's payment, by its §2 paymentId. */
function rowOf(name: string): PaymentRow {
  const expected = paid[name];
  if (!expected) throw new Error(`No payment named ${name}.`);
  const row = rows.find((r) => r.id === paymentIdOfExpected(expected));
  if (!row) throw new Error(`Payment ${name} (${paymentIdOfExpected(expected)}) is not indexed.`);
  return row;
}

/** A row's fields the flows determine, in the flows' terms. */
const shapeOf = (row: PaymentRow) => ({
  payer: getAddress(row.payer),
  nonce: BigInt(row.nonce),
  amount: BigInt(row.amount),
  maxAmount: row.maxAmount === null ? null : BigInt(row.maxAmount),
  scheme: row.scheme,
  txHash: row.txHash,
});

describe("Permit2 payments", () => {
  test("default: every settlement is indexed once, by its paymentId with Permit2 as the authority, and nothing else", () => {
    expect(rows.map((r) => r.id).sort()).toEqual(Object.values(paid).map(paymentIdOfExpected).sort());
    for (const [name, expected] of Object.entries(paid)) expect(shapeOf(rowOf(name)), name).toEqual(expected);
  });

  test("default: upto settle with payer, token, maximum and settled amounts, nonce, scheme and facilitator", () => {
    const row = rowOf("uptoSettle");
    expect(row).toMatchObject({
      token: lower(OPG_ADDRESS_BASE),
      payee: lower(PAYEE.address),
      facilitator: lower(FACILITATOR.address),
      scheme: "permit2_upto",
      maxAmount: DEFAULT_UPTO_MAX.toString(),
      amount: "12345678901234",
      validAfter: "0",
      mismatch: null,
    });
    expect(BigInt(row.deadline ?? 0)).toBeGreaterThan(0n);
    expect(rowOf("uptoSettleWithPermit")).toMatchObject({ scheme: "permit2_upto", amount: "777", mismatch: null });
  });

  test("behavior: the ERC-20-approval sponsored path (three transactions) is one payment, the settlement's", () => {
    const { payer, txHash } = paid.uptoErc20Approval!;
    expect(rows.filter((r) => r.payer === lower(payer)).map((r) => r.txHash)).toEqual([txHash]);
  });

  test("behavior: exact over Permit2 settles the permitted amount, from any facilitator", () => {
    expect(rowOf("exactSettle")).toMatchObject({
      scheme: "permit2_exact",
      amount: DEFAULT_EXACT_PRICE.toString(),
      maxAmount: null,
      mismatch: null,
    });
  });

  test("behavior: a replayed authorization, refused by the chain, is absent", () => {
    expect(rows.filter((r) => r.txHash === unpaid.replay)).toEqual([]);
    expect(rows.filter((r) => r.id === paymentIdOfExpected(paid.uptoSettle!))).toHaveLength(1);
  });

  test("behavior: a facilitator contract (Multicall3) is read through the call trace, failed calls skipped", () => {
    const fromMulticall = rows
      .filter((r) => r.txHash === paid.multicallFirst!.txHash)
      .sort((a, b) => a.logIndex - b.logIndex);
    expect(fromMulticall.map((r) => [BigInt(r.nonce), r.scheme, r.amount, r.facilitator, r.mismatch])).toEqual([
      [1001n, "permit2_upto", "4000", lower(FACILITATOR.address), null],
      [1002n, "permit2_exact", "9000", lower(FACILITATOR.address), null],
      [1003n, "permit2_upto", "50000", lower(FACILITATOR.address), null],
    ]);
  });

  test("behavior: a builder-code suffix after the settle call's arguments is ignored", () => {
    expect(rowOf("builderCode")).toMatchObject({ amount: "999", maxAmount: "1000", mismatch: null });
  });

  test("behavior: a Transfer that disagrees with the call is recorded on the payment as a mismatch", () => {
    const row = rowOf("lie");
    expect(row).toMatchObject({ amount: "1000", payee: lower(PAYEE.address) });
    expect(row.mismatch).toMatchInlineSnapshot(
      `"the token Transfer before Settled() disagrees with the call: token 0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002 (call: 0xFbC2051AE2265686a469421b2C5A2D5462FbF5eB), to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 (call's witness.to: 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC), value 1 (call: 1000)"`,
    );
    expect(rows.filter((r) => r.mismatch !== null).map((r) => r.id)).toEqual([row.id]);
  });

  test("behavior: a cancelled nonce is recorded with its owner, word and mask", async () => {
    expect(await cancellationsOf(indexer.url)).toEqual([
      {
        owner: lower(cancellation.owner),
        word: cancellation.word.toString(),
        mask: cancellation.mask.toString(),
        txHash: cancellation.txHash,
      },
    ]);
    expect(rows.filter((r) => r.payer === lower(cancellation.owner))).toEqual([]);
  });

  test("default: the API names the scheme, the asset with its decimals, the maximum and the facilitator", async () => {
    const query = `{ payments(where: { txHash: "${paid.multicallFirst!.txHash}" }, orderBy: { field: PAID_AT, direction: ASC }) {
      nodes { scheme asset { address symbol decimals } maxAmount amount mismatch facilitatorName }
    } }`;
    const response = await fetch(`${indexer.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as {
      data?: { payments: { nodes: Record<string, unknown>[] } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    const opg = { address: lower(OPG_ADDRESS_BASE), symbol: "OPG", decimals: 18 };
    const common = { asset: opg, mismatch: null, facilitatorName: "devnet facilitator" };
    expect(body.data?.payments.nodes).toEqual(
      expect.arrayContaining([
        { ...common, scheme: "permit2_upto", maxAmount: DEFAULT_UPTO_MAX.toString(), amount: "4000" },
        { ...common, scheme: "permit2_exact", maxAmount: null, amount: "9000" },
        { ...common, scheme: "permit2_upto", maxAmount: "50000", amount: "50000" },
      ]),
    );
  });
});

describe("PostgreSQL", () => {
  let postgres: Postgres | undefined;
  let onPostgres: IndexerProcess | undefined;
  afterAll(async () => {
    await onPostgres?.stop();
    postgres?.stop();
  });

  test("behavior: the same payments and cancellations as on PGlite", async () => {
    postgres = await startPostgres();
    onPostgres = await startIndexer({ profile: profilePath, databaseUrl: postgres.url, env: endBlocks });
    await onPostgres.waitForBlocks(heads);
    expect(await rowsOf(onPostgres.url, "payment")).toEqual(rows);
    expect(await cancellationsOf(onPostgres.url)).toEqual(await cancellationsOf(indexer.url));
    expect(rows).toHaveLength(Object.keys(paid).length);
  }, 300_000);
});
