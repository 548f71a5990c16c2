import { defineLeafEncoding } from "./defineLeafEncoding";

/**
 * Leaves of the first batch facilitator (to February 2026): `[inputHash, outputHash]`. They carry no TEE ID and no
 * timestamp, so they name no inference ID; they are found by their hashes.
 */
export const e1 = defineLeafEncoding({
  name: "e1",
  title: "E1",
  fields: ["inputHash", "outputHash"],
  types: ["bytes32", "bytes32"],
});

/** A leaf of encoding E1. */
export type E1Leaf = ReturnType<typeof e1.fromValues>;
