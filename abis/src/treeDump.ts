import type { Hex } from "viem";
import { BlobFormatError, InvalidInputError } from "./errors";
import {
  type AnyLeafEncoding,
  findLeafEncoding,
  KNOWN_LEAF_ENCODINGS,
  type LeafEncoding,
  type SettledLeaf,
} from "./leaves";
import { quoteValue } from "./leaves/defineLeafEncoding";
import { hashPair, merkleNodesOfHashes, merkleProofOf } from "./merkle";

/** The only dump format `@openzeppelin/merkle-tree`'s `StandardMerkleTree.load` reads. */
export const TREE_DUMP_FORMAT = "standard-v1";

/** `StandardMerkleTree.dump()`: what a batch settlement's Walrus blob holds, as JSON. */
export type TreeDump = {
  format: typeof TREE_DUMP_FORMAT;
  leafEncoding: string[];
  tree: Hex[];
  values: { value: string[]; treeIndex: number }[];
};

/** One leaf of a parsed batch blob. */
export type BlobLeaf = {
  /** The leaf's position in the dump's `values` (what `getProof(index)` takes). */
  index: number;
  /** Where its hash sits in the dump's `tree`. */
  treeIndex: number;
  leaf: SettledLeaf;
  leafHash: Hex;
  /** The siblings from the leaf up to the root, as `StandardMerkleTree.getProof(index)` gives them. */
  proof: Hex[];
};

/** A batch blob, checked: every value hashes to its tree slot and every node to its children. */
export type ParsedTreeDump = {
  root: Hex;
  encoding: AnyLeafEncoding;
  leaves: BlobLeaf[];
};

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const kindOf = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);

/** The JSON value of a blob's bytes; throws `BlobFormatError` for anything else. */
export function parseBlobJson(bytes: Uint8Array | string): unknown {
  let text: string;
  try {
    text = typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new BlobFormatError(`Blob is not UTF-8 text (${bytes.length} bytes).`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const start = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new BlobFormatError(`Blob is not JSON (${text.length} characters, starting ${JSON.stringify(start)}).`, {
      cause: error,
      details: (error as Error).message,
    });
  }
}

/**
 * Reads and checks a batch settlement's blob (`JSON.stringify(StandardMerkleTree.dump())`): the format, a known
 * leaf encoding, every value hashing to its tree slot and every node to its children. Returns the root and each
 * leaf with its proof; throws `BlobFormatError` saying what is wrong and where.
 * @example const { root, leaves } = parseTreeDump(await response.bytes())
 */
export function parseTreeDump(bytes: Uint8Array | string): ParsedTreeDump {
  const dump = parseBlobJson(bytes);
  if (!isRecord(dump)) throw new BlobFormatError(`Blob is not a JSON object; got ${kindOf(dump)}.`);
  if (dump.format !== TREE_DUMP_FORMAT)
    throw new BlobFormatError(`Blob format ${quoteValue(dump.format)} is not "${TREE_DUMP_FORMAT}".`);

  const encoding = findLeafEncoding(dump.leafEncoding);
  if (!encoding)
    throw new BlobFormatError(
      `Blob leafEncoding ${quoteValue(dump.leafEncoding)} is not a known one (${KNOWN_LEAF_ENCODINGS}).`,
    );

  const tree = parseTree(dump.tree);
  const leafCount = (tree.length + 1) / 2;
  const firstLeaf = leafCount - 1;

  const { values } = dump;
  if (!Array.isArray(values) || values.length === 0)
    throw new BlobFormatError(`Blob values is not a non-empty array; got ${quoteValue(values)}.`);
  if (values.length !== leafCount)
    throw new BlobFormatError(
      `Blob has ${values.length} values for the ${leafCount} leaves of its tree (${tree.length} nodes).`,
    );

  const valueAt = new Array<number | undefined>(tree.length);
  const leaves = values.map((entry: unknown, index): BlobLeaf => {
    if (!isRecord(entry) || !Array.isArray(entry.value))
      throw new BlobFormatError(
        `Blob value ${index} is not an object { value: [...], treeIndex }; got ${quoteValue(entry)}.`,
      );
    const { treeIndex } = entry;
    if (
      typeof treeIndex !== "number" ||
      !Number.isInteger(treeIndex) ||
      treeIndex < firstLeaf ||
      treeIndex >= tree.length
    )
      throw new BlobFormatError(
        `Blob value ${index} treeIndex ${quoteValue(treeIndex)} is not a leaf slot of its tree (tree[${firstLeaf}] to tree[${tree.length - 1}]).`,
      );
    const other = valueAt[treeIndex];
    if (other !== undefined)
      throw new BlobFormatError(`Blob value ${index} treeIndex ${treeIndex} is also value ${other}'s.`);
    valueAt[treeIndex] = index;

    let leaf: SettledLeaf;
    try {
      leaf = encoding.fromValues(entry.value);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      throw new BlobFormatError(`Blob value ${index}: ${error.message}`, { cause: error });
    }
    const leafHash = encoding.leafHashOf(leaf);
    if (leafHash !== tree[treeIndex])
      throw new BlobFormatError(
        `Blob value ${index} does not hash to tree[${treeIndex}]: its leaf hash is ${leafHash}, tree[${treeIndex}] is ${tree[treeIndex]}.`,
      );
    return { index, treeIndex, leaf, leafHash, proof: [] };
  });

  // Deepest nodes first, so a forged node is named rather than the root above it.
  for (let i = firstLeaf - 1; i >= 0; i--) {
    const expected = hashPair(tree[2 * i + 1] as Hex, tree[2 * i + 2] as Hex);
    if (expected !== tree[i])
      throw new BlobFormatError(
        `Blob tree[${i}] is not the hash of its children tree[${2 * i + 1}] and tree[${2 * i + 2}]: expected ${expected}, got ${tree[i]}.`,
      );
  }
  for (const leaf of leaves) leaf.proof = merkleProofOf(tree, leaf.treeIndex);
  return { root: tree[0] as Hex, encoding, leaves };
}

/** The dump's `tree`: a non-empty array of bytes32 hex of odd length (2n − 1 nodes for n leaves), lowercased. */
function parseTree(tree: unknown): Hex[] {
  if (!Array.isArray(tree) || tree.length === 0)
    throw new BlobFormatError(`Blob tree is not a non-empty array; got ${quoteValue(tree)}.`);
  const nodes = tree.map((node: unknown, i) => {
    if (typeof node !== "string" || !BYTES32.test(node))
      throw new BlobFormatError(`Blob tree[${i}] ${quoteValue(node)} is not a bytes32 (0x followed by 64 hex digits).`);
    return node.toLowerCase() as Hex;
  });
  if (nodes.length % 2 === 0)
    throw new BlobFormatError(
      `Blob tree has ${nodes.length} nodes; a StandardMerkleTree has an odd number (2n − 1 for n leaves).`,
    );
  return nodes;
}

/**
 * The dump `StandardMerkleTree.of(values, encoding.types).dump()` gives for these leaves (values in leaf order),
 * built with our own hashing. `JSON.stringify` of it is the facilitator's batch blob.
 * @example const blob = JSON.stringify(treeDumpOf(leaves, e3))
 */
export function treeDumpOf<leaf extends SettledLeaf>(leaves: readonly leaf[], encoding: LeafEncoding<leaf>): TreeDump {
  for (const [i, leaf] of leaves.entries())
    if (leaf.encoding !== encoding.name)
      throw new InvalidInputError(
        `Leaf ${i} is of encoding ${quoteValue(leaf.encoding)}, not ${quoteValue(encoding.name)} like the tree.`,
      );
  const { tree, treeIndices } = merkleNodesOfHashes(leaves.map((leaf) => encoding.leafHashOf(leaf)));
  return {
    format: TREE_DUMP_FORMAT,
    leafEncoding: [...encoding.types],
    tree,
    values: leaves.map((leaf, i) => ({ value: encoding.valuesOf(leaf), treeIndex: treeIndices[i] as number })),
  };
}
