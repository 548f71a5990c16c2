import { AWS_NITRO_ROOT_CERTIFICATE_PEM, verifyNitroAttestation } from "@settlescan/abis";
import { type Hex, hexToBytes } from "viem";

/**
 * The indexer's own re-verification of the AWS Nitro document an enclave registered with: a fact about the
 * registration, beside (never feeding) the `attestation` check of the settlements that carry its inferences.
 */
export type EnclaveAttestation = {
  nitroResult: "verified" | "failed" | "unverifiable";
  /** Why it is not `verified`, one sentence each; empty when it is. */
  nitroReasons: string[];
};

export const NO_DOCUMENT_REASON = "the registration transaction did not carry the document";

/**
 * Re-verifies a registration's attestation document against the AWS Nitro root as of the registration's block time,
 * requiring that its user data commits to the registered signing key. A registration whose transaction did not carry
 * the document (a contract called the registry) is `unverifiable`.
 * @example
 * await enclaveAttestationOf(null, { publicKey, registeredAt: 1_770_918_962n })
 * // { nitroResult: "unverifiable", nitroReasons: ["the registration transaction did not carry the document"] }
 */
export async function enclaveAttestationOf(
  document: Hex | null,
  { publicKey, registeredAt }: { publicKey: Hex; registeredAt: bigint },
): Promise<EnclaveAttestation> {
  if (document === null) return { nitroResult: "unverifiable", nitroReasons: [NO_DOCUMENT_REASON] };
  const { result, reasons } = await verifyNitroAttestation(hexToBytes(document), {
    rootCertificate: AWS_NITRO_ROOT_CERTIFICATE_PEM,
    at: new Date(Number(registeredAt) * 1000),
    expectedSigningKeyDer: publicKey,
  });
  return { nitroResult: result, nitroReasons: reasons };
}
