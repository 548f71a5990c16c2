import { describe, expect, test } from "vitest";
import {
  inferenceSeriesOf,
  inferenceTotalsOf,
  paymentSeriesOf,
  seriesOf,
  statsArgsOf,
  topGroupsOf,
  totalsOf,
} from "./statsSeries";

const bucket = (start: string, verified: number, unpaid: number, volume: string, backlog: number | null) => ({
  start,
  end: start,
  receipts: verified + unpaid,
  volume,
  verifiedVolume: volume,
  byState: { verified, unpaid, underpaid: 0, invalidProof: 0, duplicate: 0, unofficial: 0 },
  latencyP50: 12.5,
  latencyP95: null,
  overdueBacklog: backlog,
});

describe("statsArgsOf", () => {
  test("default: the range ends at chain time, rounded up to the bucket", () => {
    expect(statsArgsOf("24h", new Date("2026-01-02T10:20:00Z"))).toEqual({
      from: "2026-01-01T11:00:00.000Z",
      to: "2026-01-02T11:00:00.000Z",
      interval: "HOUR",
    });
    expect(statsArgsOf("30d", new Date("2026-01-31T10:20:00Z"))).toEqual({
      from: "2026-01-02T00:00:00.000Z",
      to: "2026-02-01T00:00:00.000Z",
      interval: "DAY",
    });
  });
});

test("seriesOf and totalsOf", () => {
  const buckets = [bucket("a", 2, 1, "1500000", 0), bucket("b", 1, 0, "500000", 3), bucket("c", 0, 0, "0", null)];
  const series = seriesOf(buckets);
  expect(series.byState.verified).toEqual([2, 1, 0]);
  expect(series.byState.unpaid).toEqual([1, 0, 0]);
  expect(series.volume).toEqual([1.5, 0.5, 0]);
  expect(series.latencyP95).toEqual([null, null, null]);
  expect(series.overdueBacklog).toEqual([0, 3, null]);
  expect(totalsOf(buckets)).toEqual({ receipts: 4, verified: 3, volume: "2000000", backlog: 3 });
});

test("topGroupsOf: summed over buckets, largest volume first, no null group", () => {
  const rows = [
    { group: "0xa", receipts: 1, volume: "100" },
    { group: "0xb", receipts: 5, volume: "300" },
    { group: "0xa", receipts: 2, volume: "250" },
    { group: null, receipts: 9, volume: "999" },
  ];
  expect(topGroupsOf(rows, 5)).toEqual([
    { group: "0xa", receipts: 3, volume: 350n },
    { group: "0xb", receipts: 5, volume: 300n },
  ]);
  expect(topGroupsOf(rows, 1)).toHaveLength(1);
});

const inferenceBucket = (start: string, proven: number, unofficial: number, pending: number) => ({
  start,
  end: start,
  inferences: proven + unofficial,
  byState: { proven, invalidProof: 0, unofficial },
  byLinkKind: { exact: 0, session: proven, none: unofficial },
  settlements: 2,
  unofficialSettlements: unofficial > 0 ? 1 : 0,
  blobs: { available: 1, pending, mismatched: 0, expired: 0, unavailable: 0 },
});

test("inferenceSeriesOf and inferenceTotalsOf", () => {
  const buckets = [inferenceBucket("a", 3, 1, 0), inferenceBucket("b", 0, 0, 2)];
  const series = inferenceSeriesOf(buckets);
  expect(series.byState).toEqual({ proven: [3, 0], invalidProof: [0, 0], unofficial: [1, 0] });
  expect(series.blobs).toEqual({ pending: [0, 2], mismatched: [0, 0], expired: [0, 0] });
  expect(series.unofficialSettlements).toEqual([1, 0]);
  expect(inferenceTotalsOf(buckets)).toEqual({
    inferences: 4,
    proven: 3,
    invalidProof: 0,
    unofficial: 1,
    session: 3,
    exact: 0,
    settlements: 4,
    unofficialSettlements: 1,
    pendingBlobs: 2,
    mismatchedBlobs: 0,
    expiredBlobs: 0,
  });
});

describe("paymentSeriesOf", () => {
  const row = (
    token: string,
    symbol: string | null,
    decimals: number | null,
    scheme: string,
    payments: number,
    volume: string,
  ) => ({
    token,
    asset: { symbol, decimals },
    scheme: scheme as "eip3009" | "permit2_exact" | "permit2_upto",
    payments,
    volume,
    byState: { awaitingProof: 0, overdue: 0, proven: payments },
  });
  const USDC = "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913";
  const OPG = "0xfbc2051ae2265686a469421b2c5a2d5462fbf5eb";
  const OTHER = "0x0000000000000000000000000000000000000070";

  test("default: one volume series per token in its own units, counts per scheme, every bucket", () => {
    const series = paymentSeriesOf([
      {
        start: "a",
        end: "b",
        rows: [
          row(USDC, "USDC", 6, "eip3009", 2, "3500000"),
          row(OPG, "OPG", 18, "permit2_exact", 1, "1000000000000000000"),
          row(OPG, "OPG", 18, "permit2_upto", 3, "30000000000000000"),
        ],
      },
      { start: "b", end: "c", rows: [] },
      { start: "c", end: "d", rows: [row(OTHER, null, null, "permit2_exact", 1, "42")] },
    ]);
    expect(series.starts).toEqual(["a", "b", "c"]);
    expect(series.byToken.map((t) => [t.name, t.volume])).toEqual([
      ["OPG", [1.03, 0, 0]],
      ["USDC", [3.5, 0, 0]],
      ["0x0000…0070 (units)", [0, 0, 42]],
    ]);
    expect(series.byScheme).toEqual({ eip3009: [2, 0, 0], permit2_exact: [1, 0, 1], permit2_upto: [3, 0, 0] });
  });
});
