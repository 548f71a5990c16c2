import { describe, expect, test } from "vitest";
import { pathOfHit, redirectOf, shapeOfQuery } from "./searchTarget";

const ID = `0x${"ab".repeat(32)}`;
const OTHER = `0x${"cd".repeat(32)}`;
const ADDRESS = `0x${"Cd".repeat(20)}`;
const BLOB_ID = "orGaXuTN-hxHTViVALqcbFN8Cv6fxjaC3OUqg1ZjvZY";

describe("shapeOfQuery", () => {
  test("default", () => {
    expect(shapeOfQuery(` ${ID.toUpperCase().replace("0X", "0x")} `)).toEqual({ kind: "bytes32", query: ID });
    expect(shapeOfQuery(ADDRESS)).toEqual({ kind: "address", query: ADDRESS.toLowerCase() });
    expect(shapeOfQuery(` ${BLOB_ID}\n`)).toEqual({ kind: "blobId", query: BLOB_ID });
  });
  test("behavior: a pasted id without 0x", () => {
    expect(shapeOfQuery("ab".repeat(32))).toEqual({ kind: "bytes32", query: ID });
  });
  test("behavior: a pasted response body, JSON or SSE, is kept whole with its lines", () => {
    const json = '{\n  "tee_id": "0xab",\n  "tee_signature": "q83v"\n}';
    expect(shapeOfQuery(`\n${json}\n`)).toEqual({ kind: "response", query: json });
    const sse = 'data: {"choices":[]}\n\ndata: {"tee_id":"0xab"}\n\ndata: [DONE]';
    expect(shapeOfQuery(sse)).toEqual({ kind: "response", query: sse });
  });
  test("args: invalid query", () => {
    expect(shapeOfQuery("0x12")).toMatchInlineSnapshot(`
      {
        "kind": "invalid",
        "message": ""0x12" is neither a 32-byte id or hash (0x and 64 hex digits), a 20-byte address (0x and 40 hex digits), a Walrus blob id (43 characters), nor a TEE gateway response body (JSON or an SSE stream).",
        "query": "0x12",
      }
    `);
    expect(shapeOfQuery("  ").kind).toBe("invalid");
  });
});

describe("pathOfHit", () => {
  test("default", () => {
    expect(pathOfHit({ kind: "INFERENCE", key: ID })).toBe(`/inference/${ID}`);
    expect(pathOfHit({ kind: "RECEIPT_ID", key: ID })).toBe(`/receipt/${ID}`);
    expect(pathOfHit({ kind: "PAYMENT_ID", key: ID })).toBe(`/payment/${ID}`);
    expect(pathOfHit({ kind: "PAYMENT_TX", key: ID })).toBe(`/tx/${ID}`);
    expect(pathOfHit({ kind: "SETTLEMENT_TX", key: ID })).toBe(`/tx/${ID}`);
    expect(pathOfHit({ kind: "MERKLE_ROOT", key: ID })).toBe(`/batch/${ID}`);
    expect(pathOfHit({ kind: "TEE_ID", key: ID })).toBe(`/tees#${ID}`);
    expect(pathOfHit({ kind: "FACILITATOR", key: ADDRESS })).toBe(`/address/${ADDRESS}?role=facilitator`);
    expect(pathOfHit({ kind: "BLOB_ID", key: BLOB_ID, settlement: { txHash: OTHER } })).toBe(`/tx/${OTHER}`);
    expect(pathOfHit({ kind: "RELAY", key: ADDRESS })).toBeNull();
  });
  test("behavior: an inference id cited by receipts opens the inference", () => {
    expect(pathOfHit({ kind: "INFERENCE_ID", key: ID })).toBe(`/inference/${ID}`);
  });
  test("behavior: an input or output hash opens its one inference; legacy or several leaves are a list", () => {
    expect(pathOfHit({ kind: "INPUT_HASH", key: OTHER, leaves: [{ inferenceId: ID }, { inferenceId: ID }] })).toBe(
      `/inference/${ID}`,
    );
    expect(pathOfHit({ kind: "OUTPUT_HASH", key: OTHER, leaves: [{ inferenceId: null }] })).toBeNull();
    expect(
      pathOfHit({ kind: "INPUT_HASH", key: OTHER, leaves: [{ inferenceId: ID }, { inferenceId: null }] }),
    ).toBeNull();
  });
});

test("redirectOf: only hits that all lead to one page redirect", () => {
  expect(redirectOf([{ kind: "RECEIPT_ID", key: ID }])).toBe(`/receipt/${ID}`);
  expect(
    redirectOf([
      { kind: "INFERENCE", key: ID },
      { kind: "INFERENCE_ID", key: ID },
    ]),
  ).toBe(`/inference/${ID}`);
  expect(redirectOf([])).toBeNull();
  expect(redirectOf([{ kind: "RELAY", key: ADDRESS }])).toBeNull();
  expect(
    redirectOf([
      { kind: "PAYER", key: ADDRESS },
      { kind: "FACILITATOR", key: ADDRESS },
    ]),
  ).toBeNull();
});
