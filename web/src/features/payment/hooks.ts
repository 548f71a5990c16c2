import type { PaymentFilter, PaymentOrder } from "../../graphql/generated/graphql";
import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { PaymentHistoryQuery, PaymentQuery, TransactionQuery } from "./queries";

export function usePayment(id: string) {
  return useGraphQLQuery(PaymentQuery, { id });
}

/** A transaction hash on either chain: the payment it carried, or the settlement. */
export function useTransaction(hash: string) {
  return useGraphQLQuery(TransactionQuery, { hash });
}

/** One page of payments; the previous page stays on screen while the next loads. */
export function usePaymentHistory(args: {
  where: PaymentFilter;
  orderBy: PaymentOrder;
  first: number;
  after: string | null;
}) {
  return useGraphQLQuery(PaymentHistoryQuery, args, { keepPrevious: true });
}
