import { inferenceIdOf } from "../ids";
import { defineLeafEncoding } from "./defineLeafEncoding";

/**
 * Leaves since 2026-04-01: `[teeId, inputHash, outputHash, signature, timestamp]`, the signature as its raw bytes
 * (decoded from the gateway's base64) and the timestamp in seconds.
 */
export const e3 = defineLeafEncoding({
  name: "e3",
  title: "E3",
  fields: ["teeId", "inputHash", "outputHash", "signature", "timestamp"],
  types: ["bytes32", "bytes32", "bytes32", "bytes", "uint256"],
  inferenceIdOf: (leaf) => inferenceIdOf(leaf),
});

/** A leaf of encoding E3. */
export type E3Leaf = ReturnType<typeof e3.fromValues>;
