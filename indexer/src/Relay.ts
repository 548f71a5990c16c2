import { type Context, ponder } from "ponder:registry";
import { relaySigner, settlement } from "ponder:schema";
import { blobIdOfEventBytes, e3, type SettledLeaf, type WalrusBlobId } from "@settlescan/abis";
import { type Address, keccak256, stringToHex } from "viem";
import {
  blobOf,
  blobSource,
  individualBlobStatusOf,
  individualLeafOf,
  judgeBatch,
  judgePendingBatches,
  markPending,
  prefetchBlobsFrom,
} from "./blobs";
import { listedSignerOf, relayAt } from "./lib/networks";
import { settlementColumnsOf } from "./lib/settlementColumns";
import { passedCheck } from "./lib/verdict";
import { settleLeaf, teeFactsReader } from "./settle";

/** keccak256("SETTLEMENT_RELAY_ROLE"): the role OpenGradient's relays grant their facilitator signers. */
export const SETTLEMENT_RELAY_ROLE = keccak256(stringToHex("SETTLEMENT_RELAY_ROLE"));

/** Whether `from` is an official signer of the relay: listed in the profile, else holding the relay role. */
export async function isOfficialSigner(context: Pick<Context, "db">, relayAddress: Address, from: Address) {
  const listed = listedSignerOf(relayAt(relayAddress), from);
  if (listed !== null) return listed;
  const role = await context.db.find(relaySigner, { id: `${relayAddress.toLowerCase()}-${from.toLowerCase()}` });
  return role?.granted ?? false;
}

/**
 * True when this log's settlement is already recorded. A live index on a devnet whose chain was rolled back can be
 * handed the same transaction (same hash, same log) again in a new block before it sees the rollback; the first
 * record stands, and the reorg that follows moves it.
 */
export async function handledBefore(
  context: Pick<Context, "db">,
  event: { log: { logIndex: number }; transaction: { hash: `0x${string}` } },
) {
  return (await context.db.find(settlement, { id: `${event.transaction.hash}-${event.log.logIndex}` })) !== null;
}

/** The columns every settlement row shares, from the event that made it. */
export async function settlementBaseOf(
  context: Context,
  event: {
    log: { address: Address; logIndex: number };
    block: { number: bigint; timestamp: bigint };
    transaction: { hash: `0x${string}`; from: Address };
  },
) {
  return {
    ...settlementColumnsOf(event, context.chain.id),
    official: await isOfficialSigner(context, event.log.address, event.transaction.from),
  };
}

ponder.on("Relay:BatchSettlement", async ({ event, context }) => {
  await judgePendingBatches(context);
  if (await handledBefore(context, event)) return;
  const base = await settlementBaseOf(context, event);
  let blobId: WalrusBlobId | null = null;
  let blobReason: string | null = null;
  try {
    blobId = blobIdOfEventBytes(event.args.walrusBlobId);
  } catch (error) {
    blobReason = (error as Error).message;
  }
  const row = {
    ...base,
    kind: "batch",
    merkleRoot: event.args.merkleRoot,
    batchSize: Number(event.args.batchSize),
    blobId,
    blobStatus: blobId ? "pending" : "unavailable",
    blobReason,
    leafEncoding: null,
    leafCount: 0,
    ethAddress: null,
  };
  await context.db.insert(settlement).values(row);
  if (!blobId) return;
  prefetchBlobsFrom(event.block.number);
  const found = await blobOf(context, blobId);
  if (found.status === "available") await judgeBatch(context, row, found.content);
  else if (found.status === "expired")
    await context.db.update(settlement, { id: row.id }).set({ blobStatus: "expired", blobReason: found.reason });
  else {
    await context.db.update(settlement, { id: row.id }).set({ blobReason: found.reason });
    await markPending(context, row.id, blobId);
    blobSource.peek(blobId);
  }
});

ponder.on("Relay:IndividualSettlement", async ({ event, context }) => {
  await judgePendingBatches(context);
  if (await handledBefore(context, event)) return;
  const base = await settlementBaseOf(context, event);
  let blobId: WalrusBlobId | null = null;
  try {
    blobId = blobIdOfEventBytes(event.args.walrusBlobId);
  } catch {
    // The event is the leaf: a malformed blob id leaves nothing to archive.
  }
  // The blob is only the archived exchange, compared with the event: never waited for, re-checked while pending.
  if (blobId) prefetchBlobsFrom(event.block.number);
  const blobFinding = blobId ? await individualBlobStatusOf(context, blobId, event.args) : null;
  await context.db.insert(settlement).values({
    ...base,
    kind: "individual",
    merkleRoot: null,
    batchSize: 1,
    blobId,
    blobStatus: blobFinding?.blobStatus ?? null,
    blobReason: blobFinding?.blobReason ?? null,
    leafEncoding: "e3",
    leafCount: 1,
    ethAddress: event.args.ethAddress,
  });
  if (blobId && blobFinding?.blobStatus === "pending") await markPending(context, base.id, blobId);
  const leaf = individualLeafOf(event.args);
  await settleEventLeaf(context, event, base.official, leaf, e3.leafHashOf(leaf), event.args.ethAddress);
});

/** Settles the one leaf an event carries (individual and v1 settlements): the event is the leaf, so it is included. */
export async function settleEventLeaf(
  context: Context,
  event: {
    log: { logIndex: number };
    block: { number: bigint; timestamp: bigint };
    transaction: { hash: `0x${string}` };
  },
  official: boolean,
  leaf: SettledLeaf,
  leafHash: `0x${string}` | null,
  ethAddress: Address | null = null,
) {
  await settleLeaf(
    context,
    {
      settlementId: `${event.transaction.hash}-${event.log.logIndex}`,
      leafIndex: 0,
      leaf,
      leafHash,
      carrier: "event",
      inclusion: passedCheck,
      official,
      at: { block: event.block.number, logIndex: event.log.logIndex },
      settledAt: event.block.timestamp,
      ethAddress,
    },
    teeFactsReader(context),
  );
}

/** Records who holds a relay's SETTLEMENT_RELAY_ROLE: its official signers when the profile lists none. */
export async function recordRelayRole(
  context: Context,
  event: { log: { address: Address }; block: { number: bigint }; args: { role: `0x${string}`; account: Address } },
  granted: boolean,
) {
  if (event.args.role !== SETTLEMENT_RELAY_ROLE) return;
  const holder = { relay: event.log.address, account: event.args.account, granted, changedAtBlock: event.block.number };
  await context.db
    .insert(relaySigner)
    .values({ id: `${event.log.address.toLowerCase()}-${event.args.account.toLowerCase()}`, ...holder })
    .onConflictDoUpdate(holder);
}

ponder.on("Relay:RoleGranted", ({ event, context }) => recordRelayRole(context, event, true));
ponder.on("Relay:RoleRevoked", ({ event, context }) => recordRelayRole(context, event, false));
