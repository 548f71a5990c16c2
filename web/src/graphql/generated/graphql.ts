/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Whether a batch settlement's leaves could be read from its Walrus blob. */
export type BlobStatus =
  /** The blob (fetched from Walrus or from Settlescan's archive) rebuilds the event's Merkle root; an individual settlement's repeats its event's fields. */
  | 'available'
  /** The blob is gone from Walrus and absent from the archive. */
  | 'expired'
  /** The blob decodes to a tree whose root is not the event's: every leaf it names fails inclusion. An individual settlement's blob does not parse or differs from its event (its inference is judged from the event). */
  | 'mismatched'
  /** The blob could not be fetched yet: a batch's leaves, and so its inferences, are unknown until it can (not a failure). */
  | 'pending'
  /** There is no blob to read: a legacy v1 batch names none. */
  | 'unavailable';

/** What the indexer's re-verification of an enclave's AWS Nitro attestation document found. */
export type EnclaveAttestationResult =
  /** It is an AWS Nitro document and a check failed: its signature, its certificate chain at the registration's block time, or its commitment to the registered signing key. */
  | 'failed'
  /** It cannot be checked: it is not an AWS Nitro document (the devnet's documents are not signed by AWS), or the registration transaction did not carry it (a contract called the registry). */
  | 'unverifiable'
  /** AWS's PKI signed the document (signature and certificate chain valid at the registration's block time) and its user data commits to the registered signing key. */
  | 'verified';

/** Which inferences to list; every condition given must hold. */
export type InferenceFilter = {
  /** Its counting settlement posted at or after. */
  from?: string | null | undefined;
  /** Tied to a payment this way. */
  linkKind?: LinkKind | null | undefined;
  /** Only inferences an official settlement carries (true: proven or invalid_proof) or none does (false: unofficial). */
  official?: boolean | null | undefined;
  /** Tied to this payment (exact or session links). */
  paymentId?: string | null | undefined;
  /** Any of these states. */
  states?: Array<InferenceState> | null | undefined;
  /** Signed by this enclave. */
  teeId?: string | null | undefined;
  /** Its counting settlement posted before. */
  to?: string | null | undefined;
};

/**
 * An inference's state: the state of its settled leaf that counts — the first official one that proves it; failing
 * that, the first official one; failing that, the first unofficial one ("first" in chain order: block, then log index).
 */
export type InferenceState =
  /** Its counting official settlement fails inclusion or attestation. */
  | 'invalid_proof'
  /** An official settlement includes it, its enclave was attested and its signature verifies. */
  | 'proven'
  /** Only settlements by unknown signers carry it: shown, never counted as proof. */
  | 'unofficial';

/** Bucket width. Buckets are aligned in UTC: hours and days to the Unix epoch, weeks to Mondays. */
export type Interval =
  /** One day (UTC). */
  | 'DAY'
  /** One hour. */
  | 'HOUR'
  /** One week, Monday to Monday (UTC). */
  | 'WEEK';

/** The values a settled leaf holds, by era; a tree dump's `leafEncoding` says which. */
export type LeafEncoding =
  /** [inputHash, outputHash] (to February 2026): no TEE id or timestamp, so no inference id. */
  | 'e1'
  /** [inputHash, outputHash, sigValue] (2026-02-20 to 03-31): no TEE id or timestamp, so no inference id. */
  | 'e2'
  /** [teeId, inputHash, outputHash, signature, timestamp] (since 2026-04-01). */
  | 'e3'
  /** The exact-link extension: E3's values, then the paymentId that paid for the inference and the amount charged. */
  | 'exact';

/** How an inference is tied to a payment on the payment chain. */
export type LinkKind =
  /** The leaf names the paymentId that paid for it (the exact-link extension): a receipt. */
  | 'exact'
  /** Nothing ties it to a payment (batch or private mode, unknown payer). */
  | 'none'
  /** A payment from the inference's payer to the enclave's payment address settled within its session's window. */
  | 'session';

/** A sort direction. */
export type OrderDirection =
  /** Smallest (or oldest) first. */
  | 'ASC'
  /** Largest (or newest) first. */
  | 'DESC';

/** Which payments to list; every condition given must hold. */
export type PaymentFilter = {
  /** Submitted by this address (tx.from). */
  facilitator?: string | null | undefined;
  /** Paid at or after. */
  from?: string | null | undefined;
  /** At most this amount (base units). */
  maxAmount?: string | null | undefined;
  /** At least this amount (base units). */
  minAmount?: string | null | undefined;
  /** Paid to this address. */
  payee?: string | null | undefined;
  /** Authorized by this address. */
  payer?: string | null | undefined;
  /** Of these schemes. */
  schemes?: Array<PaymentScheme> | null | undefined;
  /** Any of these states (judged at chain time). */
  states?: Array<PaymentState> | null | undefined;
  /** Paid before. */
  to?: string | null | undefined;
  /** In this token (its address). */
  token?: string | null | undefined;
  /** Carried by this transaction. */
  txHash?: string | null | undefined;
};

/** An ordering of payments. */
export type PaymentOrder = {
  /** Ascending or descending. */
  direction: OrderDirection;
  /** The value to order by. */
  field: PaymentOrderField;
};

/** What payments are ordered by (then by id). */
export type PaymentOrderField =
  /** The amount transferred; payments whose Transfer is not indexed sort lowest. */
  | 'AMOUNT'
  /** The block time of the payment. */
  | 'PAID_AT';

/** How an x402 payment moved its tokens. */
export type PaymentScheme =
  /** x402 exact over the token's own EIP-3009 transferWithAuthorization (USDC): the authorized amount moves whole. */
  | 'eip3009'
  /** x402 exact over Permit2, through x402's exact proxy (any ERC-20, e.g. OPG): the permitted amount moves whole. */
  | 'permit2_exact'
  /** x402 upto over Permit2, through x402's upto proxy: up to the permitted amount moves, settled once for a session. */
  | 'permit2_upto';

/**
 * A payment's state at chain time, links of every kind counted: proven once a verified receipt cites it or a proven
 * inference is linked to it by session; otherwise awaiting_proof, and overdue once the settlement window (15 minutes
 * of chain time) has passed. A `private` settlement posts nothing, so it stays awaiting_proof or overdue on chain:
 * that is not a fault.
 */
export type PaymentState =
  /** Within the settlement window, and no proven inference is linked to it yet. */
  | 'awaiting_proof'
  /** Past the settlement window, and no proven inference is linked to it (a private settlement looks like this too). */
  | 'overdue'
  /** A verified receipt cites it, or a proven inference is linked to it by session. */
  | 'proven';

/** What happened to a receipt. */
export type ReceiptEventKind =
  /** A receipt's state or payment changed (its payment arrived, another claim on it, a repeat settlement, a reorg). */
  | 'CHANGED'
  /** A receipt appeared: a settlement cited it. */
  | 'CREATED'
  /** A reorg took the settlement citing the receipt off its chain: it is no longer indexed (it may come back). */
  | 'REMOVED';

/** Which receipts to list; every condition given must hold. */
export type ReceiptFilter = {
  /** Whose payment this address submitted (tx.from on the payment chain). */
  facilitator?: string | null | undefined;
  /** Settled at or after. */
  from?: string | null | undefined;
  /** At most this amount (base units). */
  maxAmount?: string | null | undefined;
  /** At least this amount (base units). */
  minAmount?: string | null | undefined;
  /** Paid at or after. */
  paidFrom?: string | null | undefined;
  /** Paid before. */
  paidTo?: string | null | undefined;
  /** Paid to this address. */
  payee?: string | null | undefined;
  /** Paid by this address. */
  payer?: string | null | undefined;
  /** Citing this payment. */
  paymentId?: string | null | undefined;
  /** Any of these states. */
  states?: Array<ReceiptState> | null | undefined;
  /** Signed by this enclave. */
  teeId?: string | null | undefined;
  /** Settled before. */
  to?: string | null | undefined;
};

/** Receipts are ordered by this field, then by id; receipts without the field (unpaid) sort lowest. */
export type ReceiptOrder = {
  /** Ascending or descending. */
  direction: OrderDirection;
  /** The value to order by. */
  field: ReceiptOrderField;
};

/** What receipts are ordered by (then by id). */
export type ReceiptOrderField =
  /** The amount its leaf claims. */
  | 'AMOUNT'
  /** Seconds from payment to settlement. */
  | 'LATENCY'
  /** When its payment was made. */
  | 'PAID_AT'
  /** When the receipt was (first) settled. */
  | 'SETTLED_AT';

/**
 * A receipt's state: when several apply, the first of unofficial, invalid_proof, duplicate, unpaid, underpaid wins;
 * verified when none does.
 */
export type ReceiptState =
  /** An earlier official settlement already settled the same receipt. */
  | 'duplicate'
  /** The leaf is not in its settlement, or its enclave or signature does not check out. */
  | 'invalid_proof'
  /** The receipts citing the payment claim more than it paid. */
  | 'underpaid'
  /** Posted by no known facilitator signer: judged, never counted. */
  | 'unofficial'
  /** No payment with the leaf's paymentId is indexed on the payment chain. */
  | 'unpaid'
  /** Every check passed: the payment paid for the leaf, which is included, attested, official and first. */
  | 'verified';

/** The event set a settlement relay speaks. */
export type RelayAbi =
  /** Legacy relays (to February 2026): Settlement, BatchSettlement without a blob id, SettlementWithMetadata. */
  | 'v1'
  /** Relays whose events carry the Walrus blob id, posted only by the relay's role holders. */
  | 'v2'
  /** Like v2, but anyone may post: only settlements from the facilitator's known signers are official. */
  | 'v3';

/** What a search query turned out to be. */
export type SearchHitKind =
  /** The Walrus blob id a settlement names. */
  | 'BLOB_ID'
  /** An address that submitted payments (tx.from on the payment chain) or posted settlements (their signer). */
  | 'FACILITATOR'
  /**
   * An inference, found by its inferenceId or by a response body of OpenGradient's TEE gateway (JSON, or the SSE
   * stream) that carries its proof fields.
   */
  | 'INFERENCE'
  /** An inferenceId cited by exact-link receipts: every receipt settling that inference (more than one means duplicates). */
  | 'INFERENCE_ID'
  /** The inputHash of settled leaves: how legacy E1 and E2 leaves, which have no inferenceId, are found. */
  | 'INPUT_HASH'
  /** The Merkle root a batch settlement posted. */
  | 'MERKLE_ROOT'
  /** The outputHash of settled leaves: how legacy E1 and E2 leaves, which have no inferenceId, are found. */
  | 'OUTPUT_HASH'
  /** An address that was paid: how many payments. */
  | 'PAYEE'
  /** An address that paid: how many payments. */
  | 'PAYER'
  /** A paymentId: the payment (if on the payment chain) and the receipts citing it. */
  | 'PAYMENT_ID'
  /** The hash of a transaction on the payment chain that carried a payment. */
  | 'PAYMENT_TX'
  /** A receiptId: the receipt. */
  | 'RECEIPT_ID'
  /** A settlement relay contract on the verification chain. */
  | 'RELAY'
  /** The hash of a transaction on the verification chain that carried a settlement. */
  | 'SETTLEMENT_TX'
  /** A TEE id: the enclave as registered. */
  | 'TEE_ID';

/** The state of one inference in one settlement (a settled leaf). */
export type SettledLeafState =
  /** Official and valid, but an earlier official settlement already proved the inference. */
  | 'duplicate'
  /** Official, but inclusion or attestation failed. */
  | 'invalid_proof'
  /**
   * A leaf of a legacy era (E1 or E2 leaves, v1 relay events): it names no enclave or signature, so no inference and
   * nothing to attest; listed under its settlement and found by its input or output hash.
   */
  | 'legacy'
  /** Official, included, attested, and the first official settlement to prove the inference. */
  | 'proven'
  /** Posted by no known facilitator signer: judged, never counted. */
  | 'unofficial';

/** How a settlement carries its inferences. */
export type SettlementKind =
  /** Many inferences per event (BatchSettlement): a Merkle root on chain, the leaves in a Walrus blob. */
  | 'batch'
  /** One inference per event (IndividualSettlement, or a legacy v1 Settlement): the event's fields are the leaf. */
  | 'individual';

/** What happened to an enclave's registration. */
export type TeeStatusKind =
  /** Disabled by the registry (TEEDisabled). */
  | 'disabled'
  /** Enabled again by the registry (TEEEnabled). */
  | 'enabled'
  /** Its PCR hash was revoked (PCRRevoked): that disables every enclave registered with it, with no per-enclave event. */
  | 'pcr_revoked'
  /** Registered (registerTEEWithAttestation): enabled from then on. */
  | 'registered';

export type AddressQueryVariables = Exact<{
  address: string;
  first: number;
}>;


export type AddressQuery = { facilitator: { address: string, payments: number, provenPayments: number, overduePayments: number, awaitingProofPayments: number, settlements: number, batchSettlements: number, receipts: number, verifiedReceipts: number, verifiedVolume: string, firstSeenAt: string | null, lastSeenAt: string | null, paymentVolumes: Array<{ volume: string, asset: { symbol: string | null, decimals: number | null } }> } | null, asPayer: { totalCount: number, nodes: Array<{ id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, txHash: string, paidAt: string, receiptCount: number }> }, asPayee: { totalCount: number, nodes: Array<{ id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, txHash: string, paidAt: string, receiptCount: number }> }, asFacilitator: { totalCount: number, nodes: Array<{ id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, txHash: string, paidAt: string, receiptCount: number }> }, settlements: { totalCount: number, nodes: Array<{ id: string, kind: SettlementKind, txHash: string, merkleRoot: string | null, timestamp: string, leafCount: number, official: boolean, blobStatus: BlobStatus | null }> } };

export type PaymentRowFragment = { id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, txHash: string, paidAt: string, receiptCount: number };

export type HistoryQueryVariables = Exact<{
  where?: ReceiptFilter | null | undefined;
  orderBy?: ReceiptOrder | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type HistoryQuery = { receipts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, state: ReceiptState, amount: string, payer: string | null, payee: string | null, facilitator: string | null, teeId: string, paidAt: string | null, settledAt: string, latencySeconds: number | null, settlement: { kind: SettlementKind } } }> } };

export type InferenceSettlementFieldsFragment = { state: SettledLeafState, kind: SettlementKind, chainId: number, txHash: string, blockNumber: number, logIndex: number, timestamp: string, relay: string, abi: RelayAbi, signer: string, official: boolean, merkleRoot: string | null, blobId: string | null, blobStatus: BlobStatus | null, leafIndex: number, proof: Array<string>, encoding: LeafEncoding, leafEncoding: Array<string>, leafHash: string | null, reasons: Array<{ check: string, reason: string }>, leaf: { encoding: LeafEncoding, teeId: string | null, inputHash: string, outputHash: string, signature: string | null, timestamp: string | null, paymentId: string | null, amount: string | null }, settlement: { id: string, batchSize: number, leafCount: number, blobReason: string | null } };

export type InferenceTrailQueryVariables = Exact<{
  id: string | number;
}>;


export type InferenceTrailQuery = { inference: { id: string, state: InferenceState, teeId: string, inputHash: string, outputHash: string, timestamp: string, settledAt: string, settlementCount: number, checks: { inclusion: boolean, attestation: boolean, provenance: boolean, uniqueness: boolean }, reasons: Array<{ check: string, reason: string }>, settlement: { state: SettledLeafState, kind: SettlementKind, chainId: number, txHash: string, blockNumber: number, logIndex: number, timestamp: string, relay: string, abi: RelayAbi, signer: string, official: boolean, merkleRoot: string | null, blobId: string | null, blobStatus: BlobStatus | null, leafIndex: number, proof: Array<string>, encoding: LeafEncoding, leafEncoding: Array<string>, leafHash: string | null, reasons: Array<{ check: string, reason: string }>, leaf: { encoding: LeafEncoding, teeId: string | null, inputHash: string, outputHash: string, signature: string | null, timestamp: string | null, paymentId: string | null, amount: string | null }, settlement: { id: string, batchSize: number, leafCount: number, blobReason: string | null } }, settlements: Array<{ state: SettledLeafState, kind: SettlementKind, chainId: number, txHash: string, blockNumber: number, logIndex: number, timestamp: string, relay: string, abi: RelayAbi, signer: string, official: boolean, merkleRoot: string | null, blobId: string | null, blobStatus: BlobStatus | null, leafIndex: number, proof: Array<string>, encoding: LeafEncoding, leafEncoding: Array<string>, leafHash: string | null, reasons: Array<{ check: string, reason: string }>, leaf: { encoding: LeafEncoding, teeId: string | null, inputHash: string, outputHash: string, signature: string | null, timestamp: string | null, paymentId: string | null, amount: string | null }, settlement: { id: string, batchSize: number, leafCount: number, blobReason: string | null } }>, link: { kind: LinkKind, payer: string | null, payee: string | null, windowEnd: string | null, receiptId: string | null, receipt: { id: string, state: ReceiptState } | null, payment: { id: string, state: PaymentState, txHash: string, payer: string, payee: string | null, amount: string | null, token: string, paidAt: string } | null }, tee: { id: string, publicKey: string, keyMatchesId: boolean, pcrHash: string, paymentAddress: string, endpoint: string, enabled: boolean, registeredAt: string, pcr: { approved: boolean, version: string } | null } | null } | null };

export type SessionCandidatesQueryVariables = Exact<{
  id: string | number;
  payer: string;
}>;


export type SessionCandidatesQuery = { inference: { id: string, sessionCandidates: Array<{ id: string, txHash: string, scheme: PaymentScheme, amount: string | null, token: string, maxAmount: string | null, paidAt: string, state: PaymentState, asset: { symbol: string | null, decimals: number | null } }> } | null };

export type InferenceHistoryQueryVariables = Exact<{
  where?: InferenceFilter | null | undefined;
  direction?: OrderDirection | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type InferenceHistoryQuery = { inferences: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, state: InferenceState, teeId: string, settledAt: string, settlementCount: number, link: { kind: LinkKind }, settlement: { kind: SettlementKind, signer: string, official: boolean } } }> } };

export type LatestInferencesQueryVariables = Exact<{
  first: number;
}>;


export type LatestInferencesQuery = { inferences: { nodes: Array<{ id: string, state: InferenceState, teeId: string, settledAt: string, settlementCount: number, link: { kind: LinkKind }, settlement: { kind: SettlementKind, signer: string, official: boolean } }> } };

export type InferenceRowFragment = { id: string, state: InferenceState, teeId: string, settledAt: string, settlementCount: number, link: { kind: LinkKind }, settlement: { kind: SettlementKind, signer: string, official: boolean } };

export type PaymentQueryVariables = Exact<{
  id: string | number;
}>;


export type PaymentQuery = { payment: { id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, scheme: PaymentScheme, maxAmount: string | null, nonce: string, chainId: number, txHash: string, blockNumber: number, paidAt: string, dueAt: string, provenAt: string | null, receiptCount: number, verifiedReceiptCount: number, sessionInferenceCount: number, provenSessionInferenceCount: number, asset: { address: string, symbol: string | null, decimals: number | null }, receipts: Array<{ id: string, state: ReceiptState, amount: string, teeId: string, settledAt: string, latencySeconds: number | null }>, inferences: Array<{ kind: LinkKind, cursor: string, inference: { id: string, state: InferenceState, teeId: string, settledAt: string } }> } | null };

export type TransactionQueryVariables = Exact<{
  hash: string;
}>;


export type TransactionQuery = { payment: { id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, scheme: PaymentScheme, maxAmount: string | null, nonce: string, chainId: number, txHash: string, blockNumber: number, paidAt: string, dueAt: string, provenAt: string | null, receiptCount: number, verifiedReceiptCount: number, sessionInferenceCount: number, provenSessionInferenceCount: number, asset: { address: string, symbol: string | null, decimals: number | null }, receipts: Array<{ id: string, state: ReceiptState, amount: string, teeId: string, settledAt: string, latencySeconds: number | null }>, inferences: Array<{ kind: LinkKind, cursor: string, inference: { id: string, state: InferenceState, teeId: string, settledAt: string } }> } | null, settlement: { id: string, kind: SettlementKind, chainId: number, txHash: string, blockNumber: number, logIndex: number, timestamp: string, relay: string, abi: RelayAbi, signer: string, official: boolean, merkleRoot: string | null, batchSize: number, blobId: string | null, blobStatus: BlobStatus | null, blobReason: string | null, encoding: LeafEncoding | null, leafEncoding: Array<string> | null, ethAddress: string | null, leafCount: number, leaves: Array<{ id: string, index: number, encoding: LeafEncoding, inferenceId: string | null, receiptId: string | null, amount: string | null, teeId: string | null, inputHash: string, outputHash: string, hash: string | null, state: SettledLeafState, inclusion: boolean, inclusionReason: string | null, attestation: boolean, attestationReason: string | null, provenance: boolean, uniqueness: boolean, reasons: Array<{ check: string, reason: string }>, receipt: { id: string, state: ReceiptState } | null }> } | null };

export type PaymentDetailFragment = { id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, scheme: PaymentScheme, maxAmount: string | null, nonce: string, chainId: number, txHash: string, blockNumber: number, paidAt: string, dueAt: string, provenAt: string | null, receiptCount: number, verifiedReceiptCount: number, sessionInferenceCount: number, provenSessionInferenceCount: number, asset: { address: string, symbol: string | null, decimals: number | null }, receipts: Array<{ id: string, state: ReceiptState, amount: string, teeId: string, settledAt: string, latencySeconds: number | null }>, inferences: Array<{ kind: LinkKind, cursor: string, inference: { id: string, state: InferenceState, teeId: string, settledAt: string } }> };

export type PaymentHistoryQueryVariables = Exact<{
  where?: PaymentFilter | null | undefined;
  orderBy?: PaymentOrder | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type PaymentHistoryQuery = { payments: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, state: PaymentState, scheme: PaymentScheme, amount: string | null, maxAmount: string | null, token: string, payer: string, payee: string | null, facilitator: string, facilitatorName: string | null, paidAt: string, receiptCount: number, sessionInferenceCount: number, asset: { symbol: string | null, decimals: number | null } } }> } };

export type ReceiptTrailQueryVariables = Exact<{
  id: string | number;
}>;


export type ReceiptTrailQuery = { receipt: { id: string, state: ReceiptState, paymentId: string, inferenceId: string, amount: string, paidAmount: string | null, payer: string | null, payee: string | null, facilitator: string | null, teeId: string, paidAt: string | null, settledAt: string, latencySeconds: number | null, settlementCount: number, payment: { id: string, state: PaymentState, txHash: string, blockNumber: number, chainId: number, token: string, amount: string | null, payer: string, payee: string | null, facilitator: string, paidAt: string } | null, settlement: { kind: SettlementKind, txHash: string, blockNumber: number, logIndex: number, chainId: number, timestamp: string, relay: string, abi: RelayAbi, signer: string, official: boolean, merkleRoot: string | null, blobId: string, blobStatus: BlobStatus | null, leafIndex: number, proof: Array<string>, leafEncoding: Array<string>, leaf: { encoding: LeafEncoding, paymentId: string | null, amount: string | null, teeId: string | null, inputHash: string, outputHash: string, signature: string | null, timestamp: string | null, hash: string | null }, settlement: { id: string, leafCount: number, batchSize: number, blobReason: string | null } }, inference: { id: string, state: InferenceState } | null, tee: { id: string, publicKey: string, enabled: boolean, pcrHash: string } | null, checks: { payment: boolean, inclusion: boolean, attestation: boolean, provenance: boolean, uniqueness: boolean }, reasons: Array<{ check: string, reason: string }> } | null };

export type LatestReceiptsQueryVariables = Exact<{
  first: number;
}>;


export type LatestReceiptsQuery = { receipts: { nodes: Array<{ id: string, state: ReceiptState, amount: string, payer: string | null, settledAt: string, latencySeconds: number | null }> } };

export type LatestReceiptEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type LatestReceiptEventsSubscription = { receiptEvents: { kind: ReceiptEventKind, receiptId: string, receipt: { id: string, state: ReceiptState, amount: string, payer: string | null, settledAt: string, latencySeconds: number | null } | null } };

export type SearchQueryVariables = Exact<{
  query: string;
}>;


export type SearchQuery = { search: Array<{ kind: SearchHitKind, key: string, label: string, count: number | null, settlement: { txHash: string } | null, leaves: Array<{ id: string, encoding: LeafEncoding, inferenceId: string | null, state: SettledLeafState, settlement: { txHash: string } }>, receipts: Array<{ id: string, state: ReceiptState, amount: string, settledAt: string }> }> };

export type SettlementDetailFragment = { id: string, kind: SettlementKind, chainId: number, txHash: string, blockNumber: number, logIndex: number, timestamp: string, relay: string, abi: RelayAbi, signer: string, official: boolean, merkleRoot: string | null, batchSize: number, blobId: string | null, blobStatus: BlobStatus | null, blobReason: string | null, encoding: LeafEncoding | null, leafEncoding: Array<string> | null, ethAddress: string | null, leafCount: number, leaves: Array<{ id: string, index: number, encoding: LeafEncoding, inferenceId: string | null, receiptId: string | null, amount: string | null, teeId: string | null, inputHash: string, outputHash: string, hash: string | null, state: SettledLeafState, inclusion: boolean, inclusionReason: string | null, attestation: boolean, attestationReason: string | null, provenance: boolean, uniqueness: boolean, reasons: Array<{ check: string, reason: string }>, receipt: { id: string, state: ReceiptState } | null }> };

export type BatchQueryVariables = Exact<{
  root: string;
}>;


export type BatchQuery = { settlement: { id: string, kind: SettlementKind, chainId: number, txHash: string, blockNumber: number, logIndex: number, timestamp: string, relay: string, abi: RelayAbi, signer: string, official: boolean, merkleRoot: string | null, batchSize: number, blobId: string | null, blobStatus: BlobStatus | null, blobReason: string | null, encoding: LeafEncoding | null, leafEncoding: Array<string> | null, ethAddress: string | null, leafCount: number, leaves: Array<{ id: string, index: number, encoding: LeafEncoding, inferenceId: string | null, receiptId: string | null, amount: string | null, teeId: string | null, inputHash: string, outputHash: string, hash: string | null, state: SettledLeafState, inclusion: boolean, inclusionReason: string | null, attestation: boolean, attestationReason: string | null, provenance: boolean, uniqueness: boolean, reasons: Array<{ check: string, reason: string }>, receipt: { id: string, state: ReceiptState } | null }> } | null };

export type HeadlineQueryVariables = Exact<{ [key: string]: never; }>;


export type HeadlineQuery = { inferences: { totalCount: number }, provenInferences: { totalCount: number }, all: { totalCount: number }, verified: { totalCount: number }, failed: { totalCount: number }, awaiting: { totalCount: number }, overdue: { totalCount: number }, _meta: { now: string | null, settlementWindowSeconds: number, chains: Array<{ chainId: number, name: string, blockNumber: number, lagSeconds: number }> } };

export type MetaQueryVariables = Exact<{ [key: string]: never; }>;


export type MetaQuery = { _meta: { now: string | null, settlementWindowSeconds: number, chains: Array<{ chainId: number, name: string, blockNumber: number, timestamp: string, lagSeconds: number }> } };

export type StatsQueryVariables = Exact<{
  from: string;
  to: string;
  interval: Interval;
}>;


export type StatsQuery = { stats: Array<{ start: string, end: string, receipts: number, volume: string, verifiedVolume: string, latencyP50: number | null, latencyP95: number | null, overdueBacklog: number | null, byState: { verified: number, unpaid: number, underpaid: number, invalidProof: number, duplicate: number, unofficial: number } }> };

export type TopPayeesQueryVariables = Exact<{
  from: string;
  to: string;
  interval: Interval;
}>;


export type TopPayeesQuery = { stats: Array<{ group: string | null, receipts: number, volume: string }> };

export type FacilitatorsQueryVariables = Exact<{ [key: string]: never; }>;


export type FacilitatorsQuery = { facilitators: Array<{ address: string, payments: number, receipts: number, verifiedReceipts: number, verifiedVolume: string, overduePayments: number, paymentVolumes: Array<{ volume: string, asset: { symbol: string | null } }> }> };

export type ProtocolHealthQueryVariables = Exact<{ [key: string]: never; }>;


export type ProtocolHealthQuery = { proven: { totalCount: number }, invalidProof: { totalCount: number }, unofficial: { totalCount: number }, pendingBlobs: { totalCount: number }, mismatchedBlobs: { totalCount: number }, expiredBlobs: { totalCount: number }, unofficialPosts: { totalCount: number }, _meta: { relays: Array<{ address: string, abi: RelayAbi, settlements: number, unofficialSettlements: number, pendingBlobs: number }> } };

export type InferenceStatsQueryVariables = Exact<{
  from: string;
  to: string;
  interval: Interval;
}>;


export type InferenceStatsQuery = { inferenceStats: Array<{ start: string, end: string, inferences: number, settlements: number, unofficialSettlements: number, byState: { proven: number, invalidProof: number, unofficial: number }, byLinkKind: { exact: number, session: number, none: number }, blobs: { available: number, pending: number, mismatched: number, expired: number, unavailable: number } }> };

export type PaymentStatsQueryVariables = Exact<{
  from: string;
  to: string;
  interval: Interval;
}>;


export type PaymentStatsQuery = { paymentStats: Array<{ start: string, end: string, rows: Array<{ token: string, scheme: PaymentScheme, payments: number, volume: string, asset: { symbol: string | null, decimals: number | null }, byState: { awaitingProof: number, overdue: number, proven: number } }> }> };

export type TeesQueryVariables = Exact<{ [key: string]: never; }>;


export type TeesQuery = { tees: Array<{ id: string, registry: string, owner: string, teeType: number, publicKey: string, keyMatchesId: boolean, pcrHash: string, paymentAddress: string, endpoint: string, enabled: boolean, lastHeartbeatAt: string | null, registeredAt: string, registeredAtBlock: number, registeredTx: string, pcr: { approved: boolean, version: string } | null, enclaveAttestation: { result: EnclaveAttestationResult, reasons: Array<string> }, history: Array<{ kind: TeeStatusKind, blockNumber: number, txHash: string }>, totals: { inferences: number, provenInferences: number, invalidProofInferences: number, unofficialInferences: number, receipts: number, verifiedReceipts: number, volume: string, lastSettledAt: string | null } }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PaymentRowFragmentDoc = new TypedDocumentString(`
    fragment PaymentRow on Payment {
  id
  state
  payer
  payee
  facilitator
  amount
  token
  txHash
  paidAt
  receiptCount
}
    `, {"fragmentName":"PaymentRow"}) as unknown as TypedDocumentString<PaymentRowFragment, unknown>;
export const InferenceSettlementFieldsFragmentDoc = new TypedDocumentString(`
    fragment InferenceSettlementFields on InferenceSettlement {
  state
  kind
  chainId
  txHash
  blockNumber
  logIndex
  timestamp
  relay
  abi
  signer
  official
  merkleRoot
  blobId
  blobStatus
  leafIndex
  proof
  encoding
  leafEncoding
  leafHash
  reasons {
    check
    reason
  }
  leaf {
    encoding
    teeId
    inputHash
    outputHash
    signature
    timestamp
    paymentId
    amount
  }
  settlement {
    id
    batchSize
    leafCount
    blobReason
  }
}
    `, {"fragmentName":"InferenceSettlementFields"}) as unknown as TypedDocumentString<InferenceSettlementFieldsFragment, unknown>;
export const InferenceRowFragmentDoc = new TypedDocumentString(`
    fragment InferenceRow on Inference {
  id
  state
  teeId
  settledAt
  settlementCount
  link {
    kind
  }
  settlement {
    kind
    signer
    official
  }
}
    `, {"fragmentName":"InferenceRow"}) as unknown as TypedDocumentString<InferenceRowFragment, unknown>;
export const PaymentDetailFragmentDoc = new TypedDocumentString(`
    fragment PaymentDetail on Payment {
  id
  state
  payer
  payee
  facilitator
  amount
  token
  asset {
    address
    symbol
    decimals
  }
  scheme
  maxAmount
  nonce
  chainId
  txHash
  blockNumber
  paidAt
  dueAt
  provenAt
  receiptCount
  verifiedReceiptCount
  sessionInferenceCount
  provenSessionInferenceCount
  receipts {
    id
    state
    amount
    teeId
    settledAt
    latencySeconds
  }
  inferences {
    kind
    cursor
    inference {
      id
      state
      teeId
      settledAt
    }
  }
}
    `, {"fragmentName":"PaymentDetail"}) as unknown as TypedDocumentString<PaymentDetailFragment, unknown>;
export const SettlementDetailFragmentDoc = new TypedDocumentString(`
    fragment SettlementDetail on Settlement {
  id
  kind
  chainId
  txHash
  blockNumber
  logIndex
  timestamp
  relay
  abi
  signer
  official
  merkleRoot
  batchSize
  blobId
  blobStatus
  blobReason
  encoding
  leafEncoding
  ethAddress
  leafCount
  leaves {
    id
    index
    encoding
    inferenceId
    receiptId
    amount
    teeId
    inputHash
    outputHash
    hash
    state
    inclusion
    inclusionReason
    attestation
    attestationReason
    provenance
    uniqueness
    reasons {
      check
      reason
    }
    receipt {
      id
      state
    }
  }
}
    `, {"fragmentName":"SettlementDetail"}) as unknown as TypedDocumentString<SettlementDetailFragment, unknown>;
export const AddressDocument = new TypedDocumentString(`
    query Address($address: String!, $first: Int!) {
  facilitator(address: $address) {
    address
    payments
    paymentVolumes {
      asset {
        symbol
        decimals
      }
      volume
    }
    provenPayments
    overduePayments
    awaitingProofPayments
    settlements
    batchSettlements
    receipts
    verifiedReceipts
    verifiedVolume
    firstSeenAt
    lastSeenAt
  }
  asPayer: payments(
    where: {payer: $address}
    first: $first
    orderBy: {field: PAID_AT, direction: DESC}
  ) {
    totalCount
    nodes {
      ...PaymentRow
    }
  }
  asPayee: payments(
    where: {payee: $address}
    first: $first
    orderBy: {field: PAID_AT, direction: DESC}
  ) {
    totalCount
    nodes {
      ...PaymentRow
    }
  }
  asFacilitator: payments(
    where: {facilitator: $address}
    first: $first
    orderBy: {field: PAID_AT, direction: DESC}
  ) {
    totalCount
    nodes {
      ...PaymentRow
    }
  }
  settlements(where: {signer: $address}, first: $first) {
    totalCount
    nodes {
      id
      kind
      txHash
      merkleRoot
      timestamp
      leafCount
      official
      blobStatus
    }
  }
}
    fragment PaymentRow on Payment {
  id
  state
  payer
  payee
  facilitator
  amount
  token
  txHash
  paidAt
  receiptCount
}`) as unknown as TypedDocumentString<AddressQuery, AddressQueryVariables>;
export const HistoryDocument = new TypedDocumentString(`
    query History($where: ReceiptFilter, $orderBy: ReceiptOrder, $first: Int!, $after: String) {
  receipts(where: $where, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        state
        amount
        payer
        payee
        facilitator
        teeId
        paidAt
        settledAt
        latencySeconds
        settlement {
          kind
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<HistoryQuery, HistoryQueryVariables>;
export const InferenceTrailDocument = new TypedDocumentString(`
    query InferenceTrail($id: ID!) {
  inference(id: $id) {
    id
    state
    teeId
    inputHash
    outputHash
    timestamp
    settledAt
    settlementCount
    checks {
      inclusion
      attestation
      provenance
      uniqueness
    }
    reasons {
      check
      reason
    }
    settlement {
      ...InferenceSettlementFields
    }
    settlements {
      ...InferenceSettlementFields
    }
    link {
      kind
      payer
      payee
      windowEnd
      receiptId
      receipt {
        id
        state
      }
      payment {
        id
        state
        txHash
        payer
        payee
        amount
        token
        paidAt
      }
    }
    tee {
      id
      publicKey
      keyMatchesId
      pcrHash
      paymentAddress
      endpoint
      enabled
      registeredAt
      pcr {
        approved
        version
      }
    }
  }
}
    fragment InferenceSettlementFields on InferenceSettlement {
  state
  kind
  chainId
  txHash
  blockNumber
  logIndex
  timestamp
  relay
  abi
  signer
  official
  merkleRoot
  blobId
  blobStatus
  leafIndex
  proof
  encoding
  leafEncoding
  leafHash
  reasons {
    check
    reason
  }
  leaf {
    encoding
    teeId
    inputHash
    outputHash
    signature
    timestamp
    paymentId
    amount
  }
  settlement {
    id
    batchSize
    leafCount
    blobReason
  }
}`) as unknown as TypedDocumentString<InferenceTrailQuery, InferenceTrailQueryVariables>;
export const SessionCandidatesDocument = new TypedDocumentString(`
    query SessionCandidates($id: ID!, $payer: String!) {
  inference(id: $id) {
    id
    sessionCandidates(payer: $payer) {
      id
      txHash
      scheme
      amount
      token
      asset {
        symbol
        decimals
      }
      maxAmount
      paidAt
      state
    }
  }
}
    `) as unknown as TypedDocumentString<SessionCandidatesQuery, SessionCandidatesQueryVariables>;
export const InferenceHistoryDocument = new TypedDocumentString(`
    query InferenceHistory($where: InferenceFilter, $direction: OrderDirection, $first: Int!, $after: String) {
  inferences(where: $where, direction: $direction, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...InferenceRow
      }
    }
  }
}
    fragment InferenceRow on Inference {
  id
  state
  teeId
  settledAt
  settlementCount
  link {
    kind
  }
  settlement {
    kind
    signer
    official
  }
}`) as unknown as TypedDocumentString<InferenceHistoryQuery, InferenceHistoryQueryVariables>;
export const LatestInferencesDocument = new TypedDocumentString(`
    query LatestInferences($first: Int!) {
  inferences(first: $first) {
    nodes {
      ...InferenceRow
    }
  }
}
    fragment InferenceRow on Inference {
  id
  state
  teeId
  settledAt
  settlementCount
  link {
    kind
  }
  settlement {
    kind
    signer
    official
  }
}`) as unknown as TypedDocumentString<LatestInferencesQuery, LatestInferencesQueryVariables>;
export const PaymentDocument = new TypedDocumentString(`
    query Payment($id: ID!) {
  payment(id: $id) {
    ...PaymentDetail
  }
}
    fragment PaymentDetail on Payment {
  id
  state
  payer
  payee
  facilitator
  amount
  token
  asset {
    address
    symbol
    decimals
  }
  scheme
  maxAmount
  nonce
  chainId
  txHash
  blockNumber
  paidAt
  dueAt
  provenAt
  receiptCount
  verifiedReceiptCount
  sessionInferenceCount
  provenSessionInferenceCount
  receipts {
    id
    state
    amount
    teeId
    settledAt
    latencySeconds
  }
  inferences {
    kind
    cursor
    inference {
      id
      state
      teeId
      settledAt
    }
  }
}`) as unknown as TypedDocumentString<PaymentQuery, PaymentQueryVariables>;
export const TransactionDocument = new TypedDocumentString(`
    query Transaction($hash: String!) {
  payment(txHash: $hash) {
    ...PaymentDetail
  }
  settlement(txHash: $hash) {
    ...SettlementDetail
  }
}
    fragment PaymentDetail on Payment {
  id
  state
  payer
  payee
  facilitator
  amount
  token
  asset {
    address
    symbol
    decimals
  }
  scheme
  maxAmount
  nonce
  chainId
  txHash
  blockNumber
  paidAt
  dueAt
  provenAt
  receiptCount
  verifiedReceiptCount
  sessionInferenceCount
  provenSessionInferenceCount
  receipts {
    id
    state
    amount
    teeId
    settledAt
    latencySeconds
  }
  inferences {
    kind
    cursor
    inference {
      id
      state
      teeId
      settledAt
    }
  }
}
fragment SettlementDetail on Settlement {
  id
  kind
  chainId
  txHash
  blockNumber
  logIndex
  timestamp
  relay
  abi
  signer
  official
  merkleRoot
  batchSize
  blobId
  blobStatus
  blobReason
  encoding
  leafEncoding
  ethAddress
  leafCount
  leaves {
    id
    index
    encoding
    inferenceId
    receiptId
    amount
    teeId
    inputHash
    outputHash
    hash
    state
    inclusion
    inclusionReason
    attestation
    attestationReason
    provenance
    uniqueness
    reasons {
      check
      reason
    }
    receipt {
      id
      state
    }
  }
}`) as unknown as TypedDocumentString<TransactionQuery, TransactionQueryVariables>;
export const PaymentHistoryDocument = new TypedDocumentString(`
    query PaymentHistory($where: PaymentFilter, $orderBy: PaymentOrder, $first: Int!, $after: String) {
  payments(where: $where, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        state
        scheme
        amount
        maxAmount
        token
        asset {
          symbol
          decimals
        }
        payer
        payee
        facilitator
        facilitatorName
        paidAt
        receiptCount
        sessionInferenceCount
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PaymentHistoryQuery, PaymentHistoryQueryVariables>;
export const ReceiptTrailDocument = new TypedDocumentString(`
    query ReceiptTrail($id: ID!) {
  receipt(id: $id) {
    id
    state
    paymentId
    inferenceId
    amount
    paidAmount
    payer
    payee
    facilitator
    teeId
    paidAt
    settledAt
    latencySeconds
    settlementCount
    payment {
      id
      state
      txHash
      blockNumber
      chainId
      token
      amount
      payer
      payee
      facilitator
      paidAt
    }
    settlement {
      kind
      txHash
      blockNumber
      logIndex
      chainId
      timestamp
      relay
      abi
      signer
      official
      merkleRoot
      blobId
      blobStatus
      leafIndex
      proof
      leafEncoding
      leaf {
        encoding
        paymentId
        amount
        teeId
        inputHash
        outputHash
        signature
        timestamp
        hash
      }
      settlement {
        id
        leafCount
        batchSize
        blobReason
      }
    }
    inference {
      id
      state
    }
    tee {
      id
      publicKey
      enabled
      pcrHash
    }
    checks {
      payment
      inclusion
      attestation
      provenance
      uniqueness
    }
    reasons {
      check
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<ReceiptTrailQuery, ReceiptTrailQueryVariables>;
export const LatestReceiptsDocument = new TypedDocumentString(`
    query LatestReceipts($first: Int!) {
  receipts(first: $first, orderBy: {field: SETTLED_AT, direction: DESC}) {
    nodes {
      id
      state
      amount
      payer
      settledAt
      latencySeconds
    }
  }
}
    `) as unknown as TypedDocumentString<LatestReceiptsQuery, LatestReceiptsQueryVariables>;
export const LatestReceiptEventsDocument = new TypedDocumentString(`
    subscription LatestReceiptEvents {
  receiptEvents {
    kind
    receiptId
    receipt {
      id
      state
      amount
      payer
      settledAt
      latencySeconds
    }
  }
}
    `) as unknown as TypedDocumentString<LatestReceiptEventsSubscription, LatestReceiptEventsSubscriptionVariables>;
export const SearchDocument = new TypedDocumentString(`
    query Search($query: String!) {
  search(query: $query) {
    kind
    key
    label
    count
    settlement {
      txHash
    }
    leaves {
      id
      encoding
      inferenceId
      state
      settlement {
        txHash
      }
    }
    receipts {
      id
      state
      amount
      settledAt
    }
  }
}
    `) as unknown as TypedDocumentString<SearchQuery, SearchQueryVariables>;
export const BatchDocument = new TypedDocumentString(`
    query Batch($root: String!) {
  settlement(merkleRoot: $root) {
    ...SettlementDetail
  }
}
    fragment SettlementDetail on Settlement {
  id
  kind
  chainId
  txHash
  blockNumber
  logIndex
  timestamp
  relay
  abi
  signer
  official
  merkleRoot
  batchSize
  blobId
  blobStatus
  blobReason
  encoding
  leafEncoding
  ethAddress
  leafCount
  leaves {
    id
    index
    encoding
    inferenceId
    receiptId
    amount
    teeId
    inputHash
    outputHash
    hash
    state
    inclusion
    inclusionReason
    attestation
    attestationReason
    provenance
    uniqueness
    reasons {
      check
      reason
    }
    receipt {
      id
      state
    }
  }
}`) as unknown as TypedDocumentString<BatchQuery, BatchQueryVariables>;
export const HeadlineDocument = new TypedDocumentString(`
    query Headline {
  inferences(first: 1) {
    totalCount
  }
  provenInferences: inferences(first: 1, where: {states: [proven]}) {
    totalCount
  }
  all: receipts(first: 1) {
    totalCount
  }
  verified: receipts(first: 1, where: {states: [verified]}) {
    totalCount
  }
  failed: receipts(
    first: 1
    where: {states: [unpaid, underpaid, invalid_proof, duplicate, unofficial]}
  ) {
    totalCount
  }
  awaiting: payments(first: 1, where: {states: [awaiting_proof]}) {
    totalCount
  }
  overdue: payments(first: 1, where: {states: [overdue]}) {
    totalCount
  }
  _meta {
    now
    settlementWindowSeconds
    chains {
      chainId
      name
      blockNumber
      lagSeconds
    }
  }
}
    `) as unknown as TypedDocumentString<HeadlineQuery, HeadlineQueryVariables>;
export const MetaDocument = new TypedDocumentString(`
    query Meta {
  _meta {
    now
    settlementWindowSeconds
    chains {
      chainId
      name
      blockNumber
      timestamp
      lagSeconds
    }
  }
}
    `) as unknown as TypedDocumentString<MetaQuery, MetaQueryVariables>;
export const StatsDocument = new TypedDocumentString(`
    query Stats($from: DateTime!, $to: DateTime!, $interval: Interval!) {
  stats(from: $from, to: $to, interval: $interval) {
    start
    end
    receipts
    volume
    verifiedVolume
    byState {
      verified
      unpaid
      underpaid
      invalidProof
      duplicate
      unofficial
    }
    latencyP50
    latencyP95
    overdueBacklog
  }
}
    `) as unknown as TypedDocumentString<StatsQuery, StatsQueryVariables>;
export const TopPayeesDocument = new TypedDocumentString(`
    query TopPayees($from: DateTime!, $to: DateTime!, $interval: Interval!) {
  stats(from: $from, to: $to, interval: $interval, groupBy: PAYEE) {
    group
    receipts
    volume
  }
}
    `) as unknown as TypedDocumentString<TopPayeesQuery, TopPayeesQueryVariables>;
export const FacilitatorsDocument = new TypedDocumentString(`
    query Facilitators {
  facilitators {
    address
    payments
    paymentVolumes {
      asset {
        symbol
      }
      volume
    }
    receipts
    verifiedReceipts
    verifiedVolume
    overduePayments
  }
}
    `) as unknown as TypedDocumentString<FacilitatorsQuery, FacilitatorsQueryVariables>;
export const ProtocolHealthDocument = new TypedDocumentString(`
    query ProtocolHealth {
  proven: inferences(first: 1, where: {states: [proven]}) {
    totalCount
  }
  invalidProof: inferences(first: 1, where: {states: [invalid_proof]}) {
    totalCount
  }
  unofficial: inferences(first: 1, where: {states: [unofficial]}) {
    totalCount
  }
  pendingBlobs: settlements(first: 1, where: {blobStatuses: [pending]}) {
    totalCount
  }
  mismatchedBlobs: settlements(first: 1, where: {blobStatuses: [mismatched]}) {
    totalCount
  }
  expiredBlobs: settlements(first: 1, where: {blobStatuses: [expired]}) {
    totalCount
  }
  unofficialPosts: settlements(first: 1, where: {official: false}) {
    totalCount
  }
  _meta {
    relays {
      address
      abi
      settlements
      unofficialSettlements
      pendingBlobs
    }
  }
}
    `) as unknown as TypedDocumentString<ProtocolHealthQuery, ProtocolHealthQueryVariables>;
export const InferenceStatsDocument = new TypedDocumentString(`
    query InferenceStats($from: DateTime!, $to: DateTime!, $interval: Interval!) {
  inferenceStats(from: $from, to: $to, interval: $interval) {
    start
    end
    inferences
    byState {
      proven
      invalidProof
      unofficial
    }
    byLinkKind {
      exact
      session
      none
    }
    settlements
    unofficialSettlements
    blobs {
      available
      pending
      mismatched
      expired
      unavailable
    }
  }
}
    `) as unknown as TypedDocumentString<InferenceStatsQuery, InferenceStatsQueryVariables>;
export const PaymentStatsDocument = new TypedDocumentString(`
    query PaymentStats($from: DateTime!, $to: DateTime!, $interval: Interval!) {
  paymentStats(from: $from, to: $to, interval: $interval) {
    start
    end
    rows {
      token
      asset {
        symbol
        decimals
      }
      scheme
      payments
      volume
      byState {
        awaitingProof
        overdue
        proven
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PaymentStatsQuery, PaymentStatsQueryVariables>;
export const TeesDocument = new TypedDocumentString(`
    query Tees {
  tees {
    id
    registry
    owner
    teeType
    publicKey
    keyMatchesId
    pcrHash
    pcr {
      approved
      version
    }
    paymentAddress
    endpoint
    enclaveAttestation {
      result
      reasons
    }
    enabled
    history {
      kind
      blockNumber
      txHash
    }
    lastHeartbeatAt
    registeredAt
    registeredAtBlock
    registeredTx
    totals {
      inferences
      provenInferences
      invalidProofInferences
      unofficialInferences
      receipts
      verifiedReceipts
      volume
      lastSettledAt
    }
  }
}
    `) as unknown as TypedDocumentString<TeesQuery, TeesQueryVariables>;