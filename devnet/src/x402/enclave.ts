import { generateTeeKey, importTeePrivateKey, signInference } from "@settlescan/abis";
import { type Hex, keccak256, stringToHex } from "viem";

/** What the inference server needs of a TEE: the id it is registered under and its RSA-PSS signer. */
export type Enclave = {
  teeId: Hex;
  sign: (fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint }) => Promise<Hex>;
};

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

/** An enclave with a freshly generated RSA-2048 key, not yet registered anywhere. */
export async function createEnclave(): Promise<Enclave & { publicKey: Hex }> {
  const { teeId, publicKey, privateKey } = await generateTeeKey();
  const key = await importTeePrivateKey(privateKey);
  return { teeId, publicKey, sign: (fields) => signInference(key, fields) };
}
