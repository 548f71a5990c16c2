import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Hex, keccak256, stringToHex } from "viem";
import { describe, expect, test } from "vitest";
import { LEAF_TYPES, type Leaf, leafHashOf, leafValuesOf } from "./leaf";
import { merkleTreeOf, verifyMerkleProof } from "./merkle";
import vectors from "./vectors.json";

const vectorLeaves: Leaf[] = vectors.receipts.map(({ leaf }) => ({
  ...(leaf as Omit<Leaf, "amount" | "timestamp">),
  amount: BigInt(leaf.amount),
  timestamp: BigInt(leaf.timestamp),
}));

/** Leaves with varied fields, so sorting and odd sizes are exercised. */
function leavesOf(count: number): Leaf[] {
  return Array.from({ length: count }, (_, i) => ({
    paymentId: keccak256(stringToHex(`payment ${i}`)),
    amount: BigInt(i * 7919 + 1),
    teeId: keccak256(stringToHex(`tee ${i % 3}`)),
    inputHash: keccak256(stringToHex(`in ${i}`)),
    outputHash: keccak256(stringToHex(`out ${i}`)),
    signature: stringToHex(`signature bytes of varying length ${"x".repeat(i % 5)}`),
    timestamp: 1_700_000_000n + BigInt(i),
  }));
}

const ozTreeOf = (leaves: Leaf[]) =>
  StandardMerkleTree.of(
    leaves.map((l) => [...leafValuesOf(l)]),
    [...LEAF_TYPES],
  );

describe("parity with @openzeppelin/merkle-tree", () => {
  test.each([1, 2, 3, 4, 5, 8, 13, 100])("behavior: %i leaves give the same leaf hashes, root and proofs", (count) => {
    const leaves = leavesOf(count);
    const ours = merkleTreeOf(leaves);
    const theirs = ozTreeOf(leaves);
    expect(ours.root).toBe(theirs.root);
    leaves.forEach((leaf, i) => {
      expect(leafHashOf(leaf)).toBe(theirs.leafHash([...leafValuesOf(leaf)]));
      expect(ours.proofs[i]).toEqual(theirs.getProof(i));
    });
  });

  test("default: the shared vectors' root and proofs", () => {
    const tree = merkleTreeOf(vectorLeaves);
    expect(tree.root).toBe(vectors.merkle.root);
    expect(tree.proofs).toEqual(vectors.merkle.proofs);
    for (const [i, leaf] of vectorLeaves.entries()) expect(leafHashOf(leaf)).toBe(vectors.receipts[i]!.leafHash);
  });
});

describe("verifyMerkleProof", () => {
  const leaves = leavesOf(7);
  const tree = merkleTreeOf(leaves);

  test("default: every leaf's proof verifies", () => {
    leaves.forEach((leaf, i) => {
      expect(verifyMerkleProof({ leafHash: leafHashOf(leaf), proof: tree.proofs[i]!, root: tree.root })).toBe(true);
    });
  });

  test("behavior: a leaf with a changed amount does not verify", () => {
    const tampered = { ...leaves[2]!, amount: leaves[2]!.amount + 1n };
    expect(verifyMerkleProof({ leafHash: leafHashOf(tampered), proof: tree.proofs[2]!, root: tree.root })).toBe(false);
  });

  test("behavior: a proof with a flipped sibling does not verify", () => {
    const proof = [...tree.proofs[0]!];
    proof[0] = `0x${proof[0]!.slice(2, 65)}${proof[0]!.endsWith("0") ? "1" : "0"}` as Hex;
    expect(verifyMerkleProof({ leafHash: leafHashOf(leaves[0]!), proof, root: tree.root })).toBe(false);
  });

  test("args: malformed hex is false, not an exception", () => {
    expect(verifyMerkleProof({ leafHash: "0x12", proof: [], root: tree.root })).toBe(false);
    expect(verifyMerkleProof({ leafHash: leafHashOf(leaves[0]!), proof: ["0xzz" as Hex], root: tree.root })).toBe(
      false,
    );
  });

  test("args: an empty tree is refused", () => {
    expect(() => merkleTreeOf([])).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: A Merkle tree needs at least one leaf; got none.]`,
    );
  });
});
