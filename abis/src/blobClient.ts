import { BlobFetchError, BlobUploadError, InvalidInputError } from "./errors";
import { assertWalrusBlobId, isWalrusBlobId, type WalrusBlobId } from "./walrus";

/**
 * What an aggregator gave for a blob id: its bytes, or a 404/410 — not there now. Whether that means *pending*
 * (not yet fetchable) or *expired* (gone from Walrus) is for the caller to decide from what else it knows.
 */
export type FetchedBlob = { status: "available"; bytes: Uint8Array } | { status: "missing"; httpStatus: number };

/** How hard to try: per-request timeout, retries after the first request, base of the exponential backoff. */
export type BlobRequestOptions = {
  /** Per request, body included. */
  timeoutMs?: number;
  /** Further requests after a network error, timeout, 5xx or 429. */
  retries?: number;
  /** The first backoff; each retry doubles it, with jitter. */
  backoffMs?: number;
  /** Aborts at once, between or during requests; the abort reason is thrown. */
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
};

export type UploadBlobOptions = BlobRequestOptions & {
  /** Storage epochs ahead (Walrus `epochs`); OpenGradient's facilitator stores for 10. */
  epochs?: number;
  /** `permanent=true`: a blob its owner cannot delete (publishers store deletable blobs by default). */
  permanent?: boolean;
  contentType?: string;
};

/** The longest a `Retry-After` answer may hold a retry back; longer waits are capped here. */
const MAX_RETRY_AFTER_MS = 60_000;

/** Answer bodies quoted in errors are cut to this many characters. */
const EXCERPT_CHARS = 200;

/**
 * `{service}/v1/blobs`, the blobs endpoint of a Walrus aggregator or publisher; a URL already ending in `/v1/blobs`
 * (how OpenGradient's facilitator configures its publisher) is kept.
 * @example blobsEndpointOf("http://127.0.0.1:31415/") // "http://127.0.0.1:31415/v1/blobs"
 */
export function blobsEndpointOf(serviceUrl: string): string {
  const base = serviceUrl.replace(/\/+$/, "");
  return base.endsWith("/v1/blobs") ? base : `${base}/v1/blobs`;
}

/** `GET` URL of a blob on an aggregator: `{aggregator}/v1/blobs/{blobId}`. */
export function blobUrlOf(aggregatorUrl: string, blobId: WalrusBlobId): string {
  assertWalrusBlobId(blobId);
  return `${blobsEndpointOf(aggregatorUrl)}/${blobId}`;
}

/**
 * Fetches a blob's raw bytes from a Walrus aggregator (`GET {aggregator}/v1/blobs/{blobId}`). Network errors,
 * timeouts, 5xx and 429 are retried with exponential backoff and jitter (a `Retry-After` is honoured); 404 and 410
 * answer `missing`; when retries run out, or on any other status, it throws `BlobFetchError`.
 * @example
 * const blob = await fetchBlob(profile.verification.walrus.aggregator, blobId)
 * if (blob.status === "available") JSON.parse(new TextDecoder().decode(blob.bytes))
 */
export async function fetchBlob(
  aggregatorUrl: string,
  blobId: WalrusBlobId,
  { timeoutMs = 10_000, retries = 3, backoffMs = 250, signal, fetch = globalThis.fetch }: BlobRequestOptions = {},
): Promise<FetchedBlob> {
  const url = blobUrlOf(aggregatorUrl, blobId);
  return requestWithRetries<FetchedBlob>({
    timeoutMs,
    retries,
    backoffMs,
    signal,
    async attempt(attemptSignal, attempts) {
      const response = await fetch(url, { signal: attemptSignal });
      if (response.ok) return { done: { status: "available", bytes: new Uint8Array(await response.arrayBuffer()) } };
      const body = await textOf(response);
      if (response.status === 404 || response.status === 410)
        return { done: { status: "missing", httpStatus: response.status } };
      if (isRetryableStatus(response.status)) return retryOn(response, body);
      throw new BlobFetchError(
        `Walrus aggregator refused ${url} with HTTP ${response.status}${quoted(body)}; check the blob id and that the URL is a Walrus aggregator.`,
        { url, httpStatus: response.status, attempts, retryable: false },
      );
    },
    fail: ({ attempts, reason, httpStatus, cause }) =>
      new BlobFetchError(
        `Walrus aggregator gave no answer for ${url} after ${attempts} attempt${attempts === 1 ? "" : "s"} (last: ${reason}); check that the aggregator is running and reachable (profile verification.walrus.aggregator, WALRUS_AGGREGATOR_URL).`,
        { url, httpStatus, attempts, retryable: true, cause },
      ),
  });
}

/**
 * Stores `bytes` through a Walrus publisher (`PUT {publisher}/v1/blobs?epochs=N`) and returns the blob id it
 * answers (`newlyCreated.blobObject.blobId` or `alreadyCertified.blobId`). Uploads are content-addressed, so
 * network errors, timeouts, 5xx and 429 are retried like `fetchBlob`'s; anything else throws `BlobUploadError`.
 * @example const blobId = await uploadBlob(publisherUrl, JSON.stringify(tree.dump()), { epochs: 10 })
 */
export async function uploadBlob(
  publisherUrl: string,
  bytes: Uint8Array | string,
  {
    epochs = 10,
    permanent = false,
    contentType = "application/octet-stream",
    timeoutMs = 60_000,
    retries = 2,
    backoffMs = 250,
    signal,
    fetch = globalThis.fetch,
  }: UploadBlobOptions = {},
): Promise<WalrusBlobId> {
  if (!Number.isSafeInteger(epochs) || epochs < 1)
    throw new InvalidInputError(`Walrus storage epochs "${String(epochs)}" is not a positive integer.`);
  const url = `${blobsEndpointOf(publisherUrl)}?epochs=${epochs}${permanent ? "&permanent=true" : ""}`;
  const body = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  return requestWithRetries<WalrusBlobId>({
    timeoutMs,
    retries,
    backoffMs,
    signal,
    async attempt(attemptSignal, attempts) {
      const response = await fetch(url, {
        method: "PUT",
        body: body as BodyInit,
        headers: { "Content-Type": contentType },
        signal: attemptSignal,
      });
      const text = await textOf(response);
      if (isRetryableStatus(response.status)) return retryOn(response, text);
      if (!response.ok)
        throw new BlobUploadError(
          `Walrus publisher refused ${url} with HTTP ${response.status}${quoted(text)}; check the blob size, the epochs and that the URL is a Walrus publisher.`,
          { url, httpStatus: response.status, attempts, retryable: false },
        );
      const blobId = blobIdOfStoreResult(text);
      if (blobId === undefined)
        throw new BlobUploadError(
          `Walrus publisher ${url} answered HTTP ${response.status} without newlyCreated.blobObject.blobId or alreadyCertified.blobId${quoted(text)}; check that the URL is a Walrus publisher.`,
          { url, httpStatus: response.status, attempts, retryable: false },
        );
      return { done: blobId };
    },
    fail: ({ attempts, reason, httpStatus, cause }) =>
      new BlobUploadError(
        `Walrus publisher did not store the blob at ${url} after ${attempts} attempt${attempts === 1 ? "" : "s"} (last: ${reason}); check that the publisher is running and reachable (profile verification.walrus.publisher).`,
        { url, httpStatus, attempts, retryable: true, cause },
      ),
  });
}

/** The blob id in a publisher's store answer, if it has a valid one where Walrus puts it. */
function blobIdOfStoreResult(text: string): WalrusBlobId | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = json as {
    newlyCreated?: { blobObject?: { blobId?: unknown } };
    alreadyCertified?: { blobId?: unknown };
  } | null;
  const blobId = result?.newlyCreated?.blobObject?.blobId ?? result?.alreadyCertified?.blobId;
  return isWalrusBlobId(blobId) ? blobId : undefined;
}

export type BlobPrefetcherStats = {
  /** Waiting for a free slot. */
  queued: number;
  /** Being fetched now. */
  active: number;
  /** The most fetched at once so far (never above `concurrency`). */
  maxActive: number;
  /** Fetches started, and of those settled and failed. */
  started: number;
  settled: number;
  failed: number;
  /** Results kept for `get` (until `forget`). */
  cached: number;
};

export type BlobPrefetcher<T> = {
  /** Queues a fetch of `blobId` unless one is queued, running or kept. */
  prefetch(blobId: WalrusBlobId): void;
  /** The fetch's shared promise; a blob not queued yet is queued ahead of the prefetches. */
  get(blobId: WalrusBlobId): Promise<T>;
  /** Drops the kept result (call it once the blob is handled). A failed fetch is never kept. */
  forget(blobId: WalrusBlobId): void;
  stats(): BlobPrefetcherStats;
};

type Entry<T> = {
  blobId: WalrusBlobId;
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  state: "queued" | "active" | "settled";
};

/**
 * A bounded-concurrency queue of blob fetches: `prefetch` ids ahead of the handlers that need them, `get` each
 * one's shared promise when needed. At most `concurrency` fetches run at once; an id is fetched once until
 * forgotten (or until its fetch fails).
 * @example
 * const blobs = createBlobPrefetcher({ fetchBlob: (id) => fetchBlob(aggregator, id) })
 * for (const id of upcoming) blobs.prefetch(id)
 * const blob = await blobs.get(id); blobs.forget(id)
 */
export function createBlobPrefetcher<T = FetchedBlob>({
  fetchBlob,
  concurrency = 8,
}: {
  fetchBlob: (blobId: WalrusBlobId) => Promise<T>;
  concurrency?: number;
}): BlobPrefetcher<T> {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new InvalidInputError(`Prefetch concurrency "${String(concurrency)}" is not a positive integer.`);
  const entries = new Map<WalrusBlobId, Entry<T>>();
  const queue: Entry<T>[] = [];
  const counts = { active: 0, maxActive: 0, started: 0, settled: 0, failed: 0 };

  function entryOf(blobId: WalrusBlobId, urgent: boolean): Entry<T> {
    assertWalrusBlobId(blobId);
    const existing = entries.get(blobId);
    if (existing) {
      if (urgent && existing.state === "queued") {
        queue.splice(queue.indexOf(existing), 1);
        queue.unshift(existing);
      }
      return existing;
    }
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A prefetch nobody awaits must not surface as an unhandled rejection; `get` hands out the promise itself.
    promise.catch(() => {});
    const entry: Entry<T> = { blobId, promise, resolve, reject, state: "queued" };
    entries.set(blobId, entry);
    if (urgent) queue.unshift(entry);
    else queue.push(entry);
    return entry;
  }

  function pump() {
    while (counts.active < concurrency && queue.length > 0) {
      const entry = queue.shift()!;
      entry.state = "active";
      counts.active++;
      counts.started++;
      counts.maxActive = Math.max(counts.maxActive, counts.active);
      Promise.resolve()
        .then(() => fetchBlob(entry.blobId))
        .then(entry.resolve, (error: unknown) => {
          counts.failed++;
          if (entries.get(entry.blobId) === entry) entries.delete(entry.blobId);
          entry.reject(error);
        })
        .finally(() => {
          entry.state = "settled";
          counts.active--;
          counts.settled++;
          pump();
        });
    }
  }

  return {
    prefetch(blobId) {
      entryOf(blobId, false);
      pump();
    },
    get(blobId) {
      const entry = entryOf(blobId, true);
      pump();
      return entry.promise;
    },
    forget(blobId) {
      entries.delete(blobId);
    },
    stats: () => ({ ...counts, queued: queue.length, cached: entries.size }),
  };
}

/** One request's outcome: a result, or a failure worth retrying. */
type Attempt<T> = { done: T } | { retry: { reason: string; httpStatus?: number; retryAfterMs?: number } };

type Failure = { attempts: number; reason: string; httpStatus?: number; cause?: unknown };

/** Runs `attempt` until it is done, throws, or `retries` retries have failed (then throws `fail(…)`). */
async function requestWithRetries<T>({
  timeoutMs,
  retries,
  backoffMs,
  signal,
  attempt,
  fail,
}: {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  signal?: AbortSignal;
  attempt: (signal: AbortSignal, attempts: number) => Promise<Attempt<T>>;
  fail: (failure: Failure) => Error;
}): Promise<T> {
  if (!(timeoutMs > 0)) throw new InvalidInputError(`Timeout "${String(timeoutMs)}" ms is not a positive number.`);
  if (!Number.isSafeInteger(retries) || retries < 0)
    throw new InvalidInputError(`Retries "${String(retries)}" is not a non-negative integer.`);
  if (!(backoffMs >= 0)) throw new InvalidInputError(`Backoff "${String(backoffMs)}" ms is not a non-negative number.`);
  for (let attempts = 1; ; attempts++) {
    signal?.throwIfAborted();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    let outcome: Attempt<T>;
    let cause: unknown;
    try {
      outcome = await attempt(controller.signal, attempts);
    } catch (error) {
      signal?.throwIfAborted();
      if (error instanceof BlobFetchError) throw error;
      cause = error;
      outcome = {
        retry: { reason: timedOut ? `no answer within ${timeoutMs} ms` : `network error: ${messageOf(error)}` },
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
    if ("done" in outcome) return outcome.done;
    const { reason, httpStatus, retryAfterMs = 0 } = outcome.retry;
    if (attempts > retries) throw fail({ attempts, reason, httpStatus, cause });
    const backoff = backoffMs * 2 ** (attempts - 1);
    // "Equal jitter": half the backoff for sure, the other half at random, so retrying clients spread out.
    await sleep(Math.max(retryAfterMs, backoff / 2 + Math.random() * (backoff / 2)), signal);
  }
}

function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

function retryOn(
  response: Response,
  body: string,
): { retry: { reason: string; httpStatus: number; retryAfterMs?: number } } {
  return {
    retry: {
      reason: `HTTP ${response.status}${quoted(body)}`,
      httpStatus: response.status,
      retryAfterMs: retryAfterMsOf(response.headers.get("retry-after")),
    },
  };
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from now (capped); undefined when absent or bad. */
function retryAfterMsOf(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/** The body of an answer that is not the blob, for error messages; empty when it cannot be read. */
async function textOf(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return "";
  }
}

/** ` ("…")`: Walrus's error message when the body is its `Status` JSON, else the start of the body. */
function quoted(body: string): string {
  if (body.trim() === "") return "";
  let text = body.trim();
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } } | null)?.error?.message;
    if (typeof message === "string") text = message;
  } catch {}
  text = text.replace(/\s+/g, " ");
  return ` ("${text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text}")`;
}

/** An error's message, with the network code undici hides in its `cause` (`fetch failed (ECONNREFUSED)`). */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === "string" ? `${message} (${code})` : message;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
