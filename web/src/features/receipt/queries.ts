import { graphql } from "../../graphql/generated";

/** Everything the trail shows: payment → receipt → settlement (with the leaf and proof) → checks → state. */
export const ReceiptTrailQuery = graphql(`
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
`);

/** The newest receipts, for the home page's live feed. */
export const LatestReceiptsQuery = graphql(`
  query LatestReceipts($first: Int!) {
    receipts(first: $first, orderBy: { field: SETTLED_AT, direction: DESC }) {
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
`);

/** New and changed receipts as the indexer writes them, pushed over server-sent events. */
export const LatestReceiptEventsSubscription = graphql(`
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
`);
