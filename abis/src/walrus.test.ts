import { describe, expect, test } from "vitest";
import { InvalidInputError } from "./errors";
import { blobIdOfEventBytes, blobIdOfRawBytes, eventBytesOfBlobId, isWalrusBlobId, rawBytesOfBlobId } from "./walrus";

// The facilitator's own test vector (OpenGradient inference-facilitator, walrus package): event bytes ↔ blob id.
const VECTOR = {
  eventBytes: "0x6f7247615875544e2d68784854566956414c716362464e3843763666786a6143334f557167315a6a765a59",
  blobId: "orGaXuTN-hxHTViVALqcbFN8Cv6fxjaC3OUqg1ZjvZY",
} as const;

describe("walrus blob ids", () => {
  test("default: the facilitator's vector decodes both ways", () => {
    expect(blobIdOfEventBytes(VECTOR.eventBytes)).toBe(VECTOR.blobId);
    expect(eventBytesOfBlobId(VECTOR.blobId)).toBe(VECTOR.eventBytes);
  });

  test("default: raw bytes round-trip", () => {
    const raw = rawBytesOfBlobId(VECTOR.blobId);
    expect(raw).toMatch(/^0xa2b19a5e[0-9a-f]{50}63bd96$/);
    expect(blobIdOfRawBytes(raw)).toBe(VECTOR.blobId);
    for (let i = 0; i < 64; i++) {
      const bytes = Uint8Array.from({ length: 32 }, (_, k) => (i * 31 + k * 7) & 0xff);
      const id = blobIdOfRawBytes(bytes);
      expect(isWalrusBlobId(id)).toBe(true);
      expect(rawBytesOfBlobId(id)).toBe(`0x${Buffer.from(bytes).toString("hex")}`);
    }
  });

  test("args: malformed ids and event bytes are refused with the value quoted", () => {
    expect(isWalrusBlobId(VECTOR.blobId.slice(1))).toBe(false);
    expect(isWalrusBlobId(`${VECTOR.blobId.slice(0, 42)}Z`)).toBe(false); // trailing bits set
    expect(isWalrusBlobId(VECTOR.blobId.replace("-", "+"))).toBe(false);
    expect(() => blobIdOfEventBytes("0x1234")).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Event field walrusBlobId 0x1234, as text "\u00124" is not a Walrus blob id (43 characters of URL-safe base64 encoding 32 bytes).]`,
    );
    expect(() => blobIdOfEventBytes("0xzz" as `0x${string}`)).toThrow(InvalidInputError);
    expect(() => blobIdOfRawBytes("0x1234")).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: A Walrus blob id encodes 32 bytes; got 2.]`,
    );
  });
});
