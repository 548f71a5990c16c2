import { blob, leaf, pendingBlob, settlement } from "ponder:schema";
import { BlobFormatError, e3, parseTreeDump, type WalrusBlobId } from "@settlescan/abis";
import { type BlobLookup, createBlobSource, startBlobPrefetch } from "./lib/blobSource";
import { type IndividualEventFields, individualBlobMismatchOf } from "./lib/individualBlobCheck";
import { profileOf } from "./lib/networks";
import { readOnly } from "./lib/rows";
import { failedCheck, passedCheck } from "./lib/verdict";
import type { ReconcileContext } from "./reconcile";
import { settleLeaf, teeFactsReader } from "./settle";

type SettlementRow = typeof settlement.$inferSelect;

/** The blobs of this process: archive directory, then the profile's Walrus aggregator. */
export const blobSource = createBlobSource({ aggregator: profileOf().verification.walrus.aggregator });

let prefetch: ReturnType<typeof startBlobPrefetch> | undefined;

/** Starts reading settlement logs ahead of the handlers (once, from the first settlement a handler sees). */
export function prefetchBlobsFrom(block: bigint) {
  if (prefetch) return prefetch;
  const { verification } = profileOf();
  if (!verification.rpcUrl) return undefined;
  prefetch = startBlobPrefetch({
    rpcUrl: verification.rpcUrl,
    relays: verification.relays.filter((r) => r.abi !== "v1").map((r) => r.address),
    fromBlock: block,
    toBlock: verification.endBlock === undefined ? undefined : BigInt(verification.endBlock),
    source: blobSource,
  });
  return prefetch;
}

const PENDING = "pending";

/** A batch's blob: from the archive table when this index already holds it, else from the blob source. */
export async function blobOf(context: ReconcileContext, blobId: WalrusBlobId): Promise<BlobLookup> {
  const archived = await context.db.find(blob, { id: blobId });
  if (archived) return { status: "available", content: archived.content, source: "archive" };
  const found = await blobSource.lookup(blobId);
  prefetch?.consumed();
  return found;
}

/**
 * Judges a batch from its blob: the tree must rebuild the posted root (else the blob is `mismatched` and every
 * leaf it names fails inclusion), then each leaf is settled. Keeps the blob in the archive table.
 */
export async function judgeBatch(context: ReconcileContext, row: SettlementRow, content: string) {
  const { db } = context;
  await archiveBlob(context, row.blobId as WalrusBlobId, content);

  let parsed: ReturnType<typeof parseTreeDump>;
  try {
    parsed = parseTreeDump(content);
  } catch (error) {
    if (!(error instanceof BlobFormatError)) throw error;
    await db
      .update(settlement, { id: row.id })
      .set({ blobStatus: "mismatched", blobReason: error.message, leafCount: 0 });
    return;
  }
  const rootMatches = parsed.root.toLowerCase() === row.merkleRoot?.toLowerCase();
  const blobReason = rootMatches
    ? parsed.leaves.length === row.batchSize
      ? null
      : `The blob holds ${parsed.leaves.length} leaves but the event says ${row.batchSize}.`
    : `The blob's tree has root ${parsed.root}, but the event posted ${row.merkleRoot}.`;
  await db.update(settlement, { id: row.id }).set({
    blobStatus: rootMatches ? "available" : "mismatched",
    blobReason,
    leafEncoding: parsed.encoding.name,
    leafCount: parsed.leaves.length,
  });
  const inclusion = rootMatches ? passedCheck : failedCheck(blobReason as string);
  const teeFactsOf = teeFactsReader(context);
  for (const l of parsed.leaves)
    await settleLeaf(
      context,
      {
        settlementId: row.id,
        leafIndex: l.index,
        leaf: l.leaf,
        leafHash: l.leafHash,
        carrier: "blob",
        inclusion,
        official: row.official,
        at: { block: row.blockNumber, logIndex: row.logIndex },
        settledAt: row.timestamp,
      },
      teeFactsOf,
    );
}

/** Keeps a fetched blob in the archive table (the API serves it, `archive export` writes it) and frees its copy. */
async function archiveBlob(context: ReconcileContext, blobId: WalrusBlobId, content: string) {
  await context.db
    .insert(blob)
    .values({ id: blobId, content, size: Buffer.byteLength(content), source: "aggregator" })
    .onConflictDoNothing();
  blobSource.forget(blobId);
}

/** An individual settlement's blob status: `available` when the blob is the exchange its event settled. */
const comparedIndividualBlob = (content: string, fields: IndividualEventFields) => {
  const blobReason = individualBlobMismatchOf(content, fields);
  return { blobStatus: blobReason ? "mismatched" : "available", blobReason };
};

/**
 * An individual settlement's blob as far as it is known now, never waited for (its leaf is the event): archived and
 * compared with the event once fetched, `pending` while it is not (the caller leaves it to `markPending`).
 */
export async function individualBlobStatusOf(
  context: ReconcileContext,
  blobId: WalrusBlobId,
  fields: IndividualEventFields,
): Promise<{ blobStatus: string; blobReason: string | null }> {
  const archived = await context.db.find(blob, { id: blobId });
  if (archived) return comparedIndividualBlob(archived.content, fields);
  const found = blobSource.peek(blobId);
  prefetch?.consumed();
  if (found?.status === "available") {
    await archiveBlob(context, blobId, found.content);
    return comparedIndividualBlob(found.content, fields);
  }
  if (found?.status === "expired") return { blobStatus: "expired", blobReason: found.reason };
  return { blobStatus: PENDING, blobReason: found?.reason ?? `Blob ${blobId} has not been fetched from Walrus yet.` };
}

/** The fields an individual settlement's event settled, from its recorded leaf (to compare a late blob with). */
async function individualFieldsOf(context: ReconcileContext, row: SettlementRow): Promise<IndividualEventFields> {
  const l = await context.db.find(leaf, { id: `${row.id}-0` });
  if (!l?.teeId || !l.signature || l.timestamp === null || !row.ethAddress)
    throw new Error(`Individual settlement ${row.id} has no recorded leaf to compare its blob with.`);
  const { teeId, inputHash, outputHash, signature, timestamp } = l;
  return { teeId, inputHash, outputHash, signature, timestamp, ethAddress: row.ethAddress };
}

/** Leaves a settlement waiting for its blob; later verification-chain events re-check it (`judgePendingBatches`). */
export async function markPending(context: ReconcileContext, settlementId: string, blobId: WalrusBlobId) {
  const { db } = context;
  const pending = readOnly(await db.find(pendingBlob, { id: PENDING }));
  const entry = { settlementId, blobId };
  if (pending) await db.update(pendingBlob, { id: PENDING }).set({ settlements: [...pending.settlements, entry] });
  else await db.insert(pendingBlob).values({ id: PENDING, settlements: [entry] });
}

/**
 * Judges the pending batches whose blob has arrived since, and compares the individual settlements' (asked for again
 * in the background, never awaited here: a missing blob never holds up later blocks). Called at the start of every
 * verification-chain handler.
 */
export async function judgePendingBatches(context: ReconcileContext) {
  const { db } = context;
  const pending = readOnly(await db.find(pendingBlob, { id: PENDING }));
  if (!pending || pending.settlements.length === 0) return;
  const still: typeof pending.settlements = [];
  const arrived: { settlementId: string; lookup: BlobLookup }[] = [];
  for (const entry of pending.settlements) {
    const lookup = blobSource.peek(entry.blobId as WalrusBlobId);
    if (!lookup || lookup.status === "pending") still.push(entry);
    else arrived.push({ settlementId: entry.settlementId, lookup });
  }
  if (arrived.length === 0) return;
  await db.update(pendingBlob, { id: PENDING }).set({ settlements: still });
  for (const { settlementId, lookup } of arrived) {
    const row = await db.find(settlement, { id: settlementId });
    if (!row) continue;
    if (lookup.status === "available" && row.kind === "individual") {
      await archiveBlob(context, row.blobId as WalrusBlobId, lookup.content);
      const fields = await individualFieldsOf(context, row);
      await db.update(settlement, { id: settlementId }).set(comparedIndividualBlob(lookup.content, fields));
    } else if (lookup.status === "available") await judgeBatch(context, row, lookup.content);
    else if (lookup.status === "expired")
      await db.update(settlement, { id: settlementId }).set({ blobStatus: "expired", blobReason: lookup.reason });
  }
}

/** The individual settlement's leaf, as the event carries it. */
export const individualLeafOf = (args: {
  teeId: `0x${string}`;
  inputHash: `0x${string}`;
  outputHash: `0x${string}`;
  timestamp: bigint;
  signature: `0x${string}`;
}) => e3.fromValues([args.teeId, args.inputHash, args.outputHash, args.signature, args.timestamp.toString()]);
