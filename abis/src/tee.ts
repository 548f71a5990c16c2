import { bytesToHex, encodePacked, type Hex, hexToBytes, keccak256 } from "viem";
import { InvalidInputError } from "./errors";
import { keccak256Of, wordsOf, writeHex } from "./keccak";

// RSA-PSS over SHA-256 with a salt as long as the digest: the parameters the TEE gateway signs with.
const RSA_PSS = { name: "RSA-PSS", hash: "SHA-256" } as const;
const PSS_SALT_LENGTH = 32;

/** The WebCrypto implementation of the running platform (browser `crypto.subtle` or Node's global WebCrypto). */
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** Hex to bytes backed by a plain ArrayBuffer, as WebCrypto's `BufferSource` requires. */
const bufferOf = (hex: Hex) => new Uint8Array(hexToBytes(hex));

/** The 32 bytes a TEE signs: `keccak256(inputHash ‖ outputHash ‖ uint256 timestamp)`. */
export function teeMessageOf({
  inputHash,
  outputHash,
  timestamp,
}: {
  inputHash: Hex;
  outputHash: Hex;
  timestamp: bigint;
}) {
  const words = wordsOf([{ bytes32: inputHash }, { bytes32: outputHash }, { uint256: timestamp }]);
  if (words) return keccak256Of(words);
  return keccak256(encodePacked(["bytes32", "bytes32", "uint256"], [inputHash, outputHash, timestamp]));
}

/** `keccak256` of the enclave's DER (SPKI) public key: how a TEE is named on chain. */
export function teeIdOf(publicKeyDer: Hex): Hex {
  const der = new Uint8Array((publicKeyDer.length - 2) >>> 1);
  if (writeHex(der, 0, publicKeyDer, der.length)) return keccak256Of(der);
  return keccak256(publicKeyDer);
}

/** Imports a DER (SPKI) RSA public key for RSA-PSS verification; throws `InvalidInputError` if it is not one. */
export async function importTeePublicKey(publicKeyDer: Hex): Promise<CryptoKey> {
  try {
    return await subtle().importKey("spki", bufferOf(publicKeyDer), RSA_PSS, true, ["verify"]);
  } catch (cause) {
    throw new InvalidInputError(
      `TEE public key "${publicKeyDer.slice(0, 18)}…" is not a DER-encoded (SPKI) RSA public key.`,
      { cause, details: publicKeyDer },
    );
  }
}

/** Imports a DER (PKCS#8) RSA private key for RSA-PSS signing. */
export async function importTeePrivateKey(privateKeyDer: Hex): Promise<CryptoKey> {
  return subtle().importKey("pkcs8", bufferOf(privateKeyDer), RSA_PSS, false, ["sign"]);
}

/** A fresh RSA-2048 enclave key pair, with its DER encodings and teeId. */
export async function generateTeeKey() {
  const pair = await subtle().generateKey(
    { ...RSA_PSS, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );
  const publicKey = bytesToHex(new Uint8Array(await subtle().exportKey("spki", pair.publicKey)));
  const privateKey = bytesToHex(new Uint8Array(await subtle().exportKey("pkcs8", pair.privateKey)));
  return { teeId: teeIdOf(publicKey), publicKey, privateKey };
}

/** Signs an inference the way the enclave does: RSA-PSS-SHA256 over `teeMessageOf(fields)`. */
export async function signInference(
  privateKey: CryptoKey,
  fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint },
): Promise<Hex> {
  const signature = await subtle().sign(
    { name: "RSA-PSS", saltLength: PSS_SALT_LENGTH },
    privateKey,
    bufferOf(teeMessageOf(fields)),
  );
  return bytesToHex(new Uint8Array(signature));
}

/**
 * True when `signature` is the enclave's RSA-PSS signature of the inference. A malformed signature is false;
 * a malformed public key throws, since that is a registry fault rather than a bad proof.
 * @example await verifyTeeSignature({ publicKey, signature, inputHash, outputHash, timestamp })
 */
export async function verifyTeeSignature({
  publicKey,
  signature,
  ...fields
}: {
  publicKey: Hex | CryptoKey;
  signature: Hex;
  inputHash: Hex;
  outputHash: Hex;
  timestamp: bigint;
}) {
  const key = typeof publicKey === "string" ? await importTeePublicKey(publicKey) : publicKey;
  let signatureBytes: Uint8Array<ArrayBuffer>;
  try {
    signatureBytes = bufferOf(signature);
  } catch {
    return false;
  }
  return subtle().verify(
    { name: "RSA-PSS", saltLength: PSS_SALT_LENGTH },
    key,
    signatureBytes,
    bufferOf(teeMessageOf(fields)),
  );
}
