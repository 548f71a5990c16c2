import { afterEach, describe, expect, test, vi } from "vitest";
import { ApiDownError, ApiRequestError, isRetryable } from "./errors";
import { TypedDocumentString } from "./generated/graphql";
import { requestBlob, requestGraphQL } from "./request";

const Document = new TypedDocumentString<{ receipt: { id: string } | null }, { id: string }>(
  "query Receipt($id: ID!) { receipt(id: $id) { id } }",
);
const respond = (body: unknown, status = 200) =>
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify(body), { status })),
  );

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("requestGraphQL", () => {
  test("default: posts the document and variables, returns data", async () => {
    respond({ data: { receipt: { id: "0x1" } } });
    await expect(requestGraphQL(Document, { id: "0x1" }, { url: "/graphql" })).resolves.toEqual({
      receipt: { id: "0x1" },
    });
    const [url, init] = vi.mocked(fetch).mock.calls[0]!;
    expect(url).toBe("/graphql");
    expect(JSON.parse(String(init?.body))).toEqual({
      query: "query Receipt($id: ID!) { receipt(id: $id) { id } }",
      variables: { id: "0x1" },
    });
  });

  test("behavior: GraphQL errors are the request's fault, with the API's code", async () => {
    respond({
      data: null,
      errors: [{ message: 'Receipt ID "0x12" is not a 32-byte hex string.', extensions: { code: "BAD_RECEIPT_ID" } }],
    });
    const error = await requestGraphQL(Document, { id: "0x12" }, { url: "/graphql" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ message: 'Receipt ID "0x12" is not a 32-byte hex string.', code: "BAD_RECEIPT_ID" });
    expect(isRetryable(error)).toBe(false);
  });

  test("behavior: an error the API marks retryable is retried", async () => {
    respond({ errors: [{ message: "The database is unavailable; retry shortly.", extensions: { retryable: true } }] });
    expect(isRetryable(await requestGraphQL(Document, { id: "0x1" }, { url: "/graphql" }).catch((e) => e))).toBe(true);
  });

  test("behavior: no answer, or no GraphQL in it, means the API is down", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("fetch failed");
      }),
    );
    await expect(requestGraphQL(Document, { id: "0x1" }, { url: "/graphql" })).rejects.toThrowError(
      new ApiDownError("The API at /graphql cannot be reached."),
    );
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("<html>Bad gateway</html>", { status: 502 })),
    );
    const error = await requestGraphQL(Document, { id: "0x1" }, { url: "/graphql" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiDownError);
    expect((error as Error).message).toBe("The API at /graphql answered HTTP 502 without a GraphQL response.");
  });
});

describe("requestBlob", () => {
  const BLOB_ID = "orGaXuTN-hxHTViVALqcbFN8Cv6fxjaC3OUqg1ZjvZY";
  const answer = (body: string, status: number, type = "application/json") =>
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(body, { status, headers: { "content-type": type } })),
    );

  test("default: the archived text, from /blob/:blobId", async () => {
    answer('{"format":"standard-v1"}', 200);
    await expect(requestBlob(BLOB_ID)).resolves.toBe('{"format":"standard-v1"}');
    expect(vi.mocked(fetch).mock.calls[0]![0]).toBe(`/blob/${BLOB_ID}`);
  });

  test("behavior: not archived is null, not an error", async () => {
    answer(
      JSON.stringify({ error: { code: "BLOB_NOT_FOUND", message: `Blob "${BLOB_ID}" is not archived here.` } }),
      404,
    );
    await expect(requestBlob(BLOB_ID)).resolves.toBeNull();
  });

  test("behavior: a refused id is the request's fault, with the API's code", async () => {
    answer(JSON.stringify({ error: { code: "BAD_BLOB_ID", message: 'Blob ID "x" is not a Walrus blob id.' } }), 400);
    const error = await requestBlob("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ message: 'Blob ID "x" is not a Walrus blob id.', code: "BAD_BLOB_ID" });
  });

  test("behavior: a 404 that is not the API's (no /blob forwarding) means the API is not there", async () => {
    answer("<html>Not found</html>", 404, "text/html");
    await expect(requestBlob(BLOB_ID)).rejects.toThrowError(
      new ApiDownError(`The API at /blob/${BLOB_ID} answered HTTP 404 without the blob.`),
    );
  });
});
