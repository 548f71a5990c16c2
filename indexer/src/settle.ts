import { inference, leaf, paymentClaim, receipt, tee } from "ponder:schema";
import { inferenceIdOfSettledLeaf, receiptIdOf, type SettledLeaf } from "@settlescan/abis";
import type { Address, Hex } from "viem";
import { attestationCheckOf, type TeeFacts } from "./lib/attestation";
import { judgeInferenceLeaves, type LeafOrder, type SettledLeafFacts } from "./lib/inferenceVerdict";
import { profileOf } from "./lib/networks";
import { readOnly, withoutNoReasons } from "./lib/rows";
import { isSessionPayerCandidate, type SessionPayment, sessionOf, sessionRulesOf } from "./lib/sessionLink";
import type { ChainPosition } from "./lib/teeStatus";
import { type CheckResult, failedCheck, passedCheck } from "./lib/verdict";
import {
  addSessionInference,
  moveSessionContribution,
  type ReconcileContext,
  receiptCounts,
  reconcilePayment,
  sessionContributionOf,
  sessionPaymentOf,
} from "./reconcile";

type LeafRow = typeof leaf.$inferSelect;
type ReceiptRow = typeof receipt.$inferSelect;

/** One leaf of a settlement, read from its blob or its event, with the checks that depend only on the settlement. */
export type LeafToSettle = {
  settlementId: string;
  leafIndex: number;
  leaf: SettledLeaf;
  leafHash: Hex | null;
  /**
   * Where the leaf's values live: a batch's blob, archived in the `blob` table (the API reads the signature and the
   * proof from there, so the row keeps neither), or the settlement event itself.
   */
  carrier: "blob" | "event";
  inclusion: CheckResult;
  official: boolean;
  /** The settlement's place in the chain: the registry is judged as it was there. */
  at: ChainPosition;
  settledAt: bigint;
  /** Individual settlements: the event's `ethAddress` (the payer for EIP-3009, the proxy for Permit2 payments). */
  ethAddress?: Address | null;
};

const SESSION_RULES = sessionRulesOf(profileOf());

const LEGACY_ATTESTATION = failedCheck(
  "This leaf era carries no enclave id or signature, so which enclave produced it cannot be checked.",
);

const reasonsOf = (checks: Record<string, CheckResult>) =>
  Object.entries(checks).flatMap(([check, { ok, reason }]) => (ok || !reason ? [] : [{ check, reason }]));
const checkOf = (ok: boolean, reasons: LeafRow["reasons"], check: string): CheckResult => ({
  ok,
  reason: ok ? null : (reasons.find((r) => r.check === check)?.reason ?? null),
});

/** Each enclave's registry record, read once per settlement (a batch's leaves mostly share a few enclaves). */
export function teeFactsReader(context: ReconcileContext) {
  const known = new Map<string, Promise<(TeeFacts & { paymentAddress: Address }) | null>>();
  return (teeId: Hex) => {
    const key = teeId.toLowerCase();
    let facts = known.get(key);
    if (!facts) {
      facts = context.db
        .find(tee, { id: teeId })
        .then(readOnly)
        .then(
          (row) =>
            row && {
              teeId: row.id,
              publicKey: row.publicKey,
              history: row.history,
              paymentAddress: row.paymentAddress,
            },
        );
      known.set(key, facts);
    }
    return facts;
  };
}

/**
 * Records one settled leaf and re-judges its inference from all of that inference's leaves in chain order (a leaf
 * from a blob that arrived late may come before leaves judged already). Exact-link leaves also become receipts,
 * judged against their payment. Legacy leaves (no enclave id) are recorded under their settlement only.
 */
export async function settleLeaf(
  context: ReconcileContext,
  toSettle: LeafToSettle,
  teeFactsOf: ReturnType<typeof teeFactsReader>,
) {
  const { db } = context;
  const { leaf: l, settlementId, leafIndex, at } = toSettle;
  const leafId = `${settlementId}-${leafIndex}`;
  const inferenceId = inferenceIdOfSettledLeaf(l);
  const provenance = toSettle.official
    ? passedCheck
    : failedCheck("Posted by an account that is not one of the network's facilitator signers.");
  const base = {
    id: leafId,
    settlementId,
    leafIndex,
    encoding: l.encoding,
    inferenceId,
    teeId: "teeId" in l ? l.teeId : null,
    inputHash: l.inputHash,
    outputHash: l.outputHash,
    signature: toSettle.carrier === "event" && "signature" in l ? l.signature : null,
    timestamp: "timestamp" in l ? l.timestamp : null,
    paymentId: l.encoding === "exact" ? l.paymentId : null,
    amount: l.encoding === "exact" ? l.amount : null,
    receiptId: l.encoding === "exact" && inferenceId ? receiptIdOf({ paymentId: l.paymentId, inferenceId }) : null,
    leafHash: toSettle.leafHash,
    inclusion: toSettle.inclusion.ok,
    provenance: provenance.ok,
    blockNumber: at.block,
    logIndex: at.logIndex,
    settledAt: toSettle.settledAt,
  };

  if (!inferenceId || !("teeId" in l) || !("signature" in l)) {
    await db.insert(leaf).values({
      ...base,
      attestation: false,
      uniqueness: true,
      reasons: reasonsOf({ inclusion: toSettle.inclusion, attestation: LEGACY_ATTESTATION, provenance }),
      state: "legacy",
    });
    return;
  }

  const attestation = attestationCheckOf({ tee: await teeFactsOf(l.teeId), at, ...l });
  const order: LeafOrder = [at.block, at.logIndex, leafIndex];
  const facts: SettledLeafFacts = {
    id: leafId,
    order,
    official: toSettle.official,
    inclusion: toSettle.inclusion,
    attestation,
  };

  const known = readOnly(await db.find(inference, { id: inferenceId }));
  const others: LeafRow[] = [];
  for (const [, , , id] of known?.leaves ?? []) {
    const row = readOnly(await db.find(leaf, { id }));
    if (row) others.push(row);
  }
  const judged = judgeInferenceLeaves([
    ...others.map(
      (row): SettledLeafFacts => ({
        id: row.id,
        order: [row.blockNumber, row.logIndex, row.leafIndex],
        official: row.provenance,
        inclusion: checkOf(row.inclusion, row.reasons, "inclusion"),
        attestation: checkOf(row.attestation, row.reasons, "attestation"),
      }),
    ),
    facts,
  ]);

  const rowsById = new Map(others.map((row) => [row.id, row]));
  for (const j of judged.leaves) {
    const verdict = {
      attestation: j.attestation.ok,
      uniqueness: j.uniqueness.ok,
      state: j.state,
      reasons: reasonsOf({
        inclusion: j.inclusion,
        attestation: j.attestation,
        provenance: j.provenance,
        uniqueness: j.uniqueness,
      }),
    };
    const row = rowsById.get(j.id);
    if (!row) {
      await db.insert(leaf).values(withoutNoReasons({ ...base, ...verdict }));
      continue;
    }
    if (row.state === verdict.state && row.uniqueness === verdict.uniqueness) continue;
    await db.update(leaf, { id: row.id }).set(verdict);
    // A leaf judged before may have become a duplicate: its receipt, if it is the receipt's, follows.
    if (row.receiptId) await rejudgeReceipt(context, row.receiptId, row.id, verdict.uniqueness);
  }

  const counting = judged.counting;
  const countingRow = counting.id === leafId ? base : rowsById.get(counting.id);
  const countingExact = countingRow?.paymentId && countingRow.receiptId;

  // Session link (docs/protocol.md §4): the first individual settlement (chain order) naming a possible payer makes
  // it known, once; its session's payment is the earliest indexed now (later payments offer themselves, see
  // `linkSessionPayment`). Individual settlements are handled in chain order, so the payer is the same in any index.
  let session = {
    payer: known?.payer ?? null,
    sessionPayee: known?.sessionPayee ?? null,
    sessionUntil: known?.sessionUntil ?? null,
    sessionPaymentId: known?.sessionPaymentId ?? null,
  };
  let waiting = false;
  let sessionPayment: SessionPayment | null = null;
  if (!session.payer && toSettle.ethAddress && isSessionPayerCandidate(SESSION_RULES, toSettle.ethAddress)) {
    const window = sessionOf(SESSION_RULES, {
      timestamp: l.timestamp,
      paymentAddress: (await teeFactsOf(l.teeId))?.paymentAddress ?? null,
    });
    if (window) {
      const payer = toSettle.ethAddress.toLowerCase() as Address;
      const payee = window.payee.toLowerCase() as Address;
      sessionPayment = await sessionPaymentOf(context, { payer, payee, from: window.from, until: window.until });
      session = {
        payer,
        sessionPayee: payee,
        sessionUntil: window.until,
        sessionPaymentId: sessionPayment?.[3] ?? null,
      };
      waiting = true;
    }
  }
  const inferenceRow = {
    state: judged.state,
    teeId: l.teeId,
    inputHash: l.inputHash,
    outputHash: l.outputHash,
    timestamp: l.timestamp,
    countingLeafId: counting.id,
    leaves: judged.leaves.map((j): [string, number, number, string] => [
      String(j.order[0]),
      j.order[1],
      j.order[2],
      j.id,
    ]),
    settlementCount: judged.leaves.length,
    checkInclusion: counting.inclusion.ok,
    checkAttestation: counting.attestation.ok,
    checkProvenance: counting.provenance.ok,
    checkUniqueness: counting.uniqueness.ok,
    reasons: reasonsOf({
      inclusion: counting.inclusion,
      attestation: counting.attestation,
      provenance: counting.provenance,
      uniqueness: counting.uniqueness,
    }),
    linkKind: countingExact ? "exact" : session.sessionPaymentId ? "session" : "none",
    paymentId: countingExact ? countingRow.paymentId : session.sessionPaymentId,
    receiptId: countingExact ? countingRow.receiptId : null,
    settledAt: countingRow?.settledAt ?? toSettle.settledAt,
    ...session,
  };
  if (known) await db.update(inference, { id: inferenceId }).set(inferenceRow);
  else await db.insert(inference).values({ id: inferenceId, ...inferenceRow });
  if (waiting && session.payer && session.sessionPayee)
    await addSessionInference(context, {
      payer: session.payer,
      payee: session.sessionPayee,
      timestamp: l.timestamp,
      inferenceId,
      current: sessionPayment,
    });
  // Its payment's session counts follow a link made, or the inference's state changed.
  await moveSessionContribution(
    context,
    inferenceId,
    sessionContributionOf(known),
    sessionContributionOf({ ...inferenceRow, paymentId: inferenceRow.paymentId ?? null }),
  );

  if (l.encoding === "exact" && base.receiptId) {
    const own = judged.leaves.find((j) => j.id === leafId)!;
    await settleReceipt(context, {
      receiptId: base.receiptId,
      paymentId: l.paymentId,
      inferenceId,
      leafId,
      settlementId,
      amount: l.amount,
      teeId: l.teeId,
      settledAt: toSettle.settledAt,
      checks: {
        inclusion: own.inclusion,
        attestation: own.attestation,
        provenance: own.provenance,
        uniqueness: own.uniqueness,
      },
    });
  }
}

/**
 * An exact-link leaf's receipt: judged against its payment and every claim on it, and inserted once. The same
 * receipt settled again keeps its first settlement and counts the repeat.
 */
async function settleReceipt(
  context: ReconcileContext,
  args: {
    receiptId: Hex;
    paymentId: Hex;
    inferenceId: Hex;
    leafId: string;
    settlementId: string;
    amount: bigint;
    teeId: Hex;
    settledAt: bigint;
    checks: Record<"inclusion" | "attestation" | "provenance" | "uniqueness", CheckResult>;
  },
) {
  const { db } = context;
  const existing = await db.find(receipt, { id: args.receiptId });
  if (existing) {
    await db.update(receipt, { id: args.receiptId }).set({ settlementCount: existing.settlementCount + 1 });
    return;
  }
  const pending: ReceiptRow = {
    id: args.receiptId,
    paymentId: args.paymentId,
    inferenceId: args.inferenceId,
    leafId: args.leafId,
    settlementId: args.settlementId,
    settlementCount: 1,
    state: "unpaid",
    checkPayment: false,
    checkInclusion: args.checks.inclusion.ok,
    checkAttestation: args.checks.attestation.ok,
    checkProvenance: args.checks.provenance.ok,
    checkUniqueness: args.checks.uniqueness.ok,
    reasons: reasonsOf(args.checks),
    amount: args.amount,
    paidAmount: null,
    payer: null,
    payee: null,
    facilitator: null,
    teeId: args.teeId,
    paidAt: null,
    settledAt: args.settledAt,
    latencySeconds: null,
  };
  const previous = readOnly(await db.find(paymentClaim, { id: args.paymentId }));
  const claimed = receiptCounts(pending) ? args.amount : 0n;
  const claim = previous
    ? await db.update(paymentClaim, { id: args.paymentId }).set({
        claimedAmount: previous.claimedAmount + claimed,
        receiptIds: [...previous.receiptIds, args.receiptId],
      })
    : await db
        .insert(paymentClaim)
        .values({ id: args.paymentId, claimedAmount: claimed, receiptIds: [args.receiptId] });
  // Judged (payment check, payer, latency) and inserted by reconciliation, with the claims above counted.
  await reconcilePayment(context, args.paymentId, { claim, pending });
}

/** A receipt whose leaf's uniqueness changed after it was judged: its checks, its claim and its payment follow. */
async function rejudgeReceipt(context: ReconcileContext, receiptId: Hex, leafId: string, uniqueness: boolean) {
  const { db } = context;
  const row = readOnly(await db.find(receipt, { id: receiptId }));
  if (!row || row.leafId !== leafId || row.checkUniqueness === uniqueness) return;
  const before = receiptCounts(row);
  const reasons = row.reasons.filter((r) => r.check !== "uniqueness");
  if (!uniqueness)
    reasons.push({ check: "uniqueness", reason: "The inference was already proven by an earlier settlement." });
  const updated = await db.update(receipt, { id: receiptId }).set({ checkUniqueness: uniqueness, reasons });
  const after = receiptCounts(updated);
  if (before !== after) {
    const claim = await db.find(paymentClaim, { id: row.paymentId });
    if (claim)
      await db
        .update(paymentClaim, { id: row.paymentId })
        .set({ claimedAmount: claim.claimedAmount + (after ? row.amount : -row.amount) });
  }
  await reconcilePayment(context, row.paymentId);
}
