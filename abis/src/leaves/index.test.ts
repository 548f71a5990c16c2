import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { encodeAbiParameters, type Hex, keccak256 } from "viem";
import { describe, expect, test } from "vitest";
import { inferenceIdOf } from "../ids";
import {
  type AnyLeafEncoding,
  e1,
  e2,
  e3,
  exact,
  inferenceIdOfSettledLeaf,
  LEAF_ENCODINGS,
  leafEncodingOf,
  leafEncodingOfLeaf,
  type SettledLeaf,
} from "./index";

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

/** Dump values of an era, random, with signatures of 1 to 300 bytes and uint256s from 0 to 2²⁵⁶ − 1. */
function randomValuesOf(types: readonly string[], seed: number): string[] {
  const random = randomOf(seed);
  return types.map((type) => {
    if (type === "bytes32") return random.hex(32);
    if (type === "bytes") return random.hex(1 + Math.floor(random.next() * 300));
    return BigInt(random.hex(1 + Math.floor(random.next() * 32))).toString();
  });
}

describe.each(LEAF_ENCODINGS.map((encoding) => [encoding.name, encoding as AnyLeafEncoding] as const))(
  "%s",
  (_, encoding) => {
    test("behavior: leaf hashes equal StandardMerkleTree's and viem's", () => {
      const values = Array.from({ length: 40 }, (_, i) => randomValuesOf(encoding.types, i));
      const tree = StandardMerkleTree.of(values, [...encoding.types]);
      for (const value of values) {
        const leafHash = encoding.leafHashOf(encoding.fromValues(value));
        expect(leafHash).toBe(tree.leafHash(value));
        expect(leafHash).toBe(
          keccak256(
            keccak256(
              encodeAbiParameters(
                encoding.types.map((type) => ({ type })),
                value.map((v, i) => (encoding.types[i] === "uint256" ? BigInt(v) : v)),
              ),
            ),
          ),
        );
      }
    });

    test("behavior: valuesOf gives back the dump's values", () => {
      for (let seed = 0; seed < 20; seed++) {
        const values = randomValuesOf(encoding.types, seed);
        expect(encoding.valuesOf(encoding.fromValues(values))).toEqual(values);
      }
    });

    test("behavior: leafEncodingOf picks it by its types", () => {
      expect(leafEncodingOf([...encoding.types])).toBe(encoding);
    });

    test("args: values of the wrong count", () => {
      expect(() => encoding.fromValues(randomValuesOf(encoding.types, 1).slice(1))).toThrow(
        `leaf is an array of ${encoding.types.length} values`,
      );
    });
  },
);

describe("fromValues", () => {
  const values = [`0x${"ab".repeat(32)}`, `0x${"CD".repeat(32)}`, `0x${"ef".repeat(32)}`, "0xd3", "1776000000"];

  test("default: fields by name, hex lowercased, uint256 as bigint", () => {
    expect(e3.fromValues(values)).toMatchInlineSnapshot(`
      {
        "encoding": "e3",
        "inputHash": "0xcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
        "outputHash": "0xefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefef",
        "signature": "0xd3",
        "teeId": "0xabababababababababababababababababababababababababababababababab",
        "timestamp": 1776000000n,
      }
    `);
  });

  test("behavior: a uint256 may be a decimal string, a 0x hex string or a safe integer", () => {
    for (const timestamp of ["1776000000", "0x69db9c00", 1776000000])
      expect(e3.fromValues([...values.slice(0, 4), timestamp]).timestamp).toBe(1776000000n);
  });

  test("args: not an array", () => {
    expect(() => e1.fromValues("0x12")).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: An E1 leaf is an array of 2 values (bytes32, bytes32); got "0x12".]`,
    );
  });

  test("args: a short bytes32", () => {
    expect(() => e3.fromValues(["0x12", ...values.slice(1)])).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: E3 leaf value 0 (teeId) "0x12" is not a bytes32 (0x followed by 64 hex digits).]`,
    );
  });

  test("args: bytes of an odd number of digits", () => {
    expect(() => e3.fromValues([...values.slice(0, 3), "0xd3f", values[4]])).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: E3 leaf value 3 (signature) "0xd3f" is not hex bytes (0x followed by an even number of hex digits).]`,
    );
  });

  test("args: a negative, fractional or too large uint256", () => {
    for (const timestamp of ["-1", 1.5, (1n << 256n).toString(), "", null])
      expect(() => e3.fromValues([...values.slice(0, 4), timestamp])).toThrow("E3 leaf value 4 (timestamp)");
    expect(() => e3.fromValues([...values.slice(0, 4), 1.5])).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: E3 leaf value 4 (timestamp) 1.5 is not a uint256 (a decimal string, a 0x hex string or a non-negative integer, below 2^256).]`,
    );
  });

  test("args: a long value is cut in the message", () => {
    expect(() => exact.fromValues([...values, `0x${"12".repeat(40)}`, "1"])).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Exact-link leaf value 5 (paymentId) "0x12121212121212121212121212121212121212121212121212121212121212121212121212…" is not a bytes32 (0x followed by 64 hex digits).]`,
    );
  });
});

describe("leafHashOf", () => {
  test("behavior: a leaf built by hand with a bad field falls back to viem, which refuses it", () => {
    const leaf = { encoding: "e1", inputHash: "0x12", outputHash: `0x${"00".repeat(32)}` } as const;
    expect(() => e1.leafHashOf(leaf)).toThrow("Size of bytes");
  });
});

describe("leafEncodingOf", () => {
  test("args: an unknown encoding", () => {
    expect(() => leafEncodingOf(["bytes32", "address"])).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Leaf encoding ["bytes32","address"] is not a known one (e1 [bytes32, bytes32]; e2 [bytes32, bytes32, bytes32]; e3 [bytes32, bytes32, bytes32, bytes, uint256]; exact [bytes32, bytes32, bytes32, bytes, uint256, bytes32, uint256]).]`,
    );
  });

  test("behavior: the same types in another order, or not an array, are unknown", () => {
    expect(() => leafEncodingOf(["bytes32", "bytes32", "bytes", "bytes32", "uint256"])).toThrow("is not a known one");
    expect(() => leafEncodingOf("bytes32,bytes32")).toThrow("is not a known one");
    expect(() => leafEncodingOf(undefined)).toThrow("Leaf encoding undefined is not a known one");
  });
});

describe("inference IDs", () => {
  const values = randomValuesOf(exact.types, 7);

  test("default: E3 and exact-link leaves name the inference ids.ts computes", () => {
    const e3Leaf = e3.fromValues(values.slice(0, 5));
    const exactLeaf = exact.fromValues(values);
    const expected = inferenceIdOf({
      teeId: values[0] as Hex,
      inputHash: values[1] as Hex,
      outputHash: values[2] as Hex,
      timestamp: BigInt(values[4] as string),
    });
    expect(e3.inferenceIdOf(e3Leaf)).toBe(expected);
    expect(exact.inferenceIdOf(exactLeaf)).toBe(expected);
    expect(inferenceIdOfSettledLeaf(exactLeaf)).toBe(expected);
  });

  test("behavior: E1 and E2 leaves name none", () => {
    const leaves: SettledLeaf[] = [e1.fromValues(values.slice(1, 3)), e2.fromValues(values.slice(0, 3))];
    for (const leaf of leaves) {
      expect(leafEncodingOfLeaf(leaf).inferenceIdOf).toBeUndefined();
      expect(inferenceIdOfSettledLeaf(leaf)).toBeNull();
    }
  });
});
