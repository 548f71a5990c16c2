import { graphql } from "../../graphql/generated";

/** Every registered enclave with its registration, Nitro re-verification, status history and totals. */
export const TeesQuery = graphql(`
  query Tees {
    tees {
      id
      registry
      owner
      teeType
      publicKey
      keyMatchesId
      pcrHash
      pcr {
        approved
        version
      }
      paymentAddress
      endpoint
      enclaveAttestation {
        result
        reasons
      }
      enabled
      history {
        kind
        blockNumber
        txHash
      }
      lastHeartbeatAt
      registeredAt
      registeredAtBlock
      registeredTx
      totals {
        inferences
        provenInferences
        invalidProofInferences
        unofficialInferences
        receipts
        verifiedReceipts
        volume
        lastSettledAt
      }
    }
  }
`);
