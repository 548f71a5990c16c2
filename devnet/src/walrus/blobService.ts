import { createHash, randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  assertWalrusBlobId,
  blobIdOfRawBytes,
  InvalidInputError,
  isWalrusBlobId,
  type WalrusBlobId,
} from "@settlescan/abis";

/** The port Walrus's docs run a local daemon on (`walrus daemon -b 127.0.0.1:31415`); the devnet profile uses it. */
export const DEFAULT_WALRUS_PORT = 31415;

/** Largest body a publisher stores: Walrus's public publishers limit requests to 10 MiB. */
export const MAX_BLOB_BYTES = 10 * 1024 * 1024;

/** Walrus mainnet epochs last two weeks; blobs are stored for whole epochs. */
export const DEFAULT_EPOCH_SECONDS = 14 * 24 * 60 * 60;

/** Most epochs ahead a blob may be stored for (Walrus mainnet's `max_epochs_ahead`). */
export const MAX_EPOCHS_AHEAD = 53;

/** Devnet storage prices in FROST (10⁻⁹ WAL) per MiB of encoded size: not Walrus's prices, but priced the same way. */
const STORAGE_PRICE_PER_MIB_EPOCH = 100_000;
const WRITE_PRICE_PER_MIB = 20_000;

/** Where Walrus's errors say they come from (`walrus_storage_node_client::api::errors::DAEMON_ERROR_DOMAIN`). */
const ERROR_DOMAIN = "daemon.walrus.space";

/** Walrus's aggregator message for a blob it cannot find (`GetBlobError::BlobNotFound`). */
const BLOB_NOT_FOUND_MESSAGE = "the requested blob ID does not exist on Walrus, ensure that it was entered correctly";

/**
 * The devnet's message for an expired blob. Real Walrus answers 404 for it as for any blob it lacks; the devnet answers
 * 410 Gone (a devnet extension), so an indexer can tell "expired" (410) from "not fetchable yet" (404).
 */
const BLOB_EXPIRED_MESSAGE = "the requested blob ID's storage has ended: the blob expired and is no longer on Walrus";

/** A Sui `Blob` object as a publisher prints it (`newlyCreated.blobObject`). */
export type WalrusBlobObject = {
  id: `0x${string}`;
  registeredEpoch: number;
  blobId: WalrusBlobId;
  size: number;
  encodingType: "RS2";
  certifiedEpoch: number;
  storage: { id: `0x${string}`; startEpoch: number; endEpoch: number; storageSize: number };
  deletable: boolean;
};

/** A publisher's answer to `PUT /v1/blobs` (Walrus `BlobStoreResult`, the variants this service produces). */
export type WalrusStoreResult =
  | {
      newlyCreated: {
        blobObject: WalrusBlobObject;
        resourceOperation:
          | { registerFromScratch: { encodedLength: number; epochsAhead: number } }
          | { reuseAndExtend: { encodedLength: number; epochsExtended: number } };
        cost: number;
      };
    }
  | {
      alreadyCertified: { blobId: WalrusBlobId; endEpoch: number } & (
        | { event: { txDigest: string; eventSeq: string } }
        | { object: `0x${string}` }
      );
    };

/**
 * What the service does with a blob id: `available` (served), `withheld` (stored, answered 404 until released),
 * `expired` (gone, answered 410: its end epoch passed or it was expired by hand; only a new upload brings it back),
 * `unknown` (answered 404).
 */
export type BlobServiceStatus = "available" | "withheld" | "expired" | "unknown";

/** Which newly uploaded blobs start withheld: a share of them (picked by blob id, so runs repeat) or a predicate. */
export type WithheldOnUpload = number | ((blobId: WalrusBlobId, bytes: Uint8Array) => boolean);

export type BlobServiceKnobs = {
  /** Every blob `GET`/`HEAD` answers after this many milliseconds. */
  delayMs?: number;
  withheldOnUpload?: WithheldOnUpload;
  /** Ids answered 404 until released (they need not be uploaded yet). */
  withheld?: WalrusBlobId[];
  /** Ids gone from the service. */
  expired?: WalrusBlobId[];
};

export type BlobServiceOptions = {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Blobs and their state are kept here as files, so a restarted service still serves them. */
  directory?: string;
  /** Length of a storage epoch; blobs whose end epoch has come are expired. */
  epochSeconds?: number;
  maxBlobBytes?: number;
  knobs?: BlobServiceKnobs;
};

export type BlobServiceStats = {
  /** HTTP requests of any kind. */
  requests: number;
  /** Blob `GET`/`HEAD` requests, and of those answered with the blob (hits) or 404 / 410 (misses). */
  reads: number;
  hits: number;
  misses: number;
  /** `PUT /v1/blobs` requests and in-process uploads that stored or confirmed a blob. */
  uploads: number;
  bytesServed: number;
  bytesReceived: number;
  /** Blobs held (available or withheld). */
  blobs: number;
};

export type BlobService = {
  /** Base URL; Walrus's publisher and aggregator paths hang off it. */
  url: string;
  publisherUrl: string;
  aggregatorUrl: string;
  port: number;
  /** Uploads in-process, exactly as `PUT /v1/blobs?epochs=…` would. */
  put(
    bytes: Uint8Array | string,
    options?: { epochs?: number; permanent?: boolean },
  ): Promise<{ blobId: WalrusBlobId; result: WalrusStoreResult }>;
  /** True while the service holds the blob (available or withheld). */
  has(blobId: WalrusBlobId): boolean;
  statusOf(blobId: WalrusBlobId): BlobServiceStatus;
  /** Answer 404 for `blobId` until `release`; resolves once persisted. */
  withhold(blobId: WalrusBlobId): Promise<BlobServiceStatus>;
  release(blobId: WalrusBlobId): Promise<BlobServiceStatus>;
  /** Drop `blobId` for good, as Walrus does once its storage ends (answered 410; a new upload stores it again). */
  expire(blobId: WalrusBlobId): Promise<BlobServiceStatus>;
  setDelay(ms: number): void;
  setWithheldOnUpload(rule: WithheldOnUpload | undefined): void;
  /** The current storage epoch, counted from the service's first start. */
  epoch(): number;
  stats(): BlobServiceStats;
  /** Stops serving once pending writes are on disk. */
  close(): Promise<void>;
};

/** What the service keeps about a stored blob (and, as `<blobId>.json`, on disk). */
type BlobRecord = {
  blobId: WalrusBlobId;
  size: number;
  deletable: boolean;
  registeredEpoch: number;
  endEpoch: number;
  objectId: `0x${string}`;
  storageId: `0x${string}`;
  txDigest: string;
};

type BlobState = { record?: BlobRecord; withheld?: boolean; expired?: boolean };

/** A store request the publisher refuses, with its HTTP status and Walrus error reason. */
class StoreRequestError extends InvalidInputError {
  override name = "StoreRequestError";
  constructor(
    message: string,
    readonly reason: "MALFORMED_REQUEST" | "INVALID_BLOB_PERSISTENCE",
  ) {
    super(message);
  }
}

/**
 * The devnet's blob id: the 32 bytes of sha256 of the content, as Walrus prints ids. Real Walrus ids come from the
 * erasure-coded slivers; what matters here is that an id is content-derived, so identical bytes get the same id.
 * @example devnetBlobIdOf(new TextEncoder().encode("{}")) // 43 characters of base64url
 */
export function devnetBlobIdOf(bytes: Uint8Array): WalrusBlobId {
  return blobIdOfRawBytes(createHash("sha256").update(bytes).digest());
}

/**
 * A Walrus-compatible publisher and aggregator on loopback: `PUT /v1/blobs?epochs=N` stores a blob and answers
 * Walrus's `newlyCreated` / `alreadyCertified` JSON, `GET`/`HEAD /v1/blobs/{blobId}` serves its raw bytes or
 * Walrus's 404 (410 Gone for an expired blob, a devnet extension). Knobs (here, on the returned object, and over `POST /devnet/…`) delay reads, withhold blobs until
 * released, and expire them, so every blob status (available, pending, expired) can be produced.
 * @example
 * const walrus = await startBlobService({ port: DEFAULT_WALRUS_PORT, directory: ".walrus" })
 * const blobId = await uploadBlob(walrus.publisherUrl, JSON.stringify(tree.dump()))
 */
export async function startBlobService({
  port = 0,
  host = "127.0.0.1",
  directory,
  epochSeconds = DEFAULT_EPOCH_SECONDS,
  maxBlobBytes = MAX_BLOB_BYTES,
  knobs = {},
}: BlobServiceOptions = {}): Promise<BlobService> {
  if (!(epochSeconds > 0))
    throw new InvalidInputError(`Epoch length "${String(epochSeconds)}" s is not a positive number of seconds.`);
  const states = new Map<WalrusBlobId, BlobState>();
  /** Blob bytes when there is no directory (with one, they are read from disk). */
  const contents = new Map<WalrusBlobId, Uint8Array>();
  const counts = { requests: 0, reads: 0, hits: 0, misses: 0, uploads: 0, bytesServed: 0, bytesReceived: 0 };
  let delayMs = delayOf(knobs.delayMs ?? 0);
  let withheldOnUpload = knobs.withheldOnUpload;
  let genesisMs = Date.now();

  if (directory) {
    await mkdir(directory, { recursive: true });
    genesisMs = await genesisOf(directory, genesisMs);
    for (const name of await readdir(directory)) {
      const blobId = name.slice(0, -".json".length);
      if (!name.endsWith(".json") || !isWalrusBlobId(blobId)) continue;
      states.set(blobId, JSON.parse(await readFile(join(directory, name), "utf8")) as BlobState);
    }
  }
  for (const blobId of knobs.withheld ?? []) stateOf(blobId).withheld = true;
  for (const blobId of knobs.expired ?? []) stateOf(blobId).expired = true;

  const epoch = () => Math.floor((Date.now() - genesisMs) / (epochSeconds * 1000));

  function stateOf(blobId: WalrusBlobId): BlobState {
    assertWalrusBlobId(blobId);
    const state = states.get(blobId) ?? {};
    states.set(blobId, state);
    return state;
  }

  function statusOf(blobId: WalrusBlobId): BlobServiceStatus {
    const state = states.get(blobId);
    if (!state?.record) return state?.expired ? "expired" : "unknown";
    if (state.expired || state.record.endEpoch <= epoch()) return "expired";
    return state.withheld ? "withheld" : "available";
  }

  // Writes of one id run one after another, each saving the latest state, so the file never goes back in time.
  const writes = new Map<WalrusBlobId, Promise<void>>();
  const pendingWrites = new Set<Promise<void>>();
  function serially<T>(blobId: WalrusBlobId, task: () => Promise<T>): Promise<T> {
    const result = (writes.get(blobId) ?? Promise.resolve()).then(task);
    const settled = result.then(
      () => {},
      () => {},
    );
    writes.set(blobId, settled);
    pendingWrites.add(settled);
    settled.then(() => {
      pendingWrites.delete(settled);
      if (writes.get(blobId) === settled) writes.delete(blobId);
    });
    return result;
  }

  async function saveState(blobId: WalrusBlobId): Promise<void> {
    if (!directory) return;
    await writeAtomically(join(directory, `${blobId}.json`), JSON.stringify(states.get(blobId) ?? {}));
  }

  function setKnob(blobId: WalrusBlobId, change: (state: BlobState) => void): Promise<BlobServiceStatus> {
    change(stateOf(blobId));
    return serially(blobId, () => saveState(blobId)).then(() => statusOf(blobId));
  }

  async function store(
    bytes: Uint8Array,
    { epochs, deletable }: { epochs: number; deletable: boolean },
  ): Promise<{ blobId: WalrusBlobId; result: WalrusStoreResult }> {
    const digest = createHash("sha256").update(bytes).digest();
    const blobId = blobIdOfRawBytes(digest);
    return serially(blobId, async () => {
      const now = epoch();
      const state = stateOf(blobId);
      const status = statusOf(blobId);
      const encodedLength = encodedLengthOf(bytes.length);
      counts.uploads++;
      if (state.record && status !== "expired") {
        const record = state.record;
        if (record.endEpoch >= now + epochs)
          return {
            blobId,
            result: {
              alreadyCertified: {
                blobId,
                // Walrus names the blob object for a deletable blob the publisher owns, else the certification event.
                ...(record.deletable
                  ? { object: record.objectId }
                  : { event: { txDigest: record.txDigest, eventSeq: "0" } }),
                endEpoch: record.endEpoch,
              },
            },
          };
        const epochsExtended = now + epochs - record.endEpoch;
        record.endEpoch = now + epochs;
        await saveState(blobId);
        return {
          blobId,
          result: {
            newlyCreated: {
              blobObject: blobObjectOf(record, encodedLength),
              resourceOperation: { reuseAndExtend: { encodedLength, epochsExtended } },
              cost: costOf(encodedLength, epochsExtended, false),
            },
          },
        };
      }
      const record: BlobRecord = {
        blobId,
        size: bytes.length,
        deletable,
        registeredEpoch: now,
        endEpoch: now + epochs,
        objectId: suiIdOf("blob", blobId, now),
        storageId: suiIdOf("storage", blobId, now),
        txDigest: base58Of(createHash("sha256").update(`walrus-devnet:certify:${blobId}:${now}`).digest()),
      };
      if (directory) await writeAtomically(join(directory, `${blobId}.blob`), bytes);
      else contents.set(blobId, bytes);
      state.record = record;
      state.expired = false;
      if (withheldOnUpload !== undefined && isWithheldOnUpload(withheldOnUpload, blobId, digest, bytes))
        state.withheld = true;
      await saveState(blobId);
      return {
        blobId,
        result: {
          newlyCreated: {
            blobObject: blobObjectOf(record, encodedLength),
            resourceOperation: { registerFromScratch: { encodedLength, epochsAhead: epochs } },
            cost: costOf(encodedLength, epochs, true),
          },
        },
      };
    });
  }

  async function bytesOf(blobId: WalrusBlobId): Promise<Uint8Array | undefined> {
    if (!directory) return contents.get(blobId);
    try {
      return await readFile(join(directory, `${blobId}.blob`));
    } catch {
      return undefined;
    }
  }

  // Reads waiting out `delayMs`; closing the service lets them go at once.
  const sleepers = new Set<() => void>();
  function pause(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  async function read(request: IncomingMessage, response: ServerResponse, blobId: string) {
    counts.reads++;
    await pause(delayMs);
    if (!isWalrusBlobId(blobId))
      return sendStatus(
        response,
        400,
        "INVALID_ARGUMENT",
        "INVALID_BLOB_ID",
        `the blob ID "${blobId}" is malformed: expected 43 characters of URL-safe base64 encoding 32 bytes`,
      );
    const status = statusOf(blobId);
    const bytes = status === "available" ? await bytesOf(blobId) : undefined;
    if (!bytes) {
      counts.misses++;
      if (status === "expired") return sendStatus(response, 410, "NOT_FOUND", "BLOB_EXPIRED", BLOB_EXPIRED_MESSAGE);
      return sendStatus(response, 404, "NOT_FOUND", "BLOB_NOT_FOUND", BLOB_NOT_FOUND_MESSAGE);
    }
    counts.hits++;
    response.writeHead(200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": bytes.length,
      ETag: blobId,
      "X-Content-Type-Options": "nosniff",
      // Walrus lets caches keep blobs for a day; here knobs change answers at runtime, so nothing may be cached.
      "Cache-Control": "no-store",
    });
    if (request.method === "HEAD") return response.end();
    counts.bytesServed += bytes.length;
    response.end(bytes);
  }

  async function upload(request: IncomingMessage, response: ServerResponse, query: URLSearchParams) {
    const body = await bodyOf(request, maxBlobBytes);
    counts.bytesReceived += body.received;
    if (!body.bytes)
      return send(
        response,
        413,
        `the blob is ${body.received} bytes; this publisher stores at most ${maxBlobBytes} bytes`,
        "text/plain; charset=utf-8",
      );
    let options: { epochs: number; deletable: boolean };
    try {
      options = storeOptionsOf(query);
    } catch (error) {
      if (!(error instanceof StoreRequestError)) throw error;
      return sendStatus(response, 400, "INVALID_ARGUMENT", error.reason, error.message);
    }
    const { result } = await store(body.bytes, options);
    send(response, 200, JSON.stringify(result), "application/json");
  }

  async function admin(response: ServerResponse, path: string, query: URLSearchParams) {
    if (path === "/devnet/delay") {
      const ms = Number(query.get("ms"));
      if (query.get("ms") === null || !Number.isSafeInteger(ms) || ms < 0)
        return sendStatus(
          response,
          400,
          "INVALID_ARGUMENT",
          "MALFORMED_REQUEST",
          `delay "${query.get("ms")}" is not a whole number of milliseconds`,
        );
      delayMs = ms;
      return send(response, 200, JSON.stringify({ delayMs }), "application/json");
    }
    const [, , , blobId = "", action] = path.split("/");
    if (!isWalrusBlobId(blobId))
      return sendStatus(
        response,
        400,
        "INVALID_ARGUMENT",
        "INVALID_BLOB_ID",
        `the blob ID "${blobId}" is malformed: expected 43 characters of URL-safe base64 encoding 32 bytes`,
      );
    const status = await service[action as "withhold" | "release" | "expire"](blobId);
    send(response, 200, JSON.stringify({ blobId, status }), "application/json");
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    counts.requests++;
    // Browsers (the explorer) read blobs from another origin, as they do from public aggregators.
    response.setHeader("Access-Control-Allow-Origin", "*");
    const { pathname: path, searchParams: query } = new URL(request.url ?? "/", "http://loopback");
    const method = request.method ?? "GET";
    if (method === "OPTIONS") {
      response.writeHead(204, {
        "Access-Control-Allow-Methods": "GET, HEAD, PUT, POST",
        "Access-Control-Allow-Headers": "*",
        "Access-Control-Max-Age": "86400",
      });
      return response.end();
    }
    const route = routeOf(path);
    if (!route) return sendStatus(response, 404, "NOT_FOUND", "NOT_FOUND", `there is no route ${path}`);
    if (!route.methods.includes(method)) {
      response.setHeader("Allow", route.methods.join(", "));
      return sendStatus(response, 405, "INVALID_ARGUMENT", "METHOD_NOT_ALLOWED", `${path} does not take ${method}`);
    }
    if (route.name === "status") return send(response, 200, "OK", "text/plain; charset=utf-8");
    if (route.name === "store") return upload(request, response, query);
    if (route.name === "read") return read(request, response, path.slice("/v1/blobs/".length));
    if (route.name === "stats") return send(response, 200, JSON.stringify(service.stats()), "application/json");
    return admin(response, path, query);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      sendStatus(response, 500, "INTERNAL", "INTERNAL", error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const boundPort = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`;

  const service: BlobService = {
    url,
    publisherUrl: url,
    aggregatorUrl: url,
    port: boundPort,
    async put(bytes, { epochs = 1, permanent = false } = {}) {
      const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
      if (data.length > maxBlobBytes)
        throw new InvalidInputError(`The blob is ${data.length} bytes; this publisher stores at most ${maxBlobBytes}.`);
      return store(data, storeOptionsOf(new URLSearchParams({ epochs: String(epochs), permanent: String(permanent) })));
    },
    has: (blobId) => ["available", "withheld"].includes(statusOf(blobId)),
    statusOf,
    withhold: (blobId) => setKnob(blobId, (state) => (state.withheld = true)),
    release: (blobId) => setKnob(blobId, (state) => (state.withheld = false)),
    expire: (blobId) => setKnob(blobId, (state) => (state.expired = true)),
    setDelay(ms) {
      delayMs = delayOf(ms);
    },
    setWithheldOnUpload(rule) {
      withheldOnUpload = rule;
    },
    epoch,
    stats: () => ({
      ...counts,
      blobs: [...states.keys()].filter((blobId) => service.has(blobId)).length,
    }),
    async close() {
      for (const wake of [...sleepers]) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await Promise.all(pendingWrites);
    },
  };
  return service;
}

type Route = { name: "status" | "store" | "read" | "stats" | "admin"; methods: string[] };

function routeOf(path: string): Route | undefined {
  if (path === "/status") return { name: "status", methods: ["GET", "HEAD"] };
  if (path === "/v1/blobs") return { name: "store", methods: ["PUT"] };
  if (/^\/v1\/blobs\/[^/]+$/.test(path)) return { name: "read", methods: ["GET", "HEAD"] };
  if (path === "/devnet/stats") return { name: "stats", methods: ["GET"] };
  if (path === "/devnet/delay" || /^\/devnet\/blobs\/[^/]+\/(withhold|release|expire)$/.test(path))
    return { name: "admin", methods: ["POST"] };
  return undefined;
}

/** `epochs` (default 1, as on Walrus) and persistence (deletable unless `permanent=true`, as since Walrus v1.33). */
function storeOptionsOf(query: URLSearchParams): { epochs: number; deletable: boolean } {
  const epochsText = query.get("epochs") ?? "1";
  const epochs = Number(epochsText);
  if (!/^\d+$/.test(epochsText) || epochs < 1 || epochs > MAX_EPOCHS_AHEAD)
    throw new StoreRequestError(
      `the request is malformed: epochs "${epochsText}" is not an integer from 1 to ${MAX_EPOCHS_AHEAD}`,
      "MALFORMED_REQUEST",
    );
  const flag = (name: string) => {
    const value = query.get(name);
    if (value === null || value === "false") return false;
    if (value === "true") return true;
    throw new StoreRequestError(
      `the request is malformed: ${name} "${value}" is not true or false`,
      "MALFORMED_REQUEST",
    );
  };
  const permanent = flag("permanent");
  const deletable = flag("deletable");
  if (permanent && deletable)
    throw new StoreRequestError("the blob cannot be both deletable and permanent", "INVALID_BLOB_PERSISTENCE");
  return { epochs, deletable: !permanent };
}

function blobObjectOf(record: BlobRecord, encodedLength: number): WalrusBlobObject {
  return {
    id: record.objectId,
    registeredEpoch: record.registeredEpoch,
    blobId: record.blobId,
    size: record.size,
    encodingType: "RS2",
    certifiedEpoch: record.registeredEpoch,
    storage: {
      id: record.storageId,
      startEpoch: record.registeredEpoch,
      endEpoch: record.endEpoch,
      storageSize: encodedLength,
    },
    deletable: record.deletable,
  };
}

/**
 * Encoded size of a blob: Walrus's erasure coding stores about five times the blob plus fixed per-shard metadata
 * (its docs show 4,747,680 bytes for a 17-byte blob). Only the magnitude is Walrus's.
 */
function encodedLengthOf(size: number): number {
  return 4_747_680 + 5 * size;
}

function costOf(encodedLength: number, epochs: number, write: boolean): number {
  const mib = Math.ceil(encodedLength / (1024 * 1024));
  return mib * (epochs * STORAGE_PRICE_PER_MIB_EPOCH + (write ? WRITE_PRICE_PER_MIB : 0));
}

/** A stable Sui object id for a blob's `kind` object registered in `epoch`. */
function suiIdOf(kind: string, blobId: WalrusBlobId, epoch: number): `0x${string}` {
  return `0x${createHash("sha256").update(`walrus-devnet:${kind}:${blobId}:${epoch}`).digest("hex")}`;
}

function isWithheldOnUpload(rule: WithheldOnUpload, blobId: WalrusBlobId, digest: Uint8Array, bytes: Uint8Array) {
  if (typeof rule === "function") return rule(blobId, bytes);
  // The id's first four bytes, as a fraction of 2³², pick the same blobs on every run.
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0) / 2 ** 32 < rule;
}

function delayOf(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0)
    throw new InvalidInputError(`Delay "${String(ms)}" ms is not a non-negative number.`);
  return ms;
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Bitcoin-alphabet base58, how Sui prints transaction digests. */
function base58Of(bytes: Uint8Array): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let text = "";
  while (value > 0n) {
    text = BASE58[Number(value % 58n)] + text;
    value /= 58n;
  }
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) text = `1${text}`;
  return text;
}

/** The request body, or only its length once it passes `limit` (the rest is read and dropped). */
function bodyOf(request: IncomingMessage, limit: number): Promise<{ bytes?: Uint8Array; received: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on("end", () => resolve({ bytes: received <= limit ? Buffer.concat(chunks) : undefined, received }));
    request.on("error", reject);
  });
}

/** Walrus's error body (`Status`): `{ error: { code, status, message, details: [ErrorInfo] } }`. */
function sendStatus(response: ServerResponse, code: number, status: string, reason: string, message: string) {
  const body = {
    error: { code, status, message, details: [{ "@type": "ErrorInfo", reason, domain: ERROR_DOMAIN, metadata: {} }] },
  };
  send(response, code, JSON.stringify(body), "application/json");
}

function send(response: ServerResponse, code: number, body: string, contentType: string) {
  const bytes = Buffer.from(body);
  response.writeHead(code, { "Content-Type": contentType, "Content-Length": bytes.length });
  response.end(response.req.method === "HEAD" ? undefined : bytes);
}

/** The first start's time, which epoch 0 begins at; kept in the directory so epochs go on across restarts. */
async function genesisOf(directory: string, now: number): Promise<number> {
  const path = join(directory, "service.json");
  try {
    const { genesisMs } = JSON.parse(await readFile(path, "utf8")) as { genesisMs?: unknown };
    if (typeof genesisMs === "number") return genesisMs;
  } catch {}
  await writeAtomically(path, JSON.stringify({ genesisMs: now }));
  return now;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
async function writeAtomically(path: string, data: string | Uint8Array) {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
