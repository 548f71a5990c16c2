import { type Address, bytesToHex, getAddress, type Hex, isAddress } from "viem";
import { BlobFormatError, InvalidInputError } from "./errors";
import { quoteValue } from "./leaves/defineLeafEncoding";
import { parseBlobJson } from "./treeDump";

/** An individual settlement's blob: the whole exchange, with what the TEE signed. */
export type IndividualBlob = {
  /** The client's request, as JSON. */
  input: unknown;
  /** The gateway's response, as JSON, `tee_*` fields included. */
  output: unknown;
  /** The TEE signature as the blob holds it (standard base64). */
  teeSignature: string;
  /** The signature's bytes (what the relay's event carries). */
  signature: Hex;
  teeId: Hex;
  timestamp: bigint;
  /** The address the facilitator settled for (checksummed). */
  ethAddress: Address;
  /** `output.tee_request_hash`, 0x-prefixed and lowercase, when the output has one. */
  inputHash?: Hex;
  /** `output.tee_output_hash`, 0x-prefixed and lowercase, when the output has one. */
  outputHash?: Hex;
};

/** What `individualBlobOf` writes: the facilitator's settlement data. */
export type IndividualBlobParameters = {
  input: unknown;
  output: unknown;
  /** The TEE signature in base64, exactly as the gateway sent it. */
  teeSignature: string;
  teeId: Hex;
  timestamp: bigint | string;
  ethAddress: Address;
};

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const HASH = /^(?:0x)?[0-9a-fA-F]{64}$/;
const DECIMAL = /^[0-9]+$/;

/**
 * The bytes of a base64 string, as the facilitator decodes it (Node's `Buffer.from(text.trim(), "base64")`, which
 * also takes the URL-safe alphabet and ignores whitespace); null unless it is base64 of at least one byte.
 */
function bytesOfBase64(text: string): Uint8Array | null {
  const standard = text.replace(/\s+/g, "").replaceAll("-", "+").replaceAll("_", "/");
  let binary: string;
  try {
    binary = atob(standard);
  } catch {
    return null;
  }
  return binary.length === 0 ? null : Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A `tee_*` hash of the output: 64 hex digits with or without 0x, returned 0x-lowercase; undefined when absent. */
function outputHashOf(output: unknown, field: "tee_request_hash" | "tee_output_hash"): Hex | undefined {
  if (typeof output !== "object" || output === null || !(field in output)) return undefined;
  const value = (output as Record<string, unknown>)[field];
  if (typeof value !== "string" || !HASH.test(value))
    throw new BlobFormatError(`Blob output.${field} ${quoteValue(value)} is not 64 hex digits (with or without 0x).`);
  return `0x${value.slice(value.length - 64).toLowerCase()}`;
}

/**
 * Reads an individual settlement's blob (`{input, output, teeSignature, teeId, timestamp, ethAddress}`). Throws
 * `BlobFormatError` saying which field is wrong.
 * @example const { signature, inputHash } = parseIndividualBlob(await response.bytes())
 */
export function parseIndividualBlob(bytes: Uint8Array | string): IndividualBlob {
  const blob = parseBlobJson(bytes);
  if (typeof blob !== "object" || blob === null || Array.isArray(blob))
    throw new BlobFormatError(
      `Blob is not a JSON object; got ${blob === null ? "null" : Array.isArray(blob) ? "an array" : typeof blob}.`,
    );
  const { input, output, teeSignature, teeId, timestamp, ethAddress } = blob as Record<string, unknown>;
  for (const [field, value] of Object.entries({ input, output }))
    if (value === undefined) throw new BlobFormatError(`Blob has no ${field}.`);

  const signature = typeof teeSignature === "string" ? bytesOfBase64(teeSignature) : null;
  if (typeof teeSignature !== "string" || !signature)
    throw new BlobFormatError(`Blob teeSignature ${quoteValue(teeSignature)} is not base64 of a signature.`);
  if (typeof teeId !== "string" || !BYTES32.test(teeId))
    throw new BlobFormatError(`Blob teeId ${quoteValue(teeId)} is not a bytes32 (0x followed by 64 hex digits).`);
  const isTimestamp =
    (typeof timestamp === "string" && DECIMAL.test(timestamp)) ||
    (typeof timestamp === "number" && Number.isSafeInteger(timestamp) && timestamp >= 0);
  if (!isTimestamp)
    throw new BlobFormatError(`Blob timestamp ${quoteValue(timestamp)} is not a decimal string of seconds.`);
  if (typeof ethAddress !== "string" || !isAddress(ethAddress, { strict: false }))
    throw new BlobFormatError(`Blob ethAddress ${quoteValue(ethAddress)} is not a 20-byte hex address.`);

  const inputHash = outputHashOf(output, "tee_request_hash");
  const outputHash = outputHashOf(output, "tee_output_hash");
  return {
    input,
    output,
    teeSignature,
    signature: bytesToHex(signature),
    teeId: teeId.toLowerCase() as Hex,
    timestamp: BigInt(timestamp as string | number),
    ethAddress: getAddress(ethAddress),
    ...(inputHash && { inputHash }),
    ...(outputHash && { outputHash }),
  };
}

/**
 * The exact JSON text the facilitator uploads for an individual settlement (its `createIndividualWalrusPayload`):
 * keys in the order input, output, teeSignature, teeId, timestamp (a decimal string), ethAddress (checksummed).
 * @example const text = individualBlobOf({ input, output, teeSignature, teeId, timestamp: 1776000000n, ethAddress })
 */
export function individualBlobOf({
  input,
  output,
  teeSignature,
  teeId,
  timestamp,
  ethAddress,
}: IndividualBlobParameters) {
  if (input === undefined || output === undefined)
    throw new InvalidInputError(
      `An individual blob needs an input and an output; got ${input === undefined ? "no input" : "no output"}.`,
    );
  if (typeof teeSignature !== "string" || !bytesOfBase64(teeSignature))
    throw new InvalidInputError(`TEE signature ${quoteValue(teeSignature)} is not base64 of a signature.`);
  if (typeof teeId !== "string" || !BYTES32.test(teeId))
    throw new InvalidInputError(`TEE ID ${quoteValue(teeId)} is not a bytes32 (0x followed by 64 hex digits).`);
  const seconds = typeof timestamp === "bigint" && timestamp >= 0n ? timestamp.toString() : timestamp;
  if (typeof seconds !== "string" || !DECIMAL.test(seconds))
    throw new InvalidInputError(`Timestamp ${quoteValue(timestamp)} is not a non-negative integer of seconds.`);
  if (typeof ethAddress !== "string" || !isAddress(ethAddress, { strict: false }))
    throw new InvalidInputError(`Address ${quoteValue(ethAddress)} is not a 20-byte hex address.`);
  return JSON.stringify({
    input,
    output,
    teeSignature,
    teeId,
    timestamp: seconds,
    ethAddress: getAddress(ethAddress),
  });
}
