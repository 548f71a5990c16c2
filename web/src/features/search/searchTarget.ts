import { isWalrusBlobId } from "@settlescan/abis";
import type { SearchHitKind } from "../../graphql/generated/graphql";

/**
 * What the search box was given: a 32-byte id or hash, a 20-byte address, a Walrus blob id, a pasted response body of
 * OpenGradient's TEE gateway (JSON or an SSE stream), or none of these (with the sentence to show).
 */
export type QueryShape =
  | { kind: "bytes32"; query: string }
  | { kind: "address"; query: string }
  | { kind: "blobId"; query: string }
  | { kind: "response"; query: string }
  | { kind: "invalid"; query: string; message: string };

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** A JSON object, or a stream whose first line is an SSE field (`data: {…}`). */
const RESPONSE_BODY = /^\{|^(?:data|event|id|retry)?:/;

/**
 * Classifies what a person typed or pasted before asking the API: ids trimmed and lowercased, a response body kept
 * whole (the API finds its inference).
 * @example shapeOfQuery(" 0xAB…") // { kind: "bytes32", query: "0xab…" }
 */
export function shapeOfQuery(input: string): QueryShape {
  const trimmed = input.trim();
  if (RESPONSE_BODY.test(trimmed)) return { kind: "response", query: trimmed };
  // Not `isWalrusBlobId(trimmed)`: its type guard would narrow `trimmed` to never below.
  if (isWalrusBlobId(trimmed as unknown)) return { kind: "blobId", query: trimmed };
  const query = /^[0-9a-fA-F]{40}$|^[0-9a-fA-F]{64}$/.test(trimmed) ? `0x${trimmed}` : trimmed;
  if (BYTES32.test(query)) return { kind: "bytes32", query: query.toLowerCase() };
  if (ADDRESS.test(query)) return { kind: "address", query: query.toLowerCase() };
  const quoted = trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed;
  return {
    kind: "invalid",
    query: trimmed,
    message: trimmed
      ? `"${quoted}" is neither a 32-byte id or hash (0x and 64 hex digits), a 20-byte address (0x and 40 hex digits), a Walrus blob id (43 characters), nor a TEE gateway response body (JSON or an SSE stream).`
      : "Enter an inference id, a receipt id, a transaction hash, an address, or paste a response body.",
  };
}

/** A search hit as far as choosing its page goes. */
export type HitTarget = {
  kind: SearchHitKind;
  key: string;
  settlement?: { txHash: string } | null;
  leaves?: readonly { inferenceId?: string | null }[];
};

/** The one inference every leaf of a hash hit settles, or null (legacy leaves have none; several differ). */
const onlyInferenceOf = (leaves: readonly { inferenceId?: string | null }[]) => {
  const ids = new Set(leaves.map((leaf) => leaf.inferenceId ?? null));
  const [only] = ids;
  return ids.size === 1 && only ? only : null;
};

/** The explorer page that shows a search hit, or null when the hit is a list to choose from or has no page. */
export function pathOfHit(hit: HitTarget): string | null {
  const key = encodeURIComponent(hit.key);
  switch (hit.kind) {
    case "INFERENCE":
    case "INFERENCE_ID":
      return `/inference/${key}`;
    case "INPUT_HASH":
    case "OUTPUT_HASH": {
      const only = onlyInferenceOf(hit.leaves ?? []);
      return only ? `/inference/${encodeURIComponent(only)}` : null;
    }
    case "RECEIPT_ID":
      return `/receipt/${key}`;
    case "PAYMENT_ID":
      return `/payment/${key}`;
    case "PAYMENT_TX":
    case "SETTLEMENT_TX":
      return `/tx/${key}`;
    case "MERKLE_ROOT":
      return `/batch/${key}`;
    case "BLOB_ID":
      return hit.settlement ? `/tx/${encodeURIComponent(hit.settlement.txHash)}` : null;
    case "TEE_ID":
      return `/tees#${key}`;
    case "PAYER":
      return `/address/${key}?role=payer`;
    case "PAYEE":
      return `/address/${key}?role=payee`;
    case "FACILITATOR":
      return `/address/${key}?role=facilitator`;
    case "RELAY":
      return null;
  }
}

/**
 * Where to go straight away: the page every hit leads to, when they all lead to the same one (an inference id is both
 * the inference and, for an exact link, the inference its receipts settle).
 */
export function redirectOf(hits: readonly HitTarget[]): string | null {
  const paths = new Set(hits.map(pathOfHit));
  const [only] = paths;
  return hits.length > 0 && paths.size === 1 && only ? only : null;
}
