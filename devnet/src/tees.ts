import { generateTeeKey, importTeePrivateKey, signInference, teeIdOf } from "@settlescan/abis";
import { concat, type Hex, keccak256, stringToHex } from "viem";
import teeKeys from "./teeKeys.json";

/** What the inference server needs of a TEE enclave: the id it is registered under and its RSA-PSS signer. */
export type Enclave = {
  teeId: Hex;
  sign: (fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint }) => Promise<Hex>;
};

export type TeeKeyName = "tee-alpha" | "tee-beta" | "tee-gamma" | "tee-revoked" | "tee-mismatch";

/** One of the devnet's fixed enclaves: its name and public key, the teeId it claims, and its signer. */
export type Tee = Enclave & { name: TeeKeyName; publicKey: Hex };

/** What an enclave returns for one inference (DESIGN.md §1.3). */
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

/** An enclave that signs with `privateKey` (DER, PKCS#8) under `teeId`. */
async function enclaveOf(teeId: Hex, privateKey: Hex): Promise<Enclave> {
  const key = await importTeePrivateKey(privateKey);
  return { teeId, sign: (fields) => signInference(key, fields) };
}

/**
 * The id a devnet TEE is registered under. "tee-mismatch" is registered under an id that is not the hash of its
 * key, so the indexer's `keccak256(publicKey) == teeId` check has a case to catch.
 */
export function registeredTeeIdOf(key: { name: string; publicKey: Hex }): Hex {
  return key.name === "tee-mismatch" ? teeIdOf(concat([key.publicKey, "0x00"])) : teeIdOf(key.publicKey);
}

/** The devnet's fixed enclaves (real RSA-2048 keys checked in as fixtures, so scenario IDs are reproducible). */
export async function loadTees(): Promise<Record<TeeKeyName, Tee>> {
  const entries = await Promise.all(
    teeKeys.keys.map(async (key) => {
      const name = key.name as TeeKeyName;
      const publicKey = key.publicKey as Hex;
      const enclave = await enclaveOf(registeredTeeIdOf({ name, publicKey }), key.privateKey as Hex);
      return [name, { ...enclave, name, publicKey } satisfies Tee] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<TeeKeyName, Tee>;
}

/** An enclave with a freshly generated RSA-2048 key, not yet registered anywhere. */
export async function createEnclave(): Promise<Enclave & { publicKey: Hex }> {
  const { teeId, publicKey, privateKey } = await generateTeeKey();
  return { ...(await enclaveOf(teeId, privateKey)), publicKey };
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
