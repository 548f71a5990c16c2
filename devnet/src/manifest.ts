import type { Address, Hex } from "viem";

/**
 * How the generator bends one exact-link receipt (a leaf naming its payment, posted by the exact-link facilitator);
 * the indexer must reach the matching verdict (docs/protocol.md).
 */
export const FAULTS = [
  "none",
  "split_ok",
  "unpaid",
  "underpaid",
  "split_underpaid",
  "invalid_signature",
  "wrong_root",
  "revoked_tee",
  "unregistered_tee",
  "duplicate",
  "never_settled",
  "private",
] as const;
export type Fault = (typeof FAULTS)[number];

/** How the generator bends one inference of the real network's kind (no payment link), settled by the facilitator. */
export const PLAIN_FAULTS = [
  "none",
  "bad_signature",
  "unregistered_tee",
  "disabled_tee",
  "revoked_pcr",
  "duplicate",
  "unofficial",
  "unofficial_then_official",
  "mismatched",
  "pending",
  "released",
  "expired",
  "private",
  "legacy",
] as const;
export type PlainFault = (typeof PLAIN_FAULTS)[number];

export type ReceiptState = "verified" | "unpaid" | "underpaid" | "invalid_proof" | "duplicate";
export type PaymentState = "awaiting_proof" | "overdue" | "proven";
export type Checks = {
  payment: boolean;
  inclusion: boolean;
  attestation: boolean;
  provenance: boolean;
  uniqueness: boolean;
};

/** What the oracle expects of one receipt. `state: "not_settled"` means no proof cites it on chain. */
export type ManifestReceipt = {
  receiptId: Hex;
  paymentId: Hex;
  inferenceId: Hex;
  fault: Fault;
  state: ReceiptState | "not_settled";
  checks: Checks | null;
  /** Exact receipts are always settled in batches (an individual settlement's event names no payment). */
  settlement: "batch" | "none";
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
  /** How the tokens moved: USDC `transferWithAuthorization`, or an OPG `upto` session through x402's proxy. */
  scheme: "eip3009" | "permit2_upto";
  /** The token paid. */
  asset: Address;
  /** The `upto` authorization's cap (token units, decimal); null for EIP-3009. */
  maxAmount: string | null;
  /** The authorization's nonce (EIP-3009 bytes32; Permit2's uint256 as bytes32). */
  nonce: Hex;
  /**
   * The state once links of every kind count (docs/protocol.md): `proven` when a verified receipt cites it (as
   * `state`) or a proven inference is linked to it by session; `state` counts exact links only.
   */
  linkedState: PaymentState;
};

/** How an inference is tied to a payment (docs/protocol.md): by its leaf, by session rule, or not at all. */
export type ManifestLink = { kind: "exact" | "session" | "none"; paymentId?: Hex };

/** An inference's state (docs/protocol.md); `not_indexed`: no settlement carrying it can be read (pending, expired, none). */
export type InferenceState = "proven" | "invalid_proof" | "unofficial" | "not_indexed";
export type InferenceChecks = { inclusion: boolean; attestation: boolean; provenance: boolean; uniqueness: boolean };

/** What the oracle expects of one inference id: the state and checks of the settled leaf that counts. */
export type ManifestInference = {
  inferenceId: Hex;
  /** `exact`: settled in exact-link leaves (has receipts); `plain`: E3 leaves and individual settlements. */
  population: "exact" | "plain";
  /** The fault injected; `duplicate` when a later settlement re-settled this (proven) inference. */
  fault: Fault | PlainFault;
  /** How the counting settlement posted it; `none` when nothing was posted. */
  route: "batch" | "individual" | "none";
  state: InferenceState;
  checks: InferenceChecks | null;
  /** Settled leaves an indexer can read for it (leaves of pending or expired batches are not readable). */
  settlementCount: number;
  tee: string;
  /**
   * The link the indexer must find: `exact` (the leaf names the payment), `session` (an individual settlement's
   * `ethAddress` paid the enclave's `paymentAddress` within [timestamp, timestamp + idle + max]; the earliest such
   * payment), or `none`.
   */
  link: ManifestLink;
};

/** A batch's blob status (docs/protocol.md); `unavailable`: a v1 batch, whose event names no blob. */
export type BlobStatus = "available" | "pending" | "mismatched" | "expired" | "unavailable";

/** One settlement transaction's event, in the order the plan posts them. */
export type ManifestSettlement = {
  population: "exact" | "plain" | "legacy";
  kind: "batch" | "individual";
  abi: "v1" | "v3";
  signer: Address;
  official: boolean;
  /** The root the event carries (a mismatched batch's differs from its blob's); null for individual settlements. */
  merkleRoot: Hex | null;
  /** base64url; null for v1 events. */
  blobId: string | null;
  /** The blob's status at the end (an individual settlement's: its archived exchange); null for v1 individual ones. */
  blobStatus: BlobStatus | null;
  /** Leaves an indexer can read: the blob's (0 while pending, expired or unavailable), 1 for individual ones. */
  leafCount: number;
  round: number;
};

/** A v1 settlement's leaf: hashes only, so no inference id. */
export type ManifestLegacy = { inputHash: Hex; outputHash: Hex; kind: "individual" | "batch" | "metadata" };

export type Manifest = {
  seed: string;
  receiptCount: number;
  settlementWindowSeconds: number;
  chainTime: { start: number; end: number };
  receipts: ManifestReceipt[];
  payments: ManifestPayment[];
  inferences: ManifestInference[];
  settlements: ManifestSettlement[];
  legacy: ManifestLegacy[];
  /** What session links were judged with: the enclaves' `paymentAddress` and the gateway's session times. */
  gateway: { paymentAddress: Address; sessionIdleSeconds: number; sessionMaxSeconds: number };
};

const pass: Checks = { payment: true, inclusion: true, attestation: true, provenance: true, uniqueness: true };

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
  unregistered_tee: { state: "invalid_proof", checks: { ...pass, attestation: false } },
  duplicate: { state: "duplicate", checks: { ...pass, uniqueness: false } },
  never_settled: { state: "not_settled", checks: null },
  private: { state: "not_settled", checks: null },
};

/** Exact-link faults whose leaf fails the attestation check (bad signature, or an enclave not enabled). */
export const ATTESTATION_FAULTS: ReadonlySet<Fault | PlainFault> = new Set([
  "invalid_signature",
  "revoked_tee",
  "unregistered_tee",
  "bad_signature",
  "disabled_tee",
  "revoked_pcr",
]);
