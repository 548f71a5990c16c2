import { graphql } from "../../graphql/generated";

export const SettlementDetailFragment = graphql(`
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
`);

/** A batch by its Merkle root: its leaves, each with its checks, and the root the indexer recomputed. */
export const BatchQuery = graphql(`
  query Batch($root: String!) {
    settlement(merkleRoot: $root) {
      ...SettlementDetail
    }
  }
`);
