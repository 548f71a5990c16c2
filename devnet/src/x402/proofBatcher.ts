import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { LEAF_TYPES, type Leaf, leafValuesOf } from "@settlescan/abis";
import { type Hex, keccak256 } from "viem";
import type { FacilitatorFault } from "./settleData";

/** Leaves per batch before it is posted without waiting; OpenGradient batches tens to hundreds. */
export const DEFAULT_MAX_LEAVES = 32;

/** Milliseconds after a batch's first leaf before it is posted however small it is. */
export const DEFAULT_MAX_WAIT_MS = 5_000;

/** Why a batch was posted. */
export type FlushReason = "size" | "time" | "flush";

/** A batch ready for `SettlementRelay.settleBatch(root, leaves, blobId)`. */
export type Batch = {
  /** The root to post: the StandardMerkleTree root, or a corrupted one under the `wrong_root` fault. */
  root: Hex;
  /** The StandardMerkleTree root of `leaves`, whatever was posted. */
  treeRoot: Hex;
  leaves: Leaf[];
  /** Stands in for the Walrus blob id of the leaves: `keccak256(treeRoot)`, so it is deterministic. */
  blobId: Hex;
  fault?: FacilitatorFault;
  reason: FlushReason;
};

export type PostedBatch = Batch & { transaction: Hex };

export type ProofBatcher = {
  /** Queues a leaf; resolves once the batch holding it is posted. */
  add: (leaf: Leaf, options?: { fault?: FacilitatorFault }) => Promise<PostedBatch>;
  /** Posts every queued leaf now. */
  flush: () => Promise<PostedBatch[]>;
  /** Posts what is queued and stops the timers; later `add` calls throw. */
  close: () => Promise<PostedBatch[]>;
  /** Leaves queued and not yet handed to `postBatch`. */
  readonly pending: number;
};

/** The StandardMerkleTree root over `leaves` with the leaf encoding of DESIGN.md §2. */
export function batchRootOf(leaves: readonly Leaf[]): Hex {
  return StandardMerkleTree.of(
    leaves.map((leaf) => [...leafValuesOf(leaf)]),
    [...LEAF_TYPES],
  ).root as Hex;
}

/** A root that is certainly not the tree's: its hash. Deterministic, so a rerun posts the same bytes. */
export function corruptRootOf(root: Hex): Hex {
  return keccak256(root);
}

/** Builds the batch for `leaves`, applying `fault`. */
export function batchOf(leaves: Leaf[], { fault, reason }: { fault?: FacilitatorFault; reason: FlushReason }): Batch {
  const treeRoot = batchRootOf(leaves);
  return {
    root: fault === "wrong_root" ? corruptRootOf(treeRoot) : treeRoot,
    treeRoot,
    leaves,
    blobId: keccak256(treeRoot),
    ...(fault === undefined ? {} : { fault }),
    reason,
  };
}

type Entry = { leaf: Leaf; resolve: (batch: PostedBatch) => void; reject: (error: unknown) => void };
type Queue = { entries: Entry[]; timer?: ReturnType<typeof setTimeout> };

/**
 * Collects settlement leaves and posts them as StandardMerkleTree batches when `maxLeaves` are queued or
 * `maxWaitMs` has passed since the first. Faulty leaves never share a batch with honest ones.
 * @example const batcher = createProofBatcher({ maxLeaves: 8, maxWaitMs: 2000, postBatch: relay.postBatch })
 */
export function createProofBatcher({
  maxLeaves = DEFAULT_MAX_LEAVES,
  maxWaitMs = DEFAULT_MAX_WAIT_MS,
  postBatch,
}: {
  maxLeaves?: number;
  maxWaitMs?: number;
  postBatch: (batch: Batch) => Promise<Hex>;
}): ProofBatcher {
  if (!Number.isSafeInteger(maxLeaves) || maxLeaves < 1)
    throw new RangeError(`maxLeaves is ${maxLeaves}; expected a positive integer.`);
  if (!(maxWaitMs > 0)) throw new RangeError(`maxWaitMs is ${maxWaitMs}; expected a positive number of milliseconds.`);

  // One queue per fault ("" = honest), so a corrupted root never takes honest leaves down with it.
  const queues = new Map<FacilitatorFault | "", Queue>();
  let closed = false;

  async function post(key: FacilitatorFault | "", reason: FlushReason): Promise<PostedBatch | undefined> {
    const queue = queues.get(key);
    if (!queue || queue.entries.length === 0) return undefined;
    clearTimeout(queue.timer);
    queues.delete(key);
    const { entries } = queue;
    const batch = batchOf(
      entries.map((e) => e.leaf),
      { ...(key === "" ? {} : { fault: key }), reason },
    );
    try {
      const posted = { ...batch, transaction: await postBatch(batch) };
      for (const e of entries) e.resolve(posted);
      return posted;
    } catch (error) {
      for (const e of entries) e.reject(error);
      throw error;
    }
  }

  async function postAll(reason: FlushReason) {
    const results = await Promise.allSettled([...queues.keys()].map((key) => post(key, reason)));
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    return results.flatMap((r) => (r.status === "fulfilled" && r.value ? [r.value] : []));
  }

  return {
    add(leaf, { fault } = {}) {
      if (closed) return Promise.reject(new Error("The proof batcher is closed; start a new one to queue leaves."));
      const key = fault ?? "";
      let queue = queues.get(key);
      if (!queue) {
        const created: Queue = { entries: [] };
        // Errors reach the callers through their add() promises; the timer itself must not throw unhandled.
        created.timer = setTimeout(() => post(key, "time").catch(() => {}), maxWaitMs);
        queues.set(key, created);
        queue = created;
      }
      const promise = new Promise<PostedBatch>((resolve, reject) => queue.entries.push({ leaf, resolve, reject }));
      if (queue.entries.length >= maxLeaves) post(key, "size").catch(() => {});
      return promise;
    },
    flush: () => postAll("flush"),
    async close() {
      closed = true;
      return postAll("flush");
    },
    get pending() {
      let n = 0;
      for (const q of queues.values()) n += q.entries.length;
      return n;
    },
  };
}
