import { USDC_DECIMALS } from "@settlescan/abis";
import type {
  InferenceStatsQuery,
  Interval,
  PaymentScheme,
  PaymentStatsQuery,
  StatsQuery,
} from "../../graphql/generated/graphql";

/** The dashboard's ranges and the bucket width of each; all fit the API's bound on buckets per call (issue 5). */
export const DASHBOARD_RANGES = {
  "24h": { seconds: 86_400, interval: "HOUR" },
  "7d": { seconds: 7 * 86_400, interval: "HOUR" },
  "30d": { seconds: 30 * 86_400, interval: "DAY" },
} as const satisfies Record<string, { seconds: number; interval: Interval }>;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

export const isDashboardRange = (value: unknown): value is DashboardRange =>
  typeof value === "string" && Object.hasOwn(DASHBOARD_RANGES, value);

/**
 * The `stats` arguments of a range ending at `now` (chain time, so a devnet with an old clock still shows data),
 * with the end rounded up to the bucket so the last bucket is whole and the cache key stable.
 */
export function statsArgsOf(range: DashboardRange, now: Date): { from: string; to: string; interval: Interval } {
  const { seconds, interval } = DASHBOARD_RANGES[range];
  const bucket = interval === "HOUR" ? 3_600 : 86_400;
  const end = Math.ceil(now.getTime() / 1000 / bucket) * bucket;
  return {
    from: new Date((end - seconds) * 1000).toISOString(),
    to: new Date(end * 1000).toISOString(),
    interval,
  };
}

type Bucket = StatsQuery["stats"][number];

/** Base units to USDC as a chart number (charts need floats; exact figures are in the tables). */
export const usdcOf = (units: string) => Number(BigInt(units)) / 10 ** USDC_DECIMALS;

/** The receipt states in the order charts stack them, with their labels. */
export const STATE_SERIES = [
  ["verified", "Verified"],
  ["unpaid", "Unpaid"],
  ["underpaid", "Underpaid"],
  ["invalidProof", "Invalid proof"],
  ["duplicate", "Duplicate"],
  ["unofficial", "Unofficial"],
] as const;

/** Column-wise series of the dashboard's charts, one entry per bucket. */
export function seriesOf(buckets: readonly Bucket[]) {
  return {
    starts: buckets.map((b) => b.start),
    byState: Object.fromEntries(STATE_SERIES.map(([key]) => [key, buckets.map((b) => b.byState[key])])) as Record<
      (typeof STATE_SERIES)[number][0],
      number[]
    >,
    volume: buckets.map((b) => usdcOf(b.volume)),
    verifiedVolume: buckets.map((b) => usdcOf(b.verifiedVolume)),
    latencyP50: buckets.map((b) => b.latencyP50 ?? null),
    latencyP95: buckets.map((b) => b.latencyP95 ?? null),
    overdueBacklog: buckets.map((b) => b.overdueBacklog ?? null),
  };
}

/** Totals over a range, for the figures above the charts. */
export function totalsOf(buckets: readonly Bucket[]) {
  let receipts = 0;
  let verified = 0;
  let volume = 0n;
  for (const b of buckets) {
    receipts += b.receipts;
    verified += b.byState.verified;
    volume += BigInt(b.volume);
  }
  const backlog = buckets.findLast((b) => b.overdueBacklog != null)?.overdueBacklog ?? null;
  return { receipts, verified, volume: volume.toString(), backlog };
}

/**
 * Groups summed over all buckets, largest volume first: the top payees (or facilitators) of a range.
 * @example topGroupsOf(stats, 10) // [{ group: "0xab…", receipts: 12, volume: 1500000n }, …]
 */
export function topGroupsOf(
  buckets: readonly { group?: string | null; receipts: number; volume: string }[],
  limit: number,
): { group: string; receipts: number; volume: bigint }[] {
  const totals = new Map<string, { group: string; receipts: number; volume: bigint }>();
  for (const b of buckets) {
    if (!b.group) continue;
    const total = totals.get(b.group) ?? { group: b.group, receipts: 0, volume: 0n };
    total.receipts += b.receipts;
    total.volume += BigInt(b.volume);
    totals.set(b.group, total);
  }
  return [...totals.values()]
    .sort((a, b) => (a.volume === b.volume ? b.receipts - a.receipts : a.volume < b.volume ? 1 : -1))
    .slice(0, limit);
}

type InferenceBucket = InferenceStatsQuery["inferenceStats"][number];

/** The inference states in the order charts stack them, with their labels. */
export const INFERENCE_STATE_SERIES = [
  ["proven", "Proven"],
  ["invalidProof", "Invalid proof"],
  ["unofficial", "Unofficial"],
] as const;

/** The blob statuses a dashboard watches (what is not available), in stacking order, with their labels. */
export const BLOB_SERIES = [
  ["pending", "Pending"],
  ["mismatched", "Mismatched"],
  ["expired", "Expired"],
] as const;

/** Column-wise series of the inference charts, one entry per bucket. */
export function inferenceSeriesOf(buckets: readonly InferenceBucket[]) {
  const column = <K extends string>(
    keys: readonly (readonly [K, string])[],
    of: (b: InferenceBucket) => Record<K, number>,
  ) => Object.fromEntries(keys.map(([key]) => [key, buckets.map((b) => of(b)[key])])) as Record<K, number[]>;
  return {
    starts: buckets.map((b) => b.start),
    byState: column(INFERENCE_STATE_SERIES, (b) => b.byState),
    blobs: column(BLOB_SERIES, (b) => b.blobs),
    unofficialSettlements: buckets.map((b) => b.unofficialSettlements),
  };
}

/** Inference totals over a range: counts by state and link kind, settlements, and what is not available. */
export function inferenceTotalsOf(buckets: readonly InferenceBucket[]) {
  const totals = {
    inferences: 0,
    proven: 0,
    invalidProof: 0,
    unofficial: 0,
    session: 0,
    exact: 0,
    settlements: 0,
    unofficialSettlements: 0,
    pendingBlobs: 0,
    mismatchedBlobs: 0,
    expiredBlobs: 0,
  };
  for (const b of buckets) {
    totals.inferences += b.inferences;
    totals.proven += b.byState.proven;
    totals.invalidProof += b.byState.invalidProof;
    totals.unofficial += b.byState.unofficial;
    totals.session += b.byLinkKind.session;
    totals.exact += b.byLinkKind.exact;
    totals.settlements += b.settlements;
    totals.unofficialSettlements += b.unofficialSettlements;
    totals.pendingBlobs += b.blobs.pending;
    totals.mismatchedBlobs += b.blobs.mismatched;
    totals.expiredBlobs += b.blobs.expired;
  }
  return totals;
}

type PaymentBucket = PaymentStatsQuery["paymentStats"][number];

/** The payment schemes in the order charts stack them, with their labels. */
export const SCHEME_SERIES = [
  ["eip3009", "EIP-3009 exact"],
  ["permit2_exact", "Permit2 exact"],
  ["permit2_upto", "Permit2 upto"],
] as const satisfies readonly (readonly [PaymentScheme, string])[];

/**
 * Base units as a chart number in the token's units (charts need floats; exact figures are in the tables); base
 * units when the token's decimals are unknown.
 */
const unitsOf = (units: string, decimals: number | null | undefined) => Number(BigInt(units)) / 10 ** (decimals ?? 0);

/**
 * Column-wise series of the payment charts, one entry per bucket: volume per token in that token's units (one
 * series each, never summed across tokens, named by symbol or address) and counts per scheme.
 * @example paymentSeriesOf(buckets).byToken // [{ token: "0x8335…", name: "USDC", volume: [1.5, 0, …] }, …]
 */
export function paymentSeriesOf(buckets: readonly PaymentBucket[]) {
  const tokens = new Map<string, { token: string; name: string; volume: number[]; payments: number }>();
  const byScheme = Object.fromEntries(SCHEME_SERIES.map(([key]) => [key, buckets.map(() => 0)])) as Record<
    PaymentScheme,
    number[]
  >;
  buckets.forEach((bucket, i) => {
    for (const row of bucket.rows) {
      let series = tokens.get(row.token);
      if (!series) {
        series = {
          token: row.token,
          name: row.asset.symbol ?? `${row.token.slice(0, 6)}…${row.token.slice(-4)} (units)`,
          volume: buckets.map(() => 0),
          payments: 0,
        };
        tokens.set(row.token, series);
      }
      series.volume[i]! += unitsOf(row.volume, row.asset.decimals);
      series.payments += row.payments;
      byScheme[row.scheme][i]! += row.payments;
    }
  });
  return {
    starts: buckets.map((b) => b.start),
    byToken: [...tokens.values()].sort((a, b) => b.payments - a.payments || (a.token < b.token ? -1 : 1)),
    byScheme,
  };
}
