import { generateTeeKey, importTeePrivateKey, signInference, teeIdOf } from "@settlescan/abis";
import { type Hex, keccak256, stringToHex } from "viem";

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

/** A simulated enclave: a real RSA key and a deterministic "model". */
export type Tee = {
  teeId: Hex;
  /** DER (SPKI) public key, as registered in the TeeRegistry. */
  publicKey: Hex;
  /** DER (PKCS#8) private key; the devnet keeps it so scenarios can re-sign. */
  privateKey: Hex;
  /** Runs the model and signs the result. */
  infer: (prompt: string, options?: { timestamp?: bigint }) => Promise<Inference>;
  /** Signs arbitrary hashes, for scenarios that need a signature over something the model did not produce. */
  sign: (fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint }) => Promise<Hex>;
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
 * A TEE from its DER key pair (e.g. one the deployment registered).
 * @example const tee = await teeOf(await generateTeeKey())
 */
export async function teeOf({ publicKey, privateKey }: { publicKey: Hex; privateKey: Hex }): Promise<Tee> {
  const key = await importTeePrivateKey(privateKey);
  const teeId = teeIdOf(publicKey);
  const sign: Tee["sign"] = (fields) => signInference(key, fields);
  return {
    teeId,
    publicKey,
    privateKey,
    sign,
    async infer(prompt, { timestamp = nowSeconds() } = {}) {
      const output = runModel(prompt);
      const inputHash = textHashOf(prompt);
      const outputHash = textHashOf(output);
      const signature = await sign({ inputHash, outputHash, timestamp });
      return { output, teeId, inputHash, outputHash, timestamp, signature };
    },
  };
}

/** A TEE with a freshly generated RSA-2048 key (not yet registered on chain). */
export async function createTee(): Promise<Tee> {
  return teeOf(await generateTeeKey());
}
