/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Bucket width. Buckets are aligned in UTC: hours and days to the Unix epoch, weeks to Mondays. */
export type Interval =
  /** One day (UTC). */
  | 'DAY'
  /** One hour. */
  | 'HOUR'
  /** One week, Monday to Monday (UTC). */
  | 'WEEK';

/** A sort direction. */
export type OrderDirection =
  /** Smallest (or oldest) first. */
  | 'ASC'
  /** Largest (or newest) first. */
  | 'DESC';

/**
 * A payment's state at chain time: proven once a verified receipt cites it; otherwise awaiting_proof, and overdue once
 * the settlement window (15 minutes of chain time) has passed. A `private` settlement posts nothing, so it stays
 * awaiting_proof or overdue on chain: that is not a fault.
 */
export type PaymentState =
  /** Within the settlement window, and no verified receipt cites it yet. */
  | 'awaiting_proof'
  /** Past the settlement window, and no verified receipt cites it (a private settlement looks like this too). */
  | 'overdue'
  /** A verified receipt cites it. */
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

/** How a settlement carries its inferences. */
export type SettlementKind =
  /** Many inferences per event (BatchSettlement): a Merkle root on chain, the leaves in a Walrus blob. */
  | 'batch'
  /** One inference per event (IndividualSettlement, or a legacy v1 Settlement): the event's fields are the leaf. */
  | 'individual';

export type AddressQueryVariables = Exact<{
  address: string;
  first: number;
}>;


export type AddressQuery = { facilitator: { address: string, payments: number, paymentVolume: string, provenPayments: number, overduePayments: number, awaitingProofPayments: number, settlements: number, batchSettlements: number, receipts: number, verifiedReceipts: number, verifiedVolume: string, firstSeenAt: string | null, lastSeenAt: string | null } | null, asPayer: { totalCount: number, nodes: Array<{ id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, txHash: string, paidAt: string, receiptCount: number }> }, asPayee: { totalCount: number, nodes: Array<{ id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, txHash: string, paidAt: string, receiptCount: number }> }, asFacilitator: { totalCount: number, nodes: Array<{ id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, txHash: string, paidAt: string, receiptCount: number }> }, settlements: { totalCount: number, nodes: Array<{ id: string, kind: SettlementKind, txHash: string, merkleRoot: string | null, timestamp: string, leafCount: number, rootMatches: boolean | null }> } };

export type PaymentRowFragment = { id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, txHash: string, paidAt: string, receiptCount: number };

export type HistoryQueryVariables = Exact<{
  where?: ReceiptFilter | null | undefined;
  orderBy?: ReceiptOrder | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type HistoryQuery = { receipts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, state: ReceiptState, amount: string, payer: string | null, payee: string | null, facilitator: string | null, teeId: string, paidAt: string | null, settledAt: string, latencySeconds: number | null, settlement: { kind: SettlementKind } } }> } };

export type PaymentQueryVariables = Exact<{
  id: string | number;
}>;


export type PaymentQuery = { payment: { id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, nonce: string, chainId: number, txHash: string, blockNumber: number, paidAt: string, dueAt: string, receiptCount: number, receipts: Array<{ id: string, state: ReceiptState, amount: string, teeId: string, settledAt: string, latencySeconds: number | null }> } | null };

export type TransactionQueryVariables = Exact<{
  hash: string;
}>;


export type TransactionQuery = { payment: { id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, nonce: string, chainId: number, txHash: string, blockNumber: number, paidAt: string, dueAt: string, receiptCount: number, receipts: Array<{ id: string, state: ReceiptState, amount: string, teeId: string, settledAt: string, latencySeconds: number | null }> } | null, settlement: { id: string, kind: SettlementKind, chainId: number, txHash: string, blockNumber: number, timestamp: string, facilitator: string, merkleRoot: string | null, computedRoot: string | null, rootMatches: boolean | null, blobId: string | null, leafCount: number, decodeError: string | null, leaves: Array<{ index: number, receiptId: string | null, paymentId: string | null, amount: string | null, teeId: string | null, inputHash: string, outputHash: string, signature: string | null, timestamp: string | null, hash: string | null, inclusion: boolean, inclusionReason: string | null, attestation: boolean, attestationReason: string | null, uniqueness: boolean, receipt: { id: string, state: ReceiptState } | null }> } | null };

export type PaymentDetailFragment = { id: string, state: PaymentState, payer: string, payee: string | null, facilitator: string, amount: string | null, token: string, nonce: string, chainId: number, txHash: string, blockNumber: number, paidAt: string, dueAt: string, receiptCount: number, receipts: Array<{ id: string, state: ReceiptState, amount: string, teeId: string, settledAt: string, latencySeconds: number | null }> };

export type ReceiptTrailQueryVariables = Exact<{
  id: string | number;
}>;


export type ReceiptTrailQuery = { receipt: { id: string, state: ReceiptState, paymentId: string, inferenceId: string, amount: string, paidAmount: string | null, payer: string | null, payee: string | null, facilitator: string | null, teeId: string, paidAt: string | null, settledAt: string, latencySeconds: number | null, settlementCount: number, payment: { id: string, state: PaymentState, txHash: string, blockNumber: number, chainId: number, token: string, amount: string | null, payer: string, payee: string | null, facilitator: string, paidAt: string } | null, settlement: { kind: SettlementKind, txHash: string, blockNumber: number, chainId: number, timestamp: string, facilitator: string, merkleRoot: string | null, blobId: string, leafIndex: number, proof: Array<string>, leaf: { paymentId: string | null, amount: string | null, teeId: string | null, inputHash: string, outputHash: string, signature: string | null, timestamp: string | null, hash: string | null }, settlement: { id: string, leafCount: number } }, tee: { id: string, publicKey: string, revoked: boolean, revokedAt: string | null } | null, checks: { payment: boolean, inclusion: boolean, attestation: boolean, uniqueness: boolean }, reasons: Array<{ check: string, reason: string }> } | null };

export type LatestReceiptsQueryVariables = Exact<{
  first: number;
}>;


export type LatestReceiptsQuery = { receipts: { nodes: Array<{ id: string, state: ReceiptState, amount: string, payer: string | null, settledAt: string, latencySeconds: number | null }> } };

export type LatestReceiptEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type LatestReceiptEventsSubscription = { receiptEvents: { kind: ReceiptEventKind, receiptId: string, receipt: { id: string, state: ReceiptState, amount: string, payer: string | null, settledAt: string, latencySeconds: number | null } | null } };

export type SearchQueryVariables = Exact<{
  query: string;
}>;


export type SearchQuery = { search: Array<{ kind: SearchHitKind, key: string, label: string, count: number | null, receipts: Array<{ id: string, state: ReceiptState, amount: string, settledAt: string }> }> };

export type SettlementDetailFragment = { id: string, kind: SettlementKind, chainId: number, txHash: string, blockNumber: number, timestamp: string, facilitator: string, merkleRoot: string | null, computedRoot: string | null, rootMatches: boolean | null, blobId: string | null, leafCount: number, decodeError: string | null, leaves: Array<{ index: number, receiptId: string | null, paymentId: string | null, amount: string | null, teeId: string | null, inputHash: string, outputHash: string, signature: string | null, timestamp: string | null, hash: string | null, inclusion: boolean, inclusionReason: string | null, attestation: boolean, attestationReason: string | null, uniqueness: boolean, receipt: { id: string, state: ReceiptState } | null }> };

export type BatchQueryVariables = Exact<{
  root: string;
}>;


export type BatchQuery = { settlement: { id: string, kind: SettlementKind, chainId: number, txHash: string, blockNumber: number, timestamp: string, facilitator: string, merkleRoot: string | null, computedRoot: string | null, rootMatches: boolean | null, blobId: string | null, leafCount: number, decodeError: string | null, leaves: Array<{ index: number, receiptId: string | null, paymentId: string | null, amount: string | null, teeId: string | null, inputHash: string, outputHash: string, signature: string | null, timestamp: string | null, hash: string | null, inclusion: boolean, inclusionReason: string | null, attestation: boolean, attestationReason: string | null, uniqueness: boolean, receipt: { id: string, state: ReceiptState } | null }> } | null };

export type HeadlineQueryVariables = Exact<{ [key: string]: never; }>;


export type HeadlineQuery = { all: { totalCount: number }, verified: { totalCount: number }, failed: { totalCount: number }, awaiting: { totalCount: number }, overdue: { totalCount: number }, _meta: { now: string | null, settlementWindowSeconds: number, chains: Array<{ chainId: number, name: string, blockNumber: number, lagSeconds: number }> } };

export type MetaQueryVariables = Exact<{ [key: string]: never; }>;


export type MetaQuery = { _meta: { now: string | null, settlementWindowSeconds: number, chains: Array<{ chainId: number, name: string, blockNumber: number, timestamp: string, lagSeconds: number }> } };

export type StatsQueryVariables = Exact<{
  from: string;
  to: string;
  interval: Interval;
}>;


export type StatsQuery = { stats: Array<{ start: string, end: string, receipts: number, volume: string, verifiedVolume: string, latencyP50: number | null, latencyP95: number | null, overdueBacklog: number | null, byState: { verified: number, unpaid: number, underpaid: number, invalidProof: number, duplicate: number } }> };

export type TopPayeesQueryVariables = Exact<{
  from: string;
  to: string;
  interval: Interval;
}>;


export type TopPayeesQuery = { stats: Array<{ group: string | null, receipts: number, volume: string }> };

export type FacilitatorsQueryVariables = Exact<{ [key: string]: never; }>;


export type FacilitatorsQuery = { facilitators: Array<{ address: string, payments: number, paymentVolume: string, receipts: number, verifiedReceipts: number, verifiedVolume: string, overduePayments: number }> };

export type TeesQueryVariables = Exact<{ [key: string]: never; }>;


export type TeesQuery = { tees: Array<{ id: string, publicKey: string, keyMatchesId: boolean, registeredAt: string, registeredAtBlock: number, registeredTx: string, revoked: boolean, revokedAt: string | null, revokedAtBlock: number | null, revokedTx: string | null, totals: { receipts: number, verifiedReceipts: number, invalidProofReceipts: number, volume: string, lastSettledAt: string | null } }> };

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
export const PaymentDetailFragmentDoc = new TypedDocumentString(`
    fragment PaymentDetail on Payment {
  id
  state
  payer
  payee
  facilitator
  amount
  token
  nonce
  chainId
  txHash
  blockNumber
  paidAt
  dueAt
  receiptCount
  receipts {
    id
    state
    amount
    teeId
    settledAt
    latencySeconds
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
  timestamp
  facilitator
  merkleRoot
  computedRoot
  rootMatches
  blobId
  leafCount
  decodeError
  leaves {
    index
    receiptId
    paymentId
    amount
    teeId
    inputHash
    outputHash
    signature
    timestamp
    hash
    inclusion
    inclusionReason
    attestation
    attestationReason
    uniqueness
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
    paymentVolume
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
  settlements(where: {facilitator: $address}, first: $first) {
    totalCount
    nodes {
      id
      kind
      txHash
      merkleRoot
      timestamp
      leafCount
      rootMatches
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
  nonce
  chainId
  txHash
  blockNumber
  paidAt
  dueAt
  receiptCount
  receipts {
    id
    state
    amount
    teeId
    settledAt
    latencySeconds
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
  nonce
  chainId
  txHash
  blockNumber
  paidAt
  dueAt
  receiptCount
  receipts {
    id
    state
    amount
    teeId
    settledAt
    latencySeconds
  }
}
fragment SettlementDetail on Settlement {
  id
  kind
  chainId
  txHash
  blockNumber
  timestamp
  facilitator
  merkleRoot
  computedRoot
  rootMatches
  blobId
  leafCount
  decodeError
  leaves {
    index
    receiptId
    paymentId
    amount
    teeId
    inputHash
    outputHash
    signature
    timestamp
    hash
    inclusion
    inclusionReason
    attestation
    attestationReason
    uniqueness
    receipt {
      id
      state
    }
  }
}`) as unknown as TypedDocumentString<TransactionQuery, TransactionQueryVariables>;
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
      chainId
      timestamp
      facilitator
      merkleRoot
      blobId
      leafIndex
      proof
      leaf {
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
      }
    }
    tee {
      id
      publicKey
      revoked
      revokedAt
    }
    checks {
      payment
      inclusion
      attestation
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
  timestamp
  facilitator
  merkleRoot
  computedRoot
  rootMatches
  blobId
  leafCount
  decodeError
  leaves {
    index
    receiptId
    paymentId
    amount
    teeId
    inputHash
    outputHash
    signature
    timestamp
    hash
    inclusion
    inclusionReason
    attestation
    attestationReason
    uniqueness
    receipt {
      id
      state
    }
  }
}`) as unknown as TypedDocumentString<BatchQuery, BatchQueryVariables>;
export const HeadlineDocument = new TypedDocumentString(`
    query Headline {
  all: receipts(first: 1) {
    totalCount
  }
  verified: receipts(first: 1, where: {states: [verified]}) {
    totalCount
  }
  failed: receipts(
    first: 1
    where: {states: [unpaid, underpaid, invalid_proof, duplicate]}
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
    paymentVolume
    receipts
    verifiedReceipts
    verifiedVolume
    overduePayments
  }
}
    `) as unknown as TypedDocumentString<FacilitatorsQuery, FacilitatorsQueryVariables>;
export const TeesDocument = new TypedDocumentString(`
    query Tees {
  tees {
    id
    publicKey
    keyMatchesId
    registeredAt
    registeredAtBlock
    registeredTx
    revoked
    revokedAt
    revokedAtBlock
    revokedTx
    totals {
      receipts
      verifiedReceipts
      invalidProofReceipts
      volume
      lastSettledAt
    }
  }
}
    `) as unknown as TypedDocumentString<TeesQuery, TeesQueryVariables>;