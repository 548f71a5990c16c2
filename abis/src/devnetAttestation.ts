import { concat, encodeAbiParameters, type Hex, isHex, keccak256, sha256 } from "viem";
import { InvalidInputError } from "./errors";

/** An enclave image's measurements, as `TEERegistry.approvePCR` takes them (raw bytes, 48 each on AWS Nitro). */
export type PcrMeasurements = { pcr0: Hex; pcr1: Hex; pcr2: Hex };

function assertBytes(value: unknown, what: string): asserts value is Hex {
  if (typeof value !== "string" || !isHex(value, { strict: true }) || value.length % 2 !== 0)
    throw new InvalidInputError(
      `${what} "${String(value)}" is not a hex string of whole bytes (0x followed by pairs of hex digits).`,
    );
}

function assertPcrs({ pcr0, pcr1, pcr2 }: PcrMeasurements) {
  assertBytes(pcr0, "PCR0");
  assertBytes(pcr1, "PCR1");
  assertBytes(pcr2, "PCR2");
}

/**
 * `keccak256(pcr0 ‖ pcr1 ‖ pcr2)`: the `pcrHash` the registry approves and stores for an enclave image.
 * @example pcrHashOf({ pcr0: "0x01…", pcr1: "0x02…", pcr2: "0x03…" })
 */
export function pcrHashOf(pcrs: PcrMeasurements): Hex {
  assertPcrs(pcrs);
  return keccak256(concat([pcrs.pcr0, pcrs.pcr1, pcrs.pcr2]));
}

/**
 * The devnet's attestation document for an enclave: `abi.encode(bytes pcr0, bytes pcr1, bytes pcr2,
 * bytes32 sha256(signingPublicKey))`, which the devnet's TEE precompile (DevnetTeeVerifier) accepts for that key.
 * It stands in for an AWS Nitro document, which binds the key the same way; no AWS signature, so Settlescan reports
 * such a registration's attestation as unverifiable.
 * @example registerTEEWithAttestation(devnetAttestationDocumentOf({ ...pcrs, signingPublicKey }), signingPublicKey, …)
 */
export function devnetAttestationDocumentOf({
  signingPublicKey,
  ...pcrs
}: PcrMeasurements & { signingPublicKey: Hex }): Hex {
  assertPcrs(pcrs);
  assertBytes(signingPublicKey, "Signing public key");
  return encodeAbiParameters(
    [{ type: "bytes" }, { type: "bytes" }, { type: "bytes" }, { type: "bytes32" }],
    [pcrs.pcr0, pcrs.pcr1, pcrs.pcr2, sha256(signingPublicKey)],
  );
}
