import { graphql } from "../../graphql/generated";

/**
 * What an inference id, receipt id, payment id, tx hash, input or output hash, Merkle root, address, blob id or
 * pasted response body is.
 */
export const SearchQuery = graphql(`
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
`);
