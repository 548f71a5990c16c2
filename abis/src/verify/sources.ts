// Where a verification's facts come from: the verification chain's RPC, a Walrus aggregator, and an optional
// Settlescan API that may say where to look. Each adapter names its URL in its errors; what judges takes plain values.
import {
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  createPublicClient,
  type Hex,
  http,
  type PublicClient,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  BaseError as ViemBaseError,
} from "viem";
import { blobUrlOf, type FetchedBlob, fetchBlob } from "../blobClient";
import { BlobFetchError } from "../errors";
import { isBytes32 } from "../ids";
import type { WalrusBlobId } from "../walrus";
import { VerifySourceError } from "./errors";

/** Milliseconds one RPC request may take (historical state reads can be slow). */
const RPC_TIMEOUT_MS = 15_000;

/** Further attempts after a failed RPC request (viem backs off between them). */
const RPC_RETRIES = 2;

/** Milliseconds a Settlescan API may take to answer a hint; it is optional, so it is not waited on for long. */
const HINT_TIMEOUT_MS = 5_000;

/** Why a request failed, as short as the network stack says it: `connect ECONNREFUSED`, else the innermost message. */
export function reasonOf(error: unknown): string {
  let innermost = error;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    const { code, syscall } = e as { code?: unknown; syscall?: unknown };
    if (typeof code === "string") return typeof syscall === "string" ? `${syscall} ${code}` : code;
    innermost = e;
  }
  if (innermost instanceof Error && (innermost.name === "TimeoutError" || innermost.name === "AbortError"))
    return "no answer in time";
  const message =
    innermost instanceof ViemBaseError
      ? innermost.shortMessage
      : innermost instanceof Error
        ? innermost.message
        : String(innermost);
  return message.replace(/\s+/g, " ").replace(/\.$/, "");
}

/**
 * True for an answer about the chain rather than a failing source: a contract call that reverted or found no code,
 * a transaction the chain does not know.
 */
export function isChainAnswer(error: unknown): boolean {
  return (
    error instanceof ViemBaseError &&
    error.walk(
      (e) =>
        e instanceof ContractFunctionRevertedError ||
        e instanceof ContractFunctionZeroDataError ||
        e instanceof TransactionNotFoundError ||
        e instanceof TransactionReceiptNotFoundError,
    ) !== null
  );
}

/** The verification chain as one RPC answers it: reads that fail name the URL, block timestamps are kept. */
export type ChainReader = {
  url: string;
  chainId: number;
  client: PublicClient;
  /** The head when the verification started; every search ends there, so the answer is about one chain state. */
  head: { number: bigint; timestamp: bigint };
  /** Runs one read; a failing source becomes a `VerifySourceError` naming the URL and `what` was read. */
  read<T>(what: string, run: (client: PublicClient) => Promise<T>): Promise<T>;
  /** A block's timestamp (each block is read once). */
  timestampOf(blockNumber: bigint): Promise<bigint>;
  /** Requests sent so far. */
  requests(): number;
};

/**
 * Connects to the verification chain's RPC and checks it is the profile's chain. Throws `VerifySourceError` when it
 * does not answer or is another chain.
 * @example const chain = await connectChain("http://127.0.0.1:8546", 10740)
 */
export async function connectChain(
  url: string,
  chainId: number,
  { timeoutMs = RPC_TIMEOUT_MS, retryCount = RPC_RETRIES }: { timeoutMs?: number; retryCount?: number } = {},
): Promise<ChainReader> {
  let requests = 0;
  const client = createPublicClient({
    transport: http(url, {
      timeout: timeoutMs,
      retryCount,
      onFetchRequest: () => {
        requests++;
      },
    }),
  }) as PublicClient;
  const read = async <T>(what: string, run: (client: PublicClient) => Promise<T>): Promise<T> => {
    try {
      return await run(client);
    } catch (error) {
      if (isChainAnswer(error)) throw error;
      throw new VerifySourceError(
        `The verification chain RPC ${url} failed to answer ${what} (${reasonOf(error)}); pass a reachable RPC of chain ${chainId} (one that keeps past state, to read the registry at a settlement's block).`,
        { url, cause: error },
      );
    }
  };
  let answered: number;
  try {
    answered = await client.getChainId();
  } catch (error) {
    throw new VerifySourceError(
      `The verification chain RPC ${url} is unreachable (${reasonOf(error)}); pass a reachable RPC of chain ${chainId}.`,
      { url, cause: error },
    );
  }
  if (answered !== chainId)
    throw new VerifySourceError(
      `The verification chain RPC ${url} is chain ${answered}, but the profile's verification chain is ${chainId}; pass an RPC of chain ${chainId}.`,
      { url },
    );
  const timestamps = new Map<bigint, Promise<bigint>>();
  const timestampOf = (blockNumber: bigint) => {
    let timestamp = timestamps.get(blockNumber);
    if (!timestamp) {
      timestamp = read(`eth_getBlockByNumber(${blockNumber})`, (c) => c.getBlock({ blockNumber })).then(
        (block) => block.timestamp,
      );
      timestamp.catch(() => timestamps.delete(blockNumber));
      timestamps.set(blockNumber, timestamp);
    }
    return timestamp;
  };
  const latest = await read("eth_getBlockByNumber(latest)", (c) => c.getBlock({ blockTag: "latest" }));
  const head = { number: latest.number, timestamp: latest.timestamp };
  timestamps.set(head.number, Promise.resolve(head.timestamp));
  return { url, chainId, client, head, read, timestampOf, requests: () => requests };
}

/** A Walrus aggregator, counting what it answered. */
export type BlobReader = {
  url: string;
  /** The blob's bytes, or `missing` (404/410: not fetchable now); a failing aggregator throws `VerifySourceError`. */
  read(blobId: WalrusBlobId): Promise<FetchedBlob>;
  /** The URL a blob is read at. */
  urlOf(blobId: WalrusBlobId): string;
  counts: { available: number; missing: number };
};

/** Reads blobs from the aggregator at `url` with `fetchBlob`'s retries. */
export function blobReaderOf(
  url: string,
  {
    retries = 2,
    timeoutMs = 10_000,
    fetch,
  }: { retries?: number; timeoutMs?: number; fetch?: typeof globalThis.fetch } = {},
): BlobReader {
  const counts = { available: 0, missing: 0 };
  return {
    url,
    counts,
    urlOf: (blobId) => blobUrlOf(url, blobId),
    async read(blobId) {
      try {
        const blob = await fetchBlob(url, blobId, { retries, timeoutMs, ...(fetch && { fetch }) });
        counts[blob.status]++;
        return blob;
      } catch (error) {
        if (!(error instanceof BlobFetchError)) throw error;
        throw new VerifySourceError(`${error.message.replace(/\.$/, "")}; or pass another aggregator.`, {
          url: error.url,
          cause: error,
        });
      }
    },
  };
}

/** What a Settlescan API said about where the inference settled: where to look first, never what to conclude. */
export type Hint = {
  url: string;
  /** The settlement transaction it named, if any. */
  txHash?: Hex;
  blobId?: string;
  /** Why it said nothing usable (unreachable, not a Settlescan API, no such inference). */
  failure?: string;
};

/** `{api}/graphql`, unless the URL already ends there. */
export function graphqlUrlOf(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, "");
  return base.endsWith("/graphql") ? base : `${base}/graphql`;
}

const HINT_QUERY = "query Hint($id: ID!) { inference(id: $id) { settlement { txHash blobId } } }";

/**
 * Asks a Settlescan API where an inference settled (`inference(id) { settlement { txHash blobId } }`). Never throws:
 * a hint that cannot be read is reported as `failure`, and verification goes on without it.
 * @example const hint = await readHint("http://127.0.0.1:42069", inferenceId)
 */
export async function readHint(
  apiUrl: string,
  inferenceId: Hex,
  {
    timeoutMs = HINT_TIMEOUT_MS,
    fetch = globalThis.fetch,
  }: { timeoutMs?: number; fetch?: typeof globalThis.fetch } = {},
): Promise<Hint> {
  const url = graphqlUrlOf(apiUrl);
  let body: {
    data?: { inference?: { settlement?: { txHash?: unknown; blobId?: unknown } | null } | null };
    errors?: { message?: unknown }[];
  };
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: HINT_QUERY, variables: { id: inferenceId } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    try {
      body = JSON.parse(text);
    } catch {
      return { url, failure: `answered HTTP ${response.status} without JSON` };
    }
  } catch (error) {
    return { url, failure: `unreachable (${reasonOf(error)})` };
  }
  const error = body?.errors?.[0]?.message;
  if (typeof error === "string") return { url, failure: `answered with the error "${error}"` };
  const inference = body?.data?.inference;
  if (inference === undefined) return { url, failure: "answered without data.inference" };
  if (inference === null || !inference.settlement) return { url, failure: "knows no settlement of this inference" };
  const { txHash, blobId } = inference.settlement;
  if (!isBytes32(txHash)) return { url, failure: `named the transaction ${JSON.stringify(txHash)}, not a hash` };
  return { url, txHash: txHash.toLowerCase() as Hex, ...(typeof blobId === "string" && { blobId }) };
}
