import { type Context, type Event, ponder } from "ponder:registry";
import { payment, permit2NonceCancellation } from "ponder:schema";
import {
  type CallFrame,
  decodePermit2Settlement,
  PERMIT2_ADDRESS,
  PERMIT2_SETTLE_EVENTS,
  type Permit2Scheme,
  permit2MismatchesOf,
  permit2NonceHexOf,
  permit2PaymentIdOf,
  settleCallsOfTrace,
  tokenTransferOfLog,
} from "@settlescan/abis";
import { type Address, type Hex, toEventSelector } from "viem";
import { profileOf } from "./lib/networks";
import { linkSessionPayment, type PaidPayment, reconcilePayment } from "./reconcile";

// x402 payments over Permit2. The proxies' `Settled()` / `SettledWithPermit()` carry nothing: the payment (payer,
// token, maximum, settled amount, nonce, witness) is only in the settle call. One design covers every facilitator:
// the event says a settlement happened and stayed in effect, and its call is read where it is —
//   - the transaction input, when the transaction calls the proxy (a facilitator EOA: the usual case, no request);
//   - otherwise (a smart account, Multicall3), the transaction's call trace: one `debug_traceTransaction` for that
//     transaction alone, kept in Ponder's RPC cache. Tracing every block instead (Ponder's `includeCallTraces`) would
//     be one `debug_traceBlockByNumber` per Base block from the proxies' start, whether it pays or not.
// The token `Transfer` the call must agree with comes from the transaction's receipt (one `eth_getTransactionReceipt`
// per payment transaction, also cached): indexing every Transfer of every accepted token instead would read each
// token's whole traffic (USDC's on Base is millions of transfers a day) to use a few. Ponder's own receipts carry no logs.

const SETTLE_TOPICS = new Set(Object.values(PERMIT2_SETTLE_EVENTS).map((name) => toEventSelector(`${name}()`)));
const permit2 = () => profileOf().payment.permit2 ?? PERMIT2_ADDRESS;
const lower = (address: string) => address.toLowerCase();

const schemes = new Map<string, Permit2Scheme>();
/** The scheme of the profile's proxy at `address` (events come only from profile proxies, so it is always there). */
function schemeOfProxy(address: Address): Permit2Scheme {
  let scheme = schemes.get(lower(address));
  if (!scheme) {
    const { exact, upto } = profileOf().payment.proxies ?? {};
    scheme =
      exact && lower(exact) === lower(address) ? "exact" : upto && lower(upto) === lower(address) ? "upto" : undefined;
    if (!scheme) throw new Error(`Proxy ${address} is not in the ${profileOf().name} profile.`);
    schemes.set(lower(address), scheme);
  }
  return scheme;
}

type SettledEvent = Event<"Permit2Proxy:Settled"> | Event<"Permit2Proxy:SettledWithPermit">;

async function indexSettlement(
  event: SettledEvent,
  context: Context<"Permit2Proxy:Settled">,
  name: (typeof PERMIT2_SETTLE_EVENTS)[keyof typeof PERMIT2_SETTLE_EVENTS],
) {
  const proxy = event.log.address;
  const hash = event.transaction.hash;
  const receipt = await context.client.getTransactionReceipt({ hash });
  // The receipt is the chain's now: if the transaction moved to another block since Ponder read this one (a reorg
  // in flight), its log indexes no longer match; Ponder re-indexes the new block once it sees the reorg.
  if (receipt.blockHash !== event.block.hash)
    throw new Error(
      `Transaction ${hash} is in block ${receipt.blockHash} now, not ${event.block.hash} as indexed: a reorg is under way.`,
    );
  const position = receipt.logs.findIndex((log) => log.logIndex === event.log.logIndex);
  // Which of this proxy's settlements in the transaction this event is: the same-numbered settle call.
  const ordinal = receipt.logs
    .slice(0, position)
    .filter((log) => lower(log.address) === lower(proxy) && SETTLE_TOPICS.has(log.topics[0] as Hex)).length;
  const input = await settleCallInputOf(event, context, ordinal);
  const settlement = input === undefined ? null : decodePermit2Settlement(input);
  if (!settlement) {
    // Not a payment Settlescan can identify (no nonce, no payer): said aloud, never guessed.
    console.warn(
      `[settlescan] ${name}() at ${hash} log ${event.log.logIndex}: no settle call #${ordinal} to ${proxy} found in the transaction.`,
    );
    return;
  }
  const previous = position > 0 ? receipt.logs[position - 1] : undefined;
  const mismatches = permit2MismatchesOf({
    settlement,
    scheme: schemeOfProxy(proxy),
    event: name,
    transfer: previous ? tokenTransferOfLog(previous) : null,
  });
  const id = permit2PaymentIdOf({
    chainId: context.chain.id,
    payer: settlement.payer,
    nonce: settlement.nonce,
    permit2: permit2(),
  });
  // Permit2 refuses a used nonce, so a paymentId settles once; a proxy that did not use Permit2 could repeat one:
  // the first in chain order stands.
  if (await context.db.find(payment, { id })) {
    console.warn(`[settlescan] ${name}() at ${hash} log ${event.log.logIndex} repeats payment ${id}; kept the first.`);
    return;
  }
  const paid: PaidPayment = {
    id,
    chainId: context.chain.id,
    token: settlement.token,
    payer: settlement.payer,
    nonce: permit2NonceHexOf(settlement.nonce),
    facilitator: event.transaction.from,
    payee: settlement.payTo,
    amount: settlement.amount,
    txHash: hash,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    paidAt: event.block.timestamp,
    scheme: `permit2_${schemeOfProxy(proxy)}`,
    maxAmount: schemeOfProxy(proxy) === "upto" ? settlement.maxAmount : null,
    validAfter: settlement.validAfter,
    deadline: settlement.deadline,
    mismatch: mismatches.length > 0 ? mismatches.join("; ") : null,
  };
  await reconcilePayment(context, id, { pendingPayment: paid });
  // Any scheme counts for a session (§4): an inference of this payer waiting for a payment to this payee is offered it.
  await linkSessionPayment(context, paid);
}

/** The input of the proxy's `ordinal`-th settle call in the event's transaction (see the top of this file). */
async function settleCallInputOf(
  event: SettledEvent,
  context: Context<"Permit2Proxy:Settled">,
  ordinal: number,
): Promise<Hex | undefined> {
  const { transaction } = event;
  if (transaction.to && lower(transaction.to) === lower(event.log.address))
    return ordinal === 0 ? transaction.input : undefined;
  let trace: CallFrame;
  try {
    trace = (await context.client.request({
      method: "debug_traceTransaction",
      params: [transaction.hash, { tracer: "callTracer" }],
    } as never)) as CallFrame;
  } catch (error) {
    // Skipping would lose a payment: stop with what to change instead (Ponder retries before this surfaces).
    throw new Error(
      `Payment transaction ${transaction.hash} settled through a contract (${transaction.to}), so its settle call is only in the call trace, and the payment chain's RPC refused debug_traceTransaction (${(error as Error).message.split("\n")[0]}). Point BASE_RPC_URL at an RPC that serves the debug namespace.`,
      { cause: error },
    );
  }
  return settleCallsOfTrace(trace, event.log.address)[ordinal];
}

ponder.on("Permit2Proxy:Settled", ({ event, context }) => indexSettlement(event, context, "Settled"));
ponder.on("Permit2Proxy:SettledWithPermit", ({ event, context }) =>
  indexSettlement(event, context, "SettledWithPermit"),
);

// A payer cancelling nonces: no payment can settle with them afterwards (Permit2 refuses), so nothing else changes.
ponder.on("Permit2:UnorderedNonceInvalidation", async ({ event, context }) => {
  await context.db.insert(permit2NonceCancellation).values({
    id: `${event.transaction.hash}-${event.log.logIndex}`,
    chainId: context.chain.id,
    owner: event.args.owner,
    word: event.args.word,
    mask: event.args.mask,
    txHash: event.transaction.hash,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    cancelledAt: event.block.timestamp,
  });
});
