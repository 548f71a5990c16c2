import { calldataSettlementRelayAbi, type Leaf } from "@settlescan/abis";
import vectors from "@settlescan/abis/vectors.json";
import { encodeFunctionData, type Hex, keccak256 } from "viem";
import { describe, expect, test } from "vitest";
import { decodeBatchSettlement, decodeIndividualSettlement } from "./settlementCalldata";

const leaves: Leaf[] = vectors.receipts.map(({ leaf }) => ({
  ...(leaf as Omit<Leaf, "amount" | "timestamp">),
  amount: BigInt(leaf.amount),
  timestamp: BigInt(leaf.timestamp),
}));
const root = vectors.merkle.root as Hex;
const batchInput = (r: Hex, ls = leaves) =>
  encodeFunctionData({ abi: calldataSettlementRelayAbi, functionName: "settleBatch", args: [r, ls, "0x1234"] });

describe("decodeBatchSettlement", () => {
  test("default: leaves, proofs and root from calldata match the shared vectors", () => {
    const decoded = decodeBatchSettlement({ input: batchInput(root), merkleRoot: root, batchSize: 3n });
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.computedRoot).toBe(root);
    expect(decoded.leaves.map((l) => l.proof)).toEqual(vectors.merkle.proofs);
    expect(decoded.leaves.map((l) => l.leafHash)).toEqual(vectors.receipts.map((r) => r.leafHash));
    expect(decoded.leaves.every((l) => l.inclusion)).toBe(true);
  });

  test("behavior: a wrong emitted root fails inclusion for every leaf", () => {
    const wrong = keccak256(root);
    const decoded = decodeBatchSettlement({ input: batchInput(wrong), merkleRoot: wrong, batchSize: 3n });
    expect(decoded.ok && decoded.leaves.every((l) => !l.inclusion)).toBe(true);
  });

  test("behavior: a batch size that disagrees with calldata fails inclusion", () => {
    const decoded = decodeBatchSettlement({ input: batchInput(root), merkleRoot: root, batchSize: 4n });
    expect(decoded.ok && decoded.leaves.some((l) => l.inclusion)).toBe(false);
  });

  test("args: calldata that is not settleBatch", () => {
    expect(decodeBatchSettlement({ input: "0xdeadbeef", merkleRoot: root, batchSize: 3n })).toMatchInlineSnapshot(`
      {
        "ok": false,
        "reason": "The transaction is not a direct settleBatch call: its leaves cannot be read.",
      }
    `);
  });
});

describe("decodeIndividualSettlement", () => {
  const leaf = leaves[0]!;
  const payer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;
  const input = encodeFunctionData({
    abi: calldataSettlementRelayAbi,
    functionName: "settleIndividual",
    args: [leaf, payer, "0x12"],
  });
  const event = { ...leaf, ethAddress: payer };

  test("default: event fields equal the calldata leaf", () => {
    const decoded = decodeIndividualSettlement({ input, event });
    expect(decoded.ok && decoded.leaves[0]!.inclusion).toBe(true);
  });

  test("behavior: an event that differs from the leaf fails inclusion", () => {
    const decoded = decodeIndividualSettlement({ input, event: { ...event, timestamp: leaf.timestamp + 1n } });
    expect(decoded.ok && decoded.leaves[0]!.inclusion).toBe(false);
  });
});
