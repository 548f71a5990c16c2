import { inferenceIdOf } from "../ids";
import { defineLeafEncoding } from "./defineLeafEncoding";

/**
 * The exact-link extension (ours, run by the devnet's exact-link facilitator): E3's five values, then the
 * `paymentId` that paid for the inference and the `amount` charged for it.
 */
export const exact = defineLeafEncoding({
  name: "exact",
  title: "Exact-link",
  fields: ["teeId", "inputHash", "outputHash", "signature", "timestamp", "paymentId", "amount"],
  types: ["bytes32", "bytes32", "bytes32", "bytes", "uint256", "bytes32", "uint256"],
  inferenceIdOf: (leaf) => inferenceIdOf(leaf),
});

/** A leaf of the exact-link encoding. */
export type ExactLeaf = ReturnType<typeof exact.fromValues>;
