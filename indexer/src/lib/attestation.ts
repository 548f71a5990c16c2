import { constants, createPublicKey, type KeyObject, verify } from "node:crypto";
import { teeIdOf, teeMessageOf } from "@settlescan/abis";
import { type Hex, hexToBytes } from "viem";
import { type ChainPosition, type TeeStatusChange, teeStatusAt } from "./teeStatus";
import { type CheckResult, failedCheck, passedCheck } from "./verdict";

/** What a TEE registry recorded of an enclave: its key and its status changes, in chain order. */
export type TeeFacts = { teeId: Hex; publicKey: Hex; history: readonly TeeStatusChange[] } | null;

// The RSA-PSS parameters the TEE gateway signs with (as abis' `verifyTeeSignature` checks them in WebCrypto).
const RSA_PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;

/** An RSA public key from DER (SPKI) hex, or null if it is not one — what WebCrypto's `importKey` accepts. */
function rsaPublicKeyOf(der: Hex): KeyObject | null {
  try {
    const key = createPublicKey({ key: Buffer.from(hexToBytes(der)), format: "der", type: "spki" });
    return key.asymmetricKeyType === "rsa" ? key : null;
  } catch {
    return null;
  }
}

// Parsed keys by DER hex: parsing is the expensive part of an RSA check and a key never changes.
const publicKeys = new Map<Hex, KeyObject | null>();
const publicKeyOf = (der: Hex) => {
  if (!publicKeys.has(der)) publicKeys.set(der, rsaPublicKeyOf(der));
  return publicKeys.get(der) ?? null;
};

/**
 * RSA-PSS-SHA256 verification of the TEE's signature over `teeMessageOf(fields)`, as abis' `verifyTeeSignature`
 * does in WebCrypto, but with Node's synchronous `crypto.verify`: less than half the CPU per leaf, and no round
 * trip through the thread pool. Malformed signature hex is false.
 */
function signatureVerifies(
  key: KeyObject,
  signature: Hex,
  fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint },
) {
  if (!signature.startsWith("0x")) return false;
  // Buffer's hex decoding is native (viem's `hexToBytes` is not). It stops at the first character that is not hex,
  // so a short result means malformed hex; an odd digit count is padded, as `hexToBytes` does.
  const digits = signature.length % 2 === 0 ? signature.slice(2) : `0${signature.slice(2)}`;
  const signatureBytes = Buffer.from(digits, "hex");
  if (signatureBytes.length * 2 !== digits.length) return false;
  const message = Buffer.from(teeMessageOf(fields).slice(2), "hex");
  return verify("sha256", message, { key, ...RSA_PSS }, signatureBytes);
}

// Each registered key's hash, by DER hex: every leaf of an enclave checks the same key against its id.
const keyIds = new Map<Hex, Hex>();
const keyIdOf = (publicKey: Hex) => {
  let id = keyIds.get(publicKey);
  if (!id) {
    id = teeIdOf(publicKey);
    keyIds.set(publicKey, id);
  }
  return id;
};

const NOT_ENABLED: Record<TeeStatusChange["kind"], string> = {
  registered: "",
  enabled: "",
  disabled: "was disabled",
  pcr_revoked: "stopped running an approved image (its PCR was revoked)",
};

/**
 * The attestation check: the enclave is registered and enabled at the settlement's place in the chain, its
 * registered key hashes to its id, and the RSA-PSS signature over the inference verifies with that key.
 */
export function attestationCheckOf({
  tee,
  at,
  teeId,
  signature,
  inputHash,
  outputHash,
  timestamp,
}: {
  tee: TeeFacts;
  at: ChainPosition;
  teeId: Hex;
  signature: Hex;
  inputHash: Hex;
  outputHash: Hex;
  timestamp: bigint;
}): CheckResult {
  const status = tee && teeStatusAt(tee.history, at);
  if (!tee || !status?.registered)
    return failedCheck(`Enclave ${teeId} is not registered in the TEE registry at block ${at.block}.`);
  if (!status.enabled && status.change)
    return failedCheck(
      `Enclave ${teeId} ${NOT_ENABLED[status.change.kind]} at block ${status.change.block} (tx ${status.change.tx}), before this settlement.`,
    );
  if (keyIdOf(tee.publicKey) !== teeId.toLowerCase())
    return failedCheck(`The key registered for enclave ${teeId} hashes to ${keyIdOf(tee.publicKey)}, not to its id.`);
  const key = publicKeyOf(tee.publicKey);
  if (!key) return failedCheck(`The key registered for enclave ${teeId} is not a DER-encoded RSA public key.`);
  return signatureVerifies(key, signature, { inputHash, outputHash, timestamp })
    ? passedCheck
    : failedCheck("The enclave's RSA-PSS signature does not verify over this inference.");
}
