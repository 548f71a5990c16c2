import { graphql } from "../../graphql/generated";

/** Headline figures: inferences and receipts by state, payments waiting, plus chain time and indexing lag. */
export const HeadlineQuery = graphql(`
  query Headline {
    inferences(first: 1) {
      totalCount
    }
    provenInferences: inferences(first: 1, where: { states: [proven] }) {
      totalCount
    }
    all: receipts(first: 1) {
      totalCount
    }
    verified: receipts(first: 1, where: { states: [verified] }) {
      totalCount
    }
    failed: receipts(first: 1, where: { states: [unpaid, underpaid, invalid_proof, duplicate, unofficial] }) {
      totalCount
    }
    awaiting: payments(first: 1, where: { states: [awaiting_proof] }) {
      totalCount
    }
    overdue: payments(first: 1, where: { states: [overdue] }) {
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
`);

/** Chain time, to end the dashboard's range at the indexed head rather than the reader's clock. */
export const MetaQuery = graphql(`
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
`);

/** Dashboard series: receipts, volume, states, latency and overdue backlog per bucket. */
export const StatsQuery = graphql(`
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
`);

/** Receipts and volume per payee over the range, for the top payees. */
export const TopPayeesQuery = graphql(`
  query TopPayees($from: DateTime!, $to: DateTime!, $interval: Interval!) {
    stats(from: $from, to: $to, interval: $interval, groupBy: PAYEE) {
      group
      receipts
      volume
    }
  }
`);

/** Every facilitator with its totals, for the top facilitators. */
export const FacilitatorsQuery = graphql(`
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
`);

/**
 * The protocol's health now: inferences by state, batches whose blob is pending, mismatched or expired, unofficial
 * posts, and per relay its pending blobs.
 */
export const ProtocolHealthQuery = graphql(`
  query ProtocolHealth {
    proven: inferences(first: 1, where: { states: [proven] }) {
      totalCount
    }
    invalidProof: inferences(first: 1, where: { states: [invalid_proof] }) {
      totalCount
    }
    unofficial: inferences(first: 1, where: { states: [unofficial] }) {
      totalCount
    }
    pendingBlobs: settlements(first: 1, where: { blobStatuses: [pending] }) {
      totalCount
    }
    mismatchedBlobs: settlements(first: 1, where: { blobStatuses: [mismatched] }) {
      totalCount
    }
    expiredBlobs: settlements(first: 1, where: { blobStatuses: [expired] }) {
      totalCount
    }
    unofficialPosts: settlements(first: 1, where: { official: false }) {
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
`);

/** Dashboard series of inferences and settlements per bucket: states, link kinds, blob availability, unofficial posts. */
export const InferenceStatsQuery = graphql(`
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
`);

/** Dashboard series of payments per bucket, one row per token and scheme: counts, volumes in base units, states. */
export const PaymentStatsQuery = graphql(`
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
`);
