import { blobUrlOf, GRAPHQL_URL } from "./config";
import { ApiDownError, ApiRequestError } from "./errors";
import type { TypedDocumentString } from "./generated/graphql";

type GraphQLResponse<TResult> = {
  data?: TResult | null;
  errors?: { message: string; extensions?: { code?: string; retryable?: boolean; details?: string } }[];
};

/**
 * Sends one typed operation to the API and returns its data. This file is the only place the explorer talks HTTP.
 * Throws `ApiDownError` when the API cannot be reached, `ApiRequestError` when it answers with errors.
 * @example const { receipt } = await requestGraphQL(ReceiptTrailQuery, { id })
 */
export async function requestGraphQL<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  { signal, url = GRAPHQL_URL }: { signal?: AbortSignal; url?: string } = {},
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? undefined }),
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiDownError(`The API at ${url} cannot be reached.`, { cause });
  }
  let body: GraphQLResponse<TResult>;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch (cause) {
    throw new ApiDownError(`The API at ${url} answered HTTP ${response.status} without a GraphQL response.`, { cause });
  }
  const [error] = body.errors ?? [];
  if (error)
    throw new ApiRequestError(error.message, {
      code: error.extensions?.code,
      retryable: error.extensions?.retryable,
      details: error.extensions?.details,
    });
  if (!response.ok || body.data == null)
    throw new ApiDownError(`The API at ${url} answered HTTP ${response.status} without data.`);
  return body.data;
}

/** The API's JSON error body on its plain HTTP routes (`/blob`, `/export`). */
type RouteErrorBody = { error?: { code?: string; message?: string } };

/**
 * The text of a Walrus blob as the API archived it (`GET /blob/:blobId`), or null when the API has not archived it
 * (a pending batch, a blob that expired before it was read). Blob ids name their content, so the text never changes.
 * Throws `ApiDownError` when the API cannot be reached, `ApiRequestError` when it refuses the id (malformed, too large).
 * @example const text = await requestBlob("orGaXuTN-hxHTViVALqcbFN8Cv6fxjaC3OUqg1ZjvZY")
 */
export async function requestBlob(
  blobId: string,
  { signal, url = blobUrlOf(blobId) }: { signal?: AbortSignal; url?: string } = {},
): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json, application/octet-stream" }, signal });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiDownError(`The API at ${url} cannot be reached.`, { cause });
  }
  if (response.ok) return response.text();
  let body: RouteErrorBody | undefined;
  try {
    body = (await response.json()) as RouteErrorBody;
  } catch {
    // Not the API's JSON: a proxy or a server that does not forward /blob answered.
  }
  const error = body?.error;
  if (!error?.message) throw new ApiDownError(`The API at ${url} answered HTTP ${response.status} without the blob.`);
  if (response.status === 404) return null;
  throw new ApiRequestError(error.message, { code: error.code, retryable: response.status === 503 });
}
