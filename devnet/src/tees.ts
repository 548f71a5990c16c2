import { importTeePrivateKey, signInference, teeIdOf } from "@settlescan/abis";
import { concat, type Hex } from "viem";
import teeKeys from "./teeKeys.json";

export type TeeKeyName = "tee-alpha" | "tee-beta" | "tee-gamma" | "tee-revoked" | "tee-mismatch";

/** An enclave of the devnet: its key, the teeId it claims, and a signer. */
export type Tee = {
  name: TeeKeyName;
  /** The id the enclave claims and is registered under. */
  teeId: Hex;
  publicKey: Hex;
  sign: (fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint }) => Promise<Hex>;
};

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
      const privateKey = await importTeePrivateKey(key.privateKey as Hex);
      const tee: Tee = {
        name: key.name as TeeKeyName,
        teeId: registeredTeeIdOf(key as { name: string; publicKey: Hex }),
        publicKey: key.publicKey as Hex,
        sign: (fields) => signInference(privateKey, fields),
      };
      return [key.name, tee] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<TeeKeyName, Tee>;
}
