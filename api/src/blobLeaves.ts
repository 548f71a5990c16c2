import { BlobFormatError, LEAF_ENCODINGS, parseTreeDump } from "@settlescan/abis";
import DataLoader from "dataloader";
import { inArray } from "drizzle-orm";
import type { Context } from "./context";
import { type LeafRow, run, type SettlementRow } from "./db";

type Hex = `0x${string}`;

/** What a batch leaf's row does not keep, read from its archived blob: its Merkle proof and its signature. */
export type BlobLeafFields = { proof: Hex[]; signature: Hex | null };

/** A parsed blob's leaves by index; null when the blob is not a tree dump (a `mismatched` batch lists no leaves). */
type ParsedBlob = readonly BlobLeafFields[] | null;

/** Leaves (proofs and signatures, about 1.5 KB each) the cache below keeps at most, over all its blobs. */
export const MAX_CACHED_LEAVES = 20_000;

/**
 * Parsed blobs by blob id, least recently used first, holding at most `maxLeaves` leaves in all. A blob id is derived
 * from the blob's content, so an entry never goes stale, whichever database or request read it.
 * @example const cache = parsedBlobCache(20_000); cache.remember(blobId, blobLeavesOf(content))
 */
export function parsedBlobCache(maxLeaves: number) {
  const parsedBlobs = new Map<string, ParsedBlob>();
  let leaves = 0;
  const weightOf = (parsed: ParsedBlob) => 1 + (parsed?.length ?? 0);
  return {
    remember(blobId: string, parsed: ParsedBlob) {
      if (parsedBlobs.has(blobId)) return;
      parsedBlobs.set(blobId, parsed);
      leaves += weightOf(parsed);
      for (const [oldest, value] of parsedBlobs) {
        if (leaves <= maxLeaves || oldest === blobId) break;
        parsedBlobs.delete(oldest);
        leaves -= weightOf(value);
      }
    },
    /** The parsed blob, now the most recently used; undefined when the cache does not hold it. */
    recall(blobId: string): ParsedBlob | undefined {
      const parsed = parsedBlobs.get(blobId);
      if (parsed === undefined) return undefined;
      parsedBlobs.delete(blobId);
      parsedBlobs.set(blobId, parsed);
      return parsed;
    },
    clear() {
      parsedBlobs.clear();
      leaves = 0;
    },
    /** The blob ids held, least recently used first. */
    blobIds: () => [...parsedBlobs.keys()],
  };
}

const cache = parsedBlobCache(MAX_CACHED_LEAVES);

/** Empties the parsed-blob cache (tests). */
export const clearBlobLeavesCache = () => cache.clear();

/** Each leaf's proof and signature from a tree dump, by leaf index; null when it is not one. */
export function blobLeavesOf(content: string): ParsedBlob {
  try {
    return parseTreeDump(content).leaves.map(({ leaf, proof }) => ({
      proof,
      signature: "signature" in leaf ? leaf.signature : null,
    }));
  } catch (error) {
    if (error instanceof BlobFormatError) return null;
    throw error;
  }
}

/** This request's archived blobs, parsed: one statement for every blob a request needs that the cache lacks. */
function blobLoaderOf(ctx: Context) {
  let loader = ctx.batches.get("blobLeaves") as DataLoader<string, ParsedBlob | undefined> | undefined;
  if (!loader) {
    loader = new DataLoader(async (blobIds) => {
      // Kept for this batch whatever the cache drops meanwhile; undefined: not archived.
      const found = new Map<string, ParsedBlob>();
      for (const id of new Set(blobIds)) {
        const parsed = cache.recall(id);
        if (parsed !== undefined) found.set(id, parsed);
      }
      const missing = [...new Set(blobIds)].filter((id) => !found.has(id));
      if (missing.length) {
        const b = ctx.tables.blob;
        const rows = await run(
          ctx.counter,
          ctx.db.select({ id: b.id, content: b.content }).from(b).where(inArray(b.id, missing)),
        );
        for (const row of rows) {
          const parsed = blobLeavesOf(row.content);
          found.set(row.id, parsed);
          cache.remember(row.id, parsed);
        }
      }
      return blobIds.map((id) => found.get(id));
    });
    ctx.batches.set("blobLeaves", loader);
  }
  return loader;
}

/**
 * A settled leaf's proof and signature. Batch leaves keep neither in their row (every batch leaf's blob is archived
 * before its leaves are recorded): both come from the blob, parsed once per blob. An individual settlement's event is
 * its leaf: no proof, and the row's signature.
 * @example const { proof } = await blobLeafFieldsOf(ctx, leaf, settlement)
 */
export async function blobLeafFieldsOf(
  ctx: Context,
  leaf: Pick<LeafRow, "id" | "leafIndex" | "signature">,
  settlement: Pick<SettlementRow, "id" | "kind" | "blobId">,
): Promise<BlobLeafFields> {
  if (settlement.kind !== "batch" || settlement.blobId === null) return { proof: [], signature: leaf.signature };
  const parsed = await blobLoaderOf(ctx).load(settlement.blobId);
  if (parsed === undefined)
    throw new Error(
      `Leaf ${leaf.id} is in batch ${settlement.id}, whose blob ${settlement.blobId} is not archived: its proof and signature cannot be read.`,
    );
  const fields = parsed?.[leaf.leafIndex];
  if (!fields)
    throw new Error(
      `Leaf ${leaf.id} has index ${leaf.leafIndex}, but blob ${settlement.blobId} holds ${parsed ? `${parsed.length} leaves` : "no tree dump"}.`,
    );
  return fields;
}

/** The same for a leaf row alone: its settlement is loaded (batched with the request's other settlements). */
async function leafRowFieldsOf(ctx: Context, leaf: LeafRow): Promise<BlobLeafFields> {
  const settlement = await ctx.loaders.settlement.load(leaf.settlementId);
  if (!settlement) throw new Error(`Leaf ${leaf.id} names settlement ${leaf.settlementId}, which is not indexed.`);
  return blobLeafFieldsOf(ctx, leaf, settlement);
}

const SIGNED_ENCODINGS = new Set<string>(
  LEAF_ENCODINGS.filter((era) => era.fields.includes("signature")).map((era) => era.name),
);

/** A leaf row's signature: the row's (individual settlements), else its blob's; null for eras without one. */
export async function signatureOfLeaf(ctx: Context, leaf: LeafRow): Promise<Hex | null> {
  if (leaf.signature !== null || !SIGNED_ENCODINGS.has(leaf.encoding)) return leaf.signature;
  return (await leafRowFieldsOf(ctx, leaf)).signature;
}

/** A leaf row's Merkle proof: its blob's (batches), none when an event carries the leaf. */
export async function proofOfLeaf(ctx: Context, leaf: LeafRow): Promise<Hex[]> {
  return (await leafRowFieldsOf(ctx, leaf)).proof;
}
