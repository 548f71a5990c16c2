import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { blobsEndpointOf, createBlobPrefetcher, fetchBlob, uploadBlob } from "./blobClient";
import { BlobFetchError, BlobUploadError, InvalidInputError } from "./errors";
import { blobIdOfRawBytes } from "./walrus";

type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

/** A loopback HTTP server answering with `handler`; it records each request's method, URL and arrival time. */
async function serve(handler: Handler) {
  const requests: { method: string; url: string; at: number }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push({ method: request.method ?? "", url: request.url ?? "", at: performance.now() });
      handler(request, response, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  servers.push(close);
  return { url, requests, close };
}

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

const blobIdOf = (n: number) => blobIdOfRawBytes(Uint8Array.from({ length: 32 }, (_, i) => (n * 7 + i) & 0xff));
const BLOB_ID = blobIdOf(1);
const BYTES = new TextEncoder().encode('{"format":"standard-v1"}');

/** Answers the blob after `failures` answers of `status`. */
function failingThen(failures: number, status: number, headers: Record<string, string> = {}): Handler {
  let seen = 0;
  return (_, response) => {
    if (seen++ < failures) {
      response.writeHead(status, { "Content-Type": "application/json", ...headers });
      return response.end(JSON.stringify({ error: { code: status, message: "try again later" } }));
    }
    response.writeHead(200, { "Content-Type": "application/octet-stream" });
    response.end(BYTES);
  };
}

/** The error `promise` rejects with, its URL replaced by `<url>` so messages can be pinned. */
async function errorOf(promise: Promise<unknown>, url: string) {
  const error = await promise.then(
    () => expect.unreachable("expected a rejection"),
    (e: unknown) => e,
  );
  if (error instanceof Error) error.message = error.message.replaceAll(url, "<url>");
  return error as BlobFetchError;
}

describe("fetchBlob", () => {
  test("default: the blob's raw bytes from {aggregator}/v1/blobs/{blobId}", async () => {
    const aggregator = await serve(failingThen(0, 500));
    expect(await fetchBlob(aggregator.url, BLOB_ID)).toEqual({ status: "available", bytes: BYTES });
    await fetchBlob(`${aggregator.url}/`, BLOB_ID);
    await fetchBlob(`${aggregator.url}/v1/blobs`, BLOB_ID);
    expect(aggregator.requests.map((r) => `${r.method} ${r.url}`)).toEqual(Array(3).fill(`GET /v1/blobs/${BLOB_ID}`));
  });

  test("behavior: retries a 503 twice, then succeeds", async () => {
    const aggregator = await serve(failingThen(2, 503));
    const blob = await fetchBlob(aggregator.url, BLOB_ID, { backoffMs: 20 });
    expect(blob).toEqual({ status: "available", bytes: BYTES });
    expect(aggregator.requests).toHaveLength(3);
    // Exponential backoff with equal jitter: at least 10 ms, then at least 20 ms.
    const [a, b, c] = aggregator.requests.map((r) => r.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(9);
    expect(c - b).toBeGreaterThanOrEqual(19);
  });

  test("behavior: gives up after its retries with a BlobFetchError naming the URL", async () => {
    const aggregator = await serve(failingThen(Number.POSITIVE_INFINITY, 503));
    const error = await errorOf(fetchBlob(aggregator.url, BLOB_ID, { retries: 2, backoffMs: 1 }), aggregator.url);
    expect(aggregator.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(BlobFetchError);
    expect(error).toMatchObject({ httpStatus: 503, attempts: 3, retryable: true });
    expect(error.message).toMatchInlineSnapshot(
      `"Walrus aggregator gave no answer for <url>/v1/blobs/BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY after 3 attempts (last: HTTP 503 ("try again later")); check that the aggregator is running and reachable (profile verification.walrus.aggregator, WALRUS_AGGREGATOR_URL)."`,
    );
  });

  test("behavior: 404 and 410 answer missing at once, without retries", async () => {
    for (const status of [404, 410]) {
      const aggregator = await serve(failingThen(Number.POSITIVE_INFINITY, status));
      expect(await fetchBlob(aggregator.url, BLOB_ID, { backoffMs: 1 })).toEqual({
        status: "missing",
        httpStatus: status,
      });
      expect(aggregator.requests).toHaveLength(1);
    }
  });

  test("behavior: other 4xx answers throw at once, not retryable", async () => {
    const aggregator = await serve(failingThen(Number.POSITIVE_INFINITY, 451));
    const error = await errorOf(fetchBlob(aggregator.url, BLOB_ID, { backoffMs: 1 }), aggregator.url);
    expect(aggregator.requests).toHaveLength(1);
    expect(error).toMatchObject({ name: "BlobFetchError", httpStatus: 451, attempts: 1, retryable: false });
    expect(error.message).toMatchInlineSnapshot(
      `"Walrus aggregator refused <url>/v1/blobs/BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY with HTTP 451 ("try again later"); check the blob id and that the URL is a Walrus aggregator."`,
    );
  });

  test("behavior: a hanging server times out within timeoutMs, headers or body", async () => {
    const silent = await serve(() => {});
    let started = performance.now();
    const error = await errorOf(
      fetchBlob(silent.url, BLOB_ID, { timeoutMs: 100, retries: 1, backoffMs: 1 }),
      silent.url,
    );
    expect(performance.now() - started).toBeLessThan(600);
    expect(silent.requests).toHaveLength(2);
    expect(error).toMatchObject({ httpStatus: undefined, attempts: 2, retryable: true });
    expect(error.message).toContain("after 2 attempts (last: no answer within 100 ms)");

    const stalled = await serve((_, response) => {
      response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": "1000" });
      response.write(BYTES);
    });
    started = performance.now();
    await expect(fetchBlob(stalled.url, BLOB_ID, { timeoutMs: 100, retries: 0 })).rejects.toThrow(
      "(last: no answer within 100 ms)",
    );
    expect(performance.now() - started).toBeLessThan(400);
  });

  test("behavior: honours Retry-After on 429", async () => {
    const aggregator = await serve(failingThen(1, 429, { "Retry-After": "1" }));
    const blob = await fetchBlob(aggregator.url, BLOB_ID, { backoffMs: 1 });
    expect(blob.status).toBe("available");
    const [first, second] = aggregator.requests.map((r) => r.at) as [number, number];
    expect(second - first).toBeGreaterThanOrEqual(990);
  });

  test("behavior: a refused connection is retried, then named", async () => {
    const gone = await serve(() => {});
    await gone.close();
    const error = await errorOf(fetchBlob(gone.url, BLOB_ID, { retries: 1, backoffMs: 1 }), gone.url);
    expect(error.message).toMatchInlineSnapshot(
      `"Walrus aggregator gave no answer for <url>/v1/blobs/BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY after 2 attempts (last: network error: fetch failed (ECONNREFUSED)); check that the aggregator is running and reachable (profile verification.walrus.aggregator, WALRUS_AGGREGATOR_URL)."`,
    );
  });

  test("behavior: the caller's signal stops it between retries", async () => {
    const aggregator = await serve(failingThen(Number.POSITIVE_INFINITY, 503));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("indexer stopping")), 50);
    const started = performance.now();
    await expect(
      fetchBlob(aggregator.url, BLOB_ID, { backoffMs: 10_000, signal: controller.signal }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(`[Error: indexer stopping]`);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(aggregator.requests).toHaveLength(1);
  });

  test("args: a malformed blob id is refused before any request", async () => {
    const aggregator = await serve(failingThen(0, 500));
    await expect(fetchBlob(aggregator.url, "0x1234")).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Walrus blob id "0x1234" is not a Walrus blob id (43 characters of URL-safe base64 encoding 32 bytes).]`,
    );
    await expect(fetchBlob(aggregator.url, BLOB_ID, { retries: -1 })).rejects.toThrow(InvalidInputError);
    expect(aggregator.requests).toHaveLength(0);
  });
});

describe("uploadBlob", () => {
  /** A publisher answering each PUT with the next of `answers` (status and JSON body). */
  function publisherOf(...answers: [number, unknown][]): Handler {
    let next = 0;
    return (_, response) => {
      const [status, body] = answers[Math.min(next++, answers.length - 1)]!;
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(typeof body === "string" ? body : JSON.stringify(body));
    };
  }

  test("default: PUTs the bytes for 10 epochs and returns newlyCreated.blobObject.blobId", async () => {
    let received: Buffer | undefined;
    const answer = publisherOf([200, { newlyCreated: { blobObject: { blobId: BLOB_ID }, cost: 1 } }]);
    const publisher = await serve((request, response, body) => {
      received = body;
      answer(request, response, body);
    });
    expect(await uploadBlob(publisher.url, BYTES)).toBe(BLOB_ID);
    expect(received).toEqual(Buffer.from(BYTES));
    expect(publisher.requests[0]).toMatchObject({ method: "PUT", url: "/v1/blobs?epochs=10" });
  });

  test("behavior: alreadyCertified.blobId, options in the query, 5xx retried", async () => {
    const publisher = await serve(
      publisherOf([504, { error: { message: "timed out" } }], [200, { alreadyCertified: { blobId: BLOB_ID } }]),
    );
    expect(await uploadBlob(`${publisher.url}/v1/blobs`, "{}", { epochs: 3, permanent: true, backoffMs: 1 })).toBe(
      BLOB_ID,
    );
    expect(publisher.requests.map((r) => r.url)).toEqual(Array(2).fill("/v1/blobs?epochs=3&permanent=true"));
  });

  test("behavior: a refusal or an answer without a blob id names the URL and the status", async () => {
    const refusing = await serve(publisherOf([413, "length limit exceeded"]));
    const refused = await errorOf(uploadBlob(refusing.url, BYTES), refusing.url);
    expect(refused).toBeInstanceOf(BlobUploadError);
    expect(refused.message).toMatchInlineSnapshot(
      `"Walrus publisher refused <url>/v1/blobs?epochs=10 with HTTP 413 ("length limit exceeded"); check the blob size, the epochs and that the URL is a Walrus publisher."`,
    );
    const odd = await serve(publisherOf([200, { newlyCreated: { blobObject: { blobId: "nope" } } }]));
    const error = await errorOf(uploadBlob(odd.url, BYTES), odd.url);
    expect(error.message).toMatchInlineSnapshot(
      `"Walrus publisher <url>/v1/blobs?epochs=10 answered HTTP 200 without newlyCreated.blobObject.blobId or alreadyCertified.blobId ("{"newlyCreated":{"blobObject":{"blobId":"nope"}}}"); check that the URL is a Walrus publisher."`,
    );
    await expect(uploadBlob(odd.url, BYTES, { epochs: 0 })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Walrus storage epochs "0" is not a positive integer.]`,
    );
  });
});

describe("createBlobPrefetcher", () => {
  test("default: never runs more than `concurrency` fetches, and fetches each id once", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const aggregator = await serve((request, response) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      setTimeout(() => {
        inFlight--;
        response.writeHead(200, { "Content-Type": "application/octet-stream" });
        response.end(request.url);
      }, 15);
    });
    const prefetcher = createBlobPrefetcher({ fetchBlob: (id) => fetchBlob(aggregator.url, id), concurrency: 3 });
    const ids = Array.from({ length: 12 }, (_, i) => blobIdOf(i));
    for (const id of [...ids, ...ids]) prefetcher.prefetch(id);
    expect(prefetcher.stats()).toMatchObject({ active: 3, queued: 9 });
    const blobs = await Promise.all(ids.map((id) => prefetcher.get(id)));
    expect(prefetcher.get(ids[0]!)).toBe(prefetcher.get(ids[0]!));
    expect(blobs.map((blob) => blob.status === "available" && new TextDecoder().decode(blob.bytes))).toEqual(
      ids.map((id) => `/v1/blobs/${id}`),
    );
    expect(maxInFlight).toBe(3);
    expect(aggregator.requests).toHaveLength(12);
    expect(prefetcher.stats()).toEqual({
      queued: 0,
      active: 0,
      maxActive: 3,
      started: 12,
      settled: 12,
      failed: 0,
      cached: 12,
    });
    prefetcher.forget(ids[0]!);
    await prefetcher.get(ids[0]!);
    expect(aggregator.requests).toHaveLength(13);
  });

  test("behavior: get jumps the queue; a failed fetch is not kept", async () => {
    const order: string[] = [];
    let failNext = true;
    const prefetcher = createBlobPrefetcher({
      concurrency: 1,
      async fetchBlob(id) {
        order.push(id);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (id === blobIdOf(9) && failNext) {
          failNext = false;
          throw new Error("aggregator down");
        }
        return id;
      },
    });
    for (let i = 0; i < 4; i++) prefetcher.prefetch(blobIdOf(i));
    const urgent = prefetcher.get(blobIdOf(9));
    await expect(urgent).rejects.toThrow("aggregator down");
    expect(order.slice(0, 2)).toEqual([blobIdOf(0), blobIdOf(9)]);
    expect(await prefetcher.get(blobIdOf(9))).toBe(blobIdOf(9));
    expect(prefetcher.stats()).toMatchObject({ failed: 1 });
    expect(() => prefetcher.prefetch("bad")).toThrow(InvalidInputError);
    expect(() => createBlobPrefetcher({ fetchBlob: async () => 0, concurrency: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Prefetch concurrency "0" is not a positive integer.]`,
    );
  });
});

describe("blobsEndpointOf", () => {
  test("default: appends /v1/blobs unless it is there", () => {
    expect(blobsEndpointOf("http://127.0.0.1:31415")).toBe("http://127.0.0.1:31415/v1/blobs");
    expect(blobsEndpointOf("http://127.0.0.1:31415//")).toBe("http://127.0.0.1:31415/v1/blobs");
    expect(blobsEndpointOf("http://127.0.0.1:9002/v1/blobs/")).toBe("http://127.0.0.1:9002/v1/blobs");
  });
});
