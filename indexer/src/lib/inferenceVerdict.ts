import type { CheckResult } from "./verdict";

/** A settled leaf's state (docs/protocol.md §5): posted by no known signer, a failed proof, a repeat, or the proof. */
export type SettledLeafState = "unofficial" | "invalid_proof" | "duplicate" | "proven";
/** An inference takes the state of the leaf that counts, which is never a duplicate. */
export type InferenceState = Exclude<SettledLeafState, "duplicate">;

/** Chain order of a settled leaf: block, then log index, then the leaf's index in its blob. */
export type LeafOrder = readonly [block: bigint, logIndex: number, leafIndex: number];

/** What the state of one settled leaf depends on, apart from the other leaves of its inference. */
export type SettledLeafFacts = {
  id: string;
  order: LeafOrder;
  official: boolean;
  inclusion: CheckResult;
  attestation: CheckResult;
};

export type JudgedLeaf = SettledLeafFacts & {
  state: SettledLeafState;
  uniqueness: CheckResult;
  provenance: CheckResult;
};

/** Compares two leaves in chain order. */
export function compareLeafOrder(a: LeafOrder, b: LeafOrder): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] - b[1];
  return a[2] - b[2];
}

const provesIt = (leaf: SettledLeafFacts) => leaf.official && leaf.inclusion.ok && leaf.attestation.ok;

/**
 * Judges every settled leaf of one inference from all of them (docs/protocol.md §5), whatever order they were indexed in: a leaf is
 * `unofficial` when no known signer posted it, else `invalid_proof` when inclusion or attestation failed, else
 * `duplicate` when an earlier official leaf already proved the inference, else `proven`. The leaf that counts for
 * the inference is the first official one that proves it; failing that, the first official one; failing that, the
 * first unofficial one.
 */
export function judgeInferenceLeaves(leaves: readonly SettledLeafFacts[]) {
  if (leaves.length === 0) throw new RangeError("An inference is judged from at least one settled leaf; got none.");
  const ordered = [...leaves].sort((a, b) => compareLeafOrder(a.order, b.order));
  let firstProof: SettledLeafFacts | undefined;
  const judged: JudgedLeaf[] = ordered.map((leaf) => {
    const uniqueness: CheckResult = firstProof
      ? { ok: false, reason: `The inference was already proven by leaf ${firstProof.id}.` }
      : { ok: true, reason: null };
    const provenance: CheckResult = leaf.official
      ? { ok: true, reason: null }
      : { ok: false, reason: "Posted by an account that is not one of the network's facilitator signers." };
    const state: SettledLeafState = !leaf.official
      ? "unofficial"
      : !leaf.inclusion.ok || !leaf.attestation.ok
        ? "invalid_proof"
        : firstProof
          ? "duplicate"
          : "proven";
    if (!firstProof && provesIt(leaf)) firstProof = leaf;
    return { ...leaf, state, uniqueness, provenance };
  });
  const counting =
    judged.find((l) => l.state === "proven") ?? judged.find((l) => l.official) ?? (judged[0] as JudgedLeaf);
  return { leaves: judged, counting, state: counting.state as InferenceState };
}
