import { bytesToHex, decodeAbiParameters, type Hex, hexToBytes, isHex } from "viem";
import type { PcrMeasurements } from "../devnetAttestation";
import { InvalidInputError } from "../errors";
import { keccak256Of } from "../keccak";
import { type CborMap, type CborValue, decodeCbor } from "./cbor";
import { type CoseSign1, coseSign1Es384Failure, decodeCoseSign1 } from "./cose";
import { type Certificate, certificateChainFailures, certificateDerOf, parseCertificate } from "./x509";

/** The payload of an AWS Nitro attestation document (aws-nitro-enclaves-nsm-api `docs/attestation_process.md`). */
export type NitroAttestationDocument = {
  /** The enclave, e.g. `i-0340e0cb833504eb6-enc019c12d31f78864d`. */
  moduleId: string;
  /** The PCR digest algorithm, `SHA384`. */
  digest: string;
  /** When the Nitro hypervisor produced the document (millisecond precision). */
  timestamp: Date;
  /** Every PCR the document carries, by index. */
  pcrs: ReadonlyMap<number, Uint8Array>;
  /** The DER certificate whose key signed the document. */
  certificate: Uint8Array;
  /** DER certificates from the AWS root to the one that issued `certificate`. */
  cabundle: readonly Uint8Array[];
  publicKey?: Uint8Array;
  userData?: Uint8Array;
  nonce?: Uint8Array;
};

/** The hashes nitriding puts in `user_data`: `0x1220 ‖ sha256(TLS certificate DER) ‖ 0x1220 ‖ sha256(signing key DER)`. */
export type NitridingUserData = { tlsCertificateHash: Hex; signingKeyHash: Hex };

/** What a re-verification of a Nitro document found; checks not asked for (no expectation given) are null. */
export type NitroAttestationVerification = {
  /**
   * `verified`: AWS's PKI signed this document and no requested check failed; `failed`: it is a Nitro document and a
   * check failed; `unverifiable`: it is not an AWS Nitro document at all (e.g. the devnet's).
   */
  result: "verified" | "failed" | "unverifiable";
  /** Why it is not `verified`, one sentence each; empty when it is. */
  reasons: string[];
  moduleId?: string;
  timestamp?: Date;
  pcrs?: PcrMeasurements;
  /** `keccak256(pcr0 ‖ pcr1 ‖ pcr2)`, the registry's `pcrHash`. */
  pcrHash?: Hex;
  userData?: Hex;
  /** `userData` read as nitriding's two hashes, when it has that layout. */
  userDataHashes?: NitridingUserData;
  publicKey?: Hex;
  nonce?: Hex;
  /** The time the certificates were checked as of: `at`, else the document's own timestamp. */
  certificatesCheckedAt?: Date;
  checks: {
    /** The COSE_Sign1 signature verifies with the document's certificate (ES384). */
    signature: boolean | null;
    /** That certificate chains to the trusted root through the CA bundle, each valid at `certificatesCheckedAt`. */
    chain: boolean | null;
    /** `userData` commits to the expected signing key and TLS certificate; null when neither was given. */
    userDataBindsKey: boolean | null;
    /** `pcrHash` is among `approvedPcrHashes`; null when none were given. */
    pcrApproved: boolean | null;
  };
};

export type VerifyNitroAttestationOptions = {
  /** The trusted root, PEM or DER: normally `AWS_NITRO_ROOT_CERTIFICATE_PEM`. */
  rootCertificate: string | Uint8Array;
  /**
   * When the certificates must be valid. Nitro's leaf and intermediate certificates live hours to days, so checking
   * against today would fail every old registration: the default is the document's own timestamp; pass the
   * registration's block time to require that the document was fresh when it was registered.
   */
  at?: Date;
  /** The DER SubjectPublicKeyInfo registered as the enclave's signing key (its keccak256 is the teeId). */
  expectedSigningKeyDer?: Hex | Uint8Array;
  /** The DER TLS certificate registered beside it. */
  expectedTlsCertDer?: Hex | Uint8Array;
  /** The registry's approved PCR hashes for the enclave's TEE type. */
  approvedPcrHashes?: readonly Hex[];
};

const NOT_NITRO = "not an AWS Nitro attestation document";
const NITRIDING_USER_DATA_LENGTH = 68;
const MULTIHASH_SHA256 = [0x12, 0x20] as const;

function optionalBytes(map: CborMap, key: string): Uint8Array | undefined {
  const value = map.get(key);
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof Uint8Array)) throw new InvalidInputError(`Its ${key} is not a byte string.`);
  return value;
}

function requiredBytes(map: CborMap, key: string): Uint8Array {
  const value = optionalBytes(map, key);
  if (!value || value.length === 0) throw new InvalidInputError(`It has no ${key} (a non-empty byte string).`);
  return value;
}

/**
 * Reads the fields of a Nitro attestation document from its COSE_Sign1 payload. Throws `InvalidInputError` saying
 * which field is missing or malformed.
 */
export function parseNitroAttestationDocument(payload: Uint8Array): NitroAttestationDocument {
  const map = decodeCbor(payload);
  if (!(map instanceof Map)) throw new InvalidInputError("Its payload is not a CBOR map.");
  const moduleId = map.get("module_id");
  if (typeof moduleId !== "string" || moduleId === "")
    throw new InvalidInputError("It has no module_id (a non-empty text string).");
  const digest = map.get("digest");
  if (typeof digest !== "string") throw new InvalidInputError("It has no digest (a text string such as SHA384).");
  const timestamp = map.get("timestamp");
  if (typeof timestamp !== "number" || timestamp <= 0)
    throw new InvalidInputError(`Its timestamp ${String(timestamp)} is not a positive number of milliseconds.`);
  const pcrMap = map.get("pcrs");
  if (!(pcrMap instanceof Map)) throw new InvalidInputError("It has no pcrs (a map from index to measurement).");
  const pcrs = new Map<number, Uint8Array>();
  for (const [index, value] of pcrMap) {
    if (typeof index !== "number" || index < 0 || index > 31 || !(value instanceof Uint8Array))
      throw new InvalidInputError(`Its PCR ${String(index)} is not an index 0–31 with a byte string.`);
    pcrs.set(index, value);
  }
  const cabundle = map.get("cabundle");
  if (
    !Array.isArray(cabundle) ||
    cabundle.length === 0 ||
    !(cabundle as readonly CborValue[]).every((c) => c instanceof Uint8Array)
  )
    throw new InvalidInputError("It has no cabundle (a non-empty array of DER certificates).");
  return {
    moduleId,
    digest,
    timestamp: new Date(timestamp),
    pcrs,
    certificate: requiredBytes(map, "certificate"),
    cabundle: cabundle as readonly Uint8Array[],
    publicKey: optionalBytes(map, "public_key"),
    userData: optionalBytes(map, "user_data"),
    nonce: optionalBytes(map, "nonce"),
  };
}

/** nitriding's two hashes, or undefined when `userData` does not have its 68-byte multihash layout. */
export function nitridingUserDataOf(userData: Uint8Array | undefined): NitridingUserData | undefined {
  if (!userData || userData.length !== NITRIDING_USER_DATA_LENGTH) return undefined;
  const multihashAt = (offset: number) =>
    userData[offset] === MULTIHASH_SHA256[0] && userData[offset + 1] === MULTIHASH_SHA256[1];
  if (!multihashAt(0) || !multihashAt(34)) return undefined;
  return {
    tlsCertificateHash: bytesToHex(userData.subarray(2, 34)),
    signingKeyHash: bytesToHex(userData.subarray(36)),
  };
}

async function sha256Hex(bytes: Hex | Uint8Array): Promise<Hex> {
  const data = (typeof bytes === "string" ? hexToBytes(bytes) : bytes).slice();
  return bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
}

/** The devnet's stand-in, `abi.encode(bytes pcr0, bytes pcr1, bytes pcr2, bytes32 keyHash)` (devnetAttestation.ts). */
function isDevnetDocument(bytes: Uint8Array): boolean {
  try {
    decodeAbiParameters(
      [{ type: "bytes" }, { type: "bytes" }, { type: "bytes" }, { type: "bytes32" }],
      bytesToHex(bytes),
    );
    return true;
  } catch {
    return false;
  }
}

function unverifiable(reason: string): NitroAttestationVerification {
  return {
    result: "unverifiable",
    reasons: [`${NOT_NITRO}: ${reason}`],
    checks: { signature: null, chain: null, userDataBindsKey: null, pcrApproved: null },
  };
}

/** Why `userData` does not commit to the expected key and certificate; null when neither was given. */
async function bindingFailures(
  userData: Uint8Array | undefined,
  { expectedSigningKeyDer, expectedTlsCertDer }: VerifyNitroAttestationOptions,
): Promise<string[] | null> {
  if (expectedSigningKeyDer === undefined && expectedTlsCertDer === undefined) return null;
  const hashes = nitridingUserDataOf(userData);
  if (!hashes)
    return [
      `its user data (${userData ? `${userData.length} bytes` : "absent"}) is not nitriding's 0x1220 ‖ sha256(TLS certificate) ‖ 0x1220 ‖ sha256(signing key), so it binds no key`,
    ];
  const failures: string[] = [];
  if (expectedSigningKeyDer !== undefined) {
    const hash = await sha256Hex(expectedSigningKeyDer);
    if (hash !== hashes.signingKeyHash)
      failures.push(
        `its user data commits to the signing key with SHA-256 ${hashes.signingKeyHash}, not to the registered key (SHA-256 ${hash})`,
      );
  }
  if (expectedTlsCertDer !== undefined) {
    const hash = await sha256Hex(expectedTlsCertDer);
    if (hash !== hashes.tlsCertificateHash)
      failures.push(
        `its user data commits to the TLS certificate with SHA-256 ${hashes.tlsCertificateHash}, not to the registered certificate (SHA-256 ${hash})`,
      );
  }
  return failures;
}

async function signatureFailures(message: CoseSign1, leaf: Certificate | undefined): Promise<string[]> {
  if (!leaf) return ["its signature cannot be checked: its certificate does not parse"];
  if (leaf.curve !== "P-384")
    return [`its certificate "${leaf.commonName}" holds no P-384 key, so it cannot have signed an ES384 document`];
  const failure = await coseSign1Es384Failure(message, leaf.subjectPublicKeyInfo);
  return failure ? [`its signature does not verify: ${failure}`] : [];
}

/**
 * Re-verifies an AWS Nitro attestation document (raw COSE_Sign1 bytes, as `registerTEEWithAttestation` takes them):
 * the ES384 signature, the certificate chain to `rootCertificate` as of the document's time (or `at`), and, when
 * given, that its user data commits to the registered signing key and TLS certificate and that its PCRs are
 * approved. Pure WebCrypto, so browsers can run it. A document that is not a Nitro document resolves to
 * `unverifiable`; it never throws for a bad document (only for a bad `rootCertificate`).
 * @example
 * await verifyNitroAttestation(attestationDoc, {
 *   rootCertificate: AWS_NITRO_ROOT_CERTIFICATE_PEM,
 *   at: registrationTime,
 *   expectedSigningKeyDer: signingPublicKey,
 *   approvedPcrHashes: [pcrHash],
 * }) // { result: "verified", reasons: [], moduleId: "i-…-enc…", pcrHash: "0x…", … }
 */
export async function verifyNitroAttestation(
  document: Uint8Array | Hex,
  options: VerifyNitroAttestationOptions,
): Promise<NitroAttestationVerification> {
  const root = parseCertificate(certificateDerOf(options.rootCertificate));
  if (typeof document === "string" && !(isHex(document, { strict: true }) && document.length % 2 === 0))
    return unverifiable(`"${document.length > 40 ? `${document.slice(0, 40)}…` : document}" is not hex bytes`);
  const bytes = typeof document === "string" ? hexToBytes(document) : document;

  let message: CoseSign1;
  let parsed: NitroAttestationDocument;
  try {
    message = decodeCoseSign1(bytes);
  } catch (error) {
    if (isDevnetDocument(bytes)) return unverifiable("the devnet's documents are not signed by AWS");
    return unverifiable(`it is not a COSE_Sign1 message (${(error as Error).message})`);
  }
  try {
    parsed = parseNitroAttestationDocument(message.payload);
  } catch (error) {
    return unverifiable(`its COSE_Sign1 payload is not a Nitro document. ${(error as Error).message}`);
  }

  const pcr0 = parsed.pcrs.get(0);
  const pcr1 = parsed.pcrs.get(1);
  const pcr2 = parsed.pcrs.get(2);
  const pcrs =
    pcr0 && pcr1 && pcr2 ? { pcr0: bytesToHex(pcr0), pcr1: bytesToHex(pcr1), pcr2: bytesToHex(pcr2) } : undefined;
  const pcrHash = pcr0 && pcr1 && pcr2 ? keccak256Of(Uint8Array.from([...pcr0, ...pcr1, ...pcr2])) : undefined;
  const at = options.at ?? parsed.timestamp;

  const reasons: string[] = [];
  let leaf: Certificate | undefined;
  try {
    leaf = parseCertificate(parsed.certificate);
  } catch (error) {
    reasons.push(`its certificate is not an X.509 certificate: ${(error as Error).message}`);
  }
  const signature = await signatureFailures(message, leaf);
  reasons.push(...signature);

  const chain: string[] = [];
  const bundle: Certificate[] = [];
  for (const [index, der] of parsed.cabundle.entries()) {
    try {
      bundle.push(parseCertificate(der));
    } catch (error) {
      chain.push(`its CA bundle certificate ${index} is not an X.509 certificate: ${(error as Error).message}`);
    }
  }
  if (leaf && chain.length === 0) chain.push(...(await certificateChainFailures({ leaf, bundle, root, at })));
  else if (!leaf) chain.push("its certificate chain cannot be checked: its certificate does not parse");
  reasons.push(...chain.map((failure) => `its certificate chain fails: ${failure}`));

  const binding = await bindingFailures(parsed.userData, options);
  reasons.push(...(binding ?? []));

  let pcrApproved: boolean | null = null;
  if (options.approvedPcrHashes) {
    const approved = options.approvedPcrHashes.map((hash) => hash.toLowerCase());
    pcrApproved = pcrHash !== undefined && approved.includes(pcrHash);
    if (!pcrs) reasons.push("its PCR approval cannot be checked: it lacks PCR 0, 1 or 2");
    else if (!pcrApproved)
      reasons.push(`its pcrHash ${pcrHash} is not among the ${approved.length} approved PCR hashes`);
  }

  const checks = {
    signature: signature.length === 0,
    chain: chain.length === 0,
    userDataBindsKey: binding && binding.length === 0,
    pcrApproved,
  };
  return {
    result: reasons.length === 0 ? "verified" : "failed",
    reasons,
    moduleId: parsed.moduleId,
    timestamp: parsed.timestamp,
    pcrs,
    pcrHash,
    userData: parsed.userData && bytesToHex(parsed.userData),
    userDataHashes: nitridingUserDataOf(parsed.userData),
    publicKey: parsed.publicKey && bytesToHex(parsed.publicKey),
    nonce: parsed.nonce && bytesToHex(parsed.nonce),
    certificatesCheckedAt: at,
    checks,
  };
}
