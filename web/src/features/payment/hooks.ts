import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { PaymentQuery, TransactionQuery } from "./queries";

export function usePayment(id: string) {
  return useGraphQLQuery(PaymentQuery, { id });
}

/** A transaction hash on either chain: the payment it carried, or the settlement. */
export function useTransaction(hash: string) {
  return useGraphQLQuery(TransactionQuery, { hash });
}
