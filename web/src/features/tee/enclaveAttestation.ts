import type { EnclaveAttestationResult } from "../../graphql/generated/graphql";

/** How an enclave's Nitro re-verification reads in the TEE table: a badge, and the reasons beside it. */
export type EnclaveAttestationView = { status: "pass" | "fail" | "na"; label: string; meaning: string; detail: string };

const VIEWS: Record<EnclaveAttestationResult, Omit<EnclaveAttestationView, "detail">> = {
  verified: {
    status: "pass",
    label: "AWS-verified",
    meaning: "AWS signed the attestation document, valid at registration, and it commits to the registered key",
  },
  failed: {
    status: "fail",
    label: "Failed",
    meaning: "An AWS Nitro document whose signature, certificate chain or key commitment does not hold",
  },
  unverifiable: {
    status: "na",
    label: "Unverifiable",
    meaning: "Not an AWS Nitro document, or not in the registration transaction",
  },
};

/**
 * The badge and reasons of an enclave's AWS Nitro re-verification (the indexer's, at registration). It is about the
 * registration only: settlements' attestation check does not depend on it.
 * @example enclaveAttestationViewOf({ result: "unverifiable", reasons: ["not an AWS Nitro attestation document: …"] })
 * // { status: "na", label: "Unverifiable", meaning: "…", detail: "not an AWS Nitro attestation document: …" }
 */
export function enclaveAttestationViewOf({
  result,
  reasons,
}: {
  result: EnclaveAttestationResult;
  reasons: readonly string[];
}): EnclaveAttestationView {
  return { ...VIEWS[result], detail: reasons.join("; ") };
}
