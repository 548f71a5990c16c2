import type { Context } from "ponder:registry";
import { payment, paymentClaim, receipt } from "ponder:schema";
import { profileOf } from "./lib/networks";
import { type CheckResult, paymentCheckOf, receiptStateOf } from "./lib/verdict";

/** What reconciliation needs of a handler's context: the store. */
export type ReconcileContext = Pick<Context, "db">;

type PaymentRow = typeof payment.$inferSelect;
/** A payment as paid: its row without what reconciliation judges. */
type PaidPayment = Omit<PaymentRow, "state" | "receiptCount" | "verifiedReceiptCount" | "provenAt">;
type ClaimRow = typeof paymentClaim.$inferSelect;
type ReceiptRow = typeof receipt.$inferSelect;

/** Tokens a payment may be made in: the profile's tokens on the payment chain. */
const ACCEPTED_TOKENS = profileOf().payment.tokens.map((t) => t.address);

const reasonsOf = (checks: Record<string, CheckResult>) =>
  Object.entries(checks).flatMap(([check, { ok, reason }]) => (ok || !reason ? [] : [{ check, reason }]));

/**
 * Re-judges every receipt citing `paymentId` from what is indexed now, and the payment's own state. Called after
 * any write that can change the outcome (the payment arriving, a claim on it), on either chain and in any order:
 * the result depends only on the rows, so the final tables do not depend on which chain was indexed first.
 *
 * Callers pass the rows they already hold, so nothing is read twice: `paid` / `claim` as they are now (read when
 * omitted). A row that is not stored yet — `pendingPayment`, or `pending`, a receipt citing the payment — is judged
 * and inserted once, with its final verdict, instead of inserted and then updated. Rows whose verdict did not change
 * are not written.
 */
export async function reconcilePayment(
  context: ReconcileContext,
  paymentId: `0x${string}`,
  known: { paid?: PaymentRow | null; pendingPayment?: PaidPayment; claim?: ClaimRow | null; pending?: ReceiptRow } = {},
) {
  const { db } = context;
  const stored = known.pendingPayment
    ? null
    : known.paid !== undefined
      ? known.paid
      : await db.find(payment, { id: paymentId });
  const paid = known.pendingPayment ?? stored;
  const claim = known.claim !== undefined ? known.claim : await db.find(paymentClaim, { id: paymentId });
  let verified = 0;
  let provenAt: bigint | null = null;
  for (const receiptId of claim?.receiptIds ?? []) {
    const isPending = known.pending?.id === receiptId;
    const row = isPending ? known.pending : await db.find(receipt, { id: receiptId });
    if (!row) continue;
    const judged = judgedReceiptOf(row, paid, claim);
    if (judged.state === "verified") {
      verified++;
      if (provenAt === null || row.settledAt < provenAt) provenAt = row.settledAt;
    }
    if (isPending) await db.insert(receipt).values({ ...row, ...judged });
    else if (!sameVerdict(row, judged)) await db.update(receipt, { id: receiptId }).set(judged);
  }
  if (!paid) return;
  const judged = {
    state: verified > 0 ? "proven" : "awaiting_proof",
    receiptCount: claim?.receiptIds.length ?? 0,
    verifiedReceiptCount: verified,
    provenAt,
  };
  if (known.pendingPayment) await db.insert(payment).values({ ...known.pendingPayment, ...judged });
  else if (
    stored &&
    (stored.state !== judged.state ||
      stored.receiptCount !== judged.receiptCount ||
      stored.verifiedReceiptCount !== judged.verifiedReceiptCount ||
      stored.provenAt !== judged.provenAt)
  )
    await db.update(payment, { id: paymentId }).set(judged);
}

/** A receipt's payment-dependent fields, judged from its own checks, the payment (if paid) and all claims on it. */
function judgedReceiptOf(row: ReceiptRow, paid: PaidPayment | null, claim: ClaimRow | null) {
  const ownCounted = receiptCounts(row);
  const payment = paymentCheckOf({
    paymentId: row.paymentId,
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
    provenance: { ok: row.checkProvenance, reason: reasonOf(row.reasons, "provenance") },
    uniqueness: { ok: row.checkUniqueness, reason: reasonOf(row.reasons, "uniqueness") },
  };
  return {
    state: receiptStateOf(checks, payment.failure),
    checkPayment: payment.ok,
    reasons: reasonsOf(checks),
    paidAmount: paid?.amount ?? null,
    payer: paid?.payer ?? row.payer,
    payee: paid?.payee ?? null,
    facilitator: paid?.facilitator ?? null,
    paidAt: paid?.paidAt ?? null,
    latencySeconds: paid ? row.settledAt - paid.paidAt : null,
  };
}

/** A receipt's claim counts toward its payment when its proof holds and it was officially posted, first. */
export function receiptCounts(
  row: Pick<ReceiptRow, "checkInclusion" | "checkAttestation" | "checkProvenance" | "checkUniqueness">,
) {
  return row.checkInclusion && row.checkAttestation && row.checkProvenance && row.checkUniqueness;
}

function sameVerdict(row: ReceiptRow, judged: ReturnType<typeof judgedReceiptOf>) {
  return (
    row.state === judged.state &&
    row.checkPayment === judged.checkPayment &&
    row.paidAmount === judged.paidAmount &&
    row.payer === judged.payer &&
    row.payee === judged.payee &&
    row.facilitator === judged.facilitator &&
    row.paidAt === judged.paidAt &&
    row.latencySeconds === judged.latencySeconds &&
    JSON.stringify(row.reasons) === JSON.stringify(judged.reasons)
  );
}

function reasonOf(reasons: { check: string; reason: string }[], check: string) {
  return reasons.find((r) => r.check === check)?.reason ?? null;
}
