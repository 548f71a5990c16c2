import { calldataSettlementRelayAbi, type Leaf, leafHashOf, merkleTreeOf } from "@settlescan/abis";
import { type Address, decodeFunctionData, type Hex } from "viem";

/** A settlement's leaves as read from its transaction's calldata, each with its hash, proof and inclusion result. */
export type DecodedLeaf = Leaf & { index: number; leafHash: Hex; proof: Hex[]; inclusion: boolean };

export type DecodedSettlement =
  | { ok: true; computedRoot: Hex | null; leaves: DecodedLeaf[]; blobId: Hex }
  | { ok: false; reason: string };

function decodeRelayCall(input: Hex) {
  try {
    return decodeFunctionData({ abi: calldataSettlementRelayAbi, data: input });
  } catch {
    return null;
  }
}

/**
 * Reads a `BatchSettlement`'s leaves from `settleBatch` calldata and recomputes the StandardMerkleTree root; every
 * leaf is included iff the recomputed root equals the emitted one and the leaf count matches `batchSize`.
 */
export function decodeBatchSettlement({
  input,
  merkleRoot,
  batchSize,
}: {
  input: Hex;
  merkleRoot: Hex;
  batchSize: bigint;
}): DecodedSettlement {
  const call = decodeRelayCall(input);
  if (call?.functionName !== "settleBatch")
    return { ok: false, reason: "The transaction is not a direct settleBatch call: its leaves cannot be read." };
  const [, leaves, blobId] = call.args;
  if (leaves.length === 0) return { ok: true, computedRoot: null, leaves: [], blobId };
  const tree = merkleTreeOf(leaves);
  const included = tree.root === merkleRoot.toLowerCase() && BigInt(leaves.length) === batchSize;
  return {
    ok: true,
    computedRoot: tree.root,
    blobId,
    leaves: leaves.map((leaf, index) => ({
      ...leaf,
      index,
      leafHash: tree.leafHashes[index]!,
      proof: tree.proofs[index]!,
      inclusion: included,
    })),
  };
}

/** Reads an `IndividualSettlement`'s leaf from `settleIndividual` calldata; it is included iff the event says the same. */
export function decodeIndividualSettlement({
  input,
  event,
}: {
  input: Hex;
  event: { teeId: Hex; ethAddress: Address; inputHash: Hex; outputHash: Hex; timestamp: bigint; signature: Hex };
}): DecodedSettlement & { payer?: Address } {
  const call = decodeRelayCall(input);
  if (call?.functionName !== "settleIndividual")
    return { ok: false, reason: "The transaction is not a direct settleIndividual call: its leaf cannot be read." };
  const [leaf, payer, blobId] = call.args;
  const same =
    leaf.teeId === event.teeId &&
    leaf.inputHash === event.inputHash &&
    leaf.outputHash === event.outputHash &&
    leaf.timestamp === event.timestamp &&
    leaf.signature === event.signature &&
    payer.toLowerCase() === event.ethAddress.toLowerCase();
  return {
    ok: true,
    computedRoot: null,
    blobId,
    payer,
    leaves: [{ ...leaf, index: 0, leafHash: leafHashOf(leaf), proof: [], inclusion: same }],
  };
}
