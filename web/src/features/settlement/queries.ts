import { graphql } from "../../graphql/generated";

export const SettlementDetailFragment = graphql(`
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
`);

/** A batch by its Merkle root: who posted it, its blob and its status, its leaves, each with its checks. */
export const BatchQuery = graphql(`
  query Batch($root: String!) {
    settlement(merkleRoot: $root) {
      ...SettlementDetail
    }
  }
`);
