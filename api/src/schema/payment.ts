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
  A payment's state at chain time (DESIGN.md §4): proven by a verified receipt; otherwise awaiting_proof, and overdue
  once the settlement window (15 minutes of chain time) has passed. A \`private\` settlement posts nothing, so it stays
  awaiting_proof or overdue on chain: that is not a fault.
  """
  enum PaymentState {
    awaiting_proof
    overdue
    proven
  }

  "An x402 payment on the payment chain: one EIP-3009 transferWithAuthorization."
  type Payment {
    "The paymentId: keccak256(abi.encode(chainId, token, payer, nonce))."
    id: ID!
    state: PaymentState!
    payer: String!
    "Null while the Transfer of the transaction is not indexed."
    payee: String
    "Who submitted the transaction (tx.from)."
    facilitator: String!
    amount: BigInt
    token: String!
    nonce: String!
    chainId: Int!
    txHash: String!
    blockNumber: Int!
    logIndex: Int!
    paidAt: DateTime!
    "When the payment becomes overdue if no verified receipt cites it."
    dueAt: DateTime!
    "When the earliest settlement of a receipt citing it that is verified now was posted; null while none is."
    provenAt: DateTime
    receiptCount: Int!
    verifiedReceiptCount: Int!
    "Receipts citing this payment (0..N), oldest settlement first."
    receipts: [Receipt!]!
  }

  input PaymentFilter {
    states: [PaymentState!]
    "Paid at or after."
    from: DateTime
    "Paid before."
    to: DateTime
    payer: String
    payee: String
    facilitator: String
    txHash: String
    minAmount: BigInt
    maxAmount: BigInt
  }

  enum PaymentOrderField {
    PAID_AT
    AMOUNT
  }

  input PaymentOrder {
    field: PaymentOrderField!
    direction: OrderDirection!
  }

  type PaymentEdge {
    cursor: String!
    node: Payment!
  }

  type PaymentConnection {
    edges: [PaymentEdge!]!
    nodes: [Payment!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  extend type Query {
    "A payment by its paymentId (\`id\`) or its transaction hash (\`txHash\`): give exactly one."
    payment(id: ID, txHash: String): Payment
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
  },
  PaymentConnection: connectionResolvers,
};
