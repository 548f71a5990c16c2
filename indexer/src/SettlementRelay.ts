import { ponder } from "ponder:registry";
import { inference, leaf, paymentClaim, receipt, settlement, tee } from "ponder:schema";
import { inferenceIdOf, receiptIdOf } from "@settlescan/abis";
import type { Address, Hex } from "viem";
import { attestationCheckOf } from "./lib/attestation";
import { type DecodedLeaf, decodeBatchSettlement, decodeIndividualSettlement } from "./lib/settlementCalldata";
import { type ReconcileContext, reconcilePayment } from "./reconcile";

ponder.on("SettlementRelay:BatchSettlement", async ({ event, context }) => {
  const decoded = decodeBatchSettlement({
    input: event.transaction.input,
    merkleRoot: event.args.merkleRoot,
    batchSize: event.args.batchSize,
  });
  const settlementId = `${event.transaction.hash}-${event.log.logIndex}`;
  await context.db.insert(settlement).values({
    id: settlementId,
    kind: "batch",
    chainId: context.chain.id,
    txHash: event.transaction.hash,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
    facilitator: event.transaction.from,
    merkleRoot: event.args.merkleRoot,
    computedRoot: decoded.ok ? decoded.computedRoot : null,
    rootMatches: decoded.ok ? decoded.leaves.every((l) => l.inclusion) && decoded.leaves.length > 0 : null,
    blobId: event.args.walrusBlobId,
    leafCount: Number(event.args.batchSize),
    decodeError: decoded.ok ? null : decoded.reason,
  });
  if (!decoded.ok) return;
  const inclusionReason =
    decoded.computedRoot === event.args.merkleRoot
      ? `The batch has ${decoded.leaves.length} leaves in calldata but the event says ${event.args.batchSize}.`
      : `The root recomputed from the calldata leaves is ${decoded.computedRoot}, but the event says ${event.args.merkleRoot}.`;
  for (const decodedLeaf of decoded.leaves)
    await settleLeaf(context, {
      settlementId,
      leaf: decodedLeaf,
      inclusionReason: decodedLeaf.inclusion ? null : inclusionReason,
      blockNumber: event.block.number,
      settledAt: event.block.timestamp,
    });
});

ponder.on("SettlementRelay:IndividualSettlement", async ({ event, context }) => {
  const decoded = decodeIndividualSettlement({ input: event.transaction.input, event: event.args });
  const settlementId = `${event.transaction.hash}-${event.log.logIndex}`;
  await context.db.insert(settlement).values({
    id: settlementId,
    kind: "individual",
    chainId: context.chain.id,
    txHash: event.transaction.hash,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
    facilitator: event.transaction.from,
    merkleRoot: null,
    computedRoot: null,
    rootMatches: null,
    blobId: event.args.walrusBlobId,
    leafCount: 1,
    decodeError: decoded.ok ? null : decoded.reason,
  });
  if (!decoded.ok) return;
  await settleLeaf(context, {
    settlementId,
    leaf: decoded.leaves[0]!,
    inclusionReason: decoded.leaves[0]!.inclusion ? null : "The event's fields differ from the leaf in calldata.",
    blockNumber: event.block.number,
    settledAt: event.block.timestamp,
    payer: event.args.ethAddress,
  });
});

/** Records one settled leaf: its proof checks, whether its inference was settled before, and its receipt. */
async function settleLeaf(
  context: ReconcileContext,
  args: {
    settlementId: string;
    leaf: DecodedLeaf;
    inclusionReason: string | null;
    blockNumber: bigint;
    settledAt: bigint;
    payer?: Address;
  },
) {
  const { db } = context;
  const { leaf: l, settlementId } = args;
  const inferenceId = inferenceIdOf(l);
  const receiptId = receiptIdOf({ paymentId: l.paymentId, inferenceId });
  const leafId = `${settlementId}-${l.index}`;

  const registered = await db.find(tee, { id: l.teeId });
  const attestation = await attestationCheckOf({
    tee: registered && {
      teeId: registered.id,
      publicKey: registered.publicKey,
      revoked: registered.revoked,
      revokedAtBlock: registered.revokedAtBlock,
    },
    ...l,
  });

  const earlier = await db.find(inference, { id: inferenceId });
  if (earlier) await db.update(inference, { id: inferenceId }).set({ settlementCount: earlier.settlementCount + 1 });
  else
    await db
      .insert(inference)
      .values({ id: inferenceId, firstLeafId: leafId, firstReceiptId: receiptId, settlementCount: 1 });
  const uniqueness = earlier
    ? { ok: false, reason: `The inference was already settled by leaf ${earlier.firstLeafId}.` }
    : { ok: true, reason: null };

  await db.insert(leaf).values({
    id: leafId,
    settlementId,
    leafIndex: l.index,
    receiptId,
    paymentId: l.paymentId,
    inferenceId,
    amount: l.amount,
    teeId: l.teeId,
    inputHash: l.inputHash,
    outputHash: l.outputHash,
    signature: l.signature,
    timestamp: l.timestamp,
    leafHash: l.leafHash,
    proof: l.proof,
    inclusion: l.inclusion,
    inclusionReason: args.inclusionReason,
    attestation: attestation.ok,
    attestationReason: attestation.reason,
    uniqueness: uniqueness.ok,
    settledAt: args.settledAt,
  });

  // The same receipt settled again: the repeat is recorded on its leaf; the receipt keeps its first settlement.
  const existing = await db.find(receipt, { id: receiptId });
  if (existing) {
    await db.update(receipt, { id: receiptId }).set({ settlementCount: existing.settlementCount + 1 });
    return;
  }
  const checks = { inclusion: { ok: l.inclusion, reason: args.inclusionReason }, attestation, uniqueness };
  await db.insert(receipt).values({
    id: receiptId,
    paymentId: l.paymentId,
    inferenceId,
    leafId,
    settlementId,
    settlementCount: 1,
    state: "unpaid",
    checkPayment: false,
    checkInclusion: checks.inclusion.ok,
    checkAttestation: checks.attestation.ok,
    checkUniqueness: checks.uniqueness.ok,
    reasons: Object.entries(checks).flatMap(([check, c]) => (c.ok || !c.reason ? [] : [{ check, reason: c.reason }])),
    amount: l.amount,
    paidAmount: null,
    payer: args.payer ?? null,
    payee: null,
    facilitator: null,
    teeId: l.teeId,
    paidAt: null,
    settledAt: args.settledAt,
    latencySeconds: null,
  });

  const counted = l.inclusion && attestation.ok && uniqueness.ok;
  await db
    .insert(paymentClaim)
    .values({ id: l.paymentId, claimedAmount: counted ? l.amount : 0n, receiptIds: [receiptId] })
    .onConflictDoUpdate((row) => ({
      claimedAmount: row.claimedAmount + (counted ? l.amount : 0n),
      receiptIds: [...row.receiptIds, receiptId],
    }));
  await reconcilePayment(context, l.paymentId as Hex);
}
