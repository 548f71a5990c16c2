import { afterEach, describe, expect, test, vi } from "vitest";
import {
  createProofBatcher,
  DEFAULT_BATCH_SIZE,
  DEFAULT_IDLE_MS,
  DEFAULT_MAX_AGE_MS,
  type Flush,
} from "./proofBatcher";

/** A batcher whose flushes are recorded; each resolves with its index. */
function recordingBatcher(options: { size?: number; idleMs?: number; maxAgeMs?: number }) {
  const flushes: Flush<number, string>[] = [];
  const batcher = createProofBatcher<number>({
    ...options,
    settle: async (flush) => {
      flushes.push(flush);
      return flushes.length - 1;
    },
  });
  return { batcher, flushes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createProofBatcher", () => {
  test("default: OpenGradient's thresholds — 20 items, 5 minutes idle, 15 minutes old", () => {
    expect([DEFAULT_BATCH_SIZE, DEFAULT_IDLE_MS, DEFAULT_MAX_AGE_MS]).toEqual([20, 300_000, 900_000]);
  });

  test("behavior: flushes at once when the buffer holds `size` items", async () => {
    const { batcher, flushes } = recordingBatcher({ size: 3, idleMs: 60_000, maxAgeMs: 60_000 });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.add<number>(n, "")));
    expect(flushes).toEqual([{ key: "", items: [1, 2, 3], reason: "size" }]);
    expect(results).toEqual([0, 0, 0]);
    expect(batcher.pending).toBe(0);
    await batcher.close();
  });

  test("behavior: flushes once no item came for `idleMs`; each item restarts the wait", async () => {
    vi.useFakeTimers();
    const { batcher, flushes } = recordingBatcher({ size: 100, idleMs: 1_000, maxAgeMs: 60_000 });
    void batcher.add(1, "");
    await vi.advanceTimersByTimeAsync(900);
    void batcher.add(2, "");
    await vi.advanceTimersByTimeAsync(900);
    expect(flushes).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(flushes).toEqual([{ key: "", items: [1, 2], reason: "idle" }]);
    await batcher.close();
  });

  test("behavior: flushes `maxAgeMs` after the first item however busy the buffer is", async () => {
    vi.useFakeTimers();
    const { batcher, flushes } = recordingBatcher({ size: 100, idleMs: 1_000, maxAgeMs: 2_500 });
    for (let n = 1; n <= 5; n++) {
      void batcher.add(n, "");
      await vi.advanceTimersByTimeAsync(600);
    }
    expect(flushes).toEqual([{ key: "", items: [1, 2, 3, 4, 5], reason: "age" }]);
    // The next item starts a new batch with its own age.
    void batcher.add(6, "");
    await vi.advanceTimersByTimeAsync(999);
    expect(flushes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushes.at(-1)).toEqual({ key: "", items: [6], reason: "idle" });
    await batcher.close();
  });

  test("behavior: each key is batched apart", async () => {
    const { batcher, flushes } = recordingBatcher({ size: 2, idleMs: 60_000, maxAgeMs: 60_000 });
    void batcher.add(1, "");
    void batcher.add(2, "mismatched");
    void batcher.add(3, "");
    await batcher.flush();
    expect(flushes).toEqual([
      { key: "", items: [1, 3], reason: "size" },
      { key: "mismatched", items: [2], reason: "flush" },
    ]);
    await batcher.close();
  });

  test("behavior: a failed flush rejects every item of its batch", async () => {
    const batcher = createProofBatcher<number>({
      size: 2,
      settle: async () => {
        throw new Error("og is down");
      },
    });
    const results = await Promise.allSettled([batcher.add(1, ""), batcher.add(2, "")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  test("behavior: close flushes what settling buffers too, then refuses new items", async () => {
    const flushes: Flush<number, string>[] = [];
    const batcher = createProofBatcher<number>({
      size: 10,
      settle: async (flush) => {
        flushes.push(flush);
        // A duplicate settles again in a later batch.
        if (flush.key === "duplicate") for (const n of flush.items) void batcher.add(n, "");
      },
    });
    void batcher.add(1, "duplicate");
    await batcher.close();
    expect(flushes.map(({ key, items, reason }) => [key, items, reason])).toEqual([
      ["duplicate", [1], "flush"],
      ["", [1], "flush"],
    ]);
    await expect(batcher.add(2, "")).rejects.toThrowErrorMatchingInlineSnapshot(
      `[Error: The proof batcher is closed; start a new one to buffer proofs.]`,
    );
  });

  test("args: thresholds must be positive", () => {
    const settle = async () => {};
    expect(() => createProofBatcher({ size: 0, settle })).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: Batch size is 0; expected a positive integer.]`,
    );
    expect(() => createProofBatcher({ idleMs: -1, settle })).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: Batch idle timeout is -1; expected a positive number of milliseconds.]`,
    );
    expect(() => createProofBatcher({ maxAgeMs: Number.NaN, settle })).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: Batch max age is NaN; expected a positive number of milliseconds.]`,
    );
  });
});
