import { useQueryClient } from "@tanstack/react-query";
import type { LatestReceiptsQuery as LatestReceiptsResult } from "../../graphql/generated/graphql";
import { queryKeyOf, useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { useGraphQLSubscription } from "../../graphql/useGraphQLSubscription";
import { mergeIntoFeed, withoutReceipt } from "./latestFeed";
import { LatestReceiptEventsSubscription, LatestReceiptsQuery, ReceiptTrailQuery } from "./queries";

/** How often the home feed polls while its event stream is not open; the devnet settles every few seconds. */
const FEED_REFRESH_MS = 3_000;

export function useReceipt(id: string) {
  return useGraphQLQuery(ReceiptTrailQuery, { id });
}

/**
 * The newest receipts: fetched once, then kept current by the API's `receiptEvents` subscription; polled instead
 * while the stream is down.
 */
export function useLatestReceipts(first = 10) {
  const queryClient = useQueryClient();
  const variables = { first };
  const live = useGraphQLSubscription(
    LatestReceiptEventsSubscription,
    {},
    ({ receiptEvents: { receipt, receiptId } }) => {
      queryClient.setQueryData<LatestReceiptsResult>(queryKeyOf(LatestReceiptsQuery, variables), (old) =>
        old
          ? {
              receipts: {
                nodes: receipt
                  ? mergeIntoFeed(old.receipts.nodes, receipt, first)
                  : withoutReceipt(old.receipts.nodes, receiptId),
              },
            }
          : old,
      );
    },
  );
  const query = useGraphQLQuery(LatestReceiptsQuery, variables, {
    refetchInterval: live === "live" ? false : FEED_REFRESH_MS,
    refetchIntervalInBackground: false,
    keepPrevious: true,
  });
  return { query, live };
}
