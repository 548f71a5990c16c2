import { graphql } from "../../graphql/generated";

/** What a receipt id, payment id, tx hash, address, inference id or Merkle root is. */
export const SearchQuery = graphql(`
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
`);
