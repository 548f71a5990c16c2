import { ponder } from "ponder:registry";
import { blob, indexedEvent, inference, payment, settlement, usdcAuthorization } from "ponder:schema";
import { blobIdOfEventBytes, e3, inferenceIdOfSettledLeaf, parseTreeDump, type SettledLeaf } from "@settlescan/abis";
import { createBlobSource, startBlobPrefetch } from "../../../src/lib/blobSource";
import { eip3009PaymentOf, usdcAuthorizationOf } from "../../../src/lib/eip3009Payment";
import { listedSignerOf, profileOf, relayAt } from "../../../src/lib/networks";
import { settlementColumnsOf } from "../../../src/lib/settlementColumns";
import { SETTLESCAN_EVENTS } from "../../settlescanEvents";

// Settlescan's floor (bench/indexing.bench.ts, BENCH_APPS=floor): what any design of Settlescan must write, with
// nothing checked. Each payment is one row; each settlement one row, a batch's blob fetched (prefetched, as Settlescan
// does) and archived; each inference one row. No signatures, registry, uniqueness, receipts, claims or links, and no
// individual settlement's blob (Settlescan archives those too): a floor lower than any design's.

const { verification } = profileOf();
const blobs = createBlobSource({ aggregator: verification.walrus.aggregator });
let prefetching = false;

ponder.on("Usdc:AuthorizationUsed", async ({ event, context }) => {
  await context.db.insert(usdcAuthorization).values(usdcAuthorizationOf(event, context.chain.id));
});

ponder.on("Usdc:Transfer", async ({ event, context }) => {
  const authorization = await context.db.find(usdcAuthorization, {
    id: `${event.transaction.hash}-${event.log.logIndex - 1}`,
  });
  if (!authorization) return;
  await context.db
    .insert(payment)
    .values({
      ...eip3009PaymentOf(authorization, event, context.chain.id),
      state: "awaiting_proof",
      receiptCount: 0,
      verifiedReceiptCount: 0,
    })
    .onConflictDoNothing();
});

const settlementOf = (event: Parameters<typeof settlementColumnsOf>[0], chainId: number) => ({
  ...settlementColumnsOf(event, chainId),
  official: listedSignerOf(relayAt(event.log.address), event.transaction.from) ?? true,
});

const inferenceOf = (leaf: SettledLeaf, base: ReturnType<typeof settlementOf>, index: number) => {
  const id = inferenceIdOfSettledLeaf(leaf);
  if (!id || !("teeId" in leaf) || !("timestamp" in leaf)) return null;
  const leafId = `${base.id}-${index}`;
  return {
    id,
    state: "proven",
    teeId: leaf.teeId,
    inputHash: leaf.inputHash,
    outputHash: leaf.outputHash,
    timestamp: leaf.timestamp,
    countingLeafId: leafId,
    leaves: [[String(base.blockNumber), base.logIndex, index, leafId] as [string, number, number, string]],
    settlementCount: 1,
    checkInclusion: true,
    checkAttestation: true,
    checkProvenance: base.official,
    checkUniqueness: true,
    reasons: [],
    linkKind: "none",
    settledAt: base.timestamp,
  };
};

ponder.on("Relay:BatchSettlement", async ({ event, context }) => {
  const base = settlementOf(event, context.chain.id);
  const blobId = blobIdOfEventBytes(event.args.walrusBlobId);
  await context.db.insert(settlement).values({
    ...base,
    kind: "batch",
    merkleRoot: event.args.merkleRoot,
    batchSize: Number(event.args.batchSize),
    blobId,
    blobStatus: "pending",
    leafCount: 0,
  });
  if (!prefetching && verification.rpcUrl) {
    prefetching = true;
    startBlobPrefetch({
      rpcUrl: verification.rpcUrl,
      relays: verification.relays.filter((r) => r.abi !== "v1").map((r) => r.address),
      fromBlock: event.block.number,
      toBlock: verification.endBlock === undefined ? undefined : BigInt(verification.endBlock),
      source: blobs,
    });
  }
  const found = await blobs.lookup(blobId);
  if (found.status !== "available") return;
  blobs.forget(blobId);
  await context.db
    .insert(blob)
    .values({ id: blobId, content: found.content, size: Buffer.byteLength(found.content), source: "aggregator" })
    .onConflictDoNothing();
  const parsed = parseTreeDump(found.content);
  await context.db
    .update(settlement, { id: base.id })
    .set({ blobStatus: "available", leafEncoding: parsed.encoding.name, leafCount: parsed.leaves.length });
  for (const l of parsed.leaves) {
    const row = inferenceOf(l.leaf, base, l.index);
    if (row) await context.db.insert(inference).values(row).onConflictDoNothing();
  }
});

ponder.on("Relay:IndividualSettlement", async ({ event, context }) => {
  const base = settlementOf(event, context.chain.id);
  await context.db.insert(settlement).values({
    ...base,
    kind: "individual",
    batchSize: 1,
    leafEncoding: "e3",
    leafCount: 1,
    ethAddress: event.args.ethAddress,
  });
  const leaf = e3.fromValues([
    event.args.teeId,
    event.args.inputHash,
    event.args.outputHash,
    event.args.signature,
    event.args.timestamp.toString(),
  ]);
  const row = inferenceOf(leaf, base, 0);
  if (row) await context.db.insert(inference).values(row).onConflictDoNothing();
});

// Every other event Settlescan handles: one trivial row each, as the bare app writes.
const HANDLED_ABOVE = new Set([
  "Usdc:AuthorizationUsed",
  "Usdc:Transfer",
  "Relay:BatchSettlement",
  "Relay:IndividualSettlement",
]);
const OTHER_EVENTS = SETTLESCAN_EVENTS.filter((name) => !HANDLED_ABOVE.has(name));

for (const name of OTHER_EVENTS)
  ponder.on(name, async ({ event, context }) => {
    await context.db.insert(indexedEvent).values({ id: event.id, name });
  });
