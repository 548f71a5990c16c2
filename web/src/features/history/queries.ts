import { graphql } from "../../graphql/generated";

/** One page of the settlement history. */
export const HistoryQuery = graphql(`
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
`);
