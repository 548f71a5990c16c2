import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { LEAF_TYPES, type Leaf, leafValuesOf, merkleTreeOf } from "@settlescan/abis";
import { type Hex, keccak256, stringToHex } from "viem";
import { afterEach, describe, expect, test, vi } from "vitest";
import { type Batch, batchOf, createProofBatcher } from "./proofBatcher";

function leafOf(i: number): Leaf {
  return {
    paymentId: keccak256(stringToHex(`payment ${i}`)),
    amount: 1_000n + BigInt(i),
    teeId: keccak256(stringToHex("tee")),
    inputHash: keccak256(stringToHex(`in ${i}`)),
    outputHash: keccak256(stringToHex(`out ${i}`)),
    signature: stringToHex(`signature ${i}`),
    timestamp: 1_700_000_000n + BigInt(i),
  };
}

/** A batcher whose posts are recorded instead of sent. */
function recordingBatcher(options: { maxLeaves?: number; maxWaitMs?: number }) {
  const posted: Batch[] = [];
  const batcher = createProofBatcher({
    ...options,
    postBatch: async (batch) => {
      posted.push(batch);
      return keccak256(batch.root);
    },
  });
  return { batcher, posted };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createProofBatcher", () => {
  test("default: posts a StandardMerkleTree batch once N leaves are queued", async () => {
    const { batcher, posted } = recordingBatcher({ maxLeaves: 3, maxWaitMs: 60_000 });
    const leaves = [leafOf(1), leafOf(2), leafOf(3)];
    const results = await Promise.all(leaves.map((leaf) => batcher.add(leaf)));

    expect(posted).toHaveLength(1);
    const [batch] = posted as [Batch];
    const oz = StandardMerkleTree.of(
      leaves.map((l) => [...leafValuesOf(l)]),
      [...LEAF_TYPES],
    );
    expect(batch).toMatchObject({
      reason: "size",
      leaves,
      root: oz.root,
      treeRoot: oz.root,
      blobId: keccak256(oz.root as Hex),
    });
    expect(batch.root).toBe(merkleTreeOf(leaves).root);
    expect(results.every((r) => r.transaction === keccak256(batch.root))).toBe(true);
    expect(batcher.pending).toBe(0);
    await batcher.close();
  });

  test("behavior: posts whatever is queued T milliseconds after the first leaf", async () => {
    vi.useFakeTimers();
    const { batcher, posted } = recordingBatcher({ maxLeaves: 100, maxWaitMs: 2_000 });
    const first = batcher.add(leafOf(1));
    await vi.advanceTimersByTimeAsync(1_000);
    const second = batcher.add(leafOf(2));
    expect(posted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(posted.map((b) => [b.reason, b.leaves.length])).toEqual([["time", 2]]);
    expect((await first).root).toBe((await second).root);
    await batcher.close();
  });

  test("behavior: wrong_root leaves are batched apart and posted under a corrupted root", async () => {
    const { batcher, posted } = recordingBatcher({ maxLeaves: 10, maxWaitMs: 60_000 });
    const honest = batcher.add(leafOf(1));
    const faulty = batcher.add(leafOf(2), { fault: "wrong_root" });
    await batcher.flush();
    await Promise.all([honest, faulty]);

    expect(posted).toHaveLength(2);
    const wrong = posted.find((b) => b.fault === "wrong_root") as Batch;
    const right = posted.find((b) => b.fault === undefined) as Batch;
    expect(wrong.leaves).toEqual([leafOf(2)]);
    expect(wrong.treeRoot).toBe(merkleTreeOf([leafOf(2)]).root);
    expect(wrong.root).not.toBe(wrong.treeRoot);
    expect(right.root).toBe(merkleTreeOf([leafOf(1)]).root);
  });

  test("behavior: a failed post rejects every leaf of its batch", async () => {
    const batcher = createProofBatcher({
      maxLeaves: 2,
      postBatch: async () => {
        throw new Error("og is down");
      },
    });
    const results = await Promise.allSettled([batcher.add(leafOf(1)), batcher.add(leafOf(2))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  test("behavior: close posts the remainder and refuses new leaves", async () => {
    const { batcher, posted } = recordingBatcher({ maxLeaves: 10, maxWaitMs: 60_000 });
    const pending = batcher.add(leafOf(1));
    await batcher.close();
    await pending;
    expect(posted.map((b) => b.reason)).toEqual(["flush"]);
    await expect(batcher.add(leafOf(2))).rejects.toThrowErrorMatchingInlineSnapshot(
      `[Error: The proof batcher is closed; start a new one to queue leaves.]`,
    );
  });

  test("args: maxLeaves must be a positive integer", () => {
    expect(() => createProofBatcher({ maxLeaves: 0, postBatch: async () => "0x" })).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: maxLeaves is 0; expected a positive integer.]`,
    );
  });

  test("behavior: batchOf is deterministic", () => {
    const leaves = [leafOf(1), leafOf(2)];
    expect(batchOf(leaves, { reason: "flush" })).toEqual(batchOf([...leaves], { reason: "flush" }));
  });
});
