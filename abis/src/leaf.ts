import { encodeAbiParameters, type Hex, keccak256 } from "viem";
import { inferenceIdOf } from "./ids";
import { keccak256Bytes, keccak256Of, writeHex, writeUint256 } from "./keccak";

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

// abi.encode of a leaf: seven head words, the signature's (`bytes`) among them as the offset of its tail, which
// is its length word and its bytes padded to whole words.
const HEAD_WORDS = LEAF_TYPES.length;

/** `abi.encode(...leaf)`, written directly; null when a field is not valid for its type (viem's encoder says why). */
function encodedLeafOf(leaf: Leaf): Uint8Array | null {
  const signatureSize = (leaf.signature.length - 2) / 2;
  if (!Number.isInteger(signatureSize) || signatureSize < 0) return null;
  const encoded = new Uint8Array(32 * (HEAD_WORDS + 1 + Math.ceil(signatureSize / 32)));
  const ok =
    writeHex(encoded, 0, leaf.paymentId, 32) &&
    writeUint256(encoded, 32, leaf.amount) &&
    writeHex(encoded, 64, leaf.teeId, 32) &&
    writeHex(encoded, 96, leaf.inputHash, 32) &&
    writeHex(encoded, 128, leaf.outputHash, 32) &&
    writeUint256(encoded, 160, BigInt(32 * HEAD_WORDS)) &&
    writeUint256(encoded, 192, leaf.timestamp) &&
    writeUint256(encoded, 224, BigInt(signatureSize)) &&
    writeHex(encoded, 256, leaf.signature, signatureSize);
  return ok ? encoded : null;
}

/** The StandardMerkleTree leaf hash: `keccak256(bytes.concat(keccak256(abi.encode(...leaf))))`. */
export function leafHashOf(leaf: Leaf): Hex {
  const encoded = encodedLeafOf(leaf);
  if (encoded) return keccak256Of(keccak256Bytes(encoded));
  return keccak256(
    keccak256(
      encodeAbiParameters(
        LEAF_TYPES.map((type) => ({ type })),
        leafValuesOf(leaf),
      ),
    ),
  );
}

/** The inference a leaf settles. */
export function inferenceIdOfLeaf(leaf: Leaf): Hex {
  return inferenceIdOf(leaf);
}
