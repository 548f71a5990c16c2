import { type Hex, hexToBytes, stringToBytes } from "viem";
import { keccak256Of } from "../keccak";
import { defineLeafEncoding } from "./defineLeafEncoding";

/**
 * Leaves from 2026-02-20 to 2026-03-31: `[inputHash, outputHash, sigValue]`, where `sigValue` stands for the TEE
 * signature (see `e2SignatureValueOf`). No TEE ID and no timestamp, so no inference ID.
 */
export const e2 = defineLeafEncoding({
  name: "e2",
  title: "E2",
  fields: ["inputHash", "outputHash", "sigValue"],
  types: ["bytes32", "bytes32", "bytes32"],
});

/** A leaf of encoding E2. */
export type E2Leaf = ReturnType<typeof e2.fromValues>;

/**
 * The facilitator's `teeSignatureLeafValue`: the signature itself when it is 32-byte hex, keccak256 of its bytes when
 * it is other hex, else keccak256 of the string's UTF-8 (the usual case: a base64 signature). A missing `0x` is
 * added before the hex tests; the result is lowercase.
 * @example e2SignatureValueOf("q83vASNFZ4k=") // keccak256(utf8("q83vASNFZ4k="))
 */
export function e2SignatureValueOf(signature: string): Hex {
  const prefixed = signature.startsWith("0x") ? signature : `0x${signature}`;
  if (/^0x[0-9a-fA-F]{64}$/.test(prefixed)) return prefixed.toLowerCase() as Hex;
  // viem's keccak256(hex), which the facilitator calls, reads an odd number of digits with a leading zero.
  if (/^0x[0-9a-fA-F]+$/.test(prefixed)) return keccak256Of(hexToBytes(prefixed as Hex));
  return keccak256Of(stringToBytes(signature));
}
