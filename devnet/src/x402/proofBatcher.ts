/** Items per batch before it is flushed at once: OpenGradient's `DATA_SETTLEMENT_BATCH_BUFFER_SIZE` default. */
export const DEFAULT_BATCH_SIZE = 20;

/** Milliseconds without a new item before a batch is flushed: `DATA_SETTLEMENT_BATCH_IDLE_TIMEOUT_MS` (5 min). */
export const DEFAULT_IDLE_MS = 5 * 60 * 1000;

/** Milliseconds after a batch's first item before it is flushed however busy: `…_MAX_AGE_MS` (15 min). */
export const DEFAULT_MAX_AGE_MS = 15 * 60 * 1000;

/** When a batch is flushed: buffer full, idle, too old, or asked to (`flush` / `close`). */
export type FlushReason = "size" | "idle" | "age" | "flush";

export type BatchThresholds = {
  /** Items that flush a batch at once. */
  size?: number;
  /** Milliseconds since the batch's last item. */
  idleMs?: number;
  /** Milliseconds since the batch's first item. */
  maxAgeMs?: number;
};

/** One flushed batch: the items in arrival order, which buffer they were in, and why it was flushed. */
export type Flush<item, key extends string> = { key: key; items: item[]; reason: FlushReason };

export type ProofBatcher<item, key extends string> = {
  /** Buffers an item under `key` (batches never mix keys); resolves with what `settle` made of its batch. */
  add: <result>(item: item, key: key) => Promise<result>;
  /** Flushes every buffer now. */
  flush: () => Promise<void>;
  /** Flushes what is buffered (and what settling it buffers) and stops the timers; later `add` calls reject. */
  close: () => Promise<void>;
  /** Items buffered and not yet handed to `settle`. */
  readonly pending: number;
};

type Entry<item> = { item: item; resolve: (result: unknown) => void; reject: (error: unknown) => void };
type Buffer<item> = {
  entries: Entry<item>[];
  idle?: ReturnType<typeof setTimeout>;
  age?: ReturnType<typeof setTimeout>;
};

function assertPositive(value: number, name: string, integer: boolean) {
  if (!(value > 0) || (integer && !Number.isSafeInteger(value)))
    throw new RangeError(`${name} is ${value}; expected a positive ${integer ? "integer" : "number of milliseconds"}.`);
}

/**
 * Buffers proofs the way OpenGradient's data worker does: a batch is flushed when it holds `size` items, when
 * `idleMs` passed since its last item, or `maxAgeMs` since its first. Each `key` (e.g. a fault) has a buffer of its
 * own, so a faulty batch never takes honest proofs with it. `settle` turns a flush into its result, which every
 * item's `add` promise resolves with (or rejects with its error).
 * @example const batcher = createProofBatcher({ size: 20, idleMs: 3_000, maxAgeMs: 10_000, settle: postBatch })
 */
export function createProofBatcher<item, key extends string = string>({
  size = DEFAULT_BATCH_SIZE,
  idleMs = DEFAULT_IDLE_MS,
  maxAgeMs = DEFAULT_MAX_AGE_MS,
  settle,
}: BatchThresholds & { settle: (flush: Flush<item, key>) => Promise<unknown> }): ProofBatcher<item, key> {
  assertPositive(size, "Batch size", true);
  assertPositive(idleMs, "Batch idle timeout", false);
  assertPositive(maxAgeMs, "Batch max age", false);

  const buffers = new Map<key, Buffer<item>>();
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  function flushKey(key: key, reason: FlushReason): Promise<void> {
    const buffer = buffers.get(key);
    if (!buffer) return Promise.resolve();
    clearTimeout(buffer.idle);
    clearTimeout(buffer.age);
    buffers.delete(key);
    const { entries } = buffer;
    const run = settle({ key, items: entries.map((e) => e.item), reason }).then(
      (result) => {
        for (const e of entries) e.resolve(result);
      },
      (error: unknown) => {
        for (const e of entries) e.reject(error);
      },
    );
    inFlight.add(run);
    return run.finally(() => inFlight.delete(run));
  }

  async function flushAll(reason: FlushReason) {
    await Promise.all([...buffers.keys()].map((key) => flushKey(key, reason)));
    // Flushes that started before (size, timers) are part of "everything buffered so far".
    await Promise.all([...inFlight]);
  }

  return {
    add<result>(item: item, key: key): Promise<result> {
      if (closed) return Promise.reject(new Error("The proof batcher is closed; start a new one to buffer proofs."));
      let buffer = buffers.get(key);
      if (!buffer) {
        const created: Buffer<item> = { entries: [] };
        created.age = setTimeout(() => void flushKey(key, "age"), maxAgeMs);
        buffers.set(key, created);
        buffer = created;
      }
      const promise = new Promise<result>((resolve, reject) =>
        buffer.entries.push({ item, resolve: resolve as (result: unknown) => void, reject }),
      );
      clearTimeout(buffer.idle);
      if (buffer.entries.length >= size) void flushKey(key, "size");
      else buffer.idle = setTimeout(() => void flushKey(key, "idle"), idleMs);
      return promise;
    },
    flush: () => flushAll("flush"),
    async close() {
      // Settling a batch may buffer more (a duplicate settled again): flush until nothing is left.
      do await flushAll("flush");
      while (buffers.size > 0);
      closed = true;
    },
    get pending() {
      let n = 0;
      for (const buffer of buffers.values()) n += buffer.entries.length;
      return n;
    },
  };
}
