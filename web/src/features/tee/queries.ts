import { graphql } from "../../graphql/generated";

/** Every registered enclave with its totals. */
export const TeesQuery = graphql(`
  query Tees {
    tees {
      id
      publicKey
      keyMatchesId
      registeredAt
      registeredAtBlock
      registeredTx
      revoked
      revokedAt
      revokedAtBlock
      revokedTx
      totals {
        receipts
        verifiedReceipts
        invalidProofReceipts
        volume
        lastSettledAt
      }
    }
  }
`);
