import { describe, expect, test } from "vitest";
import { blobStatusMeaningOf, chainNameOf, formatAmount, formatDateTime, formatDuration, shortHex } from "./format";

describe("shortHex", () => {
  test("default", () => {
    expect(shortHex("0x833589fcd6edb6e08f4c7c32d4f71b54bda02913")).toBe("0x8335…2913");
  });
  test("behavior: short values stay whole", () => {
    expect(shortHex("0x1234")).toBe("0x1234");
  });
});

describe("formatAmount", () => {
  test("default: USDC has 6 decimals", () => {
    expect(formatAmount("1500000")).toBe("1.5 USDC");
    expect(formatAmount("1234567890000")).toBe("1,234,567.89 USDC");
    expect(formatAmount(0n)).toBe("0 USDC");
  });
  test("args: unknown token shows base units", () => {
    expect(formatAmount("42", "0x0000000000000000000000000000000000000001")).toBe("42 units");
  });
  test("args: missing amount", () => {
    expect(formatAmount(null)).toBe("—");
  });
});

describe("formatDuration", () => {
  test("default", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(200)).toBe("3 min 20 s");
    expect(formatDuration(7_200)).toBe("2 h");
    expect(formatDuration(3 * 86_400 + 4 * 3_600 + 59)).toBe("3 d 4 h");
    expect(formatDuration(0)).toBe("0 s");
  });
  test("args: missing", () => {
    expect(formatDuration(null)).toBe("—");
  });
});

test("formatDateTime: chain time in UTC", () => {
  expect(formatDateTime("2026-01-02T03:04:05.000Z")).toBe("2026-01-02 03:04:05 UTC");
  expect(formatDateTime(null)).toBe("—");
});

test("chainNameOf", () => {
  expect([8453, 10744, 31337].map(chainNameOf)).toEqual(["Base", "OpenGradient", "chain 31337"]);
});

describe("blobStatusMeaningOf", () => {
  test("default: a batch's blob is its leaves", () => {
    expect(blobStatusMeaningOf("mismatched", "batch")).toMatchInlineSnapshot(
      `"The blob rebuilds another root than the event's: every leaf it names fails inclusion."`,
    );
  });
  test("args: an individual settlement's blob never decides its inference", () => {
    for (const status of ["available", "pending", "mismatched", "expired"] as const)
      expect(blobStatusMeaningOf(status, "individual")).not.toBe(blobStatusMeaningOf(status, "batch"));
    expect(blobStatusMeaningOf("mismatched", "individual")).toMatchInlineSnapshot(
      `"The blob does not repeat the event's fields. The inference is still judged from the event."`,
    );
  });
});
