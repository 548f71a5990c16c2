import {
  acceptedTokenOf,
  type NetworkProfile,
  OPG_ADDRESS_BASE,
  OPG_DECIMALS,
  USDC_ADDRESS_BASE,
  USDC_DECIMALS,
} from "@settlescan/abis";
import { loadProfile } from "@settlescan/abis/node";
import { paymentStateOf, SETTLEMENT_WINDOW_SECONDS } from "@settlescan/indexer/src/lib/verdict.ts";
import { and, asc, eq, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "../context";
import { numeric, type PaymentRow, run } from "../db";
import { BadInputError } from "../errors";
import { addressOf, paymentIdOf, txHashOf } from "../inputs";
import { decodeCursor, encodeCursor, type PageArgs, pageSizeOf, paginate, type SortKey } from "../pagination";
import { connectionResolvers } from "./connection";

export const typeDefs = /* GraphQL */ `
  """
  A payment's state at chain time, links of every kind counted: proven once a verified receipt cites it or a proven
  inference is linked to it by session; otherwise awaiting_proof, and overdue once the settlement window (15 minutes
  of chain time) has passed. A \`private\` settlement posts nothing, so it stays awaiting_proof or overdue on chain:
  that is not a fault.
  """
  enum PaymentState {
    "Within the settlement window, and no proven inference is linked to it yet."
    awaiting_proof
    "Past the settlement window, and no proven inference is linked to it (a private settlement looks like this too)."
    overdue
    "A verified receipt cites it, or a proven inference is linked to it by session."
    proven
  }

  "How an x402 payment moved its tokens."
  enum PaymentScheme {
    "x402 exact over the token's own EIP-3009 transferWithAuthorization (USDC): the authorized amount moves whole."
    eip3009
    "x402 exact over Permit2, through x402's exact proxy (any ERC-20, e.g. OPG): the permitted amount moves whole."
    permit2_exact
    "x402 upto over Permit2, through x402's upto proxy: up to the permitted amount moves, settled once for a session."
    permit2_upto
  }

  "A token payments are made in, with its symbol and decimals from the network profile (null when it lists none)."
  type Asset {
    "The token's address."
    address: String!
    "Its symbol, e.g. USDC or OPG."
    symbol: String
    "Its decimals: amounts are in units of 10^-decimals tokens (USDC 6, OPG 18)."
    decimals: Int
  }

  """
  An x402 payment on the payment chain: one EIP-3009 transferWithAuthorization, or one settlement of x402's exact or
  upto proxy over Permit2, read from its call and checked against the token Transfer it made.
  """
  type Payment {
    """
    The paymentId: keccak256(abi.encode(chainId, authority, payer, nonce)); the authority is the token for EIP-3009
    and Permit2's address for Permit2 payments (Permit2 nonces are per payer).
    """
    id: ID!
    "Its state at chain time (the latest indexed head)."
    state: PaymentState!
    "Who authorized the transfer (EIP-3009's \`from\`, Permit2's \`owner\`)."
    payer: String!
    "Who received it (EIP-3009: the Transfer's \`to\`; Permit2: the signed witness.to)."
    payee: String
    "Who submitted the transaction (tx.from)."
    facilitator: String!
    "The facilitator's name from the network profile's list; null when it lists none for this address."
    facilitatorName: String
    "What was settled, in the token's base units (see asset.decimals)."
    amount: BigInt
    "The token's address."
    token: String!
    "The token, with its symbol and decimals."
    asset: Asset!
    "How it moved: EIP-3009, or x402's exact or upto proxy over Permit2."
    scheme: PaymentScheme!
    "upto: what the payer permitted at most, in base units (amount is what was settled of it); null for the other schemes."
    maxAmount: BigInt
    "Permit2 payments: the witness's validAfter; null for EIP-3009 (only in its calldata)."
    validAfter: DateTime
    "Permit2 payments: the permit's deadline; null for EIP-3009."
    deadline: DateTime
    """
    Why the settle call, the proxy's event and the token Transfer before it disagree; null when they agree (always for
    EIP-3009). A mismatched payment is shown as recorded, never trusted silently.
    """
    mismatch: String
    "The authorization's 32-byte nonce (Permit2's unordered nonce as 32 bytes)."
    nonce: String!
    "The payment chain's id."
    chainId: Int!
    "The transaction that carried it."
    txHash: String!
    "Its block."
    blockNumber: Int!
    "The log index of its AuthorizationUsed event, or of the proxy's Settled/SettledWithPermit event."
    logIndex: Int!
    "Its block's timestamp."
    paidAt: DateTime!
    "When the payment becomes overdue if no proven inference is linked to it."
    dueAt: DateTime!
    """
    When the earliest settlement proving it was posted: of a receipt citing it that is verified now, or of a proven
    inference linked to it by session; null while none is.
    """
    provenAt: DateTime
    "Receipts citing it."
    receiptCount: Int!
    "Receipts citing it that are verified (exact links only; state also counts session links)."
    verifiedReceiptCount: Int!
    "Inferences linked to it by session (their payer paid the enclave within their session's window)."
    sessionInferenceCount: Int!
    "Of the inferences linked to it by session, the proven ones."
    provenSessionInferenceCount: Int!
    "Receipts citing this payment (0..N), oldest settlement first."
    receipts: [Receipt!]!
    "The inferences tied to this payment (exact or session links), by the time their counting settlement was posted."
    inferences(
      "At most this many (20 when omitted together with after; all of them when both are omitted), at most 1000."
      first: Int
      "Continue after this cursor: a PaymentInference's \`cursor\` from a previous call."
      after: String
    ): [PaymentInference!]!
  }

  "An inference tied to a payment, and how."
  type PaymentInference {
    "How the inference is tied to the payment: exact (its leaf names it) or session (by payer and time)."
    kind: LinkKind!
    "The inference."
    inference: Inference!
    "Pass as \`after\` to get the inferences that follow this one."
    cursor: String!
  }

  "Which payments to list; every condition given must hold."
  input PaymentFilter {
    "Any of these states (judged at chain time)."
    states: [PaymentState!]
    "Paid at or after."
    from: DateTime
    "Paid before."
    to: DateTime
    "Authorized by this address."
    payer: String
    "Paid to this address."
    payee: String
    "Submitted by this address (tx.from)."
    facilitator: String
    "Carried by this transaction."
    txHash: String
    "At least this amount (base units)."
    minAmount: BigInt
    "At most this amount (base units)."
    maxAmount: BigInt
    "In this token (its address)."
    token: String
    "Of these schemes."
    schemes: [PaymentScheme!]
  }

  "What payments are ordered by (then by id)."
  enum PaymentOrderField {
    "The block time of the payment."
    PAID_AT
    "The amount transferred; payments whose Transfer is not indexed sort lowest."
    AMOUNT
  }

  "An ordering of payments."
  input PaymentOrder {
    "The value to order by."
    field: PaymentOrderField!
    "Ascending or descending."
    direction: OrderDirection!
  }

  "A payment in a page, with the cursor to continue after it."
  type PaymentEdge {
    "Pass as \`after\` to get the payments that follow this one."
    cursor: String!
    "The payment."
    node: Payment!
  }

  "A page of payments."
  type PaymentConnection {
    "The page's payments with their cursors."
    edges: [PaymentEdge!]!
    "The page's payments."
    nodes: [Payment!]!
    "Whether more pages follow, and where to continue."
    pageInfo: PageInfo!
    "Payments matching the filter, all pages; counted only when selected."
    totalCount: Int!
  }

  extend type Query {
    "A payment by its paymentId (\`id\`) or its transaction hash (\`txHash\`, its first payment in log order): give exactly one."
    payment(
      "The paymentId: keccak256(abi.encode(chainId, token, payer, nonce)), 32-byte hex."
      id: ID
      "The hash of the payment chain transaction that carried the payment, 32-byte hex."
      txHash: String
    ): Payment
    "Payments matching the filter, newest first unless ordered otherwise; cursor-paginated."
    payments(
      "Only payments matching every condition given; all of them when omitted."
      where: PaymentFilter
      "Field and direction to order by, then by id; the newest payment first when omitted."
      orderBy: PaymentOrder
      "Page size: 20 when omitted, at most 1000."
      first: Int
      "Continue after this cursor: an edge's \`cursor\` or \`pageInfo.endCursor\` of a previous page in the same order."
      after: String
    ): PaymentConnection!
  }
`;

/** The `PaymentFilter` input, as resolvers receive it. */
export type PaymentFilter = {
  states?: ("awaiting_proof" | "overdue" | "proven")[] | null;
  from?: bigint | null;
  to?: bigint | null;
  payer?: string | null;
  payee?: string | null;
  facilitator?: string | null;
  txHash?: string | null;
  minAmount?: bigint | null;
  maxAmount?: bigint | null;
  token?: string | null;
  schemes?: ("eip3009" | "permit2_exact" | "permit2_upto")[] | null;
};
/** The `PaymentOrder` input. */
export type PaymentOrder = { field: "PAID_AT" | "AMOUNT"; direction: "ASC" | "DESC" };

/** Tokens named without a profile: Base's USDC and OPG (the devnet places its tokens at the same addresses). */
const KNOWN_TOKENS = [
  { address: USDC_ADDRESS_BASE, symbol: "USDC", decimals: USDC_DECIMALS },
  { address: OPG_ADDRESS_BASE, symbol: "OPG", decimals: OPG_DECIMALS },
];

let profile: NetworkProfile | null | undefined;
/**
 * The network profile the indexer follows (SETTLESCAN_NETWORK), read once; null where none loads (an API over a copied
 * database): tokens are then named from KNOWN_TOKENS and facilitators not at all.
 */
export function paymentProfile(): NetworkProfile | null {
  if (profile === undefined)
    try {
      profile = loadProfile();
    } catch {
      profile = null;
    }
  return profile;
}

/** A payment's token with its symbol and decimals: the profile's, else a known token's, else none. */
export function assetOf(token: string) {
  const p = paymentProfile();
  const known =
    (p && acceptedTokenOf(p, token)) ?? KNOWN_TOKENS.find((t) => t.address.toLowerCase() === token.toLowerCase());
  return { address: token, symbol: known?.symbol ?? null, decimals: known?.decimals ?? null };
}

/** SQL for "the payment is in `state` at chain time `now`": the same rule as `paymentStateOf`. */
export function paymentStateSql(ctx: Context, state: "awaiting_proof" | "overdue" | "proven", now: bigint): SQL {
  const p = ctx.tables.payment;
  const deadline = numeric(now - SETTLEMENT_WINDOW_SECONDS);
  // The stored state counts links of every kind (verified receipts and proven session-linked inferences).
  if (state === "proven") return sql`${p.state} = 'proven'`;
  if (state === "overdue") return sql`(${p.state} <> 'proven' and ${p.paidAt} < ${deadline})`;
  return sql`(${p.state} <> 'proven' and ${p.paidAt} >= ${deadline})`;
}

/** The state of a payment row at chain time `now`: the stored state counts links of every kind (§4). */
export const linkedPaymentStateOf = (row: Pick<PaymentRow, "state" | "paidAt">, now: bigint) =>
  paymentStateOf({ verifiedReceipts: row.state === "proven" ? 1 : 0, paidAt: row.paidAt, now });

/** The sort key of an ordering of payments (the newest first when none is given) and the row's value of it. */
export function paymentSortOf(ctx: Context, orderBy: PaymentOrder | null | undefined) {
  const p = ctx.tables.payment;
  const order = orderBy ?? { field: "PAID_AT", direction: "DESC" };
  const sort: SortKey = {
    name: order.field,
    value: order.field === "PAID_AT" ? sql`${p.paidAt}` : sql`coalesce(${p.amount}, -1)`,
    direction: order.direction,
  };
  const sortValueOf = (row: Pick<PaymentRow, "paidAt" | "amount">) =>
    order.field === "PAID_AT" ? row.paidAt : row.amount;
  return { sort, sortValueOf };
}

/** The sort key of a payment's inferences (`Payment.inferences`): the counting settlement's time, then id. */
const PAYMENT_INFERENCES = "PAYMENT_INFERENCES";

/** SQL for "the payment matches `w`" (states judged at chain time); throws BadInputError on a malformed value. */
export async function paymentWhere(ctx: Context, w: PaymentFilter) {
  const p = ctx.tables.payment;
  if (w.minAmount != null && w.maxAmount != null && w.minAmount > w.maxAmount)
    throw new BadInputError(`minAmount ${w.minAmount} is more than maxAmount ${w.maxAmount}.`, { code: "BAD_AMOUNT" });
  const conditions = [
    w.from != null ? gte(p.paidAt, w.from) : undefined,
    w.to != null ? lt(p.paidAt, w.to) : undefined,
    w.payer != null ? eq(p.payer, addressOf(w.payer, "Payer")) : undefined,
    w.payee != null ? eq(p.payee, addressOf(w.payee, "Payee")) : undefined,
    w.facilitator != null ? eq(p.facilitator, addressOf(w.facilitator, "Facilitator")) : undefined,
    w.txHash != null ? eq(p.txHash, txHashOf(w.txHash)) : undefined,
    w.minAmount != null ? gte(p.amount, w.minAmount) : undefined,
    w.maxAmount != null ? lte(p.amount, w.maxAmount) : undefined,
    w.token != null ? eq(p.token, addressOf(w.token, "Token")) : undefined,
    w.schemes != null ? (w.schemes.length ? inArray(p.scheme, w.schemes) : sql`false`) : undefined,
  ];
  if (w.states) {
    const now = await ctx.loaders.now();
    conditions.push(w.states.length ? or(...w.states.map((s) => paymentStateSql(ctx, s, now))) : sql`false`);
  }
  return and(...conditions);
}

export const resolvers = {
  Query: {
    payment: async (_: unknown, args: { id?: string | null; txHash?: string | null }, ctx: Context) => {
      if ((args.id == null) === (args.txHash == null))
        throw new BadInputError("Give payment exactly one of id and txHash.", { code: "BAD_ARGUMENTS" });
      if (args.id != null) return ctx.loaders.payment.load(paymentIdOf(args.id));
      const p = ctx.tables.payment;
      const [row] = await run(
        ctx.counter,
        ctx.db
          .select()
          .from(p)
          .where(eq(p.txHash, txHashOf(args.txHash!)))
          .orderBy(asc(p.logIndex))
          .limit(1),
      );
      return row ?? null;
    },
    payments: async (
      _: unknown,
      args: PageArgs & { where?: PaymentFilter | null; orderBy?: PaymentOrder | null },
      ctx: Context,
    ) => {
      const p = ctx.tables.payment;
      const { sort, sortValueOf } = paymentSortOf(ctx, args.orderBy);
      return paginate<PaymentRow>(ctx, {
        table: p,
        id: p.id,
        where: await paymentWhere(ctx, args.where ?? {}),
        sort,
        args,
        sortValueOf,
      });
    },
  },
  Payment: {
    state: async (row: PaymentRow, _: unknown, ctx: Context) => linkedPaymentStateOf(row, await ctx.loaders.now()),
    blockNumber: (row: PaymentRow) => Number(row.blockNumber),
    asset: (row: PaymentRow) => assetOf(row.token),
    facilitatorName: (row: PaymentRow) => {
      const profile = paymentProfile();
      const address = row.facilitator.toLowerCase();
      return profile?.payment.facilitators?.find((f) => f.address.toLowerCase() === address)?.name ?? null;
    },
    dueAt: (row: PaymentRow) => row.paidAt + SETTLEMENT_WINDOW_SECONDS,
    receipts: (row: PaymentRow, _: unknown, ctx: Context) => ctx.loaders.receiptsByPayment.load(row.id),
    // A payment's inferences are a session's (tens, rarely hundreds): loaded whole for every payment of the request
    // at once, then paged here.
    inferences: async (row: PaymentRow, args: PageArgs, ctx: Context) => {
      const all = await ctx.loaders.inferencesByPayment.load(row.id);
      const after = args.after ? decodeCursor(args.after, PAYMENT_INFERENCES) : null;
      const start = after
        ? all.findIndex((i) => {
            const at = BigInt(after.value);
            return i.settledAt > at || (i.settledAt === at && i.id > after.id);
          })
        : 0;
      const rest = start < 0 ? [] : all.slice(start);
      const page = args.first == null && args.after == null ? rest : rest.slice(0, pageSizeOf(args.first, ctx.limits));
      return page.map((inference) => ({
        kind: inference.linkKind,
        inference,
        cursor: encodeCursor(PAYMENT_INFERENCES, String(inference.settledAt), inference.id),
      }));
    },
  },
  PaymentConnection: connectionResolvers,
};
