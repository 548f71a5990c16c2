import { QueryClient } from "@tanstack/react-query";
import { isRetryable } from "./errors";

/** Retries of a request the API might answer next time (down, restarting); a malformed id is never retried. */
const MAX_RETRIES = 2;

/** The explorer's query cache: short freshness, because the chains move every few seconds. */
export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (failures, error) => failures < MAX_RETRIES && isRetryable(error),
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4_000),
        refetchOnWindowFocus: false,
      },
    },
  });
}
