import { encodeAbiParameters, type Hex, keccak256 } from "viem";
import { inferenceIdOf } from "./ids";

/** One settled inference as the SettlementRelay takes it in calldata (field order is the Solidity struct's). */
export type Leaf = {
  paymentId: Hex;
  amount: bigint;
  teeId: Hex;
  inputHash: Hex;
  outputHash: Hex;
  signature: Hex;
  timestamp: bigint;
};

/** ABI types of a leaf, in the order the StandardMerkleTree encodes them. */
export const LEAF_TYPES = ["bytes32", "uint256", "bytes32", "bytes32", "bytes32", "bytes", "uint256"] as const;

/** A leaf as the tuple `StandardMerkleTree.of(values, LEAF_TYPES)` takes. */
export function leafValuesOf(leaf: Leaf) {
  return [
    leaf.paymentId,
    leaf.amount,
    leaf.teeId,
    leaf.inputHash,
    leaf.outputHash,
    leaf.signature,
    leaf.timestamp,
  ] as const;
}

/** The StandardMerkleTree leaf hash: `keccak256(bytes.concat(keccak256(abi.encode(...leaf))))`. */
export function leafHashOf(leaf: Leaf): Hex {
  const encoded = encodeAbiParameters(
    LEAF_TYPES.map((type) => ({ type })),
    leafValuesOf(leaf),
  );
  return keccak256(keccak256(encoded));
}

/** The inference a leaf settles. */
export function inferenceIdOfLeaf(leaf: Leaf): Hex {
  return inferenceIdOf(leaf);
}
