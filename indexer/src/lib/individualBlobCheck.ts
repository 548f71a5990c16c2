import { BlobFormatError, parseIndividualBlob } from "@settlescan/abis";
import type { Address, Hex } from "viem";

/** What an `IndividualSettlement` event settled: the fields its blob must repeat. */
export type IndividualEventFields = {
  teeId: Hex;
  inputHash: Hex;
  outputHash: Hex;
  signature: Hex;
  timestamp: bigint;
  ethAddress: Address;
};

/**
 * Whether an individual settlement's blob is the exchange its event settled: null when it parses and every field the
 * blob holds matches (`output.tee_request_hash` / `tee_output_hash` only when the output has them), else one sentence
 * naming the first field that differs, the blob's value and the event's (or why the blob does not parse).
 * @example individualBlobMismatchOf(content, event.args) // "The blob's timestamp is 1700000001, but the event settled 1700000000."
 */
export function individualBlobMismatchOf(content: string, event: IndividualEventFields): string | null {
  let blob: ReturnType<typeof parseIndividualBlob>;
  try {
    blob = parseIndividualBlob(content);
  } catch (error) {
    if (error instanceof BlobFormatError) return error.message;
    throw error;
  }
  const fields: [name: string, blob: string | undefined, event: string][] = [
    ["teeId", blob.teeId, event.teeId],
    ["output.tee_request_hash", blob.inputHash, event.inputHash],
    ["output.tee_output_hash", blob.outputHash, event.outputHash],
    ["teeSignature", blob.signature, event.signature],
    ["timestamp", blob.timestamp.toString(), event.timestamp.toString()],
    ["ethAddress", blob.ethAddress, event.ethAddress],
  ];
  for (const [name, held, settled] of fields)
    if (held !== undefined && held.toLowerCase() !== settled.toLowerCase())
      return `The blob's ${name} is ${held}, but the event settled ${settled}.`;
  return null;
}
