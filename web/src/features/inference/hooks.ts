import type { InferenceFilter, OrderDirection } from "../../graphql/generated/graphql";
import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { InferenceHistoryQuery, InferenceTrailQuery, LatestInferencesQuery, SessionCandidatesQuery } from "./queries";

/** How often the home page's list of inferences refreshes; the devnet settles every few seconds. */
const LATEST_REFRESH_MS = 5_000;

export function useInference(id: string) {
  return useGraphQLQuery(InferenceTrailQuery, { id });
}

/** One page of inferences; the previous page stays on screen while the next loads. */
export function useInferenceHistory(args: {
  where: InferenceFilter;
  direction: OrderDirection;
  first: number;
  after: string | null;
}) {
  return useGraphQLQuery(InferenceHistoryQuery, args, { keepPrevious: true });
}

export function useLatestInferences(first = 10) {
  return useGraphQLQuery(
    LatestInferencesQuery,
    { first },
    { refetchInterval: LATEST_REFRESH_MS, refetchIntervalInBackground: false, keepPrevious: true },
  );
}

/** Session payments from `payer` that could have paid for the inference; asks nothing until a payer is given. */
export function useSessionCandidates(id: string, payer: string | null) {
  return useGraphQLQuery(SessionCandidatesQuery, { id, payer: payer ?? "" }, { enabled: payer !== null });
}
