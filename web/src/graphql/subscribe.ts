import { GRAPHQL_URL } from "./config";
import { ApiDownError, ApiRequestError } from "./errors";
import type { TypedDocumentString } from "./generated/graphql";
import { parseServerSentEvents } from "./sse";

/**
 * Runs one GraphQL subscription over server-sent events (graphql-yoga's distinct-connections mode) and calls
 * `onNext` with each result, until the server completes it or `signal` aborts. Throws `ApiDownError` when the stream
 * cannot be opened or breaks, `ApiRequestError` when the API answers with errors.
 * @example await subscribeGraphQL(ReceiptEventsSubscription, {}, { onNext: (data) => …, signal })
 */
export async function subscribeGraphQL<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  {
    onNext,
    onOpen,
    signal,
    url = GRAPHQL_URL,
  }: { onNext: (data: TResult) => void; onOpen?: () => void; signal: AbortSignal; url?: string },
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? undefined }),
      signal,
    });
  } catch (cause) {
    if (signal.aborted) return;
    throw new ApiDownError(`The API at ${url} cannot be reached.`, { cause });
  }
  if (!response.ok || !response.body || !response.headers.get("content-type")?.includes("text/event-stream"))
    throw new ApiDownError(`The API at ${url} answered HTTP ${response.status} instead of an event stream.`);
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const parsed = parseServerSentEvents(buffer + value);
      buffer = parsed.rest;
      for (const { event, data } of parsed.events) {
        if (event === "complete") return;
        if (event !== "next" && event !== "message") continue;
        const result = JSON.parse(data) as {
          data?: TResult;
          errors?: { message: string; extensions?: { code?: string } }[];
        };
        const [error] = result.errors ?? [];
        if (error) throw new ApiRequestError(error.message, { code: error.extensions?.code });
        if (result.data) onNext(result.data);
      }
    }
  } catch (cause) {
    if (signal.aborted) return;
    if (cause instanceof ApiRequestError) throw cause;
    throw new ApiDownError(`The event stream from ${url} broke.`, { cause });
  } finally {
    reader.releaseLock();
  }
}
