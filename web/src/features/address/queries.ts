import { graphql } from "../../graphql/generated";

/** An address in each of its roles: payer, payee, facilitator (payments it submitted, settlements it signed). */
export const AddressQuery = graphql(`
  query Address($address: String!, $first: Int!) {
    facilitator(address: $address) {
      address
      payments
      paymentVolumes {
        asset {
          symbol
          decimals
        }
        volume
      }
      provenPayments
      overduePayments
      awaitingProofPayments
      settlements
      batchSettlements
      receipts
      verifiedReceipts
      verifiedVolume
      firstSeenAt
      lastSeenAt
    }
    asPayer: payments(where: { payer: $address }, first: $first, orderBy: { field: PAID_AT, direction: DESC }) {
      totalCount
      nodes {
        ...PaymentRow
      }
    }
    asPayee: payments(where: { payee: $address }, first: $first, orderBy: { field: PAID_AT, direction: DESC }) {
      totalCount
      nodes {
        ...PaymentRow
      }
    }
    asFacilitator: payments(
      where: { facilitator: $address }
      first: $first
      orderBy: { field: PAID_AT, direction: DESC }
    ) {
      totalCount
      nodes {
        ...PaymentRow
      }
    }
    settlements(where: { signer: $address }, first: $first) {
      totalCount
      nodes {
        id
        kind
        txHash
        merkleRoot
        timestamp
        leafCount
        official
        blobStatus
      }
    }
  }
`);

export const PaymentRowFragment = graphql(`
  fragment PaymentRow on Payment {
    id
    state
    payer
    payee
    facilitator
    amount
    token
    txHash
    paidAt
    receiptCount
  }
`);
