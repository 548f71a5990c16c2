import { constants, createHash, createPrivateKey, type KeyObject, privateEncrypt } from "node:crypto";
import {
  generateTeeKey,
  importTeePrivateKey,
  type PcrMeasurements,
  pcrHashOf,
  signInference,
  teeIdOf,
  teeMessageOf,
} from "@settlescan/abis";
import { bytesToHex, encodePacked, type Hex, hexToBytes, keccak256, stringToHex } from "viem";
import teeKeys from "./teeKeys.json";

/** What the inference server needs of a TEE enclave: the id it is registered under and its RSA-PSS signer. */
export type Enclave = {
  teeId: Hex;
  sign: (fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint }) => Promise<Hex>;
};

/**
 * The devnet's enclaves: three honest ones, one whose PCR the scenario revokes, one the scenario disables, and one
 * never registered.
 */
export type TeeKeyName = "tee-alpha" | "tee-beta" | "tee-gamma" | "tee-revoked" | "tee-disabled" | "tee-unregistered";

/** The enclave images the devnet approves: A runs every enclave but `tee-revoked`, which runs B. */
export type PcrSetName = "A" | "B";

/** An image's measurements: 48 bytes each, as AWS Nitro's SHA-384 PCRs, derived from a label so they never change. */
function pcrsOf(image: string): PcrMeasurements {
  const pcr = (index: number) => stringToHex(`settlescan devnet ${image} pcr${index}`, { size: 48 });
  return { pcr0: pcr(0), pcr1: pcr(1), pcr2: pcr(2) };
}

/** The devnet's two approved images (`approvePCR` versions "v1.0.0-a" and "v1.0.0-b"). */
export const PCR_SETS: Record<PcrSetName, PcrMeasurements & { version: string }> = {
  A: { ...pcrsOf("image A"), version: "v1.0.0-a" },
  B: { ...pcrsOf("image B"), version: "v1.0.0-b" },
};

/** Each enclave's image, and whether the deploy registers it. */
export const TEE_SETUP: Record<TeeKeyName, { pcrSet: PcrSetName; registered: boolean }> = {
  "tee-alpha": { pcrSet: "A", registered: true },
  "tee-beta": { pcrSet: "A", registered: true },
  "tee-gamma": { pcrSet: "A", registered: true },
  "tee-revoked": { pcrSet: "B", registered: true },
  "tee-disabled": { pcrSet: "A", registered: true },
  "tee-unregistered": { pcrSet: "A", registered: false },
};

/** The enclaves that stay registered, enabled and honest for the whole devnet run. */
export const HONEST_TEES: TeeKeyName[] = ["tee-alpha", "tee-beta", "tee-gamma"];

/** One of the devnet's fixed enclaves: its key, image and registration, and its signers. */
export type Tee = Enclave & {
  name: TeeKeyName;
  publicKey: Hex;
  pcrSet: PcrSetName;
  pcrs: PcrMeasurements;
  pcrHash: Hex;
  registered: boolean;
  /** RSA-PSS over `keccak256(teeId ‖ uint256 timestamp)`: what `TEERegistry.heartbeat` checks. */
  signHeartbeat: (timestamp: bigint) => Promise<Hex>;
  /**
   * `sign`, with a salt derived from the message instead of a random one: the same inference always gets the same
   * (valid) signature, so seeded scenarios give the same blobs, roots and blob ids on every run.
   */
  signReproducibly: (fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint }) => Hex;
};

/** What an enclave returns for one inference (docs/protocol.md §1). */
export type Inference = {
  output: string;
  teeId: Hex;
  inputHash: Hex;
  outputHash: Hex;
  /** Seconds since the epoch, when the enclave signed. */
  timestamp: bigint;
  /** RSA-PSS-SHA256 over `keccak256(inputHash ‖ outputHash ‖ uint256 timestamp)`. */
  signature: Hex;
};

/** RSA-PSS with a 32-byte salt, as the enclave signs. */
async function signMessage(key: CryptoKey, message: Hex): Promise<Hex> {
  const signature = await globalThis.crypto.subtle.sign(
    { name: "RSA-PSS", saltLength: 32 },
    key,
    new Uint8Array(hexToBytes(message)),
  );
  return bytesToHex(new Uint8Array(signature));
}

const sha256Of = (...parts: Uint8Array[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** MGF1 with SHA-256 (RFC 8017 B.2.1). */
function mgf1(seed: Uint8Array, length: number): Buffer {
  const mask = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  for (let offset = 0, i = 0; offset < length; offset += 32, i++) {
    counter.writeUInt32BE(i);
    sha256Of(seed, counter).copy(mask, offset);
  }
  return mask;
}

/**
 * RSA-PSS (SHA-256, MGF1-SHA-256) of a 32-byte message with the given 32-byte salt: EMSA-PSS-ENCODE (RFC 8017 9.1.1),
 * then the raw RSA private operation. WebCrypto only signs with a random salt; the signature verifies the same.
 */
function pssSignWithSalt(key: KeyObject, message: Uint8Array, salt: Uint8Array): Hex {
  const modulusBits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
  const length = Math.ceil((modulusBits - 1) / 8);
  const h = sha256Of(Buffer.alloc(8), sha256Of(message), salt);
  const db = Buffer.alloc(length - 33);
  db[db.length - salt.length - 1] = 1;
  db.set(salt, db.length - salt.length);
  const mask = mgf1(h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * length - (modulusBits - 1));
  const encoded = Buffer.concat([db, h, Buffer.from([0xbc])]);
  return bytesToHex(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, encoded));
}

/** An enclave that signs with `privateKey` (DER, PKCS#8); its teeId is the hash of its public key. */
async function enclaveOf(publicKey: Hex, privateKey: Hex) {
  const key = await importTeePrivateKey(privateKey);
  const keyObject = createPrivateKey({ key: Buffer.from(hexToBytes(privateKey)), format: "der", type: "pkcs8" });
  const teeId = teeIdOf(publicKey);
  return {
    teeId,
    sign: (fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint }) => signInference(key, fields),
    signHeartbeat: (timestamp: bigint) =>
      signMessage(key, keccak256(encodePacked(["bytes32", "uint256"], [teeId, timestamp]))),
    signReproducibly: (fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint }) => {
      const message = hexToBytes(teeMessageOf(fields));
      const salt = sha256Of(Buffer.from("settlescan devnet PSS salt"), hexToBytes(teeId), message);
      return pssSignWithSalt(keyObject, message, salt);
    },
  };
}

/** The devnet's fixed enclaves (real RSA-2048 keys checked in as fixtures, so scenario IDs are reproducible). */
export async function loadTees(): Promise<Record<TeeKeyName, Tee>> {
  const entries = await Promise.all(
    teeKeys.keys.map(async (key) => {
      const name = key.name as TeeKeyName;
      const publicKey = key.publicKey as Hex;
      const { pcrSet, registered } = TEE_SETUP[name];
      const pcrs = PCR_SETS[pcrSet];
      const tee: Tee = {
        ...(await enclaveOf(publicKey, key.privateKey as Hex)),
        name,
        publicKey,
        pcrSet,
        pcrs: { pcr0: pcrs.pcr0, pcr1: pcrs.pcr1, pcr2: pcrs.pcr2 },
        pcrHash: pcrHashOf(pcrs),
        registered,
      };
      return [name, tee] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<TeeKeyName, Tee>;
}

/** An enclave with a freshly generated RSA-2048 key, not yet registered anywhere. */
export async function createEnclave(): Promise<Enclave & { publicKey: Hex }> {
  const { publicKey, privateKey } = await generateTeeKey();
  const { teeId, sign } = await enclaveOf(publicKey, privateKey);
  return { teeId, sign, publicKey };
}

/** The devnet's "model": the prompt reversed (by code point), so outputs are deterministic and checkable. */
export function runModel(prompt: string): string {
  return [...prompt].reverse().join("");
}

/** `keccak256` of a string's UTF-8 bytes: how prompts and outputs are hashed. */
export function textHashOf(text: string): Hex {
  return keccak256(stringToHex(text));
}

/** Current time in whole seconds. */
export function nowSeconds(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}

/**
 * Runs the model inside `enclave` and signs the result, as a TEE gateway does.
 * @example const inference = await inferWith(tees["tee-alpha"], "hello")
 */
export async function inferWith(
  enclave: Enclave,
  prompt: string,
  { timestamp = nowSeconds() }: { timestamp?: bigint } = {},
): Promise<Inference> {
  const output = runModel(prompt);
  const inputHash = textHashOf(prompt);
  const outputHash = textHashOf(output);
  const signature = await enclave.sign({ inputHash, outputHash, timestamp });
  return { output, teeId: enclave.teeId, inputHash, outputHash, timestamp, signature };
}

/** The signature with its last byte flipped: still well-formed, no longer valid (the invalid-signature fault). */
export function tamperedSignatureOf(signature: Hex): Hex {
  const last = Number.parseInt(signature.slice(-2), 16);
  return `${signature.slice(0, -2)}${(last ^ 0xff).toString(16).padStart(2, "0")}` as Hex;
}
