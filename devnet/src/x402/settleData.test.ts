import { describe, expect, test } from "vitest";
import {
  type BatchSettlementData,
  compactPythonJsonOf,
  type IndividualSettlementData,
  type SettleDataPost,
  settleDataHeadersOf,
  settleDataRequestOf,
} from "./settleData";

const TEE_ID = `0x${"ab".repeat(32)}` as const;
const INPUT = "11".repeat(32);
const OUTPUT = "22".repeat(32);
/** Standard base64 of the bytes 0x01 0x02 0x03 0xfb 0xff. */
const SIGNATURE_BASE64 = "AQID+/8=";

const batchData: BatchSettlementData = {
  tee_id: TEE_ID,
  input_hash: INPUT,
  output_hash: OUTPUT,
  tee_signature: SIGNATURE_BASE64,
  tee_timestamp: 1_776_000_000,
  timestamp: 1_776_000_000,
};

/** Reads request headers as the facilitator receives them (names are case-blind). */
function parse(headers: Record<string, string>) {
  const received = new Headers(headers);
  return settleDataRequestOf((name) => received.get(name) ?? undefined);
}

/** Parses what `settleDataHeadersOf(post)` sends. */
const roundTrip = (post: SettleDataPost) => parse(settleDataHeadersOf(post));

const individualData: IndividualSettlementData = {
  ...batchData,
  input: { model: "m", messages: [] },
  output: { id: "x", tee_id: TEE_ID },
  timestamp: "1776000001",
  eth_address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
};

describe("compactPythonJsonOf", () => {
  test("default: Python's json.dumps(separators=(',', ':')) — compact, non-ASCII escaped", () => {
    expect(compactPythonJsonOf({ b: "é", a: ["😀", 1, null] })).toBe('{"b":"\\u00e9","a":["\\ud83d\\ude00",1,null]}');
  });
});

describe("settleDataRequestOf", () => {
  test("default: a batch item as og-x402 sends it (hashes without 0x, base64 signature)", () => {
    expect(roundTrip({ type: "batch", data: batchData })).toEqual({
      type: "batch",
      proof: {
        teeId: TEE_ID,
        inputHash: `0x${INPUT}`,
        outputHash: `0x${OUTPUT}`,
        signature: "0x010203fbff",
        teeSignature: SIGNATURE_BASE64,
        timestamp: 1_776_000_000n,
      },
    });
  });

  test("behavior: an individual item adds the exchange and the payer; timestamp is the decimal string", () => {
    const data = individualData;
    expect(roundTrip({ type: "individual", data, fault: "duplicate" })).toMatchObject({
      type: "individual",
      fault: "duplicate",
      proof: {
        timestamp: 1_776_000_001n,
        input: data.input,
        output: data.output,
        ethAddress: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      },
    });
  });

  test("behavior: private needs no data; the type is read as the facilitator reads it", () => {
    expect(roundTrip({ type: "private" })).toEqual({ type: "private" });
    expect(parse({ "x-settlement-type": " Pivate " })).toEqual({ type: "private" });
    const headers = {
      ...settleDataHeadersOf({ type: "individual", data: individualData }),
      "x-settlement-type": "Inidvidual",
    };
    expect(parse(headers).type).toBe("individual");
  });

  test("behavior: the exact-link payment rides in x-settlement-payment", () => {
    const payment = { paymentId: `0x${"cd".repeat(32)}` as const, amount: 1_500n };
    expect(roundTrip({ type: "batch", data: batchData, payment })).toMatchObject({ payment });
  });

  test('behavior: a missing signature\'s placeholder "0x" decodes as Node does, to 0xd3', () => {
    expect(roundTrip({ type: "batch", data: { ...batchData, tee_signature: "0x" } })).toMatchObject({
      proof: { signature: "0xd3" },
    });
  });

  test("args: bad headers are refused, quoting the value", () => {
    const data = settleDataHeadersOf({ type: "batch", data: batchData })["x-settlement-data"] as string;
    expect(() => parse({})).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Missing x-settlement-type header.]`,
    );
    expect(() => parse({ "x-settlement-type": "public" })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Settlement type "public" is not one of private, batch, individual.]`,
    );
    expect(() => parse({ "x-settlement-type": "batch" })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Missing x-settlement-data header for settlement type "batch".]`,
    );
    expect(() =>
      parse({ "x-settlement-type": "batch", "x-settlement-data": "bm90IGpzb24=" }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Header x-settlement-data "bm90IGpzb24=" is not base64 of JSON.]`,
    );
    expect(() =>
      roundTrip({ type: "batch", data: { ...batchData, input_hash: "0x1234" } }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Settlement data field "input_hash" is "0x1234"; expected 64 hex digits (with or without 0x).]`,
    );
    expect(() =>
      roundTrip({ type: "batch", data: { ...batchData, tee_timestamp: -1, timestamp: -1 } }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Settlement data field "tee_timestamp" is -1; expected a non-negative integer.]`,
    );
    expect(() =>
      parse({ "x-settlement-type": "batch", "x-settlement-data": data, "x-devnet-fault": "loud" }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Fault "loud" is not one of unofficial, mismatched, withheld, pending, expired, duplicate, legacy; omit x-devnet-fault for an honest settlement.]`,
    );
    expect(() =>
      parse({ "x-settlement-type": "individual", "x-settlement-data": data, "x-devnet-fault": "withheld" }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Fault "withheld" acts on a batch's blob or root; it needs settlement type "batch".]`,
    );
    expect(() =>
      parse({ "x-settlement-type": "individual", "x-settlement-data": data }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Settlement data field "eth_address" is missing; expected a 20-byte hex address.]`,
    );
    expect(() =>
      parse({ "x-settlement-type": "batch", "x-settlement-data": data, "x-settlement-payment": "e30=" }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: Settlement payment field "payment_id" is missing; expected a 32-byte hex string.]`,
    );
  });
});
