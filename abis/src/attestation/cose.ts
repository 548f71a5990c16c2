import { InvalidInputError } from "../errors";
import { type CborMap, type CborValue, decodeCbor, encodeCbor } from "./cbor";

/** COSE algorithm ES384: ECDSA on P-384 with SHA-384 (RFC 9053), the one AWS Nitro documents are signed with. */
export const COSE_ALGORITHM_ES384 = -35;

/** COSE_Sign1's CBOR tag (RFC 9052); Nitro documents come untagged, but a tagged one is the same message. */
const COSE_SIGN1_TAG = 18;

/** A COSE_Sign1 message (RFC 9052 §4.2): one signer, one signature over the protected header and the payload. */
export type CoseSign1 = {
  /** The protected header as signed: the encoded CBOR map's bytes. */
  protectedHeader: Uint8Array;
  /** The protected header decoded (e.g. key 1, the algorithm). */
  protectedHeaderMap: CborMap;
  unprotectedHeader: CborMap;
  payload: Uint8Array;
  signature: Uint8Array;
};

function isMap(value: CborValue): value is CborMap {
  return value instanceof Map;
}

function describe(value: CborValue): string {
  if (value instanceof Uint8Array) return `a byte string of ${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (value instanceof Map) return `a map of ${value.size} entries`;
  if (value !== null && typeof value === "object") return `a tag ${(value as { tag: unknown }).tag} item`;
  return `${typeof value === "string" ? "the text" : "the value"} ${JSON.stringify(String(value))}`;
}

/**
 * Decodes a COSE_Sign1 message (`[protected bstr, unprotected map, payload bstr, signature bstr]`, optionally with
 * tag 18). Throws `InvalidInputError` saying which part is not what COSE_Sign1 requires.
 * @example decodeCoseSign1(nitroDocumentBytes).payload
 */
export function decodeCoseSign1(bytes: Uint8Array): CoseSign1 {
  let message = decodeCbor(bytes);
  if (message !== null && typeof message === "object" && "tag" in message && message.tag === COSE_SIGN1_TAG)
    message = message.value;
  if (!Array.isArray(message) || message.length !== 4)
    throw new InvalidInputError(
      `A COSE_Sign1 message is an array of 4 items (protected header, unprotected header, payload, signature); got ${describe(message as CborValue)}.`,
    );
  const [protectedHeader, unprotectedHeader, payload, signature] = message as readonly CborValue[];
  if (!(protectedHeader instanceof Uint8Array))
    throw new InvalidInputError(
      `COSE_Sign1's protected header must be a byte string; got ${describe(protectedHeader)}.`,
    );
  const protectedHeaderMap = protectedHeader.length === 0 ? new Map() : decodeCbor(protectedHeader);
  if (!isMap(protectedHeaderMap))
    throw new InvalidInputError(
      `COSE_Sign1's protected header must encode a map; it encodes ${describe(protectedHeaderMap)}.`,
    );
  if (!isMap(unprotectedHeader as CborValue))
    throw new InvalidInputError(
      `COSE_Sign1's unprotected header must be a map; got ${describe(unprotectedHeader as CborValue)}.`,
    );
  if (!(payload instanceof Uint8Array))
    throw new InvalidInputError(
      `COSE_Sign1's payload must be a byte string (detached payloads are not supported); got ${describe(payload as CborValue)}.`,
    );
  if (!(signature instanceof Uint8Array))
    throw new InvalidInputError(
      `COSE_Sign1's signature must be a byte string; got ${describe(signature as CborValue)}.`,
    );
  return {
    protectedHeader,
    protectedHeaderMap,
    unprotectedHeader: unprotectedHeader as CborMap,
    payload,
    signature,
  };
}

/**
 * The bytes a COSE_Sign1 signature covers: `["Signature1", protected, external_aad, payload]` encoded as CBOR
 * (RFC 9052 §4.4). Nitro documents use no external AAD.
 */
export function sigStructureOf(
  message: Pick<CoseSign1, "protectedHeader" | "payload">,
  externalAad: Uint8Array = new Uint8Array(),
): Uint8Array<ArrayBuffer> {
  return encodeCbor(["Signature1", message.protectedHeader, externalAad, message.payload]);
}

/**
 * Checks an ES384 COSE_Sign1 signature with a P-384 public key given as DER SubjectPublicKeyInfo (WebCrypto, so it
 * runs in browsers too). Resolves to the reason it does not verify, or undefined when it does.
 * @example await coseSign1Es384Failure(message, leafCertificate.subjectPublicKeyInfo) // undefined
 */
export async function coseSign1Es384Failure(
  message: CoseSign1,
  subjectPublicKeyInfo: Uint8Array,
): Promise<string | undefined> {
  const algorithm = message.protectedHeaderMap.get(1);
  if (algorithm !== COSE_ALGORITHM_ES384)
    return `the protected header names algorithm ${String(algorithm)}, expected ES384 (${COSE_ALGORITHM_ES384})`;
  // WebCrypto takes ECDSA signatures as r ‖ s, which is how COSE writes them.
  if (message.signature.length !== 96)
    return `the signature is ${message.signature.length} bytes, expected 96 (ES384: r ‖ s of 48 bytes each)`;
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey(
      "spki",
      subjectPublicKeyInfo.slice(),
      { name: "ECDSA", namedCurve: "P-384" },
      false,
      ["verify"],
    );
  } catch (error) {
    return `the certificate's key is not a P-384 public key WebCrypto accepts (${(error as Error).message})`;
  }
  const valid = await crypto.subtle.verify(
    { name: "ECDSA", hash: "SHA-384" },
    key,
    message.signature.slice(),
    sigStructureOf(message),
  );
  return valid
    ? undefined
    : "the COSE_Sign1 signature does not verify with the public key of the document's certificate";
}
