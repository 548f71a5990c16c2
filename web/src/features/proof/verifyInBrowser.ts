import {
  type Leaf,
  leafHashOf,
  merkleTreeOfHashes,
  teeIdOf,
  verifyMerkleProof,
  verifyTeeSignature,
} from "@settlescan/abis";
import type { Hex } from "viem";

// The checks below call the same pure functions the indexer runs (@settlescan/abis), in the browser's WebCrypto,
// so a reader does not have to trust the indexer's verdict.

/** A leaf as the API returns it: hex strings, the amount as a decimal string, the timestamp as ISO 8601. */
export type ApiLeaf = {
  paymentId: string;
  amount: string;
  teeId: string;
  inputHash: string;
  outputHash: string;
  signature: string;
  timestamp: string;
};

/** The outcome of one check run in the browser; `na` when the check has nothing to run on (no Merkle proof). */
export type BrowserCheck = { status: "pass" | "fail" | "na"; reason: string };

/**
 * The settlement leaf the API describes, as the abis package types it. The timestamp is chain time in whole
 * seconds (the API's DateTime), so the uint256 the enclave signed is recovered exactly.
 */
export function leafOf(leaf: ApiLeaf): Leaf {
  const ms = Date.parse(leaf.timestamp);
  if (Number.isNaN(ms)) throw new Error(`Leaf timestamp "${leaf.timestamp}" is not an ISO 8601 date-time.`);
  return {
    paymentId: leaf.paymentId as Hex,
    amount: BigInt(leaf.amount),
    teeId: leaf.teeId as Hex,
    inputHash: leaf.inputHash as Hex,
    outputHash: leaf.outputHash as Hex,
    signature: leaf.signature as Hex,
    timestamp: BigInt(Math.floor(ms / 1000)),
  };
}

/**
 * Re-checks Merkle inclusion: the leaf hashed the StandardMerkleTree way, folded with the proof, must give the root
 * the batch event claims. Individual settlements carry the leaf in the event and have no proof to fold.
 * @example checkInclusionInBrowser({ kind: "batch", leaf, proof, merkleRoot })
 */
export function checkInclusionInBrowser({
  kind,
  leaf,
  proof,
  merkleRoot,
}: {
  kind: "batch" | "individual";
  leaf: ApiLeaf;
  proof: readonly string[];
  merkleRoot: string | null | undefined;
}): BrowserCheck {
  if (kind === "individual")
    return { status: "na", reason: "Individual settlement: the event carries the leaf itself; there is no proof." };
  if (!merkleRoot) return { status: "fail", reason: "The batch has no Merkle root to check against." };
  let leafHash: Hex;
  try {
    leafHash = leafHashOf(leafOf(leaf));
  } catch (error) {
    return { status: "fail", reason: `The leaf cannot be encoded: ${(error as Error).message}` };
  }
  const steps = `${proof.length}-step proof`;
  if (verifyMerkleProof({ leafHash, proof: proof as Hex[], root: merkleRoot as Hex }))
    return { status: "pass", reason: `Leaf hash ${leafHash} with its ${steps} gives the batch root.` };
  return {
    status: "fail",
    reason: `Leaf hash ${leafHash} with its ${steps} does not give the batch root ${merkleRoot}.`,
  };
}

/**
 * Re-checks the enclave's attestation: the registered public key hashes to the teeId, and its RSA-PSS-SHA256
 * signature over keccak256(inputHash ‖ outputHash ‖ timestamp) verifies. Whether the enclave was registered and
 * not revoked at the settlement's block is the indexer's record, shown beside this.
 */
export async function checkAttestationInBrowser({
  leaf,
  publicKey,
}: {
  leaf: ApiLeaf;
  publicKey: string | null | undefined;
}): Promise<BrowserCheck> {
  if (!publicKey) return { status: "fail", reason: `Enclave ${leaf.teeId} is not in the TeeRegistry.` };
  const keyId = teeIdOf(publicKey as Hex);
  if (keyId.toLowerCase() !== leaf.teeId.toLowerCase())
    return { status: "fail", reason: `The registered public key hashes to ${keyId}, not to teeId ${leaf.teeId}.` };
  let fields: Leaf;
  try {
    fields = leafOf(leaf);
  } catch (error) {
    return { status: "fail", reason: (error as Error).message };
  }
  try {
    const valid = await verifyTeeSignature({ publicKey: publicKey as Hex, ...fields });
    return valid
      ? { status: "pass", reason: "The RSA-PSS signature verifies with the registered public key." }
      : { status: "fail", reason: "The RSA-PSS signature does not verify with the registered public key." };
  } catch (error) {
    return { status: "fail", reason: (error as Error).message };
  }
}

/**
 * The Merkle root of a batch recomputed from its leaves, in calldata order, the StandardMerkleTree way.
 * @example recomputeRoot(settlement.leaves) === settlement.merkleRoot
 */
export function recomputeRoot(leaves: readonly ApiLeaf[]): Hex | null {
  if (leaves.length === 0) return null;
  return merkleTreeOfHashes(leaves.map((leaf) => leafHashOf(leafOf(leaf)))).root;
}

/** `hex` with the hex digit at `index` (counted after 0x, default the last) changed: a one-bit tamper. */
export function flipHexDigit(hex: string, index = hex.length - 3): string {
  const at = 2 + index;
  const digit = Number.parseInt(hex[at] ?? "0", 16);
  return hex.slice(0, at) + (digit ^ 1).toString(16) + hex.slice(at + 1);
}

/**
 * A one-bit tamper of what the trail verifies, to show that the browser's checks fail on it: the first proof node
 * for a batch, or the signature for an individual settlement (which has no proof).
 */
export function tamperedOf<T extends { proof: readonly string[]; leaf: ApiLeaf }>(input: T): T & { what: string } {
  const [first, ...rest] = input.proof;
  if (first) return { ...input, proof: [flipHexDigit(first), ...rest], what: "one bit of the first proof node" };
  return {
    ...input,
    leaf: { ...input.leaf, signature: flipHexDigit(input.leaf.signature) },
    what: "one bit of the enclave's signature",
  };
}
