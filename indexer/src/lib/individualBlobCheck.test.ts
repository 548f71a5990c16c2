import { individualBlobOf } from "@settlescan/abis";
import { describe, expect, test } from "vitest";
import { type IndividualEventFields, individualBlobMismatchOf } from "./individualBlobCheck";

const event: IndividualEventFields = {
  teeId: `0x${"11".repeat(32)}`,
  inputHash: `0x${"aa".repeat(32)}`,
  outputHash: `0x${"bb".repeat(32)}`,
  signature: "0x0102030405",
  timestamp: 1700000000n,
  ethAddress: "0x00000000000000000000000000000000000000c1",
};
const output = { tee_request_hash: "aa".repeat(32), tee_output_hash: "bb".repeat(32), choices: [] };
const blobOf = (overrides: Partial<Parameters<typeof individualBlobOf>[0]> = {}) =>
  individualBlobOf({
    input: { messages: [] },
    output,
    teeSignature: Buffer.from([1, 2, 3, 4, 5]).toString("base64"),
    teeId: event.teeId,
    timestamp: event.timestamp,
    ethAddress: event.ethAddress,
    ...overrides,
  });

describe("individualBlobMismatchOf", () => {
  test("default: the blob the facilitator uploads for the event matches it", () => {
    expect(individualBlobMismatchOf(blobOf(), event)).toBeNull();
  });

  test("behavior: hex case and an address's checksum do not matter", () => {
    const upper = { ...output, tee_request_hash: `0x${"AA".repeat(32)}` };
    expect(
      individualBlobMismatchOf(blobOf({ output: upper, teeId: `0x${"11".repeat(32)}` }), {
        ...event,
        ethAddress: "0x00000000000000000000000000000000000000C1",
      }),
    ).toBeNull();
  });

  test("behavior: an output without tee hashes is not compared on them", () => {
    expect(individualBlobMismatchOf(blobOf({ output: { choices: [] } }), event)).toBeNull();
  });

  test("behavior: a blob that does not parse says why", () => {
    expect(individualBlobMismatchOf("not json", event)).toMatchInlineSnapshot(
      `"Blob is not JSON (8 characters, starting "not json")."`,
    );
    expect(individualBlobMismatchOf(JSON.stringify({ input: 1, output: 2 }), event)).toMatchInlineSnapshot(
      `"Blob teeSignature undefined is not base64 of a signature."`,
    );
  });

  test("behavior: each field that differs is named with the blob's value and the event's", () => {
    const mismatch = (blob: string) => individualBlobMismatchOf(blob, event);
    expect(mismatch(blobOf({ teeId: `0x${"22".repeat(32)}` }))).toMatchInlineSnapshot(
      `"The blob's teeId is 0x2222222222222222222222222222222222222222222222222222222222222222, but the event settled 0x1111111111111111111111111111111111111111111111111111111111111111."`,
    );
    expect(mismatch(blobOf({ output: { ...output, tee_request_hash: "cc".repeat(32) } }))).toMatchInlineSnapshot(
      `"The blob's output.tee_request_hash is 0xcccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc, but the event settled 0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."`,
    );
    expect(mismatch(blobOf({ output: { ...output, tee_output_hash: "dd".repeat(32) } }))).toMatchInlineSnapshot(
      `"The blob's output.tee_output_hash is 0xdddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd, but the event settled 0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb."`,
    );
    expect(mismatch(blobOf({ teeSignature: Buffer.from([9, 9]).toString("base64") }))).toMatchInlineSnapshot(
      `"The blob's teeSignature is 0x0909, but the event settled 0x0102030405."`,
    );
    expect(mismatch(blobOf({ timestamp: 1700000001n }))).toMatchInlineSnapshot(
      `"The blob's timestamp is 1700000001, but the event settled 1700000000."`,
    );
    expect(mismatch(blobOf({ ethAddress: "0x00000000000000000000000000000000000000c2" }))).toMatchInlineSnapshot(
      `"The blob's ethAddress is 0x00000000000000000000000000000000000000c2, but the event settled 0x00000000000000000000000000000000000000c1."`,
    );
  });
});
