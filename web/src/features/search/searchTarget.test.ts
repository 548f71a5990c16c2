import { describe, expect, test } from "vitest";
import { pathOfHit, redirectOf, shapeOfQuery } from "./searchTarget";

const ID = `0x${"ab".repeat(32)}`;
const ADDRESS = `0x${"Cd".repeat(20)}`;

describe("shapeOfQuery", () => {
  test("default", () => {
    expect(shapeOfQuery(` ${ID.toUpperCase().replace("0X", "0x")} `)).toEqual({ kind: "bytes32", query: ID });
    expect(shapeOfQuery(ADDRESS)).toEqual({ kind: "address", query: ADDRESS.toLowerCase() });
  });
  test("behavior: a pasted id without 0x", () => {
    expect(shapeOfQuery("ab".repeat(32))).toEqual({ kind: "bytes32", query: ID });
  });
  test("args: invalid query", () => {
    expect(shapeOfQuery("0x12")).toMatchInlineSnapshot(`
      {
        "kind": "invalid",
        "message": ""0x12" is neither a 32-byte id or hash (0x and 64 hex digits) nor a 20-byte address (0x and 40 hex digits).",
        "query": "0x12",
      }
    `);
    expect(shapeOfQuery("  ").kind).toBe("invalid");
  });
});

describe("pathOfHit", () => {
  test("default", () => {
    expect(pathOfHit({ kind: "RECEIPT_ID", key: ID })).toBe(`/receipt/${ID}`);
    expect(pathOfHit({ kind: "PAYMENT_ID", key: ID })).toBe(`/payment/${ID}`);
    expect(pathOfHit({ kind: "PAYMENT_TX", key: ID })).toBe(`/tx/${ID}`);
    expect(pathOfHit({ kind: "SETTLEMENT_TX", key: ID })).toBe(`/tx/${ID}`);
    expect(pathOfHit({ kind: "MERKLE_ROOT", key: ID })).toBe(`/batch/${ID}`);
    expect(pathOfHit({ kind: "TEE_ID", key: ID })).toBe(`/tees#${ID}`);
    expect(pathOfHit({ kind: "FACILITATOR", key: ADDRESS })).toBe(`/address/${ADDRESS}?role=facilitator`);
  });
  test("behavior: an inference settled once opens its receipt; settled twice, a list", () => {
    expect(pathOfHit({ kind: "INFERENCE_ID", key: ID, receipts: [{ id: "0x1" }] })).toBe("/receipt/0x1");
    expect(pathOfHit({ kind: "INFERENCE_ID", key: ID, receipts: [{ id: "0x1" }, { id: "0x2" }] })).toBeNull();
  });
});

test("redirectOf: only a single hit redirects", () => {
  expect(redirectOf([{ kind: "RECEIPT_ID", key: ID }])).toBe(`/receipt/${ID}`);
  expect(redirectOf([])).toBeNull();
  expect(
    redirectOf([
      { kind: "PAYER", key: ADDRESS },
      { kind: "FACILITATOR", key: ADDRESS },
    ]),
  ).toBeNull();
});
