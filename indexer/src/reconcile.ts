import type { Context } from "ponder:registry";
import { payment, paymentClaim, receipt } from "ponder:schema";
import { networksOf } from "./lib/networks";
import { type CheckResult, paymentCheckOf, receiptStateOf } from "./lib/verdict";

/** What reconciliation needs of a handler's context: the store. */
export type ReconcileContext = Pick<Context, "db">;

/** Tokens a payment may be made in: the token contract this indexer follows on the payment chain. */
const ACCEPTED_TOKENS = [networksOf().payment.usdc];

const reasonsOf = (checks: Record<string, CheckResult>) =>
  Object.entries(checks).flatMap(([check, { ok, reason }]) => (ok || !reason ? [] : [{ check, reason }]));

/**
 * Re-judges every receipt citing `paymentId` from what is indexed now, and the payment's own state. Called after
 * any write that can change the outcome (the payment arriving, a claim on it), on either chain and in any order:
 * the result depends only on the rows, so the final tables do not depend on which chain was indexed first.
 */
export async function reconcilePayment(context: ReconcileContext, paymentId: `0x${string}`) {
  const { db } = context;
  const [paid, claim] = await Promise.all([
    db.find(payment, { id: paymentId }),
    db.find(paymentClaim, { id: paymentId }),
  ]);
  let verified = 0;
  for (const receiptId of claim?.receiptIds ?? []) {
    const row = await db.find(receipt, { id: receiptId });
    if (!row) continue;
    const ownCounted = row.checkInclusion && row.checkAttestation && row.checkUniqueness;
    const payment = paymentCheckOf({
      paymentId,
      payment: paid && { amount: paid.amount, token: paid.token },
      acceptedTokens: ACCEPTED_TOKENS,
      claimedByValidLeaves: claim?.claimedAmount ?? 0n,
      ownAmount: row.amount,
      ownCounted,
    });
    const checks = {
      payment,
      inclusion: { ok: row.checkInclusion, reason: reasonOf(row.reasons, "inclusion") },
      attestation: { ok: row.checkAttestation, reason: reasonOf(row.reasons, "attestation") },
      uniqueness: { ok: row.checkUniqueness, reason: reasonOf(row.reasons, "uniqueness") },
    };
    const state = receiptStateOf(checks, payment.failure);
    if (state === "verified") verified++;
    await db.update(receipt, { id: receiptId }).set({
      state,
      checkPayment: payment.ok,
      reasons: reasonsOf(checks),
      paidAmount: paid?.amount ?? null,
      payer: paid?.payer ?? row.payer,
      payee: paid?.payee ?? null,
      facilitator: paid?.facilitator ?? null,
      paidAt: paid?.paidAt ?? null,
      latencySeconds: paid ? row.settledAt - paid.paidAt : null,
    });
  }
  if (paid)
    await db.update(payment, { id: paymentId }).set({
      state: verified > 0 ? "proven" : "awaiting_proof",
      receiptCount: claim?.receiptIds.length ?? 0,
      verifiedReceiptCount: verified,
    });
}

function reasonOf(reasons: { check: string; reason: string }[], check: string) {
  return reasons.find((r) => r.check === check)?.reason ?? null;
}
