import { ponder } from "ponder:registry";
import { inference, leaf, paymentClaim, receipt, settlement, tee } from "ponder:schema";
import { inferenceIdOf, receiptIdOf } from "@settlescan/abis";
import type { Address, Hex } from "viem";
import { attestationCheckOf, type TeeFacts } from "./lib/attestation";
import { type DecodedLeaf, decodeBatchSettlement, decodeIndividualSettlement } from "./lib/settlementCalldata";
import type { CheckResult } from "./lib/verdict";
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
  // The enclaves' registry state is fixed within this settlement: one registry read per enclave.
  const attestations = await attestationsOf(context, decoded.leaves);
  for (const [i, decodedLeaf] of decoded.leaves.entries())
    await settleLeaf(context, {
      settlementId,
      leaf: decodedLeaf,
      inclusionReason: decodedLeaf.inclusion ? null : inclusionReason,
      attestation: attestations[i]!,
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
  const [attestation] = await attestationsOf(context, decoded.leaves);
  await settleLeaf(context, {
    settlementId,
    leaf: decoded.leaves[0]!,
    inclusionReason: decoded.leaves[0]!.inclusion ? null : "The event's fields differ from the leaf in calldata.",
    attestation: attestation!,
    settledAt: event.block.timestamp,
    payer: event.args.ethAddress,
  });
});

/** Each leaf's attestation check against the registry as indexed now (the settlement's block). */
async function attestationsOf(context: ReconcileContext, leaves: readonly DecodedLeaf[]) {
  const tees = new Map<Hex, TeeFacts>();
  for (const { teeId } of leaves) {
    if (tees.has(teeId)) continue;
    const registered = await context.db.find(tee, { id: teeId });
    tees.set(
      teeId,
      registered && {
        teeId: registered.id,
        publicKey: registered.publicKey,
        revoked: registered.revoked,
        revokedAtBlock: registered.revokedAtBlock,
      },
    );
  }
  return leaves.map((l) => attestationCheckOf({ tee: tees.get(l.teeId) ?? null, ...l }));
}

/**
 * Records one settled leaf: its proof checks, whether its inference was settled before, and its receipt, which is
 * judged against the payment and every claim on it before it is written (one insert per receipt).
 */
async function settleLeaf(
  context: ReconcileContext,
  args: {
    settlementId: string;
    leaf: DecodedLeaf;
    inclusionReason: string | null;
    attestation: CheckResult;
    settledAt: bigint;
    payer?: Address;
  },
) {
  const { db } = context;
  const { leaf: l, settlementId, attestation } = args;
  const inferenceId = inferenceIdOf(l);
  const receiptId = receiptIdOf({ paymentId: l.paymentId, inferenceId });
  const leafId = `${settlementId}-${l.index}`;

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
  // A receipt id hashes its inference id, so it can only exist if the inference was settled before.
  if (earlier) {
    const existing = await db.find(receipt, { id: receiptId });
    if (existing) {
      await db.update(receipt, { id: receiptId }).set({ settlementCount: existing.settlementCount + 1 });
      return;
    }
  }
  const checks = { inclusion: { ok: l.inclusion, reason: args.inclusionReason }, attestation, uniqueness };
  const counted = l.inclusion && attestation.ok && uniqueness.ok;
  const previous = await db.find(paymentClaim, { id: l.paymentId });
  const claim = previous
    ? await db.update(paymentClaim, { id: l.paymentId }).set({
        claimedAmount: previous.claimedAmount + (counted ? l.amount : 0n),
        receiptIds: [...previous.receiptIds, receiptId],
      })
    : await db
        .insert(paymentClaim)
        .values({ id: l.paymentId, claimedAmount: counted ? l.amount : 0n, receiptIds: [receiptId] });
  await reconcilePayment(context, l.paymentId as Hex, {
    claim,
    // Judged (payment check, payer, latency) and inserted by reconciliation, with the claims above counted.
    pending: {
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
    },
  });
}
