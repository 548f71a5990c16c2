import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { SearchQuery } from "./queries";

/** What a well-formed query is (nothing is asked while `enabled` is false). */
export function useSearch(query: string, enabled: boolean) {
  return useGraphQLQuery(SearchQuery, { query }, { enabled });
}
