import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { LatestReceiptsQuery, ReceiptTrailQuery } from "./queries";

/** How often the home feed asks for new receipts; the devnet settles a batch every few seconds. */
const FEED_REFRESH_MS = 3_000;

export function useReceipt(id: string) {
  return useGraphQLQuery(ReceiptTrailQuery, { id });
}

/** The newest receipts, refreshed while the page is visible. */
export function useLatestReceipts(first = 10) {
  return useGraphQLQuery(
    LatestReceiptsQuery,
    { first },
    { refetchInterval: FEED_REFRESH_MS, refetchIntervalInBackground: false, keepPrevious: true },
  );
}
