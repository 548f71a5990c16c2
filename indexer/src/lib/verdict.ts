/** The checks of a receipt (docs/protocol.md §5), each with its result and, when it failed, why. */
export type CheckName = "payment" | "inclusion" | "attestation" | "provenance" | "uniqueness";
export type CheckResult = { ok: boolean; reason: string | null };
export type ReceiptState = "verified" | "unpaid" | "underpaid" | "invalid_proof" | "duplicate" | "unofficial";
export type PaymentState = "awaiting_proof" | "overdue" | "proven";

/** A payment with no verified receipt this long after it was paid (chain time) is overdue. */
export const SETTLEMENT_WINDOW_SECONDS = 15n * 60n;

const pass: CheckResult = { ok: true, reason: null };
const fail = (reason: string): CheckResult => ({ ok: false, reason });

/** What a receipt's payment check needs to know about the payment it cites, as indexed so far. */
export type PaymentFacts = {
  paymentId: string;
  /** Null while no payment with this id is indexed on the payment chain. */
  payment: { amount: bigint; token: string } | null;
  acceptedTokens: readonly string[];
  /** Sum of the amounts of the valid, first-time leaves citing the payment. */
  claimedByValidLeaves: bigint;
  /** This receipt's own claim, and whether it is already part of `claimedByValidLeaves`. */
  ownAmount: bigint;
  ownCounted: boolean;
};

/** The payment check: paid on Base in an accepted token, and all valid claims on it covered by what was paid. */
export function paymentCheckOf(facts: PaymentFacts): CheckResult & { failure: "unpaid" | "underpaid" | null } {
  const { payment } = facts;
  if (!payment)
    return { ...fail(`No payment with id ${facts.paymentId} is indexed on the payment chain.`), failure: "unpaid" };
  if (!facts.acceptedTokens.some((t) => t.toLowerCase() === payment.token.toLowerCase()))
    return { ...fail(`Token ${payment.token} is not an accepted payment token.`), failure: "unpaid" };
  const claimed = facts.claimedByValidLeaves + (facts.ownCounted ? 0n : facts.ownAmount);
  if (claimed > payment.amount)
    return {
      ...fail(`Settlements citing this payment claim ${claimed} units but ${payment.amount} were paid.`),
      failure: "underpaid",
    };
  return { ...pass, failure: null };
}

/**
 * The first state that applies wins — unofficial (posted by no known signer: judged, never counted), invalid_proof,
 * duplicate, unpaid, underpaid, verified.
 */
export function receiptStateOf(checks: Record<CheckName, CheckResult>, paymentFailure: "unpaid" | "underpaid" | null) {
  if (!checks.provenance.ok) return "unofficial" satisfies ReceiptState;
  if (!checks.inclusion.ok || !checks.attestation.ok) return "invalid_proof" satisfies ReceiptState;
  if (!checks.uniqueness.ok) return "duplicate" satisfies ReceiptState;
  if (!checks.payment.ok) return (paymentFailure ?? "unpaid") satisfies ReceiptState;
  return "verified" satisfies ReceiptState;
}

/** A payment's state at chain time `now`: proven by any verified receipt, else overdue once its window passed. */
export function paymentStateOf({
  verifiedReceipts,
  paidAt,
  now,
  windowSeconds = SETTLEMENT_WINDOW_SECONDS,
}: {
  verifiedReceipts: number;
  paidAt: bigint;
  now: bigint;
  windowSeconds?: bigint;
}): PaymentState {
  if (verifiedReceipts > 0) return "proven";
  return now - paidAt > windowSeconds ? "overdue" : "awaiting_proof";
}

export { fail as failedCheck, pass as passedCheck };
