import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Hex, keccak256, stringToHex } from "viem";
import { describe, expect, test } from "vitest";
import { BlobFormatError } from "./errors";
import { e1, e3, exact, LEAF_ENCODINGS } from "./leaves";
import { parseTreeDump, treeDumpOf } from "./treeDump";

/** A seeded generator, so a failing case can be rerun. */
function randomOf(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const hex = (size: number) =>
    `0x${Array.from({ length: size }, () =>
      Math.floor(next() * 256)
        .toString(16)
        .padStart(2, "0"),
    ).join("")}`;
  return { next, hex };
}

/** `count` leaves' dump values of an era: random hashes, signatures of 1 to 300 bytes, uint256s up to 2²⁵⁶ − 1. */
function randomValuesOf(types: readonly string[], count: number, seed: number): string[][] {
  const random = randomOf(seed);
  return Array.from({ length: count }, () =>
    types.map((type) => {
      if (type === "bytes32") return random.hex(32);
      if (type === "bytes") return random.hex(random.next() < 0.5 ? 256 : 1 + Math.floor(random.next() * 300));
      return BigInt(random.hex(1 + Math.floor(random.next() * 32))).toString();
    }),
  );
}

/** An E3 leaf's values as the facilitator writes them (a 256-byte signature, a seconds timestamp). */
function e3ValuesOf(count: number, seed = 1): string[][] {
  const random = randomOf(seed);
  return Array.from({ length: count }, (_, i) => [
    random.hex(32),
    random.hex(32),
    random.hex(32),
    random.hex(256),
    String(1_776_000_000 + i),
  ]);
}

const ozDumpOf = (values: string[][], types: readonly string[]) => StandardMerkleTree.of(values, [...types]).dump();

/** The error a blob gets, for inline snapshots. */
function refusalOf(blob: unknown): unknown {
  try {
    parseTreeDump(typeof blob === "string" ? blob : JSON.stringify(blob));
  } catch (error) {
    expect(error).toBeInstanceOf(BlobFormatError);
    return error;
  }
  throw new Error("The blob was accepted.");
}

describe.each(LEAF_ENCODINGS.map((encoding) => [encoding.name, encoding] as const))("%s", (_, encoding) => {
  test("behavior: treeDumpOf gives StandardMerkleTree's dump, for 1 to 70 random leaves", () => {
    for (let count = 1; count <= 70; count++) {
      const values = randomValuesOf(encoding.types, count, count);
      const ours = treeDumpOf(
        values.map((value) => encoding.fromValues(value)),
        encoding,
      );
      const theirs = StandardMerkleTree.of(values, [...encoding.types]).dump();
      expect(ours).toEqual(theirs);
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    }
  });

  test("behavior: parseTreeDump of StandardMerkleTree's blob gives its root, leaf hashes and proofs", () => {
    for (let count = 1; count <= 70; count++) {
      const values = randomValuesOf(encoding.types, count, 1000 + count);
      const tree = StandardMerkleTree.of(values, [...encoding.types]);
      const parsed = parseTreeDump(JSON.stringify(tree.dump()));
      expect(parsed.root).toBe(tree.root);
      expect(parsed.encoding).toBe(encoding);
      expect(parsed.leaves).toHaveLength(count);
      for (const [i, value] of values.entries()) {
        const leaf = parsed.leaves[i]!;
        expect(leaf.index).toBe(i);
        expect(leaf.treeIndex).toBe(tree.dump().values[i]!.treeIndex);
        expect(leaf.leaf).toEqual(encoding.fromValues(value));
        expect(leaf.leafHash).toBe(tree.leafHash(value));
        expect(leaf.proof).toEqual(tree.getProof(i));
      }
    }
  });
});

describe("parseTreeDump", () => {
  test("default: an E3 blob as the facilitator uploads it", () => {
    const values = e3ValuesOf(20);
    const tree = StandardMerkleTree.of(values, [...e3.types]);
    const parsed = parseTreeDump(new TextEncoder().encode(JSON.stringify(tree.dump())));
    expect(parsed.root).toBe(tree.root);
    expect(parsed.leaves[3]!.leaf).toEqual({
      encoding: "e3",
      teeId: values[3]![0],
      inputHash: values[3]![1],
      outputHash: values[3]![2],
      signature: values[3]![3],
      timestamp: 1_776_000_003n,
    });
    for (const { index, proof } of parsed.leaves)
      expect(StandardMerkleTree.verify(tree.root, [...e3.types], values[index]!, proof)).toBe(true);
  });

  test("behavior: the placeholder signature (0xd3, base64 of the text 0x) parses", () => {
    const values = e3ValuesOf(3);
    values[1]![3] = "0xd3";
    const tree = StandardMerkleTree.of(values, [...e3.types]);
    const parsed = parseTreeDump(JSON.stringify(tree.dump()));
    expect(parsed.root).toBe(tree.root);
    expect(parsed.leaves[1]!.leaf).toMatchObject({ signature: "0xd3" });
    expect(parsed.leaves[1]!.proof).toEqual(tree.getProof(1));
  });

  test("behavior: uppercase hex (the facilitator does not lowercase) parses to lowercase leaves", () => {
    const values = e3ValuesOf(2);
    values[0]![0] = values[0]![0]!.toUpperCase().replace("0X", "0x");
    const tree = StandardMerkleTree.of(values, [...e3.types]);
    const parsed = parseTreeDump(JSON.stringify(tree.dump()));
    expect(parsed.root).toBe(tree.root);
    expect(parsed.leaves[0]!.leaf).toMatchObject({ teeId: values[0]![0]!.toLowerCase() });
  });

  test("behavior: the same leaf twice, and extra fields in values (the OG frontend's hash), are fine", () => {
    const [value] = e3ValuesOf(1);
    const dump = ozDumpOf([value!, value!, ...e3ValuesOf(3, 9)], e3.types);
    const withHashes = { ...dump, values: dump.values.map((v) => ({ ...v, hash: dump.tree[v.treeIndex] })) };
    const parsed = parseTreeDump(JSON.stringify(withHashes));
    expect(parsed.leaves[0]!.leafHash).toBe(parsed.leaves[1]!.leafHash);
    expect(parsed.leaves[0]!.treeIndex).not.toBe(parsed.leaves[1]!.treeIndex);
  });

  test("behavior: exact-link and E1 blobs", () => {
    for (const encoding of [exact, e1]) {
      const values = randomValuesOf(encoding.types, 5, 3);
      expect(parseTreeDump(JSON.stringify(ozDumpOf(values, encoding.types))).root).toBe(
        StandardMerkleTree.of(values, [...encoding.types]).root,
      );
    }
  });

  test("behavior: parsing a 100-leaf E3 blob 50 times (timing, printed)", () => {
    const blob = JSON.stringify(ozDumpOf(e3ValuesOf(100), e3.types));
    const start = performance.now();
    for (let i = 0; i < 50; i++) parseTreeDump(blob);
    const ms = performance.now() - start;
    console.log(`parseTreeDump: 100-leaf E3 blob × 50 in ${ms.toFixed(1)} ms (${(ms / 50).toFixed(2)} ms each)`);
  });
});

describe("parseTreeDump refuses", () => {
  const dump = ozDumpOf(e3ValuesOf(5), e3.types);
  const blob = JSON.stringify(dump);
  const otherHash = keccak256(stringToHex("other")) as Hex;

  test("args: not JSON", () => {
    expect(refusalOf("<html>Blob not found</html>")).toMatchInlineSnapshot(
      `[BlobFormatError: Blob is not JSON (27 characters, starting "<html>Blob not found</html>").]`,
    );
  });

  test("args: a truncated blob", () => {
    expect(refusalOf(blob.slice(0, 500))).toMatchInlineSnapshot(
      `[BlobFormatError: Blob is not JSON (500 characters, starting "{\\"format\\":\\"standard-v1\\",\\"leafEncoding\\":[…").]`,
    );
  });

  test("args: not UTF-8", () => {
    expect(() => parseTreeDump(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrowErrorMatchingInlineSnapshot(
      `[BlobFormatError: Blob is not UTF-8 text (3 bytes).]`,
    );
  });

  test("args: JSON that is not an object", () => {
    expect(refusalOf([dump])).toMatchInlineSnapshot(`[BlobFormatError: Blob is not a JSON object; got an array.]`);
  });

  test("args: a wrong format", () => {
    expect(refusalOf({ ...dump, format: "simple-v1" })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob format "simple-v1" is not "standard-v1".]`,
    );
    expect(refusalOf({ ...dump, format: undefined })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob format undefined is not "standard-v1".]`,
    );
  });

  test("args: an unknown leafEncoding", () => {
    expect(refusalOf({ ...dump, leafEncoding: ["bytes32", "uint256"] })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob leafEncoding ["bytes32","uint256"] is not a known one (e1 [bytes32, bytes32]; e2 [bytes32, bytes32, bytes32]; e3 [bytes32, bytes32, bytes32, bytes, uint256]; exact [bytes32, bytes32, bytes32, bytes, uint256, bytes32, uint256]).]`,
    );
  });

  test("args: a tree node that is not bytes32", () => {
    expect(
      refusalOf({ ...dump, tree: dump.tree.map((node, i) => (i === 4 ? node.slice(0, 40) : node)) }),
    ).toMatchInlineSnapshot(
      `[BlobFormatError: Blob tree[4] "0xb7a1c4e389413015088c3e9fc7d47372df1288" is not a bytes32 (0x followed by 64 hex digits).]`,
    );
    expect(refusalOf({ ...dump, tree: [] })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob tree is not a non-empty array; got [].]`,
    );
  });

  test("args: a tree of an even number of nodes", () => {
    expect(refusalOf({ ...dump, tree: [...dump.tree, otherHash] })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob tree has 10 nodes; a StandardMerkleTree has an odd number (2n − 1 for n leaves).]`,
    );
  });

  test("args: empty values", () => {
    expect(refusalOf({ ...dump, values: [] })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob values is not a non-empty array; got [].]`,
    );
  });

  test("args: fewer values than leaves", () => {
    expect(refusalOf({ ...dump, values: dump.values.slice(1) })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob has 4 values for the 5 leaves of its tree (9 nodes).]`,
    );
  });

  test("args: a value entry that is not { value, treeIndex }", () => {
    expect(refusalOf({ ...dump, values: dump.values.map((v, i) => (i === 2 ? v.value : v)) })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob value 2 is not an object { value: [...], treeIndex }; got ["0x253c9c5b0cef0b16da2e22bd95be39ae58f4c23d415545a90041fe6f4dacbe4d","0xb3fd…].]`,
    );
  });

  test("args: a treeIndex out of the leaf range", () => {
    const values = dump.values.map((v, i) => (i === 3 ? { ...v, treeIndex: 1 } : v));
    expect(refusalOf({ ...dump, values })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob value 3 treeIndex 1 is not a leaf slot of its tree (tree[4] to tree[8]).]`,
    );
    const beyond = dump.values.map((v, i) => (i === 3 ? { ...v, treeIndex: dump.tree.length } : v));
    expect(refusalOf({ ...dump, values: beyond })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob value 3 treeIndex 9 is not a leaf slot of its tree (tree[4] to tree[8]).]`,
    );
  });

  test("args: a treeIndex given twice", () => {
    const values = dump.values.map((v, i) => (i === 3 ? { ...v, treeIndex: dump.values[1]!.treeIndex } : v));
    expect(refusalOf({ ...dump, values })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob value 3 treeIndex 5 is also value 1's.]`,
    );
  });

  test("args: a value that is not a leaf of the encoding", () => {
    const values = dump.values.map((v, i) => (i === 2 ? { ...v, value: [...v.value.slice(0, 4), "-5"] } : v));
    expect(refusalOf({ ...dump, values })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob value 2: E3 leaf value 4 (timestamp) "-5" is not a uint256 (a decimal string, a 0x hex string or a non-negative integer, below 2^256).]`,
    );
  });

  test("args: a value that does not hash to its tree slot", () => {
    const values = dump.values.map((v, i) => (i === 3 ? { ...v, value: [...v.value.slice(0, 4), "1776000099"] } : v));
    expect(refusalOf({ ...dump, values })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob value 3 does not hash to tree[8]: its leaf hash is 0xd758f2299a07c9a1914d16f558d8ed059cc1eeaea346f2f5e4e0a6941d604bce, tree[8] is 0x29f3bc1530988d433beede62b8bdef3968f199a60b06b9116a51db04c911a226.]`,
    );
  });

  test("args: a forged root (an internal node that does not match its children)", () => {
    expect(refusalOf({ ...dump, tree: [otherHash, ...dump.tree.slice(1)] })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob tree[0] is not the hash of its children tree[1] and tree[2]: expected 0xea2225b0f264272d5c11d3acea8dde68e335ece8a73bd674452fe4a88d903dde, got 0x26b60b6bee32c2d284da42d089b795640a977077a3c25b246fe0448f42ce4ec0.]`,
    );
  });

  test("args: a swapped leaf with its value (the parent node no longer matches)", () => {
    const forged = [...e3ValuesOf(1, 77)[0]!];
    const treeIndex = dump.values[0]!.treeIndex;
    const tree = dump.tree.map((node, i) =>
      i === treeIndex ? StandardMerkleTree.of([forged], [...e3.types]).root : node,
    );
    const values = dump.values.map((v, i) => (i === 0 ? { ...v, value: forged } : v));
    expect(refusalOf({ ...dump, tree, values })).toMatchInlineSnapshot(
      `[BlobFormatError: Blob tree[2] is not the hash of its children tree[5] and tree[6]: expected 0x8a5cdc23e46d63613befd72bba1daaf961a0f917d54b9a1eafa996ea8d5e7e56, got 0xbf11413d06da08956bd8b1387a6af36afb892caba0e98338273ae3f17cc4c022.]`,
    );
  });
});

describe("treeDumpOf", () => {
  test("args: leaves of another encoding", () => {
    const leaf = e1.fromValues(randomValuesOf(e1.types, 1, 1)[0]);
    // @ts-expect-error an E1 leaf in an E3 tree
    expect(() => treeDumpOf([leaf], e3)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Leaf 0 is of encoding "e1", not "e3" like the tree.]`,
    );
  });

  test("args: no leaves", () => {
    expect(() => treeDumpOf([], e3)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: A Merkle tree needs at least one leaf; got none.]`,
    );
  });
});
