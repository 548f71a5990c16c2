import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { TeesQuery } from "./queries";

export function useTees() {
  return useGraphQLQuery(TeesQuery, {});
}
