import type { Hex } from "viem";

/** How the generator bends one receipt; the indexer must reach the matching verdict (DESIGN.md §3–§4). */
export const FAULTS = [
  "none",
  "split_ok",
  "unpaid",
  "underpaid",
  "split_underpaid",
  "invalid_signature",
  "wrong_root",
  "revoked_tee",
  "tee_key_mismatch",
  "duplicate",
  "never_settled",
  "private",
] as const;
export type Fault = (typeof FAULTS)[number];

export type ReceiptState = "verified" | "unpaid" | "underpaid" | "invalid_proof" | "duplicate";
export type PaymentState = "awaiting_proof" | "overdue" | "proven";
export type Checks = { payment: boolean; inclusion: boolean; attestation: boolean; uniqueness: boolean };

/** What the oracle expects of one receipt. `state: "not_settled"` means no proof cites it on chain. */
export type ManifestReceipt = {
  receiptId: Hex;
  paymentId: Hex;
  inferenceId: Hex;
  fault: Fault;
  state: ReceiptState | "not_settled";
  checks: Checks | null;
  settlement: "batch" | "individual" | "none";
  tee: string;
  amount: string;
};

export type ManifestPayment = {
  paymentId: Hex;
  payer: Hex;
  payee: Hex;
  facilitator: Hex;
  amount: string;
  paidAt: number;
  state: PaymentState;
  /** Settled with `private`: nothing is posted, so on chain it is indistinguishable from a missing proof. */
  private: boolean;
};

export type Manifest = {
  seed: string;
  receiptCount: number;
  settlementWindowSeconds: number;
  chainTime: { start: number; end: number };
  receipts: ManifestReceipt[];
  payments: ManifestPayment[];
};

const pass: Checks = { payment: true, inclusion: true, attestation: true, uniqueness: true };

/** The verdict each fault must produce; `null` checks: no proof on chain, so no receipt to judge. */
export const EXPECTED_VERDICT: Record<Fault, { state: ManifestReceipt["state"]; checks: Checks | null }> = {
  none: { state: "verified", checks: pass },
  split_ok: { state: "verified", checks: pass },
  unpaid: { state: "unpaid", checks: { ...pass, payment: false } },
  underpaid: { state: "underpaid", checks: { ...pass, payment: false } },
  split_underpaid: { state: "underpaid", checks: { ...pass, payment: false } },
  invalid_signature: { state: "invalid_proof", checks: { ...pass, attestation: false } },
  wrong_root: { state: "invalid_proof", checks: { ...pass, inclusion: false } },
  revoked_tee: { state: "invalid_proof", checks: { ...pass, attestation: false } },
  tee_key_mismatch: { state: "invalid_proof", checks: { ...pass, attestation: false } },
  duplicate: { state: "duplicate", checks: { ...pass, uniqueness: false } },
  never_settled: { state: "not_settled", checks: null },
  private: { state: "not_settled", checks: null },
};
