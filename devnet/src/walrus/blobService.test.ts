import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isWalrusBlobId, type WalrusBlobId } from "@settlescan/abis";
import { afterEach, describe, expect, test } from "vitest";
import {
  type BlobService,
  type BlobServiceOptions,
  devnetBlobIdOf,
  MAX_BLOB_BYTES,
  startBlobService,
  type WalrusStoreResult,
} from "./blobService";

const running: BlobService[] = [];
const directories: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.close()));
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

async function start(options: BlobServiceOptions = {}) {
  const service = await startBlobService(options);
  running.push(service);
  return service;
}

async function temporaryDirectory() {
  const directory = await mkdtemp(join(tmpdir(), "settlescan-walrus-"));
  directories.push(directory);
  return directory;
}

/** A batch dump as the facilitator uploads it (the content only needs to be distinct per call). */
let counter = 0;
function dumpBytes(label = `batch ${++counter}`) {
  return new TextEncoder().encode(JSON.stringify({ format: "standard-v1", label, values: [] }));
}

async function putBlob(walrus: BlobService, body: Uint8Array<ArrayBuffer>, query = "epochs=10") {
  const response = await fetch(`${walrus.publisherUrl}/v1/blobs?${query}`, { method: "PUT", body });
  return { response, json: (await response.json()) as WalrusStoreResult & { error?: { message: string } } };
}

function blobIdOf(result: WalrusStoreResult): WalrusBlobId {
  return "newlyCreated" in result ? result.newlyCreated.blobObject.blobId : result.alreadyCertified.blobId;
}

async function getBlob(walrus: BlobService, blobId: string, method = "GET") {
  const response = await fetch(`${walrus.aggregatorUrl}/v1/blobs/${blobId}`, { method });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), response };
}

function admin(walrus: BlobService, path: string) {
  return fetch(`${walrus.url}/devnet/${path}`, { method: "POST" });
}

describe("PUT /v1/blobs", () => {
  test("default: a new blob answers newlyCreated with a content-derived 43-character id", async () => {
    const walrus = await start();
    const body = dumpBytes("fixed content");
    const { response, json } = await putBlob(walrus, body);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const blobId = blobIdOf(json);
    expect(isWalrusBlobId(blobId)).toBe(true);
    expect(blobId).toHaveLength(43);
    expect(blobId).toBe(devnetBlobIdOf(body));
    expect(json).toEqual({
      newlyCreated: {
        blobObject: {
          id: expect.stringMatching(/^0x[0-9a-f]{64}$/),
          registeredEpoch: 0,
          blobId,
          size: body.length,
          encodingType: "RS2",
          certifiedEpoch: 0,
          storage: {
            id: expect.stringMatching(/^0x[0-9a-f]{64}$/),
            startEpoch: 0,
            endEpoch: 10,
            storageSize: 4_747_680 + 5 * body.length,
          },
          deletable: true,
        },
        resourceOperation: { registerFromScratch: { encodedLength: 4_747_680 + 5 * body.length, epochsAhead: 10 } },
        cost: 5 * (10 * 100_000 + 20_000),
      },
    });
    expect(walrus.statusOf(blobId)).toBe("available");
  });

  test("behavior: identical bytes again answer alreadyCertified with the same id", async () => {
    const walrus = await start();
    const body = dumpBytes();
    const first = await putBlob(walrus, body);
    const again = await putBlob(walrus, body);
    expect(again.response.status).toBe(200);
    expect(again.json).toEqual({
      alreadyCertified: {
        blobId: blobIdOf(first.json),
        object: "newlyCreated" in first.json ? first.json.newlyCreated.blobObject.id : "",
        endEpoch: 10,
      },
    });

    // A permanent blob names the certification event, as Walrus does for blobs the publisher does not own.
    const permanent = dumpBytes();
    await putBlob(walrus, permanent, "epochs=3&permanent=true");
    const { json } = await putBlob(walrus, permanent, "epochs=2");
    expect(json).toEqual({
      alreadyCertified: {
        blobId: devnetBlobIdOf(permanent),
        event: { txDigest: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{43,44}$/), eventSeq: "0" },
        endEpoch: 3,
      },
    });
  });

  test("behavior: asking for more epochs than stored extends the blob", async () => {
    const walrus = await start();
    const body = dumpBytes();
    await putBlob(walrus, body, "epochs=2");
    const { json } = await putBlob(walrus, body, "epochs=5");
    expect("newlyCreated" in json && json.newlyCreated.resourceOperation).toEqual({
      reuseAndExtend: { encodedLength: 4_747_680 + 5 * body.length, epochsExtended: 3 },
    });
    expect("newlyCreated" in json && json.newlyCreated.blobObject.storage.endEpoch).toBe(5);
  });

  test("args: bad epochs and persistence are refused with Walrus's error body", async () => {
    const walrus = await start();
    const messages = [];
    for (const query of ["epochs=0", "epochs=abc", "epochs=54", "epochs=1.5", "deletable=true&permanent=true"]) {
      const { response, json } = await putBlob(walrus, dumpBytes(), query);
      expect(response.status).toBe(400);
      messages.push(json.error?.message);
    }
    expect(messages).toMatchInlineSnapshot(`
      [
        "the request is malformed: epochs "0" is not an integer from 1 to 53",
        "the request is malformed: epochs "abc" is not an integer from 1 to 53",
        "the request is malformed: epochs "54" is not an integer from 1 to 53",
        "the request is malformed: epochs "1.5" is not an integer from 1 to 53",
        "the blob cannot be both deletable and permanent",
      ]
    `);
    const { json } = await putBlob(walrus, dumpBytes(), "epochs=0");
    expect(json).toMatchInlineSnapshot(`
      {
        "error": {
          "code": 400,
          "details": [
            {
              "@type": "ErrorInfo",
              "domain": "daemon.walrus.space",
              "metadata": {},
              "reason": "MALFORMED_REQUEST",
            },
          ],
          "message": "the request is malformed: epochs "0" is not an integer from 1 to 53",
          "status": "INVALID_ARGUMENT",
        },
      }
    `);
    expect(walrus.stats().blobs).toBe(0);
  });

  test("behavior: a body over 10 MiB is refused with 413 and not stored", async () => {
    const walrus = await start();
    const response = await fetch(`${walrus.publisherUrl}/v1/blobs?epochs=10`, {
      method: "PUT",
      body: new Uint8Array(MAX_BLOB_BYTES + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatchInlineSnapshot(
      `"the blob is 10485761 bytes; this publisher stores at most 10485760 bytes"`,
    );
    expect(walrus.has(devnetBlobIdOf(new Uint8Array(MAX_BLOB_BYTES + 1)))).toBe(false);
    const atLimit = await putBlob(walrus, new Uint8Array(MAX_BLOB_BYTES));
    expect(atLimit.response.status).toBe(200);
  });
});

describe("GET /v1/blobs/{blobId}", () => {
  test("default: serves the identical bytes, and HEAD their length", async () => {
    const walrus = await start();
    const body = dumpBytes();
    const { json } = await putBlob(walrus, body);
    const { status, bytes, response } = await getBlob(walrus, blobIdOf(json));
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("etag")).toBe(blobIdOf(json));
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(bytes).toEqual(body);
    const head = await getBlob(walrus, blobIdOf(json), "HEAD");
    expect(head.status).toBe(200);
    expect(head.response.headers.get("content-length")).toBe(String(body.length));
    expect(head.bytes).toHaveLength(0);
    expect(walrus.stats()).toMatchObject({ reads: 2, hits: 2, misses: 0, uploads: 1, bytesServed: body.length });
  });

  test("behavior: an unknown id answers Walrus's 404, a malformed one 400", async () => {
    const walrus = await start();
    const unknown = devnetBlobIdOf(dumpBytes());
    const missing = await fetch(`${walrus.aggregatorUrl}/v1/blobs/${unknown}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchInlineSnapshot(`
      {
        "error": {
          "code": 404,
          "details": [
            {
              "@type": "ErrorInfo",
              "domain": "daemon.walrus.space",
              "metadata": {},
              "reason": "BLOB_NOT_FOUND",
            },
          ],
          "message": "the requested blob ID does not exist on Walrus, ensure that it was entered correctly",
          "status": "NOT_FOUND",
        },
      }
    `);
    expect((await getBlob(walrus, unknown, "HEAD")).status).toBe(404);
    const malformed = await fetch(`${walrus.aggregatorUrl}/v1/blobs/not-a-blob-id`);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatchInlineSnapshot(
      `"the blob ID "not-a-blob-id" is malformed: expected 43 characters of URL-safe base64 encoding 32 bytes"`,
    );
    expect(walrus.stats()).toMatchObject({ reads: 3, hits: 0, misses: 2 });
  });

  test("behavior: a withheld blob answers 404 until released", async () => {
    const walrus = await start();
    const { blobId } = await walrus.put(dumpBytes(), { epochs: 10 });
    expect(await walrus.withhold(blobId)).toBe("withheld");
    expect((await getBlob(walrus, blobId)).status).toBe(404);
    expect(walrus.has(blobId)).toBe(true);
    expect(await walrus.release(blobId)).toBe("available");
    expect((await getBlob(walrus, blobId)).status).toBe(200);
  });

  test("behavior: an expired blob answers 410 Gone for good; only a new upload stores it again", async () => {
    const walrus = await start();
    const body = dumpBytes();
    const { blobId } = await walrus.put(body, { epochs: 10 });
    expect(await walrus.expire(blobId)).toBe("expired");
    expect(await walrus.release(blobId)).toBe("expired");
    const gone = await fetch(`${walrus.aggregatorUrl}/v1/blobs/${blobId}`);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchInlineSnapshot(`
      {
        "error": {
          "code": 410,
          "details": [
            {
              "@type": "ErrorInfo",
              "domain": "daemon.walrus.space",
              "metadata": {},
              "reason": "BLOB_EXPIRED",
            },
          ],
          "message": "the requested blob ID's storage has ended: the blob expired and is no longer on Walrus",
          "status": "NOT_FOUND",
        },
      }
    `);
    expect((await getBlob(walrus, blobId, "HEAD")).status).toBe(410);
    expect(walrus.has(blobId)).toBe(false);
    const { json } = await putBlob(walrus, body);
    expect("newlyCreated" in json).toBe(true);
    expect((await getBlob(walrus, blobId)).bytes).toEqual(body);
  });

  test("behavior: a blob expires when its end epoch comes", async () => {
    const walrus = await start({ epochSeconds: 0.3 });
    const { blobId, result } = await walrus.put(dumpBytes(), { epochs: 1 });
    const endEpoch = "newlyCreated" in result ? result.newlyCreated.blobObject.storage.endEpoch : -1;
    expect(endEpoch).toBe(walrus.epoch() + 1);
    expect((await getBlob(walrus, blobId)).status).toBe(200);
    while (walrus.epoch() < endEpoch) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(walrus.statusOf(blobId)).toBe("expired");
    expect((await getBlob(walrus, blobId)).status).toBe(410);
  });

  test("behavior: reads answer after the delay", async () => {
    const walrus = await start({ knobs: { delayMs: 300 } });
    const { blobId } = await walrus.put(dumpBytes());
    let started = performance.now();
    expect((await getBlob(walrus, blobId)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    walrus.setDelay(0);
    started = performance.now();
    await getBlob(walrus, blobId);
    expect(performance.now() - started).toBeLessThan(150);
    walrus.setDelay(250);
    started = performance.now();
    expect((await getBlob(walrus, devnetBlobIdOf(dumpBytes()))).status).toBe(404);
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
  });

  test("behavior: withheldOnUpload keeps a share of new blobs, or those a predicate picks, unfetchable", async () => {
    const all = await start({ knobs: { withheldOnUpload: 1 } });
    const none = await start({ knobs: { withheldOnUpload: 0 } });
    const body = dumpBytes();
    expect(all.statusOf((await all.put(body)).blobId)).toBe("withheld");
    expect(none.statusOf((await none.put(body)).blobId)).toBe("available");

    const half = await start({ knobs: { withheldOnUpload: 0.5 } });
    const statuses = [];
    for (let i = 0; i < 64; i++) statuses.push(half.statusOf((await half.put(dumpBytes())).blobId));
    const withheld = statuses.filter((status) => status === "withheld").length;
    expect(withheld).toBeGreaterThan(10);
    expect(withheld).toBeLessThan(54);

    const picky = await start({ knobs: { withheldOnUpload: (_, bytes) => bytes.length > 100 } });
    const { json: small } = await putBlob(picky, new Uint8Array(10));
    const { json: large } = await putBlob(picky, new Uint8Array(200));
    expect((await getBlob(picky, blobIdOf(small))).status).toBe(200);
    expect((await getBlob(picky, blobIdOf(large))).status).toBe(404);
    await picky.release(blobIdOf(large));
    expect((await getBlob(picky, blobIdOf(large))).status).toBe(200);
  });
});

describe("POST /devnet/…", () => {
  test("default: withhold, release, expire and delay steer a running service", async () => {
    const walrus = await start();
    const { blobId } = await walrus.put(dumpBytes());
    const withheld = await admin(walrus, `blobs/${blobId}/withhold`);
    expect(await withheld.json()).toEqual({ blobId, status: "withheld" });
    expect((await getBlob(walrus, blobId)).status).toBe(404);
    expect(await (await admin(walrus, `blobs/${blobId}/release`)).json()).toEqual({ blobId, status: "available" });
    expect((await getBlob(walrus, blobId)).status).toBe(200);

    expect(await (await admin(walrus, "delay?ms=120")).json()).toEqual({ delayMs: 120 });
    const started = performance.now();
    await getBlob(walrus, blobId);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    await admin(walrus, "delay?ms=0");

    expect(await (await admin(walrus, `blobs/${blobId}/expire`)).json()).toEqual({ blobId, status: "expired" });
    expect((await getBlob(walrus, blobId)).status).toBe(410);
    const stats = await (await fetch(`${walrus.url}/devnet/stats`)).json();
    expect(stats).toMatchObject({ uploads: 1, hits: 2, misses: 2, blobs: 0 });
  });

  test("behavior: an id not uploaded yet can be withheld ahead of its upload", async () => {
    const walrus = await start();
    const body = dumpBytes();
    await admin(walrus, `blobs/${devnetBlobIdOf(body)}/withhold`);
    const { json } = await putBlob(walrus, body);
    expect((await getBlob(walrus, blobIdOf(json))).status).toBe(404);
    await admin(walrus, `blobs/${blobIdOf(json)}/release`);
    expect((await getBlob(walrus, blobIdOf(json))).status).toBe(200);

    const early = dumpBytes();
    const primed = await start({ knobs: { withheld: [devnetBlobIdOf(early)] } });
    const { blobId } = await primed.put(early);
    expect(primed.statusOf(blobId)).toBe("withheld");
    expect((await getBlob(primed, blobId)).status).toBe(404);
  });

  test("args: a malformed id, a bad delay, an unknown route or method", async () => {
    const walrus = await start();
    const badId = await admin(walrus, "blobs/xyz/withhold");
    expect(badId.status).toBe(400);
    const badDelay = await admin(walrus, "delay?ms=-5");
    expect(badDelay.status).toBe(400);
    expect(((await badDelay.json()) as { error: { message: string } }).error.message).toMatchInlineSnapshot(
      `"delay "-5" is not a whole number of milliseconds"`,
    );
    expect((await admin(walrus, "blobs/xyz/delete")).status).toBe(404);
    const wrongMethod = await fetch(`${walrus.url}/v1/blobs`, { method: "POST", body: "x" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("PUT");
    expect((await fetch(`${walrus.url}/status`)).status).toBe(200);
  });
});

describe("directory", () => {
  test("behavior: a restarted service still serves its blobs, knobs and epochs", async () => {
    const directory = await temporaryDirectory();
    const first = await start({ directory, epochSeconds: 3600 });
    const kept = dumpBytes();
    const hidden = dumpBytes();
    const { blobId } = await first.put(kept, { epochs: 7 });
    const { blobId: hiddenId } = await first.put(hidden, { epochs: 7 });
    await first.withhold(hiddenId);
    await first.close();
    running.splice(running.indexOf(first), 1);

    const second = await start({ directory, epochSeconds: 3600 });
    expect((await getBlob(second, blobId)).bytes).toEqual(kept);
    expect((await getBlob(second, hiddenId)).status).toBe(404);
    expect(second.statusOf(hiddenId)).toBe("withheld");
    const { json } = await putBlob(second, kept, "epochs=7");
    expect(json).toMatchObject({ alreadyCertified: { blobId, endEpoch: 7 } });
    expect(second.stats().blobs).toBe(2);
  });
});
