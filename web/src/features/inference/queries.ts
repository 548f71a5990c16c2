import { graphql } from "../../graphql/generated";

/** One settlement of an inference: the relay event, who posted it, its blob, and the leaf with its checks. */
export const InferenceSettlementFragment = graphql(`
  fragment InferenceSettlementFields on InferenceSettlement {
    state
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
    blobId
    blobStatus
    leafIndex
    proof
    encoding
    leafEncoding
    leafHash
    reasons {
      check
      reason
    }
    leaf {
      encoding
      teeId
      inputHash
      outputHash
      signature
      timestamp
      paymentId
      amount
    }
    settlement {
      id
      batchSize
      leafCount
      blobReason
    }
  }
`);

/** Everything the inference trail shows: state, checks, enclave, payment link, and every settlement in chain order. */
export const InferenceTrailQuery = graphql(`
  query InferenceTrail($id: ID!) {
    inference(id: $id) {
      id
      state
      teeId
      inputHash
      outputHash
      timestamp
      settledAt
      settlementCount
      checks {
        inclusion
        attestation
        provenance
        uniqueness
      }
      reasons {
        check
        reason
      }
      settlement {
        ...InferenceSettlementFields
      }
      settlements {
        ...InferenceSettlementFields
      }
      link {
        kind
        payer
        payee
        windowEnd
        receiptId
        receipt {
          id
          state
        }
        payment {
          id
          state
          txHash
          payer
          payee
          amount
          token
          paidAt
        }
      }
      tee {
        id
        publicKey
        keyMatchesId
        pcrHash
        paymentAddress
        endpoint
        enabled
        registeredAt
        pcr {
          approved
          version
        }
      }
    }
  }
`);

/** Payments from a payer the user names that could have paid for an inference in a session (docs §4). */
export const SessionCandidatesQuery = graphql(`
  query SessionCandidates($id: ID!, $payer: String!) {
    inference(id: $id) {
      id
      sessionCandidates(payer: $payer) {
        id
        txHash
        scheme
        amount
        token
        asset {
          symbol
          decimals
        }
        maxAmount
        paidAt
        state
      }
    }
  }
`);

/** One page of inferences, newest counting settlement first. */
export const InferenceHistoryQuery = graphql(`
  query InferenceHistory($where: InferenceFilter, $direction: OrderDirection, $first: Int!, $after: String) {
    inferences(where: $where, direction: $direction, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...InferenceRow
        }
      }
    }
  }
`);

/** The newest inferences, for the home page. */
export const LatestInferencesQuery = graphql(`
  query LatestInferences($first: Int!) {
    inferences(first: $first) {
      nodes {
        ...InferenceRow
      }
    }
  }
`);

export const InferenceRowFragment = graphql(`
  fragment InferenceRow on Inference {
    id
    state
    teeId
    settledAt
    settlementCount
    link {
      kind
    }
    settlement {
      kind
      signer
      official
    }
  }
`);
