import { bytesToHex, encodeAbiParameters, encodePacked, getAddress, type Hex, keccak256 } from "viem";
import { beforeAll, describe, expect, test } from "vitest";
import { inferenceIdOf, paymentIdOf, receiptIdOf } from "./ids";
import { fastKeccakReady, keccak256Bytes, keccak256Of, wordsOf } from "./keccak";
import { LEAF_TYPES, type Leaf, leafHashOf, leafValuesOf } from "./leaf";
import { hashPair } from "./merkle";
import { teeIdOf, teeMessageOf } from "./tee";

/** A deterministic byte stream (xorshift), so failures reproduce. */
function bytesOf(seed: number, length: number) {
  let x = seed * 2654435761 + 1;
  return Uint8Array.from({ length }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}
const hexOf = (seed: number, length: number) => bytesToHex(bytesOf(seed, length));
const mixedCase = (hex: Hex) => `0x${[...hex.slice(2)].map((c, i) => (i % 3 ? c : c.toUpperCase())).join("")}` as Hex;
const uint = (seed: number) => BigInt(hexOf(seed, 1 + (seed % 32)));

beforeAll(async () => {
  expect(await fastKeccakReady).toBe(true);
});

describe("WebAssembly Keccak equals viem's", () => {
  test.each([0, 1, 31, 32, 33, 64, 135, 136, 137, 300, 1000])("default: %i bytes", (length) => {
    const bytes = bytesOf(length, length);
    expect(keccak256Of(bytes)).toBe(keccak256(bytes));
    expect(keccak256Bytes(bytes)).toEqual(keccak256(bytes, "bytes"));
  });
});

describe("direct encodings equal viem's encoders", () => {
  const leaves: Leaf[] = Array.from({ length: 200 }, (_, i) => ({
    paymentId: hexOf(i, 32),
    amount: uint(i + 1000),
    teeId: i % 2 ? mixedCase(hexOf(i + 1, 32)) : hexOf(i + 1, 32),
    inputHash: hexOf(i + 2, 32),
    outputHash: hexOf(i + 3, 32),
    signature: hexOf(i + 4, i % 97),
    timestamp: uint(i + 2000),
  }));

  test("behavior: leafHashOf for signatures of 0–96 bytes and mixed-case hex", () => {
    for (const leaf of leaves) {
      const encoded = encodeAbiParameters(
        LEAF_TYPES.map((type) => ({ type })),
        leafValuesOf(leaf),
      );
      expect(leafHashOf(leaf)).toBe(keccak256(keccak256(encoded)));
    }
  });

  test("behavior: IDs, TEE message and TEE id", () => {
    for (const [i, leaf] of leaves.entries()) {
      const payer = getAddress(hexOf(i + 5, 20));
      const payment = { chainId: 8453 + i, token: hexOf(i + 6, 20), payer, nonce: leaf.paymentId };
      expect(paymentIdOf(payment)).toBe(
        keccak256(
          encodeAbiParameters(
            [{ type: "uint256" }, { type: "address" }, { type: "address" }, { type: "bytes32" }],
            [BigInt(payment.chainId), payment.token, payment.payer, payment.nonce],
          ),
        ),
      );
      const inferenceId = inferenceIdOf(leaf);
      expect(inferenceId).toBe(
        keccak256(
          encodePacked(
            ["bytes32", "bytes32", "bytes32", "uint256"],
            [leaf.teeId, leaf.inputHash, leaf.outputHash, leaf.timestamp],
          ),
        ),
      );
      expect(receiptIdOf({ paymentId: leaf.paymentId, inferenceId })).toBe(
        keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }], [leaf.paymentId, inferenceId])),
      );
      expect(teeMessageOf(leaf)).toBe(
        keccak256(encodePacked(["bytes32", "bytes32", "uint256"], [leaf.inputHash, leaf.outputHash, leaf.timestamp])),
      );
      expect(teeIdOf(leaf.signature)).toBe(keccak256(leaf.signature));
    }
  });

  test("behavior: hashPair of mixed-case nodes", () => {
    const [a, b] = [mixedCase(hexOf(7, 32)), hexOf(8, 32)];
    const [first, second] = BigInt(a) <= BigInt(b) ? [a, b] : [b, a];
    expect(hashPair(a, b)).toBe(keccak256(`${first}${second.slice(2)}` as Hex));
    expect(hashPair(b, a)).toBe(hashPair(a, b));
  });

  test("args: values that are not words of their type are left to viem, which rejects them as before", () => {
    expect(wordsOf([{ uint256: -1n }])).toBeNull();
    expect(wordsOf([{ uint256: 1n << 256n }])).toBeNull();
    expect(wordsOf([{ bytes32: "0x12" }])).toBeNull();
    expect(wordsOf([{ bytes32: `0x${"zz".repeat(32)}` }])).toBeNull();
    expect(wordsOf([{ address: `0X${"11".repeat(20)}` }])).toBeNull();
    expect(() => leafHashOf({ ...leaves[0]!, amount: -1n })).toThrow(/-1/);
    expect(() => leafHashOf({ ...leaves[0]!, inputHash: "0x1234" })).toThrow();
    expect(() => inferenceIdOf({ ...leaves[0]!, timestamp: 1n << 256n })).toThrow();
  });
});
