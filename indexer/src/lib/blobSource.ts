import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  blobIdOfEventBytes,
  createBlobPrefetcher,
  type FetchedBlob,
  fetchBlob,
  settlementRelayV3Abi,
  type WalrusBlobId,
} from "@settlescan/abis";
import { type Address, createPublicClient, getAbiItem, http } from "viem";

/** What Settlescan knows of a blob: its content, or why not (yet). */
export type BlobLookup =
  | { status: "available"; content: string; source: "aggregator" | "archive" }
  | { status: "pending"; reason: string }
  | { status: "expired"; reason: string };

/** How long a handler waits on the aggregator before leaving a batch pending (it keeps trying in the background). */
const HANDLER_TIMEOUT_MS = Number(process.env.BLOB_TIMEOUT_MS ?? 3_000);
/** Pending blobs are asked for again this often, in the background. */
const PENDING_RETRY_MS = Number(process.env.BLOB_RETRY_MS ?? 2_000);
/**
 * Blob fetches in flight at once. Handlers run one after another, so with an aggregator answering in `d` seconds the
 * index settles at most `concurrency / d` batches a second: 64 keeps 200 ms blobs (320 batches/s) ahead of a backfill.
 */
const CONCURRENCY = Number(process.env.BLOB_CONCURRENCY ?? 64);

const decoder = new TextDecoder();

/**
 * Blobs from an archive directory (`SETTLESCAN_BLOB_ARCHIVE`: one file per blob id, as `archive export` writes them)
 * and, failing that, from the Walrus aggregator — fetched at most `concurrency` at a time, prefetched ahead of the
 * handlers. 404 means not fetchable yet (pending); 410 means gone (expired).
 */
export function createBlobSource({
  aggregator,
  archiveDir = process.env.SETTLESCAN_BLOB_ARCHIVE || undefined,
  concurrency = CONCURRENCY,
}: {
  aggregator: string;
  archiveDir?: string;
  concurrency?: number;
}) {
  const fetchOf = async (blobId: WalrusBlobId): Promise<BlobLookup> => {
    if (archiveDir) {
      const file = join(archiveDir, blobId);
      if (existsSync(file)) return { status: "available", content: readFileSync(file, "utf8"), source: "archive" };
    }
    let fetched: FetchedBlob;
    try {
      fetched = await fetchBlob(aggregator, blobId, { timeoutMs: HANDLER_TIMEOUT_MS, retries: 1, backoffMs: 100 });
    } catch (error) {
      return { status: "pending", reason: error instanceof Error ? error.message : String(error) };
    }
    if (fetched.status === "available")
      return { status: "available", content: decoder.decode(fetched.bytes), source: "aggregator" };
    return fetched.httpStatus === 410
      ? { status: "expired", reason: `The Walrus aggregator says blob ${blobId} is gone (HTTP 410).` }
      : {
          status: "pending",
          reason: `The Walrus aggregator does not serve blob ${blobId} yet (HTTP ${fetched.httpStatus}).`,
        };
  };
  const prefetcher = createBlobPrefetcher<BlobLookup>({ fetchBlob: fetchOf, concurrency });
  const settled = new Map<WalrusBlobId, BlobLookup>();
  const retries = new Map<WalrusBlobId, ReturnType<typeof setTimeout>>();
  const track = (blobId: WalrusBlobId) =>
    prefetcher.get(blobId).then((lookup) => {
      settled.set(blobId, lookup);
      return lookup;
    });
  // A pending blob is asked for again every PENDING_RETRY_MS in the background, so that the next handler finds it.
  const retryWhilePending = (blobId: WalrusBlobId) => {
    if (retries.has(blobId)) return;
    const timer = setTimeout(async () => {
      prefetcher.forget(blobId);
      const lookup = await track(blobId);
      retries.delete(blobId);
      if (lookup.status === "pending") retryWhilePending(blobId);
    }, PENDING_RETRY_MS);
    timer.unref?.();
    retries.set(blobId, timer);
  };

  return {
    prefetch: (blobId: WalrusBlobId) => void track(blobId),
    /** The blob, fetched once and shared; never throws (an unreachable aggregator is `pending`). */
    lookup: (blobId: WalrusBlobId) => track(blobId),
    /**
     * The blob if a fetch of it has finished, without waiting (undefined while none has); while it is pending it is
     * asked for again in the background.
     */
    peek(blobId: WalrusBlobId): BlobLookup | undefined {
      const known = settled.get(blobId);
      if (!known) void track(blobId);
      else if (known.status === "pending") retryWhilePending(blobId);
      return known;
    },
    /** Frees a handled blob (its content now lives in the `blob` table). */
    forget(blobId: WalrusBlobId) {
      settled.delete(blobId);
      clearTimeout(retries.get(blobId));
      retries.delete(blobId);
      prefetcher.forget(blobId);
    },
    stats: () => prefetcher.stats(),
  };
}

export type BlobSource = ReturnType<typeof createBlobSource>;

const settlementEvents = [
  getAbiItem({ abi: settlementRelayV3Abi, name: "BatchSettlement" }),
  getAbiItem({ abi: settlementRelayV3Abi, name: "IndividualSettlement" }),
];

/**
 * Reads the relays' `BatchSettlement` and `IndividualSettlement` logs ahead of the indexer and prefetches their
 * blobs, so handlers find them fetched: at most `window` blobs ahead of the last one a handler asked for, `chunk`
 * blocks per `eth_getLogs`.
 */
export function startBlobPrefetch({
  rpcUrl,
  relays,
  fromBlock,
  toBlock,
  source,
  window = 512,
  chunk = 2_000n,
}: {
  rpcUrl: string;
  relays: Address[];
  fromBlock: bigint;
  toBlock?: bigint;
  source: BlobSource;
  window?: number;
  chunk?: bigint;
}) {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 3 }) });
  let ahead = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = async () => {
    const end = toBlock ?? (await client.getBlockNumber());
    for (let from = fromBlock; from <= end && !stopped; from += chunk) {
      const logs = await client.getLogs({
        address: relays,
        events: settlementEvents,
        fromBlock: from,
        toBlock: from + chunk - 1n > end ? end : from + chunk - 1n,
      });
      for (const log of logs) {
        while (ahead >= window && !stopped) await new Promise<void>((resolve) => (wake = resolve));
        try {
          source.prefetch(blobIdOfEventBytes(log.args.walrusBlobId ?? "0x"));
          ahead++;
        } catch {
          // A malformed blob id is the handler's to report.
        }
      }
    }
  };
  // Prefetching only saves time: a failure leaves the handlers fetching for themselves.
  void loop().catch(() => {});
  return {
    /** A handler took one prefetched blob. */
    consumed() {
      ahead = Math.max(0, ahead - 1);
      wake?.();
      wake = undefined;
    },
    stop() {
      stopped = true;
      wake?.();
    },
  };
}
