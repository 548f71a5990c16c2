import { useQuery } from "@tanstack/react-query";
import { requestBlob } from "./request";

/** How soon a blob the API has not archived yet is asked for again: a pending batch's blob may arrive any block. */
const NOT_ARCHIVED_STALE_MS = 5_000;

/**
 * The raw text of a Walrus blob as the API archived it (null: not archived), cached for good once found, since a blob
 * id names its content. Nothing is asked while `blobId` is empty.
 * @example const blob = useBlob(settlement.blobId)
 */
export function useBlob(blobId: string | null | undefined) {
  return useQuery({
    queryKey: ["blob", blobId],
    queryFn: ({ signal }) => requestBlob(blobId as string, { signal }),
    enabled: Boolean(blobId),
    staleTime: (query) => (query.state.data == null ? NOT_ARCHIVED_STALE_MS : Number.POSITIVE_INFINITY),
  });
}
