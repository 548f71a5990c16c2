import { expect, test } from "vitest";
import { chainTimeOf, checkpointOf } from "./checkpoint";

/** A checkpoint as Ponder encodes one (utils/checkpoint.ts `encodeCheckpoint`). */
const encode = (timestamp: number, chainId: number, block: number, tx = 3, type = 5, event = 7) =>
  `${String(timestamp).padStart(10, "0")}${String(chainId).padStart(16, "0")}${String(block).padStart(16, "0")}` +
  `${String(tx).padStart(16, "0")}${type}${String(event).padStart(16, "0")}`;

test("default: the timestamp, chain id and block number of a checkpoint", () => {
  expect(checkpointOf(encode(1_767_225_600, 8453, 1234))).toEqual({
    timestamp: 1_767_225_600n,
    chainId: 8453,
    blockNumber: 1234n,
  });
  expect(checkpointOf(encode(0, 10740, 0, 0, 0, 0))).toEqual({ timestamp: 0n, chainId: 10740, blockNumber: 0n });
  expect(checkpointOf(encode(9_999_999_999, 1, 9_007_199_254_740_991))).toMatchObject({
    blockNumber: 9_007_199_254_740_991n,
  });
});

test("args: not a checkpoint", () => {
  expect(() => checkpointOf("1767225600")).toThrowErrorMatchingInlineSnapshot(
    `[Error: Ponder checkpoint "1767225600" is not 75 digits.]`,
  );
  expect(() => checkpointOf(`${encode(1, 1, 1)}0`)).toThrow(/is not 75 digits/);
});

test("default: chain time is the latest head over the chains, 0 with none", () => {
  const head = (timestamp: bigint) => ({ name: "x", chainId: 1, blockNumber: 1n, timestamp });
  expect(chainTimeOf([head(5n), head(9n), head(7n)])).toBe(9n);
  expect(chainTimeOf([])).toBe(0n);
});
