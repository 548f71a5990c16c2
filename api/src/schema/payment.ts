import { paymentStateOf, SETTLEMENT_WINDOW_SECONDS } from "@settlescan/indexer/src/lib/verdict.ts";
import { and, asc, eq, gte, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "../context";
import { numeric, type PaymentRow, run } from "../db";
import { BadInputError } from "../errors";
import { addressOf, paymentIdOf, txHashOf } from "../inputs";
import { type PageArgs, paginate, type SortKey } from "../pagination";
import { connectionResolvers } from "./connection";

export const typeDefs = /* GraphQL */ `
  """
  A payment's state at chain time: proven once a verified receipt cites it; otherwise awaiting_proof, and overdue once
  the settlement window (15 minutes of chain time) has passed. A \`private\` settlement posts nothing, so it stays
  awaiting_proof or overdue on chain: that is not a fault.
  """
  enum PaymentState {
    "Within the settlement window, and no verified receipt cites it yet."
    awaiting_proof
    "Past the settlement window, and no verified receipt cites it (a private settlement looks like this too)."
    overdue
    "A verified receipt cites it."
    proven
  }

  "An x402 payment on the payment chain: one EIP-3009 transferWithAuthorization."
  type Payment {
    "The paymentId: keccak256(abi.encode(chainId, token, payer, nonce))."
    id: ID!
    "Its state at chain time (the latest indexed head)."
    state: PaymentState!
    "Who authorized the transfer (the authorization's \`from\`)."
    payer: String!
    "Who received it (the Transfer's \`to\`); null while the Transfer of the transaction is not indexed."
    payee: String
    "Who submitted the transaction (tx.from)."
    facilitator: String!
    "What was transferred, in the token's base units."
    amount: BigInt
    "The token's address."
    token: String!
    "The authorization's 32-byte nonce."
    nonce: String!
    "The payment chain's id."
    chainId: Int!
    "The transaction that carried it."
    txHash: String!
    "Its block."
    blockNumber: Int!
    "The log index of its AuthorizationUsed event."
    logIndex: Int!
    "Its block's timestamp."
    paidAt: DateTime!
    "When the payment becomes overdue if no verified receipt cites it."
    dueAt: DateTime!
    "When the earliest settlement of a receipt citing it that is verified now was posted; null while none is."
    provenAt: DateTime
    "Receipts citing it."
    receiptCount: Int!
    "Receipts citing it that are verified."
    verifiedReceiptCount: Int!
    "Receipts citing this payment (0..N), oldest settlement first."
    receipts: [Receipt!]!
    "The inferences tied to this payment (exact or session links), by the time their counting settlement was posted."
    inferences: [PaymentInference!]!
  }

  "An inference tied to a payment, and how."
  type PaymentInference {
    "How the inference is tied to the payment: exact (its leaf names it) or session (by payer and time)."
    kind: LinkKind!
    "The inference."
    inference: Inference!
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
    payment(id: ID, txHash: String): Payment
    "Payments matching the filter, newest first unless ordered otherwise; cursor-paginated."
    payments(where: PaymentFilter, orderBy: PaymentOrder, first: Int, after: String): PaymentConnection!
  }
`;

type PaymentFilter = {
  states?: ("awaiting_proof" | "overdue" | "proven")[] | null;
  from?: bigint | null;
  to?: bigint | null;
  payer?: string | null;
  payee?: string | null;
  facilitator?: string | null;
  txHash?: string | null;
  minAmount?: bigint | null;
  maxAmount?: bigint | null;
};
type PaymentOrder = { field: "PAID_AT" | "AMOUNT"; direction: "ASC" | "DESC" };

/** SQL for "the payment is in `state` at chain time `now`": the same rule as `paymentStateOf`. */
export function paymentStateSql(ctx: Context, state: "awaiting_proof" | "overdue" | "proven", now: bigint): SQL {
  const p = ctx.tables.payment;
  const deadline = numeric(now - SETTLEMENT_WINDOW_SECONDS);
  if (state === "proven") return sql`${p.verifiedReceiptCount} > 0`;
  if (state === "overdue") return sql`(${p.verifiedReceiptCount} = 0 and ${p.paidAt} < ${deadline})`;
  return sql`(${p.verifiedReceiptCount} = 0 and ${p.paidAt} >= ${deadline})`;
}

async function paymentWhere(ctx: Context, w: PaymentFilter) {
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
      const order = args.orderBy ?? { field: "PAID_AT", direction: "DESC" };
      const sort: SortKey = {
        name: order.field,
        value: order.field === "PAID_AT" ? sql`${p.paidAt}` : sql`coalesce(${p.amount}, -1)`,
        direction: order.direction,
      };
      return paginate<PaymentRow>(ctx, {
        table: p,
        id: p.id,
        where: await paymentWhere(ctx, args.where ?? {}),
        sort,
        args,
        sortValueOf: (row) => (order.field === "PAID_AT" ? row.paidAt : row.amount),
      });
    },
  },
  Payment: {
    state: async (row: PaymentRow, _: unknown, ctx: Context) =>
      paymentStateOf({ verifiedReceipts: row.verifiedReceiptCount, paidAt: row.paidAt, now: await ctx.loaders.now() }),
    blockNumber: (row: PaymentRow) => Number(row.blockNumber),
    dueAt: (row: PaymentRow) => row.paidAt + SETTLEMENT_WINDOW_SECONDS,
    receipts: (row: PaymentRow, _: unknown, ctx: Context) => ctx.loaders.receiptsByPayment.load(row.id),
    inferences: async (row: PaymentRow, _: unknown, ctx: Context) =>
      (await ctx.loaders.inferencesByPayment.load(row.id)).map((inference) => ({
        kind: inference.linkKind,
        inference,
      })),
  },
  PaymentConnection: connectionResolvers,
};
