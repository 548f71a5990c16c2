import { bytesToHex, getAddress, type Hex, keccak256, stringToHex } from "viem";
import { describe, expect, test } from "vitest";
import { BlobFormatError } from "./errors";
import { individualBlobOf, parseIndividualBlob } from "./individualBlob";

const SIGNATURE = Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) % 256);
const TEE_SIGNATURE = btoa(String.fromCharCode(...SIGNATURE));
const TEE_ID = keccak256(stringToHex("enclave public key"));
const INPUT_HASH = keccak256(stringToHex("request"));
const OUTPUT_HASH = keccak256(stringToHex("response"));
const PAYER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

const input = { model: "gpt-4.1", messages: [{ role: "user", content: "Hi" }] };
const output = {
  id: "chatcmpl-1",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }],
  tee_id: TEE_ID,
  tee_request_hash: INPUT_HASH.slice(2),
  tee_output_hash: OUTPUT_HASH.slice(2).toUpperCase(),
  tee_timestamp: 1776000000,
  tee_signature: TEE_SIGNATURE,
};

/** The facilitator's `createIndividualWalrusPayload`, field for field. */
const facilitatorBlobOf = (fields: Record<string, unknown>) =>
  JSON.stringify({
    input,
    output,
    teeSignature: TEE_SIGNATURE,
    teeId: TEE_ID,
    timestamp: "1776000000",
    ethAddress: getAddress(PAYER),
    ...fields,
  });

/** The error a blob gets, for inline snapshots. */
function refusalOf(blob: string): unknown {
  try {
    parseIndividualBlob(blob);
  } catch (error) {
    expect(error).toBeInstanceOf(BlobFormatError);
    return error;
  }
  throw new Error("The blob was accepted.");
}

describe("parseIndividualBlob", () => {
  test("default: the facilitator's blob", () => {
    const blob = parseIndividualBlob(new TextEncoder().encode(facilitatorBlobOf({})));
    expect(blob).toEqual({
      input,
      output,
      teeSignature: TEE_SIGNATURE,
      signature: bytesToHex(SIGNATURE),
      teeId: TEE_ID,
      timestamp: 1776000000n,
      ethAddress: getAddress(PAYER),
      inputHash: INPUT_HASH,
      outputHash: OUTPUT_HASH,
    });
  });

  test("behavior: the placeholder signature decodes to 0xd3", () => {
    expect(parseIndividualBlob(facilitatorBlobOf({ teeSignature: "0x" })).signature).toBe("0xd3");
  });

  test("behavior: an output without tee hashes gives none", () => {
    const blob = parseIndividualBlob(facilitatorBlobOf({ output: "plain text" }));
    expect(blob.output).toBe("plain text");
    expect(blob).not.toHaveProperty("inputHash");
    expect(blob).not.toHaveProperty("outputHash");
  });

  test("behavior: unpadded and URL-safe base64 decode as Node's Buffer does", () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x01]);
    const standard = btoa(String.fromCharCode(...bytes));
    expect(standard).toBe("+/+/AQ==");
    for (const teeSignature of [standard, "+/+/AQ", "-_-_AQ==", " +/+/AQ==\n"]) {
      expect(Buffer.from(teeSignature.trim(), "base64").toString("hex")).toBe("fbffbf01");
      expect(parseIndividualBlob(facilitatorBlobOf({ teeSignature })).signature).toBe("0xfbffbf01");
    }
  });

  test("args: not JSON", () => {
    expect(refusalOf("Not Found")).toMatchInlineSnapshot(
      `[BlobFormatError: Blob is not JSON (9 characters, starting "Not Found").]`,
    );
  });

  test("args: JSON that is not an object", () => {
    expect(refusalOf("[1]")).toMatchInlineSnapshot(`[BlobFormatError: Blob is not a JSON object; got an array.]`);
  });

  test("args: no output", () => {
    expect(refusalOf(facilitatorBlobOf({ output: undefined }))).toMatchInlineSnapshot(
      `[BlobFormatError: Blob has no output.]`,
    );
  });

  test("args: a signature that is not base64", () => {
    expect(refusalOf(facilitatorBlobOf({ teeSignature: "not base64!" }))).toMatchInlineSnapshot(
      `[BlobFormatError: Blob teeSignature "not base64!" is not base64 of a signature.]`,
    );
    expect(refusalOf(facilitatorBlobOf({ teeSignature: "" }))).toMatchInlineSnapshot(
      `[BlobFormatError: Blob teeSignature "" is not base64 of a signature.]`,
    );
  });

  test("args: a TEE ID that is not bytes32", () => {
    expect(refusalOf(facilitatorBlobOf({ teeId: TEE_ID.slice(2) }))).toMatchInlineSnapshot(
      `[BlobFormatError: Blob teeId "6ab5d53ad3543f2b7de9440ccc2a4f342179ddda9872a1d2b3b8663bc7c5bdb5" is not a bytes32 (0x followed by 64 hex digits).]`,
    );
  });

  test("args: a timestamp that is not a decimal string", () => {
    expect(refusalOf(facilitatorBlobOf({ timestamp: "1776000000.5" }))).toMatchInlineSnapshot(
      `[BlobFormatError: Blob timestamp "1776000000.5" is not a decimal string of seconds.]`,
    );
  });

  test("args: an ethAddress that is not an address", () => {
    expect(refusalOf(facilitatorBlobOf({ ethAddress: "0x1234" }))).toMatchInlineSnapshot(
      `[BlobFormatError: Blob ethAddress "0x1234" is not a 20-byte hex address.]`,
    );
  });

  test("args: an output hash that is not 32 bytes", () => {
    expect(refusalOf(facilitatorBlobOf({ output: { ...output, tee_request_hash: "abc" } }))).toMatchInlineSnapshot(
      `[BlobFormatError: Blob output.tee_request_hash "abc" is not 64 hex digits (with or without 0x).]`,
    );
  });
});

describe("individualBlobOf", () => {
  const parameters = {
    input,
    output,
    teeSignature: TEE_SIGNATURE,
    teeId: TEE_ID,
    timestamp: 1776000000n,
    ethAddress: PAYER as Hex,
  };

  test("default: the exact text the facilitator uploads", () => {
    expect(individualBlobOf(parameters)).toBe(facilitatorBlobOf({}));
    expect(individualBlobOf({ ...parameters, timestamp: "1776000000" })).toBe(facilitatorBlobOf({}));
    expect(individualBlobOf({ ...parameters, input: { a: 1 } }).slice(0, 40)).toMatchInlineSnapshot(
      `"{"input":{"a":1},"output":{"id":"chatcmp"`,
    );
  });

  test("behavior: parseIndividualBlob reads it back", () => {
    const blob = parseIndividualBlob(individualBlobOf(parameters));
    expect(individualBlobOf(blob)).toBe(individualBlobOf(parameters));
    expect(blob.signature).toBe(bytesToHex(SIGNATURE));
  });

  test("args: a negative timestamp", () => {
    expect(() => individualBlobOf({ ...parameters, timestamp: -1n })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Timestamp -1n is not a non-negative integer of seconds.]`,
    );
  });

  test("args: no input", () => {
    expect(() => individualBlobOf({ ...parameters, input: undefined })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: An individual blob needs an input and an output; got no input.]`,
    );
  });

  test("args: a signature that is not base64", () => {
    expect(() => individualBlobOf({ ...parameters, teeSignature: "%%" })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: TEE signature "%%" is not base64 of a signature.]`,
    );
  });
});
