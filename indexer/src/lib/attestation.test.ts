import { generateKeyPairSync, type KeyObject } from "node:crypto";
import {
  generateTeeKey,
  importTeePrivateKey,
  importTeePublicKey,
  signInference,
  teeIdOf,
  verifyTeeSignature,
} from "@settlescan/abis";
import vectors from "@settlescan/abis/vectors.json";
import { bytesToHex, concat, type Hex } from "viem";
import { describe, expect, test } from "vitest";
import { attestationCheckOf } from "./attestation";
import type { TeeStatusChange } from "./teeStatus";

const receipt = vectors.receipts[0]!;
const tee = {
  teeId: vectors.tee.teeId as Hex,
  publicKey: vectors.tee.publicKey as Hex,
  history: [{ kind: "registered", block: "5", logIndex: 0, tx: "0x0a" }] as TeeStatusChange[],
};
const args = {
  tee,
  at: { block: 10n, logIndex: 0 },
  teeId: tee.teeId,
  signature: receipt.leaf.signature as Hex,
  inputHash: receipt.inference.inputHash as Hex,
  outputHash: receipt.inference.outputHash as Hex,
  timestamp: BigInt(receipt.inference.timestamp),
};

describe("attestationCheckOf", () => {
  test("default: the shared vector attests", async () => {
    expect(await attestationCheckOf(args)).toEqual({ ok: true, reason: null });
  });

  test("behavior: unregistered enclave", async () => {
    expect((await attestationCheckOf({ ...args, tee: null })).reason).toBe(
      `Enclave ${tee.teeId} is not registered in the TEE registry at block 10.`,
    );
    expect((await attestationCheckOf({ ...args, at: { block: 5n, logIndex: 0 } })).ok).toBe(false);
  });

  test("behavior: disabled enclave, and one whose PCR was revoked", async () => {
    const disabled = { kind: "disabled", block: "7", logIndex: 2, tx: "0x0b" } as const;
    const result = await attestationCheckOf({ ...args, tee: { ...tee, history: [...tee.history, disabled] } });
    expect(result.reason).toBe(`Enclave ${tee.teeId} was disabled at block 7 (tx 0x0b), before this settlement.`);
    const revoked = { ...disabled, kind: "pcr_revoked" } as const;
    expect((await attestationCheckOf({ ...args, tee: { ...tee, history: [...tee.history, revoked] } })).reason).toBe(
      `Enclave ${tee.teeId} stopped running an approved image (its PCR was revoked) at block 7 (tx 0x0b), before this settlement.`,
    );
    // A change after the settlement does not count.
    const later = { ...disabled, block: "10", logIndex: 1 };
    expect((await attestationCheckOf({ ...args, tee: { ...tee, history: [...tee.history, later] } })).ok).toBe(true);
  });

  test("behavior: registered key that does not hash to the id", async () => {
    const other = await generateTeeKey();
    const result = await attestationCheckOf({ ...args, tee: { ...tee, publicKey: other.publicKey } });
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/hashes to .* not to its id/);
  });

  test("behavior: tampered signature", async () => {
    const signature = concat([args.signature.slice(0, -2) as Hex, args.signature.endsWith("00") ? "0x01" : "0x00"]);
    expect(await attestationCheckOf({ ...args, signature })).toEqual({
      ok: false,
      reason: "The enclave's RSA-PSS signature does not verify over this inference.",
    });
  });

  test("behavior: signed by another key registered under this id", async () => {
    const other = await generateTeeKey();
    const signature = await signInference(await importTeePrivateKey(other.privateKey), args);
    expect((await attestationCheckOf({ ...args, signature })).ok).toBe(false);
  });
});

describe("agrees with abis' WebCrypto verification", () => {
  const webCryptoVerdictOf = async (publicKey: Hex, signature: Hex) => {
    const key = await importTeePublicKey(publicKey).catch(() => null);
    if (!key) return "bad key";
    return (await verifyTeeSignature({ ...args, publicKey: key, signature })) ? "valid" : "invalid";
  };
  const verdictOf = (publicKey: Hex, signature: Hex) => {
    const result = attestationCheckOf({ ...args, teeId: teeIdOf(publicKey), tee: { ...tee, publicKey }, signature });
    if (result.ok) return "valid";
    return result.reason?.includes("not a DER-encoded RSA public key") ? "bad key" : "invalid";
  };
  const der = (key: KeyObject) => bytesToHex(key.export({ format: "der", type: "spki" }));

  test.each([
    ["the vector's signature", args.signature],
    ["an empty signature", "0x"],
    ["a short signature", "0xabcd"],
    ["odd-length hex", `${args.signature.slice(0, -1)}`],
    ["non-hex characters", `${args.signature.slice(0, -2)}zz`],
    ["one byte too many", `${args.signature}00`],
  ] as [string, Hex][])("behavior: %s", async (_, signature) => {
    expect(verdictOf(tee.publicKey, signature)).toBe(await webCryptoVerdictOf(tee.publicKey, signature));
  });

  test("behavior: keys that are not RSA, or not DER", async () => {
    const keys = [
      der(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey),
      der(generateKeyPairSync("rsa-pss", { modulusLength: 2048 }).publicKey),
      "0x3082" as Hex,
      "0xzz" as Hex,
    ];
    for (const key of keys) expect(verdictOf(key, args.signature)).toBe(await webCryptoVerdictOf(key, args.signature));
  });
});
