import { useQuery } from "@tanstack/react-query";
import { type ApiLeaf, checkAttestationInBrowser, checkInclusionInBrowser, tamperedOf } from "./verifyInBrowser";

export type VerificationInput = {
  /** Cache key: the receipt id. */
  id: string;
  kind: "batch" | "individual";
  leaf: ApiLeaf;
  proof: readonly string[];
  merkleRoot: string | null | undefined;
  publicKey: string | null | undefined;
};

/**
 * Runs the inclusion and attestation checks in this browser (WebCrypto), on the record as the API gave it, or with
 * one bit tampered (`tampered`) to show that they catch it. Nothing is fetched: the key and proof came with the trail.
 */
export function useBrowserVerification(input: VerificationInput | null, tampered: boolean) {
  return useQuery({
    queryKey: ["browserVerification", input?.id, tampered],
    enabled: input != null,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    queryFn: async () => {
      if (!input) throw new Error("Nothing to verify.");
      const subject = tampered ? tamperedOf(input) : { ...input, what: null };
      const [inclusion, attestation] = await Promise.all([
        checkInclusionInBrowser(subject),
        checkAttestationInBrowser({ leaf: subject.leaf, publicKey: input.publicKey }),
      ]);
      return { inclusion, attestation, tampered: subject.what };
    },
  });
}
