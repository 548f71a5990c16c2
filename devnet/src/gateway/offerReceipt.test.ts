// Our receipt verifier (abis/src/x402Receipt.ts) against receipts the REAL @x402/extensions issuers sign, and the
// library's own verifiers against ours: the two must agree on what is valid and on who signed.

import {
  base64UrlOf,
  didKeyOf,
  parseSignedReceipt,
  verifySignedReceipt,
  type X402SignedReceipt,
} from "@settlescan/abis";
import {
  extractPublicKeyFromKid,
  verifyReceiptSignatureEIP712,
  verifyReceiptSignatureJWS,
} from "@x402/extensions/offer-receipt";
import { type Hex, keccak256, type LocalAccount, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, test } from "vitest";
import { PAYEE } from "../accounts";
import { receiptFormatOf, receiptIssuerOf } from "./gateway";

const RESOURCE = "http://127.0.0.1:8402/v1/chat/completions";
const PAYER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const TX = "0x5c5d0bd4b3b2e8e7a1d1e7f9c0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3";
const STRANGER = privateKeyToAccount(keccak256(stringToHex("settlescan offer-receipt stranger")));

const issue = (format: "eip712" | "jws", account: LocalAccount = PAYEE, transaction: string | null = TX) =>
  receiptIssuerOf(format, account).issueReceipt(RESOURCE, PAYER, "eip155:8453", transaction ?? undefined) as Promise<
    X402SignedReceipt & { payload?: unknown }
  >;

/** The receipt with one field of its signed payload changed (in the payload, or re-encoded inside the JWS). */
function withPayer(receipt: X402SignedReceipt, payer: string): X402SignedReceipt {
  if (receipt.format === "eip712") return { ...receipt, payload: { ...receipt.payload, payer } };
  const [header, payload, signature] = receipt.signature.split(".") as [string, string, string];
  const json = JSON.parse(Buffer.from(payload, "base64url").toString());
  return {
    format: "jws",
    signature: `${header}.${base64UrlOf(Buffer.from(JSON.stringify({ ...json, payer })))}.${signature}`,
  };
}

describe("receipts of the real @x402/extensions issuers", () => {
  test("default: an EIP-712 receipt verifies, signed by the payee, as the library recovers it too", async () => {
    const receipt = await issue("eip712");
    expect(receipt).toMatchObject({
      format: "eip712",
      payload: { version: 1, network: "eip155:8453", resourceUrl: RESOURCE, payer: PAYER, transaction: TX },
    });
    const ours = await verifySignedReceipt(parseSignedReceipt(JSON.stringify(receipt)), {
      expectedSigner: PAYEE.address,
    });
    expect(ours).toMatchObject({ valid: true, signer: { address: PAYEE.address }, payload: receipt.payload });
    expect((await verifyReceiptSignatureEIP712(receipt as never)).signer).toBe(PAYEE.address);
  });

  test("behavior: a JWS receipt (ES256K, did:key) verifies offline, its key the payee's address", async () => {
    const receipt = await issue("jws");
    expect(receipt.payload).toBeUndefined();
    const ours = await verifySignedReceipt(parseSignedReceipt(receipt));
    expect(ours).toMatchObject({
      valid: true,
      format: "jws",
      signer: {
        address: PAYEE.address,
        alg: "ES256K",
        keyType: "secp256k1",
        kid: didKeyOf({ keyType: "secp256k1", publicKey: PAYEE.publicKey }),
      },
      payload: { version: 1, network: "eip155:8453", resourceUrl: RESOURCE, payer: PAYER, transaction: TX },
    });
    // The library resolves our did:key and verifies the signature with jose.
    expect(await verifyReceiptSignatureJWS(receipt as never)).toMatchObject({ payer: PAYER, transaction: TX });
  });

  test('behavior: without includeTxHash, EIP-712 signs transaction "" and the JWS omits it', async () => {
    const eip712 = await verifySignedReceipt(parseSignedReceipt(await issue("eip712", PAYEE, null)));
    const jws = await verifySignedReceipt(parseSignedReceipt(await issue("jws", PAYEE, null)));
    expect([eip712.valid, eip712.payload.transaction, jws.valid, jws.payload.transaction]).toEqual([
      true,
      "",
      true,
      undefined,
    ]);
  });

  test("behavior: a tampered payload or signature is refused, by us and by the library", async () => {
    for (const format of ["eip712", "jws"] as const) {
      const receipt = parseSignedReceipt(await issue(format));
      const tampered = withPayer(receipt, STRANGER.address);
      const ours = await verifySignedReceipt(tampered, { expectedSigner: PAYEE.address });
      expect(ours.valid).toBe(false);
      expect(ours.payload.payer).toBe(STRANGER.address);
      if (format === "eip712")
        expect((await verifyReceiptSignatureEIP712(tampered as never)).signer).not.toBe(PAYEE.address);
      else await expect(verifyReceiptSignatureJWS(tampered as never)).rejects.toThrow(/signature verification failed/);

      const flipped = receipt.signature.replace(/.{4}$/, (end) => (end === "AAAA" ? "BBBB" : "AAAA"));
      const bad = await verifySignedReceipt({ ...receipt, signature: flipped } as X402SignedReceipt, {
        expectedSigner: PAYEE.address,
      });
      expect(bad.valid).toBe(false);
    }
  });

  test("behavior: a JWS signed by another key under the payee's kid is refused (wrong kid)", async () => {
    const real = await issue("jws");
    const byStranger = await issue("jws", STRANGER);
    const [, payload, signature] = byStranger.signature.split(".");
    const [header] = real.signature.split(".");
    const forged = { format: "jws", signature: `${header}.${payload}.${signature}` } as const;
    const ours = await verifySignedReceipt(forged);
    expect(ours.valid).toBe(false);
    expect(ours.reason).toMatch(/^The JWS signature \(ES256K\) does not verify with the key of did:key:/);
    await expect(verifyReceiptSignatureJWS(forged)).rejects.toThrow();
  });

  test("behavior: our did:key is the library's did:key (it resolves to the same point)", async () => {
    const kid = didKeyOf({ keyType: "secp256k1", publicKey: PAYEE.publicKey });
    const key = (await extractPublicKeyFromKid(kid)) as CryptoKey;
    const jwk = key.type ? await crypto.subtle.exportKey("jwk", key).catch(() => undefined) : undefined;
    const exported = jwk ?? (key as unknown as { export: (o: object) => JsonWebKey }).export({ format: "jwk" });
    const point = `0x04${Buffer.from(exported.x as string, "base64url").toString("hex")}${Buffer.from(exported.y as string, "base64url").toString("hex")}`;
    expect(point).toBe(PAYEE.publicKey as Hex);
  });

  test("args: GATEWAY_RECEIPT_FORMAT is eip712 (default) or jws", () => {
    expect([receiptFormatOf(undefined), receiptFormatOf(""), receiptFormatOf("jws")]).toEqual([
      "eip712",
      "eip712",
      "jws",
    ]);
    expect(() => receiptFormatOf("cose")).toThrowErrorMatchingInlineSnapshot(
      `[InvalidRequestError: GATEWAY_RECEIPT_FORMAT "cose" is not "eip712" or "jws".]`,
    );
  });
});
