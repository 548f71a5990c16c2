import { bytesToHex, type Hex } from "viem";
import { InvalidInputError } from "../errors";

// Just enough DER (X.690) and X.509 (RFC 5280) to check an AWS Nitro certificate chain: every certificate there is
// ECDSA P-384 signed with SHA-384.

const OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const OID_ECDSA_WITH_SHA384 = "1.2.840.10045.4.3.3";
const OID_BASIC_CONSTRAINTS = "2.5.29.19";
const OID_KEY_USAGE = "2.5.29.15";
const OID_COMMON_NAME = "2.5.4.3";

/** Named curves by OID, with their WebCrypto name and scalar size in bytes. */
const CURVES: Record<string, { name: "P-256" | "P-384" | "P-521"; size: number }> = {
  "1.2.840.10045.3.1.7": { name: "P-256", size: 32 },
  "1.3.132.0.34": { name: "P-384", size: 48 },
  "1.3.132.0.35": { name: "P-521", size: 66 },
};

const ATTRIBUTE_NAMES: Record<string, string> = {
  [OID_COMMON_NAME]: "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
};

/** An X.509 certificate, the fields a chain check needs. */
export type Certificate = {
  der: Uint8Array<ArrayBuffer>;
  /** The signed part, `tbsCertificate`, as DER. */
  tbs: Uint8Array<ArrayBuffer>;
  serialNumber: Hex;
  /** The issuer and subject names as DER, compared byte for byte when chaining. */
  issuer: Uint8Array;
  subject: Uint8Array;
  /** The subject as text, e.g. `CN=aws.nitro-enclaves, OU=AWS, O=Amazon, C=US` (most specific first). */
  subjectName: string;
  /** The subject's common name, or its whole name when it has none. */
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  /** The DER SubjectPublicKeyInfo, as WebCrypto imports it. */
  subjectPublicKeyInfo: Uint8Array<ArrayBuffer>;
  /** The WebCrypto curve of an EC key; undefined for any other key. */
  curve?: "P-256" | "P-384" | "P-521";
  /** The dotted OID of the issuer's signature algorithm. */
  signatureAlgorithm: string;
  /** The signature as DER `ECDSA-Sig-Value` (for ECDSA). */
  signature: Uint8Array;
  /** basicConstraints: whether the subject is a CA, and its path length limit. */
  isCa: boolean;
  pathLength?: number;
  /** keyUsage bits (bit 0 = digitalSignature, 5 = keyCertSign); undefined when the extension is absent. */
  keyUsage?: number;
  /** OIDs of critical extensions this parser does not interpret. */
  unknownCriticalExtensions: string[];
};

type Tlv = { tag: number; start: number; contentStart: number; end: number };

function derError(bytes: Uint8Array, at: number, message: string): never {
  throw new InvalidInputError(`DER ${message} (at byte ${at} of ${bytes.length}).`);
}

function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) derError(bytes, offset, "element runs past its container");
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) derError(bytes, offset, `high tag number form (0x${tag.toString(16)}) is not supported`);
  let length = bytes[offset + 1] as number;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const size = length & 0x7f;
    if (size === 0 || size > 4) derError(bytes, offset, `length of ${size} bytes is not supported`);
    if (contentStart + size > limit) derError(bytes, offset, "length runs past its container");
    length = 0;
    for (let i = 0; i < size; i++) length = length * 256 + (bytes[contentStart + i] as number);
    contentStart += size;
  }
  const end = contentStart + length;
  if (end > limit) derError(bytes, offset, `element of ${length} bytes runs past its container`);
  return { tag, start: offset, contentStart, end };
}

/** The elements inside a constructed element. */
function childrenOf(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(bytes, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

function expectTag(bytes: Uint8Array, element: Tlv | undefined, tag: number, what: string): Tlv {
  if (!element) return derError(bytes, bytes.length, `${what} is missing`);
  if (element.tag !== tag)
    derError(bytes, element.start, `${what} has tag 0x${element.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return element;
}

function contentOf(bytes: Uint8Array, element: Tlv): Uint8Array {
  return bytes.subarray(element.contentStart, element.end);
}

function oidOf(bytes: Uint8Array, element: Tlv): string {
  const content = contentOf(bytes, element);
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

function timeOf(bytes: Uint8Array, element: Tlv): Date {
  const text = new TextDecoder().decode(contentOf(bytes, element));
  // UTCTime YYMMDDHHMMSSZ (years 1950–2049), GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5).
  const match =
    element.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) return derError(bytes, element.start, `time "${text}" is neither UTCTime nor GeneralizedTime in UTC`);
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const fullYear = element.tag === 0x17 ? ((year as number) < 50 ? 2000 : 1900) + (year as number) : (year as number);
  return new Date(Date.UTC(fullYear, (month as number) - 1, day, hour, minute, second));
}

function nameOf(bytes: Uint8Array, name: Tlv): { text: string; commonName?: string } {
  const parts: string[] = [];
  let commonName: string | undefined;
  for (const set of childrenOf(bytes, name))
    for (const attribute of childrenOf(bytes, set)) {
      const [type, value] = childrenOf(bytes, attribute);
      if (!type || !value) continue;
      const oid = oidOf(bytes, type);
      const text = new TextDecoder().decode(contentOf(bytes, value));
      if (oid === OID_COMMON_NAME) commonName = text;
      parts.push(`${ATTRIBUTE_NAMES[oid] ?? oid}=${text}`);
    }
  return { text: parts.reverse().join(", "), commonName };
}

function readExtensions(bytes: Uint8Array, wrapper: Tlv, certificate: Certificate) {
  const list = expectTag(bytes, childrenOf(bytes, wrapper)[0], 0x30, "extensions");
  for (const extension of childrenOf(bytes, list)) {
    const fields = childrenOf(bytes, extension);
    const oid = oidOf(bytes, expectTag(bytes, fields[0], 0x06, "extension id"));
    const critical = fields[1]?.tag === 0x01 && contentOf(bytes, fields[1])[0] !== 0;
    const value = expectTag(bytes, fields[fields.length - 1], 0x04, "extension value");
    const inner = readTlv(bytes, value.contentStart, value.end);
    if (oid === OID_BASIC_CONSTRAINTS) {
      for (const field of childrenOf(bytes, inner)) {
        if (field.tag === 0x01) certificate.isCa = contentOf(bytes, field)[0] !== 0;
        if (field.tag === 0x02) certificate.pathLength = Number(BigInt(bytesToHex(contentOf(bytes, field))));
      }
    } else if (oid === OID_KEY_USAGE) {
      // A BIT STRING: its first byte counts the unused bits; bit 0 is the high bit of the next byte.
      const content = contentOf(bytes, expectTag(bytes, inner, 0x03, "keyUsage"));
      let usage = 0;
      for (let bit = 0; bit < 8 * (content.length - 1); bit++)
        if (((content[1 + (bit >> 3)] as number) >> (7 - (bit & 7))) & 1) usage |= 1 << bit;
      certificate.keyUsage = usage;
    } else if (critical) {
      certificate.unknownCriticalExtensions.push(oid);
    }
  }
}

/**
 * Parses a DER X.509 certificate. Throws `InvalidInputError` naming the byte offset where the DER is malformed.
 * @example parseCertificate(certificateDerOf(AWS_NITRO_ROOT_CERTIFICATE_PEM)).commonName // "aws.nitro-enclaves"
 */
export function parseCertificate(der: Uint8Array): Certificate {
  const bytes = der.slice();
  const outer = expectTag(bytes, readTlv(bytes, 0), 0x30, "Certificate");
  if (outer.end !== bytes.length) derError(bytes, outer.end, "certificate is followed by extra bytes");
  const [tbs, signatureAlgorithm, signatureValue] = childrenOf(bytes, outer);
  expectTag(bytes, tbs, 0x30, "tbsCertificate");
  expectTag(bytes, signatureAlgorithm, 0x30, "signatureAlgorithm");
  const signatureBits = expectTag(bytes, signatureValue, 0x03, "signatureValue");

  const fields = childrenOf(bytes, tbs as Tlv);
  let index = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version, absent for v1
  const serial = expectTag(bytes, fields[index++], 0x02, "serialNumber");
  const innerAlgorithm = expectTag(bytes, fields[index++], 0x30, "signature");
  const issuer = expectTag(bytes, fields[index++], 0x30, "issuer");
  const validity = childrenOf(bytes, expectTag(bytes, fields[index++], 0x30, "validity"));
  const subject = expectTag(bytes, fields[index++], 0x30, "subject");
  const spki = expectTag(bytes, fields[index++], 0x30, "subjectPublicKeyInfo");
  const [notBefore, notAfter] = validity;
  if (!notBefore || !notAfter) derError(bytes, subject.start, "validity lacks notBefore or notAfter");

  const outerAlgorithm = bytes.subarray((signatureAlgorithm as Tlv).start, (signatureAlgorithm as Tlv).end);
  if (bytesToHex(outerAlgorithm) !== bytesToHex(bytes.subarray(innerAlgorithm.start, innerAlgorithm.end)))
    derError(bytes, innerAlgorithm.start, "tbsCertificate's signature algorithm differs from the certificate's");

  const [keyAlgorithm] = childrenOf(bytes, spki);
  const [keyType, keyParameters] = childrenOf(bytes, expectTag(bytes, keyAlgorithm, 0x30, "key algorithm"));
  const isEc = oidOf(bytes, expectTag(bytes, keyType, 0x06, "key algorithm id")) === OID_EC_PUBLIC_KEY;
  const curve = isEc && keyParameters?.tag === 0x06 ? CURVES[oidOf(bytes, keyParameters)]?.name : undefined;
  const subjectName = nameOf(bytes, subject);
  const signatureContent = contentOf(bytes, signatureBits);

  const certificate: Certificate = {
    der: bytes,
    tbs: bytes.slice((tbs as Tlv).start, (tbs as Tlv).end),
    serialNumber: bytesToHex(contentOf(bytes, serial)),
    issuer: bytes.subarray(issuer.start, issuer.end),
    subject: bytes.subarray(subject.start, subject.end),
    subjectName: subjectName.text,
    commonName: subjectName.commonName ?? subjectName.text,
    notBefore: timeOf(bytes, notBefore),
    notAfter: timeOf(bytes, notAfter),
    subjectPublicKeyInfo: bytes.slice(spki.start, spki.end),
    curve,
    signatureAlgorithm: oidOf(
      bytes,
      expectTag(bytes, childrenOf(bytes, signatureAlgorithm as Tlv)[0], 0x06, "signature algorithm id"),
    ),
    signature: signatureContent.subarray(1), // after the count of unused bits, always 0 here
    isCa: false,
    unknownCriticalExtensions: [],
  };
  const extensions = fields.slice(index).find((field) => field.tag === 0xa3);
  if (extensions) readExtensions(bytes, extensions, certificate);
  return certificate;
}

/**
 * The DER bytes of a PEM certificate (the base64 between its BEGIN/END CERTIFICATE lines), or `der` itself.
 * @example certificateDerOf("-----BEGIN CERTIFICATE-----\nMIIC…\n-----END CERTIFICATE-----")
 */
export function certificateDerOf(certificate: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof certificate !== "string") return certificate.slice();
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(certificate);
  if (!match)
    throw new InvalidInputError(
      `Certificate "${certificate.length > 60 ? `${certificate.slice(0, 60)}…` : certificate}" is not a PEM certificate (base64 between BEGIN/END CERTIFICATE lines).`,
    );
  return Uint8Array.from(atob((match[1] as string).replace(/\s/g, "")), (c) => c.charCodeAt(0));
}

/** A DER ECDSA-Sig-Value `SEQUENCE { r INTEGER, s INTEGER }` as WebCrypto's r ‖ s, each `size` bytes. */
function rawEcdsaSignatureOf(der: Uint8Array, size: number): Uint8Array<ArrayBuffer> | undefined {
  try {
    const sequence = expectTag(der, readTlv(der, 0), 0x30, "ECDSA-Sig-Value");
    const integers = childrenOf(der, sequence);
    if (integers.length !== 2 || sequence.end !== der.length) return undefined;
    const raw = new Uint8Array(2 * size);
    for (const [i, integer] of integers.entries()) {
      let value = contentOf(der, expectTag(der, integer, 0x02, "ECDSA integer"));
      while (value.length > 1 && value[0] === 0) value = value.subarray(1);
      if (value.length > size) return undefined;
      raw.set(value, (i + 1) * size - value.length);
    }
    return raw;
  } catch {
    return undefined;
  }
}

const byteEqual = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** Why `issuer`'s key does not verify `subject`'s signature (ECDSA with SHA-384), or undefined when it does. */
async function signatureFailure(subject: Certificate, issuer: Certificate): Promise<string | undefined> {
  if (subject.signatureAlgorithm !== OID_ECDSA_WITH_SHA384)
    return `is signed with algorithm ${subject.signatureAlgorithm}, expected ecdsa-with-SHA384 (${OID_ECDSA_WITH_SHA384})`;
  const curve = issuer.curve && Object.values(CURVES).find((known) => known.name === issuer.curve);
  if (!curve) return `has an issuer ("${issuer.commonName}") whose key is not an EC key on a known curve`;
  const signature = rawEcdsaSignatureOf(subject.signature, curve.size);
  if (!signature) return "has a signature that is not a DER ECDSA-Sig-Value";
  try {
    const key = await crypto.subtle.importKey(
      "spki",
      issuer.subjectPublicKeyInfo,
      { name: "ECDSA", namedCurve: curve.name },
      false,
      ["verify"],
    );
    const valid = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-384" }, key, signature, subject.tbs);
    return valid ? undefined : `is not signed by the key of "${issuer.commonName}"`;
  } catch (error) {
    return `cannot be checked: the key of "${issuer.commonName}" does not import (${(error as Error).message})`;
  }
}

const KEY_USAGE_DIGITAL_SIGNATURE = 1 << 0;
const KEY_USAGE_KEY_CERT_SIGN = 1 << 5;

/**
 * Checks that `leaf` chains to `root` through `bundle` (an AWS Nitro document's `cabundle`: the root first, then
 * intermediates, each issuing the next), every certificate valid at `at`. Each link must match names, verify with
 * ECDSA-SHA384 (WebCrypto) and respect the issuer's CA flag, key usage and path length. Resolves to the reasons the
 * chain fails, empty when it holds.
 * @example await certificateChainFailures({ leaf, bundle, root, at: new Date("2026-02-12T17:56:02Z") }) // []
 */
export async function certificateChainFailures({
  leaf,
  bundle,
  root,
  at,
}: {
  leaf: Certificate;
  bundle: readonly Certificate[];
  root: Certificate;
  at: Date;
}): Promise<string[]> {
  // The bundle normally repeats the root; the trusted copy, not the document's, anchors the chain.
  const intermediates = bundle[0] && byteEqual(bundle[0].der, root.der) ? bundle.slice(1) : bundle;
  const chain = [root, ...intermediates, leaf];
  const label = (index: number) =>
    index === 0
      ? `the root certificate "${root.commonName}"`
      : index === chain.length - 1
        ? `the document's certificate "${leaf.commonName}"`
        : `CA bundle certificate "${(chain[index] as Certificate).commonName}"`;
  const failures: string[] = [];
  const when = at.toISOString();
  for (const [index, certificate] of chain.entries()) {
    if (at < certificate.notBefore || at > certificate.notAfter)
      failures.push(
        `${label(index)} is not valid on ${when} (valid ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()})`,
      );
    if (certificate.unknownCriticalExtensions.length > 0)
      failures.push(
        `${label(index)} has unknown critical extensions ${certificate.unknownCriticalExtensions.join(", ")}`,
      );
    if (index === chain.length - 1) {
      if (certificate.keyUsage !== undefined && !(certificate.keyUsage & KEY_USAGE_DIGITAL_SIGNATURE))
        failures.push(`${label(index)} may not sign (its key usage lacks digitalSignature)`);
      continue;
    }
    if (!certificate.isCa) failures.push(`${label(index)} is not a CA (basicConstraints cA is not true)`);
    if (certificate.keyUsage !== undefined && !(certificate.keyUsage & KEY_USAGE_KEY_CERT_SIGN))
      failures.push(`${label(index)} may not issue certificates (its key usage lacks keyCertSign)`);
    const casBelow = chain.length - 2 - index;
    if (certificate.pathLength !== undefined && casBelow > certificate.pathLength)
      failures.push(`${label(index)} allows ${certificate.pathLength} CAs below it; the chain has ${casBelow}`);
  }
  for (let index = 1; index < chain.length; index++) {
    const subject = chain[index] as Certificate;
    const issuer = chain[index - 1] as Certificate;
    if (!byteEqual(subject.issuer, issuer.subject)) {
      failures.push(`${label(index)} is not issued by ${label(index - 1)} (issuer names differ)`);
      continue;
    }
    const failure = await signatureFailure(subject, issuer);
    if (failure) failures.push(`${label(index)} ${failure}`);
  }
  return failures;
}
