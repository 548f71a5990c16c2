import { graphql } from "../../graphql/generated";

/** Headline figures: totals by state and payments waiting, plus chain time and indexing lag. */
export const HeadlineQuery = graphql(`
  query Headline {
    all: receipts(first: 1) {
      totalCount
    }
    verified: receipts(first: 1, where: { states: [verified] }) {
      totalCount
    }
    failed: receipts(first: 1, where: { states: [unpaid, underpaid, invalid_proof, duplicate] }) {
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
      paymentVolume
      receipts
      verifiedReceipts
      verifiedVolume
      overduePayments
    }
  }
`);
