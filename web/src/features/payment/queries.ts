import { graphql } from "../../graphql/generated";

/** A payment by its paymentId, with the receipts citing it. */
export const PaymentQuery = graphql(`
  query Payment($id: ID!) {
    payment(id: $id) {
      ...PaymentDetail
    }
  }
`);

/** Whatever a transaction hash carried: a payment on the payment chain, a settlement on the verification chain. */
export const TransactionQuery = graphql(`
  query Transaction($hash: String!) {
    payment(txHash: $hash) {
      ...PaymentDetail
    }
    settlement(txHash: $hash) {
      ...SettlementDetail
    }
  }
`);

export const PaymentDetailFragment = graphql(`
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
`);

/** One page of the payment history. */
export const PaymentHistoryQuery = graphql(`
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
`);
