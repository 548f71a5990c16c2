import type { ProfileGateway } from "@settlescan/abis";
import type { Address, Hex } from "viem";
import { describe, expect, test } from "vitest";
import {
  compareSessionInferences,
  compareSessionPayments,
  earliestSessionPayment,
  isEarlierSessionPayment,
  isSessionPayerCandidate,
  type SessionInference,
  type SessionPayment,
  sessionBucketIdOf,
  sessionBucketSecondsOf,
  sessionBucketsOf,
  sessionOf,
  sessionRulesOf,
  sessionSpanOf,
  withSorted,
} from "./sessionLink";

const GATEWAY: Address = "0x9deEBB5D1b22e4a6e027977CeAd13893A7E4cC1a";
const OTHER_GATEWAY: Address = "0x00000000000000000000000000000000000000b2";
const PAYER: Address = "0x00000000000000000000000000000000000000a1";
const PERMIT2: Address = "0x000000000022D473030F116dDEE9F6B43aC78BA3";
const UPTO: Address = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002";
const EXACT: Address = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001";

const gateway = (paymentAddress: Address, idle: number, max: number): ProfileGateway => ({
  paymentAddress,
  sessionIdleSeconds: idle,
  sessionMaxSeconds: max,
});
const rules = sessionRulesOf({
  gateways: [gateway(GATEWAY, 100, 900), gateway(OTHER_GATEWAY, 60, 3000)],
  payment: { permit2: PERMIT2, proxies: { exact: EXACT, upto: UPTO } },
});
const pay = (paidAt: number, block: number, logIndex: number, id: string): SessionPayment => [
  String(paidAt),
  String(block),
  logIndex,
  `0x${id.padStart(64, "0")}` as Hex,
];

describe("isSessionPayerCandidate", () => {
  test("default: an address that is not Permit2 nor a proxy may name the payer", () => {
    expect(isSessionPayerCandidate(rules, PAYER)).toBe(true);
  });

  test("behavior: Permit2, its proxies (any casing) and the zero address never do", () => {
    expect(isSessionPayerCandidate(rules, UPTO.toLowerCase() as Address)).toBe(false);
    expect(isSessionPayerCandidate(rules, EXACT)).toBe(false);
    expect(isSessionPayerCandidate(rules, PERMIT2)).toBe(false);
    expect(isSessionPayerCandidate(rules, "0x0000000000000000000000000000000000000000")).toBe(false);
  });

  test("args: a profile without Permit2 excludes only the zero address", () => {
    const bare = sessionRulesOf({ gateways: [], payment: {} });
    expect(bare.notPayers).toEqual([]);
    expect(isSessionPayerCandidate(bare, UPTO)).toBe(true);
  });
});

describe("sessionOf", () => {
  test("default: the enclave's payment address, and its gateway's idle + max seconds", () => {
    expect(sessionOf(rules, { timestamp: 1_000n, paymentAddress: OTHER_GATEWAY })).toEqual({
      payee: OTHER_GATEWAY,
      from: 1_000n,
      until: 4_060n,
    });
  });

  test("behavior: the profile's first gateway where the registry has none (unregistered, or the zero address)", () => {
    const expected = { payee: GATEWAY, from: 50n, until: 1_050n };
    expect(sessionOf(rules, { timestamp: 50n, paymentAddress: null })).toEqual(expected);
    expect(sessionOf(rules, { timestamp: 50n, paymentAddress: "0x0000000000000000000000000000000000000000" })).toEqual(
      expected,
    );
  });

  test("behavior: an address the profile does not list gets the widest window it knows", () => {
    expect(sessionSpanOf(rules, PAYER)).toBe(3_060n);
    expect(sessionSpanOf(sessionRulesOf({ gateways: [], payment: {} }), PAYER)).toBe(1_000n);
  });

  test("args: no payee at all without a registered address or a gateway", () => {
    expect(
      sessionOf(sessionRulesOf({ gateways: [], payment: {} }), { timestamp: 1n, paymentAddress: null }),
    ).toBeNull();
  });
});

describe("session buckets", () => {
  test("default: as wide as the widest window, so a window touches at most two buckets", () => {
    expect(sessionBucketSecondsOf(rules)).toBe(3_060n);
    const width = sessionBucketSecondsOf(rules);
    for (const t of [0n, 3_059n, 3_060n, 10_000n]) {
      const { from, until } = sessionOf(rules, { timestamp: t, paymentAddress: OTHER_GATEWAY })!;
      expect(sessionBucketsOf(from, until, width).length).toBeLessThanOrEqual(2);
    }
    expect(sessionBucketsOf(3_000n, 6_200n, 3_060n)).toEqual([0n, 1n, 2n]);
  });

  test("behavior: a range before time 0 starts at bucket 0; ids are lower-case", () => {
    expect(sessionBucketsOf(-500n, 10n, 1_000n)).toEqual([0n]);
    expect(sessionBucketIdOf(GATEWAY, UPTO, 7n)).toBe(`${GATEWAY.toLowerCase()}-${UPTO.toLowerCase()}-7`);
  });
});

describe("earliestSessionPayment", () => {
  const window = { from: 1_000n, until: 2_000n };

  test("default: the earliest payment in the window, bounds included", () => {
    const payments = [pay(999, 9, 0, "1"), pay(2_000, 20, 0, "2"), pay(1_000, 10, 5, "3"), pay(2_001, 21, 0, "4")];
    expect(earliestSessionPayment(payments, window)?.[3]).toBe(payments[2]![3]);
    expect(earliestSessionPayment([payments[1]!], window)?.[3]).toBe(payments[1]![3]);
  });

  test("behavior: the same time is ordered by block, then log index, whatever order they come in", () => {
    const a = pay(1_500, 15, 3, "a");
    const b = pay(1_500, 15, 1, "b");
    const c = pay(1_500, 14, 9, "c");
    expect(earliestSessionPayment([a, b, c], window)).toEqual(c);
    expect(earliestSessionPayment([b, a], window)).toEqual(b);
    expect(compareSessionPayments(a, b)).toBeGreaterThan(0);
  });

  test("args: nothing in the window", () => {
    expect(earliestSessionPayment([pay(2_001, 1, 0, "1")], window)).toBeNull();
    expect(earliestSessionPayment([], window)).toBeNull();
  });
});

describe("isEarlierSessionPayment", () => {
  test("default: an inference without a session payment takes any offered", () => {
    expect(isEarlierSessionPayment(null, pay(1_500, 15, 0, "a"))).toBe(true);
    expect(isEarlierSessionPayment(undefined, pay(1_500, 15, 0, "a"))).toBe(true);
  });

  test("behavior: only a strictly earlier payment replaces the current one, by time, then block, then log index", () => {
    const current = pay(1_500, 15, 3, "c");
    expect(isEarlierSessionPayment(current, pay(1_499, 16, 9, "a"))).toBe(true);
    expect(isEarlierSessionPayment(current, pay(1_500, 14, 9, "a"))).toBe(true);
    expect(isEarlierSessionPayment(current, pay(1_500, 15, 2, "a"))).toBe(true);
    expect(isEarlierSessionPayment(current, pay(1_500, 15, 4, "a"))).toBe(false);
    expect(isEarlierSessionPayment(current, pay(1_501, 1, 0, "a"))).toBe(false);
    expect(isEarlierSessionPayment(current, current)).toBe(false);
  });
});

describe("withSorted", () => {
  test("default: lists end equal whichever order entries arrive in, repeats kept once", () => {
    const entries: SessionInference[] = [
      ["20", "0x02", null],
      ["10", "0x09", null],
      ["20", "0x01", null],
      ["10", "0x09", null],
    ];
    const forward = entries.reduce<SessionInference[]>((l, e) => withSorted(l, e, compareSessionInferences), []);
    const backward = [...entries]
      .reverse()
      .reduce<SessionInference[]>((l, e) => withSorted(l, e, compareSessionInferences), []);
    expect(forward).toEqual([
      ["10", "0x09", null],
      ["20", "0x01", null],
      ["20", "0x02", null],
    ]);
    expect(backward).toEqual(forward);
  });
});
