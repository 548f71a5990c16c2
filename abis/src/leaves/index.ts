import type { Hex } from "viem";
import { InvalidInputError } from "../errors";
import { type LeafEncoding, quoteValue } from "./defineLeafEncoding";
import { type E1Leaf, e1 } from "./e1";
import { type E2Leaf, e2 } from "./e2";
import { type E3Leaf, e3 } from "./e3";
import { type ExactLeaf, exact } from "./exact";

export { defineLeafEncoding, type LeafAbiType, type LeafEncoding, type LeafOf } from "./defineLeafEncoding";
export { type E1Leaf, e1 } from "./e1";
export { type E2Leaf, e2, e2SignatureValueOf } from "./e2";
export { type E3Leaf, e3 } from "./e3";
export { type ExactLeaf, exact } from "./exact";

/** Every leaf era a batch blob may use, oldest first; a blob's `leafEncoding` picks one. */
export const LEAF_ENCODINGS = [e1, e2, e3, exact] as const;

/** The name of a leaf era: `e1`, `e2`, `e3` or `exact`. */
export type LeafEncodingName = (typeof LEAF_ENCODINGS)[number]["name"];

/** One settled leaf of any era; `encoding` says which, and so which fields it has. */
export type SettledLeaf = E1Leaf | E2Leaf | E3Leaf | ExactLeaf;

/** A leaf era taken without knowing which (its methods take any `SettledLeaf` of that era). */
export type AnyLeafEncoding = LeafEncoding<SettledLeaf>;

/** The era whose Solidity types equal `types` exactly, or undefined. */
export function findLeafEncoding(types: unknown): AnyLeafEncoding | undefined {
  if (!Array.isArray(types)) return undefined;
  const encoding = LEAF_ENCODINGS.find(
    (era) => types.length === era.types.length && era.types.every((type, i) => types[i] === type),
  );
  return encoding as AnyLeafEncoding | undefined;
}

/** The known eras and their types, for messages. */
export const KNOWN_LEAF_ENCODINGS = LEAF_ENCODINGS.map((era) => `${era.name} [${era.types.join(", ")}]`).join("; ");

/**
 * The era whose Solidity types equal `types` exactly (a dump's `leafEncoding`); throws `InvalidInputError` otherwise.
 * @example leafEncodingOf(["bytes32", "bytes32", "bytes32", "bytes", "uint256"]) // e3
 */
export function leafEncodingOf(types: unknown): AnyLeafEncoding {
  const encoding = findLeafEncoding(types);
  if (encoding) return encoding;
  throw new InvalidInputError(`Leaf encoding ${quoteValue(types)} is not a known one (${KNOWN_LEAF_ENCODINGS}).`);
}

/** The era of a leaf, by its `encoding`. */
export function leafEncodingOfLeaf(leaf: SettledLeaf): AnyLeafEncoding {
  const encoding = LEAF_ENCODINGS.find((era) => era.name === leaf.encoding);
  if (!encoding) throw new InvalidInputError(`Leaf encoding name ${quoteValue(leaf.encoding)} is not a known one.`);
  return encoding as AnyLeafEncoding;
}

/** The inference a leaf settles, or null for eras whose leaves carry no TEE ID and timestamp (E1, E2). */
export function inferenceIdOfSettledLeaf(leaf: SettledLeaf): Hex | null {
  return leafEncodingOfLeaf(leaf).inferenceIdOf?.(leaf) ?? null;
}
