import { expect, test } from "vitest";
import { mergeIntoFeed, withoutReceipt } from "./latestFeed";

const row = (id: string, minute: number, state = "verified") => ({
  id,
  state,
  settledAt: `2026-01-01T00:${String(minute).padStart(2, "0")}:00.000Z`,
});

test("default: a new receipt goes on top", () => {
  expect(mergeIntoFeed([row("a", 2), row("b", 1)], row("c", 3), 10).map((r) => r.id)).toEqual(["c", "a", "b"]);
});

test("behavior: a changed receipt is replaced in place", () => {
  const rows = mergeIntoFeed([row("a", 2), row("b", 1)], row("b", 1, "duplicate"), 10);
  expect(rows).toEqual([row("a", 2), row("b", 1, "duplicate")]);
});

test("behavior: the feed keeps its size, and an old change stays out of a full feed", () => {
  expect(mergeIntoFeed([row("a", 3), row("b", 2)], row("c", 4), 2).map((r) => r.id)).toEqual(["c", "a"]);
  expect(mergeIntoFeed([row("a", 3), row("b", 2)], row("old", 1), 2).map((r) => r.id)).toEqual(["a", "b"]);
});

test("behavior: a receipt a reorg removed leaves the feed", () => {
  expect(withoutReceipt([row("a", 2), row("b", 1)], "a").map((r) => r.id)).toEqual(["b"]);
  expect(withoutReceipt([row("a", 2)], "zzz").map((r) => r.id)).toEqual(["a"]);
});
