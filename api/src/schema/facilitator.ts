import { SETTLEMENT_WINDOW_SECONDS } from "@settlescan/indexer/src/lib/verdict.ts";
import { sql } from "drizzle-orm";
import type { Context } from "../context";
import { numeric, rowsOf } from "../db";
import { addressOf } from "../inputs";
import { assetOf } from "./payment";

export const typeDefs = /* GraphQL */ `
  """
  An address that submits payments on the payment chain and/or posts settlements on the verification chain, with its
  totals.
  """
  type Facilitator {
    "Its address."
    address: String!
    "Payments it submitted on the payment chain."
    payments: Int!
    "Sum of those payments' amounts in base units, over every token: meaningless once it settles more than one token."
    paymentVolume: BigInt! @deprecated(reason: "Adds base units of different tokens; use paymentVolumes.")
    "Those payments' count and volume per token (base units of that token), largest count first."
    paymentVolumes: [TokenVolume!]!
    "Of those payments, the proven ones (at chain time)."
    provenPayments: Int!
    "Of those payments, the overdue ones (at chain time)."
    overduePayments: Int!
    "Of those payments, the ones still within their settlement window."
    awaitingProofPayments: Int!
    "Settlement events it posted on the verification chain (as their signer, tx.from)."
    settlements: Int!
    "Of those, the batches."
    batchSettlements: Int!
    "Of those, the ones posted where it is not a known signer of the relay: shown, never counted as proof."
    unofficialSettlements: Int!
    "Receipts first settled by its settlements."
    receipts: Int!
    "Of those, the verified ones."
    verifiedReceipts: Int!
    "Sum of the verified receipts' amounts (base units)."
    verifiedVolume: BigInt!
    "Its earliest payment or settlement (block time)."
    firstSeenAt: DateTime
    "Its latest payment or settlement (block time)."
    lastSeenAt: DateTime
  }

  "Payments in one token and their sum."
  type TokenVolume {
    "The token, with its symbol and decimals from the network profile."
    asset: Asset!
    "Payments in it."
    payments: Int!
    "Sum of their amounts, in the token's base units (see asset.decimals)."
    volume: BigInt!
  }

  extend type Query {
    "Every facilitator seen on either chain, with totals, by address."
    facilitators: [Facilitator!]!
    "One facilitator's totals; null when the address neither submitted a payment nor posted a settlement."
    facilitator(
      "The facilitator's address, 20-byte hex (any case)."
      address: String!
    ): Facilitator
  }
`;

type FacilitatorRow = {
  address: string;
  payments: number;
  payment_volume: string;
  /** `[token, payments, volume]` per token, as JSON (volumes as text: they exceed 2^53). */
  volumes: [string, number, string][] | null;
  proven: number;
  overdue: number;
  settlements: number;
  batches: number;
  unofficial: number;
  receipts: number;
  verified: number;
  verified_volume: string;
  first_at: string | null;
  last_at: string | null;
};

/** Every facilitator's totals in one statement (or one facilitator's, given its address). */
async function facilitatorsOf(ctx: Context, address?: string) {
  const { payment: p, settlement: s, receipt: r } = ctx.tables;
  const now = await ctx.loaders.now();
  const deadline = numeric(now - SETTLEMENT_WINDOW_SECONDS);
  const only = (column: string) => (address ? sql`where ${sql.raw(column)} = ${address}` : sql``);
  const rows = await rowsOf<FacilitatorRow>(
    ctx.counter,
    ctx.db,
    sql`
    with per_token as (
      select facilitator, token, count(*)::int as payments, sum(amount) as volume,
        count(*) filter (where state = 'proven')::int as proven,
        count(*) filter (where state <> 'proven' and paid_at < ${deadline})::int as overdue,
        min(paid_at) as first_at, max(paid_at) as last_at
      from ${p} ${only("facilitator")} group by facilitator, token
    ), pay as (
      select facilitator as address, sum(payments)::int as payments, coalesce(sum(volume), 0)::text as payment_volume,
        json_agg(json_build_array(token, payments, volume::text) order by payments desc, token) as volumes,
        sum(proven)::int as proven, sum(overdue)::int as overdue, min(first_at) as first_at, max(last_at) as last_at
      from per_token group by facilitator
    ), st as (
      select signer as address, count(*)::int as settlements, count(*) filter (where kind = 'batch')::int as batches,
        count(*) filter (where not official)::int as unofficial,
        min(timestamp) as first_at, max(timestamp) as last_at
      from ${s} ${only("signer")} group by signer
    ), rc as (
      select st_.signer as address, count(*)::int as receipts,
        count(*) filter (where rc_.state = 'verified')::int as verified,
        coalesce(sum(rc_.amount) filter (where rc_.state = 'verified'), 0)::text as verified_volume
      from ${r} rc_ join ${s} st_ on st_.id = rc_.settlement_id ${only("st_.signer")} group by st_.signer
    )
    select coalesce(pay.address, st.address) as address,
      coalesce(pay.payments, 0) as payments, coalesce(pay.payment_volume, '0') as payment_volume, pay.volumes,
      coalesce(pay.proven, 0) as proven, coalesce(pay.overdue, 0) as overdue,
      coalesce(st.settlements, 0) as settlements, coalesce(st.batches, 0) as batches,
      coalesce(st.unofficial, 0) as unofficial,
      coalesce(rc.receipts, 0) as receipts, coalesce(rc.verified, 0) as verified,
      coalesce(rc.verified_volume, '0') as verified_volume,
      least(pay.first_at, st.first_at)::text as first_at, greatest(pay.last_at, st.last_at)::text as last_at
    from pay full outer join st on st.address = pay.address
      left join rc on rc.address = coalesce(pay.address, st.address)
    order by 1`,
  );
  return rows.map((row) => ({
    address: row.address,
    payments: row.payments,
    paymentVolume: BigInt(row.payment_volume),
    paymentVolumes: (row.volumes ?? []).map(([token, payments, volume]) => ({
      asset: assetOf(token),
      payments,
      volume: BigInt(volume),
    })),
    provenPayments: row.proven,
    overduePayments: row.overdue,
    awaitingProofPayments: row.payments - row.proven - row.overdue,
    settlements: row.settlements,
    batchSettlements: row.batches,
    unofficialSettlements: row.unofficial,
    receipts: row.receipts,
    verifiedReceipts: row.verified,
    verifiedVolume: BigInt(row.verified_volume),
    firstSeenAt: row.first_at === null ? null : BigInt(row.first_at),
    lastSeenAt: row.last_at === null ? null : BigInt(row.last_at),
  }));
}

export const resolvers = {
  Query: {
    facilitators: (_: unknown, __: unknown, ctx: Context) => facilitatorsOf(ctx),
    facilitator: async (_: unknown, { address }: { address: string }, ctx: Context) =>
      (await facilitatorsOf(ctx, addressOf(address, "Facilitator")))[0] ?? null,
  },
};
