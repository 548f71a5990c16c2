import { useQuery } from "@tanstack/react-query";
import { useBlob } from "../../graphql/useBlob";
import { type BlobText, type BrowserSubject, type Tamper, verifyInBrowser } from "./verifyInBrowser";

/**
 * Re-checks a settled leaf in this browser: fetches the raw blob the API archived (batches, and individual
 * settlements to compare the event with), then runs inclusion and attestation with WebCrypto; with `tamper`, on a copy
 * with one digit changed. `id` keys the cache (the inference or receipt id).
 */
export function useBrowserVerification(id: string, subject: BrowserSubject | null, tamper: Tamper | null) {
  const blob = useBlob(subject?.blobId);
  const blobSettled = !subject?.blobId || blob.isSuccess || blob.isError;
  const blobText: BlobText | undefined = blob.isError ? { error: blob.error.message } : blob.data;
  return useQuery({
    queryKey: ["browserVerification", id, subject?.kind, subject?.leafIndex, tamper, blob.dataUpdatedAt, blob.isError],
    enabled: subject != null && blobSettled,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    queryFn: () => {
      if (!subject) throw new Error("Nothing to verify.");
      return verifyInBrowser(subject, blobText, tamper);
    },
  });
}
