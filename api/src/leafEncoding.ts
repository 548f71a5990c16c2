import { LEAF_ENCODINGS } from "@settlescan/abis";

/**
 * The Solidity types of a leaf encoding's values (a tree dump's `leafEncoding`), by the encoding's name as the
 * indexer stores it; null for null (a batch whose blob is not read).
 * @example leafTypesOf("e1") // ["bytes32", "bytes32"]
 */
export function leafTypesOf(encoding: string | null): string[] | null {
  if (encoding === null) return null;
  const era = LEAF_ENCODINGS.find((e) => e.name === encoding);
  if (!era)
    throw new Error(`Leaf encoding "${encoding}" is not one of ${LEAF_ENCODINGS.map((e) => e.name).join(", ")}.`);
  return [...era.types];
}
