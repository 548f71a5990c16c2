import { sql } from "drizzle-orm";
import type { Context } from "../context";
import { rowsOf } from "../db";
import { BadInputError } from "../errors";
import { isAddress, isHex32, quoted } from "../inputs";

export const typeDefs = /* GraphQL */ `
  "What a search query turned out to be."
  enum SearchHitKind {
    RECEIPT_ID
    "A paymentId: the payment (if on the payment chain) and the receipts citing it."
    PAYMENT_ID
    "The hash of a transaction on the payment chain that carried a payment."
    PAYMENT_TX
    "The hash of a transaction on the verification chain that carried a settlement."
    SETTLEMENT_TX
    "An inferenceId: every receipt settling that inference (more than one means duplicates)."
    INFERENCE_ID
    MERKLE_ROOT
    TEE_ID
    PAYER
    PAYEE
    FACILITATOR
  }

  "One thing a search query matched; the field of its kind is set (receipt, payment, settlement, tee or address)."
  type SearchHit {
    kind: SearchHitKind!
    "The matched key, normalized (lowercase hex)."
    key: String!
    "A short sentence saying what matched, e.g. \`Payment 0x12…ab (proven)\`."
    label: String!
    receipt: Receipt
    payment: Payment
    settlement: Settlement
    tee: Tee
    "The receipts of a PAYMENT_ID or INFERENCE_ID hit."
    receipts: [Receipt!]!
    "For address hits: the address."
    address: String
    "For address hits: how many payments (PAYER, PAYEE) or payments and settlements (FACILITATOR) it has."
    count: Int
  }

  extend type Query {
    """
    Finds what a 32-byte hex (receipt id, payment id, payment or settlement tx hash, inference id, Merkle root, TEE id)
    or a 20-byte address (payer, payee, facilitator) is. No hit for a receipt id means no settlement cites it yet.
    """
    search(query: String!): [SearchHit!]!
  }
`;

type HitRow = { kind: string; key: string; id: string; n: number };
type Hit = { kind: string; key: string; id: string; count: number };

const short = (hex: string) => `${hex.slice(0, 6)}…${hex.slice(-4)}`;

/** Every table a 32-byte value may key, in one statement. */
function hex32Hits(ctx: Context, key: string) {
  const { receipt: r, payment: p, settlement: s, tee } = ctx.tables;
  return rowsOf<HitRow>(
    ctx.counter,
    ctx.db,
    sql`
    select 'RECEIPT_ID' as kind, id as id, 1 as n from ${r} where id = ${key}
    union all select 'PAYMENT_ID', id, 1 from ${p} where id = ${key}
    union all (select 'CITED_PAYMENT', payment_id, count(*)::int from ${r} where payment_id = ${key} group by payment_id)
    union all select 'PAYMENT_TX', id, 1 from ${p} where tx_hash = ${key}
    union all select 'SETTLEMENT_TX', id, 1 from ${s} where tx_hash = ${key}
    union all select 'MERKLE_ROOT', id, 1 from ${s} where merkle_root = ${key}
    union all (select 'INFERENCE_ID', inference_id, count(*)::int from ${r} where inference_id = ${key} group by inference_id)
    union all select 'TEE_ID', id, 1 from ${tee} where id = ${key}`,
  );
}

/** Which roles an address plays, with a count for each, in one statement. */
function addressHits(ctx: Context, key: string) {
  const { payment: p, settlement: s } = ctx.tables;
  return rowsOf<HitRow>(
    ctx.counter,
    ctx.db,
    sql`
    select 'PAYER' as kind, ${key} as id, count(*)::int as n from ${p} where payer = ${key} having count(*) > 0
    union all select 'PAYEE', ${key}, count(*)::int from ${p} where payee = ${key} having count(*) > 0
    union all select 'FACILITATOR', ${key}, (select count(*)::int from ${p} where facilitator = ${key})
      + (select count(*)::int from ${s} where facilitator = ${key})
    `,
  );
}

export const resolvers = {
  Query: {
    search: async (_: unknown, { query }: { query: string }, ctx: Context): Promise<Hit[]> => {
      const key = query.trim().toLowerCase();
      const isHash = isHex32(key);
      if (!isHash && !isAddress(key))
        throw new BadInputError(
          `Search query ${quoted(query)} is neither a 32-byte hex string (receipt, payment, inference, transaction, Merkle root or TEE) nor a 20-byte address.`,
          { code: "BAD_SEARCH_QUERY" },
        );
      const rows = isHash ? await hex32Hits(ctx, key) : await addressHits(ctx, key);
      // A paymentId both on the payment chain and cited by receipts is one hit; its count is the citing receipts.
      const hits = new Map<string, Hit>();
      for (const row of rows) {
        if (row.n === 0) continue;
        const kind = row.kind === "CITED_PAYMENT" ? "PAYMENT_ID" : row.kind;
        const hit = hits.get(`${kind}:${row.id}`) ?? { kind, key, id: row.id, count: 0 };
        if (row.kind !== "PAYMENT_ID") hit.count = row.n;
        hits.set(`${kind}:${row.id}`, hit);
      }
      return [...hits.values()].slice(0, ctx.limits.maxSearchHits);
    },
  },
  SearchHit: {
    label: async (hit: Hit, _: unknown, ctx: Context) => {
      switch (hit.kind) {
        case "RECEIPT_ID": {
          const receipt = await ctx.loaders.receipt.load(hit.id as `0x${string}`);
          return `Receipt ${short(hit.id)} (${receipt?.state})`;
        }
        case "PAYMENT_ID":
        case "PAYMENT_TX": {
          const payment = await ctx.loaders.payment.load(hit.id as `0x${string}`);
          return payment
            ? `Payment ${short(hit.id)} on chain ${payment.chainId}`
            : `Payment ${short(hit.id)}, not on the payment chain, cited by ${hit.count} receipt(s)`;
        }
        case "SETTLEMENT_TX":
        case "MERKLE_ROOT": {
          const settlement = await ctx.loaders.settlement.load(hit.id);
          return `${settlement?.kind === "batch" ? "Batch" : "Individual"} settlement in ${short(settlement?.txHash ?? hit.key)}`;
        }
        case "INFERENCE_ID":
          return `Inference ${short(hit.id)}, settled in ${hit.count} receipt(s)`;
        case "TEE_ID":
          return `Enclave ${short(hit.id)}`;
        default:
          return `${hit.kind[0]}${hit.kind.slice(1).toLowerCase()} ${short(hit.id)} (${hit.count})`;
      }
    },
    receipt: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "RECEIPT_ID" ? ctx.loaders.receipt.load(hit.id as `0x${string}`) : null,
    payment: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "PAYMENT_ID" || hit.kind === "PAYMENT_TX" ? ctx.loaders.payment.load(hit.id as `0x${string}`) : null,
    settlement: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "SETTLEMENT_TX" || hit.kind === "MERKLE_ROOT" ? ctx.loaders.settlement.load(hit.id) : null,
    tee: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "TEE_ID" ? ctx.loaders.tee.load(hit.id as `0x${string}`) : null,
    receipts: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "PAYMENT_ID"
        ? ctx.loaders.receiptsByPayment.load(hit.id as `0x${string}`)
        : hit.kind === "INFERENCE_ID"
          ? ctx.loaders.receiptsByInference.load(hit.id as `0x${string}`)
          : [],
    address: (hit: Hit) => (["PAYER", "PAYEE", "FACILITATOR"].includes(hit.kind) ? hit.id : null),
    count: (hit: Hit) => (["PAYER", "PAYEE", "FACILITATOR"].includes(hit.kind) ? hit.count : null),
  },
};
