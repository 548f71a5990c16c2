import { bytesToHex, type Hex, hexToBytes, hexToString, isHex, stringToHex } from "viem";
import { InvalidInputError } from "./errors";

/**
 * A Walrus blob id as publishers and aggregators print it: the URL-safe base64 (no padding) of a 32-byte value,
 * 43 characters. The settlement relay's events carry it as the UTF-8 bytes of that string, not as the 32 bytes.
 */
export type WalrusBlobId = string;

/** Characters of a blob id: 32 bytes in unpadded base64url. */
export const WALRUS_BLOB_ID_LENGTH = 43;

const BLOB_ID = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** True for a 43-character base64url string that decodes to exactly 32 bytes (its last character carries 2 bits). */
export function isWalrusBlobId(value: unknown): value is WalrusBlobId {
  return typeof value === "string" && BLOB_ID.test(value);
}

/** Throws `InvalidInputError` unless `value` is a blob id; `what` names it in the message. */
export function assertWalrusBlobId(value: unknown, what = "Walrus blob id"): asserts value is WalrusBlobId {
  if (!isWalrusBlobId(value))
    throw new InvalidInputError(
      `${what} "${String(value)}" is not a Walrus blob id (43 characters of URL-safe base64 encoding 32 bytes).`,
    );
}

/**
 * The blob id that a relay event's `walrusBlobId` bytes spell (their UTF-8 text).
 * @example blobIdOfEventBytes("0x6f7247…5a59") // "orGaXuTN-hxHTViVALqcbFN8Cv6fxjaC3OUqg1ZjvZY"
 */
export function blobIdOfEventBytes(bytes: Hex): WalrusBlobId {
  if (!isHex(bytes, { strict: true }) || bytes.length % 2 !== 0)
    throw new InvalidInputError(`Event field walrusBlobId "${String(bytes)}" is not hex bytes.`);
  const text = hexToString(bytes);
  assertWalrusBlobId(
    text,
    `Event field walrusBlobId ${bytes.length > 100 ? `${bytes.slice(0, 100)}…` : bytes}, as text`,
  );
  return text;
}

/** The bytes a facilitator puts in `walrusBlobId` for a blob id (viem `toHex(blobId)`). */
export function eventBytesOfBlobId(blobId: WalrusBlobId): Hex {
  assertWalrusBlobId(blobId);
  return stringToHex(blobId);
}

/** The 32 bytes a blob id encodes. */
export function rawBytesOfBlobId(blobId: WalrusBlobId): Hex {
  assertWalrusBlobId(blobId);
  const base64 = `${blobId.replaceAll("-", "+").replaceAll("_", "/")}=`;
  return bytesToHex(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

/** The blob id of 32 raw bytes (unpadded base64url). */
export function blobIdOfRawBytes(raw: Hex | Uint8Array): WalrusBlobId {
  const bytes = typeof raw === "string" ? hexToBytes(raw) : raw;
  if (bytes.length !== 32) throw new InvalidInputError(`A Walrus blob id encodes 32 bytes; got ${bytes.length}.`);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}
