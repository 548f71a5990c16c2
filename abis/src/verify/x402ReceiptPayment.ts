// A signed x402 receipt checked end to end: its signature (x402Receipt.ts), the payment its `transaction` names on the
// payment chain (Base), and whether the key that signed it is the payment's payTo. Every fact names where it was read.
import {
  type Address,
  createPublicClient,
  formatUnits,
  getAddress,
  type Hex,
  http,
  type PublicClient,
  parseEventLogs,
  TransactionReceiptNotFoundError,
} from "viem";
import { USDC_ADDRESS_BASE, USDC_DECIMALS } from "../constants";
import { isBytes32 } from "../ids";
import type { NetworkProfile } from "../profile";
import { usdcAbi } from "../usdcAbi";
import {
  chainIdOfNetwork,
  parseSignedReceipt,
  verifySignedReceipt,
  type X402ReceiptPayload,
  type X402ReceiptPublicKey,
  type X402ReceiptSigner,
  type X402SignedReceipt,
} from "../x402Receipt";
import { VerifySourceError } from "./errors";
import { checkMarkOf, type VerifySource } from "./report";
import { isChainAnswer, reasonOf } from "./sources";

/** Milliseconds one payment-chain RPC request may take. */
const RPC_TIMEOUT_MS = 15_000;

/** What the receipt's `transaction` shows on the payment chain: paid as it says (`ok`), not (`false`), or unknown. */
export type X402ReceiptPayment = {
  ok: boolean | null;
  detail: string;
  /** Where it was read: the RPC and its chain, or why nothing was read. */
  source: string;
  txHash?: Hex;
  blockNumber?: number;
  /** Unix seconds of the payment's block. */
  timestamp?: number;
  token?: Address;
  symbol?: string;
  /** Base units, decimal. */
  amount?: string;
  /** The token transfer's `from` and `to`. */
  payer?: Address;
  payTo?: Address;
  /** EIP-3009's `AuthorizationUsed` nonce, when the payment was one. */
  nonce?: Hex;
};

/**
 * What a receipt proves: `verified` (valid signature by the payment's payTo, payment found as it says),
 * `invalid_signature`, `payment_mismatch` (no such payment, or another payer), `signer_not_payee` (valid, but signed by
 * a key that is not the payTo), `unchecked` (no transaction named, or the signer cannot be compared with a payTo).
 */
export type X402ReceiptState = "verified" | "invalid_signature" | "payment_mismatch" | "signer_not_payee" | "unchecked";

/** Everything a receipt verification found; JSON-safe. */
export type X402ReceiptReport = {
  state: X402ReceiptState;
  /** One sentence: why the state is what it is. */
  reason: string;
  format: X402SignedReceipt["format"];
  payload: X402ReceiptPayload;
  signer: X402ReceiptSigner;
  signature: { valid: boolean; detail: string };
  payment: X402ReceiptPayment;
  /** The signer beside the payment's payTo: equal (`true`), different (`false`), not comparable (`null`). */
  payee: { ok: boolean | null; detail: string };
  sources: VerifySource[];
  elapsedMs: number;
};

export type VerifyX402ReceiptParameters = {
  /** What the user pasted (see `parseSignedReceipt`), or a parsed receipt. */
  receipt: unknown;
  /** The payment chain (its id and accepted tokens) and, unless `rpcUrl` is given, its RPC. */
  profile: Pick<NetworkProfile, "payment">;
  rpcUrl?: string;
  /** A JWS's key when its kid cannot be resolved offline (did:web). */
  publicKey?: X402ReceiptPublicKey;
  /** How the receipt is named in the sources (a file name). */
  name?: string;
};

/**
 * Verifies a pasted x402 receipt: its signature, its payment on the payment chain, its signer beside the payTo.
 * Throws `InvalidInputError` for input that holds no receipt and `VerifySourceError` for an RPC that does not answer.
 * @example const report = await verifyX402Receipt({ receipt: header, profile }); report.state // "verified"
 */
export async function verifyX402Receipt({
  receipt: input,
  profile,
  rpcUrl = profile.payment.rpcUrl,
  publicKey,
  name = "the receipt",
}: VerifyX402ReceiptParameters): Promise<X402ReceiptReport> {
  const started = performance.now();
  const receipt = parseSignedReceipt(input);
  const signature = await verifySignedReceipt(receipt, publicKey ? { publicKey } : {});
  const sources: VerifySource[] = [
    { kind: "response", name, detail: `the signed receipt (${receipt.format}): its payload and signature` },
  ];
  const payment = await x402ReceiptPaymentOf(signature.payload, { profile, rpcUrl, sources });
  const payee = payeeCheckOf(signature.valid, signature.signer, payment);
  const { state, reason } = stateOf(signature.valid, payment, payee);
  return {
    state,
    reason,
    format: receipt.format,
    payload: signature.payload,
    signer: signature.signer,
    signature: { valid: signature.valid, detail: signature.reason },
    payment,
    payee,
    sources,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/**
 * The payment a receipt's `transaction` names, read from the payment chain's RPC: the token transfer (from the
 * receipt's payer, else the first), its block, and EIP-3009's `AuthorizationUsed`.
 * @example const payment = await x402ReceiptPaymentOf(payload, { profile, rpcUrl: "http://127.0.0.1:8545" })
 */
export async function x402ReceiptPaymentOf(
  payload: X402ReceiptPayload,
  {
    profile,
    rpcUrl,
    sources = [],
  }: { profile: Pick<NetworkProfile, "payment">; rpcUrl?: string; sources?: VerifySource[] },
): Promise<X402ReceiptPayment> {
  const { chainId } = profile.payment;
  const transaction = payload.transaction ?? "";
  const unread = (ok: boolean | null, detail: string): X402ReceiptPayment => ({ ok, detail, source: "the receipt" });
  if (transaction === "")
    return unread(
      null,
      "The receipt names no transaction (its issuer did not set includeTxHash), so its payment cannot be looked up.",
    );
  if (chainIdOfNetwork(payload.network) !== chainId)
    return unread(
      null,
      `The receipt names network "${payload.network}"; the profile's payment chain is eip155:${chainId}, so its transaction is not looked up.`,
    );
  if (!isBytes32(transaction))
    return unread(false, `The receipt's transaction "${transaction}" is not a transaction hash (32 bytes of 0x-hex).`);
  if (rpcUrl === undefined)
    return unread(
      null,
      `No RPC of the payment chain (${chainId}) was given, so transaction ${transaction} is not looked up.`,
    );

  const txHash = transaction.toLowerCase() as Hex;
  const client = await connectPaymentChain(rpcUrl, chainId);
  const source = `RPC ${rpcUrl} (chain ${chainId})`;
  sources.push({ kind: "rpc", url: rpcUrl, chainId, detail: `the receipt and block of payment ${txHash}` });
  const read = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isChainAnswer(error)) throw error;
      throw new VerifySourceError(
        `The payment chain RPC ${rpcUrl} failed to answer ${what} (${reasonOf(error)}); pass a reachable RPC of chain ${chainId}.`,
        { url: rpcUrl, cause: error },
      );
    }
  };
  let receipt: Awaited<ReturnType<PublicClient["getTransactionReceipt"]>>;
  try {
    receipt = await read(`eth_getTransactionReceipt(${txHash})`, () => client.getTransactionReceipt({ hash: txHash }));
  } catch (error) {
    if (!(error instanceof TransactionReceiptNotFoundError)) throw error;
    return {
      ok: false,
      detail: `Transaction ${txHash} is not on chain ${chainId}: the receipt names a payment that did not happen here.`,
      source,
      txHash,
    };
  }
  const blockNumber = Number(receipt.blockNumber);
  const block = await read(`eth_getBlockByNumber(${blockNumber})`, () =>
    client.getBlock({ blockNumber: receipt.blockNumber }),
  );
  const placed = { source, txHash, blockNumber, timestamp: Number(block.timestamp) };
  if (receipt.status !== "success")
    return {
      ok: false,
      detail: `Transaction ${txHash} reverted in block ${blockNumber}: nothing was paid.`,
      ...placed,
    };

  const tokens = profile.payment.tokens.length
    ? profile.payment.tokens
    : [{ address: USDC_ADDRESS_BASE, symbol: "USDC", decimals: USDC_DECIMALS }];
  const tokenOf = (address: string) => tokens.find((t) => t.address.toLowerCase() === address.toLowerCase());
  const events = parseEventLogs({ abi: usdcAbi, logs: receipt.logs, strict: true });
  const transfers = events.filter(
    (e): e is Extract<typeof e, { eventName: "Transfer" }> => e.eventName === "Transfer" && !!tokenOf(e.address),
  );
  const payer = payload.payer.toLowerCase();
  const transfer = transfers.find((t) => t.args.from.toLowerCase() === payer) ?? transfers[0];
  if (!transfer)
    return {
      ok: false,
      detail: `Transaction ${txHash} moved none of the profile's tokens (${tokens.map((t) => t.symbol).join(", ")}): it is no x402 payment.`,
      ...placed,
    };
  const token = tokenOf(transfer.address) as (typeof tokens)[number];
  const used = events.find(
    (e): e is Extract<typeof e, { eventName: "AuthorizationUsed" }> =>
      e.eventName === "AuthorizationUsed" &&
      e.address.toLowerCase() === transfer.address.toLowerCase() &&
      e.args.authorizer.toLowerCase() === transfer.args.from.toLowerCase(),
  );
  const found = {
    ...placed,
    token: getAddress(transfer.address),
    symbol: token.symbol,
    amount: transfer.args.value.toString(),
    payer: getAddress(transfer.args.from),
    payTo: getAddress(transfer.args.to),
    ...(used && { nonce: used.args.nonce }),
  };
  const paid = `${formatUnits(transfer.args.value, token.decimals)} ${token.symbol} from ${found.payer} to ${found.payTo} in block ${blockNumber}${used ? " (EIP-3009 transferWithAuthorization)" : ""}`;
  if (transfer.args.from.toLowerCase() !== payer)
    return {
      ok: false,
      detail: `Transaction ${txHash} paid ${paid}, but the receipt names the payer ${payload.payer}.`,
      ...found,
    };
  return { ok: true, detail: `Paid ${paid}.`, ...found };
}

/** A client of the payment chain's RPC, checked to be `chainId`; throws `VerifySourceError` when it is not. */
async function connectPaymentChain(url: string, chainId: number): Promise<PublicClient> {
  const client = createPublicClient({
    transport: http(url, { timeout: RPC_TIMEOUT_MS, retryCount: 2 }),
  }) as PublicClient;
  let answered: number;
  try {
    answered = await client.getChainId();
  } catch (error) {
    throw new VerifySourceError(
      `The payment chain RPC ${url} is unreachable (${reasonOf(error)}); pass a reachable RPC of chain ${chainId}.`,
      { url, cause: error },
    );
  }
  if (answered !== chainId)
    throw new VerifySourceError(
      `The payment chain RPC ${url} is chain ${answered}, but the profile's payment chain is ${chainId}; pass an RPC of chain ${chainId}.`,
      { url },
    );
  return client;
}

const OPEN_AUTHORIZATION =
  "x402 leaves signer authorization open (the payTo's key, or a key a registry names): trust such a receipt only if you know that key";

function payeeCheckOf(
  valid: boolean,
  signer: X402ReceiptSigner,
  payment: X402ReceiptPayment,
): X402ReceiptReport["payee"] {
  if (!valid) return { ok: null, detail: "The signature does not verify, so there is no signer to compare." };
  if (!signer.address)
    return {
      ok: null,
      detail: `The receipt's ${signer.keyType ?? ""} key is not an Ethereum key, so it cannot be compared with a payTo address; ${OPEN_AUTHORIZATION}.`,
    };
  if (!payment.payTo)
    return {
      ok: null,
      detail: `Signed by ${signer.address}; no payment was found to compare it with a payTo; ${OPEN_AUTHORIZATION}.`,
    };
  if (signer.address.toLowerCase() === payment.payTo.toLowerCase())
    return { ok: true, detail: `Signed by the payee's key: the signer ${signer.address} is the payment's payTo.` };
  return {
    ok: false,
    detail: `Signed by ${signer.address}, which is not the payment's payTo ${payment.payTo}. ${OPEN_AUTHORIZATION}; an altered EIP-712 receipt also recovers an unknown address.`,
  };
}

function stateOf(
  valid: boolean,
  payment: X402ReceiptPayment,
  payee: X402ReceiptReport["payee"],
): { state: X402ReceiptState; reason: string } {
  if (!valid) return { state: "invalid_signature", reason: "the receipt's signature does not verify." };
  if (payment.ok === false) return { state: "payment_mismatch", reason: "the payment it names is not as it says." };
  if (payee.ok === false)
    return { state: "signer_not_payee", reason: "a valid signature, by a key that is not the payment's payTo." };
  if (payment.ok === null)
    return { state: "unchecked", reason: "a valid signature, but the payment it stands for could not be looked up." };
  if (payee.ok === null)
    return {
      state: "unchecked",
      reason: "a valid signature and payment, but the signer cannot be compared with the payTo.",
    };
  return { state: "verified", reason: "signed by the payee's key, for a payment found on chain as it says." };
}

/**
 * A receipt report as text for a terminal: what it says, one line per check (✓ / ✗ / –), the state and the sources.
 * @example console.log(formatX402ReceiptReport(await verifyX402Receipt({ receipt, profile })))
 */
export function formatX402ReceiptReport(report: X402ReceiptReport): string {
  const { payload, signer } = report;
  const who = signer.address ?? signer.kid ?? "unknown";
  const lines = [
    `x402 receipt (${report.format}) for ${payload.resourceUrl}`,
    `  payer ${payload.payer} on ${payload.network}, issued ${new Date(payload.issuedAt * 1000).toISOString().replace(".000Z", "Z")}`,
    `  transaction ${payload.transaction || "(none)"}`,
    `  signer ${who}${signer.kid && signer.address ? ` (${signer.kid.split("#")[0]})` : ""}`,
    "",
    `${checkMarkOf(report.signature.valid)} signature  ${report.signature.detail}`,
    `${checkMarkOf(report.payment.ok)} payment    ${report.payment.detail} [${report.payment.source}]`,
    `${checkMarkOf(report.payee.ok)} payee      ${report.payee.detail}`,
    "",
    `State: ${report.state} — ${report.reason}`,
    "",
    "Sources:",
    ...report.sources.map((s) =>
      s.kind === "rpc"
        ? `  RPC ${s.url} (chain ${s.chainId}): ${s.detail}`
        : `  ${s.kind === "response" ? s.name : s.kind}: ${s.detail}`,
    ),
    `Verified in ${report.elapsedMs} ms, trusting no Settlescan server.`,
  ];
  return lines.join("\n");
}
