import { expect, test } from "vitest";
import { leafTypesOf } from "./leafEncoding";

test("default: each encoding's Solidity types, in value order", () => {
  expect(leafTypesOf("e1")).toEqual(["bytes32", "bytes32"]);
  expect(leafTypesOf("e2")).toEqual(["bytes32", "bytes32", "bytes32"]);
  expect(leafTypesOf("e3")).toEqual(["bytes32", "bytes32", "bytes32", "bytes", "uint256"]);
  expect(leafTypesOf("exact")).toEqual(["bytes32", "bytes32", "bytes32", "bytes", "uint256", "bytes32", "uint256"]);
});

test("behavior: null while the encoding is unknown (a batch whose blob is not read)", () => {
  expect(leafTypesOf(null)).toBeNull();
});

test("behavior: a fresh list each time, so a caller cannot change the encoding's own", () => {
  const types = leafTypesOf("e1")!;
  types.push("uint256");
  expect(leafTypesOf("e1")).toEqual(["bytes32", "bytes32"]);
});

test("args: an encoding the API does not know", () => {
  expect(() => leafTypesOf("e9")).toThrowErrorMatchingInlineSnapshot(
    `[Error: Leaf encoding "e9" is not one of e1, e2, e3, exact.]`,
  );
});
