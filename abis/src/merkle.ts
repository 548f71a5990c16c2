import { concat, type Hex, hexToBytes, keccak256 } from "viem";
import { InvalidInputError } from "./errors";
import { isBytes32 } from "./ids";
import { keccak256Of, wordsOf } from "./keccak";
import { type Leaf, leafHashOf } from "./leaf";

/** A Merkle tree built exactly as OpenZeppelin's `StandardMerkleTree.of(values, types)` builds it (sorted leaves). */
export type MerkleTree = {
  root: Hex;
  /** The leaf hashes, in the order of the input leaves. */
  leafHashes: Hex[];
  /** `proofs[i]` proves the i-th input leaf against `root`. */
  proofs: Hex[][];
};

function compareBytes(a: Hex, b: Hex): number {
  // Lowercase hex of equal length sorts as its bytes do ("0"–"9" sort before "a"–"f").
  if (isBytes32(a) && isBytes32(b)) {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = hexToBytes(a);
  const y = hexToBytes(b);
  for (let i = 0; i < 32; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** OpenZeppelin's `standardNodeHash`: keccak256 of the two children, smaller first. */
export function hashPair(a: Hex, b: Hex): Hex {
  const [first, second] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
  const words = wordsOf([{ bytes32: first }, { bytes32: second }]);
  return words ? keccak256Of(words) : keccak256(concat([first, second]));
}

/** The node array of a StandardMerkleTree, and where each input leaf sits in it. */
export type MerkleNodes = {
  /** Every node, as `StandardMerkleTree.dump().tree` lists them: the root first, the sorted leaves last, reversed. */
  tree: Hex[];
  /** `treeIndices[i]` is the position in `tree` of the i-th input leaf (the dump's `treeIndex`). */
  treeIndices: number[];
};

/** Lays leaf hashes out as `StandardMerkleTree.of` does: sorted, as a complete binary tree in one array. */
export function merkleNodesOfHashes(leafHashes: readonly Hex[]): MerkleNodes {
  if (leafHashes.length === 0) throw new InvalidInputError("A Merkle tree needs at least one leaf; got none.");
  const sorted = leafHashes.map((hash, input) => ({ hash, input })).sort((a, b) => compareBytes(a.hash, b.hash));
  const tree = new Array<Hex>(2 * sorted.length - 1);
  // Leaves sit at the end of the array in reverse order, as in @openzeppelin/merkle-tree's makeMerkleTree.
  const treeIndices = new Array<number>(leafHashes.length);
  sorted.forEach(({ hash, input }, i) => {
    tree[tree.length - 1 - i] = hash;
    treeIndices[input] = tree.length - 1 - i;
  });
  for (let i = tree.length - 1 - sorted.length; i >= 0; i--) {
    tree[i] = hashPair(tree[2 * i + 1] as Hex, tree[2 * i + 2] as Hex);
  }
  return { tree, treeIndices };
}

/** OpenZeppelin's `getProof(tree, treeIndex)`: the sibling of each node from the leaf at `treeIndex` up to the root. */
export function merkleProofOf(tree: readonly Hex[], treeIndex: number): Hex[] {
  const firstLeaf = Math.floor(tree.length / 2);
  if (!Number.isInteger(treeIndex) || treeIndex < firstLeaf || treeIndex >= tree.length)
    throw new InvalidInputError(
      `Tree index ${treeIndex} is not a leaf of a tree of ${tree.length} nodes (its leaves are ${firstLeaf} to ${tree.length - 1}).`,
    );
  const proof: Hex[] = [];
  let i = treeIndex;
  while (i > 0) {
    proof.push(tree[i % 2 === 1 ? i + 1 : i - 1] as Hex);
    i = Math.floor((i - 1) / 2);
  }
  return proof;
}

/** Builds the tree over leaf hashes the StandardMerkleTree way: hashes sorted, laid out as a complete binary tree. */
export function merkleTreeOfHashes(leafHashes: readonly Hex[]): MerkleTree {
  const { tree, treeIndices } = merkleNodesOfHashes(leafHashes);
  return {
    root: tree[0] as Hex,
    leafHashes: [...leafHashes],
    proofs: treeIndices.map((treeIndex) => merkleProofOf(tree, treeIndex)),
  };
}

/**
 * The StandardMerkleTree over settlement leaves, with a proof per leaf in input (calldata) order.
 * @example const { root, proofs } = merkleTreeOf(leaves)
 */
export function merkleTreeOf(leaves: readonly Leaf[]): MerkleTree {
  return merkleTreeOfHashes(leaves.map(leafHashOf));
}

/** Folds a proof onto a leaf hash; the result is the root the proof implies. */
export function processMerkleProof(leafHash: Hex, proof: readonly Hex[]): Hex {
  return proof.reduce<Hex>((node, sibling) => hashPair(node, sibling), leafHash);
}

/** True when `proof` proves `leafHash` is in the tree with `root`. Malformed hex makes it false, never throws. */
export function verifyMerkleProof({ leafHash, proof, root }: { leafHash: Hex; proof: readonly Hex[]; root: Hex }) {
  if (!isBytes32(leafHash) || !isBytes32(root) || !proof.every(isBytes32)) return false;
  return processMerkleProof(leafHash, proof).toLowerCase() === root.toLowerCase();
}
