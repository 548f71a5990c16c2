import { importTeePublicKey, teeIdOf, verifyTeeSignature } from "@settlescan/abis";
import type { Hex } from "viem";
import { type CheckResult, failedCheck, passedCheck } from "./verdict";

/** What the registry said of an enclave at the settlement's block. */
export type TeeFacts = { teeId: Hex; publicKey: Hex; revoked: boolean; revokedAtBlock: bigint | null } | null;

// Imported keys by DER hex: importing is the expensive part of an RSA check and a key never changes.
const importedKeys = new Map<Hex, Promise<CryptoKey | null>>();
const importedKeyOf = (publicKey: Hex) => {
  let key = importedKeys.get(publicKey);
  if (!key) {
    key = importTeePublicKey(publicKey).catch(() => null);
    importedKeys.set(publicKey, key);
  }
  return key;
};

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

/**
 * The attestation check: the enclave is registered and not revoked at the settlement's block, its registered key
 * hashes to its id, and the RSA-PSS signature over the inference verifies with that key.
 */
export async function attestationCheckOf({
  tee,
  teeId,
  signature,
  inputHash,
  outputHash,
  timestamp,
}: {
  tee: TeeFacts;
  teeId: Hex;
  signature: Hex;
  inputHash: Hex;
  outputHash: Hex;
  timestamp: bigint;
}): Promise<CheckResult> {
  if (!tee) return failedCheck(`Enclave ${teeId} is not registered in the TeeRegistry.`);
  if (tee.revoked)
    return failedCheck(`Enclave ${teeId} was revoked at block ${tee.revokedAtBlock}, before this settlement.`);
  if (keyIdOf(tee.publicKey) !== teeId.toLowerCase())
    return failedCheck(`The key registered for enclave ${teeId} hashes to ${keyIdOf(tee.publicKey)}, not to its id.`);
  const key = await importedKeyOf(tee.publicKey);
  if (!key) return failedCheck(`The key registered for enclave ${teeId} is not a DER-encoded RSA public key.`);
  const valid = await verifyTeeSignature({ publicKey: key, signature, inputHash, outputHash, timestamp });
  return valid ? passedCheck : failedCheck("The enclave's RSA-PSS signature does not verify over this inference.");
}
