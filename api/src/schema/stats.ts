import { SETTLEMENT_WINDOW_SECONDS } from "@settlescan/indexer/src/lib/verdict.ts";
import { type SQL, sql } from "drizzle-orm";
import type { Context } from "../context";
import { rowsOf } from "../db";
import { BadInputError } from "../errors";

export const typeDefs = /* GraphQL */ `
  "Bucket width. Buckets are aligned in UTC: hours and days to the Unix epoch, weeks to Mondays."
  enum Interval {
    "One hour."
    HOUR
    "One day (UTC)."
    DAY
    "One week, Monday to Monday (UTC)."
    WEEK
  }

  "Split each bucket by one dimension (receipts by their payment's facilitator, payer, payee, or by enclave)."
  enum StatsGroup {
    "By the address that submitted the receipt's payment."
    FACILITATOR
    "By the payment's payer."
    PAYER
    "By the payment's payee."
    PAYEE
    "By the enclave that signed the inference."
    TEE
  }

  "Receipts by state."
  type ReceiptStateCounts {
    "Receipts whose every check passed."
    verified: Int!
    "Receipts whose payment is not on the payment chain."
    unpaid: Int!
    "Receipts whose payment paid less than is claimed against it."
    underpaid: Int!
    "Receipts whose inclusion or attestation failed."
    invalidProof: Int!
    "Receipts settled again after an earlier official settlement."
    duplicate: Int!
    "Receipts posted by no known facilitator signer."
    unofficial: Int!
  }

  "Receipts settled in [start, end), computed in SQL."
  type StatsBucket {
    "The bucket's first instant."
    start: DateTime!
    "The instant after the bucket (the next bucket's start)."
    end: DateTime!
    "The group's key (an address or TEE id) when grouped; null otherwise or for receipts without it (unpaid)."
    group: String
    "Receipts settled in the bucket."
    receipts: Int!
    "Sum of the receipts' amounts (base units)."
    volume: BigInt!
    "Sum of the verified receipts' amounts (base units)."
    verifiedVolume: BigInt!
    "The receipts by state."
    byState: ReceiptStateCounts!
    "Payment-to-settlement latency percentiles in seconds (percentile_cont), over receipts whose payment is indexed."
    latencyP50: Float
    "The 95th percentile of the same latencies."
    latencyP95: Float
    "The 99th percentile of the same latencies."
    latencyP99: Float
    """
    Payments overdue at the bucket's end (or at the indexed chain time, if that is earlier): paid more than the
    settlement window before it and not yet proven. Null for buckets after the indexed chain time, and when grouped by TEE.
    """
    overdueBacklog: Int
  }

  "Inferences by state."
  type InferenceStateCounts {
    "Inferences an official settlement proves."
    proven: Int!
    "Inferences whose counting official settlement fails inclusion or attestation."
    invalidProof: Int!
    "Inferences only unofficial settlements carry."
    unofficial: Int!
  }

  "Inferences by how they are tied to a payment."
  type LinkKindCounts {
    "Inferences whose leaf names the payment (receipts)."
    exact: Int!
    "Inferences tied to a payment by payer and session time."
    session: Int!
    "Inferences tied to no payment."
    none: Int!
  }

  "Batch settlements by blob status."
  type BlobStatusCounts {
    "Batches whose blob rebuilds their root, and individual settlements whose blob matches their event."
    available: Int!
    "Settlements (batches and individual ones) whose blob could not be fetched yet."
    pending: Int!
    "Batches whose blob rebuilds another root, and individual settlements whose blob differs from their event."
    mismatched: Int!
    "Settlements (batches and individual ones) whose blob is gone from Walrus and the archive."
    expired: Int!
    "Legacy v1 batches, which name no blob."
    unavailable: Int!
  }

  """
  Inferences whose counting settlement was posted in [start, end), and settlement events posted in it, computed in
  SQL.
  """
  type InferenceStatsBucket {
    "The bucket's first instant."
    start: DateTime!
    "The instant after the bucket (the next bucket's start)."
    end: DateTime!
    "Inferences whose counting settlement was posted in the bucket."
    inferences: Int!
    "Those inferences by state."
    byState: InferenceStateCounts!
    "Those inferences by how they are tied to a payment."
    byLinkKind: LinkKindCounts!
    "Settlement events on the verification chain (batches and individual ones), official or not."
    settlements: Int!
    "Of those, the batches."
    batchSettlements: Int!
    "Of those, the individual settlements."
    individualSettlements: Int!
    "Settlement events posted by no known facilitator signer (shown, never counted as proof)."
    unofficialSettlements: Int!
    "The settlements by what became of their blob (as indexed now)."
    blobs: BlobStatusCounts!
  }

  extend type Query {
    "Dashboard aggregates of receipts per time bucket; at most a bounded number of buckets (e.g. 30 days of hours) per call."
    stats(
      "Start of the range (included), rounded down to its bucket."
      from: DateTime!
      "End of the range (excluded), rounded up to its bucket; after \`from\`."
      to: DateTime!
      "Bucket width: hour, day or week (UTC)."
      interval: Interval!
      "Split each bucket into one row per facilitator, payer, payee or TEE; one row per bucket when omitted."
      groupBy: StatsGroup
    ): [StatsBucket!]!
    """
    Dashboard aggregates of inferences and settlements per time bucket: counts by state and link kind, blob
    availability and unofficial posts. Every bucket of the range is returned, with the same bound as \`stats\`.
    """
    inferenceStats(
      "Start of the range (included), rounded down to its bucket."
      from: DateTime!
      "End of the range (excluded), rounded up to its bucket; after \`from\`."
      to: DateTime!
      "Bucket width: hour, day or week (UTC)."
      interval: Interval!
    ): [InferenceStatsBucket!]!
  }
`;

/** A bucket width, as the `Interval` enum names it. */
export type Interval = "HOUR" | "DAY" | "WEEK";
type StatsGroup = "FACILITATOR" | "PAYER" | "PAYEE" | "TEE";

const STEP: Record<Interval, bigint> = { HOUR: 3600n, DAY: 86_400n, WEEK: 604_800n };
/** 1970-01-05T00:00:00Z, the first Monday after the epoch: week buckets start on Mondays. */
const MONDAY = 345_600n;
const RECEIPT_GROUP: Record<StatsGroup, string> = {
  FACILITATOR: "facilitator",
  PAYER: "payer",
  PAYEE: "payee",
  TEE: "tee_id",
};
const PAYMENT_GROUP: Record<StatsGroup, string | null> = {
  FACILITATOR: "facilitator",
  PAYER: "payer",
  PAYEE: "payee",
  TEE: null,
};

type AggRow = {
  i: number;
  grp: string | null;
  receipts: number;
  volume: string | null;
  verified_volume: string | null;
  verified: number | null;
  unpaid: number | null;
  underpaid: number | null;
  invalid_proof: number | null;
  duplicate: number | null;
  unofficial: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};
type BacklogRow = { i: number; grp: string | null; backlog: number };

/** Groups in SQL's `order by grp nulls last`: the keys are lower-case hex, so code-unit order is the same. */
const order = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

const floorTo = (t: bigint, step: bigint, origin: bigint) => {
  const k = (t - origin) / step;
  return origin + (t - origin < 0n && (t - origin) % step !== 0n ? k - 1n : k) * step;
};

export const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();
/** A whole number inlined into SQL (bucket bounds are computed here, never taken from input unchecked). */
export const int = (value: bigint | number) => sql.raw(String(value));

/** The aligned buckets covering [from, to): checked to be non-empty and within the bucket limit. */
export function bucketsOf(ctx: Context, args: { from: bigint; to: bigint; interval: Interval }) {
  const step = STEP[args.interval];
  const origin = args.interval === "WEEK" ? MONDAY : 0n;
  if (args.to <= args.from)
    throw new BadInputError(
      `The range from ${iso(args.from)} to ${iso(args.to)} is empty; "to" must be after "from".`,
      {
        code: "BAD_TIME_RANGE",
      },
    );
  const start = floorTo(args.from, step, origin);
  const end = -floorTo(-args.to, step, -origin);
  const buckets = (end - start) / step;
  if (buckets > BigInt(ctx.limits.maxStatsBuckets))
    throw new BadInputError(
      `The range from ${iso(args.from)} to ${iso(args.to)} has ${buckets} ${args.interval.toLowerCase()} buckets; at most ${ctx.limits.maxStatsBuckets} are allowed.`,
      { code: "BAD_TIME_RANGE" },
    );
  return { start, end, step, buckets };
}

type InferenceAggRow = {
  i: number;
  inferences: number;
  proven: number;
  invalid_proof: number;
  unofficial: number;
  link_exact: number;
  link_session: number;
  link_none: number;
};
type SettlementAggRow = {
  i: number;
  settlements: number;
  batches: number;
  individual: number;
  unofficial: number;
  available: number;
  pending: number;
  mismatched: number;
  expired: number;
  unavailable: number;
};

export const resolvers = {
  Query: {
    stats: async (
      _: unknown,
      args: { from: bigint; to: bigint; interval: Interval; groupBy?: StatsGroup | null },
      ctx: Context,
    ) => {
      const { start, end, step, buckets } = bucketsOf(ctx, args);
      const now = await ctx.loaders.now();
      const { receipt: r, payment: p } = ctx.tables;
      const receiptGroup = args.groupBy ? sql.raw(RECEIPT_GROUP[args.groupBy]) : sql`null::text`;
      // Null when the grouping has no payment-side key (TEE): then there is no backlog per group.
      const paymentColumn = args.groupBy ? PAYMENT_GROUP[args.groupBy] : "";
      const paymentGroup =
        paymentColumn === null ? null : paymentColumn ? sql.raw(`p.${paymentColumn}`) : sql`null::text`;
      // Overdue backlog at instant T = payments with paidAt + window < T, minus those proven by T. Each payment is
      // +1 in the bucket where it turns overdue and -1 in the bucket where it is (later) proven (its provenAt, kept by
      // the indexer); a running sum over buckets gives the backlog. One pass over the payments (an index-only scan of
      // paid_at, proven_at) counts them per pair of buckets; the events are unfolded from those few counts.
      // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.min does not take.
      const horizon = now < end ? now : end;
      const window = SETTLEMENT_WINDOW_SECONDS + 1n;
      const bucketOf = (t: SQL) => sql`greatest((${t} - ${int(start)} - 1) / ${int(step)}, 0)::int`;
      // The receipt aggregate and the backlog scan different tables: they run as two statements at once (on two
      // pooled connections where the host has them), which halves the wall time; rows are matched by (bucket, group).
      const [aggRows, backlogRows] = await Promise.all([
        rowsOf<AggRow>(
          ctx.counter,
          ctx.db,
          // One index range scan per bucket (settled_at leads the covering index), so the percentiles sort each
          // bucket's rows rather than the whole range being sorted into buckets first.
          sql`
          select b.i, s.grp, s.receipts, s.volume, s.verified_volume, s.verified, s.unpaid, s.underpaid,
            s.invalid_proof, s.duplicate, s.unofficial, s.latency[1] as p50, s.latency[2] as p95, s.latency[3] as p99
          from generate_series(0, ${int(buckets - 1n)}) as b(i)
          cross join lateral (
            select ${receiptGroup} as grp,
              count(*)::int as receipts, coalesce(sum(amount), 0)::text as volume,
              coalesce(sum(amount) filter (where state = 'verified'), 0)::text as verified_volume,
              count(*) filter (where state = 'verified')::int as verified,
              count(*) filter (where state = 'unpaid')::int as unpaid,
              count(*) filter (where state = 'underpaid')::int as underpaid,
              count(*) filter (where state = 'invalid_proof')::int as invalid_proof,
              count(*) filter (where state = 'duplicate')::int as duplicate,
              count(*) filter (where state = 'unofficial')::int as unofficial,
              -- One sort per bucket for all three; through int8, since numeric to float8 goes through text.
              percentile_cont(array[0.5, 0.95, 0.99]) within group (order by latency_seconds::int8::float8) as latency
            from ${r}
            where settled_at >= ${int(start)}::int8 + b.i * ${int(step)}::int8
              and settled_at < ${int(start)}::int8 + (b.i + 1) * ${int(step)}::int8
            ${args.groupBy ? sql`group by 1` : sql``}
          ) s
          where s.receipts > 0`,
        ),
        paymentGroup === null
          ? []
          : rowsOf<BacklogRow>(
              ctx.counter,
              ctx.db,
              sql`
              with due as (
                select p.paid_at::bigint + ${int(window)} as due,
                  case when p.proven_at is not null then greatest(p.proven_at::bigint, p.paid_at::bigint + ${int(window)}) end
                    as proven,
                  ${paymentGroup} as grp
                from ${p} p
                where p.paid_at <= ${int(horizon - window)}
                  -- Proven within the window: proven counts at its due time, so its +1 and -1 cancel in one bucket.
                  and (p.proven_at is null or p.proven_at > p.paid_at + ${int(window)})
              ),
              pairs as (
                select ${bucketOf(sql`due`)} as due_i,
                  case when proven <= ${int(horizon)} then ${bucketOf(sql`proven`)} end as proven_i, grp, count(*)::int as n
                from due group by 1, 2, 3
              ),
              evb as (
                select i, grp, sum(d)::int as d
                from (select due_i as i, grp, n as d from pairs union all select proven_i, grp, -n from pairs where proven_i is not null) e
                group by 1, 2
              ),
              groups as (select distinct grp from evb ${args.groupBy ? sql`` : sql`union select null::text`}),
              grid as (select b.i, g.grp from generate_series(0, ${int(buckets - 1n)}) as b(i) cross join groups g)
              select grid.i, grid.grp,
                (sum(coalesce(evb.d, 0)) over (partition by grid.grp order by grid.i))::int as backlog
              from grid left join evb on evb.i = grid.i and evb.grp is not distinct from grid.grp`,
            ),
      ]);
      const key = (i: number, grp: string | null) => `${i} ${grp}`;
      const backlog = new Map(backlogRows.map((row) => [key(row.i, row.grp), row.backlog]));
      const aggregated = new Map(aggRows.map((row) => [key(row.i, row.grp), row]));
      // Every bucket when not grouped; when grouped, the (bucket, group) pairs with receipts or a backlog.
      const cells = args.groupBy
        ? [
            ...aggRows.map(({ i, grp }) => ({ i, grp })),
            ...backlogRows.filter((row) => row.backlog !== 0 && !aggregated.has(key(row.i, row.grp))),
          ].sort((x, y) => x.i - y.i || order(x.grp, y.grp))
        : Array.from({ length: Number(buckets) }, (_, i) => ({ i, grp: null }));
      return cells.map(({ i, grp }) => {
        const row = aggregated.get(key(i, grp));
        const bucketStart = start + BigInt(i) * step;
        return {
          start: bucketStart,
          end: bucketStart + step,
          group: grp,
          receipts: row?.receipts ?? 0,
          volume: BigInt(row?.volume ?? 0),
          verifiedVolume: BigInt(row?.verified_volume ?? 0),
          byState: {
            verified: row?.verified ?? 0,
            unpaid: row?.unpaid ?? 0,
            underpaid: row?.underpaid ?? 0,
            invalidProof: row?.invalid_proof ?? 0,
            duplicate: row?.duplicate ?? 0,
            unofficial: row?.unofficial ?? 0,
          },
          latencyP50: row?.p50 == null ? null : Number(row.p50),
          latencyP95: row?.p95 == null ? null : Number(row.p95),
          latencyP99: row?.p99 == null ? null : Number(row.p99),
          overdueBacklog: paymentGroup === null || bucketStart > now ? null : (backlog.get(key(i, grp)) ?? 0),
        };
      });
    },
    inferenceStats: async (_: unknown, args: { from: bigint; to: bigint; interval: Interval }, ctx: Context) => {
      const { start, end, step, buckets } = bucketsOf(ctx, args);
      const { inference: inf, settlement: s } = ctx.tables;
      // Range scans of the settled_at and timestamp indexes; two statements at once, matched by bucket.
      const bucket = (column: SQL) => sql`floor((${column} - ${int(start)}) / ${int(step)})::int`;
      const [inferenceRows, settlementRows] = await Promise.all([
        rowsOf<InferenceAggRow>(
          ctx.counter,
          ctx.db,
          sql`select ${bucket(sql`${inf.settledAt}`)} as i, count(*)::int as inferences,
            count(*) filter (where state = 'proven')::int as proven,
            count(*) filter (where state = 'invalid_proof')::int as invalid_proof,
            count(*) filter (where state = 'unofficial')::int as unofficial,
            count(*) filter (where link_kind = 'exact')::int as link_exact,
            count(*) filter (where link_kind = 'session')::int as link_session,
            count(*) filter (where link_kind = 'none')::int as link_none
          from ${inf} where settled_at >= ${int(start)} and settled_at < ${int(end)} group by 1`,
        ),
        rowsOf<SettlementAggRow>(
          ctx.counter,
          ctx.db,
          sql`select ${bucket(sql`${s.timestamp}`)} as i, count(*)::int as settlements,
            count(*) filter (where kind = 'batch')::int as batches,
            count(*) filter (where kind = 'individual')::int as individual,
            count(*) filter (where not official)::int as unofficial,
            count(*) filter (where blob_status = 'available')::int as available,
            count(*) filter (where blob_status = 'pending')::int as pending,
            count(*) filter (where blob_status = 'mismatched')::int as mismatched,
            count(*) filter (where blob_status = 'expired')::int as expired,
            count(*) filter (where blob_status = 'unavailable')::int as unavailable
          from ${s} where ${s.timestamp} >= ${int(start)} and ${s.timestamp} < ${int(end)} group by 1`,
        ),
      ]);
      const inferencesAt = new Map(inferenceRows.map((row) => [row.i, row]));
      const settlementsAt = new Map(settlementRows.map((row) => [row.i, row]));
      return Array.from({ length: Number(buckets) }, (_, i) => {
        const a = inferencesAt.get(i);
        const b = settlementsAt.get(i);
        const bucketStart = start + BigInt(i) * step;
        return {
          start: bucketStart,
          end: bucketStart + step,
          inferences: a?.inferences ?? 0,
          byState: { proven: a?.proven ?? 0, invalidProof: a?.invalid_proof ?? 0, unofficial: a?.unofficial ?? 0 },
          byLinkKind: { exact: a?.link_exact ?? 0, session: a?.link_session ?? 0, none: a?.link_none ?? 0 },
          settlements: b?.settlements ?? 0,
          batchSettlements: b?.batches ?? 0,
          individualSettlements: b?.individual ?? 0,
          unofficialSettlements: b?.unofficial ?? 0,
          blobs: {
            available: b?.available ?? 0,
            pending: b?.pending ?? 0,
            mismatched: b?.mismatched ?? 0,
            expired: b?.expired ?? 0,
            unavailable: b?.unavailable ?? 0,
          },
        };
      });
    },
  },
};
