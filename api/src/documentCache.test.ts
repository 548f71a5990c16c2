import { expect, test } from "vitest";
import { documentCache } from "./documentCache";

test("behavior: keeps the most recently used entries, up to its size", () => {
  const cache = documentCache<number>({ maxEntries: 2 });
  cache.set("a", 1);
  cache.set("b", 2);
  expect(cache.get("a")).toBe(1);
  cache.set("c", 3);
  expect([cache.get("a"), cache.get("b"), cache.get("c"), cache.size]).toEqual([1, undefined, 3, 2]);
});

test("behavior: does not keep a source longer than its limit", () => {
  const cache = documentCache<number>({ maxSourceLength: 10 });
  cache.set("x".repeat(11), 1);
  cache.set("x".repeat(10), 2);
  expect([cache.get("x".repeat(11)), cache.get("x".repeat(10)), cache.size]).toEqual([undefined, 2, 1]);
});

test("behavior: counts each lookup as a hit or a miss", () => {
  const counts = { hits: 0, misses: 0 };
  const cache = documentCache<number>({
    counters: { hits: { inc: () => void counts.hits++ }, misses: { inc: () => void counts.misses++ } },
  });
  cache.get("a");
  cache.set("a", 1);
  cache.get("a");
  cache.get("a");
  cache.get("b");
  expect(counts).toEqual({ hits: 2, misses: 2 });
});
