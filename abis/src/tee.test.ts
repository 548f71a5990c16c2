import { type Hex, keccak256 } from "viem";
import { describe, expect, test } from "vitest";
import { generateTeeKey, importTeePrivateKey, signInference, teeIdOf, verifyTeeSignature } from "./tee";
import vectors from "./vectors.json";

const fields = (i: number) => {
  const { inputHash, outputHash, timestamp } = vectors.receipts[i]!.inference;
  return { inputHash: inputHash as Hex, outputHash: outputHash as Hex, timestamp: BigInt(timestamp) };
};

describe("shared vector", () => {
  test("default: the vector's signatures verify with its public key", async () => {
    for (const [i, receipt] of vectors.receipts.entries()) {
      const ok = await verifyTeeSignature({
        publicKey: vectors.tee.publicKey as Hex,
        signature: receipt.leaf.signature as Hex,
        ...fields(i),
      });
      expect(ok).toBe(true);
    }
  });

  test("default: teeId is keccak256 of the DER public key", () => {
    expect(teeIdOf(vectors.tee.publicKey as Hex)).toBe(vectors.tee.teeId);
    expect(keccak256(vectors.tee.publicKey as Hex)).toBe(vectors.tee.teeId);
  });

  test("behavior: a signature over another inference does not verify", async () => {
    const signature = vectors.receipts[0]!.leaf.signature as Hex;
    expect(await verifyTeeSignature({ publicKey: vectors.tee.publicKey as Hex, signature, ...fields(1) })).toBe(false);
  });
});

describe("round trip", async () => {
  const tee = await generateTeeKey();
  const privateKey = await importTeePrivateKey(tee.privateKey);

  test("default: sign then verify", async () => {
    const signature = await signInference(privateKey, fields(0));
    expect(signature.length).toBe(2 + 2 * 256);
    expect(await verifyTeeSignature({ publicKey: tee.publicKey, signature, ...fields(0) })).toBe(true);
  });

  test("behavior: tampered signature byte is detected", async () => {
    const signature = await signInference(privateKey, fields(0));
    const flipped = `${signature.slice(0, 100)}${signature[100] === "0" ? "1" : "0"}${signature.slice(101)}` as Hex;
    expect(await verifyTeeSignature({ publicKey: tee.publicKey, signature: flipped, ...fields(0) })).toBe(false);
  });

  test("behavior: tampered timestamp is detected", async () => {
    const signature = await signInference(privateKey, fields(0));
    const changed = { ...fields(0), timestamp: fields(0).timestamp + 1n };
    expect(await verifyTeeSignature({ publicKey: tee.publicKey, signature, ...changed })).toBe(false);
  });

  test("behavior: another enclave's key does not verify", async () => {
    const signature = await signInference(privateKey, fields(0));
    expect(await verifyTeeSignature({ publicKey: vectors.tee.publicKey as Hex, signature, ...fields(0) })).toBe(false);
  });

  test("args: malformed signature hex is false", async () => {
    expect(await verifyTeeSignature({ publicKey: tee.publicKey, signature: "0xabc" as Hex, ...fields(0) })).toBe(false);
  });

  test("args: a public key that is not DER", async () => {
    await expect(
      verifyTeeSignature({ publicKey: "0x1234", signature: "0x00", ...fields(0) }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: TEE public key "0x1234…" is not a DER-encoded (SPKI) RSA public key.]`,
    );
  });
});
