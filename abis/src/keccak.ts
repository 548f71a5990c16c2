import { createKeccak, type IHasher } from "hash-wasm";
import { type Hex, keccak256 } from "viem";

// hash-wasm's Keccak-256 (WebAssembly) gives the same digests as viem's JavaScript one, about ten times faster: the
// indexer hashes every settled leaf several times. Its module compiles asynchronously, so a hash taken before it is
// ready (the first moments after import), or where WebAssembly is not allowed, uses viem's.
let wasmKeccak: IHasher | undefined;

/** Resolves once hashes use the WebAssembly Keccak (true), or to false where it cannot load. */
export const fastKeccakReady: Promise<boolean> = createKeccak(256).then(
  (hasher) => {
    wasmKeccak = hasher;
    return true;
  },
  () => false,
);

/** keccak256 of `bytes`, as raw bytes. */
export function keccak256Bytes(bytes: Uint8Array): Uint8Array {
  if (!wasmKeccak) return keccak256(bytes, "bytes");
  wasmKeccak.init();
  wasmKeccak.update(bytes);
  return wasmKeccak.digest("binary");
}

/** keccak256 of `bytes`, as 0x-prefixed lowercase hex (what viem's `keccak256` returns). */
export function keccak256Of(bytes: Uint8Array): Hex {
  if (!wasmKeccak) return keccak256(bytes);
  wasmKeccak.init();
  wasmKeccak.update(bytes);
  return `0x${wasmKeccak.digest("hex")}`;
}

/** The value of each ASCII hex digit, -1 for any other character. */
const HEX_DIGITS = (() => {
  const digits = new Int8Array(128).fill(-1);
  for (let i = 0; i < 16; i++) {
    digits["0123456789abcdef".charCodeAt(i)] = i;
    digits["0123456789ABCDEF".charCodeAt(i)] = i;
  }
  return digits;
})();

/**
 * Writes the bytes of the 0x-prefixed hex string `hex` into `target` at `offset`. False, with `target` partly
 * written, unless `hex` is well-formed hex of exactly `size` bytes.
 */
export function writeHex(target: Uint8Array, offset: number, hex: string, size: number): boolean {
  if (hex.length !== 2 + 2 * size || !hex.startsWith("0x")) return false;
  for (let i = 0; i < size; i++) {
    const high = HEX_DIGITS[hex.charCodeAt(2 + 2 * i)] ?? -1;
    const low = HEX_DIGITS[hex.charCodeAt(3 + 2 * i)] ?? -1;
    if (high < 0 || low < 0) return false;
    target[offset + i] = (high << 4) | low;
  }
  return true;
}

const UINT256_LIMIT = 1n << 256n;

/** Writes `value` as a big-endian 32-byte word at `offset`; false unless 0 ≤ value < 2²⁵⁶. */
export function writeUint256(target: Uint8Array, offset: number, value: bigint): boolean {
  if (typeof value !== "bigint" || value < 0n || value >= UINT256_LIMIT) return false;
  return writeHex(target, offset, `0x${value.toString(16).padStart(64, "0")}`, 32);
}

/** One 32-byte ABI word: a bytes32, a uint256, or an address (left-padded). */
export type Word = { bytes32: string } | { uint256: bigint } | { address: string };

/**
 * The words laid end to end: `abi.encode` of static values, which `abi.encodePacked` equals when every value is a
 * full word. Null when a value is not a valid word of its type, so callers can fall back to viem's encoder (and
 * its errors).
 */
export function wordsOf(words: readonly Word[]): Uint8Array<ArrayBuffer> | null {
  const bytes = new Uint8Array(32 * words.length);
  for (const [i, word] of words.entries()) {
    const ok =
      "bytes32" in word
        ? writeHex(bytes, 32 * i, word.bytes32, 32)
        : "uint256" in word
          ? writeUint256(bytes, 32 * i, word.uint256)
          : writeHex(bytes, 32 * i + 12, word.address, 20);
    if (!ok) return null;
  }
  return bytes;
}
