/** What the search box was given: a 32-byte id or hash, a 20-byte address, or neither (with the sentence to show). */
export type QueryShape =
  | { kind: "bytes32"; query: string }
  | { kind: "address"; query: string }
  | { kind: "invalid"; query: string; message: string };

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * Classifies what a person typed or pasted, trimmed and lowercased, before asking the API.
 * @example shapeOfQuery(" 0xAB…") // { kind: "bytes32", query: "0xab…" }
 */
export function shapeOfQuery(input: string): QueryShape {
  const trimmed = input.trim();
  const query = /^[0-9a-fA-F]{40}$|^[0-9a-fA-F]{64}$/.test(trimmed) ? `0x${trimmed}` : trimmed;
  if (BYTES32.test(query)) return { kind: "bytes32", query: query.toLowerCase() };
  if (ADDRESS.test(query)) return { kind: "address", query: query.toLowerCase() };
  return {
    kind: "invalid",
    query: trimmed,
    message: trimmed
      ? `"${trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed}" is neither a 32-byte id or hash (0x and 64 hex digits) nor a 20-byte address (0x and 40 hex digits).`
      : "Enter a receipt id, payment id, transaction hash, address, inference id or Merkle root.",
  };
}

/** The kinds of hit the API's `search` returns (issue 5). */
export type SearchHitKind =
  | "RECEIPT_ID"
  | "PAYMENT_ID"
  | "PAYMENT_TX"
  | "SETTLEMENT_TX"
  | "INFERENCE_ID"
  | "MERKLE_ROOT"
  | "TEE_ID"
  | "PAYER"
  | "PAYEE"
  | "FACILITATOR";

/**
 * The explorer page that shows a search hit, or null when the hit is a list to choose from (an inference settled
 * more than once).
 */
export function pathOfHit(hit: {
  kind: SearchHitKind;
  key: string;
  receipts?: readonly { id: string }[];
}): string | null {
  const key = encodeURIComponent(hit.key);
  switch (hit.kind) {
    case "RECEIPT_ID":
      return `/receipt/${key}`;
    case "PAYMENT_ID":
      return `/payment/${key}`;
    case "PAYMENT_TX":
    case "SETTLEMENT_TX":
      return `/tx/${key}`;
    case "INFERENCE_ID": {
      const [only, ...more] = hit.receipts ?? [];
      return only && more.length === 0 ? `/receipt/${encodeURIComponent(only.id)}` : null;
    }
    case "MERKLE_ROOT":
      return `/batch/${key}`;
    case "TEE_ID":
      return `/tees#${key}`;
    case "PAYER":
      return `/address/${key}?role=payer`;
    case "PAYEE":
      return `/address/${key}?role=payee`;
    case "FACILITATOR":
      return `/address/${key}?role=facilitator`;
  }
}

/** Where to go straight away: the one hit's page when the search found exactly one thing that has a page. */
export function redirectOf(hits: readonly Parameters<typeof pathOfHit>[0][]): string | null {
  const [only, ...more] = hits;
  return only && more.length === 0 ? pathOfHit(only) : null;
}
