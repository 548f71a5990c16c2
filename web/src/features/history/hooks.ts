import type { ReceiptFilter, ReceiptOrder } from "../../graphql/generated/graphql";
import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { HistoryQuery } from "./queries";

/** One page of receipts; the previous page stays on screen while the next loads. */
export function useHistory(args: { where: ReceiptFilter; orderBy: ReceiptOrder; first: number; after: string | null }) {
  return useGraphQLQuery(HistoryQuery, args, { keepPrevious: true });
}
