// x402's offer-receipt extension (`@x402/extensions/offer-receipt`, spec extension-offer-and-receipt.md): a resource
// server signs a receipt of a paid request, as EIP-712 typed data or as a compact JWS whose `kid` is a DID URL. This
// is our own verifier of it: pure, viem and WebCrypto only, so the CLI, the explorer and the indexer share it.
import {
  type Address,
  bytesToHex,
  type Hex,
  hexToBytes,
  isHex,
  recoverPublicKey,
  recoverTypedDataAddress,
  sha256,
} from "viem";
import { publicKeyToAddress } from "viem/utils";
import { InvalidInputError } from "./errors";

/** The extension's key in `PaymentRequired.extensions` and `SettleResponse.extensions`. */
export const OFFER_RECEIPT_EXTENSION = "offer-receipt";

/** EIP-712 domain of receipts (`createReceiptDomain()`): no verifyingContract, chain id fixed at 1 whatever the network. */
export const X402_RECEIPT_DOMAIN = { name: "x402 receipt", version: "1", chainId: 1 } as const;

/** EIP-712 types of receipts (`RECEIPT_TYPES`, spec §5.3). */
export const X402_RECEIPT_TYPES = {
  Receipt: [
    { name: "version", type: "uint256" },
    { name: "network", type: "string" },
    { name: "resourceUrl", type: "string" },
    { name: "payer", type: "string" },
    { name: "issuedAt", type: "uint256" },
    { name: "transaction", type: "string" },
  ],
} as const;

/** What a receipt says (spec §5.2); `transaction` only when the issuer set `includeTxHash` (EIP-712 then has ""). */
export type X402ReceiptPayload = {
  version: number;
  /** CAIP-2, e.g. `eip155:8453`. */
  network: string;
  resourceUrl: string;
  /** Commonly the paying wallet's address. */
  payer: string;
  /** Unix seconds. */
  issuedAt: number;
  transaction?: string;
};

/** A signed receipt as `extensions["offer-receipt"].info.receipt` carries it. */
export type X402SignedReceipt =
  | { format: "eip712"; payload: X402ReceiptPayload; signature: Hex }
  | { format: "jws"; signature: string };

/** The key types a JWS receipt's `kid` can name offline (did:key and did:jwk), with the JWS `alg` each signs with. */
export type X402ReceiptKeyType = "secp256k1" | "P-256" | "Ed25519";

const ALG_OF_KEY: Record<X402ReceiptKeyType, string> = { secp256k1: "ES256K", "P-256": "ES256", Ed25519: "EdDSA" };

/** Who signed: the recovered address (EIP-712), or the JWS header's `kid`, `alg` and the key it resolves to. */
export type X402ReceiptSigner = {
  /** The Ethereum address of the signing key: recovered (EIP-712), or derived from a secp256k1 JWS key. */
  address?: Address;
  kid?: string;
  alg?: string;
  keyType?: X402ReceiptKeyType;
  /** The public key: uncompressed SEC1 for EC keys (0x04…), the 32 raw bytes for Ed25519. */
  publicKey?: Hex;
};

/** A receipt's signature checked: `valid` with the signer, or why not (`reason` is one sentence either way). */
export type X402ReceiptVerification = {
  format: "eip712" | "jws";
  signer: X402ReceiptSigner;
  payload: X402ReceiptPayload;
  valid: boolean;
  reason: string;
};

/** A public key given instead of resolving the `kid` (did:web needs HTTP): a JWK, as a did:web document holds it. */
export type X402ReceiptPublicKey = { kty: string; crv?: string; x?: string; y?: string };

export type VerifySignedReceiptOptions = {
  /** The key to verify a JWS with; required for a `kid` that cannot be resolved offline (did:web). */
  publicKey?: X402ReceiptPublicKey;
  /** The address an EIP-712 (or secp256k1 JWS) receipt must be signed by, e.g. the payment's payTo. */
  expectedSigner?: Address;
};

const shown = (value: unknown) => {
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const EXPECTED_INPUT =
  'a signed x402 receipt {format, signature}, a SettleResponse (or its PAYMENT-RESPONSE header value, base64 JSON) with extensions["offer-receipt"].info.receipt, or that extensions object';

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Bytes of base64 or base64url text (padding optional). */
function bytesOfBase64(text: string): Uint8Array {
  const standard = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(standard + "=".repeat((4 - (standard.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Unpadded base64url of bytes, as JWS segments are written. */
export function base64UrlOf(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function jsonOfBase64(text: string): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytesOfBase64(text)));
  } catch {
    return undefined;
  }
}

/**
 * The signed receipt in what a user pasted: the receipt object, the extension's `{info: {receipt}}`, an `extensions`
 * object, a whole SettleResponse, or the PAYMENT-RESPONSE header value (base64 JSON, optionally with its header name),
 * as JSON text or a parsed value; a bare compact JWS is a JWS receipt. Throws `InvalidInputError` saying what was
 * expected.
 * @example parseSignedReceipt(response.headers.get("PAYMENT-RESPONSE")).format // "eip712"
 */
export function parseSignedReceipt(input: unknown): X402SignedReceipt {
  let value = input;
  if (typeof value === "string") {
    const text = value.trim().replace(/^(X-)?PAYMENT-RESPONSE:\s*/i, "");
    if (text === "") throw new InvalidInputError(`The receipt input is empty; expected ${EXPECTED_INPUT}.`);
    if (JWS_COMPACT.test(text)) return jwsReceiptOf(text);
    if (text.startsWith("{") || text.startsWith("[")) {
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw new InvalidInputError(
          `The receipt input is not valid JSON (${(cause as Error).message}); expected ${EXPECTED_INPUT}.`,
          { cause },
        );
      }
    } else {
      value = /^[A-Za-z0-9+/_-]+=*$/.test(text) ? jsonOfBase64(text) : undefined;
      if (value === undefined)
        throw new InvalidInputError(
          `The receipt input ${shown(text)} is neither JSON nor base64 JSON; expected ${EXPECTED_INPUT}.`,
        );
    }
  }
  return receiptIn(value);
}

function receiptIn(value: unknown): X402SignedReceipt {
  if (!isObject(value))
    throw new InvalidInputError(`The receipt input is ${shown(value)}, not a JSON object; expected ${EXPECTED_INPUT}.`);
  if ("format" in value || ("signature" in value && !("info" in value))) return signedReceiptOf(value);
  if (isObject(value.receipt)) return signedReceiptOf(value.receipt);
  if (isObject(value.info)) {
    if (isObject(value.info.receipt)) return signedReceiptOf(value.info.receipt);
    throw new InvalidInputError(
      `The extension's info has no receipt (keys: ${Object.keys(value.info).join(", ") || "none"}); a 402 response's offer-receipt info carries offers, a settlement's carries the receipt.`,
    );
  }
  const extensions = isObject(value.extensions) ? value.extensions : OFFER_RECEIPT_EXTENSION in value ? value : null;
  if (extensions) {
    const extension = extensions[OFFER_RECEIPT_EXTENSION];
    if (!isObject(extension))
      throw new InvalidInputError(
        `The extensions carry no "${OFFER_RECEIPT_EXTENSION}" (keys: ${Object.keys(extensions).join(", ") || "none"}): the resource server issued no signed receipt.`,
      );
    return receiptIn(extension);
  }
  if ("success" in value && "transaction" in value)
    throw new InvalidInputError(
      `The settlement response has no extensions: the resource server issued no signed receipt (it needs the "${OFFER_RECEIPT_EXTENSION}" extension).`,
    );
  throw new InvalidInputError(
    `The receipt input has keys ${Object.keys(value).join(", ") || "none"}; expected ${EXPECTED_INPUT}.`,
  );
}

function signedReceiptOf(receipt: Record<string, unknown>): X402SignedReceipt {
  const { format, signature } = receipt;
  if (format === "jws") {
    if (typeof signature !== "string" || !JWS_COMPACT.test(signature))
      throw new InvalidInputError(
        `Receipt field "signature" is ${shown(signature)}; a jws receipt's signature is a compact JWS (header.payload.signature, base64url).`,
      );
    return jwsReceiptOf(signature);
  }
  if (format === "eip712") {
    if (!isHex(signature, { strict: true }) || signature.length !== 132)
      throw new InvalidInputError(
        `Receipt field "signature" is ${shown(signature)}; an eip712 receipt's signature is 65 bytes of 0x-hex (r, s, v).`,
      );
    return { format, payload: payloadOf(receipt.payload, 'Receipt field "payload"'), signature };
  }
  throw new InvalidInputError(`Receipt field "format" is ${shown(format)}; expected "eip712" or "jws".`);
}

function jwsReceiptOf(jws: string): X402SignedReceipt {
  const [header, payload] = jws.split(".") as [string, string, string];
  if (!isObject(jsonOfBase64(header)))
    throw new InvalidInputError(`The JWS header ${shown(header)} is not base64url of a JSON object.`);
  payloadOf(jsonOfBase64(payload), "The JWS payload");
  return { format: "jws", signature: jws };
}

function payloadOf(value: unknown, what: string): X402ReceiptPayload {
  if (!isObject(value)) throw new InvalidInputError(`${what} is ${shown(value)}; expected the receipt's JSON object.`);
  const field = (name: string, ok: boolean, expected: string) => {
    if (!ok) throw new InvalidInputError(`${what}'s field "${name}" is ${shown(value[name])}; expected ${expected}.`);
  };
  const { version, network, resourceUrl, payer, issuedAt, transaction } = value;
  field("version", Number.isSafeInteger(version) && (version as number) >= 0, "a non-negative integer");
  field("network", typeof network === "string", 'a CAIP-2 network string, e.g. "eip155:8453"');
  field("resourceUrl", typeof resourceUrl === "string", "the paid resource's URL");
  field("payer", typeof payer === "string", "the payer (a wallet address)");
  field("issuedAt", Number.isSafeInteger(issuedAt) && (issuedAt as number) >= 0, "an integer of unix seconds");
  field("transaction", transaction === undefined || typeof transaction === "string", "a transaction hash or absent");
  return {
    version: version as number,
    network: network as string,
    resourceUrl: resourceUrl as string,
    payer: payer as string,
    issuedAt: issuedAt as number,
    ...(transaction !== undefined && { transaction: transaction as string }),
  };
}

/** The JWS's decoded header and payload (no verification). */
export function decodeReceiptJws(jws: string): { header: Record<string, unknown>; payload: X402ReceiptPayload } {
  const [header, payload] = jws.split(".") as [string, string];
  return {
    header: jsonOfBase64(header) as Record<string, unknown>,
    payload: payloadOf(jsonOfBase64(payload), "The JWS payload"),
  };
}

/**
 * JSON in the canonical form the library signs (its `canonicalize`, RFC 8785 style: sorted keys, no spaces, control
 * characters as `\u00XX`).
 * @example jcsOf({ b: 1, a: "x" }) // '{"a":"x","b":1}'
 */
export function jcsOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InvalidInputError(`Cannot canonicalize ${value}; expected a finite number.`);
    return Object.is(value, -0) ? "0" : String(value);
  }
  if (typeof value === "string") {
    let out = '"';
    for (const char of value) {
      const code = char.charCodeAt(0);
      out +=
        code < 32 ? `\\u${code.toString(16).padStart(4, "0")}` : char === '"' ? '\\"' : char === "\\" ? "\\\\" : char;
    }
    return `${out}"`;
  }
  if (Array.isArray(value)) return `[${value.map(jcsOf).join(",")}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .filter((key) => value[key] !== undefined)
      .map((key) => `${jcsOf(key)}:${jcsOf(value[key])}`)
      .join(",")}}`;
  throw new InvalidInputError(`Cannot canonicalize a ${typeof value}; expected JSON values.`);
}

/** The EIP-712 message of a payload, as `prepareReceiptForEIP712` builds it. */
export function receiptMessageOf(payload: X402ReceiptPayload) {
  return {
    version: BigInt(payload.version),
    network: payload.network,
    resourceUrl: payload.resourceUrl,
    payer: payload.payer,
    issuedAt: BigInt(payload.issuedAt),
    transaction: payload.transaction ?? "",
  };
}

/**
 * Checks a receipt's signature: EIP-712 recovers its signer (any well-formed signature recovers some address, so
 * pass `expectedSigner` to refuse one signed by another key — or altered), a JWS is verified with the key its `kid`
 * names (did:key, did:jwk; did:web only with `publicKey`). Never throws for a bad signature: `valid` and `reason` say.
 * @example const { valid, signer } = await verifySignedReceipt(parseSignedReceipt(header), { expectedSigner: payTo })
 */
export async function verifySignedReceipt(
  receipt: X402SignedReceipt,
  { publicKey, expectedSigner }: VerifySignedReceiptOptions = {},
): Promise<X402ReceiptVerification> {
  if (receipt.format === "eip712") return verifyEip712(receipt, expectedSigner);
  return verifyJws(receipt.signature, publicKey, expectedSigner);
}

async function verifyEip712(
  { payload, signature }: Extract<X402SignedReceipt, { format: "eip712" }>,
  expectedSigner: Address | undefined,
): Promise<X402ReceiptVerification> {
  let address: Address;
  try {
    address = await recoverTypedDataAddress({
      domain: X402_RECEIPT_DOMAIN,
      types: X402_RECEIPT_TYPES,
      primaryType: "Receipt",
      message: receiptMessageOf(payload),
      signature,
    });
  } catch (error) {
    return {
      format: "eip712",
      signer: {},
      payload,
      valid: false,
      reason: `The EIP-712 signature ${signature.slice(0, 10)}… recovers no signer (${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}).`,
    };
  }
  if (expectedSigner && address.toLowerCase() !== expectedSigner.toLowerCase())
    return {
      format: "eip712",
      signer: { address },
      payload,
      valid: false,
      reason: `The EIP-712 signature recovers ${address}, not the expected signer ${expectedSigner}: the receipt was altered, signed over another domain, or signed by another key.`,
    };
  return {
    format: "eip712",
    signer: { address },
    payload,
    valid: true,
    reason: expectedSigner
      ? `The EIP-712 signature ("x402 receipt" domain) recovers the expected signer ${address}.`
      : `The EIP-712 signature ("x402 receipt" domain) recovers ${address}; an altered receipt would recover another address, so compare it with the key you expect (e.g. the payment's payTo).`,
  };
}

type ResolvedKey = { keyType: X402ReceiptKeyType; publicKey: Hex };

async function verifyJws(
  jws: string,
  given: X402ReceiptPublicKey | undefined,
  expectedSigner: Address | undefined,
): Promise<X402ReceiptVerification> {
  const { header, payload } = decodeReceiptJws(jws);
  const alg = typeof header.alg === "string" ? header.alg : undefined;
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  const signer: X402ReceiptSigner = { ...(kid !== undefined && { kid }), ...(alg !== undefined && { alg }) };
  const refuse = (reason: string): X402ReceiptVerification => ({
    format: "jws",
    signer,
    payload,
    valid: false,
    reason,
  });
  if (alg === undefined) return refuse(`The JWS header ${shown(header)} names no "alg".`);
  let key: ResolvedKey;
  try {
    key = given ? keyOfJwk(given, "The given public key") : await keyOfKid(kid);
  } catch (error) {
    if (error instanceof InvalidInputError) return refuse(error.message);
    throw error;
  }
  signer.keyType = key.keyType;
  signer.publicKey = key.publicKey;
  if (key.keyType === "secp256k1") signer.address = publicKeyToAddress(key.publicKey);
  const expectedAlg = ALG_OF_KEY[key.keyType];
  if (alg !== expectedAlg && !(key.keyType === "Ed25519" && alg === "Ed25519"))
    return refuse(`The JWS header's alg "${alg}" does not match the ${key.keyType} key; expected "${expectedAlg}".`);
  const [headerPart, payloadPart, signaturePart] = jws.split(".") as [string, string, string];
  const signingInput = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  const signature = bytesOfBase64(signaturePart);
  const ok = await verifyWithKey(key, signingInput, signature);
  const keyName = kid ? `the key of ${kid.length > 60 ? `${kid.slice(0, 60)}…` : kid}` : "the given key";
  if (!ok)
    return refuse(
      `The JWS signature (${alg}) does not verify with ${keyName}: the receipt was altered or signed by another key.`,
    );
  if (expectedSigner && signer.address?.toLowerCase() !== expectedSigner.toLowerCase())
    return refuse(
      `The JWS verifies, but its key ${signer.address ? `is ${signer.address}` : `(${key.keyType}) is no Ethereum address`}, not the expected signer ${expectedSigner}.`,
    );
  return {
    format: "jws",
    signer,
    payload,
    valid: true,
    reason: `The JWS signature (${alg}) verifies with ${keyName}${signer.address ? ` (address ${signer.address})` : ""}.`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Keys: did:key and did:jwk resolve offline; did:web would need HTTP.
// ---------------------------------------------------------------------------------------------------------------

/** Multicodec codes of public keys in did:key (varint-prefixed). */
const MULTICODEC: Record<number, X402ReceiptKeyType> = { 231: "secp256k1", 4608: "P-256", 237: "Ed25519" };

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function bytesOfBase58(text: string): Uint8Array {
  let value = 0n;
  for (const char of text) {
    const digit = BASE58.indexOf(char);
    if (digit < 0) throw new InvalidInputError(`"${char}" is not a base58btc character.`);
    value = value * 58n + BigInt(digit);
  }
  const hex = value === 0n ? "" : value.toString(16);
  const body = hexToBytes(`0x${hex.length % 2 ? `0${hex}` : hex}`);
  const zeros = text.length - text.replace(/^1+/, "").length;
  return Uint8Array.from([...new Uint8Array(zeros), ...body]);
}

/** Curve parameters for decompressing SEC1 points (both primes are 3 mod 4, so a square root is one power). */
const CURVES = {
  secp256k1: { p: 2n ** 256n - 2n ** 32n - 977n, a: 0n, b: 7n },
  "P-256": {
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    a: -3n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  },
} as const;

const modPow = (base: bigint, exponent: bigint, modulus: bigint) => {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
};

/** The uncompressed point (0x04‖x‖y) of a SEC1 key, compressed or not; throws for one off the curve. */
function uncompressedOf(curve: "secp256k1" | "P-256", bytes: Uint8Array): Hex {
  const { p, a, b } = CURVES[curve];
  const big = (slice: Uint8Array) => BigInt(bytesToHex(slice));
  let x: bigint;
  let y: bigint;
  if (bytes.length === 65 && bytes[0] === 4) {
    x = big(bytes.slice(1, 33));
    y = big(bytes.slice(33));
  } else if (bytes.length === 33 && (bytes[0] === 2 || bytes[0] === 3)) {
    x = big(bytes.slice(1));
    const rhs = (((x * x * x + a * x + b) % p) + p) % p;
    y = modPow(rhs, (p + 1n) / 4n, p);
    if ((y & 1n) !== BigInt(bytes[0] & 1)) y = p - y;
  } else throw new InvalidInputError(`A ${curve} key is 33 (compressed) or 65 bytes; got ${bytes.length}.`);
  if ((((x * x * x + a * x + b - y * y) % p) + p) % p !== 0n)
    throw new InvalidInputError(`The ${curve} key is not a point on the curve.`);
  return `0x04${x.toString(16).padStart(64, "0")}${y.toString(16).padStart(64, "0")}`;
}

function base58Of(bytes: Uint8Array): string {
  let value = bytes.length === 0 ? 0n : BigInt(bytesToHex(bytes));
  let out = "";
  while (value > 0n) {
    out = BASE58[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

const VARINT_OF: Record<X402ReceiptKeyType, number[]> = {
  secp256k1: [0xe7, 0x01],
  "P-256": [0x80, 0x24],
  Ed25519: [0xed, 0x01],
};

/**
 * The did:key URL (`did:key:z…#z…`) of a public key, as a JWS receipt's `kid`: EC keys compressed, multicodec-prefixed,
 * base58btc.
 * @example didKeyOf({ keyType: "secp256k1", publicKey: account.publicKey }) // "did:key:zQ3s…#zQ3s…"
 */
export function didKeyOf({ keyType, publicKey }: { keyType: X402ReceiptKeyType; publicKey: Hex }): string {
  let key = hexToBytes(publicKey);
  if (keyType !== "Ed25519") {
    const point = hexToBytes(uncompressedOf(keyType, key));
    key = Uint8Array.from([2 + ((point[64] as number) & 1), ...point.slice(1, 33)]);
  } else if (key.length !== 32) throw new InvalidInputError(`An Ed25519 key is 32 bytes; got ${key.length}.`);
  const id = `z${base58Of(Uint8Array.from([...VARINT_OF[keyType], ...key]))}`;
  return `did:key:${id}#${id}`;
}

async function keyOfKid(kid: string | undefined): Promise<ResolvedKey> {
  if (kid === undefined)
    throw new InvalidInputError('The JWS header names no "kid" and no public key was given; the signer is unknown.');
  const [did = ""] = kid.split("#");
  const [scheme, method, ...rest] = did.split(":");
  const identifier = rest.join(":");
  if (scheme !== "did" || !method || !identifier)
    throw new InvalidInputError(`The JWS kid "${kid}" is not a DID URL (did:<method>:<id>[#fragment]).`);
  if (method === "key") return keyOfDidKey(identifier, kid);
  if (method === "jwk") {
    const jwk = jsonOfBase64(identifier);
    if (!isObject(jwk)) throw new InvalidInputError(`The did:jwk of kid "${kid}" is not base64url of a JSON key.`);
    return keyOfJwk(jwk as X402ReceiptPublicKey, `The did:jwk key of kid "${kid}"`);
  }
  if (method === "web")
    throw new InvalidInputError(
      `The JWS kid "${kid}" is a did:web, which cannot be resolved offline (its key is in a document on https://${decodeURIComponent(identifier.split(":")[0] ?? "")}); give the public key (a JWK) to verify it.`,
    );
  throw new InvalidInputError(
    `The JWS kid "${kid}" uses did:${method}; supported offline: did:key and did:jwk (did:web with a given public key).`,
  );
}

function keyOfDidKey(identifier: string, kid: string): ResolvedKey {
  if (!identifier.startsWith("z"))
    throw new InvalidInputError(`The did:key of kid "${kid}" is not base58btc multibase (it starts with "z").`);
  let bytes: Uint8Array;
  try {
    bytes = bytesOfBase58(identifier.slice(1));
  } catch (cause) {
    throw new InvalidInputError(`The did:key of kid "${kid}" is not base58btc: ${(cause as Error).message}`, { cause });
  }
  let codec = 0;
  let offset = 0;
  for (let shift = 0; offset < Math.min(bytes.length, 3); shift += 7) {
    const byte = bytes[offset++] as number;
    codec |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
  }
  const keyType = MULTICODEC[codec];
  if (!keyType)
    throw new InvalidInputError(
      `The did:key of kid "${kid}" holds a multicodec 0x${codec.toString(16)} key; supported: secp256k1 (0xe7), P-256 (0x1200), Ed25519 (0xed).`,
    );
  const key = bytes.slice(offset);
  try {
    if (keyType === "Ed25519") {
      if (key.length !== 32) throw new InvalidInputError(`An Ed25519 key is 32 bytes; got ${key.length}.`);
      return { keyType, publicKey: bytesToHex(key) };
    }
    return { keyType, publicKey: uncompressedOf(keyType, key) };
  } catch (cause) {
    throw new InvalidInputError(`The did:key of kid "${kid}" is not a valid key: ${(cause as Error).message}`, {
      cause,
    });
  }
}

function keyOfJwk(jwk: X402ReceiptPublicKey, what: string): ResolvedKey {
  const part = (name: "x" | "y") => {
    const value = jwk[name];
    if (typeof value !== "string" || !/^[A-Za-z0-9_-]+$/.test(value))
      throw new InvalidInputError(`${what} has no base64url "${name}" (got ${shown(value)}).`);
    return bytesOfBase64(value);
  };
  try {
    if (jwk.kty === "OKP" && jwk.crv === "Ed25519") {
      const x = part("x");
      if (x.length !== 32) throw new InvalidInputError(`An Ed25519 key is 32 bytes; got ${x.length}.`);
      return { keyType: "Ed25519", publicKey: bytesToHex(x) };
    }
    if (jwk.kty === "EC" && (jwk.crv === "secp256k1" || jwk.crv === "P-256"))
      return { keyType: jwk.crv, publicKey: uncompressedOf(jwk.crv, Uint8Array.from([4, ...part("x"), ...part("y")])) };
  } catch (cause) {
    if (cause instanceof InvalidInputError && cause.message.startsWith(what)) throw cause;
    throw new InvalidInputError(`${what} is not a valid key: ${(cause as Error).message}`, { cause });
  }
  throw new InvalidInputError(
    `${what} is a ${shown(jwk.kty)} ${shown(jwk.crv)} key; supported: EC secp256k1, EC P-256, OKP Ed25519.`,
  );
}

async function verifyWithKey({ keyType, publicKey }: ResolvedKey, data: Uint8Array, signature: Uint8Array) {
  if (keyType === "secp256k1") {
    // WebCrypto has no secp256k1: recover the key for both parities and compare (viem's noble-curves).
    if (signature.length !== 64) return false;
    const hash = sha256(data);
    const r = bytesToHex(signature.slice(0, 32));
    const s = bytesToHex(signature.slice(32));
    for (const yParity of [0, 1]) {
      try {
        if ((await recoverPublicKey({ hash, signature: { r, s, yParity } })).toLowerCase() === publicKey.toLowerCase())
          return true;
      } catch {
        // Not a valid signature for this parity.
      }
    }
    return false;
  }
  const subtle = globalThis.crypto.subtle;
  // Copies on their own ArrayBuffer, as WebCrypto's BufferSource types want.
  const [raw, sig, input] = [hexToBytes(publicKey), signature, data].map((b) => Uint8Array.from(b)) as [
    Uint8Array<ArrayBuffer>,
    Uint8Array<ArrayBuffer>,
    Uint8Array<ArrayBuffer>,
  ];
  try {
    if (keyType === "P-256") {
      const key = await subtle.importKey("raw", raw, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
      return await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, sig, input);
    }
    const key = await subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
    return await subtle.verify({ name: "Ed25519" }, key, sig, input);
  } catch {
    return false;
  }
}

/**
 * The EVM chain id a CAIP-2 network names, or undefined for another namespace.
 * @example chainIdOfNetwork("eip155:8453") // 8453
 */
export function chainIdOfNetwork(network: string): number | undefined {
  const match = /^eip155:(\d+)$/.exec(network);
  return match ? Number(match[1]) : undefined;
}
