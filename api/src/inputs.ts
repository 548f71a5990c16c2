import { isWalrusBlobId } from "@settlescan/abis";
import { BadInputError, type ErrorCode } from "./errors";

type Hex = `0x${string}`;

const HEX_32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UINT = /^[0-9]{1,78}$/;

/** The bad value as an error quotes it: whole unless it is long enough to flood a log line. */
export function quoted(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** A 32-byte hex value (an id, a hash, a root), lowercased as the indexer stores it. */
export function hex32Of(value: string, what: string, code: ErrorCode): Hex {
  if (!HEX_32.test(value)) throw new BadInputError(`${what} ${quoted(value)} is not a 32-byte hex string.`, { code });
  return value.toLowerCase() as Hex;
}

export const receiptIdOf = (value: string) => hex32Of(value, "Receipt ID", "BAD_RECEIPT_ID");
export const paymentIdOf = (value: string) => hex32Of(value, "Payment ID", "BAD_PAYMENT_ID");
export const txHashOf = (value: string) => hex32Of(value, "Transaction hash", "BAD_TX_HASH");
export const merkleRootOf = (value: string) => hex32Of(value, "Merkle root", "BAD_MERKLE_ROOT");
export const teeIdOf = (value: string) => hex32Of(value, "TEE ID", "BAD_TEE_ID");
export const inferenceIdOf = (value: string) => hex32Of(value, "Inference ID", "BAD_INFERENCE_ID");

/** A Walrus blob id as relays and aggregators name it: 43 characters of base64url (case matters, so kept as is). */
export function blobIdOf(value: string): string {
  if (!isWalrusBlobId(value))
    throw new BadInputError(
      `Blob ID ${quoted(value)} is not a Walrus blob id (43 characters of base64url encoding 32 bytes).`,
      { code: "BAD_BLOB_ID" },
    );
  return value;
}

/** A 20-byte address, lowercased; `what` names the argument (`Payer`, `Facilitator`). */
export function addressOf(value: string, what = "Address"): Hex {
  if (!ADDRESS.test(value))
    throw new BadInputError(`${what} ${quoted(value)} is not a 20-byte hex address.`, { code: "BAD_ADDRESS" });
  return value.toLowerCase() as Hex;
}

/** A token amount in base units (USDC has 6 decimals), as a decimal string. */
export function amountOf(value: string, what = "Amount"): bigint {
  if (!UINT.test(value))
    throw new BadInputError(`${what} ${quoted(value)} is not a whole number of base units.`, { code: "BAD_AMOUNT" });
  return BigInt(value);
}

export function isHex32(value: string) {
  return HEX_32.test(value);
}

export function isAddress(value: string) {
  return ADDRESS.test(value);
}
