import { SETTLEMENT_WINDOW_SECONDS } from "@settlescan/indexer/src/lib/verdict.ts";
import { sql } from "drizzle-orm";
import type { Context } from "../context";
import { numeric, rowsOf } from "../db";
import { assetOf } from "./payment";
import { bucketsOf, type Interval, int } from "./stats";

export const typeDefs = /* GraphQL */ `
  "Split each bucket's rows further by one address of the payment (rows stay per token and scheme)."
  enum PaymentStatsGroup {
    "By the address that submitted the payment (tx.from)."
    FACILITATOR
    "By the payment's payer."
    PAYER
    "By the payment's payee."
    PAYEE
  }

  "Payments by state at chain time (the latest indexed head), as \`PaymentState\` judges them."
  type PaymentStateCounts {
    "Within the settlement window, no proven inference linked yet."
    awaitingProof: Int!
    "Past the settlement window, no proven inference linked."
    overdue: Int!
    "A verified receipt cites it, or a proven inference is linked to it by session."
    proven: Int!
  }

  """
  The payments of one bucket in one token and scheme (and group, when grouped). Volumes are in the token's base units
  and never summed across tokens: read them with \`asset.decimals\`.
  """
  type PaymentStatsRow {
    "The token's address."
    token: String!
    "The token, with its symbol and decimals (from the network profile)."
    asset: Asset!
    "How the payments moved their tokens."
    scheme: PaymentScheme!
    "The group's address when grouped by \`groupBy\`; null otherwise."
    group: String
    "Payments paid in the bucket."
    payments: Int!
    "Sum of their settled amounts, in the token's base units."
    volume: BigInt!
    "Sum of what their payers permitted at most (upto: maxAmount; other schemes: the amount), in base units."
    maxVolume: BigInt!
    "Those payments by state at chain time."
    byState: PaymentStateCounts!
  }

  "Payments paid in [start, end), one row per token and scheme (and group), computed in SQL."
  type PaymentStatsBucket {
    "The bucket's first instant."
    start: DateTime!
    "The instant after the bucket (the next bucket's start)."
    end: DateTime!
    "One row per token × scheme (× group) with payments in the bucket, by token, scheme, then group; empty when none."
    rows: [PaymentStatsRow!]!
  }

  extend type Query {
    """
    Dashboard aggregates of payments per time bucket, by token and scheme: counts, volumes in each token's base units
    and states. Every bucket of the range is returned, with the same bound as \`stats\`.
    """
    paymentStats(
      "Start of the range (included), rounded down to its bucket."
      from: DateTime!
      "End of the range (excluded), rounded up to its bucket; after \`from\`."
      to: DateTime!
      "Bucket width: hour, day or week (UTC)."
      interval: Interval!
      "Also split each token and scheme's row per facilitator, payer or payee; one row per token and scheme when omitted."
      groupBy: PaymentStatsGroup
    ): [PaymentStatsBucket!]!
  }
`;

type PaymentStatsGroup = "FACILITATOR" | "PAYER" | "PAYEE";
const GROUP_COLUMN: Record<PaymentStatsGroup, string> = { FACILITATOR: "facilitator", PAYER: "payer", PAYEE: "payee" };

type PaymentAggRow = {
  i: number;
  token: string;
  scheme: "eip3009" | "permit2_exact" | "permit2_upto";
  grp: string | null;
  payments: number;
  volume: string;
  max_volume: string;
  proven: number;
  overdue: number;
};

export const resolvers = {
  Query: {
    paymentStats: async (
      _: unknown,
      args: { from: bigint; to: bigint; interval: Interval; groupBy?: PaymentStatsGroup | null },
      ctx: Context,
    ) => {
      const { start, end, step, buckets } = bucketsOf(ctx, args);
      const now = await ctx.loaders.now();
      const p = ctx.tables.payment;
      const group = args.groupBy ? sql.raw(GROUP_COLUMN[args.groupBy]) : sql`null::text`;
      // Overdue at chain time: not proven and paid before now minus the window (as paymentStateSql says it).
      const deadline = numeric(now - SETTLEMENT_WINDOW_SECONDS);
      // One range scan of the paid_at index; rows come back in the order the buckets list them.
      const rows = await rowsOf<PaymentAggRow>(
        ctx.counter,
        ctx.db,
        sql`select floor((${p.paidAt} - ${int(start)}) / ${int(step)})::int as i, token, scheme, ${group} as grp,
          count(*)::int as payments, sum(amount)::text as volume,
          sum(coalesce(max_amount, amount))::text as max_volume,
          count(*) filter (where state = 'proven')::int as proven,
          count(*) filter (where state <> 'proven' and paid_at < ${deadline})::int as overdue
        from ${p} where ${p.paidAt} >= ${int(start)} and ${p.paidAt} < ${int(end)}
        group by 1, 2, 3, 4 order by 1, 2, 3, 4 nulls last`,
      );
      const byBucket = new Map<number, PaymentAggRow[]>();
      for (const row of rows) {
        const list = byBucket.get(row.i);
        if (list) list.push(row);
        else byBucket.set(row.i, [row]);
      }
      return Array.from({ length: Number(buckets) }, (_, i) => {
        const bucketStart = start + BigInt(i) * step;
        return {
          start: bucketStart,
          end: bucketStart + step,
          rows: (byBucket.get(i) ?? []).map((row) => ({
            token: row.token,
            asset: assetOf(row.token),
            scheme: row.scheme,
            group: row.grp,
            payments: row.payments,
            volume: BigInt(row.volume),
            maxVolume: BigInt(row.max_volume),
            byState: {
              awaitingProof: row.payments - row.proven - row.overdue,
              overdue: row.overdue,
              proven: row.proven,
            },
          })),
        };
      });
    },
  },
};
