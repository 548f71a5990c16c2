/**
 * The API's base URL. Empty (the default) means same origin: the dev server, `vite preview` and the start command
 * forward `/graphql`, `/export` and `/blob` to the API. Set `VITE_API_URL` at build time to call another origin.
 */
export const API_URL = (import.meta.env.VITE_API_URL ?? "").replace(/\/+$/, "");

/** The GraphQL endpoint (issue 5). */
export const GRAPHQL_URL = `${API_URL}/graphql`;

/**
 * The streamed export of `receipts` (or `payments`) with the same filters (issue 5): `/export/receipts.csv`, `.jsonl`.
 * @example exportUrlOf("csv", new URLSearchParams("schemes=permit2_upto"), "payments") // "/export/payments.csv?schemes=permit2_upto"
 */
export const exportUrlOf = (
  format: "csv" | "jsonl",
  params: URLSearchParams,
  entity: "receipts" | "payments" = "receipts",
) => {
  const query = params.toString();
  return `${API_URL}/export/${entity}.${format}${query ? `?${query}` : ""}`;
};

/**
 * The raw bytes of a Walrus blob as the API archived them: what the browser re-checks a batch's inclusion from.
 * @example blobUrlOf("orGaXuTN-hxHTViVALqcbFN8Cv6fxjaC3OUqg1ZjvZY") // "/blob/orGaXuTN-…"
 */
export const blobUrlOf = (blobId: string) => `${API_URL}/blob/${encodeURIComponent(blobId)}`;
