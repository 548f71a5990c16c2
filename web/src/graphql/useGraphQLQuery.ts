import { keepPreviousData, type UseQueryOptions, useQuery } from "@tanstack/react-query";
import type { TypedDocumentString } from "./generated/graphql";
import { requestGraphQL } from "./request";

type Options<TResult> = Omit<UseQueryOptions<TResult, Error>, "queryKey" | "queryFn"> & {
  /** Keep the previous variables' data while the next page or filter loads (tables), instead of a skeleton. */
  keepPrevious?: boolean;
};

/** The operation's name, so cache keys and devtools read like the documents. */
const operationNameOf = (document: { toString(): string }) =>
  /(?:query|subscription)\s+(\w+)/.exec(document.toString())?.[1] ?? document.toString();

/** The cache key of an operation with its variables, for hooks that update cached data (live feeds). */
export const queryKeyOf = (document: { toString(): string }, variables: unknown) =>
  [operationNameOf(document), variables] as const;

/**
 * The explorer's one data hook: a typed GraphQL operation through TanStack Query, cached by name and variables.
 * @example const receipt = useGraphQLQuery(ReceiptTrailQuery, { id })
 */
export function useGraphQLQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  { keepPrevious, ...options }: Options<TResult> = {},
) {
  return useQuery<TResult, Error>({
    queryKey: queryKeyOf(document, variables),
    queryFn: ({ signal }) => requestGraphQL(document, variables, { signal }),
    placeholderData: keepPrevious ? keepPreviousData : undefined,
    ...options,
  });
}
