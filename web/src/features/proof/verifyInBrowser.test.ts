import vectors from "@settlescan/abis/vectors.json";
import { describe, expect, test } from "vitest";
import {
  type ApiLeaf,
  checkAttestationInBrowser,
  checkInclusionInBrowser,
  flipHexDigit,
  leafOf,
  recomputeRoot,
  tamperedOf,
} from "./verifyInBrowser";

// The abis package's pinned vectors: three receipts signed by one enclave, batched into one StandardMerkleTree.
const isoOf = (seconds: string) => new Date(Number(seconds) * 1000).toISOString();
const LEAVES: ApiLeaf[] = vectors.receipts.map(({ leaf }) => ({ ...leaf, timestamp: isoOf(leaf.timestamp) }));
const ROOT = vectors.merkle.root;
const PUBLIC_KEY = vectors.tee.publicKey;
const leafAt = (i: number) => LEAVES[i]!;
const proofAt = (i: number) => vectors.merkle.proofs[i]!;

test("leafOf: recovers the signed uint256 timestamp from ISO chain time", () => {
  expect(leafOf(leafAt(0)).timestamp).toBe(BigInt(vectors.receipts[0]!.leaf.timestamp));
  expect(leafOf(leafAt(0)).amount).toBe(BigInt(vectors.receipts[0]!.leaf.amount));
});

describe("checkInclusionInBrowser", () => {
  test("default: every vector leaf with its proof gives the root", () => {
    for (const [i, leaf] of LEAVES.entries()) {
      const check = checkInclusionInBrowser({ kind: "batch", leaf, proof: proofAt(i), merkleRoot: ROOT });
      expect(check.status).toBe("pass");
      expect(check.reason).toContain(vectors.receipts[i]!.leafHash);
    }
  });

  test("behavior: a tampered proof fails", () => {
    const tampered = tamperedOf({ leaf: leafAt(0), proof: proofAt(0) });
    expect(tampered.what).toBe("one bit of the first proof node");
    const check = checkInclusionInBrowser({ kind: "batch", ...tampered, merkleRoot: ROOT });
    expect(check).toEqual({
      status: "fail",
      reason: `Leaf hash ${vectors.receipts[0]!.leafHash} with its 2-step proof does not give the batch root ${ROOT}.`,
    });
  });

  test("behavior: a tampered leaf amount fails", () => {
    const leaf = { ...leafAt(1), amount: "999999" };
    expect(checkInclusionInBrowser({ kind: "batch", leaf, proof: proofAt(1), merkleRoot: ROOT }).status).toBe("fail");
  });

  test("behavior: individual settlements have no proof to check", () => {
    const check = checkInclusionInBrowser({ kind: "individual", leaf: leafAt(0), proof: [], merkleRoot: null });
    expect(check.status).toBe("na");
  });

  test("args: malformed proof node fails, never throws", () => {
    const check = checkInclusionInBrowser({ kind: "batch", leaf: leafAt(0), proof: ["0x12"], merkleRoot: ROOT });
    expect(check.status).toBe("fail");
  });
});

describe("checkAttestationInBrowser", () => {
  test("default: the vector signature verifies with the registered key", async () => {
    for (const leaf of LEAVES)
      expect(await checkAttestationInBrowser({ leaf, publicKey: PUBLIC_KEY })).toEqual({
        status: "pass",
        reason: "The RSA-PSS signature verifies with the registered public key.",
      });
  });

  test("behavior: a tampered signature fails", async () => {
    const { leaf } = tamperedOf({ leaf: leafAt(0), proof: [] });
    expect((await checkAttestationInBrowser({ leaf, publicKey: PUBLIC_KEY })).status).toBe("fail");
  });

  test("behavior: a changed output hash fails", async () => {
    const leaf = { ...leafAt(0), outputHash: flipHexDigit(leafAt(0).outputHash) };
    expect(await checkAttestationInBrowser({ leaf, publicKey: PUBLIC_KEY })).toEqual({
      status: "fail",
      reason: "The RSA-PSS signature does not verify with the registered public key.",
    });
  });

  test("behavior: unregistered enclave", async () => {
    expect(await checkAttestationInBrowser({ leaf: leafAt(0), publicKey: null })).toEqual({
      status: "fail",
      reason: `Enclave ${vectors.tee.teeId} is not in the TeeRegistry.`,
    });
  });

  test("behavior: a key that does not hash to the teeId", async () => {
    const leaf = { ...leafAt(0), teeId: flipHexDigit(leafAt(0).teeId) };
    const check = await checkAttestationInBrowser({ leaf, publicKey: PUBLIC_KEY });
    expect(check.reason).toBe(`The registered public key hashes to ${vectors.tee.teeId}, not to teeId ${leaf.teeId}.`);
  });
});

test("recomputeRoot: the batch root from its leaves", () => {
  expect(recomputeRoot(LEAVES)).toBe(ROOT);
  expect(recomputeRoot([])).toBeNull();
});

test("flipHexDigit: changes exactly one digit", () => {
  expect(flipHexDigit("0xabcd")).toBe("0xabcc");
  expect(flipHexDigit("0xabcd", 0)).toBe("0xbbcd");
});
