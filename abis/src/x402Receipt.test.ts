import { bytesToHex, type Hex, keccak256, sha256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, test } from "vitest";
import {
  base64UrlOf,
  chainIdOfNetwork,
  didKeyOf,
  jcsOf,
  parseSignedReceipt,
  receiptMessageOf,
  verifySignedReceipt,
  X402_RECEIPT_DOMAIN,
  X402_RECEIPT_TYPES,
  type X402ReceiptPayload,
  type X402SignedReceipt,
} from "./x402Receipt";

// Our own signing here (viem and WebCrypto); receipts of the real @x402/extensions issuers are verified in
// devnet/src/gateway/offerReceipt.test.ts, where that package resolves.

const PAYEE = privateKeyToAccount(keccak256(stringToHex("settlescan receipt test payee")));
const OTHER = privateKeyToAccount(keccak256(stringToHex("settlescan receipt test other")));

const PAYLOAD: X402ReceiptPayload = {
  version: 1,
  network: "eip155:8453",
  resourceUrl: "http://127.0.0.1:4021/v1/chat/completions",
  payer: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  issuedAt: 1_790_000_000,
  transaction: "0x8e3cbd4b8d7cf5d8f37d0c8d7c5a8f43c5f9a2b0d4e7b6c1a2f3e4d5c6b7a8f9",
};

async function eip712Receipt(
  payload = PAYLOAD,
  { account = PAYEE, domain = X402_RECEIPT_DOMAIN as { name: string; version: string; chainId: number } } = {},
): Promise<X402SignedReceipt> {
  const signature = await account.signTypedData({
    domain,
    types: X402_RECEIPT_TYPES,
    primaryType: "Receipt",
    message: receiptMessageOf(payload),
  });
  return { format: "eip712", payload, signature };
}

type JwsKey = { alg: string; kid: string; sign: (input: Uint8Array) => Promise<Uint8Array> };

/** A secp256k1 key signing ES256K (r‖s over SHA-256), named by its did:key. */
function secp256k1Key(account = PAYEE): JwsKey {
  return {
    alg: "ES256K",
    kid: didKeyOf({ keyType: "secp256k1", publicKey: account.publicKey }),
    async sign(input) {
      const signature = await account.sign({ hash: sha256(input) });
      return Uint8Array.from(Buffer.from(signature.slice(2, 130), "hex"));
    },
  };
}

/** A WebCrypto key (ES256 on P-256, or EdDSA on Ed25519), named by its did:key. */
async function webCryptoKey(kind: "P-256" | "Ed25519"): Promise<JwsKey & { jwk: JsonWebKey }> {
  const algorithm = kind === "P-256" ? { name: "ECDSA", namedCurve: "P-256" } : { name: "Ed25519" };
  const pair = (await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = bytesToHex(new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)));
  return {
    alg: kind === "P-256" ? "ES256" : "EdDSA",
    kid: didKeyOf({ keyType: kind, publicKey: raw }),
    jwk: await crypto.subtle.exportKey("jwk", pair.publicKey),
    async sign(input) {
      const params = kind === "P-256" ? { name: "ECDSA", hash: "SHA-256" } : { name: "Ed25519" };
      return new Uint8Array(await crypto.subtle.sign(params, pair.privateKey, Uint8Array.from(input)));
    },
  };
}

/** A compact JWS as the library's `createJWS` builds it: header {alg, kid}, the canonical payload. */
async function jwsReceipt(key: JwsKey, payload: object = PAYLOAD, header: object = { alg: key.alg, kid: key.kid }) {
  const encode = (text: string) => base64UrlOf(new TextEncoder().encode(text));
  const input = `${encode(JSON.stringify(header))}.${encode(jcsOf(payload))}`;
  const signature = base64UrlOf(await key.sign(new TextEncoder().encode(input)));
  return { format: "jws", signature: `${input}.${signature}` } as X402SignedReceipt;
}

const jwsOf = (receipt: X402SignedReceipt) => receipt.signature;

/** The SettleResponse a PAYMENT-RESPONSE header carries, base64 JSON. */
const headerOf = (receipt: X402SignedReceipt) =>
  Buffer.from(
    JSON.stringify({
      success: true,
      transaction: PAYLOAD.transaction,
      network: "eip155:8453",
      payer: PAYLOAD.payer,
      extensions: { "offer-receipt": { info: { receipt }, schema: {} } },
    }),
  ).toString("base64");

describe("verifySignedReceipt", () => {
  test("default: an EIP-712 receipt recovers the payee's address", async () => {
    const result = await verifySignedReceipt(await eip712Receipt());
    expect(result).toEqual({
      format: "eip712",
      signer: { address: PAYEE.address },
      payload: PAYLOAD,
      valid: true,
      reason: `The EIP-712 signature ("x402 receipt" domain) recovers ${PAYEE.address}; an altered receipt would recover another address, so compare it with the key you expect (e.g. the payment's payTo).`,
    });
    expect(
      (await verifySignedReceipt(await eip712Receipt(), { expectedSigner: PAYEE.address })).reason,
    ).toMatchInlineSnapshot(
      `"The EIP-712 signature ("x402 receipt" domain) recovers the expected signer 0xC4da4c271e7001dd893c3d825b9d41cF4CB22684."`,
    );
  });

  test("behavior: a JWS (ES256K, did:key secp256k1) verifies and names the key's address", async () => {
    const result = await verifySignedReceipt(await jwsReceipt(secp256k1Key()));
    expect(result).toMatchObject({
      format: "jws",
      signer: { address: PAYEE.address, alg: "ES256K", keyType: "secp256k1", publicKey: PAYEE.publicKey },
      payload: PAYLOAD,
      valid: true,
    });
    expect(result.signer.kid).toMatch(/^did:key:zQ3s[1-9A-HJ-NP-Za-km-z]+#zQ3s/);
  });

  test("behavior: JWS with ES256 (did:key P-256) and EdDSA (did:key Ed25519) verify with WebCrypto", async () => {
    for (const kind of ["P-256", "Ed25519"] as const) {
      const key = await webCryptoKey(kind);
      const result = await verifySignedReceipt(await jwsReceipt(key));
      expect(result).toMatchObject({ valid: true, signer: { keyType: kind, alg: key.alg, kid: key.kid } });
      expect(result.signer.address).toBeUndefined();
    }
  });

  test("behavior: did:jwk resolves offline; did:web is refused unless the key is given", async () => {
    const key = await webCryptoKey("P-256");
    const jwk = { kty: "EC", crv: "P-256", x: key.jwk.x, y: key.jwk.y };
    const didJwk = `did:jwk:${base64UrlOf(new TextEncoder().encode(JSON.stringify(jwk)))}#0`;
    expect((await verifySignedReceipt(await jwsReceipt({ ...key, kid: didJwk }))).valid).toBe(true);

    const web = await jwsReceipt({ ...key, kid: "did:web:api.example.com#key-1" });
    const offline = await verifySignedReceipt(web);
    expect(offline.valid).toBe(false);
    expect(offline.reason).toMatchInlineSnapshot(
      `"The JWS kid "did:web:api.example.com#key-1" is a did:web, which cannot be resolved offline (its key is in a document on https://api.example.com); give the public key (a JWK) to verify it."`,
    );
    expect((await verifySignedReceipt(web, { publicKey: jwk as never })).valid).toBe(true);
  });

  test("behavior: a tampered payload field is refused", async () => {
    const signed = await eip712Receipt();
    if (signed.format !== "eip712") throw new Error("unreachable");
    const tampered = { ...signed, payload: { ...signed.payload, payer: OTHER.address } };
    const eip712 = await verifySignedReceipt(tampered, { expectedSigner: PAYEE.address });
    expect(eip712.valid).toBe(false);
    expect(eip712.signer.address).not.toBe(PAYEE.address);
    expect(eip712.reason.replace(/0x[0-9a-fA-F]{40}/, "<recovered>")).toMatchInlineSnapshot(
      `"The EIP-712 signature recovers <recovered>, not the expected signer 0xC4da4c271e7001dd893c3d825b9d41cF4CB22684: the receipt was altered, signed over another domain, or signed by another key."`,
    );

    const [header, , signature] = jwsOf(await jwsReceipt(secp256k1Key())).split(".");
    const otherPayload = base64UrlOf(new TextEncoder().encode(jcsOf({ ...PAYLOAD, payer: OTHER.address })));
    const jws = await verifySignedReceipt({ format: "jws", signature: `${header}.${otherPayload}.${signature}` });
    expect(jws).toMatchObject({ valid: false, payload: { payer: OTHER.address } });
    expect(jws.reason).toMatchInlineSnapshot(
      `"The JWS signature (ES256K) does not verify with the key of did:key:zQ3shn2EiiLQqbdmLBMwnEUiaCfhUvX62AEmaGF6ALhoxRASt#zQ…: the receipt was altered or signed by another key."`,
    );
  });

  test("behavior: a tampered signature is refused", async () => {
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === "A" ? "B" : "A"}${text.slice(at + 1)}`;
    for (const key of [secp256k1Key(), await webCryptoKey("P-256"), await webCryptoKey("Ed25519")]) {
      const jws = jwsOf(await jwsReceipt(key));
      const result = await verifySignedReceipt({ format: "jws", signature: flip(jws, jws.length - 10) });
      expect(result.valid).toBe(false);
      expect(result.reason).toMatch(/^The JWS signature \((ES256K|ES256|EdDSA)\) does not verify with the key of/);
    }
    const signed = await eip712Receipt();
    const bad = { ...signed, signature: `${signed.signature.slice(0, 66)}${"00".repeat(32)}1b` as Hex };
    const result = await verifySignedReceipt(bad, { expectedSigner: PAYEE.address });
    expect(result.valid).toBe(false);
  });

  test("behavior: a wrong kid (another key's did:key) or a mismatched alg is refused", async () => {
    const signedByOther = await jwsReceipt({ ...secp256k1Key(OTHER), kid: secp256k1Key(PAYEE).kid });
    const result = await verifySignedReceipt(signedByOther);
    expect(result).toMatchObject({ valid: false, signer: { address: PAYEE.address } });
    expect(result.reason).toMatch(/^The JWS signature \(ES256K\) does not verify with the key of did:key:zQ3s/);

    const wrongAlg = await jwsReceipt(secp256k1Key(), PAYLOAD, { alg: "ES256", kid: secp256k1Key().kid });
    expect((await verifySignedReceipt(wrongAlg)).reason).toMatchInlineSnapshot(
      `"The JWS header's alg "ES256" does not match the secp256k1 key; expected "ES256K"."`,
    );
    const pkh = await jwsReceipt({ ...secp256k1Key(), kid: `did:pkh:eip155:8453:${PAYEE.address}` });
    expect((await verifySignedReceipt(pkh)).reason).toMatchInlineSnapshot(
      `"The JWS kid "did:pkh:eip155:8453:0xC4da4c271e7001dd893c3d825b9d41cF4CB22684" uses did:pkh; supported offline: did:key and did:jwk (did:web with a given public key)."`,
    );
  });

  test("behavior: an EIP-712 receipt signed over another domain is refused", async () => {
    for (const domain of [
      { ...X402_RECEIPT_DOMAIN, chainId: 8453 },
      { ...X402_RECEIPT_DOMAIN, name: "x402 offer" },
    ]) {
      const result = await verifySignedReceipt(await eip712Receipt(PAYLOAD, { domain }), {
        expectedSigner: PAYEE.address,
      });
      expect(result.valid).toBe(false);
      expect(result.reason).toMatch(/not the expected signer 0xC4da4c271e7001dd893c3d825b9d41cF4CB22684/);
    }
  });

  test("behavior: expectedSigner also binds a secp256k1 JWS", async () => {
    const result = await verifySignedReceipt(await jwsReceipt(secp256k1Key()), { expectedSigner: OTHER.address });
    expect(result.reason).toMatchInlineSnapshot(
      `"The JWS verifies, but its key is 0xC4da4c271e7001dd893c3d825b9d41cF4CB22684, not the expected signer 0x48A9d14db908Cec6D3Ac42A04ee8F621bdf62983."`,
    );
  });
});

describe("parseSignedReceipt", () => {
  test("default: a PAYMENT-RESPONSE header value, a SettleResponse, extensions, info, the receipt, or a bare JWS", async () => {
    const receipt = await eip712Receipt();
    const header = headerOf(receipt);
    const settle = JSON.parse(Buffer.from(header, "base64").toString());
    for (const input of [
      header,
      `PAYMENT-RESPONSE: ${header}`,
      JSON.stringify(settle),
      settle,
      settle.extensions,
      settle.extensions["offer-receipt"],
      JSON.stringify(receipt, null, 2),
    ])
      expect(parseSignedReceipt(input)).toEqual(receipt);
    const jws = await jwsReceipt(secp256k1Key());
    expect(parseSignedReceipt(jwsOf(jws))).toEqual(jws);
    expect(parseSignedReceipt(headerOf(jws))).toEqual(jws);
  });

  test("args: inputs that hold no receipt say what was expected", () => {
    const errors = [
      "",
      "hello",
      "{not json",
      "[1]",
      { choices: [], tee_signature: "x" },
      { success: true, transaction: "0x", network: "eip155:8453" },
      { success: true, extensions: { "payment-identifier": {} } },
      { format: "eip712", signature: "0x12", payload: PAYLOAD },
      { format: "eip712", signature: `0x${"11".repeat(65)}`, payload: { ...PAYLOAD, issuedAt: "soon" } },
      { format: "jws", signature: "a.b" },
      { format: "cose", signature: "x" },
      { info: { offers: [] } },
    ].map((input) => {
      try {
        parseSignedReceipt(input);
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(errors).toMatchInlineSnapshot(`
      [
        "The receipt input is empty; expected a signed x402 receipt {format, signature}, a SettleResponse (or its PAYMENT-RESPONSE header value, base64 JSON) with extensions["offer-receipt"].info.receipt, or that extensions object.",
        "The receipt input "hello" is neither JSON nor base64 JSON; expected a signed x402 receipt {format, signature}, a SettleResponse (or its PAYMENT-RESPONSE header value, base64 JSON) with extensions["offer-receipt"].info.receipt, or that extensions object.",
        "The receipt input is not valid JSON (Expected property name or '}' in JSON at position 1 (line 1 column 2)); expected a signed x402 receipt {format, signature}, a SettleResponse (or its PAYMENT-RESPONSE header value, base64 JSON) with extensions["offer-receipt"].info.receipt, or that extensions object.",
        "The receipt input is [1], not a JSON object; expected a signed x402 receipt {format, signature}, a SettleResponse (or its PAYMENT-RESPONSE header value, base64 JSON) with extensions["offer-receipt"].info.receipt, or that extensions object.",
        "The receipt input has keys choices, tee_signature; expected a signed x402 receipt {format, signature}, a SettleResponse (or its PAYMENT-RESPONSE header value, base64 JSON) with extensions["offer-receipt"].info.receipt, or that extensions object.",
        "The settlement response has no extensions: the resource server issued no signed receipt (it needs the "offer-receipt" extension).",
        "The extensions carry no "offer-receipt" (keys: payment-identifier): the resource server issued no signed receipt.",
        "Receipt field "signature" is "0x12"; an eip712 receipt's signature is 65 bytes of 0x-hex (r, s, v).",
        "Receipt field "payload"'s field "issuedAt" is "soon"; expected an integer of unix seconds.",
        "Receipt field "signature" is "a.b"; a jws receipt's signature is a compact JWS (header.payload.signature, base64url).",
        "Receipt field "format" is "cose"; expected "eip712" or "jws".",
        "The extension's info has no receipt (keys: offers); a 402 response's offer-receipt info carries offers, a settlement's carries the receipt.",
      ]
    `);
  });
});

test("chainIdOfNetwork", () => {
  expect([chainIdOfNetwork("eip155:8453"), chainIdOfNetwork("base"), chainIdOfNetwork("solana:5eykt")]).toEqual([
    8453,
    undefined,
    undefined,
  ]);
});
