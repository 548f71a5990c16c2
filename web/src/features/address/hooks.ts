import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import { AddressQuery } from "./queries";

/** Rows per role on the address page; the history and its filters page through the rest. */
export const ADDRESS_ROWS = 20;

export function useAddress(address: string) {
  return useGraphQLQuery(AddressQuery, { address, first: ADDRESS_ROWS });
}
