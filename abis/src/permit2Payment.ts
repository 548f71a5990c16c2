// x402 payments over Permit2 (docs/protocol.md): what a proxy's `settle` call says, the token `Transfer` it must
// agree with, and Permit2's unordered nonces. Pure: the indexer, the API and the CLI take their facts from elsewhere.
import { type Address, decodeFunctionData, getAddress, type Hex, parseAbi, toHex } from "viem";
import { PERMIT2_ADDRESS } from "./constants";
import { InvalidInputError } from "./errors";
import { paymentIdOf } from "./ids";
import { x402ExactPermit2ProxyAbi } from "./x402ExactPermit2ProxyAbi";
import { x402UptoPermit2ProxyAbi } from "./x402UptoPermit2ProxyAbi";

/** The x402 scheme a Permit2 proxy settles: `exact` (the whole permitted amount) or `upto` (at most it). */
export type Permit2Scheme = "exact" | "upto";

/** A proxy function that settles a payment; `settleWithPermit` first applies the payer's EIP-2612 permit to Permit2. */
export type Permit2SettleFunction = "settle" | "settleWithPermit";

/** The proxies' events, one per settle function (both proxies emit the same argument-less events). */
export const PERMIT2_SETTLE_EVENTS = {
  settle: "Settled",
  settleWithPermit: "SettledWithPermit",
} as const satisfies Record<Permit2SettleFunction, string>;

/** Selectors of the proxies' settle functions (x402 `x402ExactPermit2Proxy.sol`, `x402UptoPermit2Proxy.sol`). */
export const PERMIT2_SETTLE_SELECTORS = {
  "0xff11e7b4": { scheme: "upto", functionName: "settle" },
  "0x016c1748": { scheme: "upto", functionName: "settleWithPermit" },
  "0x13cd3b53": { scheme: "exact", functionName: "settle" },
  "0xfa340378": { scheme: "exact", functionName: "settleWithPermit" },
} as const satisfies Record<string, { scheme: Permit2Scheme; functionName: Permit2SettleFunction }>;

/** The part of Permit2's ABI x402 payments touch: SignatureTransfer's nonce bitmap and its cancellation. */
export const permit2SignatureTransferAbi = parseAbi([
  "function nonceBitmap(address owner, uint256 wordPos) view returns (uint256)",
  "function invalidateUnorderedNonces(uint256 wordPos, uint256 mask)",
  "event UnorderedNonceInvalidation(address indexed owner, uint256 word, uint256 mask)",
]);

/** One x402 payment over Permit2, as the proxy's settle call states it. */
export type Permit2Settlement = {
  scheme: Permit2Scheme;
  functionName: Permit2SettleFunction;
  /** `permit.permitted.token`. */
  token: Address;
  /** `permit.permitted.amount`: what the payer authorized at most. */
  maxAmount: bigint;
  /** What the call settles: upto's `amount` argument, exact's whole `permit.permitted.amount`. */
  amount: bigint;
  /** Permit2's unordered nonce (per payer, across tokens and spenders). */
  nonce: bigint;
  /** `permit.deadline` (Unix seconds), checked by Permit2. */
  deadline: bigint;
  /** `owner`: whose tokens move. */
  payer: Address;
  /** `witness.to`. */
  payTo: Address;
  /** `witness.validAfter` (Unix seconds), checked by the proxy. */
  validAfter: bigint;
  /** upto's `witness.facilitator`, the only caller the proxy accepts; null for exact (anyone may submit). */
  facilitator: Address | null;
};

// Head layouts, in 32-byte words after the selector (every argument but the trailing `bytes signature` is static).
// `permit` is 4 words (token, amount, nonce, deadline); the EIP-2612 permit of settleWithPermit 5 (value, deadline,
// r, s, v). Word indexes of each field, and the head's length (the signature's offset word is its last word).
type Layout = {
  permit: number;
  amount?: number;
  owner: number;
  to: number;
  facilitator?: number;
  validAfter: number;
  words: number;
};
const LAYOUTS: Record<Permit2Scheme, Record<Permit2SettleFunction, Layout>> = {
  upto: {
    settle: { permit: 0, amount: 4, owner: 5, to: 6, facilitator: 7, validAfter: 8, words: 10 },
    settleWithPermit: { permit: 5, amount: 9, owner: 10, to: 11, facilitator: 12, validAfter: 13, words: 15 },
  },
  exact: {
    settle: { permit: 0, owner: 4, to: 5, validAfter: 6, words: 8 },
    settleWithPermit: { permit: 5, owner: 9, to: 10, validAfter: 11, words: 13 },
  },
};

const ADDRESS_PADDING = "0".repeat(24);

/**
 * The payment a call to an x402 Permit2 proxy settles, from its calldata (`settle` or `settleWithPermit` of either
 * proxy, told apart by selector); null for any other call. Trailing bytes after the ABI data (an ERC-8021 builder-code
 * suffix) are ignored, as Solidity ignores them. Throws `InvalidInputError` for a settle selector with data that
 * does not decode.
 * @example decodePermit2Settlement(transaction.input)?.nonce
 */
export function decodePermit2Settlement(input: Hex): Permit2Settlement | null {
  const call = PERMIT2_SETTLE_SELECTORS[input.slice(0, 10).toLowerCase() as keyof typeof PERMIT2_SETTLE_SELECTORS];
  if (!call) return null;
  return settlementOfHead(input, call.scheme, call.functionName) ?? settlementDecodedByViem(input, call.scheme);
}

/** The settlement read straight from the head words; null when they are not canonical ABI (viem then decides). */
function settlementOfHead(input: Hex, scheme: Permit2Scheme, functionName: Permit2SettleFunction) {
  const layout = LAYOUTS[scheme][functionName];
  const word = (index: number) => input.slice(10 + 64 * index, 74 + 64 * index);
  const uint = (index: number) => BigInt(`0x${word(index)}`);
  const address = (index: number) => {
    const w = word(index);
    return w.startsWith(ADDRESS_PADDING) ? getAddress(`0x${w.slice(24)}`) : null;
  };
  const headEnd = 10 + 64 * layout.words;
  // The signature's tail (length word and bytes) must follow the head where its offset word says.
  if (input.length < headEnd + 64 || !/^0x[0-9a-fA-F]*$/.test(input)) return null;
  if (uint(layout.words - 1) !== BigInt(32 * layout.words)) return null;
  const signatureLength = uint(layout.words);
  if (
    signatureLength > BigInt(input.length) ||
    headEnd + 64 + 64 * Math.ceil(Number(signatureLength) / 32) > input.length
  )
    return null;
  const token = address(layout.permit);
  const payer = address(layout.owner);
  const payTo = address(layout.to);
  const facilitator = layout.facilitator === undefined ? null : address(layout.facilitator);
  if (!token || !payer || !payTo || (layout.facilitator !== undefined && !facilitator)) return null;
  const maxAmount = uint(layout.permit + 1);
  return {
    scheme,
    functionName,
    token,
    maxAmount,
    amount: layout.amount === undefined ? maxAmount : uint(layout.amount),
    nonce: uint(layout.permit + 2),
    deadline: uint(layout.permit + 3),
    payer,
    payTo,
    validAfter: uint(layout.validAfter),
    facilitator,
  } satisfies Permit2Settlement;
}

type PermitArg = { permitted: { token: Address; amount: bigint }; nonce: bigint; deadline: bigint };

function settlementDecodedByViem(input: Hex, scheme: Permit2Scheme): Permit2Settlement {
  let call: ReturnType<typeof decodeFunctionData<typeof x402UptoPermit2ProxyAbi | typeof x402ExactPermit2ProxyAbi>>;
  try {
    call = decodeFunctionData({
      abi: scheme === "upto" ? x402UptoPermit2ProxyAbi : x402ExactPermit2ProxyAbi,
      data: input,
    });
  } catch (cause) {
    throw new InvalidInputError(
      `Calldata "${input.length > 74 ? `${input.slice(0, 74)}…` : input}" starts with the ${scheme} proxy's ${PERMIT2_SETTLE_SELECTORS[input.slice(0, 10).toLowerCase() as keyof typeof PERMIT2_SETTLE_SELECTORS].functionName} selector but is not its ABI-encoded arguments.`,
      { cause },
    );
  }
  const functionName = call.functionName as Permit2SettleFunction;
  // settleWithPermit's arguments are settle's after the EIP-2612 permit.
  const args = (functionName === "settleWithPermit" ? call.args?.slice(1) : call.args) as readonly unknown[];
  const permit = args[0] as PermitArg;
  const [amount, owner, witness] =
    scheme === "upto"
      ? (args.slice(1, 4) as [bigint, Address, { to: Address; facilitator: Address; validAfter: bigint }])
      : [permit.permitted.amount, ...(args.slice(1, 3) as [Address, { to: Address; validAfter: bigint }])];
  return {
    scheme,
    functionName,
    token: getAddress(permit.permitted.token),
    maxAmount: permit.permitted.amount,
    amount,
    nonce: permit.nonce,
    deadline: permit.deadline,
    payer: getAddress(owner),
    payTo: getAddress(witness.to),
    validAfter: witness.validAfter,
    facilitator: "facilitator" in witness ? getAddress(witness.facilitator as Address) : null,
  };
}

/** An ERC-20 `Transfer` as its log has it. */
export type TokenTransfer = { token: Address; from: Address; to: Address; value: bigint };

/** `keccak256("Transfer(address,address,uint256)")`. */
export const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/** The ERC-20 `Transfer` a log records (three topics, one data word), or null for any other log. */
export function tokenTransferOfLog(log: { address: Address; topics: readonly Hex[]; data: Hex }): TokenTransfer | null {
  const [topic0, from, to] = log.topics;
  if (log.topics.length !== 3 || topic0?.toLowerCase() !== TRANSFER_TOPIC || log.data.length !== 66) return null;
  if (!from?.startsWith(`0x${ADDRESS_PADDING}`) || !to?.startsWith(`0x${ADDRESS_PADDING}`)) return null;
  return {
    token: getAddress(log.address),
    from: getAddress(`0x${from.slice(26)}`),
    to: getAddress(`0x${to.slice(26)}`),
    value: BigInt(log.data),
  };
}

const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Why a proxy's settlement event and the call decoded for it disagree with each other or with the token `Transfer`
 * right before the event (the only log the payment's transfer leaves: Permit2 logs nothing); empty when all agree.
 * `scheme` is the emitting proxy's (told apart by address: both proxies emit the same events).
 * @example permit2MismatchesOf({ settlement, scheme: "upto", event: "Settled", transfer: tokenTransferOfLog(previousLog) })
 */
export function permit2MismatchesOf({
  settlement,
  scheme,
  event,
  transfer,
}: {
  settlement: Permit2Settlement;
  scheme: Permit2Scheme;
  event: (typeof PERMIT2_SETTLE_EVENTS)[Permit2SettleFunction];
  transfer: TokenTransfer | null;
}): string[] {
  const reasons: string[] = [];
  const call = `${settlement.scheme} ${settlement.functionName}`;
  if (settlement.scheme !== scheme) reasons.push(`the ${scheme} proxy emitted ${event}() for a call to ${call}`);
  else if (PERMIT2_SETTLE_EVENTS[settlement.functionName] !== event)
    reasons.push(
      `${event}() was emitted for a call to ${call}, which emits ${PERMIT2_SETTLE_EVENTS[settlement.functionName]}()`,
    );
  if (!transfer) {
    reasons.push(
      `no token Transfer right before ${event}(); the call moves ${settlement.amount} of ${settlement.token} from ${settlement.payer} to ${settlement.payTo}`,
    );
    return reasons;
  }
  const differences = [
    sameAddress(transfer.token, settlement.token) ? null : `token ${transfer.token} (call: ${settlement.token})`,
    sameAddress(transfer.from, settlement.payer) ? null : `from ${transfer.from} (call's owner: ${settlement.payer})`,
    sameAddress(transfer.to, settlement.payTo) ? null : `to ${transfer.to} (call's witness.to: ${settlement.payTo})`,
    transfer.value === settlement.amount ? null : `value ${transfer.value} (call: ${settlement.amount})`,
  ].filter((d) => d !== null);
  if (differences.length > 0)
    reasons.push(`the token Transfer before ${event}() disagrees with the call: ${differences.join(", ")}`);
  return reasons;
}

/** One frame of a `callTracer` trace (`debug_traceTransaction` with `{ tracer: "callTracer" }`). */
export type CallFrame = {
  type: string;
  from: Address;
  to?: Address | null;
  input: Hex;
  error?: string;
  calls?: CallFrame[];
};

/**
 * The calldata of every call to `proxy` that settled a payment and stayed in effect (no error in the call or in any
 * call around it), in execution order — the order of the proxy's events. For settlements made through a contract
 * (a smart account, Multicall3), whose transaction input is not the proxy's.
 * @example settleCallsOfTrace(await client.request({ method: "debug_traceTransaction", params: [hash, { tracer: "callTracer" }] }), proxy)
 */
export function settleCallsOfTrace(frame: CallFrame, proxy: Address): Hex[] {
  const calls: Hex[] = [];
  const visit = (f: CallFrame) => {
    if (f.error !== undefined) return;
    if (f.type === "CALL" && f.to && sameAddress(f.to, proxy) && decodePermit2Settlement(f.input) !== null)
      calls.push(f.input);
    for (const child of f.calls ?? []) visit(child);
  };
  visit(frame);
  return calls;
}

/**
 * The word of Permit2's nonce bitmap holding `nonce`, and the mask of its bit: `invalidateUnorderedNonces(word, mask)`
 * cancels it, and `nonceBitmap(owner, word) & mask` is non-zero once it is used or cancelled.
 * @example permit2NonceWordOf(258n) // { word: 1n, mask: 4n }
 */
export function permit2NonceWordOf(nonce: bigint): { word: bigint; mask: bigint } {
  return { word: nonce >> 8n, mask: 1n << (nonce & 0xffn) };
}

/** True when an `UnorderedNonceInvalidation(owner, word, mask)` of the payer cancels `nonce`. */
export function isPermit2NonceCancelled(nonce: bigint, cancellation: { word: bigint; mask: bigint }): boolean {
  const { word, mask } = permit2NonceWordOf(nonce);
  return cancellation.word === word && (cancellation.mask & mask) !== 0n;
}

/** A Permit2 nonce as the 32-byte hex of `paymentId` and the tables. */
export function permit2NonceHexOf(nonce: bigint): Hex {
  return toHex(nonce, { size: 32 });
}

/**
 * The paymentId of a Permit2 payment: `keccak256(abi.encode(chainId, permit2, payer, nonce))` — Permit2 is the
 * authority, since its nonces are per payer across tokens and spenders.
 * @example permit2PaymentIdOf({ chainId: 8453, payer, nonce: settlement.nonce })
 */
export function permit2PaymentIdOf({
  chainId,
  payer,
  nonce,
  permit2 = PERMIT2_ADDRESS,
}: {
  chainId: number | bigint;
  payer: Address;
  nonce: bigint;
  permit2?: Address;
}): Hex {
  return paymentIdOf({ chainId, token: permit2, payer, nonce: permit2NonceHexOf(nonce) });
}
