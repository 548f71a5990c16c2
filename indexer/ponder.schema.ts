import { index, onchainTable, relations } from "ponder";
import type { SessionInference, SessionPayment } from "./src/lib/sessionLink";
import type { TeeStatusChange } from "./src/lib/teeStatus";

// ── Payment chain: x402 payments (USDC EIP-3009, Permit2 proxies) ──────────────────────────────────────────────────

/**
 * An x402 payment on the payment chain: one EIP-3009 `AuthorizationUsed` joined with its `Transfer` (USDC), or one
 * Permit2 proxy settlement (`Settled()` / `SettledWithPermit()`) read from its calldata and checked against the
 * token `Transfer` before it.
 */
export const payment = onchainTable(
  "payment",
  (t) => ({
    id: t.hex().primaryKey(), // paymentId: keccak256(abi.encode(chainId, authority, payer, nonce)), authority = token | Permit2
    chainId: t.integer().notNull(),
    token: t.hex().notNull(), // the asset
    payer: t.hex().notNull(),
    nonce: t.hex().notNull(),
    facilitator: t.hex().notNull(), // tx.from
    payee: t.hex().notNull(), // EIP-3009: the Transfer's `to`; Permit2: witness.to
    amount: t.bigint().notNull(), // settled
    txHash: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(), // AuthorizationUsed's, or the proxy event's
    paidAt: t.bigint().notNull(),
    // docs/protocol.md §4, links of every kind counted: "proven" once a verified receipt cites it or a proven
    // inference is linked to it by session, else "awaiting_proof" (overdue is judged at read time from paidAt).
    state: t.text().notNull(),
    receiptCount: t.integer().notNull(),
    verifiedReceiptCount: t.integer().notNull(), // exact links only: the receipts citing it that are verified
    // Inferences linked to it by session (§4), and of those the proven ones.
    sessionInferenceCount: t
      .integer()
      .notNull()
      .$defaultFn(() => 0),
    provenSessionInferenceCount: t
      .integer()
      .notNull()
      .$defaultFn(() => 0),
    // The earliest settlement proving it: of a verified receipt, or of a proven inference linked by session.
    provenAt: t.bigint(),
    // How the payment moved (design §9): "eip3009" (transferWithAuthorization), "permit2_exact" or "permit2_upto"
    // (x402's Permit2 proxies). The default is for rows written before Permit2 was read; the handlers always set it.
    scheme: t
      .text()
      .$type<"eip3009" | "permit2_exact" | "permit2_upto">()
      .notNull()
      .$defaultFn(() => "eip3009"),
    maxAmount: t.bigint(), // upto: the permitted amount, `amount` being what was settled of it; null otherwise
    validAfter: t.bigint(), // Permit2: witness.validAfter (EIP-3009's is only in calldata: null)
    deadline: t.bigint(), // Permit2: permit.deadline
    // Why the calldata, the proxy's event and the token Transfer disagree ("; "-joined); null when they agree.
    mismatch: t.text(),
  }),
  (table) => ({
    payeeIdx: index().on(table.payee),
    // Session candidates (§4): a payer's payments to an enclave's payment address within a window. Also the index
    // of lookups by payer alone (its first column): a separate one would only be built and written for nothing.
    sessionIdx: index().on(table.payer, table.payee, table.paidAt),
    facilitatorIdx: index().on(table.facilitator),
    txHashIdx: index().on(table.txHash),
    paidAtIdx: index().on(table.paidAt, table.provenAt),
    stateIdx: index().on(table.state, table.paidAt),
  }),
);

/**
 * A payer's `UnorderedNonceInvalidation(owner, word, mask)` on Permit2: the nonces of `mask`'s bits in bitmap word
 * `word` can no longer settle (a payment already settled with one of them stays valid).
 */
export const permit2NonceCancellation = onchainTable(
  "permit2_nonce_cancellation",
  (t) => ({
    id: t.text().primaryKey(), // `${txHash}-${logIndex}`
    chainId: t.integer().notNull(),
    owner: t.hex().notNull(),
    word: t.bigint().notNull(),
    mask: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    cancelledAt: t.bigint().notNull(),
  }),
  (table) => ({
    ownerWordIdx: index().on(table.owner, table.word),
  }),
);

/**
 * A payer's payments to one payee in one time bucket, and the inferences of that payer waiting for a session payment
 * there (docs/protocol.md §4): the handlers of both chains meet here, by key, so whichever arrives first the other
 * finds it. Buckets are as wide as the widest session window (`sessionBucketSecondsOf`); lists are kept sorted, so
 * the rows do not depend on arrival order.
 */
export const sessionBucket = onchainTable("session_bucket", (t) => ({
  id: t.text().primaryKey(), // `${payer}-${payee}-${bucket}`, lower-case; bucket = floor(time / width)
  payer: t.hex().notNull(),
  payee: t.hex().notNull(),
  // Payments paid in the bucket, in chain order: [paidAt, block, logIndex, paymentId]
  payments: t.json().$type<SessionPayment[]>().notNull(),
  // Inferences whose timestamp is in the bucket, by time then id: [timestamp, inferenceId, current session payment
  // (a `payments` entry) or null], so a later payment is judged against it without reading the inference
  inferences: t.json().$type<SessionInference[]>().notNull(),
}));

/** The inferences linked to a payment by session, each with when it was proven (null while not proven). */
export const paymentSession = onchainTable("payment_session", (t) => ({
  id: t.hex().primaryKey(), // paymentId
  // [inferenceId, provenAt | null] by inferenceId (provenAt: the counting settlement's time, decimal string)
  inferences: t.json().$type<[`0x${string}`, string | null][]>().notNull(),
}));

export const usdcAuthorization = onchainTable("usdc_authorization", (t) => ({
  id: t.text().primaryKey(),
  paymentId: t.hex().notNull(),
  authorizer: t.hex().notNull(),
  nonce: t.hex().notNull(),
}));

export const paymentClaim = onchainTable("payment_claim", (t) => ({
  id: t.hex().primaryKey(),
  claimedAmount: t.bigint().notNull(),
  receiptIds: t.json().$type<`0x${string}`[]>().notNull(),
}));

// ── Verification chain: the TEE registry ───────────────────────────────────────────────────────────────────────

/** An enclave as a TEE registry registered it, with what its registration says (key, PCR hash, payment address). */
export const tee = onchainTable("tee", (t) => ({
  id: t.hex().primaryKey(), // teeId = keccak256(DER SPKI public key)
  registry: t.hex().notNull(),
  owner: t.hex().notNull(),
  teeType: t.integer().notNull(),
  publicKey: t.hex().notNull(),
  keyMatchesId: t.boolean().notNull(),
  pcrHash: t.hex().notNull(),
  paymentAddress: t.hex().notNull(),
  endpoint: t.text().notNull(),
  // Where the key and PCR hash were read: "calldata" (registerTEEWithAttestation input) or "getTEE" (a read at the block).
  source: t.text().notNull(),
  attestationDocument: t.hex(), // from the registration calldata, when it was there
  // The indexer's re-verification of that document (AWS root, as of the block time, binding publicKey):
  // "verified" | "failed" | "unverifiable" ("unverifiable" when the calldata did not carry it), and why not verified.
  nitroResult: t.text().$type<"verified" | "failed" | "unverifiable">().notNull(),
  nitroReasons: t.json().$type<string[]>().notNull(),
  registeredAtBlock: t.bigint().notNull(),
  registeredAt: t.bigint().notNull(),
  registeredTx: t.hex().notNull(),
  enabled: t.boolean().notNull(), // now (as indexed)
  // Every status change in chain order: [{ kind: "registered"|"enabled"|"disabled"|"pcr_revoked", block, logIndex, tx }]
  history: t.json().$type<TeeStatusChange[]>().notNull(),
  lastHeartbeatAt: t.bigint(),
}));

/** A PCR hash (enclave image) approved for a TEE type, and its revocation. */
export const pcr = onchainTable("pcr", (t) => ({
  id: t.text().primaryKey(), // `${registry}-${teeType}-${pcrHash}`
  registry: t.hex().notNull(),
  pcrHash: t.hex().notNull(),
  teeType: t.integer().notNull(),
  version: t.text().notNull(),
  approved: t.boolean().notNull(),
  approvedAtBlock: t.bigint().notNull(),
  revokedAtBlock: t.bigint(),
  // TEEs registered with this PCR: revoking it disables them without a per-TEE event.
  teeIds: t.json().$type<`0x${string}`[]>().notNull(),
}));

// ── Verification chain: relays, blobs, settled leaves ───────────────────────────────────────────────────────────

/** One relay event: a batch (`BatchSettlement`) or one inference (`IndividualSettlement`, v1 `Settlement…`). */
export const settlement = onchainTable(
  "settlement",
  (t) => ({
    id: t.text().primaryKey(), // `${txHash}-${logIndex}`
    kind: t.text().notNull(), // "batch" | "individual"
    chainId: t.integer().notNull(),
    relay: t.hex().notNull(),
    abi: t.text().notNull(), // "v1" | "v2" | "v3"
    txHash: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    signer: t.hex().notNull(), // tx.from
    official: t.boolean().notNull(),
    merkleRoot: t.hex(),
    batchSize: t.integer().notNull(),
    blobId: t.text(), // base64url; null for v1
    // "available" | "pending" | "mismatched" | "expired"; "unavailable" for v1 batches (no blob id); null for v1
    // individual settlements. An individual settlement's blob is its archived exchange, compared with the event.
    blobStatus: t.text(),
    blobReason: t.text(), // why mismatched / unavailable
    leafEncoding: t.text(), // "e1" | "e2" | "e3" | "exact" once known
    leafCount: t.integer().notNull(), // leaves known (0 while pending)
    ethAddress: t.hex(), // individual settlements
  }),
  (table) => ({
    txHashIdx: index().on(table.txHash),
    merkleRootIdx: index().on(table.merkleRoot),
    timestampIdx: index().on(table.timestamp),
    blobIdx: index().on(table.blobId),
    statusIdx: index().on(table.blobStatus),
  }),
);

/** A Walrus blob as fetched (or imported from an archive): the archive a re-index reads when Walrus has dropped it. */
export const blob = onchainTable("blob", (t) => ({
  id: t.text().primaryKey(), // blobId (base64url)
  content: t.text().notNull(), // the blob's bytes as UTF-8 text (tree dumps and individual payloads are JSON)
  size: t.integer().notNull(),
  source: t.text().notNull(), // "aggregator" | "archive"
}));

/** Batches whose blob could not be fetched yet (one row, id "pending"): re-checked on later verification-chain events. */
export const pendingBlob = onchainTable("pending_blob", (t) => ({
  id: t.text().primaryKey(),
  settlements: t.json().$type<{ settlementId: string; blobId: string }[]>().notNull(),
}));

/** Accounts holding a relay's SETTLEMENT_RELAY_ROLE: its official signers when the profile lists none. */
export const relaySigner = onchainTable("relay_signer", (t) => ({
  id: t.text().primaryKey(), // `${relay}-${account}`
  relay: t.hex().notNull(),
  account: t.hex().notNull(),
  granted: t.boolean().notNull(),
  changedAtBlock: t.bigint().notNull(),
}));

/** One settled inference: a leaf of a batch blob, or an individual settlement's fields. */
export const leaf = onchainTable(
  "leaf",
  (t) => ({
    id: t.text().primaryKey(), // `${settlementId}-${index}`
    settlementId: t.text().notNull(),
    leafIndex: t.integer().notNull(), // index in the blob's `values` (0 for individual)
    encoding: t.text().notNull(), // "e1" | "e2" | "e3" | "exact"
    inferenceId: t.hex(), // null for E1/E2 (no teeId/timestamp)
    teeId: t.hex(),
    inputHash: t.hex().notNull(),
    outputHash: t.hex().notNull(),
    // Individual settlements only: a batch leaf's signature, like its proof, is read from the archived blob.
    signature: t.hex(),
    timestamp: t.bigint(),
    paymentId: t.hex(), // exact leaves
    amount: t.bigint(), // exact leaves
    receiptId: t.hex(), // exact leaves
    leafHash: t.hex(),
    inclusion: t.boolean().notNull(),
    attestation: t.boolean().notNull(),
    provenance: t.boolean().notNull(),
    uniqueness: t.boolean().notNull(),
    // Every failed check and why. Inserts leave an empty list to this default: Ponder copies rows with no array cheaply.
    reasons: t
      .json()
      .$type<{ check: string; reason: string }[]>()
      .notNull()
      .$defaultFn(() => []),
    // "proven" | "invalid_proof" | "duplicate" | "unofficial"; "legacy" for E1/E2 and v1 leaves (no enclave to check)
    state: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    settledAt: t.bigint().notNull(),
  }),
  // Only what the API looks leaves up by: their settlement, and search by input or output hash.
  (table) => ({
    settlementIdx: index().on(table.settlementId),
    inputIdx: index().on(table.inputHash),
    outputIdx: index().on(table.outputHash),
  }),
);

/** An inference (what a user holds), judged from its settled leaves in chain order (docs/protocol.md §5). */
export const inference = onchainTable(
  "inference",
  (t) => ({
    id: t.hex().primaryKey(), // inferenceId
    state: t.text().notNull(), // "proven" | "invalid_proof" | "unofficial"
    teeId: t.hex().notNull(),
    inputHash: t.hex().notNull(),
    outputHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
    countingLeafId: t.text().notNull(),
    // Every settled leaf of this inference in chain order: [block, logIndex, leafIndex, leafId]
    leaves: t.json().$type<[string, number, number, string][]>().notNull(),
    settlementCount: t.integer().notNull(),
    checkInclusion: t.boolean().notNull(),
    checkAttestation: t.boolean().notNull(),
    checkProvenance: t.boolean().notNull(),
    checkUniqueness: t.boolean().notNull(),
    reasons: t.json().$type<{ check: string; reason: string }[]>().notNull(),
    // "exact" (the counting leaf names the payment) | "session" (docs/protocol.md §4) | "none"; exact takes precedence
    linkKind: t.text().notNull(),
    paymentId: t.hex(), // the linked payment (exact or session)
    receiptId: t.hex(), // exact links
    settledAt: t.bigint().notNull(), // the counting leaf's
    // The payer an individual settlement names (its `ethAddress`: the first in chain order that is not Permit2 or a
    // proxy), the payee of its session (the enclave's paymentAddress, else the profile's gateway) and the session's
    // window [timestamp, sessionUntil]; null without a payer.
    payer: t.hex(),
    sessionPayee: t.hex(),
    sessionUntil: t.bigint(),
    // The earliest payment from `payer` to `sessionPayee` in the window (null: none, or the payer is a contract),
    // kept even while an exact link takes precedence.
    sessionPaymentId: t.hex(),
  }),
  (table) => ({
    payerIdx: index().on(table.payer, table.sessionPayee, table.timestamp),
    stateIdx: index().on(table.state, table.settledAt),
    teeIdx: index().on(table.teeId),
    settledAtIdx: index().on(table.settledAt),
    paymentIdx: index().on(table.paymentId),
  }),
);

/** A payment receipt: an exact-link leaf tied to its payment, with every check's verdict (as before). */
export const receipt = onchainTable(
  "receipt",
  (t) => ({
    id: t.hex().primaryKey(),
    paymentId: t.hex().notNull(),
    inferenceId: t.hex().notNull(),
    leafId: t.text().notNull(),
    settlementId: t.text().notNull(),
    settlementCount: t.integer().notNull(),
    state: t.text().notNull(), // + "unofficial" (first in precedence: never counted)
    checkPayment: t.boolean().notNull(),
    checkInclusion: t.boolean().notNull(),
    checkAttestation: t.boolean().notNull(),
    checkProvenance: t.boolean().notNull(),
    checkUniqueness: t.boolean().notNull(),
    // As the leaf's: inserts leave an empty list to the default.
    reasons: t
      .json()
      .$type<{ check: string; reason: string }[]>()
      .notNull()
      .$defaultFn(() => []),
    amount: t.bigint().notNull(),
    paidAmount: t.bigint(),
    payer: t.hex(),
    payee: t.hex(),
    facilitator: t.hex(),
    teeId: t.hex().notNull(),
    paidAt: t.bigint(),
    settledAt: t.bigint().notNull(),
    latencySeconds: t.bigint(),
  }),
  (table) => ({
    paymentIdx: index().on(table.paymentId),
    inferenceIdx: index().on(table.inferenceId),
    stateIdx: index().on(table.state, table.settledAt),
    settledAtIdx: index().on(table.settledAt, table.state, table.amount, table.latencySeconds),
    payeeIdx: index().on(table.payee),
    // Session candidates (§4), and lookups by payer alone (its first column), as the payment's.
    sessionIdx: index().on(table.payer, table.payee, table.paidAt),
    facilitatorIdx: index().on(table.facilitator),
    teeIdx: index().on(table.teeId),
    settlementIdx: index().on(table.settlementId),
  }),
);

export const receiptRelations = relations(receipt, ({ one }) => ({
  payment: one(payment, { fields: [receipt.paymentId], references: [payment.id] }),
  settlement: one(settlement, { fields: [receipt.settlementId], references: [settlement.id] }),
  leaf: one(leaf, { fields: [receipt.leafId], references: [leaf.id] }),
  tee: one(tee, { fields: [receipt.teeId], references: [tee.id] }),
}));

export const paymentRelations = relations(payment, ({ many }) => ({
  receipts: many(receipt),
}));

export const settlementRelations = relations(settlement, ({ many }) => ({
  leaves: many(leaf),
}));

export const leafRelations = relations(leaf, ({ one }) => ({
  settlement: one(settlement, { fields: [leaf.settlementId], references: [settlement.id] }),
}));

export const inferenceRelations = relations(inference, ({ one }) => ({
  countingLeaf: one(leaf, { fields: [inference.countingLeafId], references: [leaf.id] }),
  tee: one(tee, { fields: [inference.teeId], references: [tee.id] }),
}));
