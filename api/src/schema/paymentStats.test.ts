import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  ALICE,
  askOf,
  BOB,
  NOW,
  OPG,
  OTHER,
  PAYMENTS,
  type PaymentFixture,
  startPaymentFixture,
  T0,
  USDC,
} from "../../test/paymentFixture";

const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

type Row = {
  token: string;
  asset: { symbol: string | null; decimals: number | null };
  scheme: string;
  group: string | null;
  payments: number;
  volume: string;
  maxVolume: string;
  byState: { awaitingProof: number; overdue: number; proven: number };
};
type Bucket = { start: string; end: string; rows: Row[] };

const QUERY = `query($from: DateTime!, $to: DateTime!, $interval: Interval!, $groupBy: PaymentStatsGroup) {
  paymentStats(from: $from, to: $to, interval: $interval, groupBy: $groupBy) {
    start end
    rows { token asset { symbol decimals } scheme group payments volume maxVolume byState { awaitingProof overdue proven } }
  }
}`;

let fixture: PaymentFixture;
const ask = <T>(query: string, variables: Record<string, unknown> = {}) => askOf<T>(fixture.app, query, variables);
const errorOf = (variables: Record<string, unknown>) =>
  ask(QUERY, variables).then(
    () => "no error",
    (error: Error) => error.message,
  );
const statsOf = (variables: Record<string, unknown>) =>
  ask<{ paymentStats: Bucket[] }>(QUERY, variables).then((d) => d.paymentStats);

beforeAll(async () => {
  fixture = await startPaymentFixture();
}, 60_000);
afterAll(() => fixture?.stop());

describe("paymentStats", () => {
  test("default: every bucket, one row per token and scheme, volumes in base units, states at chain time", async () => {
    const buckets = await statsOf({ from: iso(T0), to: iso(NOW), interval: "HOUR" });
    expect(buckets.map((b) => `${b.start} ${b.end}`)).toEqual([
      `${iso(T0)} ${iso(T0 + 3600n)}`,
      `${iso(T0 + 3600n)} ${iso(T0 + 7200n)}`,
      `${iso(T0 + 7200n)} ${iso(NOW)}`,
    ]);
    const summary = buckets.map((b) =>
      b.rows.map(
        (r) =>
          `${r.asset.symbol ?? r.token} ${r.asset.decimals} ${r.scheme}: ${r.payments} paid ${r.volume} of ${r.maxVolume}, ` +
          `${r.byState.awaitingProof}/${r.byState.overdue}/${r.byState.proven}`,
      ),
    );
    expect(summary).toMatchInlineSnapshot(`
      [
        [
          "USDC 6 eip3009: 2 paid 3500000 of 3500000, 0/1/1",
          "OPG 18 permit2_exact: 1 paid 1000000000000000000 of 1000000000000000000, 0/1/0",
          "OPG 18 permit2_upto: 1 paid 30000000000000000 of 100000000000000000, 0/0/1",
        ],
        [
          "OPG 18 permit2_upto: 1 paid 50000000000000000 of 100000000000000000, 0/1/0",
        ],
        [
          "0x0000000000000000000000000000000000000070 null permit2_exact: 1 paid 42 of 42, 0/1/0",
          "OPG 18 permit2_upto: 1 paid 0 of 100000000000000000, 1/0/0",
        ],
      ]
    `);
    expect(buckets.flatMap((b) => b.rows).every((r) => r.group === null)).toBe(true);
  });

  test("behavior: volumes per token and scheme equal the sums of the payments the payments query lists", async () => {
    const buckets = await statsOf({ from: iso(T0), to: iso(NOW), interval: "DAY" });
    expect(buckets).toHaveLength(1);
    for (const row of buckets[0]!.rows) {
      const { payments } = await ask<{ payments: { totalCount: number; nodes: { amount: string }[] } }>(
        `query($w: PaymentFilter) { payments(where: $w, first: 100) { totalCount nodes { amount } } }`,
        { w: { token: row.token, schemes: [row.scheme], from: iso(T0), to: iso(NOW) } },
      );
      expect([row.payments, row.volume]).toEqual([
        payments.totalCount,
        String(payments.nodes.reduce((sum, p) => sum + BigInt(p.amount), 0n)),
      ]);
    }
    const tokens = new Set(buckets[0]!.rows.map((r) => r.token));
    expect(tokens).toEqual(new Set([USDC, OPG, OTHER]));
    // The payment before the range is not counted.
    const seeded = PAYMENTS.filter((p) => p.at >= T0 && p.at < NOW).length;
    expect(buckets[0]!.rows.reduce((n, r) => n + r.payments, 0)).toBe(seeded);
  });

  test("args: groupBy PAYER splits each token and scheme's row per payer", async () => {
    const [bucket] = await statsOf({ from: iso(T0), to: iso(T0 + 3600n), interval: "HOUR", groupBy: "PAYER" });
    expect(bucket!.rows.map((r) => `${r.asset.symbol} ${r.scheme} ${r.group} ${r.payments} ${r.volume}`)).toEqual([
      `USDC eip3009 ${ALICE} 1 1500000`,
      `USDC eip3009 ${BOB} 1 2000000`,
      `OPG permit2_exact ${BOB} 1 1000000000000000000`,
      `OPG permit2_upto ${ALICE} 1 30000000000000000`,
    ]);
  });

  test("args: an empty range and too many buckets are BAD_TIME_RANGE, as for stats", async () => {
    expect(await errorOf({ from: iso(T0), to: iso(T0), interval: "HOUR" })).toMatchInlineSnapshot(
      `"BAD_TIME_RANGE: The range from 2026-01-01T00:00:00.000Z to 2026-01-01T00:00:00.000Z is empty; "to" must be after "from"."`,
    );
    expect(await errorOf({ from: iso(T0), to: iso(T0 + 3000n * 3600n), interval: "HOUR" })).toMatchInlineSnapshot(
      `"BAD_TIME_RANGE: The range from 2026-01-01T00:00:00.000Z to 2026-05-06T00:00:00.000Z has 3000 hour buckets; at most 2000 are allowed."`,
    );
  });
});
