import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { BatchQuery } from "./queries";

export function useBatch(root: string) {
  return useGraphQLQuery(BatchQuery, { root });
}
