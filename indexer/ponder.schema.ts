import { index, onchainTable, relations } from "ponder";

/** An x402 payment on the payment chain: one EIP-3009 `AuthorizationUsed` joined with its `Transfer`. */
export const payment = onchainTable(
  "payment",
  (t) => ({
    id: t.hex().primaryKey(), // paymentId
    chainId: t.integer().notNull(),
    token: t.hex().notNull(),
    payer: t.hex().notNull(),
    nonce: t.hex().notNull(),
    facilitator: t.hex().notNull(),
    payee: t.hex().notNull(),
    amount: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(), // the AuthorizationUsed log's
    paidAt: t.bigint().notNull(),
    // "proven" once a verified receipt cites it; "awaiting_proof" otherwise (overdue is judged at read time).
    state: t.text().notNull(),
    receiptCount: t.integer().notNull(),
    verifiedReceiptCount: t.integer().notNull(),
    // When the first receipt citing it that is verified now was settled: the end of its overdue time, for `stats`.
    provenAt: t.bigint(),
  }),
  (table) => ({
    payerIdx: index().on(table.payer),
    payeeIdx: index().on(table.payee),
    facilitatorIdx: index().on(table.facilitator),
    txHashIdx: index().on(table.txHash),
    // Covers the API's overdue-backlog pass (paid and proven times only), so it reads this index, not the table.
    paidAtIdx: index().on(table.paidAt, table.provenAt),
    stateIdx: index().on(table.state, table.paidAt),
  }),
);

/**
 * An `AuthorizationUsed` log, until the `Transfer` right after it in the same transaction makes it a payment: what the
 * Transfer does not carry (the nonce, hence the payment id).
 */
export const usdcAuthorization = onchainTable("usdc_authorization", (t) => ({
  id: t.text().primaryKey(), // `${txHash}-${logIndex}`
  paymentId: t.hex().notNull(),
  authorizer: t.hex().notNull(),
  nonce: t.hex().notNull(),
}));

/** What the settlement chain claims against one payment id, whether or not the payment is indexed yet. */
export const paymentClaim = onchainTable("payment_claim", (t) => ({
  id: t.hex().primaryKey(), // paymentId
  // Sum over the leaves citing it that passed inclusion, attestation and uniqueness.
  claimedAmount: t.bigint().notNull(),
  receiptIds: t.json().$type<`0x${string}`[]>().notNull(),
}));

/** An enclave as the TeeRegistry registered (and maybe revoked) it. */
export const tee = onchainTable("tee", (t) => ({
  id: t.hex().primaryKey(), // teeId
  publicKey: t.hex().notNull(),
  keyMatchesId: t.boolean().notNull(),
  registeredAtBlock: t.bigint().notNull(),
  registeredAt: t.bigint().notNull(),
  registeredTx: t.hex().notNull(),
  revoked: t.boolean().notNull(),
  revokedAtBlock: t.bigint(),
  revokedAt: t.bigint(),
  revokedTx: t.hex(),
}));

/** One `IndividualSettlement` or `BatchSettlement` on the verification chain. */
export const settlement = onchainTable(
  "settlement",
  (t) => ({
    id: t.text().primaryKey(), // `${txHash}-${logIndex}`
    kind: t.text().notNull(), // "individual" | "batch"
    chainId: t.integer().notNull(),
    txHash: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    facilitator: t.hex().notNull(),
    merkleRoot: t.hex(),
    computedRoot: t.hex(),
    rootMatches: t.boolean(),
    blobId: t.hex().notNull(),
    leafCount: t.integer().notNull(),
    // Why the leaves could not be read from calldata, if they could not.
    decodeError: t.text(),
  }),
  (table) => ({
    txHashIdx: index().on(table.txHash),
    merkleRootIdx: index().on(table.merkleRoot),
    timestampIdx: index().on(table.timestamp),
  }),
);

/** One settled inference: a leaf of a batch, or an individual settlement's single leaf. */
export const leaf = onchainTable(
  "leaf",
  (t) => ({
    id: t.text().primaryKey(), // `${settlementId}-${index}`
    settlementId: t.text().notNull(),
    leafIndex: t.integer().notNull(),
    receiptId: t.hex().notNull(),
    paymentId: t.hex().notNull(),
    inferenceId: t.hex().notNull(),
    amount: t.bigint().notNull(),
    teeId: t.hex().notNull(),
    inputHash: t.hex().notNull(),
    outputHash: t.hex().notNull(),
    signature: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
    leafHash: t.hex().notNull(),
    proof: t.json().$type<`0x${string}`[]>().notNull(),
    inclusion: t.boolean().notNull(),
    inclusionReason: t.text(),
    attestation: t.boolean().notNull(),
    attestationReason: t.text(),
    // False when the inference was settled before (this leaf is the repeat).
    uniqueness: t.boolean().notNull(),
    settledAt: t.bigint().notNull(),
  }),
  (table) => ({
    settlementIdx: index().on(table.settlementId),
    receiptIdx: index().on(table.receiptId),
    inferenceIdx: index().on(table.inferenceId),
    paymentIdx: index().on(table.paymentId),
  }),
);

/** The first settlement of each inference, so a second one is caught. */
export const inference = onchainTable("inference", (t) => ({
  id: t.hex().primaryKey(), // inferenceId
  firstLeafId: t.text().notNull(),
  firstReceiptId: t.hex().notNull(),
  settlementCount: t.integer().notNull(),
}));

/** A payment receipt linked to its settlement proof, with every check's verdict (DESIGN.md §3–§4). */
export const receipt = onchainTable(
  "receipt",
  (t) => ({
    id: t.hex().primaryKey(), // receiptId
    paymentId: t.hex().notNull(),
    inferenceId: t.hex().notNull(),
    leafId: t.text().notNull(),
    settlementId: t.text().notNull(),
    settlementCount: t.integer().notNull(),
    state: t.text().notNull(),
    checkPayment: t.boolean().notNull(),
    checkInclusion: t.boolean().notNull(),
    checkAttestation: t.boolean().notNull(),
    checkUniqueness: t.boolean().notNull(),
    reasons: t.json().$type<{ check: string; reason: string }[]>().notNull(),
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
    // Covers the API's stats aggregate (time, state, amount, latency): an index-only scan instead of the wide rows.
    settledAtIdx: index().on(table.settledAt, table.state, table.amount, table.latencySeconds),
    payerIdx: index().on(table.payer),
    payeeIdx: index().on(table.payee),
    facilitatorIdx: index().on(table.facilitator),
    teeIdx: index().on(table.teeId),
    settlementIdx: index().on(table.settlementId),
  }),
);

/** Each chain's indexed head: the chain time that payment states are judged at, and `_meta`. */
export const chainHead = onchainTable("chain_head", (t) => ({
  id: t.integer().primaryKey(), // chain id
  name: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
}));

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
