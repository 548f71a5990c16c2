// Finding an inference's settlements from raw chain data: the relays' logs around the inference's time, and the
// batch blobs they name. Nothing here judges a settlement; it yields what it finds, in chain order.
import { type Address, getAbiItem, type Hex, parseEventLogs, TransactionReceiptNotFoundError } from "viem";
import { createBlobPrefetcher, type FetchedBlob } from "../blobClient";
import { BlobFormatError, InvalidInputError } from "../errors";
import { inferenceIdOfSettledLeaf } from "../leaves";
import type { NetworkProfile, ProfileRelay } from "../profile";
import { settlementRelayV3Abi } from "../settlementRelayV3Abi";
import type { TeeFields } from "../teeResponse";
import { type BlobLeaf, type ParsedTreeDump, parseTreeDump } from "../treeDump";
import { blobIdOfEventBytes, type WalrusBlobId } from "../walrus";
import type { BlobReader, ChainReader, Hint } from "./sources";

/** Seconds searched after the inference's timestamp: batches settle within ~15 minutes; two hours leaves margin. */
export const DEFAULT_WINDOW_SECONDS = 2 * 60 * 60;

/**
 * Seconds searched before it: the v3 relay accepts an individual settlement up to 5 minutes ahead of its block
 * (TEEInferenceVerifier's FUTURE_TOLERANCE), so an enclave clock running ahead can put the settlement that early.
 */
export const LEAD_SECONDS = 5 * 60;

/** Most blocks asked for in one `eth_getLogs` (a range the RPC refuses is halved and asked again). */
export const DEFAULT_LOG_BLOCK_RANGE = 5_000n;

/** Batch blobs fetched ahead of the one being examined. */
const BLOB_LOOKAHEAD = 8;

// v2 and v3 relays emit the same two events (same topics), so v3's ABI reads both.
const INDIVIDUAL_SETTLEMENT = getAbiItem({ abi: settlementRelayV3Abi, name: "IndividualSettlement" });
const BATCH_SETTLEMENT = getAbiItem({ abi: settlementRelayV3Abi, name: "BatchSettlement" });

type LogPlace = {
  relay: ProfileRelay;
  txHash: Hex;
  blockNumber: bigint;
  logIndex: number;
  /** Read because a hint named its transaction (it may also lie in the searched window). */
  hinted: boolean;
};

export type IndividualLog = LogPlace & {
  kind: "individual";
  teeId: Hex;
  ethAddress: Address;
  inputHash: Hex;
  outputHash: Hex;
  timestamp: bigint;
  walrusBlobId: Hex;
  signature: Hex;
};

export type BatchLog = LogPlace & { kind: "batch"; merkleRoot: Hex; batchSize: bigint; walrusBlobId: Hex };

export type RelayLog = IndividualLog | BatchLog;

/** A settlement of the inference: an individual event carrying it, or a batch whose blob holds its leaf. */
export type SettlementCandidate =
  | { kind: "individual"; log: IndividualLog }
  | {
      kind: "batch";
      log: BatchLog;
      blobId: WalrusBlobId;
      blobUrl: string;
      /** The blob, checked for its own consistency; its root may still differ from the event's. */
      blob: ParsedTreeDump;
      leaf: BlobLeaf;
    };

/** A batch whose blob could not be searched: `missing` (not fetchable now: pending) or `unreadable` (malformed). */
export type UnreadBatch = { log: BatchLog; status: "missing" | "unreadable"; reason: string; blobUrl?: string };

/** The blocks searched: from the first block at or after `timestamp − LEAD_SECONDS` to the window's end or the head. */
export type SearchWindow = {
  fromBlock: bigint;
  toBlock: bigint;
  fromTime: bigint;
  toTime: bigint;
  /** The head is earlier than the window's end: a settlement may still come. */
  open: boolean;
};

/** What a search looked at, updated while its candidates are read. */
export type SettlementSearch = {
  /** Null when the chain's head is before the inference's time (nothing to search yet). */
  window: SearchWindow | null;
  /** The relays searched (v2, v3) and those skipped (v1 events carry no blob id, and no inference id). */
  relays: ProfileRelay[];
  skippedRelays: ProfileRelay[];
  /** Batch settlements in the window (and the hinted transaction), and of those examined so far. */
  batches: number;
  examinedBatches: number;
  /** Individual settlements of this exact inference found. */
  individuals: number;
  unread: UnreadBatch[];
  /** What the hint's transaction held, when a hint named one. */
  hintNote?: string;
  /** The settlements of the inference, in chain order; stop reading whenever the answer is known. */
  candidates(): AsyncGenerator<SettlementCandidate>;
};

/** Chain order: block, then log index. */
export const compareLogPlaces = (a: LogPlace, b: LogPlace) =>
  a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1;

/**
 * The first block in [low, high] whose timestamp is at least `timestamp`, by binary search on block timestamps
 * (they never decrease); undefined when even `high` is earlier.
 * @example await firstBlockAtOrAfter(chain, 1776000000n, 0n, chain.head.number)
 */
export async function firstBlockAtOrAfter(
  chain: Pick<ChainReader, "timestampOf">,
  timestamp: bigint,
  low: bigint,
  high: bigint,
): Promise<bigint | undefined> {
  if (low > high || (await chain.timestampOf(high)) < timestamp) return undefined;
  // Invariant: the block sought is in [low, high].
  while (low < high) {
    const middle = (low + high) / 2n;
    if ((await chain.timestampOf(middle)) >= timestamp) high = middle;
    else low = middle + 1n;
  }
  return low;
}

/** The window of blocks a settlement of an inference at `timestamp` lies in, or null when the head is before it. */
export async function searchWindowOf(
  chain: Pick<ChainReader, "timestampOf" | "head">,
  timestamp: bigint,
  { lowestBlock = 0n, windowSeconds = DEFAULT_WINDOW_SECONDS }: { lowestBlock?: bigint; windowSeconds?: number } = {},
): Promise<SearchWindow | null> {
  const { head } = chain;
  const start = timestamp > BigInt(LEAD_SECONDS) ? timestamp - BigInt(LEAD_SECONDS) : 0n;
  const fromBlock = await firstBlockAtOrAfter(chain, start, lowestBlock, head.number);
  if (fromBlock === undefined) return null;
  const end = timestamp + BigInt(windowSeconds);
  const afterEnd =
    head.timestamp > end ? await firstBlockAtOrAfter(chain, end + 1n, fromBlock, head.number) : undefined;
  const toBlock = afterEnd === undefined ? head.number : afterEnd - 1n;
  return {
    fromBlock,
    toBlock,
    fromTime: await chain.timestampOf(fromBlock),
    toTime: await chain.timestampOf(toBlock),
    open: afterEnd === undefined && head.timestamp < end,
  };
}

const lower = <T extends string>(value: T) => value.toLowerCase() as T;

/** The relay logs of a receipt or a `getLogs` answer, as `RelayLog`s (logs of other contracts and events dropped). */
function relayLogsOf(
  logs: readonly Parameters<typeof parseEventLogs>[0]["logs"][number][],
  relays: readonly ProfileRelay[],
  hinted: boolean,
): RelayLog[] {
  const relayAt = new Map(relays.map((relay) => [lower(relay.address), relay]));
  const parsed = parseEventLogs({
    abi: [INDIVIDUAL_SETTLEMENT, BATCH_SETTLEMENT],
    logs: logs.filter((log) => relayAt.has(lower(log.address))),
  });
  return parsed.map((log): RelayLog => {
    const place: LogPlace = {
      relay: relayAt.get(lower(log.address))!,
      txHash: lower(log.transactionHash),
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
      hinted,
    };
    if (log.eventName === "BatchSettlement")
      return {
        ...place,
        kind: "batch",
        merkleRoot: lower(log.args.merkleRoot),
        batchSize: log.args.batchSize,
        walrusBlobId: log.args.walrusBlobId,
      };
    const { teeId, ethAddress, inputHash, outputHash, timestamp, walrusBlobId, signature } = log.args;
    return {
      ...place,
      kind: "individual",
      teeId: lower(teeId),
      ethAddress,
      inputHash: lower(inputHash),
      outputHash: lower(outputHash),
      timestamp,
      walrusBlobId,
      signature: lower(signature),
    };
  });
}

/** True when an individual settlement carries exactly this inference. */
const carries = (log: IndividualLog, fields: TeeFields) =>
  log.teeId === fields.teeId &&
  log.inputHash === fields.inputHash &&
  log.outputHash === fields.outputHash &&
  log.timestamp === fields.timestamp;

/**
 * Searches the profile's v2/v3 relays for settlements of the inference `fields` name: `IndividualSettlement` logs
 * with its teeId (matched on hashes and timestamp) and every `BatchSettlement` in the window after its timestamp,
 * whose blobs are read from the aggregator for its leaf. A hinted transaction is re-read from the RPC and searched
 * too, wherever it lies. Logs are read now; blobs as `candidates()` reaches them.
 * @example
 * const search = await searchSettlements({ fields, profile, chain, blobs })
 * for await (const candidate of search.candidates()) if (isTheOne(candidate)) break
 */
export async function searchSettlements({
  fields,
  profile,
  chain,
  blobs,
  hint,
  windowSeconds = DEFAULT_WINDOW_SECONDS,
  logBlockRange = DEFAULT_LOG_BLOCK_RANGE,
}: {
  fields: TeeFields;
  profile: NetworkProfile;
  chain: ChainReader;
  blobs: BlobReader;
  hint?: Hint;
  windowSeconds?: number;
  logBlockRange?: bigint;
}): Promise<SettlementSearch> {
  const relays = profile.verification.relays.filter((relay) => relay.abi !== "v1");
  const skippedRelays = profile.verification.relays.filter((relay) => relay.abi === "v1");
  const starts = relays.map((relay) => relay.startBlock ?? profile.verification.startBlock ?? 0);
  const lowestBlock = BigInt(starts.length > 0 ? Math.min(...starts) : 0);
  const window =
    relays.length > 0 ? await searchWindowOf(chain, fields.timestamp, { lowestBlock, windowSeconds }) : null;

  const logs: RelayLog[] = [];
  if (window) {
    const range = { fromBlock: window.fromBlock, toBlock: window.toBlock, blockRange: logBlockRange };
    const address = relays.map((relay) => relay.address);
    const [individual, batch] = await Promise.all([
      chain.read(`eth_getLogs(IndividualSettlement, blocks ${window.fromBlock}–${window.toBlock})`, (c) =>
        c.getLogs({ address, event: INDIVIDUAL_SETTLEMENT, args: { teeId: fields.teeId }, ...range }),
      ),
      chain.read(`eth_getLogs(BatchSettlement, blocks ${window.fromBlock}–${window.toBlock})`, (c) =>
        c.getLogs({ address, event: BATCH_SETTLEMENT, ...range }),
      ),
    ]);
    logs.push(...relayLogsOf([...individual, ...batch], relays, false));
  }

  let hintNote: string | undefined;
  if (hint?.txHash) {
    const txHash = hint.txHash;
    const receipt = await chain
      .read(`eth_getTransactionReceipt(${txHash})`, (c) => c.getTransactionReceipt({ hash: txHash }))
      .catch((error: unknown) => {
        if (error instanceof TransactionReceiptNotFoundError) return null;
        throw error;
      });
    const hinted = receipt ? relayLogsOf(receipt.logs, relays, true) : [];
    const useful = hinted.filter((log) => log.kind === "batch" || carries(log, fields));
    hintNote = !receipt
      ? `named transaction ${txHash}, which the RPC does not know`
      : useful.length === 0
        ? `named transaction ${txHash}, which carries no settlement of this inference on the profile's relays`
        : `named transaction ${txHash} (block ${receipt.blockNumber}); re-read from the RPC${useful.some((log) => log.kind === "batch") ? " and its blob from the aggregator" : ""}`;
    for (const log of useful)
      if (!logs.some((known) => known.txHash === log.txHash && known.logIndex === log.logIndex)) logs.push(log);
      else logs.find((known) => known.txHash === log.txHash && known.logIndex === log.logIndex)!.hinted = true;
  }

  const ordered = logs
    .filter((log): log is BatchLog | IndividualLog => log.kind === "batch" || carries(log, fields))
    .sort(compareLogPlaces);
  const search: SettlementSearch = {
    window,
    relays,
    skippedRelays,
    batches: ordered.filter((log) => log.kind === "batch").length,
    examinedBatches: 0,
    individuals: ordered.filter((log) => log.kind === "individual").length,
    unread: [],
    ...(hintNote && { hintNote }),
    candidates: () => candidatesOf(ordered, fields, blobs, search),
  };
  return search;
}

/** The blob id a batch event names, or the reason it names none. */
function blobIdOfLog(log: BatchLog): { blobId: WalrusBlobId } | { reason: string } {
  try {
    return { blobId: blobIdOfEventBytes(log.walrusBlobId) };
  } catch (error) {
    if (error instanceof InvalidInputError) return { reason: error.message };
    throw error;
  }
}

async function* candidatesOf(
  ordered: readonly RelayLog[],
  fields: TeeFields,
  blobs: BlobReader,
  search: SettlementSearch,
): AsyncGenerator<SettlementCandidate> {
  const prefetcher = createBlobPrefetcher<FetchedBlob>({ fetchBlob: (blobId) => blobs.read(blobId), concurrency: 4 });
  const parsed = new Map<WalrusBlobId, ParsedTreeDump | BlobFormatError>();
  const batchAt = ordered.map((log) => (log.kind === "batch" ? blobIdOfLog(log) : undefined));
  // A hinted batch is fetched first: it is where the answer most likely is.
  for (const [i, log] of ordered.entries()) {
    const id = batchAt[i];
    if (log.hinted && id && "blobId" in id) prefetcher.prefetch(id.blobId);
  }
  for (const [i, log] of ordered.entries()) {
    for (let j = i; j < Math.min(ordered.length, i + BLOB_LOOKAHEAD); j++) {
      const id = batchAt[j];
      if (id && "blobId" in id) prefetcher.prefetch(id.blobId);
    }
    if (log.kind === "individual") {
      yield { kind: "individual", log };
      continue;
    }
    search.examinedBatches++;
    const id = batchAt[i]!;
    if ("reason" in id) {
      search.unread.push({ log, status: "unreadable", reason: id.reason });
      continue;
    }
    const blobUrl = blobs.urlOf(id.blobId);
    const fetched = await prefetcher.get(id.blobId);
    if (fetched.status === "missing") {
      search.unread.push({
        log,
        status: "missing",
        reason: `its blob ${id.blobId} is not available (HTTP ${fetched.httpStatus} from ${blobUrl})`,
        blobUrl,
      });
      continue;
    }
    let blob = parsed.get(id.blobId);
    if (!blob) {
      try {
        blob = parseTreeDump(fetched.bytes);
      } catch (error) {
        if (!(error instanceof BlobFormatError)) throw error;
        blob = error;
      }
      parsed.set(id.blobId, blob);
    }
    if (blob instanceof BlobFormatError) {
      search.unread.push({ log, status: "unreadable", reason: `its blob ${id.blobId}: ${blob.message}`, blobUrl });
      continue;
    }
    const leaf = blob.leaves.find((leaf) => inferenceIdOfSettledLeaf(leaf.leaf) === fields.inferenceId);
    if (leaf) yield { kind: "batch", log, blobId: id.blobId, blobUrl, blob, leaf };
  }
}
