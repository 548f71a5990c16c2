// The signature schemes OpenGradient's TEE gateway used, as data (docs/protocol.md, "Earlier eras"): what the enclave
// signed, with which RSA-PSS salt, and how its teeId was derived from its key. A response is checked with the scheme of
// its timestamp first, then with the others: a response from a boundary day may have been signed either way.
import { bytesToHex, type Hex, hexToBytes } from "viem";
import { InvalidInputError } from "./errors";
import { keccak256Of } from "./keccak";
import { dumpsPython, type PyDict } from "./pythonJson";
import { teeIdOf, teeMessageOf } from "./tee";

/** The schemes, oldest first. */
export type SignatureSchemeName = "v0-json" | "v1-keccak-max-salt" | "v2-keccak-pem-id" | "v3";

/**
 * What a response lets a scheme rebuild: the keccak fields (v1 on), or the dict the v0 enclave passed to
 * `json.dumps(…, sort_keys=True)`. A scheme whose part is absent cannot check the response.
 */
export type SignedContent = {
  inputHash?: Hex;
  outputHash?: Hex;
  timestamp?: bigint;
  /** v0: `{finish_reason, message, model, request_hash, timestamp}` (chat) or `{finish_reason, full_content, model, timestamp}` (stream). */
  signedJson?: PyDict;
};

export type SignatureScheme = {
  name: SignatureSchemeName;
  /** How reports name it, e.g. "legacy v0, before 2026-02-27". */
  label: string;
  /** First second it was in use (unix seconds, inclusive); absent for the first scheme. */
  from?: bigint;
  /** First second it was no longer in use (exclusive); absent for the current scheme. */
  to?: bigint;
  /** The bytes RSA-PSS-SHA256 signs, or undefined when the content lacks what this scheme signs. */
  message: (content: SignedContent) => Uint8Array | undefined;
  /** `"max"`: as long as the key allows (`keyBytes − 32 − 2`, Python's `PSS.MAX_LENGTH`); else bytes. */
  saltLength: "max" | 32;
  /** The teeId of a DER (SPKI) public key under this scheme. */
  teeIdOf: (publicKeyDer: Hex) => Hex;
};

/** Unix seconds of 00:00 UTC on a day; the gateway's commits (tee-gateway d6a851a, 6ec4a7a, bfdf2ee) give the days. */
const dayOf = (year: number, month: number, day: number) => BigInt(Date.UTC(year, month - 1, day) / 1000);

/** 2026-02-27: the keccak message replaces the signed JSON (tee-gateway d6a851a). */
export const KECCAK_MESSAGE_SINCE = dayOf(2026, 2, 27);
/** 2026-03-05: salt 32 replaces the maximum salt (6ec4a7a); responses carry `tee_id` (of the PEM key) from then. */
export const SALT_32_SINCE = dayOf(2026, 3, 5);
/** 2026-03-06: teeId = keccak256(DER) replaces keccak256 of the PEM text (bfdf2ee). */
export const DER_TEE_ID_SINCE = dayOf(2026, 3, 6);

const utf8 = new TextEncoder();

/** v0 signed `json.dumps(dict, sort_keys=True).encode("utf-8")`; ensure_ascii makes it ASCII. */
const jsonMessageOf = ({ signedJson }: SignedContent) =>
  signedJson === undefined ? undefined : utf8.encode(dumpsPython(signedJson));

const keccakMessageOf = ({ inputHash, outputHash, timestamp }: SignedContent) =>
  inputHash === undefined || outputHash === undefined || timestamp === undefined
    ? undefined
    : hexToBytes(teeMessageOf({ inputHash, outputHash, timestamp }));

/** keccak256 of the PEM text Python's `public_bytes(PEM, SubjectPublicKeyInfo)` writes (64-column lines, final newline). */
export function teeIdOfPem(publicKeyDer: Hex): Hex {
  return keccak256Of(utf8.encode(pemOfDer(publicKeyDer)));
}

/**
 * The schemes of the gateway's history, oldest first. v0 and v1 responses carry no `tee_id`; their teeId is what the
 * PEM-era gateway would have called the key.
 */
export const SIGNATURE_SCHEMES: readonly SignatureScheme[] = [
  {
    name: "v0-json",
    label: "legacy v0, before 2026-02-27",
    to: KECCAK_MESSAGE_SINCE,
    message: jsonMessageOf,
    saltLength: "max",
    teeIdOf: teeIdOfPem,
  },
  {
    name: "v1-keccak-max-salt",
    label: "legacy v1, keccak message with maximum salt, 2026-02-27 to 2026-03-05",
    from: KECCAK_MESSAGE_SINCE,
    to: SALT_32_SINCE,
    message: keccakMessageOf,
    saltLength: "max",
    teeIdOf: teeIdOfPem,
  },
  {
    name: "v2-keccak-pem-id",
    label: "v2, salt 32 with a teeId of the PEM key, 2026-03-05 to 2026-03-06",
    from: SALT_32_SINCE,
    to: DER_TEE_ID_SINCE,
    message: keccakMessageOf,
    saltLength: 32,
    teeIdOf: teeIdOfPem,
  },
  {
    name: "v3",
    label: "current, since 2026-03-06",
    from: DER_TEE_ID_SINCE,
    message: keccakMessageOf,
    saltLength: 32,
    teeIdOf,
  },
];

const CURRENT_SCHEME = SIGNATURE_SCHEMES.at(-1)!;

/** Whether a scheme was in use at `timestamp` (unix seconds). */
const inUseAt = (scheme: SignatureScheme, timestamp: bigint) =>
  (scheme.from === undefined || scheme.from <= timestamp) && (scheme.to === undefined || timestamp < scheme.to);

/** Seconds between `timestamp` and a scheme's period (0 inside it). */
const distanceOf = (scheme: SignatureScheme, timestamp: bigint) =>
  scheme.from !== undefined && timestamp < scheme.from
    ? scheme.from - timestamp
    : scheme.to !== undefined && timestamp >= scheme.to
      ? timestamp - scheme.to + 1n
      : 0n;

/**
 * The scheme in use at `timestamp` (unix seconds).
 * @example signatureSchemeAt(1772150400n).name // "v1-keccak-max-salt" (2026-02-27)
 */
export function signatureSchemeAt(timestamp: bigint): SignatureScheme {
  return SIGNATURE_SCHEMES.find((scheme) => inUseAt(scheme, timestamp)) ?? CURRENT_SCHEME;
}

/** Every scheme, the one in use at `timestamp` first, then the others by how near their period is. */
export function signatureSchemesByLikelihood(timestamp: bigint): SignatureScheme[] {
  return [...SIGNATURE_SCHEMES].sort((a, b) => {
    const [da, db] = [distanceOf(a, timestamp), distanceOf(b, timestamp)];
    return da === db ? 0 : da < db ? -1 : 1;
  });
}

/** The salt length in bytes a scheme uses with a key: 32, or `ceil((modulusBits − 1) / 8) − 32 − 2` for "max". */
export function saltLengthOf(scheme: Pick<SignatureScheme, "saltLength">, key: CryptoKey): number {
  if (scheme.saltLength !== "max") return scheme.saltLength;
  const { modulusLength } = key.algorithm as RsaHashedKeyAlgorithm;
  return Math.ceil((modulusLength - 1) / 8) - 32 - 2;
}

/** "RSA-PSS, SHA-256, salt 222 (legacy v0, before 2026-02-27)": a scheme as reports state it. */
export function schemeDescriptionOf(scheme: SignatureScheme, saltLength: number): string {
  return `RSA-PSS, SHA-256, salt ${saltLength} (${scheme.label})`;
}

// --- keys ------------------------------------------------------------------------------------------------------------

const PEM_HEADER = "-----BEGIN PUBLIC KEY-----";
const PEM_FOOTER = "-----END PUBLIC KEY-----";

/** The PEM text of a DER (SPKI) public key, as Python's cryptography writes it. */
export function pemOfDer(publicKeyDer: Hex): string {
  if (typeof publicKeyDer !== "string" || !/^0x(?:[0-9a-fA-F]{2})+$/.test(publicKeyDer))
    throw new InvalidInputError(
      `Public key "${String(publicKeyDer).slice(0, 18)}…" is not hex of whole bytes (a DER SPKI key).`,
    );
  const body = btoa(String.fromCharCode(...hexToBytes(publicKeyDer)));
  const lines = body.match(/.{1,64}/g) ?? [];
  return `${PEM_HEADER}\n${lines.join("\n")}\n${PEM_FOOTER}\n`;
}

/**
 * The DER (SPKI) bytes of a public key given as DER hex, PEM text, or hex of PEM text (a PEM-era registry's bytes).
 * @example publicKeyDerOf("-----BEGIN PUBLIC KEY-----\nMIIBIjAN…") // "0x30820122…"
 */
export function publicKeyDerOf(publicKey: Hex | string): Hex {
  let text = publicKey;
  if (/^0x(?:[0-9a-fA-F]{2})+$/.test(publicKey)) {
    const bytes = hexToBytes(publicKey as Hex);
    // DER SPKI starts with a SEQUENCE (0x30); PEM text with "-----".
    if (bytes[0] === 0x30) return publicKey.toLowerCase() as Hex;
    text = new TextDecoder().decode(bytes);
  }
  const start = text.indexOf(PEM_HEADER);
  const end = text.indexOf(PEM_FOOTER);
  const body = start >= 0 && end > start ? text.slice(start + PEM_HEADER.length, end).replace(/\s+/g, "") : "";
  if (body === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(body))
    throw new InvalidInputError(
      `Public key "${text.slice(0, 40)}…" is neither DER hex nor a PEM "${PEM_HEADER}" block.`,
    );
  return bytesToHex(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
}

const RSA_PSS = { name: "RSA-PSS", hash: "SHA-256" } as const;

/** Imports a public key (DER hex, PEM text or hex of PEM text) for RSA-PSS verification. */
export async function importSchemePublicKey(publicKey: Hex | string): Promise<CryptoKey> {
  const der = publicKeyDerOf(publicKey);
  try {
    return await globalThis.crypto.subtle.importKey("spki", new Uint8Array(hexToBytes(der)), RSA_PSS, true, ["verify"]);
  } catch (cause) {
    throw new InvalidInputError(`TEE public key "${der.slice(0, 18)}…" is not a DER-encoded (SPKI) RSA public key.`, {
      cause,
      details: der,
    });
  }
}

// --- signing and verifying -------------------------------------------------------------------------------------------

/** Signs content the way the enclave did under `scheme` (tests and the devnet); throws if the content lacks its part. */
export async function signWithScheme(
  privateKey: CryptoKey,
  scheme: SignatureScheme,
  content: SignedContent,
): Promise<Hex> {
  const message = scheme.message(content);
  if (!message) throw new InvalidInputError(`Content to sign lacks what scheme "${scheme.name}" signs.`);
  const signature = await globalThis.crypto.subtle.sign(
    { name: "RSA-PSS", saltLength: saltLengthOf(scheme, privateKey) },
    privateKey,
    new Uint8Array(message),
  );
  return bytesToHex(new Uint8Array(signature));
}

/** The scheme a signature verified under, with the salt length used and the teeId the scheme gives the key. */
export type SchemeMatch = { scheme: SignatureScheme; saltLength: number; teeId: Hex; description: string };

/**
 * The first scheme under which `signature` verifies, trying the one in use at `timestamp` first (then the others,
 * nearest first), or undefined when none does. Schemes whose part the content lacks are skipped. A malformed
 * signature verifies under none; a malformed key throws `InvalidInputError`.
 * @example (await verifyWithSchemes({ publicKey, signature, content, timestamp }))?.scheme.name // "v3"
 */
export async function verifyWithSchemes({
  publicKey,
  signature,
  content,
  timestamp,
  schemes,
}: {
  publicKey: Hex | string | CryptoKey;
  signature: Hex;
  content: SignedContent;
  /** Picks the order; defaults to `content.timestamp`, else the current scheme first. */
  timestamp?: bigint;
  /** Restricts the schemes tried (in this order). */
  schemes?: readonly SignatureScheme[];
}): Promise<SchemeMatch | undefined> {
  const key = typeof publicKey === "string" ? await importSchemePublicKey(publicKey) : publicKey;
  let signatureBytes: Uint8Array<ArrayBuffer>;
  try {
    signatureBytes = new Uint8Array(hexToBytes(signature));
  } catch {
    return undefined;
  }
  const at = timestamp ?? content.timestamp;
  const order = schemes ?? (at === undefined ? [...SIGNATURE_SCHEMES].reverse() : signatureSchemesByLikelihood(at));
  let der: Hex | undefined;
  for (const scheme of order) {
    const message = scheme.message(content);
    if (!message) continue;
    const saltLength = saltLengthOf(scheme, key);
    const valid = await globalThis.crypto.subtle.verify(
      { name: "RSA-PSS", saltLength },
      key,
      signatureBytes,
      new Uint8Array(message),
    );
    if (!valid) continue;
    der ??= bytesToHex(new Uint8Array(await globalThis.crypto.subtle.exportKey("spki", key)));
    return { scheme, saltLength, teeId: scheme.teeIdOf(der), description: schemeDescriptionOf(scheme, saltLength) };
  }
  return undefined;
}

/** sha256 of `json.dumps(request, sort_keys=True)`: the v0 gateway's `tee_request_hash` (0x-prefixed). */
export async function sha256RequestHashOf(request: PyDict | Record<string, unknown>): Promise<Hex> {
  const text = dumpsPython(request as PyDict);
  const digest = await globalThis.crypto.subtle.digest("SHA-256", utf8.encode(text));
  return bytesToHex(new Uint8Array(digest));
}
